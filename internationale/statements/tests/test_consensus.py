"""Positions, consensus, adoption and signatures, through real requests to the pages and the API.

The Metalworkers of São Paulo (Sam speaks for them, Mo is a member, Olu an observer) initiate a
statement; the Korean Dockworkers (Kim speaks for them, Kit is a member) and the Chilean Miners
(Carla speaks for them) are invited. The Dutch Port Union (Dirk speaks for it) takes no part and
may sign once the statement is adopted."""

import contextlib
import datetime
import json
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.models import User
from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.statements import consensus
from internationale.statements.models import (
    Participant,
    Position,
    Signature,
    Statement,
    Version,
)
from internationale.statements.services import statement_create

from .matrix_world import PARAGRAPHS, deadlines

API = "/api/v1"


def post(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(f"{API}{path}", data=json.dumps(data), content_type="application/json")


def speaker(organization, email):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        organization=organization, role=Membership.Role.SECRETARY, user__email=email
    ).user


@pytest.fixture
def acting(django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    """Requests made inside run what they leave for after commit, and the tasks that queues
    (the notices delivered to inboxes)."""

    @contextlib.contextmanager
    def run():  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            yield
        work_off()

    return run


@pytest.fixture
def miners(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")


@pytest.fixture
def carla(miners):  # type: ignore[no-untyped-def]
    return speaker(miners, "carla@miners.example")


@pytest.fixture
def ports(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")


@pytest.fixture
def dirk(ports):  # type: ignore[no-untyped-def]
    return speaker(ports, "dirk@ports.example")


@pytest.fixture
def start(sam, owner_org, other_org, miners):  # type: ignore[no-untyped-def]
    """A statement of the Metalworkers with the Dockworkers and the Miners invited."""

    def make(**changes):  # type: ignore[no-untyped-def]
        values = {
            "actor": sam,
            "organization": owner_org,
            "title": "For the right to strike",
            "language": "en",
            "paragraphs": PARAGRAPHS,
            "criteria": Criteria(add=[other_org.pk, miners.pk]),
            "min_agree": 2,
            **deadlines(),
        }
        values.update(changes)
        return statement_create(**values)

    return make


@pytest.fixture
def called(start, sam):  # type: ignore[no-untyped-def]
    """The statement with positions called on version 1."""

    def make(**changes):  # type: ignore[no-untyped-def]
        statement = start(**changes)
        return consensus.positions_call(actor=sam, statement=statement)

    return make


def state(client, statement, organization, stance, text="", **more):  # type: ignore[no-untyped-def]
    return post(
        client,
        f"/statements/{statement.pk}/positions",
        {"organization": organization.slug, "stance": stance, "text": text, **more},
    )


# Calling positions -------------------------------------------------------------------------------


def test_the_initiator_calls_positions_once_enough_organizations_support_the_draft(
    client_for, start, sam, kim, other_org, miners, acting
):
    statement = start(min_supporters=2)
    Participant.objects.filter(statement=statement, organization=other_org).update(
        supported_at=timezone.now()
    )
    page = client_for(sam).get(f"/statements/{statement.pk}/").content.decode()
    assert "Call positions" in page and "1 supporter of 2 needed" in page
    page = client_for(sam).post(f"/statements/{statement.pk}/positions/call/", {})
    assert page.status_code == 200
    assert "1 more is needed" in page.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING
    assert not AuditEntry.objects.filter(action="statement.positions_call").exists()

    Participant.objects.filter(statement=statement, organization=miners).update(
        supported_at=timezone.now()
    )
    new_deadline = (timezone.now() + datetime.timedelta(days=30)).astimezone(
        zoneinfo.ZoneInfo("UTC")
    )
    with acting():
        response = client_for(sam).post(
            f"/statements/{statement.pk}/positions/call/",
            {"positions_until": new_deadline.strftime("%Y-%m-%dT%H:%M")},
        )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.POSITIONS
    assert statement.positions_version == statement.current_version
    assert abs(statement.positions_until - new_deadline) < datetime.timedelta(minutes=1)
    assert InboxEntry.objects.filter(
        organization=other_org, kind="statement.positions_called"
    ).exists()
    assert AuditEntry.objects.filter(action="statement.positions_call").count() == 1
    page = client_for(sam).get(f"/statements/{statement.pk}/").content.decode()
    assert "2 supporters of 2 needed" in page
    assert "Change the deadline for positions" in page
    # The panel now asks for positions; Kim's page offers the form.
    assert (
        "Position of Korean Dockworkers"
        in client_for(kim).get(f"/statements/{statement.pk}/").content.decode()
    )


def test_a_deadline_for_positions_in_the_past_is_refused(client_for, start, sam):
    statement = start()
    response = post(
        client_for(sam),
        f"/statements/{statement.pk}/positions/call",
        {"positions_until": "2020-01-01T10:00:00+00:00"},
    )
    assert response.status_code == 400
    assert "positions_until" in response.json()["errors"]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING


def test_only_the_initiators_speakers_call_positions(client_for, start, mo, kim):
    statement = start()
    assert client_for(mo).post(f"/statements/{statement.pk}/positions/call/", {}).status_code == 403
    assert (
        post(client_for(kim), f"/statements/{statement.pk}/positions/call", {}).status_code == 403
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING


# Stating positions -------------------------------------------------------------------------------


def test_the_position_form_shows_the_version_and_the_deadline_in_the_readers_time_zone(
    client_for, called, kim, other_org
):
    kim.time_zone = "Asia/Seoul"
    kim.save()
    statement = called()
    page = (
        client_for(kim)
        .get(f"/statements/{statement.pk}/positions/?organization={other_org.slug}")
        .content.decode()
    )
    assert "On version 1." in page
    # To the second: the HTML datetime attribute allows no microseconds.
    seoul = statement.positions_until.astimezone(zoneinfo.ZoneInfo("Asia/Seoul"))
    assert f'datetime="{seoul.isoformat(timespec="seconds")}"' in page
    assert "Asia/Seoul" in page


def test_a_participant_states_and_changes_its_position_in_one_row(
    client_for, called, kim, other_org
):
    statement = called()
    response = client_for(kim).post(
        f"/statements/{statement.pk}/positions/",
        {"organization": other_org.slug, "version": 1, "stance": "stand_aside", "text": ""},
    )
    assert response.status_code == 302
    response = state(client_for(kim), statement, other_org, "reservations", "Paragraph 3 is vague.")
    assert response.status_code == 200
    position = Position.objects.get(statement=statement)
    assert (position.stance, position.text) == ("reservations", "Paragraph 3 is vague.")
    assert AuditEntry.objects.filter(action="statement.position").count() == 2
    # The panel shows it to the participants.
    page = client_for(kim).get(f"/statements/{statement.pk}/").content.decode()
    assert "Paragraph 3 is vague." in page and "Agree with reservations" in page


def test_a_block_without_a_reason_is_refused_and_changes_nothing(
    client_for, called, kim, other_org
):
    statement = called()
    page = client_for(kim).post(
        f"/statements/{statement.pk}/positions/",
        {"organization": other_org.slug, "version": 1, "stance": "block", "text": "  "},
    )
    assert page.status_code == 200
    assert "A block needs a reason." in page.content.decode()
    response = state(client_for(kim), statement, other_org, "block")
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == ["A block needs a reason."]
    assert not Position.objects.exists()


def test_a_position_for_an_organization_that_does_not_take_part_is_refused(
    client_for, called, kim, ports
):
    statement = called()
    # Kim also speaks for the Dutch Port Union, which is not invited.
    MembershipFactory(organization=ports, user=kim, role=Membership.Role.SECRETARY)
    response = state(client_for(kim), statement, ports, "agree")
    assert response.status_code == 400
    assert "does not take part" in response.json()["errors"]["organization"][0]
    assert not Position.objects.exists()


def test_an_organization_not_taking_part_does_not_see_the_draft(client_for, called, dirk, ports):
    statement = called()
    assert state(client_for(dirk), statement, ports, "agree").status_code == 404
    assert client_for(dirk).get(f"/statements/{statement.pk}/positions/").status_code == 404
    assert not Position.objects.exists()


@pytest.mark.parametrize("who", ["mo", "olu", "kit"])
def test_a_member_or_observer_cannot_state_a_position(
    client_for, called, who, request, owner_org, other_org
):
    statement = called()
    person = request.getfixturevalue(who)
    organization = other_org if who == "kit" else owner_org
    assert state(client_for(person), statement, organization, "agree").status_code == 403
    response = client_for(person).post(
        f"/statements/{statement.pk}/positions/",
        {"organization": organization.slug, "version": 1, "stance": "agree"},
    )
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_positions_after_the_deadline_are_refused(client_for, called, kim, other_org):
    statement = called()
    Statement.objects.filter(pk=statement.pk).update(
        positions_until=timezone.now() - datetime.timedelta(minutes=1),
        amendments_until=timezone.now() - datetime.timedelta(days=1),
    )
    response = state(client_for(kim), statement, other_org, "agree")
    assert response.status_code == 400
    assert response.json()["detail"] == "The deadline for positions has passed."
    assert not Position.objects.exists()


def test_positions_before_they_are_called_are_refused(client_for, start, kim, other_org):
    statement = start()
    response = state(client_for(kim), statement, other_org, "agree")
    assert response.status_code == 400
    assert "not called" in response.json()["detail"]


def test_a_new_version_asks_again_and_a_position_on_the_old_one_is_outdated(
    client_for, start, sam, kim, other_org, acting
):
    statement = start()
    with acting():
        called = post(client_for(sam), f"/statements/{statement.pk}/positions/call", {})
    assert called.json()["version"] == 1
    assert (
        state(client_for(kim), statement, other_org, "block", "Not paragraph 2.").status_code == 200
    )
    # A revision makes version 2 (amendments.py does it): the statement is drafted again.
    version = Version.objects.create(
        statement=statement, number=2, title=statement.title, paragraphs=PARAGRAPHS[:2]
    )
    Statement.objects.filter(pk=statement.pk).update(
        current_version=version, status=Statement.Status.DRAFTING
    )
    with acting():
        called = post(client_for(sam), f"/statements/{statement.pk}/positions/call", {})
    assert called.json()["version"] == 2
    # Asked again: the call on version 2 reaches the inbox as the first one did.
    entries = InboxEntry.objects.filter(organization=other_org, kind="statement.positions_called")
    assert entries.count() == 2
    response = state(client_for(kim), statement, other_org, "agree", version=1)
    assert response.status_code == 400
    assert "outdated" in response.json()["errors"]["version"][0]
    summary = client_for(kim).get(f"{API}/statements/{statement.pk}/consensus").json()
    assert summary["version"] == 2
    assert summary["positions"] == []
    assert len(summary["silent"]) == 3
    assert state(client_for(kim), statement, other_org, "agree", version=2).status_code == 200


# Adoption ----------------------------------------------------------------------------------------


def test_every_participant_answering_adopts_the_statement_with_those_who_agreed_as_signatories(
    client_for, called, sam, kim, carla, owner_org, other_org, miners, acting
):
    statement = called()
    assert state(client_for(sam), statement, owner_org, "agree").status_code == 200
    state(
        client_for(kim),
        statement,
        other_org,
        "reservations",
        "Too soft.",
        publish_reservations=True,
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.POSITIONS
    with acting():
        summary = state(client_for(carla), statement, miners, "stand_aside").json()
    assert summary["adopted"] is True
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED
    assert statement.adopted_at is not None
    assert statement.visibility == "public"
    assert statement.current_version.is_adopted
    signatures = Signature.objects.filter(statement=statement).order_by("country")
    assert [(s.organization, s.country, s.reservations) for s in signatures] == [
        (owner_org, "BR", ""),
        (other_org, "KR", "Too soft."),
    ]
    assert InboxEntry.objects.filter(organization=miners, kind="statement.adopted").exists()
    assert AuditEntry.objects.filter(action="statement.adopt").count() == 1
    # Frozen: no more positions, no more calls.
    assert state(client_for(carla), statement, miners, "agree").status_code == 400
    assert (
        post(client_for(sam), f"/statements/{statement.pk}/positions/call", {}).status_code == 400
    )
    # The public reads it and its signatories by country, in the reader's language.
    page = Client().get(f"/statements/{statement.pk}/").content.decode()
    assert "Brazil" in page and "Korea" in page and "Too soft." in page
    assert "Chilean Miners" not in page.split("Signatories")[1]
    # Positions are the participants' own.
    assert "Stand aside" not in page
    page = Client(headers={"Accept-Language": "fr"}).get(f"/statements/{statement.pk}/")
    assert "Brésil" in page.content.decode()


def test_the_position_that_completes_the_consensus_says_the_statement_is_adopted(
    client_for, called, sam, kim, carla, owner_org, other_org, miners
):
    statement = called()

    def page_state(client, organization, stance):  # type: ignore[no-untyped-def]
        data = {"organization": organization.slug, "version": 1, "stance": stance, "text": ""}
        response = client.post(f"/statements/{statement.pk}/positions/", data, follow=True)
        return response.content.decode()

    page = page_state(client_for(sam), owner_org, "agree")
    assert "The position is recorded." in page
    assert "the statement is adopted" not in page
    page_state(client_for(kim), other_org, "agree")
    page = page_state(client_for(carla), miners, "stand_aside")
    assert (
        "The position is recorded. Every participant has answered and nobody blocks: the "
        "statement is adopted." in page
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED


def test_reservations_are_published_only_if_the_organization_asks(
    client_for, called, sam, kim, carla, owner_org, other_org, miners
):
    statement = called()
    state(client_for(sam), statement, owner_org, "agree")
    state(client_for(kim), statement, other_org, "reservations", "Keep this among us.")
    state(client_for(carla), statement, miners, "agree")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED
    assert Signature.objects.get(organization=other_org).reservations == ""
    assert (
        "Keep this among us." not in Client().get(f"/statements/{statement.pk}/").content.decode()
    )


def test_a_block_keeps_the_statement_open_and_the_page_says_what_is_missing(
    client_for, called, sam, kim, carla, owner_org, other_org, miners
):
    statement = called()
    state(client_for(sam), statement, owner_org, "agree")
    state(client_for(kim), statement, other_org, "agree")
    state(client_for(carla), statement, miners, "block", "It ignores the miners’ strike.")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.POSITIONS
    assert not Signature.objects.exists()
    page = client_for(sam).get(f"/statements/{statement.pk}/").content.decode()
    assert "1 participant blocks." in page
    assert "It ignores the miners’ strike." in page


def test_fewer_agreements_than_needed_keep_the_statement_open(
    client_for, called, sam, kim, carla, owner_org, other_org, miners
):
    statement = called(min_agree=3)
    state(client_for(sam), statement, owner_org, "agree")
    state(client_for(kim), statement, other_org, "agree")
    summary = state(client_for(carla), statement, miners, "stand_aside").json()
    assert summary["adopted"] is False
    assert summary["missing"] == ["3 agreements are needed: 1 more."]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.POSITIONS


@pytest.mark.parametrize("silence_stands_aside", [True, False])
def test_silence_at_the_deadline_stands_aside_only_if_the_rule_says_so(
    client_for, called, sam, kim, owner_org, other_org, silence_stands_aside
):
    statement = called(silence_stands_aside=silence_stands_aside)
    state(client_for(sam), statement, owner_org, "agree")
    state(client_for(kim), statement, other_org, "agree")
    # The Miners stay silent: not adopted before the deadline, whatever the rule.
    assert consensus.adopt_due_statements.call() == 0
    Statement.objects.filter(pk=statement.pk).update(
        positions_until=timezone.now() - datetime.timedelta(minutes=1),
        amendments_until=timezone.now() - datetime.timedelta(days=1),
    )
    assert consensus.adopt_due_statements.call() == int(silence_stands_aside)
    statement.refresh_from_db()
    adopted = statement.status == Statement.Status.ADOPTED
    assert adopted is silence_stands_aside
    assert Signature.objects.filter(statement=statement).count() == (2 if adopted else 0)
    # Run again, nothing more happens.
    assert consensus.adopt_due_statements.call() == 0


def test_positions_and_the_consensus_are_for_the_participants_only(
    client_for, called, sam, kim, carla, owner_org, other_org, miners, dirk
):
    statement = called()
    for person, organization in ((sam, owner_org), (kim, other_org), (carla, miners)):
        state(client_for(person), statement, organization, "agree")
    # Adopted and public: Dirk sees it and its signatories, not the positions.
    assert client_for(dirk).get(f"{API}/statements/{statement.pk}/signatures").status_code == 200
    assert client_for(dirk).get(f"{API}/statements/{statement.pk}/positions").status_code == 403
    assert client_for(dirk).get(f"{API}/statements/{statement.pk}/consensus").status_code == 403
    assert Client().get(f"{API}/statements/{statement.pk}/signatures").status_code == 401
    positions = client_for(kim).get(f"{API}/statements/{statement.pk}/positions").json()
    assert {p["organization"]["slug"] for p in positions} == {"metal-sp", "docks-kr", "miners-cl"}


# Signatures --------------------------------------------------------------------------------------


@pytest.fixture
def adopted(called, sam, kim, carla, owner_org, other_org, miners, client_for):  # type: ignore[no-untyped-def]
    statement = called()
    state(client_for(sam), statement, owner_org, "agree")
    state(client_for(kim), statement, other_org, "agree")
    state(client_for(carla), statement, miners, "stand_aside")
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED
    return statement


def test_a_verified_organization_adds_its_signature_once(
    client_for, adopted, dirk, ports, owner_org, acting
):
    page = client_for(dirk).get(f"/statements/{adopted.pk}/").content.decode()
    assert "Add our signature" in page
    key = "b5f1c0de"
    with acting():
        response = client_for(dirk).post(
            f"/statements/{adopted.pk}/signatures/add/",
            {"organization": ports.slug, "submission_key": key},
        )
    assert response.status_code == 302
    again = client_for(dirk).post(
        f"/statements/{adopted.pk}/signatures/add/",
        {"organization": ports.slug, "submission_key": key},
    )
    assert again.status_code == 302
    signature = Signature.objects.get(organization=ports)
    assert (signature.source, signature.country) == ("added", "NL")
    assert InboxEntry.objects.filter(organization=owner_org, kind="statement.signed").exists()
    again = post(
        client_for(dirk), f"/statements/{adopted.pk}/signatures", {"organization": "ports-nl"}
    )
    assert again.status_code == 400
    assert again.json()["errors"]["organization"] == ["This organization has already signed."]
    assert Signature.objects.filter(organization=ports).count() == 1
    # The same form sent again (a double click) makes nothing more; another form, a clear error.
    form = client_for(dirk).get(f"/statements/{adopted.pk}/")
    assert "Add our signature" not in form.content.decode()
    page = client_for(dirk).post(
        f"/statements/{adopted.pk}/signatures/add/", {"organization": ports.slug}
    )
    assert "This organization has already signed." in page.content.decode()
    assert Signature.objects.filter(organization=ports).count() == 1
    assert "Netherlands" in Client().get(f"/statements/{adopted.pk}/").content.decode()


def test_signing_is_refused_before_adoption_and_to_members_and_the_unverified(
    client_for, called, adopted, dirk, ports, uma, unverified_org, kit, other_org
):
    draft = called(title="Another one")
    response = post(
        client_for(dirk), f"/statements/{draft.pk}/signatures", {"organization": "ports-nl"}
    )
    assert response.status_code == 404  # Dirk does not see the draft.
    assert (
        post(
            client_for(uma),
            f"/statements/{adopted.pk}/signatures",
            {"organization": unverified_org.slug},
        ).status_code
        == 403
    )
    Signature.objects.filter(organization=other_org).delete()
    assert (
        post(
            client_for(kit),
            f"/statements/{adopted.pk}/signatures",
            {"organization": other_org.slug},
        ).status_code
        == 403
    )
    assert client_for(kit).get(f"/statements/{adopted.pk}/signatures/add/").status_code == 403
    assert not Signature.objects.filter(organization__in=[unverified_org, other_org]).exists()


def test_the_initiator_declines_a_signature_and_the_organization_cannot_sign_again(
    client_for, adopted, sam, dirk, kim, ports, other_org, acting
):
    post(client_for(dirk), f"/statements/{adopted.pk}/signatures", {"organization": "ports-nl"})
    signature = Signature.objects.get(organization=ports)
    url = f"/statements/{adopted.pk}/signatures/{signature.pk}/decline/"
    assert client_for(kim).get(url).status_code == 403
    confirm = client_for(sam).get(url)
    assert "It will no longer be listed" in confirm.content.decode()
    assert client_for(sam).post(url, {"reason": ""}).status_code == 200
    assert Signature.objects.get(pk=signature.pk).status == "signed"
    with acting():
        assert client_for(sam).post(url, {"reason": "Not a union."}).status_code == 302
    signature.refresh_from_db()
    assert (signature.status, signature.decline_reason) == ("declined", "Not a union.")
    assert "Dutch Port Union" not in Client().get(f"/statements/{adopted.pk}/").content.decode()
    assert InboxEntry.objects.filter(
        organization=ports, kind="statement.signature_declined"
    ).exists()
    again = post(
        client_for(dirk), f"/statements/{adopted.pk}/signatures", {"organization": "ports-nl"}
    )
    assert again.status_code == 400
    assert "cannot sign again" in again.json()["errors"]["organization"][0]
    # A participant that agreed at adoption is not declined.
    agreed = Signature.objects.get(organization=other_org)
    response = post(
        client_for(sam),
        f"/statements/{adopted.pk}/signatures/{agreed.pk}/decline",
        {"reason": "Changed our mind."},
    )
    assert response.status_code == 400
    assert Signature.objects.get(pk=agreed.pk).status == "signed"


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_signatures_by_the_same_organization_at_the_same_moment_make_one_row(
    adopted, dirk, ports
):
    user = User.objects.get(pk=dirk.pk)
    outcomes = concurrently(
        *(
            (lambda: consensus.signature_add(actor=user, statement=adopted, organization=ports))
            for _ in range(3)
        )
    )
    assert sum(isinstance(o, Signature) for o in outcomes) == 1, outcomes
    assert Signature.objects.filter(organization=ports).count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_positions_of_one_organization_at_the_same_moment_make_one_row(called, kim, other_org):
    statement = called()
    user = User.objects.get(pk=kim.pk)
    outcomes = concurrently(
        *(
            (
                lambda stance=stance: consensus.position_state(
                    actor=user, statement=statement, organization=other_org, stance=stance
                )
            )
            for stance in ("agree", "stand_aside", "agree")
        )
    )
    assert all(isinstance(o, Position) for o in outcomes), outcomes
    assert Position.objects.filter(statement=statement, organization=other_org).count() == 1


def test_each_organization_that_signs_reaches_the_initiators_inbox(
    client_for, adopted, dirk, ports, owner_org, acting
):
    unions = OrganizationFactory(name="Union of Kenyan Teachers", slug="teachers-ke", country="KE")
    teacher = speaker(unions, "wanjiru@teachers.example")
    for person, organization in ((dirk, ports), (teacher, unions)):
        with acting():
            response = post(
                client_for(person),
                f"/statements/{adopted.pk}/signatures",
                {"organization": organization.slug},
            )
        assert response.status_code == 201
    entries = InboxEntry.objects.filter(organization=owner_org, kind="statement.signed")
    assert entries.count() == 2
    listed = client_for(dirk).get(f"{API}/statements/{adopted.pk}/signatures").json()
    assert [s["organization"]["slug"] for s in listed["items"]] == [
        "metal-sp",
        "teachers-ke",
        "docks-kr",
        "ports-nl",
    ]
