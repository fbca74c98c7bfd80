"""Drafting a statement through its pages, by real requests: starting one, inviting, changing
its settings, withdrawing it, supporting it, commenting on a paragraph. The Metalworkers of São
Paulo (Sam speaks for them, Mo is a member, Olu an observer) initiate; the Korean Dockworkers
(Kim speaks for them, Kit is a member) are invited; Nell belongs to no organization."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.core.audit import word
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.models import Comment, Participant, Statement

from .matrix_world import PARAGRAPHS
from .test_create import start

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def local(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def form(**changes):  # type: ignore[no-untyped-def]
    data = {
        "organization": "metal-sp",
        "title": "For the right to strike",
        "language": "en",
        "text": "\n\n".join(PARAGRAPHS),
        "amendments_until": local(10).strftime("%Y-%m-%dT%H:%M"),
        "positions_until": local(20).strftime("%Y-%m-%dT%H:%M"),
        "min_agree": "2",
        "min_supporters": "1",
        "adopted_visibility": "public",
        "add": "docks-kr",
        "submission_key": "k-1",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(sam, owner_org, other_org, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return start(sam, owner_org, criteria=Criteria(add=[other_org.pk]), min_supporters=1)


# Starting ----------------------------------------------------------------------------------------


def test_sam_starts_a_statement_in_paragraphs_with_deadlines_in_his_time_zone(
    sam, other_org, client_for, work_off, django_capture_on_commit_callbacks
):
    sam.time_zone = "America/Sao_Paulo"
    sam.save()
    client = client_for(sam)
    page = client.get("/statements/")
    assert 'href="/statements/new/"' in page.content.decode()
    page = client.get("/statements/new/")
    assert "Separate paragraphs with a blank line" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/statements/new/", form())
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/statements/{statement.pk}/"
    assert statement.current_version.paragraphs == PARAGRAPHS
    assert statement.min_supporters == 1
    # 18:00 in São Paulo (UTC-3) is 21:00 UTC.
    assert statement.amendments_until.astimezone(SAO_PAULO).hour == 18
    assert statement.amendments_until.astimezone(datetime.UTC).hour == 21
    assert Participant.objects.get(statement=statement).organization == other_org
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="statement.invited").exists()
    # Sent twice (a double click): one statement.
    assert client.post("/statements/new/", form()).status_code == 302
    assert Statement.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Korean Dockworkers" in page
    assert "0 of 1 supporter needed" in page
    assert "We condemn the arrests" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "  \n\n  "}, "This field is required."),
        ({"language": "not a language!"}, "Give the drafting language as a language tag"),
        ({"amendments_until": local(-2).strftime("%Y-%m-%dT%H:%M")}, "must be in the future"),
        (
            {"positions_until": local(5).strftime("%Y-%m-%dT%H:%M")},
            "cannot come before the one for amendments",
        ),
        ({"min_agree": "0"}, "greater than or equal to 1"),
        ({"adopted_visibility": "private"}, "Select a valid choice"),
        ({"organization": "docks-kr"}, "Select a valid choice"),
    ],
)
def test_a_refused_draft_shows_its_error_and_starts_nothing(
    sam, other_org, client_for, changes, message
):
    response = client_for(sam).post("/statements/new/", form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Statement.objects.exists()


def test_members_observers_and_the_unverified_cannot_start_a_statement(
    mo, olu, uma, nell, client_for
):
    for person in (mo, olu, uma, nell):
        client = client_for(person)
        assert client.get("/statements/new/").status_code == 403
        assert client.post("/statements/new/", form()).status_code == 403
    assert not Statement.objects.exists()


# Inviting ----------------------------------------------------------------------------------------


def test_sam_previews_with_reasons_then_invites_another_organization(draft, sam, client_for):
    dutch = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    preview = client.get(f"/statements/{draft.pk}/invite/?preview=1&add=ports-nl")
    assert "Dutch Port Union" in preview.content.decode()
    assert "added by hand" in preview.content.decode()
    assert not Participant.objects.filter(organization=dutch).exists()
    response = client.post(f"/statements/{draft.pk}/invite/", {"add": "ports-nl"})
    assert response.status_code == 302
    assert Participant.objects.filter(statement=draft, organization=dutch).exists()
    page = client.get(f"/statements/{draft.pk}/").content.decode()
    assert "Dutch Port Union" in page and "added by hand" in page
    # Nobody new: an error, nothing changed.
    again = client.post(f"/statements/{draft.pk}/invite/", {"add": "ports-nl"})
    assert again.status_code == 200
    assert "choose no organization that does not take part already" in again.content.decode()
    assert Participant.objects.filter(statement=draft).count() == 2


def test_only_the_initiators_speakers_invite(draft, kim, mo, nell, client_for):
    assert (
        client_for(kim).post(f"/statements/{draft.pk}/invite/", {"add": "metal-sp"}).status_code
        == 403
    )
    assert client_for(mo).get(f"/statements/{draft.pk}/invite/").status_code == 403
    assert client_for(nell).get(f"/statements/{draft.pk}/invite/").status_code == 404


# Settings ----------------------------------------------------------------------------------------


def test_sam_changes_the_deadlines_and_rules_and_the_invited_are_told(
    draft, sam, other_org, client_for, work_off, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    page = client.get(f"/statements/{draft.pk}/settings/")
    assert "For the right to strike" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/statements/{draft.pk}/settings/",
            {
                "title": "For the right to strike, everywhere",
                "amendments_until": local(12).strftime("%Y-%m-%dT%H:%M"),
                "positions_until": local(30).strftime("%Y-%m-%dT%H:%M"),
                "min_agree": "3",
                "min_supporters": "0",
                "silence_stands_aside": "on",
                "adopted_visibility": "network",
            },
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "For the right to strike, everywhere"
    assert (draft.min_agree, draft.silence_stands_aside, draft.adopted_visibility) == (
        3,
        True,
        "network",
    )
    work_off()
    assert AuditEntry.objects.filter(action="statement.change").count() == 1
    assert InboxEntry.objects.filter(organization=other_org, kind="statement.changed").exists()


def test_settings_refuse_bad_deadlines_and_change_nothing_once_positions_are_called(
    draft, sam, kim, client_for
):
    client = client_for(sam)
    bad = client.post(
        f"/statements/{draft.pk}/settings/",
        {
            "title": "Another title",
            "amendments_until": local(12).strftime("%Y-%m-%dT%H:%M"),
            "positions_until": local(3).strftime("%Y-%m-%dT%H:%M"),
            "min_agree": "2",
            "min_supporters": "0",
            "adopted_visibility": "public",
        },
    )
    assert bad.status_code == 200
    assert "cannot come before the one for amendments" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.title == "For the right to strike"
    Statement.objects.filter(pk=draft.pk).update(status=Statement.Status.POSITIONS)
    late = client.post(
        f"/statements/{draft.pk}/settings/",
        {
            "title": "Another title",
            "amendments_until": local(12).strftime("%Y-%m-%dT%H:%M"),
            "positions_until": local(30).strftime("%Y-%m-%dT%H:%M"),
            "min_agree": "2",
            "min_supporters": "0",
            "adopted_visibility": "public",
        },
    )
    assert late.status_code == 200
    assert "its settings stay" in late.content.decode()
    draft.refresh_from_db()
    assert draft.title == "For the right to strike"
    assert client_for(kim).get(f"/statements/{draft.pk}/settings/").status_code == 403


# Withdrawing -------------------------------------------------------------------------------------


def test_withdrawing_asks_to_confirm_then_freezes_the_statement_and_tells_the_invited(
    draft, sam, kim, other_org, client_for, work_off, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    confirm = client.get(f"/statements/{draft.pk}/withdraw/")
    assert "This cannot be undone" in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFTING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/statements/{draft.pk}/withdraw/", {"reason": "Events overtook the draft."}
        )
    work_off()
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Statement.Status.WITHDRAWN and draft.withdrawn_at is not None
    entry = InboxEntry.objects.get(organization=other_org, kind="statement.withdrawn")
    assert entry is not None
    page = client_for(kim).get(f"/statements/{draft.pk}/").content.decode()
    assert "Withdrawn by its initiator" in page
    assert "Events overtook the draft." in page  # the invited read why
    # Frozen: withdrawing again, commenting, changing are refused.
    again = client.post(f"/statements/{draft.pk}/withdraw/", {"reason": ""})
    assert "adopted or withdrawn already" in again.content.decode()
    assert (
        client_for(kim)
        .post(
            f"/statements/{draft.pk}/paragraphs/1/comments/",
            {"organization": "docks-kr", "text": "Late."},
        )
        .status_code
        == 200
    )
    assert not Comment.objects.exists()
    assert AuditEntry.objects.filter(action="statement.withdraw").count() == 1


def test_only_the_initiators_speakers_withdraw(draft, kim, mo, olu, nell, client_for):
    for person in (kim, mo, olu):
        assert client_for(person).post(f"/statements/{draft.pk}/withdraw/").status_code == 403
    assert client_for(nell).post(f"/statements/{draft.pk}/withdraw/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Statement.Status.DRAFTING


# Support -----------------------------------------------------------------------------------------


def test_kim_supports_the_draft_then_takes_it_back(draft, kim, sam, client_for):
    client = client_for(kim)
    page = client.get(f"/statements/{draft.pk}/").content.decode()
    assert "Support this draft for Korean Dockworkers" in page
    assert (
        client.post(f"/statements/{draft.pk}/support/", {"organization": "docks-kr"}).status_code
        == 302
    )
    assert (
        client.post(f"/statements/{draft.pk}/support/", {"organization": "docks-kr"}).status_code
        == 302
    )
    assert Participant.objects.get(statement=draft).supported_at is not None
    assert AuditEntry.objects.filter(action="statement.support").count() == 1
    page = client_for(sam).get(f"/statements/{draft.pk}/").content.decode()
    assert "1 of 1 supporter needed" in page
    assert (
        client.post(f"/statements/{draft.pk}/unsupport/", {"organization": "docks-kr"}).status_code
        == 302
    )
    assert Participant.objects.get(statement=draft).supported_at is None


def test_the_initiator_members_and_outsiders_cannot_support(draft, sam, kit, nell, client_for):
    assert (
        client_for(sam)
        .post(f"/statements/{draft.pk}/support/", {"organization": "metal-sp"})
        .status_code
        == 403
    )
    assert (
        client_for(kit)
        .post(f"/statements/{draft.pk}/support/", {"organization": "docks-kr"})
        .status_code
        == 403
    )
    assert (
        client_for(nell)
        .post(f"/statements/{draft.pk}/support/", {"organization": "docks-kr"})
        .status_code
        == 404
    )
    assert client_for(sam).get(f"/statements/{draft.pk}/support/").status_code == 405
    assert Participant.objects.get(statement=draft).supported_at is None


def test_support_is_refused_once_positions_are_called(draft, kim, client_for):
    Statement.objects.filter(pk=draft.pk).update(status=Statement.Status.POSITIONS)
    response = client_for(kim).post(
        f"/statements/{draft.pk}/support/", {"organization": "docks-kr"}, follow=True
    )
    assert "while the statement is drafted only" in response.content.decode()
    assert Participant.objects.get(statement=draft).supported_at is None


# Comments ----------------------------------------------------------------------------------------


def test_kim_comments_on_paragraph_2_and_the_initiator_is_told(
    draft, kim, sam, owner_org, client_for, work_off, django_capture_on_commit_callbacks
):
    client = client_for(kim)
    page = client.get(f"/statements/{draft.pk}/paragraphs/2/comments/")
    assert "No comment on this paragraph yet." in page.content.decode()
    data = {
        "organization": "docks-kr",
        "text": "Name the port **and** the date.",
        "submission_key": "c1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/statements/{draft.pk}/paragraphs/2/comments/", data).status_code == 302
        )
    work_off()
    assert client.post(f"/statements/{draft.pk}/paragraphs/2/comments/", data).status_code == 302
    comment = Comment.objects.get()
    assert (comment.paragraph, comment.version, comment.organization.slug) == (
        2,
        draft.current_version,
        "docks-kr",
    )
    entry = InboxEntry.objects.get(organization=owner_org, kind="statement.commented")
    assert "Korean Dockworkers commented on paragraph 2" in entry.title
    assert word(AuditEntry.objects.get(action="statement.comment")) == (
        "For the right to strike: paragraph 2"
    )
    shown = client_for(sam).get(f"/statements/{draft.pk}/paragraphs/2/comments/").content.decode()
    assert "<strong>and</strong>" in shown and "Korean Dockworkers" in shown
    detail = client_for(sam).get(f"/statements/{draft.pk}/").content.decode()
    assert "1 comment" in detail


def test_comments_are_refused_when_empty_on_a_missing_paragraph_and_for_members(
    draft, kim, kit, nell, mo, client_for
):
    empty = client_for(kim).post(
        f"/statements/{draft.pk}/paragraphs/1/comments/", {"organization": "docks-kr", "text": " "}
    )
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    assert client_for(kim).get(f"/statements/{draft.pk}/paragraphs/4/comments/").status_code == 404
    assert (
        client_for(kim)
        .post(
            f"/statements/{draft.pk}/paragraphs/9/comments/",
            {"organization": "docks-kr", "text": "x"},
        )
        .status_code
        == 404
    )
    # Members read the comments, but do not comment.
    assert client_for(kit).get(f"/statements/{draft.pk}/paragraphs/1/comments/").status_code == 200
    assert (
        client_for(mo)
        .post(
            f"/statements/{draft.pk}/paragraphs/1/comments/",
            {"organization": "metal-sp", "text": "x"},
        )
        .status_code
        == 403
    )
    assert client_for(nell).get(f"/statements/{draft.pk}/paragraphs/1/comments/").status_code == 404
    assert not Comment.objects.exists()


def test_a_long_comment_list_is_paginated(draft, kim, other_org, client_for):
    Comment.objects.bulk_create(
        Comment(
            statement=draft,
            version=draft.current_version,
            paragraph=1,
            organization=other_org,
            text=f"Comment number {n}",
        )
        for n in range(25)
    )
    first = client_for(kim).get(f"/statements/{draft.pk}/paragraphs/1/comments/").content.decode()
    assert "Comment number 19<" in first and "Comment number 20<" not in first
    second = client_for(kim).get(f"/statements/{draft.pk}/paragraphs/1/comments/?page=2")
    assert "Comment number 24<" in second.content.decode()


def test_a_passed_deadline_left_as_it_is_does_not_stop_other_changes(draft, sam, client_for):
    passed = timezone.now() - datetime.timedelta(hours=1)
    Statement.objects.filter(pk=draft.pk).update(amendments_until=passed)
    draft.refresh_from_db()
    response = client_for(sam).post(
        f"/statements/{draft.pk}/settings/",
        {
            "title": draft.title,
            "amendments_until": draft.amendments_until.astimezone(
                timezone.get_current_timezone()
            ).strftime("%Y-%m-%dT%H:%M"),
            "positions_until": local(30).strftime("%Y-%m-%dT%H:%M"),
            "min_agree": "3",
            "min_supporters": "1",
            "adopted_visibility": "public",
        },
    )
    draft.refresh_from_db()
    assert response.status_code == 302, response.content.decode()
    assert draft.min_agree == 3


def test_the_start_form_previews_who_is_invited_and_why_without_starting_anything(
    sam, other_org, client_for
):
    preview = client_for(sam).post(
        "/statements/new/",
        {"organization": "metal-sp", "language": "en", "add": "docks-kr", "preview": "1"},
    )
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview: 1 organization" in page and "Korean Dockworkers" in page
    assert "added by hand" in page
    # The text is not written yet: the preview does not complain about it.
    assert "This field is required." not in page
    assert not Statement.objects.exists()


def test_the_page_shows_the_first_participants_and_links_to_all_of_them(
    draft, sam, kim, nell, client_for
):
    for number in range(24):  # 25 with the Korean Dockworkers
        Participant.objects.create(
            statement=draft,
            organization=OrganizationFactory(name=f"Union {number:02}"),
            reasons=[["manual", {}]],
        )
    page = client_for(kim).get(f"/statements/{draft.pk}/").content.decode()
    assert "Union 00" in page and "Union 19" not in page
    assert "All 25 participants" in page
    everyone = client_for(kim).get(f"/statements/{draft.pk}/participants/").content.decode()
    assert "Union 23" in everyone and "Korean Dockworkers" in everyone
    assert "25 organizations are invited." in everyone
    # For the participants only, as the drafting is.
    assert client_for(nell).get(f"/statements/{draft.pk}/participants/").status_code == 404
