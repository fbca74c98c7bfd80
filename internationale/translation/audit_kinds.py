"""The audit kinds of the translation app, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.audit import Confidential, register  # noqa: F401
