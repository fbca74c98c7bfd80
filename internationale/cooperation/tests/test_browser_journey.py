"""A bilateral meeting's journey in a real Chromium (Debian's), driven by Playwright, against a
live server with the demo network: planned in Lagos, Busan invited by name, accepted from Busan
with its delegate and seen by each side on its own clock; then its agenda, its minutes approved
from Busan, an agreement with a task for each, Busan's done with evidence, Lagos's accountability
at 50 %, and Lagos told when its own task is overdue.

Skipped, with the reason, where Chromium is not installed.
"""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from internationale.appeals.tests.test_browser_journey import switch_to, work_off
from internationale.cooperation.models import Meeting
from internationale.cooperation.reminders import remind
from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Meridian's new crane contract in Lagos and Busan"


@pytest.mark.django_db(transaction=True)
def test_a_bilateral_meeting_is_planned_accepted_minuted_and_its_tasks_followed_to_done(page):
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

    # Amara sets the agenda: one item, introduced by Busan.
    page.get_by_role("link", name="Add an agenda item").click()
    page.wait_for_url("**/agenda/new/")
    page.locator("main [name=title]").fill("Crane automation")
    page.locator("main [name=rapporteur]").select_option(label="Korean Logistics Workers' Union")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("main")).to_contain_text("Crane automation")

    # The meeting is held: time moves past it.
    held = datetime.timedelta(days=21)
    Meeting.objects.filter(title=TITLE).update(
        start_at=F("start_at") - held, end_at=F("end_at") - held
    )
    day = (timezone.now() - datetime.timedelta(days=1)).date()

    # Amara records the minutes and submits them; Ji-woo approves them, and they are frozen.
    page.goto(meeting_url + "minutes/")
    page.get_by_role("link", name="Record the minutes").click()
    page.locator("main [name=text]").fill("Both terminals refuse **single-operator** cranes.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_url("**/minutes/")
    page.get_by_role("link", name="Submit for approval").click()
    page.locator("main [name=deadline]").fill(
        f"{timezone.now().date() + datetime.timedelta(days=7)}T12:00"
    )
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url("**/minutes/")
    switch_to(page, "jiwoo")
    page.goto(meeting_url + "minutes/")
    page.get_by_role("link", name="Approve the minutes").click()
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url("**/minutes/")
    expect(page.locator("main")).to_contain_text("The minutes are frozen")

    # Amara records their agreement: a task for each union.
    switch_to(page, "amara")
    page.goto(meeting_url)
    page.get_by_role("link", name="Record an agreement").click()
    page.locator("main [name=title]").fill("No single-operator cranes")
    page.locator("main [name=text]").fill("Neither union accepts single-operator cranes.")
    page.get_by_label("Nigerian Dock and Port Workers' Union").check()
    page.get_by_label("Korean Logistics Workers' Union").check()
    page.locator("main [name=adopted_on]").fill(day.isoformat())
    page.get_by_role("button", name="Record the agreement").click()
    page.wait_for_url("**/meetings/agreements/*/")
    agreement_url = page.url
    soon = timezone.now().date() + datetime.timedelta(days=5)
    for title, organization in (
        ("Brief the Apapa crane operators", "Nigerian Dock and Port Workers' Union"),
        ("Brief the Busan crane operators", "Korean Logistics Workers' Union"),
    ):
        page.get_by_role("link", name="Add a task").click()
        page.locator("main [name=title]").fill(title)
        page.locator("main [name=organization]").select_option(label=organization)
        page.locator("main [name=deadline]").fill(soon.isoformat())
        page.get_by_role("button", name="Add the task").click()
        page.wait_for_url(agreement_url)
    work_off()

    # Ji-woo marks Busan's task done, with what was done.
    switch_to(page, "jiwoo")
    page.goto(agreement_url)
    page.get_by_role("link", name="Brief the Busan crane operators").click()
    page.get_by_role("link", name="Mark it done").click()
    page.locator("main [name=evidence_text]").fill("All 60 operators briefed on 3 shifts.")
    page.get_by_role("button", name="The task is done").click()
    page.wait_for_url("**/meetings/tasks/*/")
    expect(page.locator("main")).to_contain_text("All 60 operators briefed")

    # Amara's accountability: half of the agreement's tasks done.
    switch_to(page, "amara")
    page.goto("/meetings/commitments/ndpwu/")
    expect(page.locator("main")).to_contain_text("50% done (1 of 2)")

    # Her own task's deadline passes: the periodic reminders tell Lagos it is overdue.
    remind(now=timezone.now() + datetime.timedelta(days=6))
    work_off()
    page.goto("/inbox/ndpwu/")
    expect(page.locator("main .inbox")).to_contain_text("Overdue since")
    expect(page.locator("main .inbox")).to_contain_text("Brief the Apapa crane operators")
