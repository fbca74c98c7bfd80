"""The audit kinds of the translation app, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.audit import Confidential, register  # noqa: F401
from internationale.organizations.reference import language_name

# Machine translation (operators) ------------------------------------------------------------------

register(
    "translation.model_install",
    label=gettext_lazy("Translation model installed"),
    wording=lambda p: _("%(pair)s, version %(version)s (%(licence)s)") % p,
)
register(
    "translation.model_remove",
    label=gettext_lazy("Translation model removed"),
    wording=lambda p: _("%(pair)s, version %(version)s") % p,
)

# People who translate -----------------------------------------------------------------------------


def _pair(p: Mapping[str, Any]) -> str:
    return _("%(source)s into %(target)s") % {
        "source": language_name(p["source_language"]),
        "target": language_name(p["target_language"]),
    }


register(
    "translation.volunteer_add",
    label=gettext_lazy("Volunteered to translate"),
    wording=_pair,
)
register(
    "translation.volunteer_remove",
    label=gettext_lazy("Stopped volunteering to translate"),
    wording=_pair,
)
register(
    "translation.request_ask",
    label=gettext_lazy("Translation asked for"),
    wording=_pair,
)
register(
    "translation.request_take",
    label=gettext_lazy("Translation request taken"),
    wording=_pair,
)
register(
    "translation.request_release",
    label=gettext_lazy("Translation request given back"),
    wording=_pair,
)
register(
    "translation.request_withdraw",
    label=gettext_lazy("Translation request withdrawn"),
    wording=_pair,
)
register(
    "translation.request_submit",
    label=gettext_lazy("Translation submitted"),
    wording=_pair,
)
