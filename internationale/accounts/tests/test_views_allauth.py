"""Signing up, in and out, e-mail, passwords and two-factor authentication: allauth's flows inside
our layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail

from internationale.accounts.models import User
from internationale.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new password for the union"


def in_our_layout(response) -> bool:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    return (
        'class="skip" href="#main"' in page
        and '<main id="main"' in page
        and "/static/css/site.css" in page
        and 'href="/api/v1/docs"' in page
    )


def link_in(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body)[1]


def totp_code(secret: str) -> str:
    """The code of the current 30-second window; near a window's end, the next one's, so that a
    slow machine's submission still falls within the window the code was made for."""
    import time

    if time.time() % 30 > 24:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/password/reset/key/1-not-a-key/",
    ],
)
def test_entrance_pages_render_in_the_site_layout(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert in_our_layout(response)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/2fa/",
    ],
)
def test_account_pages_render_in_the_site_layout(client_for, ana, url):
    response = client_for(ana).get(url)
    assert response.status_code == 200
    assert in_our_layout(response)


def test_the_sign_in_form_has_labels_and_ties_errors_to_the_form(client_for, ana):
    client = client_for(None)
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">' in page and '<label for="id_password">' in page
    response = sign_in(client, "ana@metal.example", "wrong password")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "errorlist" in page


def test_signing_in_and_out(client_for, ana):
    client = client_for(None)
    response = sign_in(client, "ana@metal.example")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_sign_up_sends_a_confirmation_email_whose_link_confirms_the_address(client_for):
    client = client_for(None)
    response = client.post(
        "/accounts/signup/",
        {"email": "new@union.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@union.example"]
    address = EmailAddress.objects.get(email="new@union.example")
    assert not address.verified
    link = link_in(mail.outbox[0])
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert in_our_layout(confirm)
    assert client.post(link).status_code == 302
    address.refresh_from_db()
    assert address.verified


def test_sign_up_errors_are_tied_to_their_fields(client_for):
    response = client_for(None).post(
        "/accounts/signup/", {"email": "not-an-address", "password1": "x", "password2": "y"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error"' in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_email"', page) or re.search(
        r'<input[^>]*id="id_email"[^>]*aria-invalid="true"', page
    )


def test_password_reset_sends_a_mail_whose_link_sets_a_new_password(client_for, ana):
    client = client_for(None)
    response = client.post("/accounts/password/reset/", {"email": "ana@metal.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert in_our_layout(form_page)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert done.status_code == 200
    assert in_our_layout(done)
    assert User.objects.get(pk=ana.pk).check_password(NEW_PASSWORD)


FORGED_HOST = "attacker.example"


@pytest.fixture
def forged_host(settings):
    """A server that answers any Host (or a proxy that passes any on) and its public address."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://solidarity.example.org"
    return FORGED_HOST


def sent_with_forged_host(client, path: str, data: dict):  # type: ignore[no-untyped-def]
    response = client.post(path, data, HTTP_HOST=FORGED_HOST)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert FORGED_HOST not in message.subject + message.body
    return message


def test_a_password_reset_link_is_on_the_site_address_whatever_host_the_request_named(
    client_for, ana, forged_host
):
    client = client_for(None)
    message = sent_with_forged_host(
        client, "/accounts/password/reset/", {"email": "ana@metal.example"}
    )
    assert "https://solidarity.example.org/accounts/password/reset/key/" in message.body
    assert "solidarity.example.org" in message.subject


def test_a_reset_asked_for_an_unknown_address_links_to_sign_up_on_the_site_address(
    client_for, forged_host
):
    message = sent_with_forged_host(
        client_for(None), "/accounts/password/reset/", {"email": "nobody@union.example"}
    )
    assert "https://solidarity.example.org/accounts/signup/" in message.body


def test_a_confirmation_link_is_on_the_site_address_whatever_host_the_request_named(
    client_for, forged_host
):
    message = sent_with_forged_host(
        client_for(None),
        "/accounts/signup/",
        {"email": "new@union.example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "https://solidarity.example.org/accounts/confirm-email/" in message.body


def test_changing_the_password(client_for, ana):
    client = client_for(ana)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=ana.pk).check_password(NEW_PASSWORD)


def test_two_factor_activation_recovery_codes_and_sign_in(client_for, ana):
    client = client_for(ana)
    # Activation asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    reauthenticate = client.get(response["Location"])
    assert reauthenticate.status_code == 200 and in_our_layout(reauthenticate)
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    assert in_our_layout(activate)
    secret = client.session["mfa.totp.secret"]
    assert secret in activate.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=ana, type=Authenticator.Type.TOTP).exists()

    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200 and in_our_layout(codes)
    assert client.get("/accounts/2fa/recovery-codes/generate/").status_code == 200
    assert client.get("/accounts/2fa/totp/deactivate/").status_code == 200

    client.post("/accounts/logout/")
    response = sign_in(client, "ana@metal.example")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    challenge = client.get("/accounts/2fa/authenticate/")
    assert challenge.status_code == 200 and in_our_layout(challenge)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_email_management_lists_addresses_with_their_state(client_for, ana):
    page = client_for(ana).get("/accounts/email/").content.decode()
    assert "ana@metal.example" in page
    assert 'class="badge success"' in page
