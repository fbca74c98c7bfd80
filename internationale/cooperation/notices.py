"""The kinds of notice about meetings, and how their titles are worded in each reader's language
(see core/notices.py). Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.notices import Attachment, register_kind

from .models import Meeting


def _calendar_part(source: Model, confidential: bool) -> Attachment | None:
    """The meeting as a calendar invitation (METHOD:REQUEST, or METHOD:CANCEL once cancelled)."""
    from .calendar import invitation_attachment

    return invitation_attachment(source, confidential) if isinstance(source, Meeting) else None


# The heading these kinds are listed under where people choose their e-mails.
COOPERATION = gettext_lazy("Meetings and cooperation")


def _invited(params: Mapping[str, Any]) -> str:
    try:
        kind = str(Meeting.Kind(params["kind"]).label)
    except ValueError:
        kind = str(params["kind"])
    return _("%(host)s invites you to a %(kind)s: %(title)s") % {
        "host": params["host"],
        "kind": kind.lower(),
        "title": params["title"],
    }


def _answered(params: Mapping[str, Any]) -> str:
    names = {"organization": params["organization"], "title": params["title"]}
    if params["answer"] == "accepted":
        return _("%(organization)s will take part: %(title)s") % names
    if params["answer"] == "tentative":
        return _("%(organization)s may take part: %(title)s") % names
    return _("%(organization)s will not take part: %(title)s") % names


register_kind(
    "meeting.invited",
    label=gettext_lazy("An invitation to a meeting"),
    wording=_invited,
    sample={"host": "Metalworkers of São Paulo", "kind": "bilateral", "title": "Plant closures"},
    group=COOPERATION,
    attachment=_calendar_part,
)
register_kind(
    "meeting.answered",
    label=gettext_lazy("An answer to your invitation to a meeting"),
    wording=_answered,
    sample={"organization": "Korean Dockworkers", "answer": "accepted", "title": "Plant closures"},
    group=COOPERATION,
)
register_kind(
    "meeting.changed",
    label=gettext_lazy("A change to a meeting you are invited to"),
    wording=lambda p: _("Changed: %(title)s") % {"title": p["title"]},
    sample={"title": "Plant closures"},
    group=COOPERATION,
    attachment=_calendar_part,
)
register_kind(
    "meeting.cancelled",
    label=gettext_lazy("A meeting you are invited to is cancelled"),
    wording=lambda p: _("Cancelled: %(title)s") % {"title": p["title"]},
    sample={"title": "Plant closures"},
    group=COOPERATION,
    attachment=_calendar_part,
)


# Minutes (minutes.py) ----------------------------------------------------------------------------


def _correction_answered(params: Mapping[str, Any]) -> str:
    if params["answer"] == "accepted":
        return _("Your correction to the minutes is accepted: %(title)s") % params
    return _("Your correction to the minutes is rejected: %(title)s") % params


register_kind(
    "minutes.submitted",
    label=gettext_lazy("Minutes of a meeting to approve"),
    wording=lambda p: _("Minutes to approve: %(title)s") % {"title": p["title"]},
    sample={"title": "Plant closures"},
    group=COOPERATION,
)
register_kind(
    "minutes.correction_proposed",
    label=gettext_lazy("A correction proposed to the minutes of your meeting"),
    wording=lambda p: (
        _("%(organization)s proposes a correction to the minutes: %(title)s")
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "title": "Plant closures"},
    group=COOPERATION,
)
register_kind(
    "minutes.correction_answered",
    label=gettext_lazy("An answer to your correction to minutes"),
    wording=_correction_answered,
    sample={"answer": "accepted", "title": "Plant closures"},
    group=COOPERATION,
)
register_kind(
    "minutes.frozen",
    label=gettext_lazy("Minutes of a meeting approved and frozen"),
    wording=lambda p: _("Minutes frozen: %(title)s") % {"title": p["title"]},
    sample={"title": "Plant closures"},
    group=COOPERATION,
)


# Agreements and tasks ----------------------------------------------------------------------------


def _due_soon(params: Mapping[str, Any]) -> str:
    return ngettext(
        "Due in %(days)s day (%(deadline)s): %(title)s",
        "Due in %(days)s days (%(deadline)s): %(title)s",
        params["days"],
    ) % {"days": params["days"], "deadline": params["deadline"], "title": params["title"]}


register_kind(
    "agreement.recorded",
    label=gettext_lazy("An agreement your organization is a party of"),
    wording=lambda p: (
        _("%(host)s recorded an agreement: %(title)s") % {"host": p["host"], "title": p["title"]}
    ),
    sample={"host": "Metalworkers of São Paulo", "title": "Joint campaign at the ports"},
    group=COOPERATION,
)
register_kind(
    "task.assigned",
    label=gettext_lazy("A task of an agreement for your organization"),
    wording=lambda p: (
        _("A task for you, due %(deadline)s: %(title)s")
        % {"deadline": p["deadline"], "title": p["title"]}
    ),
    sample={"title": "Translate the leaflet", "deadline": "2030-03-01"},
    group=COOPERATION,
)
register_kind(
    "task.due_soon",
    label=gettext_lazy("A reminder of a task's deadline"),
    wording=_due_soon,
    sample={"title": "Translate the leaflet", "deadline": "2030-03-01", "days": 7},
    group=COOPERATION,
)
register_kind(
    "task.overdue",
    label=gettext_lazy("A task of your organization past its deadline"),
    wording=lambda p: (
        _("Overdue since %(deadline)s: %(title)s")
        % {"deadline": p["deadline"], "title": p["title"]}
    ),
    sample={"title": "Translate the leaflet", "deadline": "2030-03-01"},
    group=COOPERATION,
)
register_kind(
    "task.done",
    label=gettext_lazy("A task of an agreement done"),
    wording=lambda p: (
        _("%(organization)s did: %(title)s")
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "title": "Translate the leaflet"},
    group=COOPERATION,
)


# Calendar feeds (feeds.py) -----------------------------------------------------------------------


def _feed_renewed(params: Mapping[str, Any]) -> str:
    if params["reason"] == "left":
        return (
            _(
                "The calendar address is renewed: %(person)s, who could read it, left %(organization)s"
            )
            % params
        )
    return (
        _(
            "The calendar address is renewed: %(person)s, who could read it, "
            "no longer speaks for %(organization)s"
        )
        % params
    )


register_kind(
    "calendar_feed.renewed",
    label=gettext_lazy("The calendar address of your organization renewed on its own"),
    wording=_feed_renewed,
    sample={"organization": "Metalworkers of São Paulo", "person": "Sam", "reason": "left"},
    group=COOPERATION,
)
