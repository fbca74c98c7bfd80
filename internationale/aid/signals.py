"""What other apps may connect to: `contribution_confirmed`, sent in the transaction of a
confirmation of receipt (`contribution`, `actor`). The confirmation writes with `update()`, which
no `post_save` follows (federation tells a remote giver's server of it: federation/answering.py)."""

from django.dispatch import Signal

contribution_confirmed = Signal()
