"""Calling a day of action, through the services and the pages. The Metalworkers of São Paulo
(Sam speaks for them, Mo is a member, Olu an observer) call; the Korean Dockworkers (Kim speaks
for them, Kit is a member) are called, or invited to call it with them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from internationale.actions import services
from internationale.actions.models import Answer, Called, CoCaller, DayOfAction
from internationale.addressing.routing import Criteria
from internationale.appeals.tests.factories import AppealFactory
from internationale.campaigns.tests.helpers import launched, make_campaign
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory

from .world import day_fields, the_date


def prepare(sam, owner_org, **changes):  # type: ignore[no-untyped-def]
    return services.day_create(actor=sam, organization=owner_org, **day_fields(**changes))


def test_a_day_is_prepared_for_its_callers_then_called_to_the_network(
    sam, kim, kit, nell, oscar, owner_org, other_org, django_capture_on_commit_callbacks, work_off
):
    day = prepare(sam, owner_org)
    assert day.status == DayOfAction.Status.DRAFT
    # Being prepared: the callers alone read it, operators included out.
    assert not day.is_visible_to(kim) and not day.is_visible_to(oscar)
    with django_capture_on_commit_callbacks(execute=True):
        called = services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    work_off()
    assert called == [other_org.pk]
    day.refresh_from_db()
    assert (day.status, day.visibility) == (DayOfAction.Status.CALLED, "network")
    assert day.is_visible_to(kit) and day.is_visible_to(oscar) and not day.is_visible_to(nell)
    row = Called.objects.get(day=day)
    assert row.delivered_at is not None and row.country == "KR"
    entry = InboxEntry.objects.get(organization=other_org, kind="day.called")
    assert day.title in entry.title
    assert list(
        AuditEntry.objects.filter(target_id=str(day.pk)).values_list("action", flat=True)
    ) == ["day.call", "day.create"]


def test_calling_the_same_organizations_again_is_refused_and_changes_nothing(
    sam, owner_org, other_org
):
    day = prepare(sam, owner_org)
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    with pytest.raises(ValidationError) as refused:
        services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    assert refused.value.code == "no_addressees"
    assert Called.objects.filter(day=day).count() == 1


@pytest.mark.parametrize("person", ["mo", "olu", "kim"])
def test_members_observers_and_others_cannot_call_for_the_organization(person, request, owner_org):
    with pytest.raises(PermissionDenied):
        prepare(request.getfixturevalue(person), owner_org)
    assert not DayOfAction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"text": " "}, "text"),
        ({"language": "not a tag!"}, "language"),
        ({"suggested_kinds": ["riot"]}, "suggested_kinds"),
        ({"called_visibility": "private"}, "called_visibility"),
    ],
)
def test_a_call_with_bad_input_is_refused_on_its_field(sam, owner_org, changes, field):
    with pytest.raises(ValidationError) as refused:
        prepare(sam, owner_org, **changes)
    assert field in refused.value.message_dict
    assert not DayOfAction.objects.exists()


def test_a_day_over_everywhere_is_refused(sam, owner_org):
    import datetime

    from django.utils import timezone

    over = (timezone.now() - datetime.timedelta(days=3)).date()
    with pytest.raises(ValidationError) as refused:
        prepare(sam, owner_org, date=over)
    assert "date" in refused.value.message_dict


def test_a_cocaller_accepts_and_reads_the_answers_per_country(
    sam, kim, kit, owner_org, other_org, client_for, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        day = prepare(sam, owner_org, cocallers=[other_org])
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="day.cocall_invited").exists()
    # Invited: it reads the draft, but is not a caller yet.
    assert day.is_visible_to(kit)
    assert client_for(kim).get(f"/days/{day.pk}/answers/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(kim).post(f"/days/{day.pk}/cocall/", {"accept": "1"})
    work_off()
    assert response.status_code == 302
    assert CoCaller.objects.get(day=day).status == CoCaller.Status.ACCEPTED
    assert InboxEntry.objects.filter(organization=owner_org, kind="day.cocall_answered").exists()
    # A caller now: its people, a member included, read the answers.
    assert client_for(kit).get(f"/days/{day.pk}/answers/").status_code == 200


def test_a_member_cannot_answer_an_invitation_to_call(sam, kit, owner_org, other_org, client_for):
    day = prepare(sam, owner_org, cocallers=[other_org])
    assert client_for(kit).post(f"/days/{day.pk}/cocall/", {"accept": "1"}).status_code == 403
    assert CoCaller.objects.get(day=day).status == CoCaller.Status.INVITED


def test_answers_are_counted_per_country_for_the_callers(
    sam, kim, owner_org, other_org, client_for
):
    day = prepare(sam, owner_org)
    dutch = OrganizationFactory(name="Dutch Port Union", country="NL")
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk, dutch.pk]))
    page = client_for(kim).post(f"/days/{day.pk}/answer/", {"kind": "cannot_act"})
    assert page.status_code == 200 and "Say why the organization cannot act." in page.text
    assert not Answer.objects.exists()
    client_for(kim).post(
        f"/days/{day.pk}/answer/", {"kind": "cannot_act", "reason": "A strike ban until June."}
    )
    answers = client_for(sam).get(f"/days/{day.pk}/answers/")
    assert answers.status_code == 200
    text = answers.text
    assert "South Korea" in text and "Netherlands" in text
    assert "A strike ban until June." in text
    # The called organization does not read the others' answers.
    assert client_for(kim).get(f"/days/{day.pk}/answers/").status_code == 403


def test_passing_the_call_on_calls_the_organization_named_with_the_reason(
    sam, kim, owner_org, other_org
):
    day = prepare(sam, owner_org)
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    chilean = OrganizationFactory(name="Chilean Port Union", country="CL")
    services.day_answer(
        actor=kim, day=day, organization=other_org, kind="passed_on", passed_to=[chilean]
    )
    row = Called.objects.get(day=day, organization=chilean)
    assert row.passed_by == other_org
    assert row.reasons[0][0] == "passed"


def test_a_day_called_from_an_appeal_shows_on_the_appeals_page(
    sam, kim, owner_org, other_org, client_for
):
    appeal = AppealFactory(organization=owner_org, status="open")
    form = client_for(sam).get(f"/days/new/?appeal={appeal.pk}")
    assert form.status_code == 200 and appeal.title in form.text
    day = prepare(sam, owner_org, appeal=appeal, title="Day for the locked-out workers")
    page = client_for(kim).get(f"/appeals/{appeal.pk}/")
    assert "Day for the locked-out workers" not in page.text  # being prepared: callers only
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    page = client_for(kim).get(f"/appeals/{appeal.pk}/")
    assert "Day for the locked-out workers" in page.text
    assert f"/days/{day.pk}/" in page.text


def test_an_appeal_one_may_not_read_is_refused_as_a_source(sam, owner_org, client_for):
    hidden = AppealFactory(visibility="addressed", status="open")
    page = client_for(sam).get(f"/days/new/?appeal={hidden.pk}")
    assert "There is no such appeal, statement or campaign" in page.text


def test_a_declined_invitation_to_call_is_shown_to_those_concerned_only(
    sam, kim, nell, owner_org, other_org, client_for, django_capture_on_commit_callbacks, work_off
):
    """That an organization was asked to call a day and declined is not for every reader: the
    public page and the API of a public day name the co-callers who accepted, and the callers and
    the invited organization still see the answer."""
    with django_capture_on_commit_callbacks(execute=True):
        day = prepare(sam, owner_org, cocallers=[other_org], called_visibility="public")
    work_off()
    client_for(kim).post(f"/days/{day.pk}/cocall/", {"accept": "0"})
    assert CoCaller.objects.get(day=day).status == CoCaller.Status.DECLINED
    third = OrganizationFactory(name="Chilean Port Union", country="CL")
    with django_capture_on_commit_callbacks(execute=True):
        services.day_call(actor=sam, day=day, criteria=Criteria(add=[third.pk]))
    work_off()
    for reader in (client_for(), client_for(nell)):
        page = reader.get(f"/days/{day.pk}/")
        assert page.status_code == 200
        assert other_org.name not in page.content.decode()
    assert client_for(nell).get(f"/api/v1/days/{day.pk}").json()["cocallers"] == []
    for speaker in (sam, kim):
        assert other_org.name in client_for(speaker).get(f"/days/{day.pk}/").content.decode()
    (row,) = client_for(sam).get(f"/api/v1/days/{day.pk}").json()["cocallers"]
    assert row["status"] == "declined"


def test_a_day_called_from_a_campaign_shows_on_the_campaigns_page(
    sam, kim, owner_org, other_org, client_for
):
    campaign = launched(sam, owner_org, title="Free Ana Souza")
    form = client_for(sam).get(f"/days/new/?campaign={campaign.pk}")
    assert form.status_code == 200 and "From the campaign:" in form.text
    assert f'name="campaign" value="{campaign.pk}"' in form.text
    response = client_for(sam).post(
        f"/days/new/?campaign={campaign.pk}",
        {
            "organization": owner_org.slug,
            "title": "Day for Ana Souza",
            "language": "en",
            "date": the_date().isoformat(),
            "text": "Act for Ana.",
            "called_visibility": "public",
            "campaign": campaign.pk,
        },
    )
    day = DayOfAction.objects.get(title="Day for Ana Souza")
    assert response.status_code == 302 and day.campaign == campaign
    # Being prepared: the callers only; once called, on the campaign's page, signed out too.
    assert "Day for Ana Souza" not in client_for().get(f"/campaigns/{campaign.pk}/").text
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    for reader in (client_for(), client_for(kim)):
        page = reader.get(f"/campaigns/{campaign.pk}/")
        assert "Day for Ana Souza" in page.text and f"/days/{day.pk}/" in page.text
    assert client_for(sam).get(f"/api/v1/days/{day.pk}").json()["campaign"] == campaign.pk


def test_a_campaign_one_may_not_read_is_refused_as_a_source(
    sam, kim, owner_org, other_org, client_for
):
    hidden = make_campaign(kim, other_org, title="Still a draft")
    page = client_for(sam).get(f"/days/new/?campaign={hidden.pk}")
    assert "There is no such appeal, statement or campaign" in page.text
    assert "Still a draft" not in page.text
    with pytest.raises(ValidationError) as error:
        prepare(sam, owner_org, campaign=hidden)
    assert "campaign" in error.value.message_dict
    answer = client_for(sam).post(
        f"/api/v1/organizations/{owner_org.slug}/days",
        {**day_fields(), "date": the_date().isoformat(), "campaign": hidden.pk},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "campaign" in answer.json()["errors"]
    assert not DayOfAction.objects.exists()


def test_a_cancelled_day_is_marked_so_on_the_appeal_it_was_called_from(
    sam, kim, owner_org, other_org, client_for
):
    appeal = AppealFactory(organization=owner_org, status="open")
    day = prepare(sam, owner_org, appeal=appeal, title="Day for the locked-out workers")
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    page = client_for(kim).get(f"/appeals/{appeal.pk}/").text
    assert "Day for the locked-out workers" in page and "Cancelled" not in page
    services.day_cancel(actor=sam, day=day, reason="The strike was settled.")
    page = client_for(kim).get(f"/appeals/{appeal.pk}/").text
    assert "Day for the locked-out workers" in page and "Cancelled" in page
