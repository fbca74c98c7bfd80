"""The audit kinds of days of action, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy, ngettext

from internationale.core.audit import Confidential, register

# The title and who takes part: for those who may see the day.
DAY = Confidential(rule="actions.view_dayofaction", wording=lambda p: _("A day of action"))
# Entries about a local action: for those who may see it (those who see its day).
ACTION = Confidential(
    rule="actions.view_localaction",
    related=("day",),
    wording=lambda p: _("An action of a day of action"),
)

# Calling -----------------------------------------------------------------------------------------
register(
    "day.create",
    label=gettext_lazy("Day of action prepared"),
    wording=lambda p: str(p["title"]),
    confidential=DAY,
)
register(
    "day.cocallers_invite",
    label=gettext_lazy("Organizations invited to call a day of action"),
    wording=lambda p: (
        ngettext(
            "%(title)s: %(n)s organization invited to call it",
            "%(title)s: %(n)s organizations invited to call it",
            p["invited"],
        )
        % {"title": p["title"], "n": p["invited"]}
    ),
    confidential=DAY,
)
register(
    "day.cocall_answer",
    label=gettext_lazy("Answer to an invitation to call a day of action"),
    wording=lambda p: (
        (
            _("%(title)s: accepted to call it")
            if p["accepted"]
            else _("%(title)s: declined to call it")
        )
        % {"title": p["title"]}
    ),
    confidential=DAY,
)
register(
    "day.call",
    label=gettext_lazy("Organizations called to a day of action"),
    wording=lambda p: (
        ngettext(
            "%(title)s: %(n)s organization called",
            "%(title)s: %(n)s organizations called",
            p["called"],
        )
        % {"title": p["title"], "n": p["called"]}
    ),
    confidential=DAY,
)
register(
    "day.answer",
    label=gettext_lazy("Answer to a day of action"),
    wording=lambda p: _("%(title)s: %(answer)s") % {"title": p["title"], "answer": p["answer"]},
    confidential=DAY,
)

# Local actions -----------------------------------------------------------------------------------
register(
    "local_action.register",
    label=gettext_lazy("Local action registered"),
    wording=lambda p: _("%(title)s: %(city)s") % {"title": p["title"], "city": p["city"]},
    confidential=ACTION,
)
register(
    "local_action.withdraw",
    label=gettext_lazy("Local action withdrawn"),
    wording=lambda p: _("%(title)s: %(city)s") % {"title": p["title"], "city": p["city"]},
    confidential=ACTION,
)

# Changing and cancelling the call ----------------------------------------------------------------
register(
    "day.change",
    label=gettext_lazy("Day of action changed"),
    wording=lambda p: str(p["title"]),
    confidential=DAY,
)
register(
    "day.cancel",
    label=gettext_lazy("Day of action cancelled"),
    wording=lambda p: str(p["title"]),
    confidential=DAY,
)
