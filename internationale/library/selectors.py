"""Reads of the library, filtered by the viewer."""

from django.db.models import QuerySet

from internationale.core.actors import ViewerLike
from internationale.core.visibility import Access, access

from .models import Document, DocumentFile


def document_access(*, viewer: ViewerLike, pk: int) -> Access[Document]:
    """The document, if the viewer may read it, and what the viewer is to it; 404 otherwise."""
    return access(Document.objects.select_related("organization"), viewer, pk=pk)


def document_files(*, viewer: ViewerLike, document: Document) -> QuerySet[DocumentFile]:
    return DocumentFile.objects.visible_to(viewer).filter(document=document).defer("text")
