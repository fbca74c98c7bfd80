"""Permission-matrix cases for the API on a library document's files (see core/tests/matrix.py):
listed for those who read the document, added and removed by its organization's speakers; 403
for the others who read it, 404 for those who do not, 401 for the anonymous visitor. They point at
the documents of translation/tests/world.py and at the file of each made in matrix_docs.py."""

from typing import Any

from internationale.core.tests.matrix import OWNERS, PERSONAS, Case, expect
from internationale.translation.tests.world import document, private_document

from .docs_files import pdf, upload
from .matrix_api_docs import SIGNED_IN_OK, on_document
from .matrix_docs import _file


def files_of(name: str) -> Any:
    def path(w: Any) -> str:
        pk = document(w) if name == "document" else private_document(w)
        return f"/api/v1/library/documents/{pk}/files"

    return path


def a_file_of(name: str) -> Any:
    return lambda w: f"{files_of(name)(w)}/{_file(w, name)}"


CASES = [
    Case("api:document_file_list", "GET", files_of("document"), SIGNED_IN_OK, note="public"),
    Case(
        "api:document_file_list",
        "GET",
        files_of("private_document"),
        expect(OWNERS, 200, 404, anonymous=401),
        note="private",
    ),
    Case(
        "api:document_file_add",
        "POST",
        files_of("document"),
        on_document(400, PERSONAS),
        note="no file",
    ),
    Case(
        "api:document_file_add",
        "POST",
        files_of("document"),
        on_document(201, PERSONAS),
        data=lambda w: {"file": upload("greve.pdf", pdf("Greve em Santos"))},
        note="a PDF",
    ),
    Case(
        "api:document_file_add",
        "POST",
        files_of("private_document"),
        on_document(400, OWNERS),
        note="private, no file",
    ),
    Case(
        "api:document_file_remove",
        "DELETE",
        a_file_of("document"),
        on_document(204, PERSONAS),
    ),
    Case(
        "api:document_file_remove",
        "DELETE",
        a_file_of("private_document"),
        on_document(204, OWNERS),
        note="private",
    ),
]
