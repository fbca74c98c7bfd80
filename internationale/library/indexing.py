"""What search reads of a document, kept up to date: its words (`Document.search_text`) and its
sentence vector (vectors.py).

The words are those of the original (title, summary, text), of every language version, and of
the text extracted from its files, made into words by core/search.py; SQLite's FTS5 table or
PostgreSQL's GIN index (migration 0002) index them; on PostgreSQL, their stems too, each text in
its language (stems.py). They are written with an UPDATE of that
column alone, which the database's triggers follow, and which sends no signal of its own.

Signals on the saving and deletion of documents, their language versions and their files call
`refresh` (apps.py connects them), so that whatever changes what a document says changes what
finds it.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save

from internationale.core.search import indexed_text
from internationale.translation.models import LanguageVersion

from .models import Document, DocumentFile


def document_words(document: Document) -> str:
    """The words a document is found by: of its original, its versions and its files."""
    versions = LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document.pk
    ).values_list("texts", flat=True)
    texts = [document.title, document.summary, document.body]
    texts += [str(text) for version in versions for text in dict(version).values()]
    texts += DocumentFile.objects.filter(document=document).values_list("text", flat=True)
    return indexed_text(*texts)


def refresh(document_id: int) -> None:
    """Write the document's words again, and ask for its vector when its original changed."""
    from . import stems
    from .vectors import vector_request

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    words = document_words(document)
    if words != document.search_text:
        Document.objects.filter(pk=document_id).update(search_text=words)
    stems.write([document])  # PostgreSQL: the stems, each text in its language
    vector_request(document)


def _document_saved(sender: Any, instance: Document, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh(instance.pk)


def _document_deleted(sender: Any, instance: Document, **kwargs: Any) -> None:
    from . import stems

    stems.forget(instance.pk)


def _version_changed(sender: Any, instance: LanguageVersion, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if instance.content_type_id == ContentType.objects.get_for_model(Document).pk:
        refresh(instance.object_id)


def _file_changed(sender: Any, instance: DocumentFile, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        refresh(instance.document_id)


def connect() -> None:
    post_save.connect(_document_saved, sender=Document, dispatch_uid="library_search_document")
    post_delete.connect(_document_deleted, sender=Document, dispatch_uid="library_search_dd")
    post_save.connect(_version_changed, sender=LanguageVersion, dispatch_uid="library_search_v")
    post_delete.connect(_version_changed, sender=LanguageVersion, dispatch_uid="library_search_vd")
    post_save.connect(_file_changed, sender=DocumentFile, dispatch_uid="library_search_file")
    post_delete.connect(_file_changed, sender=DocumentFile, dispatch_uid="library_search_filed")
