"""The demo's statements, one in each state, and its advice answered in every way, each read by
those it is for and by nobody else."""

import pytest
from django.test import Client
from django.utils.html import escape

from internationale.accounts.demo import demo_email
from internationale.accounts.models import User
from internationale.notifications.models import InboxEntry
from internationale.statements.demo import ADVICE_SUBJECTS, STATEMENT_TITLES
from internationale.statements.models import (
    Advice,
    Amendment,
    Participant,
    Position,
    Signature,
    Statement,
)
from internationale.web.demo import DEMO_PASSWORD, load_demo


@pytest.fixture
def demo(db):
    assert load_demo() is True


def statement(key: str) -> Statement:
    return Statement.objects.get(title=STATEMENT_TITLES[key])


def signed_in(local: str) -> Client:
    client = Client()
    assert client.login(email=demo_email(local), password=DEMO_PASSWORD)
    return client


def test_one_statement_in_each_state(demo):
    states = {key: statement(key).status for key in STATEMENT_TITLES}
    assert states == {
        "drafting": "drafting",
        "positions": "positions",
        "revised": "positions",
        "adopted": "adopted",
        "withdrawn": "withdrawn",
    }


def test_the_draft_has_supporters_comments_and_amendments_in_every_status_but_merged(demo):
    draft = statement("drafting")
    assert draft.current_version.number == 2
    assert Participant.objects.filter(statement=draft, supported_at__isnull=False).count() == 2
    assert draft.comments.count() == 2
    amendments = {a.status: a for a in draft.amendments.all()}
    assert set(amendments) == {"open", "accepted", "rejected", "needs_rebase", "withdrawn"}
    assert amendments["accepted"].result_version == draft.current_version
    assert amendments["rejected"].decision_reason
    # The one needing rebase competed with the accepted one, for the same paragraph.
    assert amendments["needs_rebase"].paragraph == amendments["accepted"].paragraph
    assert amendments["open"].version == draft.current_version


def test_positions_are_stated_by_some_and_awaited_from_others(demo):
    called = statement("positions")
    stances = dict(
        Position.objects.filter(version=called.positions_version).values_list(
            "organization__slug", "stance"
        )
    )
    assert stances == {"sintlog": "agree", "gtl": "reservations", "sea": "stand_aside"}
    assert set(called.participants.values_list("organization__slug", flat=True)) - set(stances) == {
        "ndpwu",
        "fmtl",
    }


def test_a_block_on_version_1_and_positions_called_again_on_the_revision(demo):
    revised = statement("revised")
    assert revised.positions_version.number == 2 == revised.current_version.number
    first = revised.versions.get(number=1)
    assert first.positions.get(organization__slug="ndpwu").stance == Position.Stance.BLOCK
    assert first.positions.get(organization__slug="ndpwu").text
    assert dict(
        revised.positions_version.positions.values_list("organization__slug", "stance")
    ) == {"klwu": "agree"}


def test_the_adopted_statement_is_public_signed_in_several_countries_and_translated(demo):
    adopted = statement("adopted")
    assert adopted.visibility == "public" and adopted.current_version.is_adopted
    signed = Signature.objects.filter(statement=adopted, status="signed")
    assert set(signed.values_list("organization__slug", flat=True)) == {
        "ndpwu",
        "sintlog",
        "klwu",
        "gtl",
        "sea",
        "wwua",
    }
    assert len(set(signed.values_list("country", flat=True))) == 6
    assert signed.get(organization__slug="klwu").reservations
    assert set(signed.filter(source="added").values_list("organization__slug", flat=True)) == {
        "sea",
        "wwua",
    }
    declined = Signature.objects.get(statement=adopted, status="declined")
    assert declined.organization.slug == "poi" and declined.decline_reason
    assert sorted(adopted.language_versions.values_list("language", "status")) == [
        ("ar", "human"),
        ("fr", "human"),
    ]

    # Anybody reads it, its signatories, the published reservations and its Arabic version;
    # what the participants said among themselves stays with them.
    page = Client().get(f"/statements/{adopted.pk}/").content.decode()
    assert STATEMENT_TITLES["adopted"] in page
    assert "Waterfront Workers" in page and "Korean law limits" in page
    assert "Partito Operaio" not in page
    arabic = Client().get(f"/statements/{adopted.pk}/?lang=ar").content.decode()
    assert "عقود دائمة" in arabic
    published = Client().get("/statements/published/").content.decode()
    assert STATEMENT_TITLES["adopted"] in published
    assert STATEMENT_TITLES["drafting"] not in published


def test_the_withdrawn_statement_reaches_its_participants_with_its_reason(
    db, django_capture_on_commit_callbacks, work_off
):
    # The notices the services sent are dispatched by the worker, as on a demo server.
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo() is True
    work_off()
    withdrawn = statement("withdrawn")
    assert withdrawn.withdrawn_at is not None
    entry = InboxEntry.objects.get(
        organization__slug="fmtl", kind="statement.withdrawn", source_id=withdrawn.pk
    )
    assert "FMTL negotiates with the new owner" in entry.summary
    # Youssef reads Arabic: the page says so in his language, with the reason.
    page = signed_in("youssef").get(f"/statements/{withdrawn.pk}/").content.decode()
    assert "سحبته المنظمة المبادرة" in page
    assert "FMTL negotiates with the new owner" in page
    # The worker delivered no invitation twice: the demo put each in its inbox already.
    invited = InboxEntry.objects.filter(kind="statement.invited")
    assert invited.count() == Participant.objects.count()


def test_every_invitation_waits_in_its_inbox_and_no_delivery_is_left_to_e_mail(demo):
    participants = Participant.objects.all()
    assert participants.count() >= 15
    assert not participants.filter(delivered_at__isnull=True).exists()
    for participant in participants:
        assert InboxEntry.objects.filter(
            organization_id=participant.organization_id,
            kind="statement.invited",
            source_id=participant.statement_id,
        ).exists()


def test_the_documented_admin_reads_the_statements_her_union_takes_part_in(demo):
    client = signed_in("ana")
    page = client.get("/statements/").content.decode()
    for key in STATEMENT_TITLES:
        assert escape(STATEMENT_TITLES[key]) in page
    draft = statement("drafting")
    detail = client.get(f"/statements/{draft.pk}/").content.decode()
    assert "no say over their shifts" in detail  # KLWU's amendment, accepted
    assert detail.count(">1 comment</a>") == 2
    amendments = client.get(f"/statements/{draft.pk}/amendments/").content.decode()
    for status in ("Open", "Accepted", "Rejected", "Needs rebasing", "Withdrawn"):
        assert f"<strong>{status}</strong>" in amendments, status


def test_a_draft_is_hidden_from_those_not_taking_part(demo):
    draft = statement("drafting")
    # SEA is not invited; a visitor is nobody.
    assert signed_in("carmen").get(f"/statements/{draft.pk}/").status_code == 404
    assert Client().get(f"/statements/{draft.pk}/").status_code == 404
    assert STATEMENT_TITLES["drafting"] not in (
        signed_in("carmen").get("/statements/").content.decode()
    )


def test_advice_in_every_answer_state_is_read_by_the_two_organizations_only(demo):
    answers = dict(Advice.objects.values_list("subject", "answer"))
    assert answers == {ADVICE_SUBJECTS[k]: k for k in ADVICE_SUBJECTS}
    assert all(a.answer_reason for a in Advice.objects.exclude(answer="considering"))
    history = signed_in("ana").get("/statements/advice/of/sintlog/").content.decode()
    for subject in ADVICE_SUBJECTS.values():
        assert escape(subject) in history
    rejected = Advice.objects.get(answer="rejected")
    assert signed_in("jiwoo").get(f"/statements/advice/{rejected.pk}/").status_code == 200
    # Neither a member of either organization nor a third one reads it (the operator neither:
    # the permission matrix tries that).
    for local in ("juliana", "seoyeon", "sabine"):
        assert signed_in(local).get(f"/statements/advice/{rejected.pk}/").status_code == 404, local


def test_loading_again_adds_no_statement_and_no_advice(demo):
    counts = (Statement.objects.count(), Amendment.objects.count(), Advice.objects.count())
    assert load_demo() is False
    assert (Statement.objects.count(), Amendment.objects.count(), Advice.objects.count()) == counts
    assert User.objects.filter(email=demo_email("ana")).exists()
