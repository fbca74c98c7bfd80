"""Permission-matrix cases for the API on library documents (see core/tests/matrix.py): 401 for
the anonymous visitor, 404 for what one may not read, 403 for what one reads but may not change.
They point at the documents of translation/tests/world.py and at an addressed document of the
owning organization, addressed to nobody yet, made here."""

from typing import Any

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect
from internationale.library.models import Document
from internationale.translation.tests.world import document, private_document


def addressed_document(w: Any) -> int:
    if "addressed_document" not in w.extra:
        w.extra["addressed_document"] = Document.objects.create(
            organization=w.owner_org,
            kind="report_back",
            title="Relatório da reunião",
            language="pt",
            visibility="addressed",
        )
    return int(w.extra["addressed_document"].pk)


def on_document(ok: int, readers: list[str]) -> dict[str, int]:
    """An action for the owning organization's speakers: 403 for the others who read the
    document, 404 for those who do not, 401 for the anonymous visitor."""
    result = {p: (403 if p in readers else 404) for p in PERSONAS}
    result["anonymous"] = 401
    result.update({p: ok for p in OWNER_SPEAKERS})
    return result


SIGNED_IN_OK = {**expect(PERSONAS, 200, 200), "anonymous": 401}

CASES = [
    Case("api:document_list", "GET", lambda w: "/api/v1/library/documents", SIGNED_IN_OK),
    Case(
        "api:document_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/documents",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {"kind": "news", "title": "Greve", "language": "pt"},
        json=True,
    ),
    Case(
        "api:document_detail",
        "GET",
        lambda w: f"/api/v1/library/documents/{document(w)}",
        SIGNED_IN_OK,
        note="public",
    ),
    Case(
        "api:document_detail",
        "GET",
        lambda w: f"/api/v1/library/documents/{private_document(w)}",
        expect(OWNERS, 200, 404, anonymous=401),
        note="private",
    ),
    Case(
        "api:document_update",
        "PATCH",
        lambda w: f"/api/v1/library/documents/{document(w)}",
        on_document(200, PERSONAS),
        data=lambda w: {"title": "Greve geral"},
        json=True,
    ),
    Case(
        "api:document_update",
        "PATCH",
        lambda w: f"/api/v1/library/documents/{private_document(w)}",
        on_document(200, OWNERS),
        data=lambda w: {"title": "Greve geral"},
        json=True,
        note="private",
    ),
    Case(
        "api:document_delete",
        "DELETE",
        lambda w: f"/api/v1/library/documents/{document(w)}",
        on_document(204, PERSONAS),
    ),
    Case(
        "api:document_addressee_list",
        "GET",
        lambda w: f"/api/v1/library/documents/{addressed_document(w)}/addressees",
        on_document(200, OWNERS),
    ),
    Case(
        "api:document_address",
        "POST",
        lambda w: f"/api/v1/library/documents/{addressed_document(w)}/addressees",
        on_document(201, OWNERS),
        data=lambda w: {"add": [w.other_org.slug]},
        json=True,
    ),
    Case("api:library_digest", "GET", lambda w: "/api/v1/library/digest", SIGNED_IN_OK),
    Case(
        "api:library_digest_set",
        "PUT",
        lambda w: "/api/v1/library/digest",
        SIGNED_IN_OK,
        data=lambda w: {"weekly": True, "kinds": ["news"], "languages": ["pt"]},
        json=True,
    ),
]
