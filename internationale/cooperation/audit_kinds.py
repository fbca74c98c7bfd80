"""The audit kinds of meetings, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register


def _invited(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(title)s: %(n)s organization invited",
        "%(title)s: %(n)s organizations invited",
        p["invited"],
    ) % {"title": p["title"], "n": p["invited"]}


def _accepted(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(title)s: %(organization)s accepted, with %(n)s delegate",
        "%(title)s: %(organization)s accepted, with %(n)s delegates",
        p["delegates"],
    ) % {"title": p["title"], "organization": p["organization_name"], "n": p["delegates"]}


def _declined(p: Mapping[str, Any]) -> str:
    return _("%(title)s: %(organization)s declined") % {
        "title": p["title"],
        "organization": p["organization_name"],
    }


def _tentative(p: Mapping[str, Any]) -> str:
    return _("%(title)s: %(organization)s answered “maybe”") % {
        "title": p["title"],
        "organization": p["organization_name"],
    }


# The title and who takes part: for those who may see the meeting.
MEETING = Confidential(rule="cooperation.view_meeting", wording=lambda p: _("A meeting"))

register(
    "meeting.create",
    label=gettext_lazy("Meeting planned"),
    wording=lambda p: str(p["title"]),
    confidential=MEETING,
)
register(
    "meeting.change",
    label=gettext_lazy("Meeting changed"),
    wording=lambda p: str(p["title"]),
    confidential=MEETING,
)
register(
    "meeting.invite",
    label=gettext_lazy("Organizations invited to a meeting"),
    wording=_invited,
    confidential=MEETING,
)
register(
    "meeting.accept",
    label=gettext_lazy("Invitation to a meeting accepted"),
    wording=_accepted,
    confidential=MEETING,
)
register(
    "meeting.decline",
    label=gettext_lazy("Invitation to a meeting declined"),
    wording=_declined,
    confidential=MEETING,
)
register(
    "meeting.tentative",
    label=gettext_lazy("Invitation to a meeting answered “maybe”"),
    wording=_tentative,
    confidential=MEETING,
)

register(
    "series.create",
    label=gettext_lazy("Series of meetings started"),
    wording=lambda p: (
        _("%(series)s: edition 1 is %(title)s") % {"series": p["series"], "title": p["title"]}
    ),
    confidential=MEETING,
)
register(
    "series.edition",
    label=gettext_lazy("Next edition of a series prepared"),
    wording=lambda p: (
        ngettext(
            "%(series)s: edition %(edition)s, %(n)s participant of the last one invited",
            "%(series)s: edition %(edition)s, %(n)s participants of the last one invited",
            p["invited"],
        )
        % {"series": p["series"], "edition": p["edition"], "n": p["invited"]}
    ),
    confidential=MEETING,
)
register(
    "meeting.cancel",
    label=gettext_lazy("Meeting cancelled"),
    wording=lambda p: str(p["title"]),
    confidential=MEETING,
)
register(
    "calendar_feed.renew",
    label=gettext_lazy("Calendar subscription address renewed"),
    wording=lambda p: _("A new address for the calendar of meetings"),
)

# Agenda (agenda.py) and minutes (minutes.py): entries on the meeting.


def _on_item(p: Mapping[str, Any]) -> str:
    return _("%(title)s: %(item)s") % {"title": p["title"], "item": p["item"]}


def _moved(p: Mapping[str, Any]) -> str:
    return _("%(title)s: %(item)s moved to %(to)s") % {
        "title": p["title"],
        "item": p["item"],
        "to": p["to"],
    }


def _by_participant(p: Mapping[str, Any]) -> str:
    return _("%(title)s: %(organization)s") % {
        "title": p["title"],
        "organization": p["organization_name"],
    }


for _kind, _label, _wording in (
    ("agenda.add", gettext_lazy("Agenda item added"), _on_item),
    ("agenda.change", gettext_lazy("Agenda item changed"), _on_item),
    ("agenda.remove", gettext_lazy("Agenda item removed"), _on_item),
    ("agenda.reorder", gettext_lazy("Agenda reordered"), _on_item),
    ("agenda.move", gettext_lazy("Agenda item moved to a later meeting"), _moved),
    ("agenda.document", gettext_lazy("Document attached to an agenda item"), _on_item),
    ("agenda.document_remove", gettext_lazy("Document removed from an agenda item"), _on_item),
    ("minutes.record", gettext_lazy("Minutes recorded"), _on_item),
    ("minutes.submit", gettext_lazy("Minutes submitted for approval"), lambda p: str(p["title"])),
    ("minutes.approve", gettext_lazy("Minutes approved"), _by_participant),
    ("minutes.correction", gettext_lazy("Correction to minutes proposed"), _by_participant),
    ("minutes.answer", gettext_lazy("Correction to minutes answered"), _by_participant),
    ("minutes.freeze", gettext_lazy("Minutes frozen"), lambda p: str(p["title"])),
):
    register(_kind, label=_label, wording=_wording, confidential=MEETING)

# Agreements and tasks: for those who may see them.
AGREEMENT = Confidential(rule="cooperation.view_agreement", wording=lambda p: _("An agreement"))
TASK = Confidential(rule="cooperation.view_task", wording=lambda p: _("A task of an agreement"))

register(
    "agreement.create",
    label=gettext_lazy("Agreement recorded"),
    wording=lambda p: str(p["title"]),
    confidential=AGREEMENT,
)
register(
    "task.create",
    label=gettext_lazy("Task of an agreement created"),
    wording=lambda p: (
        _("%(title)s, for %(organization)s")
        % {"title": p["title"], "organization": p["responsible"]}
    ),
    confidential=TASK,
)
register(
    "task.change",
    label=gettext_lazy("Task of an agreement changed"),
    wording=lambda p: str(p["title"]),
    confidential=TASK,
)
register(
    "task.status",
    label=gettext_lazy("Status of a task changed"),
    wording=lambda p: _("%(title)s: %(status)s") % {"title": p["title"], "status": p["status"]},
    confidential=TASK,
)
register(
    "task.complete",
    label=gettext_lazy("Task of an agreement done"),
    wording=lambda p: str(p["title"]),
    confidential=TASK,
)
register(
    "task.note",
    label=gettext_lazy("Note on the progress of a task"),
    wording=lambda p: str(p["title"]),
    confidential=TASK,
)
