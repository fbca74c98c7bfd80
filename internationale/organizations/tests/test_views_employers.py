"""The shared directory of employers, their sites and who organizes there, through real requests."""

from internationale.organizations.models import Employer, EmployerSite
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    PresenceFactory,
)


def test_the_employer_list_searches_by_name_and_counts_sites(client_for, db):
    steel = EmployerFactory(name="Global Steel", headquarters="LU")
    EmployerSiteFactory(employer=steel, country="BR")
    EmployerSiteFactory(employer=steel, country="IN")
    EmployerFactory(name="Ocean Carriers")
    page = client_for().get("/employers/?q=steel").content.decode()
    assert "Global Steel" in page and "Ocean Carriers" not in page
    assert "Headquarters: Luxembourg" in page and "2 sites" in page
    assert "1 employer" in page


def test_the_employer_list_is_paginated(client_for, db):
    for n in range(27):
        EmployerFactory(name=f"Company {n:02d}")
    client = client_for()
    first = client.get("/employers/").content.decode()
    assert "Company 24" in first and "Company 25" not in first and "Page 1 of 2" in first
    assert "Company 26" in client.get("/employers/?page=2").content.decode()


def test_the_employer_list_explains_when_nothing_matches(client_for, db):
    page = client_for().get("/employers/?q=nothing").content.decode()
    assert 'class="empty"' in page


def test_the_employer_list_offers_to_add_one_only_to_those_who_may(client_for, sam, mo):
    assert "/employers/new/" in client_for(sam).get("/employers/").content.decode()
    assert "/employers/new/" not in client_for(mo).get("/employers/").content.decode()


def test_a_secretary_of_a_verified_organization_adds_an_employer(client_for, sam):
    response = client_for(sam).post(
        "/employers/new/",
        {"name": "Ocean Carriers", "headquarters": "DK", "website": "https://ocean.example"},
        follow=True,
    )
    employer = Employer.objects.get()
    assert response.redirect_chain[-1][0] == f"/employers/{employer.slug}/"
    assert "Ocean Carriers is in the directory." in response.content.decode()
    assert employer.headquarters == "DK" and employer.created_by == sam


def test_an_employer_already_in_the_directory_is_refused(client_for, sam):
    EmployerFactory(name="Ocean Carriers")
    response = client_for(sam).post("/employers/new/", {"name": "ocean carriers"})
    page = response.content.decode()
    assert "already in the directory" in page and 'id="id_name_error"' in page
    assert Employer.objects.count() == 1


def test_an_employer_sent_twice_at_once_is_added_once(client_for, sam):
    client = client_for(sam)
    data = {"name": "Ocean Carriers", "submission_key": "one"}
    assert client.post("/employers/new/", data).status_code == 302
    assert client.post("/employers/new/", data).status_code == 302
    assert Employer.objects.count() == 1


def test_a_member_of_an_unverified_organization_cannot_add_employers(client_for, uma):
    assert client_for(uma).post("/employers/new/", {"name": "X Corp"}).status_code == 403
    assert not Employer.objects.exists()


def test_the_employer_page_groups_sites_by_country_with_the_organizations_present(
    client_for, owner_org, other_org
):
    employer = EmployerFactory(name="Global Ports", slug="global-ports", headquarters="NL")
    santos = EmployerSiteFactory(employer=employer, name="Santos terminal", country="BR")
    busan = EmployerSiteFactory(employer=employer, name="Busan terminal", country="KR")
    EmployerSiteFactory(employer=employer, name="Rotterdam terminal", country="NL")
    PresenceFactory(organization=owner_org, employer=employer, site=santos, visibility="public")
    PresenceFactory(organization=other_org, employer=employer, site=busan, visibility="network")
    page = client_for().get("/employers/global-ports/").content.decode()
    assert "<h3>Brazil</h3>" in page and "<h3>South Korea</h3>" in page
    assert "<h3>Netherlands</h3>" in page
    assert page.index("Santos terminal") < page.index("Metalworkers of São Paulo")
    assert "Korean Dockworkers" not in page  # network presence, anonymous visitor
    assert "no organization listed" in page
    assert "/organizations/?employer=global-ports" in page


def test_members_of_the_network_see_network_presences_at_an_employer(client_for, other_org, mo):
    employer = EmployerFactory(slug="global-ports")
    busan = EmployerSiteFactory(employer=employer, name="Busan terminal", country="KR")
    PresenceFactory(organization=other_org, employer=employer, site=busan, visibility="network")
    assert "Korean Dockworkers" in client_for(mo).get("/employers/global-ports/").content.decode()


def test_organizations_present_in_general_are_listed_apart_from_sites(client_for, owner_org):
    employer = EmployerFactory(slug="global-ports")
    PresenceFactory(organization=owner_org, employer=employer, site=None, visibility="public")
    page = client_for().get("/employers/global-ports/").content.decode()
    assert "Organizing at this employer in general" in page
    assert "Metalworkers of São Paulo" in page


def test_a_secretary_adds_a_site_on_the_employer_page(client_for, kim):
    employer = EmployerFactory(slug="global-ports")
    client = client_for(kim)
    assert "Add a site" in client.get("/employers/global-ports/").content.decode()
    response = client.post(
        "/employers/global-ports/",
        {"name": "Incheon terminal", "country": "KR", "city": "Incheon"},
        follow=True,
    )
    assert "The site Incheon terminal is added." in response.content.decode()
    assert "<h3>South Korea</h3>" in response.content.decode()
    site = EmployerSite.objects.get()
    assert (site.employer, site.country, site.city) == (employer, "KR", "Incheon")


def test_a_site_without_a_country_is_refused(client_for, kim):
    EmployerFactory(slug="global-ports")
    response = client_for(kim).post("/employers/global-ports/", {"name": "Somewhere"})
    assert 'id="id_country_error"' in response.content.decode()
    assert not EmployerSite.objects.exists()


def test_a_site_sent_twice_at_once_is_added_once(client_for, kim):
    EmployerFactory(slug="global-ports")
    data = {"name": "Incheon terminal", "country": "KR", "submission_key": "k"}
    client_for(kim).post("/employers/global-ports/", data)
    client_for(kim).post("/employers/global-ports/", data)
    assert EmployerSite.objects.count() == 1


def test_visitors_see_no_site_form_and_cannot_post_one(client_for, mo):
    EmployerFactory(slug="global-ports")
    assert "Add a site" not in client_for(mo).get("/employers/global-ports/").content.decode()
    response = client_for(mo).post("/employers/global-ports/", {"name": "X", "country": "BR"})
    assert response.status_code == 403
    assert not EmployerSite.objects.exists()


def test_an_unknown_employer_is_not_found(client_for, db):
    assert client_for().get("/employers/no-such-company/").status_code == 404
