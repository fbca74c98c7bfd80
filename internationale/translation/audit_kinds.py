"""The audit kinds of the translation app, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.audit import Confidential, register  # noqa: F401

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
