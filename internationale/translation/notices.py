"""The kinds of notice of the translation app, and how their titles are worded in each reader's
language (see core/notices.py). Registered when the app is ready. Each part of the app adds its
kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.notices import register_kind  # noqa: F401
