"""Inbox entries about appeals: answers titled in each reader's language, and appeals that are
not public e-mailed and sent to webhooks without their content.

Sam (secretary, Metalworkers) issues the appeal; Kim (secretary, Korean Dockworkers) answers it."""

import json

import pytest
from django.core import mail
from django.utils import translation

from internationale.appeals.services import pledge_create
from internationale.core.notices import word
from internationale.notifications.models import InboxEntry

API = "/api/v1"


@pytest.fixture
def hook(webhook_of, kai, other_org):
    return webhook_of(kai, other_org)


def pledge(appeal, kim, other_org, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        pledge_create(
            actor=kim,
            appeal=appeal,
            organization=other_org,
            forms=["sympathy"],
            description="Protest letters from every branch, 400 of them.",
        )


def test_an_answer_is_titled_in_each_readers_language_on_the_page_and_in_the_api(
    client_for, ana, sam, kim, sent, other_org, owner_org, work_off,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    sam.language = "es"
    sam.save()
    ana.language = "fr"
    ana.save()
    work_off()
    mail.outbox.clear()
    pledge(sent, kim, other_org, django_capture_on_commit_callbacks)
    work_off()

    entry = InboxEntry.objects.get(organization=owner_org, kind="appeal.response")
    # The stored copy is in the server's language; each reader reads their own, the forms
    # pledged named in it.
    assert entry.title == (
        "Korean Dockworkers pledged support (Sympathy: protest letters, messages, actions): "
        f"{sent.title}"
    )
    spanish = "Acciones de solidaridad: cartas de protesta, mensajes, acciones"
    assert spanish in client_for(sam).get("/inbox/metal-sp/").content.decode()
    body = client_for(sam).get(f"{API}/organizations/metal-sp/inbox").json()
    assert spanish in body["items"][0]["title"]
    assert sent.title in body["items"][0]["title"]
    # What was pledged stays between the two organizations: each e-mail says, in its reader's
    # language, only that there is an answer, and where to read it.
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "sam@metal.example": "[Metalworkers of São Paulo] Una respuesta a su llamamiento",
        "ana@metal.example": "[Metalworkers of São Paulo] Une réponse à votre appel",
    }
    for message in mail.outbox:
        assert "Protest letters" not in message.body
        assert sent.title not in message.body


def test_a_pledge_told_before_pledges_named_their_forms_keeps_its_wording(db):
    params = {"kind": "pledged", "organization": "Korean Dockworkers", "title": "Lockout"}
    with translation.override("es"):
        assert word("appeal.response", params) == (
            "Korean Dockworkers se ha comprometido a apoyar: Lockout"
        )


def test_a_network_appeal_is_e_mailed_and_sent_to_webhooks_without_its_content(
    kim, sent, other_org, hook, work_off, settings
):
    work_off()

    to_kim = next(m for m in mail.outbox if m.to == ["kim@docks.example"])
    assert sent.title not in to_kim.subject + to_kim.body
    assert sent.text[:40] not in to_kim.body
    assert to_kim.subject == "[Korean Dockworkers] A new appeal"
    assert "sign in to read it" in to_kim.body
    [(html, _mimetype)] = to_kim.alternatives
    assert sent.title not in str(html)
    assert "sign in to read it" in str(html)
    assert f"{settings.SITE_URL}/appeals/{sent.pk}/" in to_kim.body
    [call] = hook.received
    payload = json.loads(call.body)
    assert payload["confidential"] is True
    assert payload["title"] == "A new appeal"
    assert payload["summary"] == ""
    assert sent.title not in payload.values()
    # In the inbox, on the platform, it is whole.
    entry = InboxEntry.objects.about(sent).get(organization=other_org)
    assert (entry.title, entry.confidential) == (sent.title, True)


def test_a_public_appeal_is_e_mailed_with_its_title_and_summary(
    kim, draft, sam, other_org, send, work_off
):
    draft.visibility = "public"
    draft.save()
    send(draft, sam, add=[other_org.pk])
    work_off()

    to_kim = next(m for m in mail.outbox if m.to == ["kim@docks.example"])
    assert to_kim.subject == f"[Korean Dockworkers] {draft.title}"
    assert draft.text[:40] in to_kim.body
