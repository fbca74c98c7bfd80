"""Notices: every kind worded, recorded with the change that causes them, dispatched after it
commits to every channel, once, with the source's confidentiality and link."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from internationale.aid.models import Contribution
from internationale.appeals.models import AppealUpdate, Pledge
from internationale.appeals.tests.factories import AppealFactory
from internationale.core import notices
from internationale.core.models import Notice
from internationale.core.notices import notice_send, notices_redispatch
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Relation
from internationale.organizations.services import relation_propose

DISPATCH = "internationale.core.notices.notice_dispatch"


def test_every_kind_has_a_label_and_words_its_sample_parameters_in_every_language():
    kinds = notices.registered_kinds()
    assert {"appeal.received", "appeal.response", "aid.confirmed", "relation.proposed"} <= set(
        kinds
    )
    for name, kind in kinds.items():
        assert kind.sample, f"{name} declares no sample parameters"
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                assert notices.label(name).strip(), (name, language)
                # The wording itself, not word()'s fallback, which would hide a failing wording.
                title = kind.wording(kind.sample)
                assert isinstance(title, str) and title.strip(), (name, language)


def test_the_inbox_email_and_webhooks_are_channels_in_that_order():
    assert notices.registered_channels()[:3] == ["inbox", "email", "webhooks"]


def test_a_kind_that_is_not_registered_is_refused(owner_org):
    with pytest.raises(ValueError, match="Unknown kind"):
        notice_send(kind="no.such.kind", source=owner_org, organizations=[owner_org])
    assert not Notice.objects.exists()


def test_the_notice_is_recorded_in_the_services_transaction_and_dispatched_after_it_commits(
    sam, kim, owner_org, other_org, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        relation = relation_propose(
            actor=sam, proposer=owner_org, partner=other_org, kind="fraternal"
        )
        notice = Notice.objects.get()
        assert (notice.kind, notice.source, notice.organization_ids) == (
            "relation.proposed",
            relation,
            [other_org.pk],
        )
        assert notice.dispatched_at is None
        assert not DBTaskResult.objects.exists()  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.get().task_path == DISPATCH
    run_tasks()
    notice.refresh_from_db()
    assert notice.dispatched_at is not None
    assert InboxEntry.objects.get().notice == notice
    assert [m.to for m in mail.outbox] == [["kim@docks.example"]]


def test_a_change_rolled_back_leaves_no_notice_and_dispatches_nothing(
    owner_org, other_org, django_capture_on_commit_callbacks
):
    appeal = AppealFactory(organization=owner_org)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notice_send(
            kind="appeal.received",
            source=appeal,
            organizations=[other_org],
            params={"title": appeal.title},
        )
        raise RuntimeError("the service failed after sending")
    assert callbacks == []
    assert not Notice.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_dispatch_that_failed_half_way_is_picked_up_again_and_delivers_nothing_twice(
    sam, kim, owner_org, other_org, run_tasks, django_capture_on_commit_callbacks
):
    failing = {"on": True}

    def flaky(notice, organization_ids):  # type: ignore[no-untyped-def]
        if failing["on"]:
            raise ConnectionError("the next channel is down")

    notices.register_channel("flaky", flaky)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            relation_propose(actor=sam, proposer=owner_org, partner=other_org, kind="fraternal")
        run_tasks()
        notice = Notice.objects.get()
        assert notice.dispatched_at is None  # the inbox and e-mail ran; the last channel failed
        assert InboxEntry.objects.count() == 1 and len(mail.outbox) == 1

        assert notices_redispatch.call() == 0  # too recent: its dispatch may still be running
        Notice.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
        failing["on"] = False
        assert notices_redispatch.call() == 1
        run_tasks()
    finally:
        notices._CHANNELS.pop("flaky")

    notice.refresh_from_db()
    assert notice.dispatched_at is not None
    assert InboxEntry.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["kim@docks.example"]]
    assert notices_redispatch.call() == 0


@pytest.mark.parametrize(("visibility", "confidential"), [("public", False), ("network", True)])
def test_an_entry_is_confidential_when_its_source_is_not_public(
    sam,
    owner_org,
    other_org,
    work_off,
    django_capture_on_commit_callbacks,
    visibility,
    confidential,
):
    with django_capture_on_commit_callbacks(execute=True):
        relation_propose(
            actor=sam,
            proposer=owner_org,
            partner=other_org,
            kind="fraternal",
            visibility=visibility,
        )
    work_off()
    assert InboxEntry.objects.get().confidential is confidential


def test_what_belongs_to_a_confidential_appeal_and_what_has_no_audience_is_confidential(
    owner_org, other_org
):
    public = AppealFactory(organization=owner_org, visibility="public", status="open")
    secret = AppealFactory(organization=owner_org, visibility="network", status="open")
    pledge = Pledge.objects.create(appeal=public, organization=other_org, description="Funds")
    aid = Contribution.objects.create(
        pledge=pledge, appeal=public, organization=other_org, amount=300, currency="EUR"
    )
    assert not notices.source_confidential(AppealUpdate(appeal=public))
    assert notices.source_confidential(AppealUpdate(appeal=secret))
    assert notices.source_confidential(aid)  # the aid app declares no audience: not public


def test_the_entry_links_to_its_source(owner_org, other_org):
    relation = Relation.objects.create(proposer=owner_org, partner=other_org, kind="fraternal")
    with transaction.atomic():
        notice = notice_send(
            kind="relation.proposed",
            source=relation,
            organizations=[other_org],
            params={"org": owner_org.name},
        )
    assert notice is not None
    notices.dispatch(notice, only=["inbox"])
    entry = InboxEntry.objects.get()
    assert entry.url == relation.get_absolute_url() == "/organizations/docks-kr/relations/"
    assert entry.source == relation
    assert entry.display_title == "Metalworkers of São Paulo proposes a relation"


def test_a_notice_about_something_deleted_since_is_dispatched_to_no_one(owner_org, other_org):
    relation = Relation.objects.create(proposer=owner_org, partner=other_org, kind="fraternal")
    with transaction.atomic():
        notice = notice_send(
            kind="relation.proposed", source=relation, organizations=[other_org], params={}
        )
    relation.delete()
    assert notice is not None
    notices.dispatch(Notice.objects.get(pk=notice.pk))
    assert not InboxEntry.objects.exists()
    assert Notice.objects.get().dispatched_at is not None
