"""The organizers' pages, through real requests. The Metalworkers of São Paulo (Sam speaks for
them, Mo is a member, Olu an observer) run a campaign; the Korean Dockworkers (Kim speaks for
them, Kit is a member) are invited to co-sponsor it; Nell belongs to no organization."""

import datetime

import pytest
from django.utils import timezone

from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory
from internationale.campaigns.models import Campaign, Sponsor, Target
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry

from .helpers import make_campaign


def form(organization="metal-sp", **changes):  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    data = {
        "organization": organization,
        "kind": "letter",
        "title": "Free Ana Souza",
        "text": "We demand the release of Ana Souza.",
        "language": "en",
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "goal": "1000",
        "delivery": "every",
        "delivery_every": "100",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-name": "Ministry of Justice",
        "targets-0-email": "minister@justice.example",
        "targets-0-postal_address": "",
        "targets-1-name": "",
        "targets-1-email": "",
        "targets-1-postal_address": "",
    }
    data.update(changes)
    return data


def test_a_secretary_prepares_a_campaign_with_its_targets(client_for, sam):
    response = client_for(sam).post("/campaigns/new/", form())
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.status == "draft" and campaign.visibility == "addressed"
    assert [t.name for t in Target.objects.all()] == ["Ministry of Justice"]
    assert AuditEntry.objects.for_target(campaign).get().action == "campaign.create"
    page = client_for(sam).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "This campaign is a draft" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2001-01-01T10:00"}, "ends_at"),
        ({"goal": "0"}, "goal"),
        ({"title": "T" * 201}, "title"),
        ({"language": "not a tag!"}, "language"),
        ({"targets-0-name": ""}, None),
        ({"targets-0-email": "not-an-address"}, None),
    ],
)
def test_bad_input_is_shown_and_nothing_is_prepared(client_for, sam, changes, field):
    response = client_for(sam).post("/campaigns/new/", form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    targets = response.context["targets"]
    assert (field in errors) if field else (errors or any(targets.errors))
    assert not Campaign.objects.exists()


def test_members_and_observers_cannot_launch_for_their_organization(client_for, mo, olu):
    for person in (mo, olu):
        assert client_for(person).get("/campaigns/new/").status_code == 403
        assert client_for(person).post("/campaigns/new/", form()).status_code == 403
    assert not Campaign.objects.exists()


def test_a_campaign_launched_from_an_appeal_is_prefilled_and_shown_on_the_appeal(
    client_for, sam, owner_org, kim
):
    appeal = AppealFactory(
        organization=owner_org,
        status=Appeal.Status.OPEN,
        visibility="public",
        title="Release our organizer",
        sympathy_target="Governor of the State",
    )
    page = client_for(sam).get(f"/campaigns/new/?appeal={appeal.pk}")
    assert page.context["form"].initial["title"] == "Release our organizer"
    assert page.context["targets"].initial[0]["name"] == "Governor of the State"
    client_for(sam).post(
        f"/campaigns/new/?appeal={appeal.pk}", form(appeal=str(appeal.pk), title="Free Ana")
    )
    campaign = Campaign.objects.get()
    assert campaign.appeal == appeal
    # A draft is not shown on the appeal's page; launched, it is, to everyone.
    assert "Free Ana" not in client_for().get(f"/appeals/{appeal.pk}/").content.decode()
    client_for(sam).post(f"/campaigns/{campaign.pk}/launch/")
    for reader in (None, kim):
        shown = client_for(reader).get(f"/appeals/{appeal.pk}/").content.decode()
        assert "Campaigns for this appeal" in shown and "Free Ana" in shown


def test_another_organizations_appeal_is_not_a_starting_point(client_for, kim, owner_org):
    appeal = AppealFactory(organization=owner_org, status="open", visibility="public")
    page = client_for(kim).get(f"/campaigns/new/?appeal={appeal.pk}")
    assert page.context["appeal"] is None
    assert page.context["form"].initial == {}


def test_a_co_sponsor_is_invited_and_accepts(
    client_for, sam, kim, kit, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    campaign = make_campaign(sam, owner_org)
    preview = client_for(sam).get(
        f"/campaigns/{campaign.pk}/sponsors/invite/?preview=1&add={other_org.slug}"
    )
    assert "Korean Dockworkers" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sam).post(f"/campaigns/{campaign.pk}/sponsors/invite/", {"add": other_org.slug})
    work_off()
    entry = InboxEntry.objects.get(organization=other_org)
    assert "invites you to co-sponsor" in entry.title
    # The invited organization sees the draft; its member may not answer for it.
    assert client_for(kit).get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert (
        client_for(kit)
        .post(
            f"/campaigns/{campaign.pk}/sponsors/answer/",
            {"organization": other_org.slug, "answer": "accept"},
        )
        .status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        answered = client_for(kim).post(
            f"/campaigns/{campaign.pk}/sponsors/answer/",
            {"organization": other_org.slug, "answer": "accept"},
        )
    assert answered.status_code == 302
    assert Sponsor.objects.get().status == "accepted"
    work_off()
    told = InboxEntry.objects.get(organization=owner_org, kind="campaign.answered")
    assert "co-sponsors your campaign" in told.title
    assert AuditEntry.objects.filter(action="campaign.answer", organization=other_org).exists()
    # Accepting again is refused, and changes nothing.
    again = client_for(kim).post(
        f"/campaigns/{campaign.pk}/sponsors/answer/",
        {"organization": other_org.slug, "answer": "accept"},
    )
    assert again.status_code == 200 and "already given this answer" in again.content.decode()


def test_a_draft_is_not_found_by_others(client_for, sam, owner_org, nell, kim):
    campaign = make_campaign(sam, owner_org)
    for reader in (None, nell, kim):
        assert client_for(reader).get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert client_for(kim).get(f"/campaigns/{campaign.pk}/edit/").status_code == 404


def test_launching_asks_to_confirm_then_opens_the_campaign_to_everyone(client_for, sam, owner_org):
    campaign = make_campaign(sam, owner_org)
    asked = client_for(sam).get(f"/campaigns/{campaign.pk}/launch/")
    assert "Yes, launch it" in asked.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    client_for(sam).post(f"/campaigns/{campaign.pk}/launch/")
    campaign.refresh_from_db()
    assert campaign.status == "open" and campaign.visibility == "public"
    assert client_for().get(f"/campaigns/{campaign.pk}/").status_code == 200
    again = client_for(sam).post(f"/campaigns/{campaign.pk}/launch/")
    assert "already launched" in again.content.decode()


def test_once_launched_the_text_stays_as_signed(client_for, sam, owner_org):
    campaign = make_campaign(sam, owner_org)
    client_for(sam).post(f"/campaigns/{campaign.pk}/launch/")
    changed = client_for(sam).post(
        f"/campaigns/{campaign.pk}/edit/",
        {k: v for k, v in form(goal="5000").items() if k != "organization"},
    )
    assert changed.status_code == 302
    campaign.refresh_from_db()
    assert campaign.goal == 5000
    assert campaign.text.startswith("We, the undersigned")  # the text field was not taken


def test_closing_asks_to_confirm_and_stops_signatures(client_for, sam, owner_org):
    campaign = make_campaign(sam, owner_org)
    client_for(sam).post(f"/campaigns/{campaign.pk}/launch/")
    assert (
        "This cannot be undone"
        in client_for(sam).get(f"/campaigns/{campaign.pk}/close/").content.decode()
    )
    client_for(sam).post(f"/campaigns/{campaign.pk}/close/")
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    page = client_for().get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "takes no signatures now" in page


def test_the_list_shows_open_campaigns_and_ones_own(client_for, sam, owner_org, nell):
    draft = make_campaign(sam, owner_org, title="Still a draft")
    opened = make_campaign(sam, owner_org, title="Open to all")
    client_for(sam).post(f"/campaigns/{opened.pk}/launch/")
    public = client_for(nell).get("/campaigns/").content.decode()
    assert "Open to all" in public and "Still a draft" not in public
    own = client_for(sam).get("/campaigns/").content.decode()
    assert "Still a draft" in own
    assert draft.pk
