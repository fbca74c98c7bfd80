"""API tokens end for good: with the membership, with a new password or a second factor, at the
expiry chosen when they were made; and making one asks for the password (or code) again."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client
from django.utils import timezone

from internationale.accounts.models import ApiToken
from internationale.accounts.services import token_create
from internationale.accounts.tests.factories import PASSWORD
from internationale.accounts.tests.test_views_allauth import totp_code
from internationale.core.models import AuditEntry
from internationale.organizations.models import Membership
from internationale.organizations.services import membership_add, membership_remove

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new password for the union"  # noqa: S105
TOKENS = "/organizations/metal-sp/tokens/"


def works(raw: str) -> bool:
    return Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 200


# With the membership -----------------------------------------------------------------------------


def test_a_removed_members_token_stays_dead_when_they_rejoin(ana, mo, owner_org):
    token, raw = token_create(actor=mo, user=mo, organization=owner_org, name="script")
    assert works(raw)
    membership_remove(actor=ana, membership=Membership.objects.get(user=mo))
    token.refresh_from_db()
    assert token.revoked_at is not None
    membership_add(actor=ana, organization=owner_org, user=mo, role="member")
    assert not works(raw)


def test_a_token_does_not_outlive_a_membership_deleted_outside_its_service(ana, mo, owner_org):
    _token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    Membership.objects.filter(user=mo).delete()  # as the operator pages may
    membership_add(actor=ana, organization=owner_org, user=mo, role="member")
    assert not works(raw)


# With the person's credentials ------------------------------------------------------------------


def test_changing_the_password_revokes_the_tokens_and_tells_the_person(
    client_for, mo, owner_org, run_tasks, django_capture_on_commit_callbacks
):
    _token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mo).post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    assert not works(raw)
    assert AuditEntry.objects.filter(action="token.revoke", data__reason="password").exists()
    run_tasks()
    [message] = [m for m in mail.outbox if m.to == [mo.email]]
    assert message.subject == "Your API tokens were revoked"
    assert "Your password was changed" in message.body


def test_a_password_reset_or_set_by_an_operator_revokes_the_tokens_too(mo, owner_org):
    _token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    mo.set_password(NEW_PASSWORD)
    mo.save()
    assert not works(raw)


def test_signing_in_again_keeps_the_tokens(mo, owner_org):
    _token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    client = Client()
    client.post("/accounts/login/", {"login": mo.email, "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 200
    assert works(raw)


def test_turning_on_two_factor_revokes_the_tokens_and_tells_the_person(
    client_for, mo, owner_org, run_tasks, django_capture_on_commit_callbacks
):
    _token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    client = client_for(mo)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert not works(raw)
    run_tasks()
    [message] = [m for m in mail.outbox if m.to == [mo.email]]
    assert "Two-factor authentication was set up" in message.body


# Expiry ------------------------------------------------------------------------------------------


def test_a_token_made_with_an_expiry_stops_working_then(client_for, mo):
    client = client_for(mo)
    response = client.post(TOKENS, {"name": "a month", "expires_in": "30", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(TOKENS).content.decode()
    raw = re.search(r'id="new-token"[^>]*value="(int_[^"]+)"', page)[1]
    token = ApiToken.objects.get(user=mo)
    assert token.expires_at is not None
    assert (
        abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))).total_seconds() < 60
    )
    assert works(raw)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not works(raw)
    assert "expired" in client.get(TOKENS).content.decode()


def test_a_token_made_without_an_expiry_lasts_until_revoked(client_for, mo):
    client_for(mo).post(TOKENS, {"name": "forever", "expires_in": "", "password": PASSWORD})
    assert ApiToken.objects.get(user=mo).expires_at is None


def test_an_expiry_outside_the_offered_ones_or_in_the_past_is_refused(client_for, mo, owner_org):
    response = client_for(mo).post(TOKENS, {"expires_in": "-3", "password": PASSWORD})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(
            actor=mo,
            user=mo,
            organization=owner_org,
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert not ApiToken.objects.exists()


# Asking for the password again -------------------------------------------------------------------


def test_making_a_token_asks_for_the_password_again(client_for, mo):
    client = client_for(mo)
    page = client.get(TOKENS).content.decode()
    assert 'name="password"' in page and 'autocomplete="current-password"' in page
    for data in ({"name": "x"}, {"name": "x", "password": "not it"}):
        response = client.post(TOKENS, data)
        assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_with_two_factor_making_a_token_asks_for_a_code_instead(client_for, mo):
    secret = generate_totp_secret()
    TOTP.activate(mo, secret)
    client = client_for(mo)
    page = client.get(TOKENS).content.decode()
    assert 'name="code"' in page and 'name="password"' not in page
    assert client.post(TOKENS, {"name": "x", "code": "000000"}).status_code == 200
    assert client.post(TOKENS, {"name": "x", "password": PASSWORD}).status_code == 200
    assert not ApiToken.objects.exists()
    assert client.post(TOKENS, {"name": "x", "code": totp_code(secret)}).status_code == 302
    assert ApiToken.objects.filter(user=mo).count() == 1


def test_the_command_line_makes_a_token_with_an_expiry(mo, owner_org, capsys):
    from internationale.cli import main

    code = main(
        ["token", "create", "--email", mo.email, "--org", owner_org.slug, "--expires-in-days", "7"]
    )
    assert code == 0
    token = ApiToken.objects.get(user=mo)
    assert token.expires_at is not None and token.expires_at < timezone.now() + datetime.timedelta(
        days=8
    )
    assert (
        main(
            [
                "token",
                "create",
                "--email",
                mo.email,
                "--org",
                owner_org.slug,
                "--expires-in-days",
                "0",
            ]
        )
        == 2
    )
