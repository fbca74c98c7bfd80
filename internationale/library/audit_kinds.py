"""The audit kinds of the library app, worded in each reader's language (see core/audit.py).
Registered when the app is ready. Each part of the app adds its kinds in its own section below."""

from django.utils.translation import gettext as _  # noqa: F401
from django.utils.translation import gettext_lazy  # noqa: F401

from internationale.core.audit import Confidential, register  # noqa: F401

# Documents ---------------------------------------------------------------------------------------

# The title and what changed: for those who may read the document; others read "A document".
DOCUMENT = Confidential(rule="library.view_document", wording=lambda p: _("A document"))
# A deleted document has no audience left: its title is for its organization's people.
DELETED = Confidential(
    rule="organizations.view_members", wording=lambda p: _("A document"), on="organization"
)

register(
    "document.create",
    label=gettext_lazy("Document added to the library"),
    wording=lambda p: str(p["title"]),
    confidential=DOCUMENT,
)
register(
    "document.change",
    label=gettext_lazy("Document changed"),
    wording=lambda p: str(p["title"]),
    confidential=DOCUMENT,
)
register(
    "document.delete",
    label=gettext_lazy("Document deleted"),
    wording=lambda p: str(p["title"]),
    confidential=DELETED,
)
register(
    "document.address",
    label=gettext_lazy("Document addressed to organizations"),
    wording=lambda p: (
        _("%(title)s: addressed to %(count)s more organizations")
        % {"title": p["title"], "count": p["addressed"]}
    ),
    confidential=DOCUMENT,
)
register(
    "document.file_add",
    label=gettext_lazy("File added to a document"),
    wording=lambda p: _("%(title)s: %(name)s") % {"title": p["title"], "name": p["name"]},
    confidential=DOCUMENT,
)
register(
    "document.file_remove",
    label=gettext_lazy("File removed from a document"),
    wording=lambda p: _("%(title)s: %(name)s") % {"title": p["title"], "name": p["name"]},
    confidential=DOCUMENT,
)
register(
    "library.digest_choose",
    label=gettext_lazy("Library digest chosen"),
    wording=lambda p: _("Weekly digest on") if p.get("weekly") else _("Weekly digest off"),
)
