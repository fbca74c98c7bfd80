"""The appeal's page for those who sign in (the issuer's people, the addressees'): the parts that
are the same for every reader are kept per version of the appeal, the pledges and answers per
version and per set of the reader's organizations and roles. Every change shows at once, nothing
of one reader reaches another, and the page reads a small, fixed number of queries.

These tests commit (transaction=True): inside a transaction nothing is kept."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from internationale.addressing.routing import Criteria
from internationale.appeals import public_page
from internationale.appeals.models import Pledge, PledgeSupport, Response
from internationale.appeals.services import (
    appeal_acknowledge,
    appeal_post_update,
    appeal_resolve,
    appeal_send,
    pledge_create,
)
from internationale.core.cache import CSRF_PLACEHOLDER
from internationale.core.worker import run_pending_tasks
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AppealFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def appeal(owner_org, sam, other_org, send):
    """An appeal to the network by the Metalworkers (Sam), sent to the Korean dockworkers (Kim)
    and to the Chilean miners (Lu)."""
    draft = AppealFactory(
        organization=owner_org,
        created_by=sam,
        visibility="network",
        title="Lockout at the Anchieta plant",
        asks_material_aid=True,
    )
    return send(draft, sam, add=[other_org.pk, _miners().pk])


def _miners():  # type: ignore[no-untyped-def]
    return OrganizationFactory.create(name="Chilean Miners", slug="miners-cl", country="CL")


@pytest.fixture
def lu(appeal):
    """The secretary of the Chilean miners, another addressee."""
    miners = appeal.addressees.get(organization__slug="miners-cl").organization
    return MembershipFactory(
        organization=miners, role=Membership.Role.SECRETARY, user__email="lu@miners.example"
    ).user


def _read(client, appeal):  # type: ignore[no-untyped-def]
    response = client.get(reverse("appeal_detail", args=[appeal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _kept() -> str:
    """Everything the fragments keep, as one text."""
    return "\n".join(str(value) for _until, value in public_page.fragments.kept.entries.values())


def test_the_issuer_and_an_addressee_read_the_kept_page_in_a_few_queries(
    appeal, sam, kim, client_for, django_assert_max_num_queries
):
    issuer, addressee = client_for(sam), client_for(kim)
    _read(issuer, appeal), _read(addressee, appeal)
    assert public_page.fragments.kept.entries  # the parts are kept
    # The session, the person with their roles (one query: core/signed_in.py), the appeal (with
    # its versions and whether it was sent to the reader's organizations): the rest of the page
    # is kept for the readers of the same organizations and roles (the aid's panels, the
    # answering forms).
    with django_assert_max_num_queries(3):
        assert "Post an update" in _read(issuer, appeal)
    with django_assert_max_num_queries(3):
        assert "Answer this appeal" in _read(addressee, appeal)


def test_the_signed_in_pages_read_no_more_with_many_pledges_and_answers(
    appeal, sam, kim, client_for, django_assert_max_num_queries
):
    for n in range(25):
        organization = OrganizationFactory()
        appeal.addressees.create(organization=organization)
        pledge = Pledge.objects.create(
            appeal=appeal, organization=organization, description=f"Statement {n}", public=True
        )
        PledgeSupport.objects.create(pledge=pledge, form="propaganda")
        Response.objects.create(
            appeal=appeal, organization=organization, kind="pledged", pledge=pledge
        )
    issuer, addressee = client_for(sam), client_for(kim)
    # Read afresh (nothing kept): the versions, then the appeal itself, the latest pledges and
    # answers, and their counts, the panels of the apps built on appeals (the campaigns launched
    # for it: one query), and the days of action called from it (actions/templatetags/days.py: one
    # query).
    public_page.fragments.clear()
    public_page.appeals_read.clear()
    with django_assert_max_num_queries(16):
        page = _read(issuer, appeal)
    assert "The latest 20 of 25 pledges." in page
    assert "Statement 24" in page and "Statement 4" not in page
    with django_assert_max_num_queries(17):
        _read(addressee, appeal)
    with django_assert_max_num_queries(3):
        _read(issuer, appeal)
    with django_assert_max_num_queries(3):
        _read(addressee, appeal)


def test_only_the_issuer_is_sent_to_the_summary_for_every_pledge(appeal, sam, kim, client_for):
    for n in range(21):
        organization = OrganizationFactory()
        appeal.addressees.create(organization=organization)
        pledge = Pledge.objects.create(
            appeal=appeal, organization=organization, description=f"Statement {n}", public=True
        )
        PledgeSupport.objects.create(pledge=pledge, form="propaganda")
    summary = reverse("appeal_summary", args=[appeal.pk])
    issuer = _main(_read(client_for(sam), appeal))
    assert "The latest 20 of 21 pledges." in issuer
    assert f'href="{summary}">Every pledge, in the summary' in issuer
    addressee = _main(_read(client_for(kim), appeal))
    assert "The latest 20 of 21 pledges." in addressee
    assert "Every pledge, in the summary" not in addressee


def test_an_update_shows_at_once_to_the_issuer_and_the_addressees(appeal, sam, kim, client_for):
    issuer, addressee = client_for(sam), client_for(kim)
    _read(issuer, appeal), _read(addressee, appeal)
    appeal_post_update(actor=sam, appeal=appeal, text="The workers occupy the **gate**.")
    for client in (issuer, addressee):
        assert "The workers occupy the <strong>gate</strong>." in _read(client, appeal)


def test_a_pledge_and_an_answer_show_at_once(appeal, sam, kim, other_org, client_for):
    issuer, addressee = client_for(sam), client_for(kim)
    _read(issuer, appeal), _read(addressee, appeal)
    appeal_acknowledge(actor=kim, appeal=appeal, organization=other_org)
    assert "Korean Dockworkers · Acknowledged" in _read(issuer, appeal)
    assert "Korean Dockworkers · Acknowledged" in _read(addressee, appeal)
    pledge_create(
        actor=kim,
        appeal=appeal,
        organization=other_org,
        forms=["sympathy"],
        description="Letters from every branch of our union.",
    )
    for client in (issuer, addressee):
        assert "Letters from every branch of our union." in _read(client, appeal)


def test_the_outcome_shows_at_once(appeal, sam, kim, client_for):
    addressee = client_for(kim)
    _read(addressee, appeal)
    appeal_resolve(actor=sam, appeal=appeal, outcome="won", report="All 1,200 are back at work.")
    page = _read(addressee, appeal)
    assert "All 1,200 are back at work." in page
    assert "Outcome: Won" in page


def test_sending_shows_at_once_on_the_issuer_s_page(owner_org, sam, other_org, client_for):
    draft = AppealFactory(organization=owner_org, created_by=sam, title="Dismissals at Corvina")
    issuer = client_for(sam)
    assert "This appeal is a draft" in _read(issuer, draft)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    page = _read(issuer, draft)
    assert "Sending: 0 organizations recorded so far" in page
    assert ">Sent</dt>" in page
    run_pending_tasks()
    page = _read(issuer, draft)
    assert "Sending:" not in page
    assert re.search(r'class="badge success">Open<', page)
    assert "to 1 organization" in page  # the "sent" entry of the timeline


def test_nothing_of_one_reader_is_kept_or_shown_to_another(
    appeal, sam, kim, lu, other_org, client_for
):
    """A confidential pledge's details show to the issuer and the pledger alone, whoever read
    the page first; nothing kept holds a reader's token or a person."""
    pledge_create(
        actor=kim,
        appeal=appeal,
        organization=other_org,
        forms=["material_aid"],
        description="A transfer from our strike fund.",
        amount=Decimal("750"),
        currency="EUR",
    )
    appeal_acknowledge(actor=kim, appeal=appeal, organization=other_org)
    issuer, pledger, other = client_for(sam), client_for(kim), client_for(lu)
    for client in (issuer, pledger, other):
        _read(client, appeal)
    for page in (_main(_read(issuer, appeal)), _main(_read(pledger, appeal))):
        assert "750" in page
        assert "Korean Dockworkers · Pledged" in page
    page = _main(_read(other, appeal))
    assert "A transfer from our strike fund." in page  # what was pledged shows to addressees
    assert "750" not in page
    assert "Korean Dockworkers · Pledged" not in page  # who pledged does not
    assert "An organization · Pledged" in page
    kept = _kept()
    assert kept
    for personal in ("sam@metal.example", "kim@docks.example", "lu@miners.example"):
        assert personal not in kept
    # The forms kept carry a placeholder, each reader's page its own token, which nothing keeps.
    tokens = set()
    for client in (issuer, pledger, other):
        page = _read(client, appeal)
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) >= 3
    assert CSRF_PLACEHOLDER not in tokens
    assert not any(token in _kept() for token in tokens)
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept) == [CSRF_PLACEHOLDER] * (
        kept.count("csrfmiddlewaretoken")
    )
    # Signed out readers see none of it (the appeal is not public).
    assert Client().get(reverse("appeal_detail", args=[appeal.pk])).status_code == 404


def test_a_reader_of_another_organization_with_the_same_role_reads_its_own_answers(
    appeal, kim, lu, other_org, client_for
):
    """The parts kept per reader are kept per organization and role: the pledger's secretary
    may withdraw its pledge, another addressee's secretary may not."""
    pledge_create(
        actor=kim,
        appeal=appeal,
        organization=other_org,
        forms=["sympathy"],
        description="Letters from every branch of our union.",
    )
    assert "Withdraw" in _main(_read(client_for(kim), appeal))
    assert "Withdraw" not in _main(_read(client_for(lu), appeal))
    assert "Withdraw" in _main(_read(client_for(kim), appeal))


def test_while_sending_the_issuer_reads_the_count_as_it_grows(
    owner_org, sam, other_org, client_for
):
    """The addressees recorded so far change no version: a page of an appeal being sent is
    never kept."""
    draft = AppealFactory(organization=owner_org, created_by=sam, title="Dismissals at Corvina")
    issuer = client_for(sam)
    appeal_send(actor=sam, appeal=draft, criteria=Criteria(add=[other_org.pk]))
    assert "Sending: 0 organizations recorded so far" in _read(issuer, draft)
    draft.addressees.create(organization=other_org)
    assert "Sending: 1 organization recorded so far" in _read(issuer, draft)


def test_each_reader_s_forms_carry_its_own_token_and_work(appeal, kim, client_for):
    """The answering forms come from what is kept for the addressee's organization and role, with
    the reader's own token: acknowledging through them works, and shows at once."""
    addressee = client_for(kim)
    _read(addressee, appeal)  # kept now
    client = Client(enforce_csrf_checks=True)
    client.force_login(kim)
    page = _read(client, appeal)
    token = re.search(
        r'action="[^"]*/acknowledge/"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    )
    assert token
    response = client.post(
        reverse("appeal_acknowledge", args=[appeal.pk]),
        {"csrfmiddlewaretoken": token.group(1), "organization": "docks-kr"},
    )
    assert response.status_code == 302
    assert "Acknowledge receipt" not in _read(client, appeal)


def test_one_page_carries_one_token_in_all_its_forms_and_it_works(appeal, kim, client_for):
    """The site's header (htmx's header, signing out, the language) and the kept answering forms
    carry the same token: it is masked once per answer, and each form posts with it."""
    _read(client_for(kim), appeal)  # kept now
    client = Client(enforce_csrf_checks=True)
    client.force_login(kim)
    page = _read(client, appeal)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', page))
    assert len(tokens) == 1, tokens
    response = client.post(
        reverse("appeal_acknowledge", args=[appeal.pk]),
        {"csrfmiddlewaretoken": tokens.pop(), "organization": "docks-kr"},
    )
    assert response.status_code == 302
    assert "Acknowledge receipt" not in _read(client, appeal)


def _verified_secretary(name: str, slug: str):  # type: ignore[no-untyped-def]
    organization = OrganizationFactory.create(name=name, slug=slug, country="ZA")
    return MembershipFactory(
        organization=organization, role=Membership.Role.SECRETARY, user__email=f"sec@{slug}.example"
    ).user


def test_a_secretary_made_an_observer_loses_the_issuer_s_actions_at_the_next_request(
    appeal, sam, client_for
):
    issuer = client_for(sam)
    assert "Post an update" in _read(issuer, appeal)

    Membership.objects.filter(user=sam).update(role=Membership.Role.OBSERVER)

    page = _read(issuer, appeal)
    assert "Post an update" not in page


def test_an_addressee_s_secretary_removed_loses_the_answering_form_at_the_next_request(
    appeal, kim, client_for
):
    addressee = client_for(kim)
    assert "Answer this appeal" in _read(addressee, appeal)

    Membership.objects.filter(user=kim).delete()

    response = addressee.get(reverse("appeal_detail", args=[appeal.pk]))
    assert response.status_code == 404  # shared with the network, which Kim is no longer in


def test_a_narrower_audience_shuts_a_reader_out_at_once(appeal, sam, client_for):
    """The appeal read by the pages is kept per version: making it visible to fewer readers
    changes the version, and the audience is decided again at every request."""
    reader = client_for(_verified_secretary("Textile Workers", "textile-za"))
    assert "Lockout at the Anchieta plant" in _read(reader, appeal)  # the network's
    _read(reader, appeal)  # from what is kept
    appeal.visibility = "addressed"
    appeal.save()
    assert reader.get(reverse("appeal_detail", args=[appeal.pk])).status_code == 404
    assert "Post an update" in _read(client_for(sam), appeal)


def test_an_organization_the_appeal_is_sent_to_later_may_answer_at_once(appeal, client_for):
    """Whether the appeal was sent to the reader's organizations is read at every request."""
    secretary = _verified_secretary("Textile Workers", "textile-za")
    reader = client_for(secretary)
    assert "Answer this appeal" not in _read(reader, appeal)
    _read(reader, appeal)
    appeal.addressees.create(organization=secretary.memberships.get().organization)
    assert "Answer this appeal" in _read(reader, appeal)
