"""Passing an appeal on cannot be used to learn who else received it: passing it to an
organization that already has it answers exactly as a real pass, and creates and sends nothing."""

import json

import pytest

from internationale.appeals.models import Addressee, Response
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import OrganizationFactory


@pytest.fixture
def rival(sent):
    """An organization the appeal was already sent to."""
    organization = OrganizationFactory(name="Río Textile Union", slug="textile-rio")
    Addressee.objects.create(appeal=sent, organization=organization, reasons=[["manual", {}]])
    return organization


@pytest.fixture
def stranger(db):
    """An organization the appeal was not sent to."""
    return OrganizationFactory(name="Hamburg Port Union", slug="hafen")


def pass_through_api(client, appeal, other_org, to):  # type: ignore[no-untyped-def]
    data = {"kind": "passed", "organization": other_org.slug, "to": to.slug}
    return client.post(
        f"/api/v1/appeals/{appeal.pk}/responses",
        data=json.dumps(data),
        content_type="application/json",
    )


def test_passing_to_an_organization_that_has_it_answers_as_a_real_pass_and_sends_nothing(
    client_for, sent, kim, other_org, rival, stranger, work_off
):
    client = client_for(kim)
    real = pass_through_api(client, sent, other_org, stranger)
    work_off()
    inboxes = InboxEntry.objects.filter(organization=rival).count()
    audit = list(AuditEntry.objects.values_list("action", "data"))

    silent = pass_through_api(client, sent, other_org, rival)
    work_off()

    assert (real.status_code, silent.status_code) == (201, 201)

    def shape(body):  # type: ignore[no-untyped-def]
        return {k: v for k, v in body.items() if k not in ("id", "created_at", "passed_to")}

    assert shape(real.json()) == shape(silent.json())
    assert silent.json()["passed_to"] == {"slug": "textile-rio", "name": "Río Textile Union"}
    # Nothing new for the organization that had it, nor in any audit log.
    rival_row = Addressee.objects.get(appeal=sent, organization=rival)
    assert rival_row.passed_by is None
    assert Addressee.objects.filter(appeal=sent).count() == 3
    assert InboxEntry.objects.filter(organization=rival).count() == inboxes
    assert list(AuditEntry.objects.values_list("action", "data")) == audit


def test_the_pages_answer_a_pass_to_an_organization_that_has_it_as_a_real_one(
    client_for, sent, kim, other_org, rival
):
    client = client_for(kim)
    answer = client.post(
        f"/appeals/{sent.pk}/pass/", {"organization": other_org.slug, "to": rival.slug}, follow=True
    )
    assert answer.redirect_chain == [(f"/appeals/{sent.pk}/", 302)]
    assert "The appeal was passed on to Río Textile Union." in answer.content.decode()
    # Passed twice, recorded once.
    client.post(f"/appeals/{sent.pk}/pass/", {"organization": other_org.slug, "to": rival.slug})
    assert Response.objects.filter(kind="passed", passed_to=rival).count() == 1
