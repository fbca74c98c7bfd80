"""The kinds of notice about statements and advice, and how their titles are worded in each
reader's language (see core/notices.py). Registered when the app is ready. Each part of the app
adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy

# The heading these kinds are listed under where people choose their e-mails.
STATEMENTS = gettext_lazy("Joint statements and advice")

from internationale.core.notices import register_kind  # noqa: E402

# Drafting ----------------------------------------------------------------------------------------
register_kind(
    "statement.invited",
    label=gettext_lazy("An invitation to draft a joint statement"),
    wording=lambda p: (
        _("%(initiator)s invites you to draft a joint statement: %(title)s")
        % {"initiator": p["initiator"], "title": p["title"]}
    ),
    sample={"initiator": "Metalworkers of São Paulo", "title": "For the right to strike"},
    group=STATEMENTS,
)
