"""What the translation tests and permission-matrix cases point at, kept in `w.extra`:

- `document`: a public library document of the owning organization, written in Portuguese;
- `private_document`: a private one of the owning organization, in Portuguese;
- `addressed_document`: one addressed to the other organization (made when a case asks for it).
"""

from typing import Any

from internationale.library.models import Document

BODY = "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio."


def built(w: Any) -> dict[str, Any]:
    if "document" not in w.extra:
        for name, visibility in [("document", "public"), ("private_document", "private")]:
            w.extra[name] = Document.objects.create(
                organization=w.owner_org,
                kind="news",
                title="Greve na fábrica",
                body=BODY,
                language="pt",
                visibility=visibility,
            )
    return w.extra


def document(w: Any) -> int:
    return built(w)["document"].pk


def private_document(w: Any) -> int:
    return built(w)["private_document"].pk


def addressed_document(w: Any) -> int:
    from internationale.library.models import DocumentAddressee

    if "addressed_document" not in w.extra:
        found = Document.objects.create(
            organization=w.owner_org,
            kind="report",
            title="Plano de greve",
            body=BODY,
            language="pt",
            visibility="addressed",
        )
        DocumentAddressee.objects.create(document=found, organization=w.other_org)
        w.extra["addressed_document"] = found
    return int(w.extra["addressed_document"].pk)
