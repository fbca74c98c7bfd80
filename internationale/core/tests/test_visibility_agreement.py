"""One audience policy: for every shared model, every level and every persona, the queryset filter,
the same decision in Python and the permission rule agree, and what is not public is confidential.

The Metalworkers (Ana admin, Olu observer) own everything below and address it to the Dockworkers
(Kim secretary, Kit member). Nia belongs to a third verified organization (the network), Uma to an
unverified one; Nell belongs to none, Oscar is an operator; and the anonymous visitor.

A new shared model must give the test a way to build its rows (`BUILDERS`), or the suite fails.
"""

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import Http404
from django.utils import timezone

from internationale.actions.models import (
    Answer,
    Called,
    CoCaller,
    DayOfAction,
    LocalAction,
    Report,
    ReportPhoto,
)
from internationale.appeals.models import Addressee, Appeal, AppealUpdate, Pledge, Response
from internationale.appeals.tests.factories import AppealFactory, PledgeFactory
from internationale.campaigns.models import Campaign, Sponsor
from internationale.cooperation.models import (
    Agreement,
    AgreementParty,
    Invitation,
    Meeting,
    Task,
    TaskNote,
)
from internationale.core.visibility import (
    access,
    is_visible,
    organizations_seeing,
    shared_models,
    view_rule,
)
from internationale.library.models import Document, DocumentAddressee, DocumentFile
from internationale.organizations.models import Membership, Presence, Relation
from internationale.organizations.tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)
from internationale.statements.models import (
    Amendment,
    Comment,
    Participant,
    Position,
    Signature,
    Statement,
    Version,
)

PERSONAS = ["ana", "olu", "kim", "kit", "nia", "uma", "nell", "oscar", "anonymous"]


@pytest.fixture
def everyone(ana, olu, kim, kit, uma, nell, oscar):  # type: ignore[no-untyped-def]
    network_org = OrganizationFactory(name="Dutch Port Union", country="NL")
    nia = MembershipFactory(organization=network_org, role=Membership.Role.SECRETARY).user
    return {
        "ana": ana,
        "olu": olu,
        "kim": kim,
        "kit": kit,
        "nia": nia,
        "uma": uma,
        "nell": nell,
        "oscar": oscar,
        "anonymous": AnonymousUser(),
    }


def _appeals(owner: Any, addressee: Any) -> list[Appeal]:
    """Every visibility an appeal may have, drafts and sent, each addressed to the Dockworkers."""
    appeals = []
    for visibility, status in itertools.product(
        ["public", "network", "addressed"], [Appeal.Status.DRAFT, Appeal.Status.OPEN]
    ):
        appeal = AppealFactory(organization=owner, visibility=visibility, status=status)
        Addressee.objects.create(appeal=appeal, organization=addressee)
        appeals.append(appeal)
    return appeals


def _updates(owner: Any, addressee: Any) -> None:
    for appeal in _appeals(owner, addressee):
        AppealUpdate.objects.create(appeal=appeal, text="Day three of the lockout.")


def _responses(owner: Any, addressee: Any) -> None:
    for appeal in _appeals(owner, addressee):
        Response.objects.create(appeal=appeal, organization=addressee, kind="acknowledged")


def _pledges(owner: Any, addressee: Any) -> None:
    for appeal, public in itertools.product(_appeals(owner, addressee), [True, False]):
        PledgeFactory(
            appeal=appeal,
            organization=addressee,
            forms=["material_aid"],
            description="Strike fund",
            amount=500,
            currency="EUR",
            public=public,
        )


def _relations(owner: Any, addressee: Any) -> None:
    # One live relation per kind between two organizations: the fourth is an ended one.
    kinds = ["fraternal", "cooperation", "federation", "fraternal"]
    statuses = ["accepted", "accepted", "proposed", "ended"]
    for visibility, kind, status in zip(
        ["public", "network", "addressed", "private"], kinds, statuses, strict=True
    ):
        for proposer, partner in [(owner, addressee), (addressee, owner)]:
            RelationFactory(
                proposer=proposer, partner=partner, visibility=visibility, kind=kind, status=status
            )


def _presences(owner: Any, addressee: Any) -> None:
    for visibility in ["public", "network", "addressed", "private"]:
        PresenceFactory(organization=owner, employer=EmployerFactory(), visibility=visibility)


def _meetings(owner: Any, addressee: Any) -> None:
    start = timezone.now() + datetime.timedelta(days=30)
    for visibility in ["public", "network", "addressed"]:
        meeting = Meeting.objects.create(
            kind="bilateral",
            organization=owner,
            title=f"Bilateral ({visibility})",
            start_at=start,
            end_at=start + datetime.timedelta(hours=2),
            time_zone="America/Sao_Paulo",
            visibility=visibility,
        )
        Invitation.objects.create(meeting=meeting, organization=addressee)


def _agreements(owner: Any, addressee: Any) -> list[Agreement]:
    _meetings(owner, addressee)
    found = []
    for meeting in Meeting.objects.all():
        agreement = Agreement.objects.create(
            meeting=meeting,
            title="Joint leaflet",
            text="We print it.",
            adopted_on=timezone.now().date(),
        )
        for organization in (owner, addressee):
            AgreementParty.objects.create(agreement=agreement, organization=organization)
        found.append(agreement)
    return found


def _tasks(owner: Any, addressee: Any) -> None:
    for agreement in _agreements(owner, addressee):
        Task.objects.create(
            agreement=agreement,
            title="Translate",
            organization=addressee,
            deadline=timezone.now().date(),
        )


def _task_notes(owner: Any, addressee: Any) -> None:
    """A note on each task, of the addressee (the responsible organization; the owner hosts), and
    on a task of a third party of the agreement, which the addressee does not read."""
    _tasks(owner, addressee)
    third = OrganizationFactory(name="Chilean Miners")
    for agreement in Agreement.objects.all():
        AgreementParty.objects.create(agreement=agreement, organization=third)
        Task.objects.create(
            agreement=agreement, title="Print", organization=third, deadline=agreement.adopted_on
        )
    for task in Task.objects.all():
        TaskNote.objects.create(task=task, text="Half done.")


def _statements(owner: Any, addressee: Any) -> list[Statement]:
    """A draft for the participants, and statements adopted for the participants, the network
    and the public, each with the Dockworkers taking part."""
    found = []
    later = timezone.now() + datetime.timedelta(days=10)
    for visibility, status in [
        ("addressed", "drafting"),
        ("addressed", "adopted"),
        ("network", "adopted"),
        ("public", "adopted"),
    ]:
        statement = Statement.objects.create(
            organization=owner,
            title=f"Statement ({visibility}, {status})",
            language="en",
            status=status,
            visibility=visibility,
            amendments_until=later,
            positions_until=later,
        )
        Participant.objects.create(statement=statement, organization=addressee)
        version = Version.objects.create(
            statement=statement,
            number=1,
            title=statement.title,
            paragraphs=["One."],
            is_adopted=status == "adopted",
        )
        if status == "adopted":
            Version.objects.create(
                statement=statement, number=0, title="Earlier", paragraphs=["Zero."]
            )
        found.append((statement, version))
    return found


def _statement_parts(owner: Any, addressee: Any) -> None:
    for statement, version in _statements(owner, addressee):
        Amendment.objects.create(
            statement=statement,
            version=version,
            paragraph=1,
            kind="replace",
            text="Two.",
            reason="Clearer.",
            organization=addressee,
        )
        Comment.objects.create(
            statement=statement, version=version, paragraph=1, organization=addressee, text="Hm."
        )
        Position.objects.create(
            statement=statement, version=version, organization=addressee, stance="agree"
        )
        for organization in (owner, addressee):
            Signature.objects.create(
                statement=statement, organization=organization, source="adoption"
            )


def _documents(owner: Any, addressee: Any) -> None:
    for visibility in ["public", "network", "addressed", "private"]:
        document = Document.objects.create(
            organization=owner,
            kind="analysis",
            title="Platform work",
            language="en",
            visibility=visibility,
        )
        DocumentAddressee.objects.create(document=document, organization=addressee)
        DocumentFile.objects.create(document=document, file="library/a.pdf", name="a.pdf")


def _campaigns(owner: Any, addressee: Any) -> None:
    """A draft for the organizer and the sponsors invited, and a launched, public campaign, each
    with the Dockworkers invited to sponsor it."""
    now = timezone.now()
    for visibility, status in [("addressed", "draft"), ("public", "open")]:
        campaign = Campaign.objects.create(
            organization=owner,
            title=f"Campaign ({status})",
            text="Free him.",
            language="en",
            goal=100,
            starts_at=now,
            ends_at=now + datetime.timedelta(days=30),
            status=status,
            visibility=visibility,
        )
        Sponsor.objects.create(campaign=campaign, organization=addressee)


def _days(owner: Any, addressee: Any) -> None:
    """Days of action: one being prepared with the Dockworkers invited to call it, and days called
    for the network and the public with the Dockworkers called; on each, the Dockworkers' answer
    and an action of theirs, reported with a photo. A third organization co-calls each day."""
    co = OrganizationFactory(name="Chilean Port Union", country="CL")
    start = timezone.now() + datetime.timedelta(days=30)
    for visibility, status in [("addressed", "draft"), ("network", "called"), ("public", "called")]:
        day = DayOfAction.objects.create(
            organization=owner,
            title=f"Day ({visibility})",
            text="Act.",
            language="en",
            date=start.date(),
            status=status,
            visibility=visibility,
        )
        CoCaller.objects.create(day=day, organization=co)
        if status == "draft":
            CoCaller.objects.create(day=day, organization=addressee)
        else:
            Called.objects.create(day=day, organization=addressee)
        Answer.objects.create(day=day, organization=addressee, kind="will_act")
        action = LocalAction.objects.create(
            day=day,
            organization=addressee,
            kind="rally",
            city="Rotterdam",
            country="NL",
            time_zone="Europe/Amsterdam",
            start_at=start,
            end_at=start + datetime.timedelta(hours=2),
            local_start_date=start.date(),
            local_start_time=start.time(),
            local_end_date=start.date(),
            local_end_time=start.time(),
        )
        report = Report.objects.create(action=action, text="Held.", outcome="held")
        ReportPhoto.objects.create(report=report, file="day-reports/a.jpg")


BUILDERS: dict[type[models.Model], Callable[[Any, Any], Any]] = {
    Appeal: _appeals,
    AppealUpdate: _updates,
    Response: _responses,
    Pledge: _pledges,
    Relation: _relations,
    Presence: _presences,
    Meeting: _meetings,
    Agreement: _agreements,
    Task: _tasks,
    TaskNote: _task_notes,
    Statement: _statements,
    Version: _statements,
    Amendment: _statement_parts,
    Comment: _statement_parts,
    Position: _statement_parts,
    Signature: _statement_parts,
    Document: _documents,
    DocumentFile: _documents,
    Campaign: _campaigns,
    DayOfAction: _days,
    Answer: _days,
    LocalAction: _days,
    Report: _days,
    ReportPhoto: _days,
}


def test_every_shared_model_is_walked_by_this_test():
    assert set(shared_models()) == set(BUILDERS)


def _accessible(model: type[models.Model], person: Any, pk: int) -> bool:
    try:
        access(model._default_manager.all(), person, pk=pk)  # type: ignore[arg-type]
    except Http404:
        return False
    return True


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m._meta.label)
def test_the_filter_the_python_check_and_the_rule_agree(model, everyone, owner_org, other_org):
    BUILDERS[model](owner_org, other_org)
    rows = list(model._default_manager.all())
    assert rows
    seen_by = {}
    for name, person in everyone.items():
        by_filter = set(model._default_manager.visible_to(person).values_list("pk", flat=True))
        by_python = {row.pk for row in rows if row.is_visible_to(person)}
        by_rule = {row.pk for row in rows if person.has_perm(view_rule(model), row)}
        # One object read for a page (`access`: in one query, decided in Python).
        by_access = {row.pk for row in rows if _accessible(model, person, row.pk)}
        assert by_filter == by_python == by_rule == by_access, (model._meta.label, name)
        seen_by[name] = by_filter
    # Whatever the public may see is not confidential, and everything else is.
    for row in rows:
        assert row.confidential == (row.pk not in seen_by["anonymous"]), (model, row.pk)
    # Every role of an organization sees the same; the two organizations concerned see at least
    # what anyone else sees.
    assert seen_by["ana"] == seen_by["olu"] and seen_by["kim"] == seen_by["kit"]
    for name in PERSONAS:
        assert seen_by[name] <= seen_by["ana"] | seen_by["kim"], name


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m._meta.label)
def test_the_organizations_seeing_an_object_are_those_whose_people_see_it(
    model, everyone, owner_org, other_org
):
    # Each of these people belongs to one organization: what they see is what it sees.
    BUILDERS[model](owner_org, other_org)
    alone = {
        name: everyone[name].memberships.get().organization for name in ["ana", "kim", "nia", "uma"]
    }
    organizations = {org.pk: org.verified_at is not None for org in alone.values()}
    for row in model._default_manager.all():
        expected = {org.pk for name, org in alone.items() if is_visible(row, everyone[name])}
        assert organizations_seeing(row, organizations) == expected, (model._meta.label, row.pk)


def test_each_level_reaches_whom_it_says(everyone, owner_org, other_org):
    _appeals(owner_org, other_org)

    def titles(name: str) -> set[tuple[str, str]]:
        visible = Appeal.objects.visible_to(everyone[name])
        return set(visible.values_list("visibility", "status"))

    sent = {("public", "open"), ("network", "open"), ("addressed", "open")}
    assert titles("anonymous") == titles("nell") == titles("uma") == {("public", "open")}
    assert titles("nia") == titles("oscar") == {("public", "open"), ("network", "open")}
    assert titles("kim") == titles("kit") == sent
    assert len(titles("ana")) == 6


def test_a_private_relation_is_the_proposers_alone(everyone, owner_org, other_org):
    RelationFactory(proposer=owner_org, partner=other_org, visibility="private")

    assert Relation.objects.visible_to(everyone["ana"]).count() == 1
    for name in ["kim", "nia", "oscar", "anonymous"]:
        assert Relation.objects.visible_to(everyone[name]).count() == 0, name


def test_a_pledge_shows_what_was_pledged_to_the_issuer_and_the_pledger_only(
    everyone, owner_org, other_org
):
    from internationale.core.visibility import mask

    appeal = AppealFactory(organization=owner_org, visibility="public", status="open")
    Addressee.objects.create(appeal=appeal, organization=other_org)
    third = OrganizationFactory()
    Addressee.objects.create(appeal=appeal, organization=third)
    nia_of_third = MembershipFactory(organization=third, role="secretary").user
    pledge = PledgeFactory(
        appeal=appeal,
        organization=other_org,
        forms=["material_aid"],
        description="Strike fund",
        amount=500,
        currency="EUR",
    )

    def amount(person: Any) -> Any:
        return mask([Pledge.objects.get(pk=pledge.pk)], person)[0].amount

    assert amount(everyone["ana"]) == amount(everyone["kim"]) == 500
    assert amount(nia_of_third) is None
    assert Pledge.objects.visible_to(everyone["anonymous"]).count() == 0
    Pledge.objects.filter(pk=pledge.pk).update(public=True)
    assert amount(nia_of_third) == amount(everyone["anonymous"]) == 500


def test_a_masked_object_cannot_be_saved(everyone, owner_org, other_org):
    from internationale.core.visibility import mask

    appeal = AppealFactory(organization=owner_org, visibility="public", status="open")
    pledge = PledgeFactory(
        appeal=appeal, organization=other_org, forms=["material_aid"], amount=5, currency="EUR"
    )
    masked = mask([Pledge.objects.get(pk=pledge.pk)], everyone["anonymous"])[0]

    with pytest.raises(ValueError, match="masked"):
        masked.save()
    pledge.refresh_from_db()
    assert pledge.amount == 5


def test_a_tasks_notes_go_to_whom_its_evidence_goes(everyone, owner_org, other_org):
    """The notes' audience (TaskNote.audience) and the evidence's mask (Task.EVIDENCE) name the
    same people: the responsible organization's and the host's, whatever the meeting's level."""
    from internationale.core.visibility import mask

    _task_notes(owner_org, other_org)
    for name, person in everyone.items():
        tasks = mask(
            list(Task.objects.visible_to(person).select_related("agreement__meeting")), person
        )
        readable = {t.pk for t in tasks if "evidence" not in t.__dict__.get("masked_groups", ())}
        noted = set(TaskNote.objects.visible_to(person).values_list("task_id", flat=True))
        assert noted == readable, name
    # The host reads every task's notes, the responsible organization its own only, the network
    # and the public none, even on a public meeting.
    assert TaskNote.objects.visible_to(everyone["ana"]).count() == 6
    assert set(
        TaskNote.objects.visible_to(everyone["kit"]).values_list("task__organization", flat=True)
    ) == {other_org.pk}
    for name in ["nia", "oscar", "nell", "uma", "anonymous"]:
        assert not TaskNote.objects.visible_to(everyone[name]).exists(), name
