"""The issuing organization hears of every answer: Kim (secretary of the Korean dockworkers)
acknowledges, pledges, passes on and declines; the Metalworkers' inbox gets one entry each, their
admin and secretary (Ana, Sam) an e-mail each, and their webhook a call each."""

import json

import pytest
from django.core import mail

from internationale.appeals.models import Response
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory


@pytest.fixture
def hook(webhook_of, ana, owner_org):
    return webhook_of(ana, owner_org)


def answer(client, sent, other_org):  # type: ignore[no-untyped-def]
    OrganizationFactory(name="Hamburg Port Union", slug="hafen")
    org = {"organization": other_org.slug}
    base = f"/appeals/{sent.pk}"
    for url, data in [
        (f"{base}/acknowledge/", org),
        (f"{base}/acknowledge/", org),  # said twice, recorded once
        (f"{base}/decline/", {**org, "reason": "Our fund is empty."}),
        (
            f"{base}/pledge/",
            {**org, "forms": ["sympathy", "propaganda"], "description": "Letters, a statement."},
        ),
        (f"{base}/pass/", {**org, "to": "hafen"}),
    ]:
        assert client.post(url, data).status_code == 302, url


def test_each_answer_puts_one_entry_in_the_issuers_inbox_and_notifies_its_speakers_and_webhook(
    client_for, ana, sam, mo, kim, sent, other_org, owner_org, hook, work_off,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    work_off()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer(client_for(kim), sent, other_org)
    work_off()

    responses = list(Response.objects.filter(appeal=sent).order_by("pk"))
    assert [r.kind for r in responses] == ["acknowledged", "declined", "pledged", "passed"]
    entries = InboxEntry.objects.filter(organization=owner_org, kind="appeal.response")
    assert [e.source for e in entries.order_by("source_id")] == responses
    assert {(e.urgency, e.url) for e in entries} == {(sent.urgency, f"/appeals/{sent.pk}/summary/")}
    assert sorted(entries.values_list("title", flat=True)) == sorted(
        [
            f"Korean Dockworkers acknowledged: {sent.title}",
            "Korean Dockworkers pledged support (Propaganda: statements, publicity; Sympathy: "
            f"protest letters, messages, actions): {sent.title}",
            f"Korean Dockworkers passed it on to Hamburg Port Union: {sent.title}",
            f"Korean Dockworkers declined: {sent.title}",
        ]
    )
    assert entries.get(title__contains="declined").summary == "Our fund is empty."
    # Ana and Sam are e-mailed once per answer; Mo, a member, reads the inbox.
    to_issuer = sorted(a for m in mail.outbox for a in m.to if a.endswith("@metal.example"))
    assert to_issuer == ["ana@metal.example"] * 4 + ["sam@metal.example"] * 4
    events = [json.loads(r.body) for r in hook.received]
    assert sorted(e["key"] for e in events) == sorted(f"appeals.response:{r.pk}" for r in responses)
    assert {e["event"] for e in events} == {"appeal.response"}
    # An answer is confidential: what was pledged stays out of the webhook's payload.
    assert not any("Propaganda" in json.dumps(e) for e in events)
    # The answering organization is not told of its own answers.
    assert not InboxEntry.objects.filter(organization=other_org, kind="appeal.response").exists()


def test_a_pledge_through_the_api_notifies_the_issuer_once_even_when_sent_twice(
    client_for, kim, sent, owner_org, work_off, django_capture_on_commit_callbacks
):
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    body = json.dumps({"forms": ["propaganda"], "description": "A statement by our congress."})
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(kim).post(
                url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="once"
            )
        assert response.status_code == 201
    work_off()

    entry = InboxEntry.objects.get(organization=owner_org, kind="appeal.response")
    assert entry.summary == "A statement by our congress."
    assert entry.source == Response.objects.get(kind="pledged")
