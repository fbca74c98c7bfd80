"""The inbox's robustness: what a pending organization sends while it is being accepted is not
left held for good; an `Update` that comes before its `Create` is applied once the `Create` comes,
with the translations it carries; a server blocked by every organization it names cannot tell
from the answer; the organizations a remote appeal is dropped for are audited; a block of an
actor that could not be fetched is told once it can be; a held activity refused keeps its code."""

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from internationale.appeals.models import Appeal
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import needs_row_locks
from internationale.federation import blocks, moving
from internationale.federation.delivery import deliver_due
from internationale.federation.held import act_on_held
from internationale.federation.models import Block, ReceivedActivity
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.translation.models import LanguageVersion

from .conftest import DOCKS, INBOX, METAL, article, create, handle, received
from .remote_server import key_pair

SHARED = "/federation/inbox"
FRENCH = "<p>Le terminal a mis 400 dockers en lock-out.</p>"

pytestmark = pytest.mark.django_db


def test_an_appeal_arriving_while_its_organization_is_accepted_is_not_left_held(
    client, rotterdam, oscar, owner_org, work_off, monkeypatch, django_capture_on_commit_callbacks
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))  # waiting in the queue
    checked = moving.checked

    def accepted_meanwhile(activity: Any, actor: str) -> Any:
        # The operator accepts the port workers, and the run of what they held is over, while
        # their appeal is being checked by the inbox (after its signature, before its record).
        with django_capture_on_commit_callbacks(execute=True):
            remote_accept(actor=oscar, entry=entry)
        work_off()
        return checked(activity, actor)

    monkeypatch.setattr(moving, "checked", accepted_meanwhile)
    response = rotterdam.post(client, INBOX, create(rotterdam, article(rotterdam), [METAL]))

    assert response.status_code == 202, response.content
    work_off()
    appeal = received(rotterdam)
    assert list(appeal.addressees.values_list("organization__slug", flat=True)) == ["metal-sp"]
    assert ReceivedActivity.objects.get().outcome == "appeal_received"


def _waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return bool(cursor.fetchone()[0])


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_an_appeal_recorded_while_an_operator_accepts_its_organization_is_acted_on(
    rotterdam, oscar, owner_org, monkeypatch
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))  # waiting in the queue
    inside, go = threading.Event(), threading.Event()
    follow = moving.follow

    def lingering(moved: Any, received: Any) -> None:
        # The delivery lingers in its transaction, its activity written, not yet committed.
        inside.set()
        go.wait(timeout=30)
        follow(moved, received)

    monkeypatch.setattr(moving, "follow", lingering)
    answers: dict[str, Any] = {}

    def deliver() -> None:
        activity = create(rotterdam, article(rotterdam), [METAL])
        answers["delivery"] = rotterdam.post(Client(), INBOX, activity).status_code
        connection.close()

    def accept_and_work() -> None:
        # The operator accepts it, and a worker runs what it held at once.
        remote_accept(actor=oscar, entry=entry)
        answers["held_run"] = act_on_held.call(entry.pk)
        connection.close()

    delivery = threading.Thread(target=deliver)
    delivery.start()
    assert inside.wait(timeout=30)
    acceptance = threading.Thread(target=accept_and_work)
    acceptance.start()
    # Let the delivery commit once the acceptance waits for it (or has finished without waiting).
    for _ in range(400):
        if not acceptance.is_alive() or _waits_for_a_lock():
            break
        time.sleep(0.05)
    go.set()
    delivery.join(timeout=60)
    acceptance.join(timeout=60)

    assert answers == {"delivery": 202, "held_run": 1}
    assert ReceivedActivity.objects.get().outcome == "appeal_received"
    assert list(received(rotterdam).addressees.values_list("organization__slug", flat=True)) == [
        "metal-sp"
    ]


def test_an_update_that_comes_before_its_appeal_is_applied_once_the_appeal_comes(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam)
    resolved = {
        **obj,
        "status": "resolved",
        "outcome": "won",
        "outcomeReport": "All 400 are back at work.",
        "contentMap": {**obj["contentMap"], "fr": FRENCH},
    }
    # Deliveries cross: the resolution arrives first, and is taken (nothing to apply it to yet).
    early = rotterdam.activity("Update", object=resolved, to=[METAL])
    assert rotterdam.post(client, INBOX, early).status_code == 202
    assert not Appeal.objects.exists()

    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202

    work_off()
    appeal = received(rotterdam)
    assert (appeal.status, appeal.outcome, appeal.outcome_report) == (
        "resolved",
        "won",
        "All 400 are back at work.",
    )
    french = LanguageVersion.objects.get(object_id=appeal.pk, language="fr")
    assert french.texts["text"] == "Le terminal a mis 400 dockers en lock-out."
    assert ReceivedActivity.objects.get(activity_id=early["id"]).outcome == "appeal_resolved"


def test_a_translation_sent_with_a_later_update_of_an_appeal_is_read_in_its_language(
    client, client_for, rotterdam, accepted, sam, work_off
):
    obj = article(rotterdam)  # in Dutch only
    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202
    work_off()
    appeal = received(rotterdam)
    assert not LanguageVersion.objects.filter(object_id=appeal.pk).exists()
    # Its server made a French version since, and sends the article again with it.
    translated = {
        **obj,
        "nameMap": {**obj["nameMap"], "fr": "Lock-out au terminal"},
        "contentMap": {**obj["contentMap"], "fr": FRENCH},
    }
    update = rotterdam.activity("Update", object=translated, to=[METAL])

    assert rotterdam.post(client, INBOX, update).status_code == 202

    french = LanguageVersion.objects.get(object_id=appeal.pk, language="fr")
    assert french.texts == {
        "title": "Lock-out au terminal",
        "text": "Le terminal a mis 400 dockers en lock-out.",
    }
    page = client_for(sam).get(f"/appeals/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Le terminal a mis 400 dockers en lock-out." in page.content.decode()
    assert ReceivedActivity.objects.get(activity_id=update["id"]).outcome == "appeal_translated"
    # The original is not edited.
    appeal.refresh_from_db()
    assert (appeal.language, appeal.status) == ("nl", "open")


def test_a_server_blocked_by_every_organization_it_names_cannot_tell_from_the_answer(
    client, client_for, rotterdam, accepted, ana, owner_org, other_org, oscar, work_off
):
    # The metalworkers block the port workers; the dockworkers do not.
    blocks.block_add(actor=ana, organization=owner_org, host="", remote_actor=rotterdam.actor)
    to_docks = create(rotterdam, article(rotterdam, 1), [DOCKS])
    to_metal = create(rotterdam, article(rotterdam, 2), [METAL])

    delivered = rotterdam.post(client, SHARED, to_docks)
    blocked = rotterdam.post(client, SHARED, to_metal)

    # The same answer, but for the activity's own id.
    assert (delivered.status_code, blocked.status_code) == (202, 202), blocked.content
    assert delivered.json() == {"id": to_docks["id"], "status": "accepted"}
    assert blocked.json() == {"id": to_metal["id"], "status": "accepted"}
    work_off()
    # Only the first reached anyone; the second is recorded, and audited for the metalworkers.
    assert Appeal.objects.count() == 1 and received(rotterdam, 1).addressees.count() == 1
    assert ReceivedActivity.objects.get(activity_id=to_metal["id"]).outcome == ""
    entry = AuditEntry.objects.get(action="federation.appeal_dropped")
    assert (entry.organization, entry.data["reason"]) == (owner_org, "blocked")
    assert entry.data["object"] == to_metal["object"]["id"]
    log = client_for(oscar).get("/organizations/metal-sp/audit/").content.decode()
    assert "Appeal of a remote organization not taken" in log
    assert f"{rotterdam.actor}: its sender is blocked" in log


def test_the_organizations_a_remote_appeal_is_dropped_for_each_have_it_in_their_audit_log(
    client, client_for, rotterdam, ana, kai, owner_org, other_org, work_off
):
    # The metalworkers' admin asked for the port workers, for her organization alone.
    entry = remote_request(actor=ana, handle=handle(rotterdam), organization=owner_org)
    remote_accept(actor=ana, entry=entry)
    both = create(rotterdam, article(rotterdam), [METAL, DOCKS])

    assert rotterdam.post(client, INBOX, both).status_code == 202

    work_off()
    addressed = received(rotterdam).addressees.values_list("organization__slug", flat=True)
    assert list(addressed) == ["metal-sp"]
    [dropped] = AuditEntry.objects.filter(action="federation.appeal_dropped")
    assert (dropped.organization, dropped.data["reason"]) == (other_org, "unrelated")
    assert dropped.data["remote_actor"] == rotterdam.actor
    # The dockworkers' admin reads it in their log.
    log = client_for(kai).get("/organizations/docks-kr/audit/").content.decode()
    assert f"{rotterdam.actor}: no relation with its sender" in log


def test_a_blocked_actor_that_could_not_be_fetched_is_told_once_its_server_answers(
    rotterdam, accepted, ana, owner_org, work_off, django_capture_on_commit_callbacks
):
    server = rotterdam.server
    later = f"{server.url}/users/later"  # not served yet: its server cannot give its actor
    with django_capture_on_commit_callbacks(execute=True):
        block, _effect = blocks.block_add(
            actor=ana, organization=owner_org, host="", remote_actor=later
        )
    work_off()
    block.refresh_from_db()
    assert block.told == []
    assert blocks.tell_untold.call() == 1  # tried again, as a task of its own
    work_off()
    block.refresh_from_db()
    assert block.told == []  # still not served: untold

    server.add_actor("later", key_pair()[0])  # its server answers now
    assert blocks.tell_untold.call() == 1
    work_off()

    deliver_due.call()
    block.refresh_from_db()
    assert [told["actor"] for told in block.told] == [later]
    sent = [path for path, _headers, _body in server.posted]
    assert "/users/later/inbox" in sent
    assert blocks.tell_untold.call() == 0  # told: not again


def test_an_actor_that_never_answers_does_not_keep_a_newer_block_untold(
    rotterdam, accepted, ana, owner_org, settings, work_off, django_capture_on_commit_callbacks
):
    settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH = 1
    server = rotterdam.server
    dead, later = f"{server.url}/users/dead", f"{server.url}/users/later"
    made = []
    for actor in (dead, later):  # neither served when blocked: both untold
        with django_capture_on_commit_callbacks(execute=True):
            made.append(
                blocks.block_add(actor=ana, organization=owner_org, host="", remote_actor=actor)[
                    0
                ].pk
            )
        work_off()
    server.add_actor("later", key_pair()[0])  # the newer one's server answers now; dead never
    # One a run: the one tried longest ago, then the other, not the oldest block each time.
    for _run in range(2):
        assert blocks.tell_untold.call() == 1
        work_off()
    told = {b.actor: [t["actor"] for t in b.told] for b in Block.objects.filter(pk__in=made)}
    assert told == {dead: [], later: [later]}


def test_a_run_for_untold_blocks_reads_only_its_batch_of_untold_ones_from_the_database(
    rotterdam, accepted, ana, owner_org, settings, work_off, django_capture_on_commit_callbacks
):
    settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH = 1
    later = f"{rotterdam.server.url}/users/later"  # not served: untold
    with django_capture_on_commit_callbacks(execute=True):
        # The port workers are known here: their block is told at once, and made first.
        told = blocks.block_add(
            actor=ana, organization=owner_org, host="", remote_actor=rotterdam.actor
        )[0]
        untold = blocks.block_add(actor=ana, organization=owner_org, host="", remote_actor=later)[0]
    work_off()
    assert [t["actor"] for t in told.told] == [rotterdam.actor]

    with CaptureQueriesContext(connection) as queries:
        assert blocks.tell_untold.call() == 1
    [chosen] = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "federation_block" in q["sql"]
    ]
    # The told block left out and the batch cut by the query, not after reading every block.
    assert "LIMIT 1" in chosen and "told" in chosen.split("WHERE", 1)[1]
    assert Block.objects.get(pk=untold.pk).tell_tried_at is not None
    assert Block.objects.get(pk=told.pk).tell_tried_at is None


def test_a_held_activity_refused_on_acceptance_shows_why_to_whoever_decides(
    client, client_for, rotterdam, oscar, owner_org, work_off, django_capture_on_commit_callbacks
):
    entry = remote_request(actor=oscar, handle=handle(rotterdam))  # waiting in the queue
    bad = create(rotterdam, article(rotterdam, forms=["sympathy"]), [METAL])  # no target
    assert rotterdam.post(client, INBOX, bad).status_code == 202
    page = client_for(oscar).get(f"/federation/remote/{entry.pk}/?decision=accept")
    assert "Held: acted on once accepted" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        remote_accept(actor=oscar, entry=entry)
    work_off()

    row = ReceivedActivity.objects.get()
    assert (row.outcome, row.refusal) == ("refused", "sympathy_target_required")
    page = client_for(oscar).get(f"/federation/remote/{entry.pk}/")
    assert "Refused: sympathy_target_required" in page.content.decode()


def test_an_early_update_the_services_refuse_does_not_stop_its_appeal_from_coming(
    client, rotterdam, accepted, work_off
):
    obj = article(rotterdam)
    # A resolution with an outcome the appeals do not know, before its appeal.
    early = rotterdam.activity(
        "Update", object={**obj, "status": "resolved", "outcome": "??"}, to=[METAL]
    )
    assert rotterdam.post(client, INBOX, early).status_code == 202

    assert rotterdam.post(client, INBOX, create(rotterdam, obj, [METAL])).status_code == 202

    work_off()
    assert received(rotterdam).status == "open"
    row = ReceivedActivity.objects.get(activity_id=early["id"])
    assert (row.outcome, row.refusal) == ("refused", "invalid_outcome")
