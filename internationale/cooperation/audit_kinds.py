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
