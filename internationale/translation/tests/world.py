"""What the translation tests and permission-matrix cases point at, kept in `w.extra`:

- `document`: a public library document of the owning organization, written in Portuguese;
- `private_document`: a private one of the owning organization, in Portuguese.
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
