"""The demo's past day of action: public, across twenty countries, every action reported, and its
report approved by both callers and published to the library."""

import pytest
from django.urls import reverse

from internationale.accounts import demo as accounts_demo
from internationale.actions import demo_reports
from internationale.actions.models import Report
from internationale.organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db


def test_the_past_day_spans_twenty_countries_with_reports_and_is_published(client_for):
    people = accounts_demo.create_people(organizations_demo.people_wanted())
    orgs = organizations_demo.create_organizations(people)
    day = demo_reports.create_past_day(orgs, people)

    assert day.date < day.created_at.date() and day.visibility == "public"
    assert Report.objects.filter(action__day=day).count() == 20
    assert day.report_document is not None and day.report_document.kind == "report_back"
    page = client_for().get(reverse("day_report", args=[day.pk])).content.decode()
    assert "20 actions in 20 countries." in page
    assert page.count("data-country=") == 40  # a shaded shape and a table row per country
