"""Near-duplicate names and the operators' verification queue.

Anyone signed in may register an organization; one whose name another organization of the same
country already has, up to case, accents, punctuation and spaces, is registered only once its
creator confirms it is another organization. Operators verify pending organizations from a queue
that shows their vouches and the similar names."""

from internationale.core.models import AuditEntry
from internationale.core.text import name_key
from internationale.organizations.models import Organization
from internationale.organizations.services import vouch_add

REGISTER = "/organizations/new/"


def registration(name, country="BR", **extra):  # type: ignore[no-untyped-def]
    return {"name": name, "kind": "union", "country": country, **extra}


def test_names_are_compared_without_case_accents_punctuation_or_spaces():
    assert name_key("Metalworkers of São Paulo") == name_key(" METAL-WORKERS of Sao  Paulo!")
    assert name_key("Metalworkers of São Paulo") != name_key("Metalworkers of Santos")


def test_registering_a_near_duplicate_shows_the_similar_organization_and_asks_to_confirm(
    client_for, nell, owner_org
):
    client = client_for(nell)
    response = client.post(REGISTER, registration("METALWORKERS of Sao Paulo!"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Organizations with a similar name in this country" in page
    assert f'href="/organizations/{owner_org.slug}/"' in page
    assert 'type="checkbox" name="similar_confirmed"' in page
    assert Organization.objects.count() == 1

    confirmed = client.post(
        REGISTER, registration("METALWORKERS of Sao Paulo!", similar_confirmed="on")
    )
    assert confirmed.status_code == 302
    assert Organization.objects.filter(name="METALWORKERS of Sao Paulo!").exists()


def test_the_same_name_in_another_country_is_registered_without_asking(client_for, nell, owner_org):
    response = client_for(nell).post(REGISTER, registration(owner_org.name, country="PT"))
    assert response.status_code == 302
    assert Organization.objects.filter(name=owner_org.name).count() == 2


def test_the_queue_shows_pending_organizations_with_their_vouches_and_similar_names(
    client_for, oscar, kim, other_org, unverified_org
):
    vouch_add(actor=kim, organization=unverified_org, voucher=other_org)
    impostor = Organization.objects.create(
        name="new riders' union", slug="riders-copy", kind="union", country="FR"
    )

    page = client_for(oscar).get("/verification/").content.decode()

    assert page.index("New Riders Union") < page.index("Korean Dockworkers")  # its voucher
    for org in (unverified_org, impostor):
        assert f'id="pending-{org.slug}"' in page
    assert 'href="/organizations/riders-copy/"' in page  # named as similar to the first
    assert "Metalworkers" not in page  # verified: not waiting


def test_an_operator_verifies_from_the_queue_and_it_is_audited(client_for, oscar, unverified_org):
    client = client_for(oscar)
    response = client.post(f"/organizations/{unverified_org.slug}/verify/", {"from": "queue"})

    assert response["Location"] == "/verification/"
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None
    entry = AuditEntry.objects.get(action="organization.verify", organization=unverified_org)
    assert (entry.actor, entry.data["by"]) == (oscar, "operator")
    assert (
        f'id="pending-{unverified_org.slug}"' not in client.get("/verification/").content.decode()
    )


def test_the_queue_does_not_exist_for_anyone_but_operators(client_for, ana, kai, uma, nell):
    for person in (ana, kai, uma, nell):
        assert client_for(person).get("/verification/").status_code == 404
