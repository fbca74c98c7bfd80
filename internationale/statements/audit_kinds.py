"""The audit kinds of statements and advice, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register

from .models import Advice

# The title and who takes part: for those who may see the statement.
STATEMENT = Confidential(rule="statements.view_statement", wording=lambda p: _("A statement"))
# Advice: for those who speak for the two organizations, nobody else; an operator reading an
# organization's log does not even learn that there was advice (unlisted).
ADVICE = Confidential(
    rule="statements.view_advice_history",
    on="organization",
    unlisted=True,
    wording=lambda p: _("Advice"),
)

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

# Publication -------------------------------------------------------------------------------------
register(
    "statement.translation_add",
    label=gettext_lazy("Language version of a statement added"),
    wording=lambda p: (
        _("%(title)s, in %(language)s") % {"title": p["title"], "language": p["language"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.translation_change",
    label=gettext_lazy("Language version of a statement changed"),
    wording=lambda p: (
        _("%(title)s, in %(language)s") % {"title": p["title"], "language": p["language"]}
    ),
    confidential=STATEMENT,
)
register(
    "statement.translation_remove",
    label=gettext_lazy("Language version of a statement removed"),
    wording=lambda p: (
        _("%(title)s, in %(language)s") % {"title": p["title"], "language": p["language"]}
    ),
    confidential=STATEMENT,
)

# Advice ------------------------------------------------------------------------------------------
# Each act is recorded in the log of the organization that acts: the sender gives, the receiver
# answers.
register(
    "advice.give",
    label=gettext_lazy("Advice given"),
    wording=lambda p: _("%(sender)s → %(receiver)s: %(subject)s") % p,
    confidential=ADVICE,
)
register(
    "advice.answer",
    label=gettext_lazy("Advice answered"),
    wording=lambda p: (
        _("%(sender)s → %(receiver)s: %(subject)s (%(answer)s)")
        % {**p, "answer": Advice.Answer(p["answer"]).label}
    ),
    confidential=ADVICE,
)

# Drafting (drafting.py) --------------------------------------------------------------------------
register(
    "statement.change",
    label=gettext_lazy("Statement settings changed"),
    wording=lambda p: str(p["title"]),
    confidential=STATEMENT,
)
register(
    "statement.withdraw",
    label=gettext_lazy("Statement withdrawn"),
    wording=lambda p: str(p["title"]),
    confidential=STATEMENT,
)
register(
    "statement.support",
    label=gettext_lazy("Statement supported"),
    wording=lambda p: str(p["title"]),
    confidential=STATEMENT,
)
register(
    "statement.unsupport",
    label=gettext_lazy("Support for a statement taken back"),
    wording=lambda p: str(p["title"]),
    confidential=STATEMENT,
)
register(
    "statement.comment",
    label=gettext_lazy("Comment on a statement"),
    wording=lambda p: _("%(title)s: paragraph %(n)s") % {"title": p["title"], "n": p["paragraph"]},
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
