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
