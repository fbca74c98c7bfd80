"""When an emergency erase is asked for, the organization's other admins are told at once, in
their own inbox and by e-mail, and nobody else is: its members, observers and webhooks do not
learn of it, and the e-mail says only what kind of notice it is. Once the erase is done, those
notices go with the rest: what stays of an erase is its audit entry."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.accounts.tests.factories import UserFactory
from internationale.core.models import Notice
from internationale.notifications.models import EmailNotification, InboxEntry, PersonalEntry
from internationale.organizations.tests.factories import MembershipFactory
from internationale.ownership.erase import erase_confirm
from internationale.ownership.models import EraseRequest
from internationale.ownership.tasks import lapse_erase_request

pytestmark = pytest.mark.django_db

TOLD = "asked for an emergency erase of Metalworkers of São Paulo"


@pytest.fixture
def ada(owner_org):
    """The Metalworkers' second admin."""
    return MembershipFactory(
        organization=owner_org,
        role="admin",
        user=UserFactory(email="ada@metal.example", name="Ada Lima"),
    ).user


@pytest.fixture
def ari(owner_org):
    """The Metalworkers' third admin."""
    return MembershipFactory(
        organization=owner_org,
        role="admin",
        user=UserFactory(email="ari@metal.example", name="Ari Costa"),
    ).user


@pytest.fixture
def ask(client_for, owner_org, django_capture_on_commit_callbacks, work_off):
    """Ask for an erase on the page, as this person, and let the worker tell whom it tells."""

    def asking(person):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            answer = client_for(person).post(
                f"/ownership/{owner_org.slug}/erase/", {"profile": "keep", "understood": "on"}
            )
        assert answer.status_code == 302
        work_off()
        return EraseRequest.objects.get(status="pending")

    return asking


def _inbox(client_for, person) -> str:  # type: ignore[no-untyped-def]
    return client_for(person).get("/notices/").content.decode()


def test_the_other_admins_are_told_at_once_and_nobody_else(
    ask, client_for, owner_org, ana, ada, ari, sam, mo, olu
):
    ana.name = "Ana Souza"
    ana.save(update_fields=["name"])
    ask(ana)
    # Ada and Ari find it in their own inbox, saying who asked, and it leads to the erase page,
    # where they confirm or withdraw it.
    for admin in (ada, ari):
        assert f"Ana Souza {TOLD}" in _inbox(client_for, admin)
        entry = PersonalEntry.objects.get(person=admin)
        opened = client_for(admin).get(f"/notices/{entry.pk}/")
        assert opened.status_code == 302
        assert opened["Location"] == f"/ownership/{owner_org.slug}/erase/"
    # Ana who asked, the secretary, the member and the observer are not told; nor is the
    # organization's inbox, which its members read (and its webhooks follow).
    for person in (ana, sam, mo, olu):
        assert TOLD not in _inbox(client_for, person)
    assert not InboxEntry.objects.filter(organization=owner_org).exists()
    assert TOLD not in client_for(sam).get(f"/inbox/{owner_org.slug}/").content.decode()
    # By e-mail to the two admins, saying only what kind of notice it is: neither who asked nor
    # the organization.
    told = [m for m in mail.outbox if "emergency erase" in m.subject]
    assert sorted(address for m in told for address in m.to) == [ada.email, ari.email]
    for message in told:
        assert "Ana Souza" not in message.subject + message.body
        assert owner_org.name not in message.subject + message.body
        assert f"/ownership/{owner_org.slug}/erase/" in message.body


def test_when_an_operator_asks_every_admin_is_told(ask, client_for, owner_org, ana, ada, oscar):
    ask(oscar)
    assert set(PersonalEntry.objects.values_list("person", flat=True)) == {ana.pk, ada.pk}
    assert TOLD in _inbox(client_for, ana)


def test_once_the_erase_is_done_the_notices_of_its_request_are_gone(
    ask, client_for, owner_org, ana, ada, ari
):
    request = ask(ana)
    assert PersonalEntry.objects.count() == 2 and EmailNotification.objects.count() == 2
    erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    for admin in (ada, ari):
        assert TOLD not in _inbox(client_for, admin)
    assert not PersonalEntry.objects.exists()
    assert not EmailNotification.objects.exists()
    assert not Notice.objects.filter(kind="ownership.erase_requested").exists()


def test_a_request_refused_tells_nobody(client_for, owner_org, ana, ada, ask):
    ask(ana)
    mail.outbox.clear()
    # A second request while one waits is refused, and nobody is told again.
    again = client_for(ada).post(
        f"/ownership/{owner_org.slug}/erase/", {"profile": "erase", "understood": "on"}
    )
    assert again.status_code == 200
    assert Notice.objects.filter(kind="ownership.erase_requested").count() == 1
    assert PersonalEntry.objects.count() == 1


def test_a_withdrawn_request_leaves_no_notice_in_the_admins_inboxes(
    ask, client_for, owner_org, ana, ada, ari
):
    request = ask(ana)
    assert TOLD in _inbox(client_for, ada)
    withdrawn = client_for(ada).post(f"/ownership/{owner_org.slug}/erase/{request.pk}/cancel/")
    assert withdrawn.status_code == 302
    # Nothing is left to confirm or withdraw: the notice is gone from Ada's and Ari's inboxes
    # (and from the count in their header), with its e-mails not yet sent.
    for admin in (ada, ari):
        assert TOLD not in _inbox(client_for, admin)
        admin.refresh_from_db()
        assert admin.unread_notices == 0
    assert not PersonalEntry.objects.exists()
    assert not Notice.objects.filter(kind="ownership.erase_requested").exists()


def test_a_lapsed_request_leaves_no_notice_in_the_admins_inboxes(
    ask, client_for, owner_org, ana, ada, ari, work_off
):
    request = ask(ana)
    assert TOLD in _inbox(client_for, ari)
    # The hour passes with nobody confirming it: the worker lapses it at its end.
    past = timezone.now() - datetime.timedelta(seconds=1)
    EraseRequest.objects.filter(pk=request.pk).update(expires_at=past)
    DBTaskResult.objects.filter(task_path__endswith="lapse_erase_request").update(run_after=past)
    work_off()
    assert EraseRequest.objects.get(pk=request.pk).status == "lapsed"
    for admin in (ada, ari):
        assert TOLD not in _inbox(client_for, admin)
    assert not PersonalEntry.objects.exists()


def test_a_request_still_waiting_keeps_its_notices_when_the_worker_looks_early(
    ask, client_for, owner_org, ana, ada
):
    request = ask(ana)
    assert lapse_erase_request.call(request.pk) is False
    assert EraseRequest.objects.get(pk=request.pk).status == "pending"
    assert TOLD in _inbox(client_for, ada)
