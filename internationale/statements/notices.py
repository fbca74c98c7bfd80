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
register_kind(
    "statement.changed",
    label=gettext_lazy("A draft statement's deadlines or rules changed"),
    wording=lambda p: (
        _("%(initiator)s changed the deadlines or rules of the statement: %(title)s")
        % {"initiator": p["initiator"], "title": p["title"]}
    ),
    sample={"initiator": "Metalworkers of São Paulo", "title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.withdrawn",
    label=gettext_lazy("A statement withdrawn by its initiator"),
    wording=lambda p: (
        _("%(initiator)s withdrew the statement: %(title)s")
        % {"initiator": p["initiator"], "title": p["title"]}
    ),
    sample={"initiator": "Metalworkers of São Paulo", "title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.commented",
    label=gettext_lazy("A comment on a statement your organization initiated"),
    wording=lambda p: (
        _("%(organization)s commented on paragraph %(paragraph)s of: %(title)s")
        % {"organization": p["organization"], "paragraph": p["paragraph"], "title": p["title"]}
    ),
    sample={
        "organization": "Korean Dockworkers",
        "paragraph": 2,
        "title": "For the right to strike",
    },
    group=STATEMENTS,
)


def _decision(value: str) -> str:
    from .models import Amendment

    return str(Amendment.Status(value).label).lower()


# Amendments and versions -------------------------------------------------------------------------
register_kind(
    "amendment.proposed",
    label=gettext_lazy("An amendment proposed to a statement you initiated"),
    wording=lambda p: (
        _("%(organization)s proposes an amendment to paragraph %(paragraph)s of %(title)s")
        % {"organization": p["organization"], "paragraph": p["paragraph"], "title": p["title"]}
    ),
    sample={
        "organization": "Korean Dockworkers",
        "paragraph": 2,
        "title": "For the right to strike",
    },
    group=STATEMENTS,
)
register_kind(
    "amendment.decided",
    label=gettext_lazy("A decision on your organization's amendment"),
    wording=lambda p: (
        _("Your amendment to %(title)s: %(decision)s")
        % {"title": p["title"], "decision": _decision(p["decision"])}
    ),
    sample={"title": "For the right to strike", "decision": "accepted"},
    group=STATEMENTS,
)
register_kind(
    "amendment.needs_rebase",
    label=gettext_lazy("An amendment to restate against a new version"),
    wording=lambda p: (
        _("Version %(number)s of %(title)s: restate your amendment against it")
        % {"title": p["title"], "number": p["number"]}
    ),
    sample={"title": "For the right to strike", "number": 3},
    group=STATEMENTS,
)
register_kind(
    "statement.version",
    label=gettext_lazy("A new version of a statement you take part in"),
    wording=lambda p: (
        _("Version %(number)s of %(title)s") % {"title": p["title"], "number": p["number"]}
    ),
    sample={"title": "For the right to strike", "number": 2},
    group=STATEMENTS,
)

# Positions, adoption and signatures ------------------------------------------------------------
register_kind(
    "statement.positions_called",
    label=gettext_lazy("Positions called on a joint statement"),
    wording=lambda p: (
        _("Positions are called on version %(version)s of %(title)s: state yours")
        % {"version": p["version"], "title": p["title"]}
    ),
    sample={"version": 2, "title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.position_stated",
    label=gettext_lazy("A participant states its position on a joint statement"),
    wording=lambda p: (
        _("%(organization)s stated its position on %(title)s")
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.adopted",
    label=gettext_lazy("A joint statement is adopted"),
    wording=lambda p: _("Adopted by consensus: %(title)s") % {"title": p["title"]},
    sample={"title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.signed",
    label=gettext_lazy("An organization signs your joint statement"),
    wording=lambda p: (
        _("%(organization)s signed %(title)s")
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Dutch Port Union", "title": "For the right to strike"},
    group=STATEMENTS,
)
register_kind(
    "statement.signature_declined",
    label=gettext_lazy("Your signature on a joint statement is declined"),
    wording=lambda p: (
        _("%(initiator)s declined your signature on %(title)s")
        % {"initiator": p["initiator"], "title": p["title"]}
    ),
    sample={"initiator": "Metalworkers of São Paulo", "title": "For the right to strike"},
    group=STATEMENTS,
)
