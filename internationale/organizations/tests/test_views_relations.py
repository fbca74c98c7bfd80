"""Relations, presences at employers, vouches and verification, through real requests."""

from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Organization, Presence, Relation, Vouch
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    MembershipFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)

# Relations --------------------------------------------------------------------------------------


def test_a_secretary_proposes_a_relation_to_a_verified_organization(client_for, sam, other_org):
    client = client_for(sam)
    form = client.get("/organizations/metal-sp/relations/new/").content.decode()
    assert '<option value="docks-kr">Korean Dockworkers · South Korea</option>' in form
    assert 'value="metal-sp"' not in form  # not with itself
    response = client.post(
        "/organizations/metal-sp/relations/new/",
        {
            "partner": "docks-kr",
            "kind": "cooperation",
            "since": "2020-03-01",
            "visibility": "network",
            "note": "Following the Santos meeting.",
        },
        follow=True,
    )
    assert "Your proposal was sent to Korean Dockworkers" in response.content.decode()
    relation = Relation.objects.get()
    assert (relation.proposer.slug, relation.partner.slug) == ("metal-sp", "docks-kr")
    assert relation.status == "proposed" and relation.proposed_by == sam
    assert InboxEntry.objects.filter(organization=other_org, kind="relation.proposed").exists()


def test_unverified_organizations_are_not_offered_as_partners(client_for, sam, unverified_org):
    form = client_for(sam).get("/organizations/metal-sp/relations/new/").content.decode()
    assert "riders-new" not in form
    response = client_for(sam).post(
        "/organizations/metal-sp/relations/new/",
        {"partner": "riders-new", "kind": "fraternal", "visibility": "network"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Relation.objects.exists()


def test_a_private_relation_cannot_be_proposed(client_for, sam, other_org):
    response = client_for(sam).post(
        "/organizations/metal-sp/relations/new/",
        {"partner": "docks-kr", "kind": "fraternal", "visibility": "private"},
    )
    assert 'id="id_visibility_error"' in response.content.decode()
    assert not Relation.objects.exists()


def test_a_second_proposal_of_the_same_kind_is_refused_with_a_reason(
    client_for, sam, owner_org, other_org
):
    RelationFactory(proposer=other_org, partner=owner_org, kind="fraternal", status="proposed")
    response = client_for(sam).post(
        "/organizations/metal-sp/relations/new/",
        {"partner": "docks-kr", "kind": "fraternal", "visibility": "network"},
    )
    assert "already have such a relation" in response.content.decode()
    assert Relation.objects.count() == 1


def test_a_proposal_sent_twice_at_once_creates_one_relation(client_for, sam, other_org):
    client = client_for(sam)
    data = {
        "partner": "docks-kr",
        "kind": "fraternal",
        "visibility": "network",
        "submission_key": "abc",
    }
    assert client.post("/organizations/metal-sp/relations/new/", data).status_code == 302
    assert client.post("/organizations/metal-sp/relations/new/", data).status_code == 302
    assert Relation.objects.count() == 1


def test_a_pending_proposal_shows_to_both_organizations_but_not_to_outsiders(
    client_for, owner_org, other_org, sam, kim, nell
):
    RelationFactory(proposer=owner_org, partner=other_org, status="proposed", note="Hello")
    ours = client_for(sam).get("/organizations/metal-sp/relations/").content.decode()
    assert "awaiting their answer" in ours and "Hello" in ours
    theirs = client_for(kim).get("/organizations/docks-kr/relations/").content.decode()
    assert "awaiting your answer" in theirs
    assert 'value="accept"' in theirs and 'value="decline"' in theirs
    outside = client_for(nell).get("/organizations/docks-kr/relations/").content.decode()
    assert "Metalworkers" not in outside and "No relation is listed." in outside


def test_the_partner_accepts_and_the_relation_shows_on_both_profiles(
    client_for, owner_org, other_org, kim
):
    relation = RelationFactory(
        proposer=owner_org, partner=other_org, status="proposed", visibility="public"
    )
    response = client_for(kim).post(
        f"/organizations/docks-kr/relations/{relation.pk}/decide/",
        {"decision": "accept"},
        follow=True,
    )
    assert "You accepted the relation with Metalworkers of São Paulo." in response.content.decode()
    relation.refresh_from_db()
    assert relation.status == "accepted"
    assert "Korean Dockworkers" in client_for().get("/organizations/metal-sp/").content.decode()


def test_the_partner_declines(client_for, owner_org, other_org, kai):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")
    client_for(kai).post(
        f"/organizations/docks-kr/relations/{relation.pk}/decide/", {"decision": "decline"}
    )
    relation.refresh_from_db()
    assert relation.status == "declined"


def test_the_proposer_cannot_accept_its_own_proposal(client_for, owner_org, other_org, sam):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")
    response = client_for(sam).post(
        f"/organizations/metal-sp/relations/{relation.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 403
    relation.refresh_from_db()
    assert relation.status == "proposed"


def test_an_answer_must_be_accept_or_decline(client_for, owner_org, other_org, kim):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")
    response = client_for(kim).post(
        f"/organizations/docks-kr/relations/{relation.pk}/decide/", {"decision": "maybe"}
    )
    assert response.status_code == 400
    relation.refresh_from_db()
    assert relation.status == "proposed"


def test_answering_twice_says_it_was_already_answered(client_for, owner_org, other_org, kim):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")
    url = f"/organizations/docks-kr/relations/{relation.pk}/decide/"
    client_for(kim).post(url, {"decision": "accept"})
    response = client_for(kim).post(url, {"decision": "decline"}, follow=True)
    assert "already answered" in response.content.decode()
    relation.refresh_from_db()
    assert relation.status == "accepted"


def test_a_relation_between_other_organizations_is_not_found_under_this_one(
    client_for, other_org, kim
):
    third = OrganizationFactory(name="Third Union", slug="third")
    relation = RelationFactory(proposer=third, partner=other_org, status="proposed")
    # kim speaks for the partner, but the URL names an organization the relation is not about.
    response = client_for(kim).post(
        f"/organizations/metal-sp/relations/{relation.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 404


def test_ending_a_relation_asks_for_confirmation_first(client_for, owner_org, other_org, ana):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="accepted")
    client = client_for(ana)
    url = f"/organizations/metal-sp/relations/{relation.pk}/end/"
    confirmation = client.get(url).content.decode()
    assert "Korean Dockworkers will end" in confirmation
    relation.refresh_from_db()
    assert relation.status == "accepted"
    response = client.post(url, follow=True)
    assert "The relation has ended." in response.content.decode()
    relation.refresh_from_db()
    assert relation.status == "ended"


def test_a_declined_relation_cannot_be_ended(client_for, owner_org, other_org, ana):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="declined")
    response = client_for(ana).post(
        f"/organizations/metal-sp/relations/{relation.pk}/end/", follow=True
    )
    assert "already ended or was declined" in response.content.decode()
    relation.refresh_from_db()
    assert relation.status == "declined"


def test_a_member_who_does_not_speak_for_the_organization_cannot_end_a_relation(
    client_for, owner_org, other_org, mo
):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="accepted")
    response = client_for(mo).post(f"/organizations/metal-sp/relations/{relation.pk}/end/")
    assert response.status_code == 403
    relation.refresh_from_db()
    assert relation.status == "accepted"


# Presences --------------------------------------------------------------------------------------


def test_a_secretary_records_where_the_organization_organizes(client_for, sam, owner_org):
    employer = EmployerFactory(name="Global Steel", slug="global-steel")
    site = EmployerSiteFactory(employer=employer, name="Volta Redonda mill", country="BR")
    client = client_for(sam)
    form = client.get("/organizations/metal-sp/presences/").content.decode()
    assert '<optgroup label="Global Steel">' in form and "Volta Redonda mill · Brazil" in form
    response = client.post(
        "/organizations/metal-sp/presences/",
        {"employer": "global-steel", "site": str(site.pk), "visibility": "public"},
        follow=True,
    )
    assert "Presence at Global Steel · Volta Redonda mill recorded." in response.content.decode()
    presence = Presence.objects.get()
    assert (presence.organization, presence.site, presence.visibility) == (
        owner_org,
        site,
        "public",
    )


def test_a_site_of_another_employer_is_refused(client_for, sam):
    EmployerFactory(name="Global Steel", slug="global-steel")
    other_site = EmployerSiteFactory(employer=EmployerFactory(name="Other Co"))
    response = client_for(sam).post(
        "/organizations/metal-sp/presences/",
        {"employer": "global-steel", "site": str(other_site.pk), "visibility": "network"},
    )
    page = response.content.decode()
    assert "This site belongs to another employer." in page and 'id="id_site_error"' in page
    assert not Presence.objects.exists()


def test_the_same_presence_twice_is_refused(client_for, sam, owner_org):
    employer = EmployerFactory(slug="global-steel")
    PresenceFactory(organization=owner_org, employer=employer)
    response = client_for(sam).post(
        "/organizations/metal-sp/presences/",
        {"employer": "global-steel", "site": "", "visibility": "network"},
    )
    assert "This presence is already recorded." in response.content.decode()
    assert Presence.objects.count() == 1


def test_a_network_presence_is_hidden_from_the_public(client_for, owner_org, kim):
    PresenceFactory(
        organization=owner_org, employer=EmployerFactory(name="Secret Mill"), visibility="network"
    )
    assert "Secret Mill" not in client_for().get("/organizations/metal-sp/").content.decode()
    assert "Secret Mill" in client_for(kim).get("/organizations/metal-sp/").content.decode()


def test_a_member_sees_presences_but_no_form_to_add_one(client_for, mo, owner_org):
    PresenceFactory(organization=owner_org, employer=EmployerFactory(name="Global Steel"))
    page = client_for(mo).get("/organizations/metal-sp/presences/").content.decode()
    assert "Global Steel" in page
    assert 'name="employer"' not in page


def test_removing_a_presence_asks_for_confirmation_first(client_for, sam, owner_org):
    presence = PresenceFactory(organization=owner_org, employer=EmployerFactory(name="Acme"))
    client = client_for(sam)
    url = f"/organizations/metal-sp/presences/{presence.pk}/remove/"
    assert "will no longer be listed at Acme" in client.get(url).content.decode()
    assert Presence.objects.exists()
    response = client.post(url, follow=True)
    assert "The presence was removed." in response.content.decode()
    assert not Presence.objects.exists()


def test_a_presence_of_another_organization_is_not_found_under_this_one(client_for, sam, other_org):
    presence = PresenceFactory(organization=other_org, visibility="public")
    response = client_for(sam).post(f"/organizations/metal-sp/presences/{presence.pk}/remove/")
    assert response.status_code == 404
    assert Presence.objects.exists()


# Vouches and verification -----------------------------------------------------------------------


def test_two_vouches_from_verified_organizations_verify_an_organization(
    client_for, unverified_org, kim, sam
):
    client = client_for(kim)
    page = client.get("/organizations/riders-new/vouch/").content.decode()
    assert "New Riders Union" in page and "not verified" in page
    first = client.post("/organizations/riders-new/vouch/", follow=True)
    assert "Your vouch is recorded." in first.content.decode()
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None
    second = client_for(sam).post("/organizations/riders-new/vouch/", follow=True)
    assert "New Riders Union is now verified." in second.content.decode()
    assert second.redirect_chain[-1][0] == "/organizations/riders-new/"
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None


def test_vouching_twice_says_so(client_for, unverified_org, other_org, kim):
    Vouch.objects.create(organization=unverified_org, voucher=other_org, vouched_by=kim)
    response = client_for(kim).post("/organizations/riders-new/vouch/")
    assert "Every organization you speak for already vouches for it." in (response.content.decode())
    assert Vouch.objects.count() == 1


def test_a_person_speaking_for_two_verified_organizations_chooses_which_one_vouches(
    client_for, unverified_org, other_org, kim
):
    third = OrganizationFactory(name="Third Union", slug="third")
    MembershipFactory(organization=third, user=kim, role="admin")
    client = client_for(kim)
    page = client.get("/organizations/riders-new/vouch/").content.decode()
    assert '<select name="voucher"' in page
    client.post("/organizations/riders-new/vouch/", {"voucher": "third"})
    assert Vouch.objects.get().voucher == third


def test_vouching_without_choosing_among_two_organizations_is_refused(
    client_for, unverified_org, kim
):
    MembershipFactory(organization=OrganizationFactory(slug="third"), user=kim, role="admin")
    response = client_for(kim).post("/organizations/riders-new/vouch/", {"voucher": ""})
    assert 'id="id_voucher_error"' in response.content.decode()
    assert not Vouch.objects.exists()


def test_an_organizations_own_people_cannot_vouch_for_it(client_for, owner_org, ana):
    assert client_for(ana).post("/organizations/metal-sp/vouch/").status_code == 403
    assert not Vouch.objects.exists()


def test_the_vouching_organization_withdraws_its_vouch(client_for, unverified_org, other_org, kim):
    vouch = Vouch.objects.create(organization=unverified_org, voucher=other_org, vouched_by=kim)
    client = client_for(kim)
    url = f"/organizations/riders-new/vouches/{vouch.pk}/withdraw/"
    assert "Korean Dockworkers will no longer vouch" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "The vouch is withdrawn." in response.content.decode()
    vouch.refresh_from_db()
    assert vouch.withdrawn_at is not None


def test_a_withdrawn_vouch_cannot_be_withdrawn_again(client_for, unverified_org, other_org, kim):
    vouch = Vouch.objects.create(organization=unverified_org, voucher=other_org, vouched_by=kim)
    url = f"/organizations/riders-new/vouches/{vouch.pk}/withdraw/"
    client_for(kim).post(url)
    assert client_for(kim).post(url).status_code == 404


def test_an_operator_verifies_an_organization_after_confirming(client_for, unverified_org, oscar):
    client = client_for(oscar)
    assert (
        "only if you know it is a genuine"
        in client.get("/organizations/riders-new/verify/").content.decode()
    )
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is None
    response = client.post("/organizations/riders-new/verify/", follow=True)
    assert "New Riders Union is verified." in response.content.decode()
    unverified_org.refresh_from_db()
    assert unverified_org.verified_at is not None
    assert "New Riders Union" in client_for().get("/organizations/").content.decode()


def test_an_organization_cannot_verify_itself(client_for, uma):
    assert client_for(uma).post("/organizations/riders-new/verify/").status_code == 403
    assert Organization.objects.get(slug="riders-new").verified_at is None
