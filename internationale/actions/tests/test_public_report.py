"""The report of a public day is read without signing in, kept for signed-out readers (who all see
the same) until what it shows changes, with no personal data: contacts are never on it. Its
reports have an Atom feed, and the page has share links that load no one's script.

These tests commit (transaction=True): inside a transaction nothing is kept."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from internationale.actions import public_reports, reports
from internationale.actions.models import LocalAction, Report
from internationale.translation.content import original_texts, source_hash
from internationale.translation.models import LanguageVersion

from .reports_world import called_day, registered, started

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    public_reports.pages.clear()
    public_reports.days.clear()


@pytest.fixture
def public_day(sam, owner_org, other_org, kim):
    day = called_day(sam, owner_org, other_org, called_visibility="public")
    busan = started(registered(kim, day, other_org))
    reports.report_submit(
        actor=kim,
        action=busan,
        text="Twelve hundred at the gate.",
        outcome="held",
        participants=1200,
        language="en",
    )
    return day


def test_a_signed_out_reader_reads_the_kept_report_until_it_changes(client_for, kim, public_day):
    url = reverse("day_report", args=[public_day.pk])
    page = client_for().get(url).content.decode()
    assert "1200 participants" in page
    # The kept content (the site's header, with the reader's own token, is rendered around it).
    kept = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "+82 10" not in kept and "csrfmiddlewaretoken" not in kept
    # Share links are plain links, and the page loads no third-party script.
    assert "https://bsky.app/intent/compose?text=" in page and "mailto:?subject=" in page
    assert '<script src="http' not in page

    # A write the signals do not see leaves the kept page as it was; a signed-in reader's page
    # is always rendered for them.
    Report.objects.update(participants=5)
    assert "1200 participants" in client_for().get(url).content.decode()
    assert "5 participants" in client_for(kim).get(url).content.decode()

    # The organization changes its report through the platform: the kept page follows.
    report = Report.objects.get()
    reports.report_submit(
        actor=kim, action=report.action, text="Fifteen hundred.", outcome="held", participants=1500
    )
    assert "1500 participants" in client_for().get(url).content.decode()


def test_the_feed_of_a_public_days_reports(client_for, public_day):
    response = client_for().get(reverse("day_reports_feed", args=[public_day.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Rally, Busan (Korean Dockworkers)" in feed
    assert 'xml:lang="en"' in feed and "Twelve hundred at the gate." in feed
    assert "+82 10" not in feed
    page = client_for().get(reverse("day_report", args=[public_day.pk])).content.decode()
    assert reverse("day_reports_feed", args=[public_day.pk]) in page


def test_the_public_days_page_is_kept_for_signed_out_readers_without_contacts(
    client_for, kim, other_org, public_day
):
    url = reverse("day_detail", args=[public_day.pk])
    page = client_for().get(url).content.decode()
    kept = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Rally, Busan" in kept and "+82 10" not in kept and "csrfmiddlewaretoken" not in kept
    assert "Register an action" not in kept
    # Kept: a write the signals do not see does not show; one through the platform does.
    LocalAction.objects.update(city="Changed behind its back")
    assert "Rally, Busan" in client_for().get(url).content.decode()
    assert "Changed behind" in client_for(kim).get(url).content.decode()
    registered(kim, public_day, other_org, city="Incheon", kind="picket")
    assert "Picket, Incheon" in client_for().get(url).content.decode()


def test_the_kept_day_page_is_kept_per_language_asked_and_follows_language_versions(
    client_for, public_day
):
    url = reverse("day_detail", args=[public_day.pk])
    assert "Global day of action" in client_for().get(url, HTTP_ACCEPT_LANGUAGE="es").text
    # A version made after the page was kept shows at once, for the language it is in.
    LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(public_day),
        object_id=public_day.pk,
        language="es",
        texts={"title": "Jornada mundial en Meridian Freight", "text": "Actuamos juntos."},
        status="machine",
        source_hash=source_hash(original_texts(public_day)),
    )
    assert "Jornada mundial" in client_for().get(url, HTTP_ACCEPT_LANGUAGE="es").text
    original = client_for().get(url + "?original=1", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Global day of action" in original and "Jornada mundial" not in original
    assert "Jornada mundial" in client_for().get(url, HTTP_ACCEPT_LANGUAGE="es").text
