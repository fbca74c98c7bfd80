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

# Positions, adoption and signatures ------------------------------------------------------------
register(
    "statement.positions_call",
    label=gettext_lazy("Positions called on a statement"),
    wording=lambda p: (
        _("%(title)s: positions called on version %(version)s")
        % {"title": p["title"], "version": p["version"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.position",
    label=gettext_lazy("Position stated on a statement"),
    wording=lambda p: (
        _("%(title)s: position stated on version %(version)s")
        % {"title": p["title"], "version": p["version"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.adopt",
    label=gettext_lazy("Statement adopted"),
    wording=lambda p: (
        _("%(title)s: adopted (version %(version)s)")
        % {"title": p["title"], "version": p["version"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.sign",
    label=gettext_lazy("Statement signed"),
    wording=lambda p: (
        _("%(title)s: signed by %(signatory)s") % {"title": p["title"], "signatory": p["signatory"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.signature_decline",
    label=gettext_lazy("Signature declined"),
    wording=lambda p: (
        _("%(title)s: the signature of %(signatory)s declined")
        % {"title": p["title"], "signatory": p["signatory"]}
    ),
    confidential=STATEMENT,
)
