"""Upgrading the inbox: rows written by earlier versions, migrated forward (and back) on the real
schema of their time."""

import pytest

from internationale.appeals.tests.factories import AppealFactory
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_CONFIDENTIAL = ("notifications", "0003_inbox_titles_in_reader_language")
AFTER_CONFIDENTIAL = ("notifications", "0004_mark_confidential_entries")
BEFORE_SOURCES = ("notifications", "0005_worker_heartbeat_moved_to_core")
AFTER_SOURCES = ("notifications", "0007_inbox_entry_unique_source")


def test_entries_about_what_is_not_public_are_marked_and_their_pending_messages_emptied(migrate):
    owner, other = OrganizationFactory(), OrganizationFactory()
    secret = AppealFactory(organization=owner, visibility="network", title="Arrests in Santos")
    public = AppealFactory(organization=owner, visibility="public", title="Strike fund")
    old = migrate(BEFORE_CONFIDENTIAL)
    InboxEntry = old.get_model("notifications", "InboxEntry")
    User = old.get_model("accounts", "User")
    sam = User.objects.create(email="sam@metal.example")

    def entry(organization, kind, key, title):  # type: ignore[no-untyped-def]
        return InboxEntry.objects.create(
            organization_id=organization.pk, kind=kind, key=key, title=title
        )

    received = entry(other, "appeal.received", f"appeal:{secret.pk}", secret.title)
    open_one = entry(other, "appeal.received", f"appeal:{public.pk}", public.title)
    answer = entry(owner, "appeal.response", "appeal-response:9", "Docks pledged support")
    old.get_model("notifications", "EmailNotification").objects.create(
        user=sam, event_key=f"appeal-response:9:{owner.pk}", subject=answer.title
    )
    hook = old.get_model("notifications", "Webhook").objects.create(
        organization_id=other.pk, url="https://hooks.example.org/", secret="s"
    )
    old.get_model("notifications", "WebhookDelivery").objects.create(
        webhook=hook,
        event_key=received.key,
        event=received.kind,
        payload={"event": received.kind, "title": secret.title, "summary": "Police at the gate"},
    )

    new = migrate(AFTER_CONFIDENTIAL)

    InboxEntry = new.get_model("notifications", "InboxEntry")
    confidential = set(InboxEntry.objects.filter(confidential=True).values_list("pk", flat=True))
    assert confidential == {received.pk, answer.pk}
    assert not InboxEntry.objects.get(pk=open_one.pk).confidential
    email = new.get_model("notifications", "EmailNotification").objects.get()
    assert email.subject == "An answer to your appeal"
    payload = new.get_model("notifications", "WebhookDelivery").objects.get().payload
    assert (payload["title"], payload["summary"]) == ("A new appeal", "")
    assert "Arrests" not in str(payload)


def test_entries_get_their_source_from_their_key_and_get_their_key_back(migrate):
    from internationale.aid.models import Contribution
    from internationale.appeals.models import AppealUpdate, Pledge, Response
    from internationale.organizations.models import Relation

    owner, other = OrganizationFactory(), OrganizationFactory()
    appeal = AppealFactory(organization=owner, status="escalated")
    update = AppealUpdate.objects.create(appeal=appeal, kind="update", text="Day 5.")
    escalation = AppealUpdate.objects.create(appeal=appeal, kind="escalated", data={"ring": 2})
    response = Response.objects.create(appeal=appeal, organization=other, kind="pledged")
    pledge = Pledge.objects.create(appeal=appeal, organization=other, description="Funds")
    aid = Contribution.objects.create(
        pledge=pledge, appeal=appeal, organization=other, amount=300, currency="EUR"
    )
    relation = Relation.objects.create(proposer=owner, partner=other, kind="fraternal")
    keys = {
        f"appeal:{appeal.pk}": ("appeal.received", appeal),
        f"appeal:{appeal.pk}:update:{update.pk}": ("appeal.update", update),
        f"appeal:{appeal.pk}:escalated:2": ("appeal.escalated", escalation),
        f"appeal-response:{response.pk}": ("appeal.response", response),
        f"aid-confirmed:{aid.pk}": ("aid.confirmed", aid),
        f"organizations.relation:{relation.pk}": ("relation.proposed", relation),
        "demo:welcome": ("notice", None),
    }
    old = migrate(BEFORE_SOURCES)
    OldEntry = old.get_model("notifications", "InboxEntry")
    for key, (kind, _source) in keys.items():
        for organization in (owner, other):
            OldEntry.objects.create(
                organization_id=organization.pk,
                key=key,
                kind=kind,
                title=key,
                title_format=kind if kind != "appeal.received" else "",
                title_params={"title": "Lockout"},
            )

    new = migrate(AFTER_SOURCES)

    ContentType = new.get_model("contenttypes", "ContentType")
    for entry in new.get_model("notifications", "InboxEntry").objects.all():
        kind, source = keys[entry.title]
        assert entry.kind == kind and entry.params == {"title": "Lockout"}
        if source is None:
            assert (entry.source_type_id, entry.source_id) == (None, None)
            continue
        source_type = ContentType.objects.get(pk=entry.source_type_id)
        assert (source_type.app_label, source_type.model, entry.source_id) == (
            source._meta.app_label,
            source._meta.model_name,
            source.pk,
        )

    old = migrate(BEFORE_SOURCES)

    back = old.get_model("notifications", "InboxEntry").objects.all()
    assert back.count() == 2 * len(keys)
    for entry in back:
        if entry.title == "demo:welcome":
            assert entry.key == f"inbox:{entry.pk}"
        else:
            assert entry.key == entry.title
        kind = keys[entry.title][0]
        assert entry.title_format == ("" if kind in ("appeal.received", "notice") else kind)
