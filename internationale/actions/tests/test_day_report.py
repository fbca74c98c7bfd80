"""The aggregated report of a day of action: its countries, actions by kind, the participants
reported (summed, said to be reported), its timeline and a world map drawn by the server with a
table beside it; as CSV; approved by every caller and then published to the library. Withdrawn
actions are left out, and contacts are never in it."""

import csv
import io

import pytest
from django.urls import reverse

from internationale.actions import local, reports, services
from internationale.actions.models import LocalAction, ReportApproval
from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry, Notice
from internationale.library.models import Document
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .reports_world import called_day, registered, started
from .world import day_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def ports(db):
    return OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")


@pytest.fixture
def dirk(ports):
    return MembershipFactory(organization=ports, role=Membership.Role.SECRETARY).user


@pytest.fixture
def day(sam, owner_org, other_org):
    return called_day(sam, owner_org, other_org)


@pytest.fixture
def reported(day, kim, other_org, dirk, ports):
    busan = started(registered(kim, day, other_org), hours_ago=5)
    rotterdam = started(
        registered(
            dirk,
            day,
            ports,
            kind="picket",
            city="Rotterdam",
            country="NL",
            time_zone="Europe/Amsterdam",
            contact="Dirk, +31 6 0000 0000",
        ),
        hours_ago=1,
    )
    gone = registered(kim, day, other_org, city="Incheon", kind="stoppage")
    local.local_action_withdraw(actor=kim, action=gone)
    reports.report_submit(
        actor=kim, action=busan, text="Cranes stopped.", outcome="held", participants=1200
    )
    reports.report_submit(
        actor=dirk, action=rotterdam, text="Picket at the gate.", outcome="partly", participants=400
    )
    day.refresh_from_db()
    return day


def test_the_report_shows_countries_kinds_reported_participants_a_timeline_and_the_map(
    client_for, sam, reported
):
    page = client_for(sam).get(reverse("day_report", args=[reported.pk])).content.decode()
    assert "2 actions in 2 countries." in page
    assert "1600 participants, the sum of the figures reported by the organizations" in page
    # The map: the two countries shaded, with their names and numbers; the table beside it.
    assert page.count('data-country="KR"') == 2 and page.count('data-country="NL"') == 2
    assert "<title>South Korea: 1 action</title>" in page
    assert "<caption" in page and "<svg" in page and "<script" not in page.split("<main")[-1]
    # Kinds, and the timeline as the day moved: Busan before Rotterdam; the withdrawn left out.
    assert "Rally: 1" in page and "Picket: 1" in page
    assert page.index("Rally, Busan") < page.index("Picket, Rotterdam")
    assert "Incheon" not in page
    # Contacts never.
    assert "+31 6" not in page and "+82 10" not in page
    # Printable: its stylesheet has a print section.
    assert "actions/reports.css" in page


def test_the_report_as_csv_has_one_row_per_action_without_contacts(client_for, kit, reported):
    response = client_for(kit).get(reverse("day_report_csv", args=[reported.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    header = rows[0]
    busan = dict(zip(header, rows[1], strict=True))
    assert busan["city or place"] == "Busan" and busan["participants (reported)"] == "1200"
    assert busan["outcome"] == "Held as planned"
    assert "+82" not in response.content.decode()


def test_every_caller_approves_and_then_the_report_is_published_to_the_library(
    client_for, sam, kim, owner_org, other_org, dirk, ports
):
    day = services.day_create(
        actor=sam,
        organization=owner_org,
        cocallers=[other_org],
        **day_fields(),
    )
    services.cocall_answer(actor=kim, day=day, organization=other_org, accept=True)
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[ports.pk]))
    action = started(
        registered(dirk, day, ports, city="Rotterdam", country="NL", time_zone="Europe/Amsterdam")
    )
    url = reverse("day_report_approve", args=[day.pk])

    # Before any report: refused, nothing recorded.
    response = client_for(sam).post(url, {"organization": owner_org.pk})
    assert "There is no report back yet" in response.content.decode()
    assert not ReportApproval.objects.exists()

    reports.report_submit(actor=dirk, action=action, text="Picket held.", outcome="held")
    assert client_for(sam).post(url, {"organization": owner_org.pk}).status_code == 302
    assert not Document.objects.exists()
    page = client_for(sam).get(reverse("day_report", args=[day.pk])).content.decode()
    assert "not yet approved" in page

    # The dockworkers' member may not approve; their secretary does, and it is published.
    assert client_for(dirk).post(url, {"organization": ports.pk}).status_code == 403
    assert client_for(kim).post(url, {"organization": other_org.pk}).status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.organization, document.visibility) == (
        "report_back",
        owner_org,
        "network",
    )
    assert "Rotterdam" in document.body and "Picket held" not in document.title
    day.refresh_from_db()
    assert day.report_document == document and day.report_published_at is not None
    assert Notice.objects.filter(kind="day.report_published").exists()
    page = client_for(sam).get(reverse("day_report", args=[day.pk])).content.decode()
    assert reverse("document_detail", args=[document.pk]) in page
    # Once published, approving again is refused.
    again = client_for(sam).get(url).content.decode()
    assert "have approved the report" in again


def test_a_network_days_report_and_feed_are_not_for_signed_out_readers(client_for, reported):
    assert client_for().get(reverse("day_report", args=[reported.pk])).status_code == 404
    assert client_for().get(reverse("day_reports_feed", args=[reported.pk])).status_code == 404
    assert client_for().get(reverse("day_report_csv", args=[reported.pk])).status_code == 404


def test_a_report_changed_after_publication_changes_the_library_document(
    sam, kim, owner_org, reported
):
    assert reports.report_approve(actor=sam, day=reported, organization=owner_org)
    reported.refresh_from_db()
    document = reported.report_document
    assert "1200 participants (reported)" in document.body

    busan = LocalAction.objects.get(day=reported, city="Busan")
    reports.report_submit(
        actor=kim, action=busan, text="Cranes stopped all day.", outcome="held", participants=1500
    )
    document.refresh_from_db()
    assert "1500 participants (reported)" in document.body
    assert "1200 participants" not in document.body
    assert "1900 participants" in document.summary

    # An action withdrawn after publication leaves the published report too.
    local.local_action_withdraw(actor=kim, action=busan)
    document.refresh_from_db()
    assert "Busan" not in document.body and "400 participants" in document.summary


def test_a_report_changed_after_its_document_was_deleted_leaves_it_deleted(
    sam, kim, owner_org, reported
):
    from internationale.library import services as library

    assert reports.report_approve(actor=sam, day=reported, organization=owner_org)
    reported.refresh_from_db()
    library.document_delete(actor=sam, document=reported.report_document)
    busan = LocalAction.objects.get(day=reported, city="Busan")
    reports.report_submit(actor=kim, action=busan, text="Cranes stopped.", outcome="partly")
    assert not Document.objects.exists()


def test_a_caller_withdraws_its_approval_after_confirming_and_the_report_leaves_the_library(
    client_for, sam, ana, owner_org, reported
):
    assert reports.report_approve(actor=sam, day=reported, organization=owner_org)
    reported.refresh_from_db()
    document = reported.report_document
    client = client_for(ana)
    page = client.get(reverse("day_report", args=[reported.pk])).text
    withdraw = reverse("day_report_withdraw", args=[reported.pk])
    assert f'href="{withdraw}"' in page and "Withdraw your approval" in page

    # The confirmation says what happens; nothing has changed yet.
    confirm = client.get(withdraw).text
    assert "its document is deleted from the library" in confirm
    assert "Yes, withdraw the approval" in confirm
    assert Document.objects.filter(pk=document.pk).exists()

    response = client.post(withdraw, {"organization": owner_org.pk})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not ReportApproval.objects.filter(day=reported).exists()
    reported.refresh_from_db()
    assert reported.report_document is None and reported.report_published_at is None
    assert AuditEntry.objects.filter(action="day.report_approval_withdraw").count() == 1
    assert Notice.objects.filter(kind="day.report_unpublished").exists()
    page = client.get(response["Location"]).text
    assert "Your approval is withdrawn: the report is no longer in the library." in page
    assert "not yet approved" in page and "Approve the report" in page
    assert "Withdraw your approval" not in page
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == 404

    # Approving again publishes it anew.
    assert reports.report_approve(actor=sam, day=reported, organization=owner_org)
    assert Document.objects.filter(kind="report_back").count() == 1


def test_withdrawing_an_approval_not_given_is_refused_and_changes_nothing(
    client_for, sam, mo, owner_org, reported
):
    withdraw = reverse("day_report_withdraw", args=[reported.pk])
    assert "there is nothing to withdraw" in client_for(sam).get(withdraw).text
    assert client_for(sam).post(withdraw, {"organization": owner_org.pk}).status_code == 200
    api = f"/api/v1/days/{reported.pk}/report/approve"
    refused = client_for(sam).delete(api)
    assert refused.status_code == 400
    assert "This organization has not approved the report" in refused.text
    assert client_for(mo).post(withdraw, {"organization": owner_org.pk}).status_code == 403
    assert not AuditEntry.objects.filter(action="day.report_approval_withdraw").exists()

    # Through the API, once approved: withdrawn, and the report is no longer published.
    client_for(sam).post(api, {}, content_type="application/json")
    assert client_for(mo).delete(api).status_code == 403
    assert ReportApproval.objects.filter(day=reported).count() == 1
    answer = client_for(sam).delete(api).json()
    assert answer["published_document"] is None and answer["approved_by"] == []
    assert not Document.objects.filter(kind="report_back").exists()
