"""Permission-matrix cases for the library's document pages (see core/tests/matrix.py). They point
at the documents of translation/tests/world.py (a public and a private one of the owning
organization) and at a file of each, made here."""

from typing import Any

from django.core.files.base import ContentFile

from internationale.core.tests.matrix import OWNERS, PERSONAS, SIGNED_IN, Case, expect
from internationale.library.digest import unsubscribe_token
from internationale.library.models import DocumentFile
from internationale.translation.tests.world import built, document, private_document

SPEAKERS = ["sam", "ana"]
VERIFIED_SPEAKERS = ["kim", "kai", "sam", "ana"]


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


# On the public document: its speakers may, everyone else sees it and is refused (403).
ON_PUBLIC = statuses(403, sam=200, ana=200)
# On the private document: its speakers may, its other people are refused, others find nothing.
ON_PRIVATE = statuses(404, olu=403, mo=403, sam=200, ana=200)


def _file(w: Any, name: str) -> int:
    key = f"{name}_file"
    if key not in w.extra:
        found = DocumentFile(document=built(w)[name], name="nota.txt", size=5, text="Greve")
        found.file.save("nota.txt", ContentFile(b"Greve"), save=True)
        w.extra[key] = found
    return int(w.extra[key].pk)


def public_file(w: Any) -> str:
    return f"/library/{document(w)}/files/{_file(w, 'document')}/"


def private_file(w: Any) -> str:
    return f"/library/{private_document(w)}/files/{_file(w, 'private_document')}/"


def _fields(w: Any) -> dict[str, str]:
    return {
        "organization": w.owner_org.slug,
        "kind": "news",
        "title": "Greve",
        "body": "",
        "language": "pt",
        "visibility": "public",
    }


def _edit_fields(w: Any) -> dict[str, str]:
    return _fields(w) | {"title": "Greve geral"}


CASES = [
    Case("document_list", "GET", lambda w: "/library/", expect(PERSONAS, 200, 200)),
    Case(
        "document_create",
        "GET",
        lambda w: "/library/new/",
        statuses(403, **{p: 200 for p in VERIFIED_SPEAKERS}),
        note="admins and secretaries of verified organizations",
    ),
    Case(
        "document_create",
        "POST",
        lambda w: "/library/new/",
        statuses(403, kim=200, kai=200, sam=302, ana=302),
        data=_fields,
        note="Kim and Kai may add, but not for the owning organization: the form refuses it",
    ),
    Case("document_edit", "GET", lambda w: f"/library/{document(w)}/edit/", ON_PUBLIC),
    Case(
        "document_edit",
        "GET",
        lambda w: f"/library/{private_document(w)}/edit/",
        ON_PRIVATE,
        note="private",
    ),
    Case(
        "document_edit",
        "POST",
        lambda w: f"/library/{document(w)}/edit/",
        statuses(403, sam=302, ana=302),
        data=_edit_fields,
    ),
    Case("document_delete", "GET", lambda w: f"/library/{document(w)}/delete/", ON_PUBLIC),
    Case(
        "document_delete",
        "POST",
        lambda w: f"/library/{private_document(w)}/delete/",
        statuses(404, olu=403, mo=403, sam=302, ana=302),
        note="private",
    ),
    Case("document_address", "GET", lambda w: f"/library/{document(w)}/address/", ON_PUBLIC),
    Case("document_files", "GET", lambda w: f"/library/{document(w)}/files/", ON_PUBLIC),
    Case(
        "document_files",
        "GET",
        lambda w: f"/library/{private_document(w)}/files/",
        ON_PRIVATE,
        note="private",
    ),
    Case(
        "document_file_download",
        "GET",
        public_file,
        expect(PERSONAS, 200, 404),
        note="of the public document",
    ),
    Case(
        "document_file_download",
        "GET",
        private_file,
        expect(OWNERS, 200, 404),
        note="of the private document",
    ),
    Case(
        "document_file_delete",
        "POST",
        lambda w: public_file(w) + "delete/",
        statuses(403, sam=302, ana=302),
    ),
    Case(
        "document_file_delete",
        "POST",
        lambda w: private_file(w) + "delete/",
        statuses(404, olu=403, mo=403, sam=302, ana=302),
        note="private",
    ),
    Case("library_digest", "GET", lambda w: "/library/digest/", expect(SIGNED_IN, 200, 302)),
    Case(
        "library_digest",
        "POST",
        lambda w: "/library/digest/",
        expect(SIGNED_IN, 302, 302),
        data=lambda w: {"weekly": "on", "kinds": ["news"]},
    ),
    Case(
        "library_digest_off",
        "GET",
        lambda w: f"/library/digest/off/{unsubscribe_token(w.people['mo'].pk)}/",
        expect(PERSONAS, 200, 200),
        note="the signed link is the authority",
    ),
    Case(
        "library_digest_off",
        "POST",
        lambda w: "/library/digest/off/forged/",
        expect(PERSONAS, 404, 404),
        note="a forged link",
    ),
    Case("document_feed", "GET", lambda w: "/library/feed/", expect(PERSONAS, 200, 200)),
    Case(
        "document_feed_organization",
        "GET",
        lambda w: f"/library/feed/organization/{w.owner_org.slug}/",
        expect(PERSONAS, 200, 200),
    ),
    Case(
        "document_feed_kind",
        "GET",
        lambda w: "/library/feed/kind/news/",
        expect(PERSONAS, 200, 200),
    ),
    Case(
        "document_feed_kind",
        "GET",
        lambda w: "/library/feed/kind/poem/",
        expect(PERSONAS, 404, 404),
        note="no such kind",
    ),
    Case(
        "document_feed_language",
        "GET",
        lambda w: "/library/feed/language/pt/",
        expect(PERSONAS, 200, 200),
    ),
]
