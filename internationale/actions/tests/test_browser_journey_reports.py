"""A day of action's journey in a real Chromium (Debian's), driven by Playwright, against a live
server with the demo network: Amara (Lagos) calls a day at Meridian Freight's sites and calls the
Korean logistics workers and a Rotterdam dockers' union; Ji-woo in Busan and Pieter in Rotterdam
register their actions on the clocks of their places (each started an hour ago), and both report
back with a photo; Amara's report of the day shows 2 countries, 2 actions and the map.

Each step goes through the pages, as the people would. Skipped, with the reason, where Chromium
is not installed.
"""

import datetime
import io
import re
import zoneinfo

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from internationale.accounts import demo as accounts_demo
from internationale.appeals.tests.test_browser_journey import switch_to, work_off
from internationale.core.tests.test_browser_journeys import BROWSER, page
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.web.demo import load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Meridian Freight: every terminal, one day"


def _photo(colour: tuple[int, int, int]) -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(buffer, format="JPEG")
    return {"name": "action.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _wall(zone: str, hours: int) -> str:
    """Now plus `hours`, on the clocks of `zone`, as a datetime-local field takes it."""
    moment = timezone.now() + datetime.timedelta(hours=hours)
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _register_and_report(page, day_url: str, city: str, country: str, zone: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(day_url)
    page.get_by_role("link", name="Register an action").click()
    page.get_by_label("Kind of action").select_option("rally")
    page.get_by_label("City or place").fill(city)
    page.get_by_label("Country").select_option(country)
    page.get_by_label("Time zone of the place").select_option(zone)
    page.get_by_label("Start, local time").fill(_wall(zone, -1))
    page.get_by_label("End, local time").fill(_wall(zone, 1))
    page.get_by_label("Expected participants").fill("300")
    page.get_by_role("button", name="Register the action").click()
    page.wait_for_url(re.compile(r"/days/\d+/actions/\d+/$"))

    page.get_by_role("link", name="Report back").click()
    page.wait_for_url("**/report/edit/")
    expect(page.locator("main")).to_contain_text("your organization's responsibility")
    page.get_by_label("Outcome").select_option("held")
    page.locator("main [name=participants]").fill("250")
    page.get_by_label("What happened").fill(f"The rally in {city} was held at the gate.")
    page.locator("main [name=photos]").set_input_files(_photo((30, 90, 160)))
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(r"/report/$"))
    expect(page.get_by_role("status")).to_contain_text("The report is saved")
    expect(page.locator("main img")).to_have_count(1)


@pytest.mark.django_db(transaction=True)
def test_a_day_is_called_acted_on_in_two_countries_reported_back_and_mapped(page):
    load_demo()
    work_off()
    rotterdam = OrganizationFactory(
        name="Rotterdam Dockers' Union", slug="rdu", short_name="RDU", country="NL"
    )
    pieter = accounts_demo.create_people(
        {"pieter": ("Pieter de Vries", "nl", "Europe/Amsterdam", False)}
    )["pieter"]
    Membership.objects.create(user=pieter, organization=rotterdam, role="secretary")

    # Amara, secretary in Lagos, calls the day for today, and calls Busan and Rotterdam.
    switch_to(page, "amara")
    page.goto("/days/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Language of the call").fill("en")
    page.get_by_label("Date").fill(timezone.now().date().isoformat())
    page.locator("main [name=text]").fill("Every site of Meridian Freight acts on the same day.")
    page.get_by_role("button", name=re.compile("Prepare|Save|Create")).click()
    page.wait_for_url(re.compile(r"/days/\d+/$"))
    day_url = page.url
    page.get_by_role("link", name="Call organizations").click()
    page.get_by_label("Add organizations by hand").fill("KLWU\nrdu")
    page.get_by_role("button", name="Preview who is invited").click()
    page.get_by_role("button", name=re.compile(r"Invite \d+ organization")).click()
    page.wait_for_url(re.compile(r"/days/\d+/$"))

    # Ji-woo in Busan and Pieter in Rotterdam register their actions and report back.
    switch_to(page, "jiwoo")
    _register_and_report(page, day_url, "Busan", "KR", "Asia/Seoul")
    switch_to(page, "pieter")
    _register_and_report(page, day_url, "Rotterdam", "NL", "Europe/Amsterdam")

    # Amara reads the report of the day: two countries, two actions, the map and its table.
    switch_to(page, "amara")
    page.goto(day_url)
    page.get_by_role("link", name=re.compile("The report of the day")).click()
    main = page.locator("main")
    expect(main).to_contain_text("2 actions in 2 countries.")
    expect(main.locator("svg.world-map path[data-country]")).to_have_count(2)
    expect(main.get_by_role("img", name="World map of the countries with actions")).to_be_visible()
    table = main.locator("table", has=page.locator("caption"))
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("South Korea")
    expect(table).to_contain_text("Netherlands")
    expect(main).to_contain_text("500 participants")
