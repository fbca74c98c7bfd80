"""What an organization owns of the library (core/owned.py): its documents, their addressees and
files."""

from django.db.models import Q
from django.utils.translation import gettext_noop

from internationale.core.owned import Owned, declare_not_owned, declare_owned

from .services import checked_file

declare_owned(
    Owned(
        model="library.Document",
        key="library.document",
        owners=("organization",),
        fields=(
            "created_at",
            "updated_at",
            "organization",
            "created_by",
            "kind",
            "title",
            "summary",
            "body",
            "language",
            "visibility",
            "tags",
        ),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Only a verified organization adds documents.
        verified_only=Q(),
    )
)
declare_owned(
    Owned(
        model="library.DocumentAddressee",
        key="library.addressee",
        owners=("document__organization",),
        confidential=True,
        keep_if=Q(document__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="library.DocumentFile",
        key="library.file",
        owners=("document__organization",),
        files=("file",),
        checks={"file": checked_file},
        confidential=True,
        keep_if=Q(document__visibility="public"),
    )
)
declare_not_owned("library.Tag", gettext_noop("the server's shared tags, named in the archive"))
declare_not_owned("library.DocumentVector", gettext_noop("computed again on the new server"))
declare_not_owned("library.DigestChoice", gettext_noop("a person's setting"))
