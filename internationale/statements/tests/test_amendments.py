"""Amendments and versions, through real requests. The Metalworkers of São Paulo (Sam speaks for
them, Mo is a member) initiate a three-paragraph statement; the Korean Dockworkers (Kim speaks for
them, Kit is a member) are invited and propose amendments; a third organization (Lia speaks for
it) is invited too; Nell belongs to no organization."""

import datetime

import pytest
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.core.tests.confirmations import confirmation
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.statements import consensus
from internationale.statements.models import Amendment, Statement, Version
from internationale.statements.services import statement_create

from .matrix_world import PARAGRAPHS, deadlines


@pytest.fixture
def statement(sam, owner_org, other_org, django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        made = statement_create(
            actor=sam,
            organization=owner_org,
            title="For the right to strike",
            language="en",
            paragraphs=PARAGRAPHS,
            criteria=Criteria(add=[other_org.pk]),
            **deadlines(),
        )
    work_off()
    return made


def propose(client, statement, **changes):  # type: ignore[no-untyped-def]
    data = {
        "organization": "docks-kr",
        "version": statement.current_version.number,
        "paragraph": 2,
        "kind": "replace",
        "text": "We condemn the arrests of union organizers at the ports of Santos and Busan.",
        "reason": "Busan too.",
    }
    data.update(changes)
    return client.post(f"/statements/{statement.pk}/amendments/propose/", data)


def decide(client, amendment, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/statements/amendments/{amendment.pk}/decide/", {"confirm": "on", **data})


def test_an_accepted_amendment_makes_version_2_and_the_comparison_marks_the_changed_words(
    client_for,
    statement,
    sam,
    kim,
    owner_org,
    other_org,
    work_off,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = propose(client_for(kim), statement)
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.status == "open"
    work_off()
    assert InboxEntry.objects.filter(organization=owner_org, kind="amendment.proposed").exists()
    page = client_for(sam).get(f"/statements/amendments/{amendment.pk}/").content.decode()
    assert "Busan too." in page and "/decide/" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_for(sam), amendment, decision="accept")
    assert response.status_code == 302
    amendment.refresh_from_db()
    statement.refresh_from_db()
    assert amendment.status == "accepted"
    assert statement.current_version.number == 2
    assert amendment.result_version == statement.current_version
    assert statement.current_version.amendment == amendment
    assert statement.current_version.paragraphs[1].endswith("ports of Santos and Busan.")
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="amendment.decided").exists()
    assert InboxEntry.objects.filter(organization=other_org, kind="statement.version").exists()
    assert AuditEntry.objects.filter(action="amendment.decide").exists()

    page = client_for(kim).get(f"/statements/{statement.pk}/compare/?from=1&to=2").content.decode()
    assert "<del>port</del><ins>ports</ins>" in page
    assert "<ins> and Busan</ins>" in page
    versions = client_for(kim).get(f"/statements/{statement.pk}/versions/").content.decode()
    assert f"Amendment {amendment.pk} accepted" in versions
    assert "Metalworkers of São Paulo" in versions  # who made it


def test_the_statement_page_shows_open_amendments_and_the_latest_versions(
    client_for, statement, kim, mo
):
    propose(client_for(kim), statement)
    page = client_for(mo).get(f"/statements/{statement.pk}/").content.decode()
    assert "1 open amendment." in page
    assert f"/statements/{statement.pk}/versions/1/" in page
    assert "Propose an amendment" not in page  # Mo is a member: reads, does not act
    page = client_for(kim).get(f"/statements/{statement.pk}/").content.decode()
    assert "Propose an amendment" in page


def test_accepting_one_of_two_competing_amendments_asks_the_other_to_be_restated(
    client_for, statement, sam, kim, owner_org
):
    third = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    lia = MembershipFactory(organization=third, role="secretary").user
    from internationale.statements.services import statement_invite

    statement_invite(actor=sam, statement=statement, criteria=Criteria(add=[third.pk]))
    propose(client_for(kim), statement)
    propose(client_for(lia), statement, organization="ports-nl", text="We condemn all arrests.")
    # An amendment to paragraph 3, carried to the next version.
    propose(client_for(kim), statement, paragraph=3, text="Send messages today.", reason="Now.")
    first, rival, other = Amendment.objects.order_by("pk")
    listing = client_for(sam).get(f"/statements/{statement.pk}/amendments/").content.decode()
    assert listing.count("the open amendments to this paragraph compete") == 1
    decide(client_for(sam), first, decision="accept")
    listing = client_for(sam).get(f"/statements/{statement.pk}/amendments/").content.decode()
    assert "the open amendments to this paragraph compete" not in listing
    rival.refresh_from_db()
    other.refresh_from_db()
    assert rival.status == "needs_rebase"
    assert other.status == "open" and other.version.number == 2 and other.paragraph == 3
    # The rival cannot be decided; its proposer restates it and it is open again.
    response = decide(client_for(sam), rival, decision="accept")
    assert "no longer open" in response.content.decode()
    response = client_for(lia).post(
        f"/statements/amendments/{rival.pk}/rebase/",
        {"paragraph": 2, "kind": "replace", "text": "We condemn all arrests.", "reason": "All."},
    )
    assert response.status_code == 302
    rival.refresh_from_db()
    assert rival.status == "open" and rival.version.number == 2
    # The carried amendment is decidable on version 2.
    decide(client_for(sam), other, decision="accept")
    statement.refresh_from_db()
    assert statement.current_version.number == 3
    assert statement.current_version.paragraphs[2] == "Send messages today."


def test_an_insertion_renumbers_the_amendments_carried_after_it(client_for, statement, sam, kim):
    propose(client_for(kim), statement, paragraph=0, kind="insert_after", text="Preamble.")
    propose(client_for(kim), statement, paragraph=3, kind="delete", text="")
    insert, delete = Amendment.objects.order_by("pk")
    decide(client_for(sam), insert, decision="accept")
    delete.refresh_from_db()
    assert delete.paragraph == 4
    decide(client_for(sam), delete, decision="accept")
    statement.refresh_from_db()
    assert statement.current_version.paragraphs == ["Preamble.", *PARAGRAPHS[:2]]


def test_merging_by_hand_and_rejecting_with_a_reason(client_for, statement, sam, kim):
    propose(client_for(kim), statement)
    propose(client_for(kim), statement, paragraph=1, text="Striking is a right.")
    merged, rejected = Amendment.objects.order_by("pk")
    response = decide(client_for(sam), merged, decision="merge", text="")
    assert "Every paragraph needs text" in response.content.decode()
    decide(client_for(sam), merged, decision="merge", text="We condemn every arrest at Santos.")
    merged.refresh_from_db()
    assert merged.status == "merged"
    assert merged.result_version.paragraphs[1] == "We condemn every arrest at Santos."
    assert "merged by hand" in merged.result_version.note
    response = decide(client_for(sam), rejected, decision="reject", reason="")
    assert "Give a reason." in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == "open"
    decide(client_for(sam), rejected, decision="reject", reason="Too short.")
    rejected.refresh_from_db()
    assert rejected.status == "rejected" and rejected.decision_reason == "Too short."
    assert Version.objects.filter(statement=statement).count() == 2


def test_a_decision_needs_confirming(client_for, statement, sam, kim):
    propose(client_for(kim), statement)
    amendment = Amendment.objects.get()
    response = client_for(sam).post(
        f"/statements/amendments/{amendment.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 200
    amendment.refresh_from_db()
    assert amendment.status == "open"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"paragraph": 4}, "Version 1 has no paragraph 4 (it has 3)."),
        ({"paragraph": 0}, "Version 1 has no paragraph 0"),
        ({"text": "   "}, "Every paragraph needs text"),
        ({"reason": ""}, "This field is required."),
        ({"version": 2}, "based on an outdated version: version 1 is current"),
    ],
)
def test_bad_amendments_are_refused_and_nothing_is_written(
    client_for, statement, kim, changes, message
):
    response = propose(client_for(kim), statement, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Amendment.objects.exists()


def test_an_amendment_on_an_outdated_version_is_refused(client_for, statement, sam, kim):
    propose(client_for(kim), statement)
    decide(client_for(sam), Amendment.objects.get(), decision="accept")
    response = propose(client_for(kim), statement, version=1, paragraph=1)
    assert "version 2 is current" in response.content.decode()
    assert Amendment.objects.count() == 1


@pytest.mark.parametrize("state", ["adopted", "withdrawn", "positions", "past"])
def test_no_amendment_to_a_frozen_or_closed_statement(client_for, statement, kim, state):
    if state == "past":
        Statement.objects.filter(pk=statement.pk).update(
            amendments_until=timezone.now() - datetime.timedelta(minutes=1)
        )
    else:
        Statement.objects.filter(pk=statement.pk).update(status=state)
    response = propose(client_for(kim), statement)
    assert response.status_code == 200
    expected = {
        "adopted": "adopted or withdrawn",
        "withdrawn": "adopted or withdrawn",
        "positions": "amendments are closed",
        "past": "deadline for amendments has passed",
    }[state]
    assert expected in response.content.decode()
    assert not Amendment.objects.exists()


def test_members_and_outsiders_cannot_propose_nor_decide(
    client_for, statement, kim, kit, mo, nell, sam
):
    assert propose(client_for(kit), statement).status_code == 403
    assert propose(client_for(nell), statement).status_code == 404
    # The initiator decides; it does not propose to itself.
    assert propose(client_for(sam), statement).status_code == 403
    propose(client_for(kim), statement)
    amendment = Amendment.objects.get()
    assert decide(client_for(mo), amendment, decision="accept").status_code == 403
    assert decide(client_for(kim), amendment, decision="accept").status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == "open"


def test_a_repeated_submission_proposes_once(client_for, statement, kim):
    client = client_for(kim)
    propose(client, statement, submission_key="k1")
    propose(client, statement, submission_key="k1")
    assert Amendment.objects.count() == 1


def test_the_proposer_withdraws_after_confirming(client_for, statement, kim, sam):
    propose(client_for(kim), statement)
    amendment = Amendment.objects.get()
    url = f"/statements/amendments/{amendment.pk}/withdraw/"
    assert client_for(sam).get(url).status_code == 403
    asked = confirmation(client_for(kim), url)
    assert asked.button == "Withdraw the amendment"
    client_for(kim).post(url)
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"
    assert "already decided or withdrawn" in client_for(kim).post(url).content.decode()


def test_revising_makes_a_new_version_and_calls_positions_again(client_for, statement, sam, kim):
    propose(client_for(kim), statement)
    Statement.objects.filter(pk=statement.pk).update(
        status="positions", positions_version=statement.current_version
    )
    url = f"/statements/{statement.pk}/revise/"
    assert client_for(kim).get(url).status_code == 403
    response = client_for(sam).post(url, {"text": "\n\n".join(PARAGRAPHS), "note": "Same"})
    assert "The text is the same as version 1" in response.content.decode()
    response = client_for(sam).post(url, {"text": "One.\n\nTwo.", "note": "After C's block."})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.current_version.number == 2
    assert statement.current_version.paragraphs == ["One.", "Two."]
    assert statement.status == "drafting"
    assert statement.positions_version.number == 1
    assert Amendment.objects.get().status == "needs_rebase"
    Statement.objects.filter(pk=statement.pk).update(status="adopted")
    response = client_for(sam).post(url, {"text": "Three.", "note": "Late."})
    assert "adopted or withdrawn" in response.content.decode()
    assert Version.objects.filter(statement=statement).count() == 2


def test_a_new_version_made_while_positions_are_called_says_to_call_them_again(
    client_for, statement, sam, kim
):
    url = f"/statements/{statement.pk}/revise/"
    page = client_for(sam).get(url).content.decode()
    assert "you call positions on the new one when it is ready" in page
    # Drafting: the new version is all there is to say.
    response = client_for(sam).post(url, {"text": "One.\n\nTwo.", "note": "Shorter."}, follow=True)
    page = response.content.decode()
    assert "Version 2 is made; the participants are told." in page
    assert "Call positions on version" not in page
    # Positions called: a revision sends the statement back to drafting, and says so.
    consensus.positions_call(actor=sam, statement=statement)
    response = client_for(sam).post(
        url, {"text": "One.\n\nThree.", "note": "After a block."}, follow=True
    )
    page = response.content.decode()
    assert (
        "Version 3 is made; the participants are told. The statement is drafted again; the "
        "positions stated stay with the earlier version. Call positions on version 3 when it is "
        "ready." in page
    )
    statement.refresh_from_db()
    assert statement.status == "drafting"
    # So does an amendment, proposed before, accepted while positions are called.
    propose(client_for(kim), statement)
    consensus.positions_call(actor=sam, statement=statement)
    initiator = client_for(sam)
    response = decide(initiator, Amendment.objects.get(), decision="accept")
    page = initiator.get(response.url).content.decode()
    assert "Version 4 is made with the amendment. The statement is drafted again" in page
    assert "Call positions on version 4 when it is ready." in page


def test_the_revise_page_shows_the_blocks_on_the_version_called_with_their_reasons(
    client_for, statement, sam, kim, other_org
):
    url = f"/statements/{statement.pk}/revise/"
    assert "Blocks on version" not in client_for(sam).get(url).content.decode()
    consensus.positions_call(actor=sam, statement=statement)
    consensus.position_state(
        actor=kim,
        statement=statement,
        organization=other_org,
        stance="block",
        text="Paragraph 2 forgets **Busan**.",
    )
    page = client_for(sam).get(url).content.decode()
    assert '<h2 id="blocks-heading">Blocks on version 1</h2>' in page
    assert "Korean Dockworkers" in page.split("blocks-heading")[2]
    assert "Paragraph 2 forgets <strong>Busan</strong>." in page
    # Once a new version sends the statement back to drafting, they are the earlier version's.
    client_for(sam).post(url, {"text": "One.\n\nTwo.", "note": "Busan named."})
    assert "Blocks on version" not in client_for(sam).get(url).content.decode()


def test_comparing_unknown_versions_says_which_exist(client_for, statement, kim, nell):
    response = client_for(kim).get(f"/statements/{statement.pk}/compare/?from=1&to=9")
    assert response.status_code == 404
    assert "Choose two versions of this statement: 1." in response.content.decode()
    assert client_for(kim).get(f"/statements/{statement.pk}/compare/?from=x").status_code == 404
    assert client_for(nell).get(f"/statements/{statement.pk}/compare/").status_code == 404
    assert client_for(kim).get(f"/statements/{statement.pk}/versions/7/").status_code == 404


def test_the_comparison_page_marks_changed_words_in_arabic_and_chinese(
    client_for, statement, sam, kim
):
    from internationale.statements.amendments import statement_revise

    statement_revise(
        actor=sam,
        statement=statement,
        paragraphs=["العمّال يتحدون في كل مكان", "全世界工人团结起来。"],
        note="In Arabic and Chinese.",
    )
    statement_revise(
        actor=sam,
        statement=statement,
        paragraphs=["العمّال يتضامنون في كل مكان", "全世界劳动者团结起来。"],
        note="Other words.",
    )
    page = client_for(kim).get(f"/statements/{statement.pk}/compare/?from=2&to=3").content.decode()
    assert "العمّال <del>يتحدون</del><ins>يتضامنون</ins> في كل مكان" in page
    assert "全世界<del>工人</del><ins>劳动者</ins>团结起来。" in page
    # From version 1, the first paragraph is replaced whole and the third removed.
    page = client_for(kim).get(f"/statements/{statement.pk}/compare/?from=1&to=3").content.decode()
    assert "Paragraph 3, removed" in page


def test_an_organization_that_does_not_take_part_cannot_propose(client_for, statement, kim):
    elsewhere = OrganizationFactory(name="Chilean Miners", slug="miners-cl", country="CL")
    MembershipFactory(organization=elsewhere, user=kim, role="secretary")
    # The form offers only the organizations taking part; the API says why it refuses another.
    page = client_for(kim).get(f"/statements/{statement.pk}/amendments/propose/").content.decode()
    assert "Chilean Miners" not in page
    response = client_for(kim).post(
        f"/api/v1/statements/{statement.pk}/amendments",
        {
            "organization": "miners-cl",
            "version": 1,
            "paragraph": 1,
            "kind": "delete",
            "reason": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "does not take part in the statement" in response.content.decode()
    assert not Amendment.objects.exists()


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_the_same_moment_make_versions_2_and_3(statement, sam, kim, other_org):
    from internationale.statements.amendments import amendment_decide, amendment_propose

    made = [
        amendment_propose(
            actor=kim,
            statement=statement,
            organization=other_org,
            version=1,
            paragraph=n,
            kind="replace",
            text=f"Paragraph {n}, amended.",
            reason="Clearer.",
        )
        for n in (1, 3)
    ]
    outcomes = concurrently(
        *[lambda a=a: amendment_decide(actor=sam, amendment=a, decision="accept") for a in made]
    )
    assert all(isinstance(o, Amendment) for o in outcomes), outcomes
    statement.refresh_from_db()
    assert sorted(Version.objects.filter(statement=statement).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert statement.current_version.number == 3
    assert statement.current_version.paragraphs == [
        "Paragraph 1, amended.",
        PARAGRAPHS[1],
        "Paragraph 3, amended.",
    ]
