"""Advice between organizations, through real requests to the pages: Sam (secretary of the
Metalworkers of São Paulo) advises the Korean Dockworkers, whose secretary Kim answers. Nobody
else learns anything of it: not Mo (member) or Olu (observer) of the sender, not Kit (member) of
the receiver, not Oscar (operator), not the inbox, e-mails, webhooks or the audit log of others."""

import pytest
from django.core import mail

from internationale.core.models import AuditEntry, Notice
from internationale.notifications.models import InboxEntry, WebhookDelivery
from internationale.statements.advice import advice_answer, advice_give
from internationale.statements.models import Advice

SUBJECT = "Talk to the port authority first"
TEXT = "Before the **strike**, ask the port authority for a meeting: it worked for us in 2019."


def give(sam, owner_org, other_org, **changes):  # type: ignore[no-untyped-def]
    values = {
        "actor": sam,
        "sender": owner_org,
        "receiver": other_org,
        "subject": SUBJECT,
        "text": TEXT,
    }
    values.update(changes)
    return advice_give(**values)


def post_advice(client, owner_org, **changes):  # type: ignore[no-untyped-def]
    data = {
        "sender": owner_org.pk,
        "receiver": "docks-kr",
        "subject": SUBJECT,
        "text": TEXT,
        "submission_key": "k1",
    }
    data.update(changes)
    return client.post("/statements/advice/new/", data)


def test_a_secretary_gives_advice_and_reads_it_as_sent(client_for, sam, kim, owner_org, other_org):
    response = post_advice(client_for(sam), owner_org)
    advice = Advice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/statements/advice/{advice.pk}/"
    assert (advice.sender, advice.receiver, advice.sent_by) == (owner_org, other_org, sam)
    page = client_for(sam).get(response["Location"]).content.decode()
    assert SUBJECT in page and "<strong>strike</strong>" in page
    assert "Under consideration" in page
    assert "Record the answer" not in page  # the sender does not answer


def test_the_receiver_is_found_by_its_exact_name_too(client_for, sam, owner_org, other_org):
    post_advice(client_for(sam), owner_org, receiver="korean dockworkers")
    assert Advice.objects.get().receiver == other_org


def test_a_name_two_organizations_share_asks_for_the_address(client_for, sam, owner_org, other_org):
    from internationale.organizations.tests.factories import OrganizationFactory

    OrganizationFactory(name="Dockers", slug="dockers-be", country="BE")
    OrganizationFactory(name="Dockers", slug="dockers-nl", country="NL")
    response = post_advice(client_for(sam), owner_org, receiver="DOCKERS")
    assert (
        "give the address of the one you mean (dockers-be, dockers-nl)" in response.content.decode()
    )
    assert not Advice.objects.exists()
    post_advice(client_for(sam), owner_org, receiver="dockers-nl")
    assert Advice.objects.get().receiver.slug == "dockers-nl"


def test_the_same_form_sent_twice_gives_one_piece_of_advice(client_for, sam, owner_org, other_org):
    client = client_for(sam)
    first = post_advice(client, owner_org)
    second = post_advice(client, owner_org)
    assert Advice.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"receiver": "nobody-here"}, "Choose the organization the advice goes to."),
        ({"receiver": "metal-sp"}, "Advice goes to another organization"),
        ({"receiver": "riders-new"}, "Advice goes only to a verified organization."),
        ({"text": "   "}, "This field is required."),
        ({"subject": ""}, "This field is required."),
        ({"subject": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_advice_is_refused_with_its_reason_and_nothing_is_sent(
    client_for, sam, owner_org, other_org, unverified_org, changes, message
):
    response = post_advice(client_for(sam), owner_org, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Advice.objects.exists()
    assert not AuditEntry.objects.filter(action="advice.give").exists()


def test_members_observers_and_outsiders_cannot_give_advice(
    client_for, mo, olu, nell, oscar, owner_org, other_org
):
    for person in (mo, olu, nell, oscar):
        assert client_for(person).get("/statements/advice/new/").status_code == 403
        assert post_advice(client_for(person), owner_org).status_code == 403
    assert not Advice.objects.exists()


def test_a_secretary_cannot_give_advice_in_the_name_of_an_organization_they_only_belong_to(
    client_for, kim, owner_org, other_org
):
    # Kim speaks for the dockworkers, not for the metalworkers: the choice refuses it.
    response = post_advice(client_for(kim), owner_org, receiver="metal-sp")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Advice.objects.exists()


def test_the_receiver_answers_changes_its_answer_and_the_sender_reads_it(
    client_for, sam, kim, owner_org, other_org
):
    advice = give(sam, owner_org, other_org)
    url = f"/statements/advice/{advice.pk}/"
    assert "Record the answer" in client_for(kim).get(url).content.decode()
    response = client_for(kim).post(url + "answer/", {"answer": "partly", "reason": "Not in May."})
    assert response.status_code == 302
    response = client_for(kim).post(url + "answer/", {"answer": "rejected", "reason": ""})
    advice.refresh_from_db()
    assert (advice.answer, advice.answer_reason, advice.answered_by) == ("rejected", "", kim)
    page = client_for(sam).get(url).content.decode()
    assert "Rejected" in page
    assert AuditEntry.objects.filter(action="advice.answer").count() == 2


def test_an_unknown_answer_or_an_answer_by_the_sender_changes_nothing(
    client_for, sam, ana, kim, owner_org, other_org
):
    advice = give(sam, owner_org, other_org)
    url = f"/statements/advice/{advice.pk}/answer/"
    response = client_for(kim).post(url, {"answer": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert client_for(sam).post(url, {"answer": "accepted"}).status_code == 403
    assert client_for(ana).post(url, {"answer": "maybe"}).status_code == 403
    advice.refresh_from_db()
    assert advice.answer == Advice.Answer.CONSIDERING and advice.answered_at is None


def test_nobody_but_the_two_organizations_speakers_finds_the_advice(
    client_for, sam, ana, kim, kai, mo, olu, kit, nell, oscar, owner_org, other_org
):
    advice = give(sam, owner_org, other_org)
    url = f"/statements/advice/{advice.pk}/"
    for person, slug in (
        (sam, "metal-sp"),
        (ana, "metal-sp"),
        (kim, "docks-kr"),
        (kai, "docks-kr"),
    ):
        assert client_for(person).get(url).status_code == 200
        assert SUBJECT in client_for(person).get(f"/statements/advice/of/{slug}/").content.decode()
    for person in (mo, olu, kit, nell, oscar):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).post(url + "answer/", {"answer": "accepted"}).status_code == 404
        for slug in ("metal-sp", "docks-kr"):
            assert client_for(person).get(f"/statements/advice/of/{slug}/").status_code == 404
    assert client_for().get(url).status_code == 302  # to sign in


def test_advice_sends_no_notice_inbox_entry_email_or_webhook(
    sam, kim, owner_org, other_org, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        advice = give(sam, owner_org, other_org)
        advice_answer(actor=kim, advice=advice, answer="accepted")
    work_off()
    assert not Notice.objects.exists()
    assert not InboxEntry.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert mail.outbox == []


def test_the_inbox_of_the_receiver_says_nothing_of_the_advice(
    client_for, sam, kit, kim, owner_org, other_org
):
    give(sam, owner_org, other_org)
    for person in (kit, kim):
        page = client_for(person).get("/inbox/docks-kr/")
        assert page.status_code == 200
        assert SUBJECT not in page.content.decode()


def test_an_unlisted_audit_kind_is_decided_on_the_organization():
    from internationale.core.audit import Confidential

    with pytest.raises(ValueError, match="unlisted"):
        Confidential(rule="statements.view_advice", wording=str, unlisted=True)


def test_the_audit_log_keeps_advice_from_operators_and_shows_it_to_the_admins(
    client_for, sam, ana, kai, kim, oscar, owner_org, other_org
):
    advice = give(sam, owner_org, other_org)
    advice_answer(actor=kim, advice=advice, answer="accepted")
    assert SUBJECT in client_for(ana).get("/organizations/metal-sp/audit/").content.decode()
    answered = client_for(kai).get("/organizations/docks-kr/audit/").content.decode()
    assert "Advice answered" in answered
    assert f"Metalworkers of São Paulo → Korean Dockworkers: {SUBJECT} (Accepted)" in answered
    for slug in ("metal-sp", "docks-kr"):
        page = client_for(oscar).get(f"/organizations/{slug}/audit/")
        assert page.status_code == 200
        text = page.content.decode()
        assert SUBJECT not in text and "Advice" not in text


def test_the_django_admin_does_not_list_advice(client, db):
    from django.contrib import admin

    assert Advice not in admin.site._registry


def test_the_history_lists_given_and_received_and_filters_by_answer(
    client_for, sam, kim, owner_org, other_org
):
    given = give(sam, owner_org, other_org, subject="Given one")
    received = give(kim, other_org, owner_org, subject="Received one")
    advice_answer(actor=sam, advice=received, answer="accepted")
    client = client_for(sam)
    page = client.get("/statements/advice/of/metal-sp/").content.decode()
    assert "Given one" in page and "Given to Korean Dockworkers" in page
    assert "Received one" in page and "Received from Korean Dockworkers" in page
    page = client.get("/statements/advice/of/metal-sp/?direction=received").content.decode()
    assert "Received one" in page and "Given one" not in page
    assert "still under consideration" not in page  # the one received is answered
    page = client.get("/statements/advice/of/metal-sp/?answer=considering").content.decode()
    assert "Given one" in page and "Received one" not in page
    page = client.get("/statements/advice/of/metal-sp/?answer=rejected").content.decode()
    assert "No advice fits this choice." in page
    assert given.pk != received.pk


def test_an_empty_history_says_so_and_the_organization_page_links_it_for_speakers_only(
    client_for, sam, mo, owner_org
):
    page = client_for(sam).get("/statements/advice/of/metal-sp/").content.decode()
    assert "has given and received no advice yet" in page
    assert "still under consideration" not in page
    assert (
        "/statements/advice/of/metal-sp/"
        in client_for(sam).get("/organizations/metal-sp/").content.decode()
    )
    assert (
        "/statements/advice/of/metal-sp/"
        not in client_for(mo).get("/organizations/metal-sp/").content.decode()
    )


def test_the_history_is_paginated(client_for, sam, owner_org, other_org):
    for n in range(23):
        give(sam, owner_org, other_org, subject=f"Advice number {n}")
    client = client_for(sam)
    first = client.get("/statements/advice/of/metal-sp/").content.decode()
    assert "Advice number 22" in first and "Advice number 2<" not in first
    assert "Page 1 of 2" in first
    second = client.get("/statements/advice/of/metal-sp/?page=2").content.decode()
    assert "Advice number 0" in second


def test_the_history_counts_the_advice_received_still_to_answer(
    client_for, sam, kim, owner_org, other_org
):
    give(sam, owner_org, other_org)
    give(sam, owner_org, other_org, subject="Another")
    page = client_for(kim).get("/statements/advice/of/docks-kr/").content.decode()
    assert "2 pieces of advice received are still under consideration." in page
