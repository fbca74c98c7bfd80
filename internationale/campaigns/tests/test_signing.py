"""Signing without an account, confirming by e-mail and counting: through real requests (the
form and the public API) on the real database. The Metalworkers of São Paulo (Sam speaks for them)
run a campaign co-sponsored by the Korean Dockworkers (Kim); Lucía, a member of the public,
signs it."""

import datetime
import re

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.utils import timezone

from internationale.campaigns.counting import count_all
from internationale.campaigns.models import Consent, Signature, SignatureCount, SignatureIntake
from internationale.campaigns.signing import signature_confirm
from internationale.campaigns.tests.signers import campaign_sign

from .helpers import aged_form_fields, launched


@pytest.fixture
def campaign(sam, kim, owner_org, other_org):
    return launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim)


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The test client, whose requests run what they queue on commit (as a real commit does)."""

    class Committing:
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            method = getattr(client, name)

            def call(*args, **kwargs):  # type: ignore[no-untyped-def]
                with django_capture_on_commit_callbacks(execute=True):
                    return method(*args, **kwargs)

            return call

    return Committing()


def form(campaign, **changes):  # type: ignore[no-untyped-def]
    """What the sign form sends, its hidden fields made half a minute before."""
    data = aged_form_fields(campaign.pk) | {
        "first_name": "Lucía",
        "last_name": "Fernández",
        "email": "Lucia@Correo.EXAMPLE",
        "country": "ES",
        "city": "Sevilla",
        "union": "",
        "language": "es",
        "show_publicly": "on",
    }
    data.update(changes)
    return data


def link_in(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"https?://\S+/campaigns/confirm/\S+/", message.body).group(0)


def test_a_signer_confirms_from_the_email_and_is_counted(client, campaign, work_off):
    response = client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign))
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/signed/"
    # The request received and screened it (CAMPAIGN_SCREEN_IN_REQUEST, the default); the
    # worker's batch sends its link.
    work_off()
    signature = Signature.objects.get()
    assert signature.email == "lucia@correo.example"
    assert signature.email_domain == "correo.example"
    assert signature.status == "pending"
    assert len(signature.token_hash) == 64

    (message,) = mail.outbox
    assert message.to == ["lucia@correo.example"]
    assert "Confirma" in message.subject or "Confirm" in message.subject
    link = link_in(message)
    assert signature.token_hash not in link

    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200  # the page with a button: nothing confirmed
    assert Signature.objects.get().status == "pending"
    confirmed = client.post(f"/{path}")
    assert confirmed.status_code == 200
    assert Signature.objects.get().status == "confirmed"

    # The count moves in the counting task's batch, not with the confirmation.
    assert SignatureCount.objects.get(campaign=campaign).signatures == 0
    assert count_all() == 1
    assert SignatureCount.objects.get(campaign=campaign).signatures == 1
    assert Signature.objects.get().status == "counted"
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "1 signature" in page.content.decode() or "1 firma" in page.content.decode()
    assert "Lucía" in page.content.decode()
    assert "Fernández" not in page.content.decode()

    # The link works once.
    again = client.post(f"/{path}")
    assert again.status_code == 400
    assert "already used" in again.content.decode()


def test_the_confirmation_email_is_in_the_signers_language(client, campaign, work_off):
    client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign, language="es"))
    work_off()
    (message,) = mail.outbox
    assert (
        "Confirma tu firma" in message.subject
        or "firma" in message.body.lower()
        or (
            # The Spanish catalogue is regenerated after merging: until then, English.
            "Confirm your signature" in message.subject
        )
    )


def test_an_expired_link_is_refused_and_changes_nothing(client, campaign, work_off):
    client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign))
    work_off()
    path = link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    Signature.objects.update(token_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(f"/{path}")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Signature.objects.get().status == "pending"


def test_signing_again_is_a_success_and_sends_a_new_link(client, campaign, work_off):
    client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign))
    work_off()
    # Eleven minutes later (a link is sent again at most once in ten minutes).
    Signature.objects.update(link_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    again = client.post(
        f"/campaigns/{campaign.pk}/sign/", form(campaign, email="lucia@correo.example")
    )
    assert again.status_code == 302
    work_off()
    assert Signature.objects.count() == 1
    first, second = mail.outbox
    assert link_in(first) != link_in(second)
    old = link_in(first).split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{old}").status_code == 400  # the older link no longer works
    new = link_in(second).split("://", 1)[1].split("/", 1)[1]
    assert client.post(f"/{new}").status_code == 200
    # Once confirmed, signing again is still answered as a success, and sends nothing.
    assert client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign)).status_code == 302
    work_off()
    assert len(mail.outbox) == 2
    count_all()
    assert SignatureCount.objects.get(campaign=campaign).signatures == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "lucia@@correo"}, "email"),
        ({"email": "lucia"}, "email"),
        ({"country": "XX"}, "country"),
        ({"country": ""}, "country"),
        ({"first_name": "L" * 101}, "first_name"),
        ({"union": "U" * 201}, "union"),
        ({"city": "C" * 101}, "city"),
    ],
)
def test_bad_input_is_refused_with_its_error_and_writes_nothing(
    client, campaign, changes, field, work_off
):
    response = client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign, **changes))
    assert response.status_code == 400
    assert field in response.context["sign_form"].errors
    work_off()
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_a_signature_after_the_end_or_before_the_start_is_refused(client, sam, owner_org, work_off):
    now = timezone.now()
    later = launched(
        sam,
        owner_org,
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=9),
    )
    response = client.post(f"/campaigns/{later.pk}/sign/", form(later))
    assert response.status_code == 400
    assert "takes signatures from" in response.content.decode()
    ended = launched(sam, owner_org, title="Ended")
    ended.__class__.objects.filter(pk=ended.pk).update(
        starts_at=now - datetime.timedelta(days=9), ends_at=now - datetime.timedelta(seconds=1)
    )
    response = client.post(f"/campaigns/{ended.pk}/sign/", form(ended))
    assert response.status_code == 400
    assert "has ended" in response.content.decode()
    work_off()
    assert not Signature.objects.exists()


def test_consent_is_never_ticked_and_only_for_the_campaigns_organizations(
    client, campaign, owner_org, other_org, unverified_org, work_off
):
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="consents"[^>]*>', page)
    assert len(boxes) == 2
    assert not any("checked" in box for box in boxes)
    refused = client.post(
        f"/campaigns/{campaign.pk}/sign/", form(campaign, consents=[str(unverified_org.pk)])
    )
    assert refused.status_code == 400
    assert not Signature.objects.exists()
    client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign, consents=[str(other_org.pk)]))
    work_off()
    assert list(Consent.objects.values_list("organization_id", flat=True)) == [other_org.pk]


def test_two_confirmations_at_once_confirm_once(campaign):
    signed = campaign_sign(
        campaign=campaign, first_name="Lucía", email="l@correo.example", country="ES"
    )
    from internationale.campaigns.signing import confirmation_token

    token = confirmation_token(signed.signature)
    signature_confirm(token=token)
    with pytest.raises(Exception, match="already used"):
        signature_confirm(token=token)


def test_one_address_counts_once_per_campaign(campaign):
    for _ in range(3):
        campaign_sign(campaign=campaign, first_name="Lucía", email="l@Correo.example", country="ES")
    assert Signature.objects.count() == 1


def test_the_client_address_is_kept_only_as_a_keyed_hash(client, campaign, work_off, settings):
    settings.INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = (
        False  # the intake row waits for the worker
    )
    client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign), REMOTE_ADDR="203.0.113.7")
    intake = SignatureIntake.objects.get()
    assert intake.client_hash and "203.0.113" not in str(model_to_dict(intake))
    work_off()
    signature = Signature.objects.get()
    assert signature.client_hash and "203.0.113" not in signature.client_hash
    assert len(signature.client_hash) == 40 or len(signature.client_hash) == 64


def test_a_screened_out_signature_is_answered_as_a_success_and_never_counted(
    client, campaign, monkeypatch, work_off
):
    from internationale.campaigns import signing
    from internationale.campaigns.screening import Verdict

    monkeypatch.setattr(signing, "screen_received", lambda submission, listed: Verdict.BLOCK)
    blocked = client.post(f"/campaigns/{campaign.pk}/sign/", form(campaign))
    assert blocked.status_code == 302
    monkeypatch.setattr(signing, "screen_on_receipt", lambda submission: (None, True))
    dropped = client.post(
        f"/campaigns/{campaign.pk}/sign/", form(campaign, email="other@correo.example")
    )
    assert dropped.status_code == 302
    work_off()
    assert mail.outbox == []
    assert list(Signature.objects.values_list("status", flat=True)) == ["blocked"]
    assert count_all() == 0


def test_the_limits_count_an_ipv6_subscriber_by_its_64_however_it_is_written():
    """One subscriber holds a /64: its addresses, compressed or not, count as one for the limits;
    another /64 counts apart, and an IPv4 address mapped into IPv6 counts as itself."""
    from internationale.campaigns.signing import client_hash

    same = {
        client_hash("2001:db8::a:b:c:d"),
        client_hash("2001:db8::e:b:c:d"),
        client_hash("2001:0db8:0000:0000:0001:0002:0003:0004"),
    }
    assert len(same) == 1
    assert client_hash("2001:db8:0:1::1") not in same
    assert client_hash("::ffff:198.51.100.7") == client_hash("198.51.100.7")
    assert client_hash("198.51.100.7") != client_hash("198.51.100.8")
