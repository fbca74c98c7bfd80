"""An appeal's whole journey in a real Chromium (Debian's), driven by Playwright, against a live
server with the demo network: issued in Lagos, routed to the unions at Meridian Freight's other
sites, answered from Busan, its aid confirmed, and resolved.

Skipped, with the reason, where Chromium is not installed.
"""

import re

import pytest
from playwright.sync_api import expect

from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.core.worker import run_pending_tasks
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Meridian Freight locks out 800 dockworkers at Apapa"


def switch_to(page, local: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, demo_email(local))


def work_off() -> None:
    while run_pending_tasks():
        pass


@pytest.mark.django_db(transaction=True)
def test_an_urgent_appeal_about_a_multinational_is_routed_answered_and_resolved(page):
    load_demo()
    work_off()

    # Amara, secretary of the Nigerian dockworkers, issues an urgent appeal about Meridian.
    sign_in(page, demo_email("amara"))
    page.goto("/appeals/new/")
    page.locator("main [name=title]").fill(TITLE)
    page.locator("main [name=text]").fill(
        "Meridian Freight locked out **800** dockworkers on Monday."
    )
    page.locator("main [name=language]").select_option("en")
    page.locator("main [name=situation]").select_option("lockout")
    page.locator("main [name=urgency]").select_option("1")
    page.locator("main [name=country]").select_option("NG")
    page.locator("main [name=place]").fill("Lagos")
    page.locator("main [name=employer]").select_option(label="Meridian Freight Group")
    page.locator("main [name=asks_sympathy]").check()
    page.locator("main [name=sympathy_target]").fill("Meridian Freight Group, chief executive")
    page.locator("main [name=sympathy_address]").fill("Maasvlakte 1, Rotterdam")
    page.locator("main [name=asks_material_aid]").check()
    page.locator("main [name=aid_goal_amount]").fill("5000")
    page.locator("main [name=aid_goal_currency]").fill("USD")
    page.get_by_role("button", name="Save and choose who receives it").click()
    page.wait_for_url("**/send/")

    # The preview lists the organizations at Meridian's other sites, each with its reasons.
    preview = page.locator("table.addressees")
    korea = preview.locator("tr", has_text="Korean Logistics Workers' Union")
    assert "organizes at Meridian Freight Group in South Korea" in korea.inner_text()
    for other in ["Gewerkschaft Transport und Logistik", "Inland Warehouse Workers United"]:
        assert preview.locator("tr", has_text=other).count() == 1
    page.get_by_role("button", name="Send to").click()
    page.wait_for_url("**/appeals/*/")
    appeal_url = page.url
    work_off()

    # Ji-woo, secretary in Busan, finds it at the top of the inbox and pledges.
    switch_to(page, "jiwoo")
    page.goto("/inbox/klwu/")
    page.locator("main .inbox li a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # One pledge, two forms: letters and money, ticked in the group of forms the appeal asks for.
    page.get_by_role("link", name="Pledge support").click()
    page.wait_for_url("**/pledge/")
    forms = page.get_by_role("group", name="Forms of support")
    expect(forms.get_by_role("checkbox")).to_have_count(2)  # not propaganda: it is not asked for
    forms.get_by_label("Sympathy: protest letters, messages, actions").check()
    forms.get_by_label("Material aid: money, goods").check()
    page.locator("main [name=description]").fill(
        "Protest letters from our Busan branch, and our strike fund."
    )
    page.locator("main [name=amount]").fill("500")
    page.locator("main [name=currency]").fill("USD")
    page.get_by_role("button", name="Pledge", exact=True).click()
    page.wait_for_url(appeal_url)
    pledge = page.locator("main .pledges li")
    assert pledge.count() == 1
    assert "Sympathy: protest letters, messages, actions; Material aid: money, goods" in (
        pledge.inner_text()
    )
    page.get_by_role("link", name="Declare aid sent").click()
    page.locator("main [name=reference]").fill("KLWU-2025-001")
    page.get_by_role("button", name="Declare sent").click()
    page.wait_for_url(appeal_url)

    # Amara confirms receipt of the aid and resolves the appeal with an outcome report.
    switch_to(page, "amara")
    page.goto(appeal_url)
    page.get_by_role("button", name="Confirm receipt").click()
    page.wait_for_url(appeal_url)
    assert "confirmed on" in page.locator("main").inner_text()
    page.get_by_role("link", name="Resolve").click()
    page.wait_for_url("**/resolve/")
    page.locator("main input[name=outcome][value=won]").check()
    page.locator("main [name=outcome_report]").fill("All 800 are back at work. Thank you, Busan!")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_url(appeal_url)
    assert page.get_by_role("heading", name="Outcome: Won").is_visible()
    page.get_by_role("link", name="Responses and aid").click()
    page.wait_for_url(re.compile(r"/appeals/\d+/.+"))
    expect(page.locator("main")).to_contain_text("500.00")
