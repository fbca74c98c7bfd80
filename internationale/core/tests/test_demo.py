"""The demo network: large and varied enough to show every part of the platform, loaded once."""

import io

import pytest
from django.apps import apps

from internationale.accounts.models import User
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import (
    Employer,
    Membership,
    Organization,
    OrganizationLanguage,
    Presence,
    Relation,
    Vouch,
)
from internationale.organizations.reference import region_of
from internationale.web.demo import DEMO_PASSWORD, DEMO_SIGN_INS, load_demo


@pytest.fixture
def demo(db):
    assert load_demo() is True


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "account",
            "organizations",
            "notifications",
            "core",
            "django_tasks_database",
        }
    }


def test_the_demo_spans_every_continent_language_and_kind(demo):
    orgs = Organization.objects.all()
    assert orgs.count() >= 30
    countries = {o.country.code for o in orgs}
    assert len(countries) >= 15
    assert {region_of(c) for c in countries} == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    languages = {
        tag.split("-")[0] for tag in OrganizationLanguage.objects.values_list("tag", flat=True)
    }
    assert len(languages) >= 8
    assert {o.kind for o in orgs} == set(Organization.Kind.values)
    assert orgs.filter(verified_at__isnull=True).count() >= 2
    assert orgs.filter(verified_at__isnull=False).count() >= 25


def test_every_organization_has_an_admin_and_every_role_is_held(demo):
    assert not Organization.objects.exclude(memberships__role="admin").exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    for role in Membership.Role.values:
        orgs = Membership.objects.filter(role=role).values("organization").distinct().count()
        assert orgs >= 3, role
    assert User.objects.filter(is_staff=True).count() == 1
    assert not User.objects.filter(name="").exists()


def test_multinational_employers_have_sites_and_organizations_in_several_countries(demo):
    assert Employer.objects.count() >= 2
    for employer in Employer.objects.all():
        site_countries = set(employer.sites.values_list("country", flat=True))
        assert len(site_countries) >= 3, employer
        present = Presence.objects.filter(employer=employer, site__isnull=False)
        assert len({p.site.country for p in present.select_related("site")}) >= 3


def test_relations_vouches_and_inboxes(demo):
    accepted = Relation.objects.filter(status="accepted")
    assert accepted.count() >= 15
    assert not accepted.filter(since__isnull=True).exists()
    assert set(accepted.values_list("kind", flat=True)) == set(Relation.Kind.values)
    proposed = Relation.objects.filter(status="proposed")
    assert proposed.count() >= 3
    # Each proposal waits in its partner's inbox, as relation_propose leaves it.
    for relation in proposed:
        assert InboxEntry.objects.filter(
            organization=relation.partner, kind="relation.proposed"
        ).exists()
    assert Vouch.objects.count() >= 3
    assert InboxEntry.objects.filter(urgency__gt=0).exists()


def test_the_documented_sign_ins_work_with_the_documented_password(demo, client):
    roles = set()
    for sign_in in DEMO_SIGN_INS:
        user = User.objects.get(email=sign_in.email)
        assert user.name == sign_in.name
        if sign_in.role == "operator":
            assert user.is_staff
        else:
            membership = Membership.objects.get(user=user, organization__name=sign_in.organization)
            assert membership.role == sign_in.role
        roles.add(sign_in.role)
        assert client.login(email=sign_in.email, password=DEMO_PASSWORD)
        client.logout()
    assert {"admin", "secretary", "member", "operator"} <= roles


def test_a_documented_secretary_speaks_for_an_organization_at_an_employer(demo):
    secretaries = [s for s in DEMO_SIGN_INS if s.role == "secretary"]
    assert any(
        Presence.objects.filter(organization__name=s.organization, site__isnull=False).exists()
        for s in secretaries
    )


def test_a_visitor_who_does_not_sign_in_finds_the_unions_at_meridian_as_the_tour_says(demo, client):
    """The README's tour: without signing in, filter the organizations by Meridian Freight."""
    listing = client.get("/organizations/?employer=meridian-freight").content.decode()
    employer = client.get("/employers/meridian-freight/").content.decode()
    present = Presence.objects.filter(employer__slug="meridian-freight")
    names = {p.organization.name.replace("'", "&#x27;") for p in present}
    assert len(names) >= 3
    assert all(name in listing and name in employer for name in names)
    assert "0 organizations" not in listing
    # Elsewhere, presences stay with the network, and the visitor is told why fewer show.
    assert "only with the network" in client.get("/employers/corvina-apparel/").content.decode()


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _counts()
    out = io.StringIO()
    assert load_demo(stdout=out) is False
    assert "already loaded" in out.getvalue()
    assert _counts() == before


def test_the_demo_loads_beside_existing_data(db):
    from internationale.organizations.tests.factories import OrganizationFactory

    OrganizationFactory(slug="gtl", name="Someone else's GTL")
    assert load_demo() is True
    assert Organization.objects.filter(name="Gewerkschaft Transport und Logistik").exists()
