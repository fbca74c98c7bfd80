"""The appeal pages, through real requests: Sam (secretary of the Metalworkers) issues, Kim
(secretary of the Korean dockworkers) answers, Kit (their member) reads."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from internationale.aid.models import Contribution
from internationale.appeals.models import Addressee, Appeal, Pledge, PledgeSupport, Response
from internationale.appeals.services import appeal_create, pledge_create, pledge_fulfil
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    OrganizationFactory,
    PresenceFactory,
)

from .factories import AppealFactory, PledgeFactory


def _appeal_fields(**extra):  # type: ignore[no-untyped-def]
    return {
        "organization": "metal-sp",
        "title": "Lockout at the Anchieta plant",
        "text": "The company locked out **1,200** workers.",
        "language": "en",  # the text's language: another asks for a confirmation
        "situation": "lockout",
        "urgency": "1",
        "country": "BR",
        "place": "São Bernardo do Campo",
        "asks_sympathy": "on",
        "sympathy_target": "Board of directors",
        "sympathy_address": "1 Industrial Avenue, Stuttgart",
        "asks_material_aid": "on",
        "aid_goal_amount": "10000",
        "aid_goal_currency": "usd",
        "deadline": (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "network",
        "submission_key": "k1",
        **extra,
    }


def test_a_secretary_issues_a_draft_and_lands_on_the_routing_step(client_for, sam, owner_org):
    response = client_for(sam).post("/appeals/new/", _appeal_fields())

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appeals/{appeal.pk}/send/"
    assert (appeal.status, appeal.organization, appeal.aid_goal_currency) == (
        "draft",
        owner_org,
        "USD",
    )


def test_issuing_twice_with_the_same_submission_key_creates_one_appeal(client_for, sam):
    client = client_for(sam)
    client.post("/appeals/new/", _appeal_fields())
    client.post("/appeals/new/", _appeal_fields())

    assert Appeal.objects.count() == 1


def test_an_appeal_with_a_past_deadline_or_unknown_currency_is_refused_with_clear_errors(
    client_for, sam
):
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(sam).post("/appeals/new/", _appeal_fields(deadline=past))
    assert response.status_code == 200
    assert "The deadline must be in the future." in response.content.decode()

    response = client_for(sam).post("/appeals/new/", _appeal_fields(aid_goal_currency="ZZZ"))
    assert "is not an ISO 4217 currency code" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_member_cannot_issue_an_appeal(client_for, mo):
    assert client_for(mo).get("/appeals/new/").status_code == 403
    assert client_for(mo).post("/appeals/new/", _appeal_fields()).status_code == 403
    assert not Appeal.objects.exists()


def test_the_routing_step_previews_the_addressees_with_their_reasons_then_sends(
    client_for, sam, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(name="Meridian Freight")
    site = EmployerSiteFactory(employer=employer, country="KR", name="Busan terminal")
    PresenceFactory(organization=other_org, employer=employer, site=site)
    appeal = AppealFactory(organization=owner_org, created_by=sam, employer=employer)
    client = client_for(sam)

    preview = client.get(f"/appeals/{appeal.pk}/send/")
    page = preview.content.decode()
    assert "Korean Dockworkers" in page
    assert "organizes at Meridian Freight in South Korea" in page
    assert Appeal.objects.get(pk=appeal.pk).status == "draft"  # previewing sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/appeals/{appeal.pk}/send/", {"employer": "on"})
    assert response.status_code == 302
    work_off()
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert list(Addressee.objects.filter(appeal=appeal).values_list("organization", flat=True))
    assert other_org.inbox_entries.filter(url=f"/appeals/{appeal.pk}/").exists()


def test_adding_an_unknown_organization_by_hand_is_refused_and_sends_nothing(
    client_for, sam, draft
):
    response = client_for(sam).post(f"/appeals/{draft.pk}/send/", {"add": "no-such-union"})
    assert response.status_code == 200
    assert "No verified organization is called: no-such-union." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_member_cannot_send_and_nobody_else_sees_the_draft(client_for, mo, kim, draft, other_org):
    assert client_for(mo).post(f"/appeals/{draft.pk}/send/", {"add": "docks-kr"}).status_code == 403
    assert client_for(kim).get(f"/appeals/{draft.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_inbox_entry_leads_to_the_appeal_page(client_for, kim, sent, work_off, other_org):
    work_off()
    entry = other_org.inbox_entries.get(url=f"/appeals/{sent.pk}/")
    client = client_for(kim)
    response = client.get(f"/inbox/{other_org.slug}/{entry.pk}/")
    assert response["Location"] == f"/appeals/{sent.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert sent.title in page
    assert "Pledge support" in page


def test_an_addressee_acknowledges_and_pledges_sympathy_and_material_aid(
    client_for, kim, sent, other_org
):
    client = client_for(kim)
    client.post(f"/appeals/{sent.pk}/acknowledge/", {"organization": other_org.slug})
    client.post(
        f"/appeals/{sent.pk}/pledge/",
        {
            "organization": other_org.slug,
            "forms": ["sympathy"],
            "description": "Letters from our executive.",
            "submission_key": "a",
        },
    )
    response = client.post(
        f"/appeals/{sent.pk}/pledge/",
        {
            "organization": other_org.slug,
            "forms": ["material_aid"],
            "description": "Strike fund.",
            "amount": "500",
            "currency": "KRW",
            "submission_key": "b",
        },
    )
    assert response.status_code == 302
    assert sorted(PledgeSupport.objects.values_list("form", flat=True)) == [
        "material_aid",
        "sympathy",
    ]
    assert Response.objects.filter(organization=other_org, kind="acknowledged").count() == 1


def test_a_duplicate_pledge_submission_records_one_pledge(client_for, kim, sent, other_org):
    data = {
        "organization": other_org.slug,
        "forms": ["sympathy"],
        "description": "Letters.",
        "submission_key": "same",
    }
    client = client_for(kim)
    client.post(f"/appeals/{sent.pk}/pledge/", data)
    client.post(f"/appeals/{sent.pk}/pledge/", data)
    assert Pledge.objects.count() == 1


def test_bad_pledges_are_refused_with_errors_and_record_nothing(client_for, kim, sent, other_org):
    client = client_for(kim)
    base = {"organization": other_org.slug, "forms": ["material_aid"], "description": "Aid."}
    for extra, message in [
        ({"amount": "-5", "currency": "USD"}, "An amount must be more than zero."),
        ({"amount": "0", "currency": "USD"}, "An amount must be more than zero."),
        ({"amount": "50", "currency": "XYZ"}, "is not an ISO 4217 currency code"),
        ({"due_date": "2000-01-01", "goods": "Tents"}, "cannot be in the past"),
    ]:
        response = client.post(f"/appeals/{sent.pk}/pledge/", {**base, **extra})
        assert response.status_code == 200, extra
        assert message in response.content.decode(), extra
    assert not Pledge.objects.exists()


def test_members_and_observers_cannot_pledge(client_for, kit, sent, other_org):
    response = client_for(kit).post(
        f"/appeals/{sent.pk}/pledge/",
        {"organization": other_org.slug, "forms": ["sympathy"], "description": "x"},
    )
    assert response.status_code == 403
    assert not Pledge.objects.exists()


def test_a_closed_appeal_can_no_longer_be_pledged_to(client_for, kim, sam, sent, other_org):
    client_for(sam).post(f"/appeals/{sent.pk}/close/")
    response = client_for(kim).post(
        f"/appeals/{sent.pk}/pledge/",
        {"organization": other_org.slug, "forms": ["sympathy"], "description": "x"},
    )
    assert response.status_code == 200
    assert "This appeal is closed: it can no longer be answered." in response.content.decode()
    assert not Pledge.objects.exists()


def test_decline_needs_a_reason_and_pass_reaches_another_organization(
    client_for, kim, sent, other_org
):
    third = OrganizationFactory(name="Hamburg Port Union", slug="hafen")
    client = client_for(kim)
    response = client.post(
        f"/appeals/{sent.pk}/pass/", {"organization": other_org.slug, "to": "hafen"}
    )
    assert response.status_code == 302
    assert Addressee.objects.filter(appeal=sent, organization=third, passed_by=other_org).exists()
    response = client.post(
        f"/appeals/{sent.pk}/decline/", {"organization": other_org.slug, "reason": ""}
    )
    assert response.status_code == 200
    response = client.post(
        f"/appeals/{sent.pk}/decline/",
        {"organization": other_org.slug, "reason": "We are on strike ourselves."},
    )
    assert response.status_code == 302
    assert Response.objects.filter(kind="declined", reason="We are on strike ourselves.").exists()


def test_material_aid_is_declared_sent_then_confirmed_by_the_issuer(
    client_for, kim, sam, sent, other_org
):
    pledge = pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Strike fund",
        amount=Decimal("300"),
        currency="EUR",
    )
    response = client_for(kim).post(
        f"/appeals/pledges/{pledge.pk}/aid/",
        {"amount": "300", "currency": "EUR", "reference": "TX-1", "submission_key": "s"},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert client_for(kim).post(f"/appeals/aid/{contribution.pk}/confirm/").status_code == 403
    assert client_for(sam).post(f"/appeals/aid/{contribution.pk}/confirm/").status_code == 302
    contribution.refresh_from_db()
    assert contribution.confirmed_at is not None


def test_the_issuers_view_shows_aid_per_currency_and_an_accessible_svg_chart(
    client_for, kim, sam, mo, kit, sent, other_org
):
    for amount, currency in [("300", "EUR"), ("200", "EUR"), ("50000", "KRW")]:
        pledge_create(
            actor=kim,
            appeal=sent,
            organization=other_org,
            forms=["material_aid"],
            description="Aid",
            amount=Decimal(amount),
            currency=currency,
        )
    page = client_for(mo).get(f"/appeals/{sent.pk}/summary/").content.decode()
    assert re.search(r"<th scope=\"row\">EUR</th><td>500.00</td>", page)
    assert re.search(r"<th scope=\"row\">KRW</th><td>50000.00</td>", page)
    assert "50500" not in page  # never summed across currencies
    assert "<svg" in page and '<title id="chart-title">' in page
    assert "<caption>Responses per day</caption>" in page
    assert client_for(kit).get(f"/appeals/{sent.pk}/summary/").status_code == 403


def test_evidence_files_are_served_only_to_those_who_may_see_the_pledge(
    client_for, kim, sam, kit, nell, sent, other_org, settings
):
    pledge = pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Aid",
        amount=Decimal("100"),
        currency="USD",
    )
    pledge_fulfil(
        actor=kim,
        pledge=pledge,
        evidence_file=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf"),
    )
    url = f"/appeals/pledges/{pledge.pk}/evidence/"
    response = client_for(sam).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(kit).get(url).status_code == 200  # a member of the pledging organization
    assert client_for(nell).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    # No public URL reaches the stored file.
    path = Pledge.objects.get().evidence_file.name
    assert client_for(sam).get(f"/media/{path}").status_code == 404


def test_fulfilling_through_the_page_with_a_link(client_for, kim, sent, other_org):
    pledge = PledgeFactory(appeal=sent, organization=other_org)
    response = client_for(kim).post(
        f"/appeals/pledges/{pledge.pk}/fulfil/", {"evidence_link": "https://example.org/letter"}
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "fulfilled"
    assert client_for(kim).post(f"/appeals/pledges/{pledge.pk}/fulfil/").status_code == 200


def test_the_issuer_posts_an_update_and_resolves_with_an_outcome_report(client_for, sam, sent):
    client = client_for(sam)
    client.post(f"/appeals/{sent.pk}/update/", {"text": "Day 3: still out.", "submission_key": "u"})
    client.post(f"/appeals/{sent.pk}/update/", {"text": "Day 3: still out.", "submission_key": "u"})
    response = client.post(
        f"/appeals/{sent.pk}/resolve/", {"outcome": "won", "outcome_report": "All rehired."}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.outcome) == ("resolved", "won")
    page = client.get(f"/appeals/{sent.pk}/").content.decode()
    assert page.count("Day 3: still out.") == 1
    assert "All rehired." in page


def test_a_public_appeal_is_readable_without_signing_in_with_share_links_and_feeds(
    client_for, sam, owner_org, other_org, send
):
    appeal = send(
        AppealFactory(organization=owner_org, visibility="public", title="Free the Anchieta five"),
        sam,
        add=[other_org.pk],
    )
    network = send(
        AppealFactory(organization=owner_org, title="Network only"), sam, add=[other_org.pk]
    )
    anonymous = client_for(None)
    page = anonymous.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Free the Anchieta five" in page
    assert "mailto:?subject=Free%20the%20Anchieta%20five" in page
    assert f'value="{settings.SITE_URL}/appeals/{appeal.pk}/"' in page
    assert '<script src="http' not in page
    assert anonymous.get(f"/appeals/{network.pk}/").status_code == 404

    for url in ["/appeals/feed/", "/appeals/feed/country/br/", "/appeals/feed/sector/C/"]:
        feed = anonymous.get(url)
        assert feed["Content-Type"].startswith("application/atom+xml"), url
    feed = anonymous.get("/appeals/feed/").content.decode()
    assert "Free the Anchieta five" in feed and "Network only" not in feed
    assert (
        "Free the Anchieta five" not in anonymous.get("/appeals/feed/country/kr/").content.decode()
    )
    assert anonymous.get("/appeals/feed/country/zz/").status_code == 404


def test_the_list_shows_appeals_addressed_to_my_organizations_most_urgent_first(
    client_for, sam, kim, owner_org, other_org, send, django_assert_max_num_queries
):
    routine = send(
        AppealFactory(organization=owner_org, urgency=0, title="Routine one"),
        sam,
        add=[other_org.pk],
    )
    emergency = send(
        AppealFactory(organization=owner_org, urgency=2, title="Emergency one"),
        sam,
        add=[other_org.pk],
    )
    client = client_for(kim)
    with django_assert_max_num_queries(12):
        page = client.get("/appeals/").content.decode()
    addressed = page.split('id="addressed-heading"')[1].split('id="issued-heading"')[0]
    assert addressed.index(emergency.title) < addressed.index(routine.title)


def test_the_pledges_still_owed_page_lists_open_pledges_for_the_organizations_people(
    client_for, kim, kit, sam, sent, other_org
):
    PledgeFactory(appeal=sent, organization=other_org, description="Letters to the board")
    assert (
        "Letters to the board"
        in client_for(kit).get(f"/appeals/owed/{other_org.slug}/").content.decode()
    )
    assert client_for(sam).get(f"/appeals/owed/{other_org.slug}/").status_code == 404


def test_editing_a_draft_keeps_it_a_draft_and_a_sent_appeal_cannot_be_edited(
    client_for, sam, owner_org
):
    appeal = appeal_create(
        actor=sam,
        organization=owner_org,
        title="Draft",
        text="Text",
        language="en",
        situation="strike",
        country="BR",
        asks_propaganda=True,
    )
    fields = _appeal_fields(title="Draft, edited")
    del fields["organization"], fields["submission_key"]
    response = client_for(sam).post(f"/appeals/{appeal.pk}/edit/", fields)
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.title, appeal.status) == ("Draft, edited", "draft")


def test_share_links_and_feeds_are_on_the_site_address_whatever_host_the_request_named(
    client_for, sam, owner_org, other_org, send, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://solidarity.example.org"
    appeal = send(
        AppealFactory(organization=owner_org, visibility="public", title="Free the Anchieta five"),
        sam,
        add=[other_org.pk],
    )
    anonymous = client_for(None)
    page = anonymous.get(f"/appeals/{appeal.pk}/", HTTP_HOST="attacker.example").content.decode()
    assert f'value="https://solidarity.example.org/appeals/{appeal.pk}/"' in page
    assert "attacker.example" not in page
    for url in ["/appeals/feed/", "/appeals/feed/country/br/", "/appeals/feed/sector/C/"]:
        feed = anonymous.get(url, HTTP_HOST="attacker.example").content.decode()
        assert "attacker.example" not in feed, url
        assert '<link href="https://solidarity.example.org/appeals/' in feed, url
        assert "<id>https://solidarity.example.org/appeals/" in feed, url
    feed = anonymous.get("/appeals/feed/", HTTP_HOST="attacker.example").content.decode()
    assert f"<id>https://solidarity.example.org/appeals/{appeal.pk}/</id>" in feed
    assert '<link href="https://solidarity.example.org/appeals/feed/" rel="self"/>' in feed


def test_the_issuers_view_names_answers_and_countries_in_the_readers_language(
    client_for, kim, mo, sent, other_org
):
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Aid",
        amount=Decimal("300"),
        currency="EUR",
    )
    mo.language = "es"
    mo.save()
    page = client_for(mo).get(f"/appeals/{sent.pk}/summary/").content.decode()
    assert "<dt>Comprometido</dt><dd>1</dd>" in page
    assert "<td>Comprometido</td>" in page
    assert re.search(r'<th scope="row"><a [^>]+>Corea del Sur</a></th><td>1</td><td>1</td>', page)
    words = re.sub(r'(value|href)="[^"]*"', "", page)  # the filter's codes are no words
    assert "Pledged" not in words and "pledged" not in words


def test_user_content_carries_its_language_and_direction_on_a_page_in_another(
    client_for, mo, kim, sent, other_org
):
    Appeal.objects.filter(pk=sent.pk).update(language="ar", text="إضراب في الميناء.")
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["propaganda"],
        description="Statement of support, 3 languages.",
    )
    page = client_for(mo).get(f"/appeals/{sent.pk}/").content.decode()
    assert re.search(r'<h1 lang="ar" dir="auto">', page)
    assert '<article class="appeal-text" lang="ar" dir="auto"><p>إضراب في الميناء.</p>' in page
    assert '<p dir="auto">Statement of support, 3 languages.</p>' in page


def test_after_pledging_the_page_offers_more_pledges_but_not_to_acknowledge_or_decline(
    client_for, kim, sent, other_org
):
    page = client_for(kim).get(f"/appeals/{sent.pk}/").content.decode()
    assert "Acknowledge receipt" in page and f"/appeals/{sent.pk}/decline/" in page
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["propaganda"],
        description="Statement",
    )
    page = client_for(kim).get(f"/appeals/{sent.pk}/").content.decode()
    assert "Acknowledge receipt" not in page
    assert f"/appeals/{sent.pk}/decline/" not in page
    assert f"/appeals/{sent.pk}/pledge/" in page


def test_declining_after_pledging_is_refused_and_changes_nothing(client_for, kim, sent, other_org):
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["propaganda"],
        description="Statement",
    )
    response = client_for(kim).post(
        f"/appeals/{sent.pk}/decline/",
        {"organization": "docks-kr", "reason": "No capacity", "submission_key": "d1"},
        follow=True,
    )
    assert "withdraw the pledge before declining" in response.content.decode()
    assert not Response.objects.filter(appeal=sent, kind="declined").exists()


def test_a_resolved_appeal_no_longer_shows_its_urgency(client_for, mo, sent):
    Appeal.objects.filter(pk=sent.pk).update(urgency=2)
    assert "Emergency" in client_for(mo).get(f"/appeals/{sent.pk}/").content.decode()
    Appeal.objects.filter(pk=sent.pk).update(status="resolved", outcome="won")
    page = client_for(mo).get(f"/appeals/{sent.pk}/").content.decode()
    listing = client_for(mo).get("/appeals/").content.decode()
    assert "Emergency" not in page and "Emergency" not in listing
    assert "Resolved" in page and sent.title in listing


def test_the_appeal_form_offers_languages_by_name(client_for, sam):
    page = client_for(sam).get("/appeals/new/").content.decode()
    # Sam's organization writes Brazilian Portuguese first: the form starts with it chosen.
    assert (
        '<option value="pt-BR" selected>Portuguese (Brazil) — português (Brasil)</option>' in page
    )
    assert '<option value="ko">Korean — 한국어</option>' in page
    assert "as a tag" not in page
    response = client_for(sam).post("/appeals/new/", _appeal_fields(language="xx-!!"))
    assert response.status_code == 200 and not Appeal.objects.exists()


def test_the_dashboard_lists_appeals_to_answer_pledges_owed_and_relations_proposed(
    client_for, kim, kit, sent, other_org, owner_org
):
    from internationale.organizations.models import Relation

    page = client_for(kim).get("/dashboard/").content.decode()
    assert f'href="/appeals/{sent.pk}/"' in page
    assert "Your organizations owe no pledge." in page
    assert "No relation is waiting for your answer." in page

    pledge = pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["propaganda"],
        description="A statement of our congress",
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    Pledge.objects.filter(pk=pledge.pk).update(  # the days went by
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    relation = Relation.objects.create(proposer=owner_org, partner=other_org, kind="fraternal")
    page = client_for(kim).get("/dashboard/").content.decode()
    # Pledging answered the appeal: it no longer waits; the pledge is owed, and late.
    assert f'href="/appeals/{sent.pk}/"' not in page
    assert f'href="/appeals/{sent.pk}/#pledge-{pledge.pk}"' in page
    assert '<span class="badge danger">overdue</span>' in page
    assert f'href="/organizations/docks-kr/relations/#relation-{relation.pk}"' in page
    assert "Metalworkers of São Paulo proposes: Fraternal relation" in page
    # A member who does not speak for the organization is not asked to act.
    assert (
        "What awaits your organizations" not in client_for(kit).get("/dashboard/").content.decode()
    )
