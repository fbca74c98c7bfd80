"""The rules of days of action, role by role: the Metalworkers of São Paulo (Ana admin, Sam
secretary, Mo member, Olu observer) call; the Korean Dockworkers (Kai admin, Kim secretary, Kit
member) are called and act; Uma's organization is unverified; Nell belongs to none."""

import pytest

from internationale.actions import local, services
from internationale.addressing.routing import Criteria

from .world import action_fields, day_fields

PERSONAS = ["ana", "sam", "mo", "olu", "kai", "kim", "kit", "uma", "nell"]


@pytest.fixture
def everyone(request):  # type: ignore[no-untyped-def]
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def day(sam, kim, owner_org, other_org):  # type: ignore[no-untyped-def]
    called = services.day_create(actor=sam, organization=owner_org, **day_fields())
    services.day_call(actor=sam, day=called, criteria=Criteria(add=[other_org.pk]))
    return called


def holders(everyone, perm, obj) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for name, person in everyone.items() if person.has_perm(perm, obj)}


def test_calling_is_for_speakers_of_a_verified_organization(everyone, owner_org, unverified_org):
    assert holders(everyone, "actions.call_day", owner_org) == {"ana", "sam"}
    assert holders(everyone, "actions.call_day", unverified_org) == set()


def test_the_rules_on_a_called_day(everyone, day):
    assert holders(everyone, "actions.call_organizations", day) == {"ana", "sam"}
    assert holders(everyone, "actions.answer_day", day) == {"kai", "kim"}
    assert holders(everyone, "actions.view_answers", day) == {"ana", "sam", "mo", "olu"}
    assert holders(everyone, "actions.register_action", day) == {"ana", "sam", "kai", "kim"}
    assert holders(everyone, "actions.view_dayofaction", day) == {
        "ana",
        "sam",
        "mo",
        "olu",
        "kai",
        "kim",
        "kit",
    }


def test_a_cocaller_that_accepts_reads_the_answers_whatever_its_peoples_role(
    everyone, sam, kim, owner_org, other_org
):
    draft = services.day_create(
        actor=sam, organization=owner_org, cocallers=[other_org], **day_fields()
    )
    assert holders(everyone, "actions.answer_cocall", draft) == {"kai", "kim"}
    assert "kit" not in holders(everyone, "actions.view_answers", draft)
    services.cocall_answer(actor=kim, day=draft, organization=other_org, accept=True)
    assert {"kai", "kim", "kit"} <= holders(everyone, "actions.view_answers", draft)


def test_only_the_acting_organizations_speakers_change_its_action(everyone, day, kim, other_org):
    action = local.local_action_register(
        actor=kim, day=day, organization=other_org, **action_fields(day.date)
    )
    assert holders(everyone, "actions.change_action", action) == {"kai", "kim"}
