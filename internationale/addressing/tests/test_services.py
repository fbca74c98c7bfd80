"""The batched fan-out, and the criteria as the HTML form and the API read them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from internationale.addressing.api import CriteriaIn
from internationale.addressing.forms import CriteriaForm
from internationale.addressing.routing import Criteria, Origin
from internationale.addressing.services import fanout_on_commit
from internationale.organizations.tests.factories import OrganizationFactory


@task()
def deliver_something(target_id: int, organization_ids: list[int]) -> int:
    return len(organization_ids)


def queued() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(task_path=f"{__name__}.deliver_something")
    assert all(r.args_kwargs["args"][0] == 42 for r in rows)
    return sorted(r.args_kwargs["args"][1] for r in rows)


def test_the_fan_out_queues_one_task_per_batch_once_committed(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        fanout_on_commit(
            task=deliver_something, target_id=42, organization_ids=[1, 2, 3, 4, 5], batch=2
        )
        assert queued() == []  # nothing before the commit

    assert queued() == [[1, 2], [3, 4], [5]]


def test_a_rolled_back_fan_out_queues_nothing(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        fanout_on_commit(task=deliver_something, target_id=42, organization_ids=[1, 2])
        raise RuntimeError("the service failed")

    assert queued() == []


def test_nobody_to_reach_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fanout_on_commit(task=deliver_something, target_id=42, organization_ids=[])
    assert callbacks == []


def test_the_first_preview_takes_the_employer_only_when_the_origin_has_one():
    plain = Origin(issuer_id=1, country="CL")
    at_employer = Origin(issuer_id=1, country="CL", employer_id=7)
    assert CriteriaForm.defaults(plain) == {"sector": "on", "relations": "on"}
    assert CriteriaForm.defaults(at_employer) == {
        "sector": "on",
        "relations": "on",
        "employer": "on",
    }


def test_the_form_reads_criteria_with_organizations_by_slug(db):
    added = OrganizationFactory(slug="cut-cl")
    data = QueryDict(mutable=True)
    data.update({"sector": "on", "countries": "cl, kr", "add": "cut-cl"})
    data.setlist("regions", ["South America"])
    data.setlist("remove", ["9"])
    form = CriteriaForm(data)

    assert form.is_valid(), form.errors
    assert form.criteria() == Criteria(
        sector=True, countries=["CL", "KR"], regions=["South America"], add=[added.pk], remove=[9]
    )


def test_the_api_schema_turns_slugs_into_ids_refusing_an_unknown_one_to_add(db):
    added = OrganizationFactory(slug="cut-cl")
    left_out = OrganizationFactory(slug="cta-ar")
    criteria = CriteriaIn(add=["cut-cl"], remove=["cta-ar", "nobody"], relations=True).criteria()
    assert criteria == Criteria(relations=True, add=[added.pk], remove=[left_out.pk])

    with pytest.raises(ValidationError) as error:
        CriteriaIn(add=["nobody"]).criteria()
    assert error.value.message_dict == {"add": ["There is no verified organization at: nobody."]}
