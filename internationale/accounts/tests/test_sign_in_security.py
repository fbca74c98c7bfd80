"""Signing in safely: operators through the platform's sign-in with their second factor, second
factor secrets kept encrypted, and sign-in limits per address (behind proxies) and per account."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.accounts.tests.test_views_allauth import sign_in, totp_code

pytestmark = pytest.mark.django_db


# Operators -------------------------------------------------------------------------------------


def test_the_operator_pages_sign_in_sends_to_the_platforms_sign_in_and_back():
    response = Client().get("/operator/login/?next=/operator/organizations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/operator/organizations/"
    # Reaching an operator page signed out ends there too.
    response = Client().get("/operator/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/operator/"


def test_the_operator_pages_sign_in_form_takes_no_password(oscar):
    client = Client()
    response = client.post(
        "/operator/login/?next=/operator/", {"username": oscar.email, "password": PASSWORD}
    )
    assert response.status_code == 405
    assert client.get("/operator/").status_code == 302  # still signed out


def test_an_operator_signs_in_with_the_second_factor_to_reach_the_operator_pages():
    oscar = UserFactory(email="oscar@operators.example", is_staff=True, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(oscar, secret)
    client = Client()
    response = client.post(
        "/accounts/login/?next=/operator/", {"login": oscar.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/operator/").status_code == 302  # not yet
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/operator/"
    assert client.get("/operator/").status_code == 200


def test_an_operator_without_two_factor_is_sent_to_set_it_up_before_any_operator_page(
    owner_org,
):
    oscar = UserFactory(email="oscar@operators.example", is_staff=True, two_factor=False)
    client = Client()
    sign_in(client, oscar.email)
    for page in (
        "/operator/",
        "/operator/accounts/user/",
        f"/organizations/{owner_org.slug}/audit/",
    ):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/organizations/").status_code == 403
    # Setting it up is open to them, and then the operator pages are.
    activate = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert activate.status_code == 200
    assert "set up two-factor authentication" in activate.content.decode()
    TOTP.activate(oscar, generate_totp_secret())
    assert client.get("/operator/").status_code == 200


def test_people_who_are_not_operators_are_not_asked_for_two_factor(client_for, ana):
    assert client_for(ana).get("/dashboard/").status_code == 200


# Second-factor secrets -------------------------------------------------------------------------


def test_a_totp_secret_is_stored_encrypted_and_signing_in_with_its_code_still_works(ana):
    client = Client()
    client.force_login(ana)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    stored = Authenticator.objects.get(user=ana, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in str(stored)
    assert stored.startswith("gAAAAA")  # a Fernet token

    client = Client()
    assert sign_in(client, ana.email)["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/dashboard/").status_code == 200


def test_a_recovery_code_seed_is_stored_encrypted_and_its_codes_still_work(ana):
    TOTP.activate(ana, generate_totp_secret())
    codes = RecoveryCodes.activate(ana)
    seed = codes.instance.data["seed"]
    assert seed.startswith("gAAAAA")
    client = Client()
    sign_in(client, ana.email)
    client.post("/accounts/2fa/authenticate/", {"code": codes.get_unused_codes()[0]})
    assert client.get("/dashboard/").status_code == 200


def test_a_secret_stored_in_clear_by_an_earlier_version_still_works_and_the_migration_encrypts_it(
    ana,
):
    import importlib

    from django.apps import apps

    secret = generate_totp_secret()
    legacy = Authenticator.objects.create(
        user=ana, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    client = Client()
    sign_in(client, ana.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/dashboard/").status_code == 200

    migration = importlib.import_module(
        "internationale.accounts.migrations.0003_encrypt_mfa_secrets"
    )
    migration.encrypt_clear_secrets(apps, None)
    legacy.refresh_from_db()
    assert legacy.data["secret"].startswith("gAAAAA")
    assert get_adapter().decrypt(legacy.data["secret"]) == secret


def test_the_operator_pages_never_show_a_second_factor_secret(client_for, ana):
    # An operator as the command line appoints one: the operator pages whole.
    oscar = UserFactory(email="oscar@operators.example", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    authenticator = TOTP.activate(ana, secret).instance
    client = client_for(oscar)
    listing = client.get("/operator/mfa/authenticator/")
    assert listing.status_code == 200
    page = client.get(f"/operator/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert secret not in content and authenticator.data["secret"] not in content
    assert 'name="data"' not in content
    assert client.get("/operator/mfa/authenticator/add/").status_code == 403


# Sign-in limits --------------------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    """The limits production uses (the test settings turn them off)."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/900s/key"}
    cache.clear()
    yield settings
    cache.clear()


WRONG = "not the password"  # noqa: S105


def _refused(email: str, address: str, forwarded: str = "", password: str = WRONG) -> bool:
    """One sign-in attempt from `address` (forwarded for `forwarded`): was it refused by a limit?"""
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post("/accounts/login/", {"login": email, "password": password}, **headers)
    return response.status_code == 429 or "Too many failed" in response.content.decode()


def test_two_people_behind_the_same_proxy_are_limited_separately(limits, nell, ana):
    limits.INTERNATIONALE_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # Ten failures from one person's address, on different accounts: that address is stopped.
    for n in range(10):
        _refused(f"someone{n}@example.org", proxy, forwarded="203.0.113.7")
    assert _refused("someone-else@example.org", proxy, forwarded="203.0.113.7")
    # Another person behind the same proxy signs in.
    response = Client().post(
        "/accounts/login/",
        {"login": ana.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert response.status_code == 302


def test_a_forged_forwarded_address_from_a_direct_client_is_ignored(limits, ana):
    limits.INTERNATIONALE_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        _refused(f"someone{n}@example.org", "203.0.113.7", forwarded=f"198.51.100.{n}")
    assert _refused("someone-else@example.org", "203.0.113.7", forwarded="192.0.2.1")


def test_repeated_failures_on_one_account_from_many_addresses_lock_its_sign_in(limits, ana):
    limits.INTERNATIONALE_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _refused(ana.email, "10.0.0.2", forwarded=f"198.51.100.{n}")
    # Even the right password, from yet another address, is refused for a while.
    assert _refused(ana.email, "10.0.0.2", forwarded="192.0.2.1", password=PASSWORD)
    # Other accounts are not affected.
    assert not _refused("nobody@example.org", "10.0.0.2", forwarded="192.0.2.1")


def test_the_failures_are_counted_where_every_process_of_the_server_sees_them(limits, ana):
    """`serve` runs several web processes: a count kept in one process's memory would let each
    of them allow five failures. The count lives in the database, which they all share."""
    from django.db import connection

    for _n in range(5):
        _refused(ana.email, "203.0.113.7")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM internationale_cache")
        (kept,) = cursor.fetchone()
    assert kept > 0
    assert _refused(ana.email, "198.51.100.4", password=PASSWORD)


@pytest.mark.parametrize(
    "count, remote, forwarded, expected",
    [
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # a forged first hop
        (2, "10.0.0.2", "192.0.2.66, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_the_client_address_counts_the_trusted_proxies_from_the_right(
    settings, rf, count, remote, forwarded, expected
):
    from internationale.core.http import client_ip

    settings.INTERNATIONALE_TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
