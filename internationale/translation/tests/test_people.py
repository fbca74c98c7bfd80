"""The people who translate: volunteering for language pairs, requests that reach only the
volunteers who may read the content, taken by one, translated or corrected side by side with the
original, and credited; the reviewed version replaces the machine's on the content's page."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from internationale.core.models import AuditEntry, Notice
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.library.models import Document, DocumentAddressee
from internationale.translation import people
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion, TranslationRequest, Volunteer
from internationale.translation.registry import original_texts

pytestmark = pytest.mark.django_db

BODY = "Os trabalhadores da fábrica estão em greve desde segunda-feira."


@pytest.fixture
def greve(owner_org):
    return Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Greve na fábrica",
        body=BODY,
        language="pt",
        visibility="public",
    )


@pytest.fixture
def addressed(owner_org, other_org):
    """A document of the owning organization addressed to the other one only."""
    document = Document.objects.create(
        organization=owner_org,
        kind="report",
        title="Plano de greve",
        body="Começamos na segunda-feira.",
        language="pt",
        visibility="addressed",
    )
    DocumentAddressee.objects.create(document=document, organization=other_org)
    return document


def volunteer(person, source="pt", target="en"):  # type: ignore[no-untyped-def]
    return Volunteer.objects.create(person=person, source_language=source, target_language=target)


@pytest.fixture
def ask(client_for, django_capture_on_commit_callbacks):
    def ask(person, document, language="en"):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            client_for(person).post(
                "/translations/ask/",
                {"content": "library.document", "id": document.pk, "language": language},
            )
        return TranslationRequest.objects.get(object_id=document.pk, target_language=language)

    return ask


def api(client, method, path, body=None):  # type: ignore[no-untyped-def]
    send = getattr(client, method)
    if body is None:
        return send(f"/api/v1{path}")
    return send(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


# Volunteering -----------------------------------------------------------------------------------


def test_a_member_volunteers_for_a_pair_and_stops(client_for, mo):
    client = client_for(mo)
    assert "You do not volunteer for any pair yet." in client.get("/translations/volunteer/").text
    response = client.post(
        "/translations/volunteer/", {"source_language": "pt-BR", "target_language": "en"}
    )
    assert response.status_code == 302
    page = client.get("/translations/volunteer/").text
    assert "From Portuguese (Brazil) into English" in page
    pair = Volunteer.objects.get(person=mo)
    confirm = client.get(f"/translations/volunteer/{pair.pk}/remove/")
    assert "You will no longer be told of requests" in confirm.text
    assert Volunteer.objects.filter(person=mo).exists()  # asking is not removing
    client.post(f"/translations/volunteer/{pair.pk}/remove/")
    assert not Volunteer.objects.filter(person=mo).exists()
    assert list(
        AuditEntry.objects.filter(actor=mo).order_by("pk").values_list("action", flat=True)
    ) == ["translation.volunteer_add", "translation.volunteer_remove"]


def test_a_pair_twice_or_of_one_language_is_refused_on_the_page(client_for, mo):
    volunteer(mo, "pt", "en")
    client = client_for(mo)
    again = client.post(
        "/translations/volunteer/", {"source_language": "pt-BR", "target_language": "en"}
    )
    assert again.status_code == 400 and "You already volunteer for this pair." in again.text
    same = client.post(
        "/translations/volunteer/", {"source_language": "pt", "target_language": "pt-PT"}
    )
    assert same.status_code == 400 and "Choose two different languages." in same.text
    assert Volunteer.objects.filter(person=mo).count() == 1


def test_volunteer_pairs_through_the_api(client_for, kit):
    client = client_for(kit)
    created = api(
        client,
        "post",
        "/translation/volunteer/pairs",
        {"source_language": "pt", "target_language": "en"},
    )
    assert created.status_code == 201 and created.json()["target_language"] == "en"
    listed = api(client, "get", "/translation/volunteer/pairs").json()
    assert listed["count"] == 1 and listed["items"][0]["source_language"] == "pt"
    bad = api(
        client,
        "post",
        "/translation/volunteer/pairs",
        {"source_language": "xx-!!", "target_language": "en"},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"source_language": ["Choose a language."]}
    assert (
        api(client, "delete", f"/translation/volunteer/pairs/{created.json()['id']}").status_code
        == 204
    )
    assert not Volunteer.objects.filter(person=kit).exists()


def test_someone_elses_pair_cannot_be_removed(client_for, kit, kim):
    pair = volunteer(kit)
    assert (
        api(client_for(kim), "delete", f"/translation/volunteer/pairs/{pair.pk}").status_code == 404
    )
    assert client_for(kim).post(f"/translations/volunteer/{pair.pk}/remove/").status_code == 404
    assert Volunteer.objects.filter(pk=pair.pk).exists()


# Who is told, who sees --------------------------------------------------------------------------


def test_only_volunteers_who_may_read_the_content_are_told_of_a_request(
    ask, addressed, mo, kit, uma, other_org
):
    volunteer(kit)  # of the organization the document is addressed to
    volunteer(uma)  # of an organization it is not addressed to
    volunteer(kit, "pt", "fr")  # another pair
    request = ask(mo, addressed)
    notice = Notice.objects.get(kind="translation.request")
    assert notice.source_id == request.pk
    assert (notice.person_ids, notice.organization_ids) == ([kit.pk], [])


@pytest.fixture
def outside_org(db):
    """A verified organization the addressed document is not addressed to."""
    from internationale.organizations.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Riders of Lisbon", country="PT")


def _join(person, organization, role="member"):  # type: ignore[no-untyped-def]
    from internationale.organizations.models import Membership

    Membership.objects.create(user=person, organization=organization, role=role)


def test_a_volunteer_is_told_in_person_and_no_organization_inbox_is(
    ask, addressed, mo, kit, other_org, outside_org
):
    # kit reads the document through the organization it is addressed to; the people of kit's
    # other organization may not read it: no organization's inbox is told of it, kit's own is.
    _join(kit, outside_org)
    volunteer(kit)
    ask(mo, addressed)
    notice = Notice.objects.get(kind="translation.request")
    assert (notice.person_ids, notice.organization_ids) == ([kit.pk], [])


def test_network_content_is_announced_to_volunteers_of_verified_organizations_only(
    ask, greve, mo, kit, uma, other_org, unverified_org
):
    greve.visibility = "network"
    greve.save()
    _join(kit, unverified_org)
    volunteer(kit)
    volunteer(uma)  # of the unverified organization only
    ask(mo, greve)
    assert Notice.objects.get(kind="translation.request").person_ids == [kit.pk]


def test_a_private_document_is_announced_to_volunteers_of_its_own_organization_only(
    ask, greve, sam, mo, kit, owner_org, other_org
):
    greve.visibility = "private"
    greve.save()
    _join(mo, other_org)  # mo belongs to the owner too: reads it, told through the owner only
    volunteer(mo)
    volunteer(kit)  # of the other organization only: may not read it
    ask(sam, greve)
    assert Notice.objects.get(kind="translation.request").person_ids == [mo.pk]


def test_no_notice_when_no_volunteer_may_read_it(ask, addressed, mo, uma):
    volunteer(uma)
    ask(mo, addressed)
    assert not Notice.objects.filter(kind="translation.request").exists()


def test_the_done_notice_reaches_the_requester_in_person(
    ask, addressed, mo, kit, owner_org, outside_org, settings
):
    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    _join(mo, outside_org)
    volunteer(kit)
    request = ask(mo, addressed)
    people.request_take(actor=kit, request=request)
    people.request_submit(
        actor=kit,
        request=request,
        texts={"title": "Strike plan", "summary": "", "body": "We start on Monday."},
    )
    done = Notice.objects.get(kind="translation.done")
    assert (done.person_ids, done.organization_ids) == ([mo.pk], [])


def test_people_who_may_not_read_the_content_never_see_the_request(
    ask, client_for, addressed, mo, kit, uma
):
    volunteer(kit)
    volunteer(uma)
    request = ask(mo, addressed)
    seen = client_for(kit).get("/translations/requests/").text
    assert "Plano de greve" in seen
    outsider = client_for(uma)
    page = outsider.get("/translations/requests/").text
    assert "Plano de greve" not in page and "No request is waiting in your languages." in page
    assert outsider.get(f"/translations/requests/{request.pk}/").status_code == 404
    assert api(outsider, "get", "/translation/requests").json() == {"items": [], "count": 0}
    assert api(outsider, "get", f"/translation/requests/{request.pk}").status_code == 404
    taking = api(outsider, "post", f"/translation/requests/{request.pk}/take")
    assert taking.status_code == 404
    request.refresh_from_db()
    assert request.status == "open" and request.taken_by is None


def test_the_list_of_requests_is_paginated_and_has_an_empty_state(client_for, kit, owner_org):
    assert "add one to see the requests" in client_for(kit).get("/translations/requests/").text
    volunteer(kit)
    documents = ContentType.objects.get_for_model(Document)
    for n in range(25):
        document = Document.objects.create(
            organization=owner_org, kind="news", title=f"Notícia {n}", language="pt"
        )
        TranslationRequest.objects.create(
            content_type=documents,
            object_id=document.pk,
            source_language="pt",
            target_language="en",
            kind="translate",
        )
    first = client_for(kit).get("/translations/requests/")
    assert "Page 1 of 2" in first.text and first.text.count("Notícia") == 20
    second = client_for(kit).get("/translations/requests/?page=2")
    assert second.text.count("Notícia") == 5
    assert api(client_for(kit), "get", "/translation/requests?limit=10").json()["count"] == 25


# Reviewing and translating ----------------------------------------------------------------------


def test_a_volunteer_reviews_the_machine_version_and_it_replaces_it_on_the_page(
    ask, client_for, greve, mo, kit, owner_org, work_off
):
    volunteer(kit)
    machine_page = client_for(mo).get(f"/library/{greve.pk}/?lang=en")
    assert "Ask for a translation into my language" in machine_page.text
    request = ask(mo, greve)
    work_off()
    machine = LanguageVersion.objects.get(object_id=greve.pk, language="en")
    assert machine.status == "machine" and request.kind == "review"
    assert (
        "Ask a volunteer to review it" in client_for(mo).get(f"/library/{greve.pk}/?lang=en").text
    )

    translator = client_for(kit)
    assert translator.post(f"/translations/requests/{request.pk}/take/").status_code == 302
    page = translator.get(f"/translations/requests/{request.pk}/")
    assert 'class="side-by-side"' in page.text
    assert BODY in page.text  # the original, beside
    assert machine.texts["body"] in page.text  # the machine's, to correct
    response = translator.post(
        f"/translations/requests/{request.pk}/submit/",
        {
            "source_hash": source_hash(original_texts(greve)),
            "title": "Strike at the factory",
            "summary": "",
            "body": "Since Monday, the workers of the factory are on strike: we ask for your support.",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/library/{greve.pk}/"

    version = LanguageVersion.objects.get(object_id=greve.pk, language="en")
    assert (version.status, version.translated_by) == ("reviewed", kit)
    assert version.source_hash == source_hash(original_texts(greve))
    shown = client_for(mo).get(f"/library/{greve.pk}/?lang=en").text
    assert (
        "Since Monday, the workers of the factory are on strike: we ask for your support." in shown
    )
    assert "Machine translation reviewed by" in shown and machine.texts["body"] not in shown
    request.refresh_from_db()
    assert request.status == "done" and request.done_at is not None
    done = Notice.objects.get(kind="translation.done")
    assert done.person_ids == [mo.pk]
    assert set(
        AuditEntry.objects.filter(target_id=str(request.pk)).values_list("action", flat=True)
    ) == {"translation.request_ask", "translation.request_take", "translation.request_submit"}


def test_a_translation_through_the_api_is_written_by_a_person(client_for, greve, mo, kit, settings):
    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    volunteer(kit, "pt", "es")
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="es",
        kind="translate",
        requested_by=mo,
    )
    client = client_for(kit)
    taken = api(client, "post", f"/translation/requests/{request.pk}/take").json()
    assert taken["status"] == "taken" and taken["taken_by_me"]
    work = taken["work"]
    assert work["texts"]["body"] == BODY and work["draft"]["body"] == ""
    missing = api(
        client,
        "post",
        f"/translation/requests/{request.pk}/submit",
        {"texts": {"title": "Huelga en la fábrica"}, "source_hash": work["source_hash"]},
    )
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"body": ["Translate this text too."]}
    assert not LanguageVersion.objects.filter(object_id=greve.pk, language="es").exists()
    sent = api(
        client,
        "post",
        f"/translation/requests/{request.pk}/submit",
        {
            "texts": {"title": "Huelga en la fábrica", "body": "Los obreros están en huelga."},
            "source_hash": work["source_hash"],
        },
    )
    assert sent.status_code == 200 and sent.json()["status"] == "human"
    version = LanguageVersion.objects.get(object_id=greve.pk, language="es")
    assert version.translated_by == kit and version.texts["body"] == "Los obreros están en huelga."


def test_a_review_by_someone_not_volunteering_for_the_pair_is_refused(
    client_for, greve, mo, sam, kit
):
    volunteer(sam, "pt", "fr")  # not this pair
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="review",
        requested_by=mo,
    )
    page = client_for(sam).post(f"/translations/requests/{request.pk}/take/")
    assert page.status_code == 403
    assert "Only volunteers who translate from Portuguese into English may do this" in page.text
    through_api = api(client_for(sam), "post", f"/translation/requests/{request.pk}/take")
    assert through_api.status_code == 403
    assert "Only volunteers who translate" in through_api.json()["detail"]
    volunteer(kit)
    api(client_for(kit), "post", f"/translation/requests/{request.pk}/take")
    submitted = api(
        client_for(sam),
        "post",
        f"/translation/requests/{request.pk}/submit",
        {"texts": {"title": "Strike", "body": "On strike."}},
    )
    assert submitted.status_code == 403
    request.refresh_from_db()
    assert (request.status, request.taken_by) == ("taken", kit)
    assert not LanguageVersion.objects.filter(object_id=greve.pk).exists()


def test_taking_a_request_already_taken_says_so(client_for, greve, mo, kit, kim):
    volunteer(kit)
    volunteer(kim)
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="translate",
        requested_by=mo,
    )
    assert (
        api(client_for(kit), "post", f"/translation/requests/{request.pk}/take").status_code == 200
    )
    second = api(client_for(kim), "post", f"/translation/requests/{request.pk}/take")
    assert second.status_code == 400
    assert second.json()["detail"] == "Another volunteer has already taken this request."
    page = client_for(kim).post(f"/translations/requests/{request.pk}/take/")
    assert page.status_code == 400 and "Another volunteer has already taken" in page.text
    request.refresh_from_db()
    assert request.taken_by == kit


def test_a_translation_of_an_original_changed_meanwhile_is_refused(client_for, greve, mo, kit):
    volunteer(kit)
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="translate",
        requested_by=mo,
    )
    client = client_for(kit)
    client.post(f"/translations/requests/{request.pk}/take/")
    seen = source_hash(original_texts(greve))
    greve.body = "A greve terminou ontem."
    greve.save()
    response = client.post(
        f"/translations/requests/{request.pk}/submit/",
        {"source_hash": seen, "title": "Strike", "body": "On strike since Monday."},
    )
    assert response.status_code == 400 and "The original has changed since you opened it" in (
        response.text
    )
    assert not LanguageVersion.objects.filter(object_id=greve.pk).exists()


def test_a_volunteer_gives_a_request_back_and_the_requester_withdraws_it(
    client_for, greve, mo, kit
):
    volunteer(kit)
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="translate",
        requested_by=mo,
    )
    client_for(kit).post(f"/translations/requests/{request.pk}/take/")
    client_for(kit).post(f"/translations/requests/{request.pk}/release/")
    request.refresh_from_db()
    assert (request.status, request.taken_by) == ("open", None)
    confirm = client_for(mo).get(f"/translations/requests/{request.pk}/withdraw/")
    assert "Withdraw your request for a translation" in confirm.text
    client_for(mo).post(f"/translations/requests/{request.pk}/withdraw/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    late = api(client_for(kit), "post", f"/translation/requests/{request.pk}/take")
    assert late.status_code == 400 and late.json()["detail"] == "This request was withdrawn."
    mine = client_for(mo).get("/translations/requests/mine/").text
    assert "Greve na fábrica" in mine and "Withdrawn" in mine


def test_stopping_volunteering_gives_back_the_requests_one_took(client_for, greve, mo, kit):
    pair = volunteer(kit)
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="translate",
        requested_by=mo,
    )
    client_for(kit).post(f"/translations/requests/{request.pk}/take/")
    client_for(kit).post(f"/translations/volunteer/{pair.pk}/remove/")
    request.refresh_from_db()
    assert (request.status, request.taken_by) == ("open", None)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_four_volunteers_taking_a_request_at_once_leave_it_to_one(greve, mo, kit, kim, kai, sam):
    for who in (kit, kim, kai, sam):
        volunteer(who)
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=greve.pk,
        source_language="pt",
        target_language="en",
        kind="translate",
        requested_by=mo,
    )
    outcomes = concurrently(
        *(
            (lambda who=who: people.request_take(actor=who, request=request))
            for who in (kit, kim, kai, sam)
        )
    )
    taken = [o for o in outcomes if isinstance(o, TranslationRequest)]
    assert len(taken) == 1, outcomes
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert [e.messages for e in refused] == [
        ["Another volunteer has already taken this request."]
    ] * 3
    request.refresh_from_db()
    assert request.taken_by == taken[0].taken_by
    assert AuditEntry.objects.filter(action="translation.request_take").count() == 1


# Asking: who may, and how often ------------------------------------------------------------------


@pytest.fixture
def ask_limit(settings):
    """Two asks an hour per person (production reads TRANSLATION_ASKS_PER_HOUR; the test settings
    turn the limits off)."""
    from django.core.cache import cache

    settings.ACCOUNT_RATE_LIMITS = {"translation_ask": "2/h/user"}
    cache.clear()
    yield
    cache.clear()


def _document(organization, title):  # type: ignore[no-untyped-def]
    return Document.objects.create(
        organization=organization, kind="news", title=title, body=BODY, language="pt"
    )


def test_a_person_asking_too_often_is_told_to_wait_and_nothing_is_asked(
    client_for, mo, kit, owner_org, ask_limit, settings
):
    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    volunteer(kit)
    documents = [_document(owner_org, f"Notícia {n}") for n in range(3)]
    client = client_for(mo)
    for document in documents[:2]:
        client.post(
            "/translations/ask/",
            {"content": "library.document", "id": document.pk, "language": "en"},
        )
    assert TranslationRequest.objects.count() == 2
    third = client.post(
        "/translations/ask/",
        {"content": "library.document", "id": documents[2].pk, "language": "en"},
        follow=True,
    )
    assert "You have asked for many translations in a short time" in third.text
    assert TranslationRequest.objects.count() == 2
    assert Notice.objects.filter(kind="translation.request").count() == 2
    assert not AuditEntry.objects.filter(target_id=str(documents[2].pk)).exists()
    # The limit is each person's: another reader still asks.
    people.translation_ask(actor=kit, obj=documents[2], language="es")
    assert TranslationRequest.objects.count() == 3


def test_an_ask_that_asks_nothing_is_not_counted(greve, mo, kit, ask_limit):
    LanguageVersion.objects.create(
        original=greve, language="en", texts={"title": "Strike"}, status="human", source_hash="x"
    )
    for _ in range(3):
        assert people.translation_ask(actor=mo, obj=greve, language="en") is None
    with pytest.raises(ValidationError) as refused:
        people.translation_ask(actor=mo, obj=greve, language="pt-BR")
    assert refused.value.error_dict["language"][0].code == "original"
    people.translation_ask(actor=mo, obj=greve, language="fr")  # still within the limit


def test_asking_for_content_one_may_not_read_is_refused_as_missing(addressed, uma, kit, nell):
    from django.http import Http404

    for outsider in (uma, nell):
        with pytest.raises(Http404):
            people.translation_ask(actor=outsider, obj=addressed, language="en")
    assert not TranslationRequest.objects.exists()
    assert kit.has_perm("translation.ask", addressed)
    assert not uma.has_perm("translation.ask", addressed)
    assert not nell.has_perm("translation.ask", addressed)


def test_announcing_a_request_costs_no_more_for_many_volunteers_than_for_one(
    addressed, mo, kit, owner_org, other_org, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    volunteer(kit)

    def asking(document):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            people.translation_ask(actor=mo, obj=document, language="en")
        return len(queries)

    one = asking(addressed)
    second = Document.objects.create(
        organization=owner_org,
        kind="report",
        title="Outro",
        body=BODY,
        language="pt",
        visibility="addressed",
    )
    DocumentAddressee.objects.create(document=second, organization=other_org)
    for n in range(12):  # volunteers of twelve more organizations it is addressed to
        org = OrganizationFactory(name=f"Union {n}")
        DocumentAddressee.objects.create(document=second, organization=org)
        volunteer(MembershipFactory(organization=org).user)
    # No more for thirteen volunteers than for one (the first ask also reads what is kept after).
    assert asking(second) <= one
    notice = Notice.objects.filter(kind="translation.request").latest("pk")
    assert len(notice.person_ids) == 13


# Asking through the API --------------------------------------------------------------------------


def test_a_reader_asks_for_a_translation_through_the_api_and_the_volunteers_are_asked(
    client_for, greve, mo, kit, settings, django_capture_on_commit_callbacks
):
    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    volunteer(kit, "pt", "es")
    client = client_for(mo)
    body = {"content": "library.document", "content_id": greve.pk, "language": "es"}
    with django_capture_on_commit_callbacks(execute=True):
        asked = api(client, "post", "/translation/requests", body)
    assert asked.status_code == 200
    answer = asked.json()
    assert answer["asked"] == "translate"
    assert "No translation model on this server translates pt into es" in answer["detail"]
    request = TranslationRequest.objects.get()
    assert answer["request"]["id"] == request.pk
    assert answer["request"]["asked_by_me"] and answer["request"]["status"] == "open"
    assert request.requested_by == mo and request.target_language == "es"
    assert Notice.objects.get(kind="translation.request").person_ids == [kit.pk]
    # Asking again joins the open request.
    again = api(client, "post", "/translation/requests", body).json()
    assert again["request"]["id"] == request.pk
    assert TranslationRequest.objects.count() == 1


def test_asking_through_the_api_with_an_idempotency_key_twice_asks_once_and_counts_once(
    client_for, owner_org, mo, kit, ask_limit, settings
):
    settings.INTERNATIONALE_TRANSLATION_BACKENDS = []
    volunteer(kit)
    documents = [_document(owner_org, f"Notícia {n}") for n in range(2)]
    client = client_for(mo)

    def ask(document, key):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/translation/requests",
            data=json.dumps(
                {"content": "library.document", "content_id": document.pk, "language": "en"}
            ),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    first = ask(documents[0], "k1")
    for _ in range(3):  # sent again: the same answer, not counted against the limit
        repeat = ask(documents[0], "k1")
        assert repeat.status_code == 200
        assert repeat.json()["request"]["id"] == first.json()["request"]["id"]
    conflict = ask(documents[1], "k1")
    assert conflict.status_code == 409
    assert TranslationRequest.objects.count() == 1
    assert ask(documents[1], "k2").status_code == 200
    assert TranslationRequest.objects.count() == 2
    refused = ask(_document(owner_org, "Notícia 3"), "k3")
    assert refused.status_code == 400
    assert "You have asked for many translations in a short time" in refused.json()["detail"]
    assert TranslationRequest.objects.count() == 2


def test_asking_through_the_api_for_what_one_may_not_read_or_badly_is_refused_and_asks_nothing(
    client_for, addressed, greve, uma, kit, mo
):
    for who, content, pk in [
        (uma, "library.document", addressed.pk),  # addressed to another organization
        (kit, "library.document", 999999),  # no such document
        (kit, "library.unknown", greve.pk),  # no such kind of content
        (kit, "organizations.organization", addressed.organization_id),  # not translatable
    ]:
        answer = api(
            client_for(who),
            "post",
            "/translation/requests",
            {"content": content, "content_id": pk, "language": "en"},
        )
        assert answer.status_code == 404, (content, pk)
    client = client_for(mo)
    original = api(
        client,
        "post",
        "/translation/requests",
        {"content": "library.document", "content_id": greve.pk, "language": "pt-BR"},
    )
    assert original.status_code == 400
    assert original.json()["errors"] == {"language": ["This is the original's language."]}
    unknown = api(
        client,
        "post",
        "/translation/requests",
        {"content": "library.document", "content_id": greve.pk, "language": "xx_1"},
    )
    assert unknown.status_code == 400 and "language" in unknown.json()["errors"]
    missing = api(client, "post", "/translation/requests", {"content": "library.document"})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {"content_id", "language"}
    assert not TranslationRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="translation.request_ask").exists()
