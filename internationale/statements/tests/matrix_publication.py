"""Permission-matrix cases for publication, pages and API (see matrix.py): the public list and
feed, the printable page, the language versions. They point at `published`: a public adopted
statement of the owning organization (the other one took part and signed), with a version in
French; and at the draft of matrix_world.py, which has no printable page nor published form.

An adopted public statement is seen by everyone: the pages that enter language versions answer
403 to all but the initiator's speakers (Sam, Ana), and send the anonymous visitor to sign in; the
API answers it 401."""

from typing import Any

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect
from internationale.statements.translations import translation_add

from .matrix_world import PARAGRAPHS, built, statement
from .publication_world import adopt

SPANISH = [
    "El derecho de huelga es un derecho fundamental de todo trabajador.",
    "Condenamos las detenciones de sindicalistas en el puerto de Santos.",
    "Llamamos a todas las organizaciones a enviar mensajes de solidaridad.",
]
FRENCH = [f"(fr) {p}" for p in PARAGRAPHS]


def published(w: Any) -> int:
    if "published" not in w.extra:
        from internationale.addressing.routing import Criteria
        from internationale.statements.services import statement_create

        from .matrix_world import deadlines

        built(w)
        adopted = statement_create(
            actor=w.people["sam"],
            organization=w.owner_org,
            title="Solidarity with the dockworkers",
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[w.other_org.pk]),
            **deadlines(),
        )
        adopt(adopted, w.owner_org, w.other_org)
        translation_add(
            actor=w.people["sam"],
            statement=adopted,
            language="fr",
            title="Solidarité avec les dockers",
            paragraphs=FRENCH,
        )
        w.extra["published"] = adopted
    return w.extra["published"].pk


def page(template: str, ref=published):  # type: ignore[no-untyped-def]
    return lambda w: template.format(ref(w))


def api(template: str, ref=published):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(ref(w))


EVERYONE = expect(PERSONAS, 200, 200)
NOT_ALLOWED = expect([], 405, 405)
# Entering versions: the initiator's speakers; all others see the statement (403); sign in (302).
TRANSLATE = {**expect(OWNER_SPEAKERS, 200, 403), "anonymous": 302}
TRANSLATED = {**expect(OWNER_SPEAKERS, 302, 403), "anonymous": 302}
API_WRITE = {**expect(OWNER_SPEAKERS, 200, 403), "anonymous": 401}


def spanish(w: Any) -> dict[str, str]:
    return {"language": "es", "title": "Solidaridad", "text": "\n\n".join(SPANISH)}


CASES = [
    Case("statement_published", "GET", lambda w: "/statements/published/", EVERYONE),
    Case("statement_published", "POST", lambda w: "/statements/published/", NOT_ALLOWED),
    Case("statement_feed", "GET", lambda w: "/statements/feed/", EVERYONE),
    Case("statement_detail", "GET", page("/statements/{}/?lang=fr"), EVERYONE),
    Case("statement_print", "GET", page("/statements/{}/print/?lang=fr"), EVERYONE),
    Case("statement_print", "GET", page("/statements/{}/print/", statement), expect([], 200, 404)),
    Case("statement_print", "POST", page("/statements/{}/print/"), NOT_ALLOWED),
    Case("statement_translation_add", "GET", page("/statements/{}/translations/new/"), TRANSLATE),
    Case(
        "statement_translation_add",
        "POST",
        page("/statements/{}/translations/new/"),
        TRANSLATED,
        data=spanish,
    ),
    Case(
        "statement_translation_edit",
        "GET",
        page("/statements/{}/translations/fr/edit/"),
        TRANSLATE,
    ),
    Case(
        "statement_translation_edit",
        "POST",
        page("/statements/{}/translations/fr/edit/"),
        TRANSLATED,
        data=lambda w: {"title": "Solidarité", "text": "\n\n".join(FRENCH)},
    ),
    Case(
        "statement_translation_remove",
        "GET",
        page("/statements/{}/translations/fr/remove/"),
        TRANSLATE,
    ),
    Case(
        "statement_translation_remove",
        "POST",
        page("/statements/{}/translations/fr/remove/"),
        TRANSLATED,
    ),
]

API = [
    Case("api:statement_published_list", "GET", lambda w: "/api/v1/statements/published", EVERYONE),
    Case("api:statement_published_detail", "GET", api("/statements/published/{}"), EVERYONE),
    Case(
        "api:statement_published_detail",
        "GET",
        api("/statements/published/{}", statement),
        expect([], 200, 404),
    ),
    Case(
        "api:statement_translation_add",
        "POST",
        api("/statements/{}/translations"),
        {**API_WRITE, "sam": 201, "ana": 201},
        data=lambda w: {"language": "es", "title": "Solidaridad", "paragraphs": SPANISH},
        json=True,
    ),
    Case(
        "api:statement_translation_change",
        "PUT",
        api("/statements/{}/translations/fr"),
        API_WRITE,
        data=lambda w: {"title": "Solidarité", "paragraphs": FRENCH},
        json=True,
    ),
    Case(
        "api:statement_translation_remove",
        "DELETE",
        api("/statements/{}/translations/fr"),
        {**API_WRITE, "sam": 204, "ana": 204},
    ),
]
