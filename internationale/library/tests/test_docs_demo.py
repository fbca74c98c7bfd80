"""The demo's library: documents in several languages, every visibility, and versions in every
status, one of them outdated."""

import pytest
from django.core import mail

from internationale.library.demo import DOCUMENTS, demo_documents
from internationale.library.models import DocumentAddressee
from internationale.translation.content import reading
from internationale.translation.models import LanguageVersion
from internationale.web.demo import load_demo


@pytest.fixture
def demo(db):
    assert load_demo() is True


def test_the_demo_library_spans_languages_and_statuses(demo, client):
    documents = {d.title: d for d in demo_documents()}
    assert len(documents) == len(DOCUMENTS)
    assert {d.language for d in documents.values()} >= {"pt", "en", "es", "fr", "ar"}
    assert {d.visibility for d in documents.values()} == {
        "public",
        "network",
        "addressed",
        "private",
    }
    assert set(LanguageVersion.objects.values_list("status", flat=True)) == {
        "machine",
        "reviewed",
        "human",
    }
    outdated = [
        (d.title, v.language)
        for d in documents.values()
        for v in LanguageVersion.objects.filter(object_id=d.pk)
        if reading(d, v.language).outdated
    ]
    assert len(outdated) == 1
    assert DocumentAddressee.objects.count() == 2
    page = client.get("/library/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le jumelage syndical" in page and "Ata da reunião" not in page
    # In English, the version a person wrote.
    page = client.get("/library/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Union twinning: principles and practice" in page


def test_demo_people_find_translation_requests_in_their_own_inbox(demo, client_for):
    from internationale.accounts.demo import demo_email
    from internationale.accounts.models import User

    lena, jiwoo, amara = (
        User.objects.get(email=demo_email(local)) for local in ("lena", "jiwoo", "amara")
    )
    page = client_for(lena).get("/notices/")
    assert "A translation asked for, from Spanish into English" in page.text
    assert "1 unread notice" in page.text.split("</header>")[0]
    # Ji-woo took the review he was asked for: read, nothing unread in his header.
    page = client_for(jiwoo).get("/notices/")
    assert "A machine translation to review, from Portuguese into English" in page.text
    assert "unread notice" not in page.text.split("</header>")[0]
    page = client_for(amara).get("/notices/")
    assert "A volunteer took the translation into English you asked for" in page.text
    assert "1 unread notice" in page.text.split("</header>")[0]
    assert mail.outbox == []  # the demo e-mails no one
