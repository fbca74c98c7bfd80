"""People and their API tokens."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.accounts import services
from internationale.accounts.models import ApiToken, User
from internationale.core.models import AuditEntry
from internationale.organizations.models import Membership
from internationale.organizations.services import membership_remove


def test_an_operator_creates_a_person_with_a_confirmed_address(db):
    person = services.user_create(email=" Lena@Example.ORG ", password="a long passphrase")
    assert person.email == "lena@example.org"
    assert person.check_password("a long passphrase")
    assert EmailAddress.objects.get(user=person).verified


def test_the_same_address_cannot_be_registered_twice(nell):
    with pytest.raises(ValidationError):
        services.user_create(email="NELL@example.org")
    assert User.objects.filter(email__iexact="nell@example.org").count() == 1


def test_an_unknown_time_zone_is_refused(nell):
    with pytest.raises(ValidationError):
        services.user_set_preferences(actor=nell, time_zone="Mars/Olympus_Mons")
    services.user_set_preferences(actor=nell, time_zone="America/Sao_Paulo", language="es")
    nell.refresh_from_db()
    assert (nell.time_zone, nell.language) == ("America/Sao_Paulo", "es")


def test_a_member_creates_a_token_shown_once_and_kept_only_as_a_hash(mo, owner_org):
    token, raw = services.token_create(actor=mo, user=mo, organization=owner_org, name="laptop")
    assert raw.startswith("int_")
    assert token.key_prefix == raw[:10]
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    entry = AuditEntry.objects.get(action="token.create")
    assert (entry.organization, entry.actor) == (owner_org, mo)
    assert raw not in entry.summary


def test_a_token_authenticates_its_person_and_records_its_use(mo, owner_org):
    token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    assert token.last_used_at is None
    found = services.token_authenticate(raw)
    assert (found.user, found.organization) == (mo, owner_org)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_unknown_or_malformed_key_authenticates_nobody(mo, owner_org):
    _token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    assert services.token_authenticate(raw + "x") is None
    assert services.token_authenticate(raw[4:]) is None
    assert services.token_authenticate("") is None


def test_a_revoked_token_is_refused_and_the_revocation_audited(mo, owner_org):
    token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    services.token_revoke(actor=mo, token=token)
    assert services.token_authenticate(raw) is None
    assert AuditEntry.objects.filter(action="token.revoke", organization=owner_org).count() == 1
    services.token_revoke(actor=mo, token=token)  # revoking again changes nothing
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_the_admin_revokes_a_members_token_and_other_members_cannot(ana, mo, olu, owner_org):
    token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=olu, token=token)
    assert services.token_authenticate(raw) is not None
    services.token_revoke(actor=ana, token=token)
    assert services.token_authenticate(raw) is None


def test_nobody_creates_a_token_for_someone_else(ana, mo, owner_org):
    with pytest.raises(PermissionDenied):
        services.token_create(actor=ana, user=mo, organization=owner_org)
    assert not ApiToken.objects.exists()


def test_a_token_is_only_for_an_organization_one_belongs_to(kim, owner_org):
    with pytest.raises(ValidationError):
        services.token_create(actor=kim, user=kim, organization=owner_org)
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_its_person_leaves_the_organization(ana, mo, owner_org):
    _token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    membership_remove(actor=ana, membership=Membership.objects.get(user=mo))
    assert services.token_authenticate(raw) is None


def test_a_token_of_a_deactivated_person_is_refused(mo, owner_org):
    _token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    mo.is_active = False
    mo.save()
    assert services.token_authenticate(raw) is None


def test_the_last_use_is_written_at_most_once_a_minute(mo, owner_org):
    token, raw = services.token_create(actor=mo, user=mo, organization=owner_org)
    services.token_authenticate(raw)
    token.refresh_from_db()
    first = token.last_used_at
    services.token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    services.token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(seconds=1)
    assert token.last_used_at <= timezone.now()
