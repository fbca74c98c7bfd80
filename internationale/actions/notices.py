"""The kinds of notice about days of action, and how their titles are worded in each reader's
language (see core/notices.py). Registered when the app is ready. Each part of the app adds its
kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy

# The heading these kinds are listed under where people choose their e-mails.
DAYS = gettext_lazy("Days of action")

from internationale.core.notices import register_kind  # noqa: E402

SAMPLE = {
    "caller": "Metalworkers of São Paulo",
    "title": "Global day of action at Meridian Freight",
}

# Calling -----------------------------------------------------------------------------------------
register_kind(
    "day.cocall_invited",
    label=gettext_lazy("An invitation to call a day of action together"),
    wording=lambda p: (
        _("%(caller)s invites you to call a day of action together: %(title)s")
        % {"caller": p["caller"], "title": p["title"]}
    ),
    sample=SAMPLE,
    group=DAYS,
)
register_kind(
    "day.cocall_answered",
    label=gettext_lazy("An organization accepted or declined to call your day of action"),
    wording=lambda p: (
        (
            _("%(organization)s accepts to call the day of action: %(title)s")
            if p["accepted"]
            else _("%(organization)s declines to call the day of action: %(title)s")
        )
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "title": SAMPLE["title"], "accepted": True},
    group=DAYS,
)
register_kind(
    "day.called",
    label=gettext_lazy("A call to a day of action"),
    wording=lambda p: (
        _("%(caller)s calls you to a day of action on %(date)s: %(title)s")
        % {"caller": p["caller"], "title": p["title"], "date": p["date"]}
    ),
    sample={**SAMPLE, "date": "2027-05-01"},
    group=DAYS,
)
register_kind(
    "day.answered",
    label=gettext_lazy("An answer to your day of action"),
    wording=lambda p: (
        _("%(organization)s answers your day of action (%(answer)s): %(title)s")
        % {"organization": p["organization"], "answer": p["answer"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "answer": "will act", "title": SAMPLE["title"]},
    group=DAYS,
)

# Local actions -----------------------------------------------------------------------------------
register_kind(
    "day.action_registered",
    label=gettext_lazy("A local action registered for your day of action"),
    wording=lambda p: (
        _("%(organization)s registers an action (%(kind)s, %(city)s): %(title)s")
        % {
            "organization": p["organization"],
            "kind": p["kind"],
            "city": p["city"],
            "title": p["title"],
        }
    ),
    sample={
        "organization": "Korean Dockworkers",
        "kind": "rally",
        "city": "Busan",
        "title": SAMPLE["title"],
    },
    group=DAYS,
)

# Changing and cancelling the call ----------------------------------------------------------------
register_kind(
    "day.changed",
    label=gettext_lazy("A day of action you are called to, or call, was changed"),
    wording=lambda p: (
        _("%(caller)s changed the call of the day of action: %(title)s")
        % {"caller": p["caller"], "title": p["title"]}
    ),
    sample=SAMPLE,
    group=DAYS,
)
register_kind(
    "day.cancelled",
    label=gettext_lazy("A day of action you are called to, or call, was cancelled"),
    wording=lambda p: (
        _("%(caller)s cancelled the day of action: %(title)s")
        % {"caller": p["caller"], "title": p["title"]}
    ),
    sample=SAMPLE,
    group=DAYS,
)
