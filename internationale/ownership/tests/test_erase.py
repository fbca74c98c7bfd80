"""The emergency erase, end to end: two admins erase the Metalworkers' confidential content, and
then every channel is searched for it: the pages, the API, the feeds, the library's and the
directory's search, the e-mails and webhooks that were queued, the files' addresses and storage,
and, last, every text column of every table of the database."""

import datetime
import json

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from internationale.appeals.models import Appeal, Pledge
from internationale.core.models import AuditEntry, Notice
from internationale.library.models import Document
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership, Organization, Relation
from internationale.ownership.erase import erase_cancel, erase_confirm, erase_request
from internationale.ownership.models import EraseRequest

from .conftest import SECRET_DOCUMENT, SECRET_TITLE, SECRETS

pytestmark = pytest.mark.django_db


def _erase(organization, first, second, keep_profile=True):  # type: ignore[no-untyped-def]
    request = erase_request(actor=first, organization=organization, keep_profile=keep_profile)
    return erase_confirm(actor=second, organization=organization, request_id=request.pk)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _nothing_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_after_an_erase_nothing_erased_can_be_read_back_through_any_channel(
    network,
    owner_org,
    other_org,
    ana,
    ada,
    kim,
    kai,
    oscar,
    client_for,
    work_off,
    django_capture_on_commit_callbacks,
):
    secret, document = network.secret, network.document
    # Before: the content is there to be found (else the checks below would prove nothing).
    assert SECRET_TITLE in _text(client_for(kim).get(f"/appeals/{secret.pk}/"))
    assert SECRET_DOCUMENT in _text(client_for(ana).get(f"/library/{document.pk}/"))
    assert default_storage.exists(network.files["document"])
    queued = Notice.objects.filter(dispatched_at__isnull=True, params__title=SECRET_TITLE)
    assert queued.exists()  # its e-mails and webhooks are still to be sent

    with django_capture_on_commit_callbacks(execute=True):  # files are removed on commit
        _erase(owner_org, ana, ada)
    work_off()  # the queued deliveries, e-mails, webhooks and their retries run now

    # Pages and the API, for the other organization and for the operator.
    for person in (kim, kai, oscar):
        client = client_for(person)
        assert client.get(f"/appeals/{secret.pk}/").status_code == 404
        assert client.get(f"/api/v1/appeals/{secret.pk}").status_code == 404
        assert client.get(f"/library/{document.pk}/").status_code == 404
        assert client.get(f"/api/v1/library/documents/{document.pk}").status_code == 404
        for path in ("/appeals/", "/api/v1/appeals", "/library/", "/api/v1/library/documents"):
            _nothing_secret(_text(client.get(path)))
    # The dockworkers' inbox, pages and API: the appeal sent to them is gone from it.
    for path in (f"/inbox/{other_org.slug}/", f"/api/v1/organizations/{other_org.slug}/inbox"):
        response = client_for(kim).get(path)
        assert response.status_code == 200
        _nothing_secret(_text(response))
    # Searches and feeds.
    for path in (
        "/library/search/?q=Quillon",
        "/api/v1/library/search?q=Quillon",
        "/library/search/?q=stewards",
        "/appeals/feed/",
        "/library/feed/",
    ):
        _nothing_secret(_text(client_for(oscar).get(path)))
        _nothing_secret(_text(client_for().get(path)))
    assert "Strike news from Santos" in _text(client_for().get("/library/search/?q=Santos"))
    # The files: their addresses answer 404 and the storage no longer holds them.
    assert (
        client_for(kim).get(f"/appeals/pledges/{network.their_pledge.pk}/evidence/").status_code
        == 404
    )
    assert (
        client_for(kai).get(f"/appeals/pledges/{network.our_pledge.pk}/evidence/").status_code
        == 404
    )
    assert client_for(oscar).get(f"/library/{document.pk}/files/").status_code == 404
    for name in network.files.values():
        assert not default_storage.exists(name), name
    # The e-mails and webhooks that were queued went out without it (or not at all).
    for message in mail.outbox:
        _nothing_secret(message.subject + message.body + str(message.alternatives))
    for hook in (network.our_hook, network.their_hook):
        for received in hook.received:
            _nothing_secret(received.body.decode())
    # Last, the database itself: no text column of any table holds a word of it.
    _nothing_secret_in_the_database()


def _nothing_secret_in_the_database(secrets: tuple[str, ...] = SECRETS) -> None:
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            text = json.dumps(row, default=str, ensure_ascii=False)
            for secret in secrets:
                assert secret not in text, f"{model._meta.label} still holds {secret!r}"


def test_what_others_own_stays_theirs_and_public_content_stays(
    network, owner_org, other_org, ana, ada, kim, client_for
):
    from internationale.translation.models import TranslationRequest

    asked = TranslationRequest.objects.create(
        original=network.secret, source_language="en", target_language="pt", kind="translate"
    )
    _erase(owner_org, ana, ada)
    assert not TranslationRequest.objects.filter(pk=asked.pk).exists()  # the volunteers' queue
    # The public appeal and the dockworkers' public pledge to it.
    public = client_for().get(f"/appeals/{network.public.pk}/")
    assert public.status_code == 200
    assert "Solidarity with Santos" in _text(public)
    assert Pledge.objects.filter(pk=network.their_public_pledge.pk).exists()
    # The dockworkers' appeal, and the Metalworkers' pledge to it, without amount and evidence.
    assert Appeal.objects.filter(pk=network.theirs.pk).exists()
    ours = Pledge.objects.get(pk=network.our_pledge.pk)
    assert (ours.amount, ours.goods, ours.evidence_text, ours.evidence_file.name) == (
        None,
        "",
        "",
        "",
    )
    assert "777" not in _text(client_for(kim).get(f"/appeals/{network.theirs.pk}/"))
    # The relation both own, and the dockworkers' own members.
    assert Relation.objects.filter(pk=network.relation.pk).exists()
    assert Membership.objects.filter(organization=other_org).count() == 2
    # The secret appeal and the pledge the dockworkers made to it went with it.
    assert not Appeal.objects.filter(pk=network.secret.pk).exists()
    assert not Pledge.objects.filter(pk=network.their_pledge.pk).exists()
    assert not Document.objects.filter(pk=network.document.pk).exists()
    assert Document.objects.filter(pk=network.public_document.pk).exists()
    # The members' list (but the two admins who erased) and the inbox.
    assert set(
        Membership.objects.filter(organization=owner_org).values_list("user", flat=True)
    ) == {
        ana.pk,
        ada.pk,
    }
    assert not InboxEntry.objects.filter(organization=owner_org).exists()


def test_the_admins_who_erase_stay_its_admins_and_every_other_membership_goes(
    owner_org, ana, ada, sam, mo, olu, client_for
):
    from internationale.accounts.tests.factories import UserFactory
    from internationale.organizations.tests.factories import MembershipFactory

    third_admin = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ari@metal.example")
    ).user
    _erase(owner_org, ana, ada)
    assert set(Membership.objects.filter(organization=owner_org).values_list("user", "role")) == {
        (ana.pk, "admin"),
        (ada.pk, "admin"),
    }
    # They can still act for it (its members' page, inviting again); no one else can.
    members = f"/organizations/{owner_org.slug}/members/"
    for admin in (ana, ada):
        assert client_for(admin).get(members).status_code == 200
    for former in (sam, mo, olu, third_admin):
        assert client_for(former).get(f"/ownership/{owner_org.slug}/erase/").status_code == 404


def test_with_an_operator_only_the_admin_who_took_part_stays(owner_org, ana, ada, oscar):
    _erase(owner_org, oscar, ana, keep_profile=False)
    assert list(
        Membership.objects.filter(organization=owner_org).values_list("user", flat=True)
    ) == [ana.pk]


def test_an_admin_who_asked_and_is_no_longer_one_when_it_is_confirmed_does_not_stay(
    owner_org, ana, ada, oscar
):
    request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
    Membership.objects.filter(organization=owner_org, user=ana).update(role="member")
    erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    assert list(
        Membership.objects.filter(organization=owner_org).values_list("user", flat=True)
    ) == [ada.pk]


def test_the_audit_keeps_only_that_an_erase_happened_when_and_by_whom(
    network, owner_org, ana, ada, client_for, oscar
):
    before = timezone.now()
    _erase(owner_org, ana, ada)
    [entry] = AuditEntry.objects.filter(organization=owner_org)
    assert entry.action == "ownership.erase"
    assert entry.created_at >= before
    assert entry.actor == ada
    assert (entry.data["requested_by"], entry.data["confirmed_by"]) == (
        ana.name or ana.email,
        ada.name or ada.email,
    )
    log = _text(client_for(oscar).get(f"/organizations/{owner_org.slug}/audit/"))
    assert "Emergency erase" in log
    _nothing_secret(log)


def test_the_public_profile_goes_when_they_choose(network, owner_org, ana, ada, client_for):
    slug, name = owner_org.slug, owner_org.name
    _erase(owner_org, ana, ada, keep_profile=False)
    owner_org.refresh_from_db()
    assert owner_org.name == "Erased organization" and owner_org.slug != slug
    assert owner_org.verified_at is None
    assert client_for().get(f"/organizations/{slug}/").status_code == 404
    assert name not in _text(client_for().get(f"/organizations/?q={name.split()[0]}"))
    assert name not in _text(client_for().get(f"/api/v1/organizations?q={name.split()[0]}"))


def test_the_profile_stays_when_they_choose(network, owner_org, ana, ada, client_for):
    _erase(owner_org, ana, ada, keep_profile=True)
    response = client_for().get(f"/organizations/{owner_org.slug}/")
    assert response.status_code == 200
    assert owner_org.name in _text(response)


def test_an_admin_and_an_operator_may_erase_in_either_order(owner_org, ana, oscar):
    _erase(owner_org, oscar, ana)
    assert EraseRequest.objects.get().status == "done"


def test_the_second_confirmation_must_come_from_another_person(owner_org, ana):
    request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
    with pytest.raises(ValidationError) as refused:
        erase_confirm(actor=ana, organization=owner_org, request_id=request.pk)
    assert refused.value.code == "same_person"
    assert Membership.objects.filter(organization=owner_org).exists()


def test_two_operators_cannot_erase_without_an_admin(owner_org, oscar):
    from internationale.accounts.tests.factories import UserFactory

    other_operator = UserFactory(email="olga@operators.example", is_staff=True)
    request = erase_request(actor=oscar, organization=owner_org, keep_profile=True)
    with pytest.raises(ValidationError) as refused:
        erase_confirm(actor=other_operator, organization=owner_org, request_id=request.pk)
    assert refused.value.code == "needs_admin"


def test_a_request_lapses_after_an_hour_and_nothing_is_erased(owner_org, ana, ada):
    request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
    EraseRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as refused:
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    assert refused.value.code == "lapsed"
    assert Membership.objects.filter(organization=owner_org).count() == 2
    # A new request may then be made.
    assert erase_request(actor=ada, organization=owner_org, keep_profile=True).pk != request.pk


def test_a_withdrawn_request_cannot_be_confirmed(owner_org, ana, ada):
    request = erase_request(actor=ana, organization=owner_org, keep_profile=True)
    erase_cancel(actor=ada, organization=owner_org, request_id=request.pk)
    with pytest.raises(ValidationError) as refused:
        erase_confirm(actor=ada, organization=owner_org, request_id=request.pk)
    assert refused.value.code == "not_pending"
    assert Organization.objects.get(pk=owner_org.pk).name == owner_org.name


def test_one_request_waits_at_a_time(owner_org, ana, ada):
    erase_request(actor=ana, organization=owner_org, keep_profile=True)
    with pytest.raises(ValidationError) as refused:
        erase_request(actor=ada, organization=owner_org, keep_profile=False)
    assert refused.value.code == "pending"
    assert EraseRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["sam", "mo", "olu", "kai", "nell"])
def test_members_observers_and_other_organizations_may_not_ask(request, owner_org, persona):
    from django.core.exceptions import PermissionDenied

    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        erase_request(actor=person, organization=owner_org, keep_profile=True)
    assert not EraseRequest.objects.exists()


def test_a_public_page_kept_for_signed_out_readers_shows_the_erase_at_once(
    owner_org, other_org, sam, kim, ana, ada, client_for, django_capture_on_commit_callbacks
):
    from internationale.addressing.routing import Criteria
    from internationale.appeals.services import pledge_create
    from internationale.appeals.tests.factories import AppealFactory, send_now

    with django_capture_on_commit_callbacks(execute=True):
        theirs = send_now(
            actor=kim,
            appeal=AppealFactory(organization=other_org, created_by=kim, visibility="public"),
            criteria=Criteria(add=[owner_org.pk]),
        )
        pledge_create(
            actor=sam,
            appeal=theirs,
            organization=owner_org,
            forms=["material_aid"],
            description="Food for the families",
            goods="Forty crates of Kumquat tea",
            public=True,
        )
    address = f"/appeals/{theirs.pk}/"
    assert "Kumquat" in _text(client_for().get(address))
    assert "Kumquat" in _text(client_for().get(address))  # now from the kept page
    _erase(owner_org, ana, ada)
    page = _text(client_for().get(address))
    assert "Food for the families" in page  # the pledge stays part of their appeal
    assert "Kumquat" not in page


def test_public_pages_kept_for_signed_out_readers_lose_an_erased_profile_at_once(
    network, owner_org, ana, ada, client_for
):
    address = f"/appeals/{network.public.pk}/"
    name = owner_org.name
    assert name in _text(client_for().get(address))
    assert name in _text(client_for().get(address))  # now from the kept page
    _erase(owner_org, ana, ada, keep_profile=False)
    page = _text(client_for().get(address))
    assert "Solidarity with Santos" in page  # the public appeal stays
    assert name not in page and "Erased organization" in page


def test_a_series_stays_with_its_public_editions_and_goes_with_its_last_confidential_one(
    owner_org, ana, ada, sam
):
    from internationale.cooperation.models import Meeting, Series

    def series(title):  # type: ignore[no-untyped-def]
        return Series.objects.create(
            organization=owner_org, title=title, period="yearly", created_by=sam
        )

    def edition(of, visibility, edition):  # type: ignore[no-untyped-def]
        start = timezone.now() + datetime.timedelta(days=30 * edition)
        return Meeting.objects.create(
            kind="congress",
            organization=owner_org,
            title=f"{of.title} {edition}",
            start_at=start,
            end_at=start + datetime.timedelta(hours=3),
            time_zone="America/Sao_Paulo",
            visibility=visibility,
            series=of,
            edition=edition,
        )

    open_one, closed_one = series("Open congress"), series("Closed congress")
    public = edition(open_one, "public", 1)
    edition(open_one, "network", 2)
    edition(closed_one, "network", 1)
    _erase(owner_org, ana, ada)
    assert list(Meeting.objects.values_list("pk", flat=True)) == [public.pk]
    assert list(Series.objects.values_list("title", flat=True)) == ["Open congress"]


def test_an_erase_deletes_the_organizations_exports_and_their_archives(owner_org, ana, ada):
    import importlib

    export_model = getattr(
        importlib.import_module("internationale.ownership.models"), "Export", None
    )
    if export_model is None:
        pytest.skip("this version has no exports of an organization's data")
    exports_dir = importlib.import_module("internationale.ownership.services").exports_dir
    archive = exports_dir() / "erase-test.bin"
    archive.write_bytes(b"an encrypted archive of everything")
    export_model.objects.create(
        organization=owner_org,
        requested_by=ana,
        status="ready",
        progress=100,
        salt="0" * 32,
        file_name=archive.name,
        size=34,
        sha256="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    _erase(owner_org, ana, ada)
    assert not export_model.objects.filter(organization=owner_org).exists()
    assert not archive.exists()


def test_advice_exchanged_with_another_organization_goes_with_either_sides_erase(
    owner_org, other_org, ana, ada, sam, kim, kai, client_for
):
    from internationale.statements.advice import advice_give
    from internationale.statements.models import Advice

    given = advice_give(
        actor=sam, sender=owner_org, receiver=other_org, subject="Ports", text="Zephyr stewards"
    )
    received = advice_give(
        actor=kim, sender=other_org, receiver=owner_org, subject="Docks", text="Quillon fund"
    )
    assert client_for(kim).get(f"/statements/advice/{given.pk}/").status_code == 200

    _erase(owner_org, ana, ada)

    assert not Advice.objects.filter(pk__in=[given.pk, received.pk]).exists()
    for person in (kim, kai):
        for advice in (given, received):
            assert client_for(person).get(f"/statements/advice/{advice.pk}/").status_code == 404
