"""A person's own inbox: notices addressed to people one by one (the volunteers of a language pair,
the person who asked for a translation), shown on their page and in the API, e-mailed as each
chose, and never in an organization's inbox."""

import pytest
from django.core import mail
from django.utils import timezone

from internationale.library.models import Document, DocumentAddressee
from internationale.notifications.models import EmailPreference, PersonalEntry
from internationale.notifications.tasks import digests_send
from internationale.notifications.unread import unread_recount
from internationale.translation.content import source_hash
from internationale.translation.models import TranslationRequest, Volunteer
from internationale.translation.registry import original_texts

pytestmark = pytest.mark.django_db

# The server translates Portuguese into English itself: the volunteers are asked to review it.
ASKED = "A machine translation to review, from Portuguese into English"


@pytest.fixture
def plan(owner_org, other_org):
    """A document of the owning organization addressed to the other one only."""
    document = Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Plano de greve",
        body="Começamos na segunda-feira.",
        language="pt",
        visibility="addressed",
    )
    DocumentAddressee.objects.create(document=document, organization=other_org)
    return document


def volunteer(person):  # type: ignore[no-untyped-def]
    return Volunteer.objects.create(person=person, source_language="pt", target_language="en")


@pytest.fixture
def post(client_for, work_off, django_capture_on_commit_callbacks):
    """Post as a person, then let the worker do what the post queued (the notices)."""

    def post(person, path, data=None):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(person).post(path, data or {})
        work_off()
        return response

    return post


@pytest.fixture
def ask(post):
    def ask(person, document):  # type: ignore[no-untyped-def]
        post(
            person,
            "/translations/ask/",
            {"content": "library.document", "id": document.pk, "language": "en"},
        )
        return TranslationRequest.objects.get(object_id=document.pk, target_language="en")

    return ask


def test_a_volunteer_who_may_read_it_finds_the_request_in_their_own_inbox(
    ask, client_for, plan, mo, kit, uma, other_org
):
    volunteer(kit)  # of the organization it is addressed to
    volunteer(uma)  # of an organization it is not addressed to
    request = ask(mo, plan)

    page = client_for(kit).get("/notices/")
    assert ASKED in page.text and "1 unread" in page.text
    entry = PersonalEntry.objects.get(person=kit)
    opened = client_for(kit).get(f"/notices/{entry.pk}/")
    assert (
        opened.status_code == 302 and opened["Location"] == f"/translations/requests/{request.pk}/"
    )
    assert "unread" not in client_for(kit).get("/notices/").text.split("<h1>")[1].split("</h1>")[0]

    assert "Your inbox is empty." in client_for(uma).get("/notices/").text
    # No organization's inbox is told: the whole of kit's union does not volunteer.
    assert ASKED not in client_for(kit).get(f"/inbox/{other_org.slug}/").text


def test_the_requester_is_told_in_person_when_a_volunteer_takes_it_and_when_it_is_done(
    ask, post, client_for, plan, mo, kit, owner_org
):
    volunteer(kit)
    request = ask(mo, plan)
    post(kit, f"/translations/requests/{request.pk}/take/")
    titles = [e["title"] for e in client_for(mo).get("/api/v1/me/inbox").json()["items"]]
    assert titles == ["A volunteer took the translation into English you asked for"]

    post(
        kit,
        f"/translations/requests/{request.pk}/submit/",
        {
            "source_hash": source_hash(original_texts(plan)),
            "title": "Strike plan",
            "summary": "",
            "body": "We start on Monday.",
        },
    )
    items = client_for(mo).get("/api/v1/me/inbox?unread=true").json()
    assert items["count"] == 2
    assert items["items"][0]["title"] == "The translation into English you asked for was reviewed"
    assert ASKED not in client_for(mo).get(f"/inbox/{owner_org.slug}/").text


def test_each_person_is_emailed_as_they_chose_without_the_content(ask, plan, mo, kit, kim):
    volunteer(kit)
    volunteer(kim)
    EmailPreference.objects.create(user=kim, kind="translation.request", mode="off")
    ask(mo, plan)
    assert [m.to for m in mail.outbox] == [[kit.email]]
    message = mail.outbox[0]
    assert message.subject == (
        "[Internationale] A translation asked of the volunteers of your languages"
    )
    assert "Plano de greve" not in message.body and "/translations/requests/" in message.body
    # kim chose no e-mail of this kind: the inbox still has it.
    assert PersonalEntry.objects.filter(person=kim).exists()


def test_a_person_who_chose_the_digest_gets_it_there(ask, plan, mo, kit):
    volunteer(kit)
    EmailPreference.objects.create(user=kit, mode="digest")
    ask(mo, plan)
    assert mail.outbox == []
    assert digests_send() == 1
    assert "A translation asked of the volunteers of your languages" in mail.outbox[0].body


def test_the_inbox_is_paginated_marked_and_no_one_elses(
    client_for, mo, kit, django_assert_max_num_queries
):
    now = timezone.now()
    PersonalEntry.objects.bulk_create(
        PersonalEntry(
            person=mo,
            kind="notice",
            title=f"Note {n}",
            params={"title": f"Note {n}"},
            url="/",
            created_at=now,
        )
        for n in range(30)
    )
    client = client_for(mo)
    with django_assert_max_num_queries(12):
        first = client.get("/notices/")
    assert "30 unread" in first.text and "?page=2" in first.text
    assert client.get("/notices/?page=2").text.count('class="inbox-entry') == 5

    entry = PersonalEntry.objects.filter(person=mo).first()
    assert client.post(f"/api/v1/me/inbox/{entry.pk}/read").json()["is_read"] is True
    assert client.get("/api/v1/me/inbox?unread=true").json()["count"] == 29
    assert client.delete(f"/api/v1/me/inbox/{entry.pk}/read").json()["is_read"] is False
    # Someone else's entry does not exist for them; nothing changes.
    other = client_for(kit)
    assert other.post(f"/api/v1/me/inbox/{entry.pk}/read").status_code == 404
    assert other.get(f"/notices/{entry.pk}/").status_code == 404
    assert other.post(f"/notices/{entry.pk}/unread/").status_code == 404
    assert other.get("/api/v1/me/inbox").json()["count"] == 0
    assert client.get("/api/v1/me/inbox?unread=true").json()["count"] == 30


def test_an_empty_inbox_says_how_it_fills(client_for, nell):
    page = client_for(nell).get("/notices/?unread=1")
    assert "Nothing unread: you are up to date." in page.text
    assert "Volunteer to translate" in client_for(nell).get("/notices/").text


def _badge(page):  # type: ignore[no-untyped-def]
    """The count of unread notices in the page's header, as a screen reader announces it."""
    header = page.text.split("</header>")[0]
    if 'class="badge unread"' not in header:
        return None
    return header.split('class="badge unread"')[1].split('aria-label="')[1].split('"')[0]


def test_a_new_notice_shows_its_count_in_the_header_of_every_page_and_reading_it_clears_it(
    ask, client_for, plan, mo, kit, nell
):
    client = client_for(kit)
    assert _badge(client.get("/")) is None
    volunteer(kit)
    ask(mo, plan)

    home = client.get("/")
    assert _badge(home) == "1 unread notice"
    assert 'href="/notices/?unread=1"' in home.text.split("</header>")[0]
    assert _badge(client.get("/library/")) == "1 unread notice"
    # The header's shared parts are kept for everyone of the same language: not the count.
    assert _badge(client_for(nell).get("/")) is None

    entry = PersonalEntry.objects.get(person=kit)
    client.get(f"/notices/{entry.pk}/")
    assert _badge(client.get("/")) is None

    client.post(f"/notices/{entry.pk}/unread/")
    assert _badge(client.get("/")) == "1 unread notice"
    client.post(f"/api/v1/me/inbox/{entry.pk}/read")
    assert _badge(client.get("/")) is None


def test_the_header_counts_every_unread_notice_without_a_query_of_its_own(
    client_for, mo, django_assert_num_queries
):
    client = client_for(mo)
    client.get("/no-such-page/")  # the site's frame, kept for the next request
    with django_assert_num_queries(2):  # the signed-in floor: the session, then the person
        assert _badge(client.get("/no-such-page/")) is None
    PersonalEntry.objects.bulk_create(
        PersonalEntry(person=mo, kind="notice", title=f"Note {n}", url="/") for n in range(3)
    )
    unread_recount([mo.pk])
    with django_assert_num_queries(2):
        assert _badge(client.get("/no-such-page/")) == "3 unread notices"


def test_a_notice_counted_while_the_persons_account_is_saved_keeps_its_count(client_for, mo):
    # A whole save of the person (the operators' admin form, allauth's account changes) holds the
    # count it read at its start: a notice counted meanwhile must still show.
    read_before = type(mo).objects.get(pk=mo.pk)
    PersonalEntry.objects.create(person=mo, kind="notice", title="Counted meanwhile", url="/")
    unread_recount([mo.pk])
    read_before.name = "Mo of the dockers"
    read_before.save()
    assert _badge(client_for(mo).get("/no-such-page/")) == "1 unread notice"
