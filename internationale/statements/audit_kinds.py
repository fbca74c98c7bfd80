"""The audit kinds of statements and advice, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register

# The title and who takes part: for those who may see the statement.
STATEMENT = Confidential(rule="statements.view_statement", wording=lambda p: _("A statement"))
# Advice: for those who speak for the two organizations, nobody else.
ADVICE = Confidential(rule="statements.view_advice", wording=lambda p: _("Advice"))

# Drafting ----------------------------------------------------------------------------------------
register(
    "statement.create",
    label=gettext_lazy("Statement started"),
    wording=lambda p: str(p["title"]),
    confidential=STATEMENT,
)
register(
    "statement.invite",
    label=gettext_lazy("Organizations invited to a statement"),
    wording=lambda p: (
        ngettext(
            "%(title)s: %(n)s organization invited",
            "%(title)s: %(n)s organizations invited",
            p["invited"],
        )
        % {"title": p["title"], "n": p["invited"]}
    ),
    confidential=STATEMENT,
)


def _decision(value: str) -> str:
    from .models import Amendment

    return str(Amendment.Status(value).label).lower()


# Amendments and versions -------------------------------------------------------------------------
# What amendments say: for the participants, who may see them.
AMENDMENT = Confidential(rule="statements.view_amendment", wording=lambda p: _("An amendment"))

register(
    "statement.version",
    label=gettext_lazy("New version of a statement"),
    wording=lambda p: (
        _("%(title)s: version %(number)s") % {"title": p["title"], "number": p["number"]}
    ),
    confidential=STATEMENT,
)
register(
    "amendment.propose",
    label=gettext_lazy("Amendment proposed"),
    wording=lambda p: (
        _("%(title)s: amendment to paragraph %(paragraph)s of version %(version)s")
        % {"title": p["title"], "paragraph": p["paragraph"], "version": p["version"]}
    ),
    confidential=AMENDMENT,
)
register(
    "amendment.decide",
    label=gettext_lazy("Amendment decided"),
    wording=lambda p: (
        _("%(title)s: amendment to paragraph %(paragraph)s %(decision)s")
        % {"title": p["title"], "paragraph": p["paragraph"], "decision": _decision(p["decision"])}
    ),
    confidential=AMENDMENT,
)
register(
    "amendment.rebase",
    label=gettext_lazy("Amendment rebased"),
    wording=lambda p: (
        _("%(title)s: amendment restated on version %(version)s")
        % {"title": p["title"], "version": p["version"]}
    ),
    confidential=AMENDMENT,
)
register(
    "amendment.withdraw",
    label=gettext_lazy("Amendment withdrawn"),
    wording=lambda p: _("%(title)s: amendment withdrawn") % {"title": p["title"]},
    confidential=AMENDMENT,
)
