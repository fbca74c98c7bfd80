"""Signers of a public campaign in the archives of its sponsors, through the real export (the
page, the background task, the decrypted download); the emergency erase of a sponsor; and what
an archive brings to another server of its campaigns' signers.

The Metalworkers of São Paulo (Ana admin, Sam secretary) organize "Free Ana Souza"; the Korean
Dockworkers (Kai admin, Kim secretary) and the Textile Workers of Dhaka (Rina admin, Tariq
secretary) co-sponsor it. Its signers, by their link or the sign form, as the public does:

- Lucía consents to the Dockworkers only; Joana to the Dockworkers and the Textile Workers;
- Meiling to the Textile Workers only; Pedro to the Metalworkers only; Rosa to no one;
- Tomás consented to the Dockworkers, then withdrew it by the link of his e-mail;
- Inês consented to the Dockworkers, then erased her signature by that link;
- Caio consented to the Dockworkers but never confirmed his e-mail address.
"""

import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.addressing.routing import Criteria
from internationale.campaigns.counting import count_all
from internationale.campaigns.exports import VALID
from internationale.campaigns.models import Campaign, Consent, Signature
from internationale.campaigns.services import campaign_launch, sponsors_invite, sponsorship_answer
from internationale.campaigns.sponsors import signer_token
from internationale.campaigns.tests.helpers import make_campaign
from internationale.campaigns.tests.signers import signed
from internationale.core.actors import System
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.ownership.erase import erase_confirm, erase_request
from internationale.ownership.importing import import_archive
from internationale.ownership.models import Export
from internationale.ownership.services import export_download, export_start, export_write

from .test_move import exported_archive

pytestmark = pytest.mark.django_db

NAMES = ("Lucía", "Joana", "Meiling", "Pedro", "Rosa", "Tomás", "Inês", "Caio")
EMAIL = {
    name: f"{name.encode('ascii', 'ignore').decode().lower()}@correo.example" for name in NAMES
}


@pytest.fixture
def textile(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Textile Workers of Dhaka", slug="textile-bd", country="BD")


@pytest.fixture
def rina(textile):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        organization=textile, role=Membership.Role.ADMIN, user=UserFactory(email="rina@tx.example")
    ).user


@pytest.fixture
def tariq(textile):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        organization=textile,
        role=Membership.Role.SECRETARY,
        user=UserFactory(email="tariq@tx.example"),
    ).user


@pytest.fixture
def campaign(  # type: ignore[no-untyped-def]
    client_for, owner_org, other_org, textile, sam, kim, tariq, django_capture_on_commit_callbacks
) -> Campaign:
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(sam, owner_org)
        sponsors_invite(
            actor=sam, campaign=campaign, criteria=Criteria(add=[other_org.pk, textile.pk])
        )
        for speaker, sponsor in ((kim, other_org), (tariq, textile)):
            sponsorship_answer(actor=speaker, campaign=campaign, organization=sponsor, accept=True)
        campaign = campaign_launch(actor=sam, campaign=campaign)
    docks, tx, metal = other_org.pk, textile.pk, owner_org.pk
    consents = {
        "Lucía": [docks],
        "Joana": [docks, tx],
        "Meiling": [tx],
        "Pedro": [metal],
        "Rosa": [],
        "Tomás": [docks],
        "Inês": [docks],
        "Caio": [docks],
    }
    signatures = {}
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(NAMES, start=1):
            signatures[name] = signed(
                campaign,
                n,
                confirm=name != "Caio",
                first_name=name,
                email=EMAIL[name],
                consents=consents[name],
            )
    signer = client_for()
    tomas, ines = signer_token(signatures["Tomás"].pk), signer_token(signatures["Inês"].pk)
    withdrawn = signer.post(f"/campaigns/signer/{tomas}/withdraw/", {"organization": docks})
    assert withdrawn.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert signer.post(f"/campaigns/signer/{ines}/erase/").status_code == 200
    assert not Signature.objects.filter(first_name="Inês").exists()
    return campaign


def archive_for(  # type: ignore[no-untyped-def]
    client_for, admin, slug, work_off, capture, *, emails=False
) -> zipfile.ZipFile:
    """The organization's archive as its admin gets it: started on the Data page (with e-mail
    addresses when `emails`: ticked and confirmed), written by the worker, downloaded
    (decrypted) after the password again."""
    client = client_for(admin)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    form = {"include_emails": "on", "confirm_emails": "on"} if emails else {}
    with capture(execute=True):
        assert client.post(f"/ownership/{slug}/", form).status_code == 302
    work_off()
    export = Export.objects.filter(organization__slug=slug).latest("pk")
    assert export.status == Export.Status.READY
    response = client.post(f"/ownership/{slug}/exports/{export.pk}/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive: zipfile.ZipFile, key: str) -> list[dict[str, Any]]:
    return json.loads(archive.read(f"data/{key}.json"))["rows"]


def everything(archive: zipfile.ZipFile) -> str:
    return b"".join(archive.read(name) for name in archive.namelist()).decode()


@pytest.fixture
def export_of(client_for, work_off, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def export(admin, slug, *, emails=True):  # type: ignore[no-untyped-def]
        return archive_for(
            client_for, admin, slug, work_off, django_capture_on_commit_callbacks, emails=emails
        )

    return export


def signers_in(archive: zipfile.ZipFile) -> dict[str, dict[str, Any]]:
    return {r["first_name"]: r for r in rows(archive, "campaigns.signature") if r["first_name"]}


def test_a_sponsors_archive_holds_the_signers_who_consented_to_it_and_only_those(
    campaign, export_of, kai, other_org
):
    archive = export_of(kai, other_org.slug)

    signers = signers_in(archive)
    assert set(signers) == {"Lucía", "Joana"}
    assert len(rows(archive, "campaigns.signature")) == 2  # no row without its signer either
    assert signers["Lucía"]["email"] == EMAIL["Lucía"]
    assert signers["Joana"]["last_name"] == "Last2" and signers["Joana"]["city"] == "Santos"
    # Their consents to the Dockworkers come with them; Joana's to the Textile Workers does not.
    consents = rows(archive, "campaigns.consent")
    assert {c["signature"] for c in consents} == {s["id"] for s in signers.values()}
    assert {c["organization"] for c in consents} == {other_org.slug}
    assert all(c["withdrawn_at"] is None for c in consents)
    # Not those who consented only to another sponsor or to no one, nor Tomás who withdrew,
    # Inês who erased her signature, Caio who never confirmed: not even their names.
    text = everything(archive)
    for name in ("Meiling", "Pedro", "Rosa", "Tomás", "Inês", "Caio"):
        assert name not in text and EMAIL[name] not in text
    # The campaign is its organizer's: the Dockworkers' archive names it through their
    # co-sponsorship only.
    assert rows(archive, "campaigns.campaign") == []
    assert [s["campaign"] for s in rows(archive, "campaigns.sponsor")] == [campaign.pk]
    assert json.loads(archive.read("manifest.json"))["counts"]["campaigns.signature"] == 2


def test_without_the_admins_confirmation_a_sponsors_archive_holds_no_signers_address(
    campaign, export_of, kai, other_org, ana, owner_org
):
    archive = export_of(kai, other_org.slug, emails=False)
    # Lucía and Joana consented to the Dockworkers: their names come, not their addresses.
    signers = signers_in(archive)
    assert set(signers) == {"Lucía", "Joana"}
    assert {s["email"] for s in signers.values()} == {""}
    assert not json.loads(archive.read("manifest.json"))["include_emails"]
    text = everything(archive)
    for name in NAMES:
        assert EMAIL[name] not in text
    # The organizer's too: Pedro, who consented to the Metalworkers, comes without his address.
    archive = export_of(ana, owner_org.slug, emails=False)
    assert signers_in(archive)["Pedro"]["email"] == ""
    assert "correo.example" not in {s["email"] for s in rows(archive, "campaigns.signature")}


def test_another_sponsor_gets_its_own_signers(campaign, export_of, rina, textile):
    archive = export_of(rina, textile.slug)
    assert set(signers_in(archive)) == {"Joana", "Meiling"}
    assert {c["organization"] for c in rows(archive, "campaigns.consent")} == {textile.slug}
    assert EMAIL["Lucía"] not in everything(archive)


def test_the_organizers_archive_holds_its_campaign_and_every_signature_but_names_only_its_own(
    campaign, export_of, ana, owner_org, other_org, textile
):
    archive = export_of(ana, owner_org.slug)

    assert [c["title"] for c in rows(archive, "campaigns.campaign")] == ["Free Ana Souza"]
    signatures = rows(archive, "campaigns.signature")
    # Every signature of its campaign but the erased one (its date, country, status)…
    assert len(signatures) == 7
    statuses = sorted("valid" if s["status"] in VALID else s["status"] for s in signatures)
    assert statuses == ["pending"] + ["valid"] * 6
    assert {s["country"] for s in signatures} == {"BR"}
    # …with the signer's name and address only for Pedro, who consented to the Metalworkers.
    assert set(signers_in(archive)) == {"Pedro"}
    assert signers_in(archive)["Pedro"]["email"] == "pedro@correo.example"
    assert {s["email"] for s in signatures if s["first_name"] != "Pedro"} == {""}
    for name in ("Lucía", "Joana", "Meiling", "Rosa", "Tomás", "Caio"):
        assert EMAIL[name] not in everything(archive)
    # Who consented to whom is the organizer's record of its campaign, withdrawn ones included.
    consented = [
        (c["organization"], c["withdrawn_at"] is None) for c in rows(archive, "campaigns.consent")
    ]
    assert sorted(consented) == sorted(
        [(other_org.slug, True)] * 3  # Lucía, Joana, Caio
        + [(other_org.slug, False)]  # Tomás
        + [(textile.slug, True)] * 2  # Joana, Meiling
        + [(owner_org.slug, True)]  # Pedro
    )


def test_erasing_a_sponsor_removes_the_consents_given_to_it_and_nothing_else(
    campaign, client_for, kai, kim, oscar, sam, tariq, other_org, textile, owner_org
):
    signatures_before = Signature.objects.filter(campaign=campaign).count()
    others_before = set(
        Consent.objects.exclude(organization=other_org).values_list("signature", "organization")
    )
    page = client_for(kai).get(f"/ownership/{other_org.slug}/erase/").content.decode()
    assert "The consents of campaign signers to be contacted by it" in page  # what goes
    request = erase_request(actor=kai, organization=other_org, keep_profile=True)
    erased = erase_confirm(actor=oscar, organization=other_org, request_id=request.pk)

    assert erased["campaigns.Consent"] == 4  # Lucía's, Joana's, Caio's and Tomás's (withdrawn)
    assert not Consent.objects.filter(organization=other_org).exists()
    # The signatures are the organizer's, and the consents to the other sponsors theirs.
    assert Signature.objects.filter(campaign=campaign).count() == signatures_before == 7
    assert set(Consent.objects.values_list("signature", "organization")) == others_before

    # What people see: the Textile Workers still find Joana and Meiling, the organizer Pedro; the
    # campaign's public page still counts every signature.
    tx = client_for(tariq)
    page = tx.get(f"/campaigns/{campaign.pk}/signers/{textile.slug}/").content.decode()
    assert "joana@correo.example" in page and EMAIL["Meiling"] in page
    metal = client_for(sam)
    page = metal.get(f"/campaigns/{campaign.pk}/signers/{owner_org.slug}/").content.decode()
    assert "pedro@correo.example" in page
    # Lucía's own page no longer lists a consent to the Dockworkers.
    lucia = Signature.objects.get(first_name="Lucía")
    own = client_for().get(f"/campaigns/signer/{signer_token(lucia.pk)}/").content.decode()
    assert "Free Ana Souza" in own and other_org.name not in own
    assert "You agreed to be contacted by no organization." in own


def test_moving_the_organizer_brings_its_campaign_its_count_and_the_signers_named_in_it(
    campaign, client_for, ana, owner_org
):
    count_all()
    archive = exported_archive(owner_org, ana)
    owner_org.delete()  # gone from this server, as if the archive were taken to another one

    imported = import_archive(io.BytesIO(archive), actor=System(reason="test"), verified=True)

    moved = Campaign.objects.get(organization=imported.organization)
    assert moved.title == "Free Ana Souza" and moved.count.signatures == 6
    page = client_for().get(f"/campaigns/{moved.pk}/").content.decode()
    assert "6 signatures" in page
    # Pedro, who consented to the Metalworkers, comes with his name and address and his consent;
    # the others came without theirs, and stay behind (their count came along).
    pedro = Signature.objects.get(campaign=moved)
    assert (pedro.first_name, pedro.email) == ("Pedro", EMAIL["Pedro"])
    assert list(pedro.consents.values_list("organization", flat=True)) == [imported.organization.pk]
    assert imported.left_out["campaigns.signature"] == 6
    # His link named the old server's signature: the moved one has a token no link names.
    assert pedro.token_expires_at <= timezone.now() and len(pedro.token_hash) == 64


def test_a_sponsors_signers_stay_behind_with_the_campaign_they_signed_when_it_moves(
    campaign, kai, other_org
):
    archive = exported_archive(other_org, kai)
    other_org.delete()

    imported = import_archive(io.BytesIO(archive), actor=System(reason="test"), verified=True)

    assert imported.created.get("campaigns.signature", 0) == 0
    assert imported.left_out["campaigns.signature"] == 2  # Lucía and Joana: the campaign is
    assert imported.left_out["campaigns.consent"] == 2  # the Metalworkers'
    assert not Consent.objects.filter(organization=imported.organization).exists()


def test_signers_moved_without_their_addresses_stay_behind_and_the_count_comes(
    campaign, ana, owner_org
):
    count_all()
    export = export_start(actor=ana, organization=owner_org, include_emails=False)
    export_write(export.pk)
    archive = b"".join(export_download(actor=ana, export=Export.objects.get(pk=export.pk)))
    owner_org.delete()

    imported = import_archive(io.BytesIO(archive), actor=System(reason="test"), verified=True)

    moved = Campaign.objects.get(organization=imported.organization)
    assert moved.count.signatures == 6
    # Pedro came with his name but not his address: a signature is its address's, so he stays
    # behind with the others.
    assert not Signature.objects.filter(campaign=moved).exists()
    assert imported.left_out["campaigns.signature"] == 7
