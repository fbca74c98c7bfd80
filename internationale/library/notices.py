"""The kinds of notice of the library app, and how their titles are worded in each reader's
language (see core/notices.py). Registered when the app is ready. Each part of the app adds its
kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.notices import register_kind  # noqa: F401

# Documents ---------------------------------------------------------------------------------------

LIBRARY = gettext_lazy("Library")

register_kind(
    "document.addressed",
    label=gettext_lazy("A document addressed to your organization"),
    wording=lambda p: (
        _("%(organization)s shares a document: %(title)s")
        % {"organization": p["organization"], "title": p["title"]}
    ),
    sample={"organization": "Sindicato dos Metalúrgicos", "title": "Relatório da greve"},
    group=LIBRARY,
)
