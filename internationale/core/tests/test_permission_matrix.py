"""Every URL of the project against every persona. See matrix.py for how cases are declared."""

import datetime
import importlib
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.accounts.tests.factories import UserFactory
from internationale.core.actors import System
from internationale.notifications.models import InboxEntry, Webhook
from internationale.organizations.models import Membership, Relation, Vouch
from internationale.organizations.services import invitation_create
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    MembershipFactory,
    OrganizationFactory,
    PresenceFactory,
)

from .matrix import PERSONAS, Case, World

# URL namespaces and names that are not ours to check: allauth's own pages, the operator admin
# (Django's admin, staff only), static media, and the API's generated documentation.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT_MODULES = ("allauth.",)
EXEMPT_NAMES = {"media", "api:openapi-json", "api:openapi-view"}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("internationale."):
            continue
        for name in ("matrix", "matrix_api"):
            try:
                module = importlib.import_module(f"{config.name}.tests.{name}")
            except ModuleNotFoundError:
                continue
            cases.extend(getattr(module, "CASES", []))
    return cases


CASES = all_cases()


def _walk(patterns, namespace=""):  # type: ignore[no-untyped-def]
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            urlconf = entry.urlconf_name
            module = getattr(urlconf, "__name__", str(urlconf))
            if any(module.startswith(m) for m in EXEMPT_MODULES):
                continue
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if any(module.startswith(m) for m in EXEMPT_MODULES):
                continue
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def test_every_url_of_the_project_is_in_the_matrix():
    declared = {case.name for case in CASES}
    missing = sorted(
        name
        for name in set(_walk(get_resolver().url_patterns))
        if name not in declared
        and name not in EXEMPT_NAMES
        and not name.startswith(EXEMPT_PREFIXES)
    )
    assert missing == [], f"URLs with no permission-matrix case: {missing}"


def test_every_case_covers_every_persona():
    incomplete = [case.id for case in CASES if set(case.expected) != set(PERSONAS)]
    assert incomplete == []


@pytest.fixture
def world(db, settings) -> World:
    settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = True
    owner = OrganizationFactory(name="Metalworkers of São Paulo", slug="metal-sp", country="BR")
    other = OrganizationFactory(name="Korean Dockworkers", slug="docks-kr", country="KR")
    unverified = OrganizationFactory(
        name="New Riders Union", slug="riders-new", country="FR", verified_at=None
    )
    people = {}
    for name, org, role in [
        ("uma", unverified, "admin"),
        ("kit", other, "member"),
        ("kim", other, "secretary"),
        ("kai", other, "admin"),
        ("olu", owner, "observer"),
        ("mo", owner, "member"),
        ("sam", owner, "secretary"),
        ("ana", owner, "admin"),
    ]:
        people[name] = MembershipFactory(
            organization=org, role=role, user=UserFactory(email=f"{name}@example.org")
        ).user
    people["nell"] = UserFactory(email="nell@example.org")
    people["oscar"] = UserFactory(email="oscar@example.org", is_staff=True)
    people["anonymous"] = None
    employer = EmployerFactory(name="Global Logistics", slug="global-logistics")
    site = EmployerSiteFactory(employer=employer, name="Santos port", country="BR")
    token, raw = token_create(
        actor=System(reason="test"), user=people["ana"], organization=owner, name="matrix"
    )
    _inv, invitation_token = invitation_create(
        actor=people["ana"], organization=owner, email="nell@example.org", role="member"
    )
    return World(
        people=people,
        owner_org=owner,
        other_org=other,
        unverified_org=unverified,
        membership=Membership.objects.get(user=people["mo"]),
        relation=Relation.objects.create(
            proposer=other,
            partner=owner,
            kind="fraternal",
            proposed_by=people["kim"],
            since=datetime.date(2019, 5, 1),
        ),
        employer=employer,
        site=site,
        presence=PresenceFactory(organization=owner, employer=employer, site=site),
        vouch=Vouch.objects.create(
            organization=unverified, voucher=other, vouched_by=people["kim"]
        ),
        token=token,
        token_raw=raw,
        webhook=Webhook.objects.create(
            organization=owner, url="https://hooks.example.org/in", secret="s" * 64
        ),
        inbox_entry=InboxEntry.objects.create(
            organization=owner,
            kind="test",
            title="A test entry",
            url="/",
            created_at=timezone.now(),
        ),
        invitation_token=invitation_token,
    )


def _request(case: Case, world: World, persona: str):  # type: ignore[no-untyped-def]
    client = Client()
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    path = case.path(world)
    method = getattr(client, case.method.lower())
    if case.data is None:
        return method(path)
    data = case.data(world)
    if case.json:
        return method(path, data=json.dumps(data), content_type="application/json")
    return method(path, data=data)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_permission_matrix(case: Case, persona: str, world: World):
    response = _request(case, world, persona)
    assert response.status_code == case.expected[persona], (
        f"{case.id} as {persona}: {response.status_code}, expected {case.expected[persona]}"
    )
