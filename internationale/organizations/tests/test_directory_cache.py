"""The directory's answers are kept for a few seconds between requests: never across a change of
what it shows, and never from one kind of viewer to another. These tests run outside a wrapping
transaction, as a server does, so that the cache is in use."""

import pytest
from django.test import Client

from internationale.organizations import directory, services
from internationale.organizations.models import Organization
from internationale.organizations.tests.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS = 60
    directory.forget()
    yield


def page(client: Client, query: str = "") -> str:
    return client.get(f"/organizations/{query}").content.decode()


def api(client: Client) -> set[str]:
    return {o["slug"] for o in client.get("/api/v1/organizations?limit=100").json()["items"]}


@pytest.mark.django_db(transaction=True)
def test_an_organization_whose_verification_is_withdrawn_leaves_the_public_directory_at_once(
    client_for, oscar
):
    OrganizationFactory(name="Dockers of Santos", slug="docks-santos")
    anonymous = client_for(None)
    assert "Dockers of Santos" in page(anonymous)
    assert "Dockers of Santos" in page(anonymous)  # now answered from the cache

    services.organization_unverify(
        actor=oscar, organization=Organization.objects.get(slug="docks-santos")
    )

    assert "Dockers of Santos" not in page(anonymous)


@pytest.mark.django_db(transaction=True)
def test_a_cached_answer_is_never_given_to_a_viewer_who_may_see_less(client_for, kim, uma):
    OrganizationFactory(name="Textile Union", slug="textile")
    OrganizationFactory(name="Hidden New Union", slug="hidden-new", verified_at=None)
    network = client_for(kim)
    assert "Hidden New Union" in page(network)  # the network sees unverified organizations
    assert "hidden-new" in api(network)

    for outsider in (client_for(None), client_for(uma)):
        assert "Hidden New Union" not in page(outsider)
        assert "Textile Union" in page(outsider)
    assert "hidden-new" not in api(client_for(uma))


@pytest.mark.django_db(transaction=True)
def test_a_renamed_organization_shows_its_new_name_at_once(client_for, ana, owner_org):
    anonymous = client_for(None)
    assert "Metalworkers of São Paulo" in page(anonymous, "?country=BR")
    services.organization_update(actor=ana, organization=owner_org, name="Metalworkers Union SP")
    assert "Metalworkers Union SP" in page(anonymous, "?country=BR")


def elsewhere(write):  # type: ignore[no-untyped-def]
    """Run `write` as another process of the server would: whatever it changes in this process's
    memory (the directory's version and kept answers) is put back as it was."""
    held = [directory.version, directory.page_answers, directory.api_answers]
    saved = [
        {
            name: value.copy() if isinstance(value, dict) else value
            for name, value in vars(o).items()
        }
        for o in held
    ]
    write()
    for obj, state in zip(held, saved, strict=True):
        vars(obj).clear()
        vars(obj).update(state)


@pytest.mark.django_db(transaction=True)
def test_a_verification_withdrawn_in_another_process_shows_at_the_next_request_here(
    client_for, oscar, kim
):
    OrganizationFactory(name="Dockers of Santos", slug="docks-santos")
    anonymous, network = client_for(None), client_for(kim)
    assert "Dockers of Santos" in page(anonymous)
    assert "docks-santos" in api(network)

    elsewhere(
        lambda: services.organization_unverify(
            actor=oscar, organization=Organization.objects.get(slug="docks-santos")
        )
    )

    assert "Dockers of Santos" not in page(anonymous)
    assert "docks-santos" in api(network)  # the network still sees it, now unverified
    assert not next(
        o
        for o in client_for(kim).get("/api/v1/organizations?limit=100").json()["items"]
        if o["slug"] == "docks-santos"
    )["verified"]
