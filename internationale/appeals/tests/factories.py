import datetime

import factory
from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.appeals.models import (
    Addressee,
    Appeal,
    Pledge,
    PledgeSupport,
    Situation,
    SupportForm,
)
from internationale.appeals.services import appeal_send
from internationale.core.models import Urgency
from internationale.core.worker import run_pending_tasks
from internationale.organizations.tests.factories import OrganizationFactory

SEND_TASK = "internationale.appeals.tasks.send_appeal"


def send_now(*, actor, appeal: Appeal, criteria: Criteria) -> Appeal:  # type: ignore[no-untyped-def]
    """Send a draft as the send page does, then run the send's background task (the worker's
    code, in this process): its addressees recorded, the appeal open, its delivery queued (not
    yet run)."""
    appeal_send(actor=actor, appeal=appeal, criteria=criteria)
    run_pending_tasks(only=SEND_TASK)
    appeal.refresh_from_db()
    return appeal


class AppealFactory(factory.django.DjangoModelFactory):
    """A draft appeal asking for every form of support: statements, protest letters and goods.
    Send it with `send_now`."""

    class Meta:
        model = Appeal

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Lockout at plant {n}")
    text = "The company locked out **1,200** workers on Monday."
    language = "pt-BR"
    situation = Situation.LOCKOUT
    urgency = Urgency.URGENT
    country = "BR"
    place = "São Bernardo do Campo"
    asks_propaganda = True
    asks_sympathy = True
    sympathy_target = "Board of directors"
    sympathy_address = "1 Industrial Avenue, Stuttgart"
    asks_material_aid = True
    aid_goods = "Food parcels for the families"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    visibility = "network"


class AddresseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addressee

    appeal = factory.SubFactory(AppealFactory, status=Appeal.Status.OPEN)
    organization = factory.SubFactory(OrganizationFactory)
    reasons = factory.LazyFunction(lambda: [["manual", {}]])


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge
        skip_postgeneration_save = True  # the forms are rows of their own

    appeal = factory.SubFactory(AppealFactory, status=Appeal.Status.OPEN)
    organization = factory.SubFactory(OrganizationFactory)
    description = "Protest letters from our executive and three branches."

    @factory.post_generation
    def forms(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """The forms it carries: `forms=[...]`, protest letters (sympathy) unless given."""
        forms = list(extracted or [SupportForm.SYMPATHY])
        if create:
            PledgeSupport.objects.bulk_create(PledgeSupport(pledge=obj, form=f) for f in forms)
        obj.__dict__["forms"] = forms
