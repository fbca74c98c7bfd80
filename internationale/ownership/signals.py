"""What other apps may connect to: `erasing`, sent in the transaction of an emergency erase
(erase.py) once what goes is known and before anything is deleted, with the `organization` and
`going` (the primary keys of the rows that go, by model label) and `keep_profile` (False when
the public profile, and so the organization's address, goes too). An app above this one (federation)
reads there what the deletion will take with it (an appeal's remote addressees), and purges what
it holds of that content."""

from django.dispatch import Signal

erasing = Signal()
