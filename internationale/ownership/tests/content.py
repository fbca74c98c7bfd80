"""What the tests of ownership export: the Metalworkers (Ana admin, Sam secretary, Mo member, Olu
observer) with a logo, an appeal that the Korean Dockworkers answered with a private pledge of
money and a public one, their own pledge to a Dockworkers' appeal, relations with the Dockworkers
and with a federation, a library document with its file and tag, and an inbox entry."""

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from internationale.appeals.models import Appeal, AppealUpdate, Response
from internationale.appeals.tests.factories import (
    AddresseeFactory,
    AppealFactory,
    PledgeFactory,
)
from internationale.library.models import Document, DocumentFile, Tag
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Relation
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.translation.models import LanguageVersion


def _png() -> bytes:
    """A real PNG, as Pillow writes it: the logo's upload check (which encodes it again) on the
    new server gives back the same bytes."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (180, 20, 30)).save(out, format="PNG")
    return out.getvalue()


LOGO = _png()
# A PDF as the upload check knows one: its header, and the end-of-file marker.
LEAFLET = b"%PDF-1.4 the leaflet of the strike\n%%EOF\n"


def build(owner_org: Any, other_org: Any, ana: Any, kim: Any) -> dict[str, Any]:
    owner_org.logo.save("metal.png", ContentFile(LOGO))
    federation = OrganizationFactory(name="Global Metal Federation", slug="metal-global")
    appeal = AppealFactory(
        organization=owner_org,
        created_by=ana,
        title="Lockout at the Volta plant",
        status=Appeal.Status.OPEN,
        visibility="network",
        sent_at=timezone.now(),
    )
    AppealUpdate.objects.create(
        appeal=appeal, kind="update", text="The lockout goes on.", created_by=ana
    )
    AddresseeFactory(appeal=appeal, organization=other_org)
    private = PledgeFactory(
        appeal=appeal,
        organization=other_org,
        created_by=kim,
        amount=Decimal("500.00"),
        currency="EUR",
        description="Strike fund",
    )
    public = PledgeFactory(
        appeal=appeal,
        organization=other_org,
        created_by=kim,
        amount=Decimal("120.00"),
        currency="EUR",
        public=True,
        description="Solidarity collection",
    )
    Response.objects.create(appeal=appeal, organization=other_org, kind="pledged", pledge=private)
    theirs = AppealFactory(
        organization=other_org, title="Port strike in Busan", status=Appeal.Status.OPEN
    )
    AddresseeFactory(appeal=theirs, organization=owner_org)
    ours = PledgeFactory(
        appeal=theirs,
        organization=owner_org,
        created_by=ana,
        amount=Decimal("300.00"),
        currency="BRL",
        description="Our collection",
    )
    Relation.objects.create(
        proposer=owner_org,
        partner=other_org,
        kind="fraternal",
        status="accepted",
        since=datetime.date(2019, 5, 1),
    )
    Relation.objects.create(
        proposer=federation, partner=owner_org, kind="federation", status="accepted"
    )
    tag = Tag.objects.create(name="Strikes", slug="strikes")
    document = Document.objects.create(
        organization=owner_org,
        created_by=ana,
        kind="experience",
        title="How we won in 2019",
        body="Occupation of the plant.",
        language="pt-BR",
        visibility="public",
    )
    document.tags.add(tag)
    leaflet = DocumentFile(document=document, name="leaflet.pdf", size=len(LEAFLET), added_by=ana)
    leaflet.file.save("leaflet.pdf", ContentFile(LEAFLET), save=False)
    leaflet.save()
    LanguageVersion.objects.create(
        original=appeal,
        language="en",
        texts={"title": "Lockout at the Volta plant (en)"},
        status="machine",
    )
    InboxEntry.objects.create(
        organization=owner_org,
        kind="appeal.received",
        title="Port strike in Busan",
        source=theirs,
        url=theirs.get_absolute_url(),
        sender=other_org,
    )
    return {
        "appeal": appeal,
        "private": private,
        "public": public,
        "theirs": theirs,
        "ours": ours,
        "federation": federation,
        "document": document,
        "leaflet": leaflet,
    }
