"""Co-sponsors and their signers (sponsors.py), and the signer's own page from the confirmation
e-mail, through real requests. The Metalworkers of São Paulo (Sam, Ana; Mo a member, Olu an
observer) organize; the Korean Dockworkers (Kim) co-sponsor. Lucía consents to the Dockworkers
only; Pedro to the Metalworkers only; Rosa to no one."""

import csv
import io
import re

import pytest
from django.core import mail

from internationale.campaigns.counting import count_all
from internationale.campaigns.models import Consent, Signature, SignatureCount
from internationale.campaigns.sponsors import signer_token
from internationale.core.models import AuditEntry

from .committing import committing
from .helpers import aged_form_fields, launched
from .signers import screen_received, signed


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    return committing(client, django_capture_on_commit_callbacks)


@pytest.fixture
def campaign(sam, kim, owner_org, other_org):
    campaign = launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim)
    signed(campaign, 1, first_name="Lucía", email="lucia@correo.example", consents=[other_org.pk])
    signed(campaign, 2, first_name="Pedro", email="pedro@correo.example", consents=[owner_org.pk])
    signed(campaign, 3, first_name="Rosa", email="rosa@correo.example")
    return campaign


def exported(response):  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_sponsor_sees_and_exports_only_those_who_consented_to_it(
    client, campaign, sam, kim, other_org, owner_org
):
    client.force_login(kim)
    page = client.get(f"/campaigns/{campaign.pk}/signers/{other_org.slug}/").content.decode()
    assert "lucia@correo.example" in page
    assert "pedro@correo.example" not in page and "rosa@correo.example" not in page
    rows = exported(client.get(f"/campaigns/{campaign.pk}/signers/{other_org.slug}/export.csv"))
    assert [r[0] for r in rows[1:]] == ["Lucía"]
    assert "lucia@correo.example" in rows[1]

    client.force_login(sam)
    rows = exported(client.get(f"/campaigns/{campaign.pk}/signers/{owner_org.slug}/export.csv"))
    assert [r[0] for r in rows[1:]] == ["Pedro"]
    entries = AuditEntry.objects.filter(action="campaign.export").order_by("id")
    assert [(e.organization_id, e.data["format"], e.data["n"]) for e in entries] == [
        (other_org.pk, "page", 1),
        (other_org.pk, "csv", 1),
        (owner_org.pk, "csv", 1),
    ]


def test_members_observers_and_other_organizations_are_refused(
    client, campaign, mo, olu, kim, owner_org, other_org
):
    for person in (mo, olu):
        client.force_login(person)
        refused = client.get(f"/campaigns/{campaign.pk}/signers/{owner_org.slug}/export.csv")
        assert refused.status_code == 403
        assert "members and observers cannot act" in refused.content.decode()
    client.force_login(kim)  # not of the organizer
    assert client.get(f"/campaigns/{campaign.pk}/signers/{owner_org.slug}/").status_code == 404
    assert not AuditEntry.objects.filter(action="campaign.export").exists()


def test_an_organization_that_declined_is_told_it_does_not_sponsor(
    client, sam, kai, owner_org, other_org
):
    from internationale.addressing.routing import Criteria
    from internationale.campaigns.services import sponsors_invite

    from .helpers import make_campaign

    campaign = make_campaign(sam, owner_org)
    sponsors_invite(actor=sam, campaign=campaign, criteria=Criteria(add=[other_org.pk]))
    client.force_login(kai)
    refused = client.get(f"/campaigns/{campaign.pk}/signers/{other_org.slug}/export.csv")
    assert refused.status_code == 403
    assert "does not sponsor this campaign" in refused.content.decode()


def test_the_confirmation_email_links_to_the_signers_page(client, campaign, other_org):
    mail.outbox.clear()
    response = client.post(
        f"/campaigns/{campaign.pk}/sign/",
        aged_form_fields(campaign.pk)
        | {
            "first_name": "Ana",
            "email": "ana@x.example",
            "country": "BR",
            "language": "es",
            "consents": [other_org.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    screen_received()  # the worker writes the signature received
    signature = Signature.objects.get(email="ana@x.example")
    from internationale.campaigns.tasks import send_confirmation

    send_confirmation.call(signature.pk)
    link = re.search(r"https?://\S+/campaigns/signer/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Korean" in page.content.decode()


def test_a_signer_withdraws_a_consent_and_the_sponsor_no_longer_sees_them(
    client, campaign, kim, other_org
):
    lucia = Signature.objects.get(email="lucia@correo.example")
    token = signer_token(lucia.pk)
    assert (
        client.post(
            f"/campaigns/signer/{token}/withdraw/", {"organization": other_org.pk}
        ).status_code
        == 302
    )
    assert Consent.objects.get(signature=lucia).withdrawn_at is not None
    client.force_login(kim)
    rows = exported(client.get(f"/campaigns/{campaign.pk}/signers/{other_org.slug}/export.csv"))
    assert rows[1:] == []


def test_a_signer_erases_the_signature_after_confirming_and_the_count_follows(client, campaign):
    count_all()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 3
    rosa = Signature.objects.get(email="rosa@correo.example")
    token = signer_token(rosa.pk)
    assert client.get(f"/campaigns/signer/{token}/erase/").status_code == 200
    assert Signature.objects.filter(pk=rosa.pk).exists()
    done = client.post(f"/campaigns/signer/{token}/erase/")
    assert done.status_code == 200 and "erased" in done.content.decode()
    assert not Signature.objects.filter(pk=rosa.pk).exists()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 2
    assert client.get(f"/campaigns/signer/{token}/").status_code == 400


def test_a_forged_signer_link_is_refused(client, campaign):
    assert client.get("/campaigns/signer/forged:token/").status_code == 400
    assert client.post("/campaigns/signer/forged:token/erase/").status_code == 400
    assert Signature.objects.count() == 3
