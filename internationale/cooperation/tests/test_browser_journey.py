"""A bilateral meeting's journey in a real Chromium (Debian's), driven by Playwright, against a
live server with the demo network: planned in Lagos, Busan invited by name, accepted from Busan
with its delegate, and seen by each side on its own clock.

Skipped, with the reason, where Chromium is not installed.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from internationale.appeals.tests.test_browser_journey import switch_to, work_off
from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Meridian's new crane contract in Lagos and Busan"


@pytest.mark.django_db(transaction=True)
def test_a_bilateral_meeting_is_planned_in_lagos_and_accepted_from_busan(page):
    load_demo()
    work_off()
    day = (timezone.now() + datetime.timedelta(days=20)).date().isoformat()

    # Amara, secretary of the Nigerian dockworkers, plans a meeting at 09:00 in Lagos.
    sign_in(page, demo_email("amara"))
    page.goto("/meetings/new/")
    page.locator("main [name=kind]").select_option("bilateral")
    page.locator("main [name=title]").fill(TITLE)
    page.locator("main [name=start]").fill(f"{day}T09:00")
    page.locator("main [name=end]").fill(f"{day}T11:00")
    page.locator("main [name=time_zone]").fill("Africa/Lagos")
    page.locator("main [name=online_link]").fill("https://meet.example.org/cranes")
    page.locator("main [name=languages]").fill("en, ko")
    page.get_by_role("button", name="Plan the meeting").click()
    page.wait_for_url("**/meetings/*/")
    meeting_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # She invites the Korean union by its short name; the preview says why it is invited.
    page.get_by_role("link", name="Invite organizations").click()
    page.wait_for_url("**/invite/")
    page.locator("main textarea[name=add]").fill("KLWU")
    page.get_by_role("button", name="Preview who is invited").click()
    row = page.locator("table.addressees tr", has_text="Korean Logistics Workers' Union")
    expect(row).to_have_count(1)
    page.get_by_role("button", name="Invite 1 organization").click()
    page.wait_for_url(meeting_url)
    work_off()

    # Ji-woo, secretary in Busan, finds the invitation in the inbox and accepts, as delegate.
    switch_to(page, "jiwoo")
    page.goto("/inbox/klwu/")
    page.locator("main .inbox li a", has_text=TITLE).first.click()
    page.wait_for_url(meeting_url)
    # On her clock (Asia/Seoul), 09:00 in Lagos is 17:00.
    expect(page.locator("main")).to_contain_text("5 p.m. – ")
    expect(page.locator("main")).to_contain_text("(Asia/Seoul)")
    page.get_by_role("link", name="Answer the invitation").click()
    page.wait_for_url("**/answer/")
    page.get_by_label("We take part").check()
    page.get_by_role("group", name="Delegates").get_by_label("Park Ji-woo").check()
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_url(meeting_url)
    expect(page.get_by_role("status")).to_contain_text("Your organization takes part.")
    work_off()

    # Amara sees the answer in her inbox, and the delegate on the meeting.
    switch_to(page, "amara")
    page.goto("/inbox/ndpwu/")
    expect(page.locator("main .inbox")).to_contain_text("Korean Logistics Workers' Union")
    page.goto(meeting_url)
    expect(page.locator("main")).to_contain_text("Park Ji-woo")
