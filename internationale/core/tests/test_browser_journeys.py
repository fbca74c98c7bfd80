"""Journeys in a real Chromium (Debian's), driven by Playwright, against a live server.

Skipped, with the reason, where Chromium is not installed; `.ci/run` installs it.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from internationale.web.demo import DEMO_PASSWORD, DEMO_SIGN_INS, load_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Every browser test module's marks: `pytestmark = BROWSER`.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]
pytestmark = BROWSER

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        expect.set_options(timeout=15_000)
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


@pytest.mark.django_db(transaction=True)
def test_a_secretary_reads_the_platform_in_arabic_browses_the_directory_and_opens_the_inbox(page):
    load_demo()
    secretary = next(s for s in DEMO_SIGN_INS if s.role == "secretary")
    sign_in(page, secretary.email)
    assert page.get_by_role("heading", name="Your organizations", exact=True).is_visible()

    # Switch the interface to Arabic: the whole page turns right-to-left.
    page.get_by_label("Language").select_option("ar")
    page.locator("form.language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    nav_box = page.locator("header.site nav a.brand").bounding_box()
    viewport = page.viewport_size
    assert nav_box is not None and viewport is not None
    assert nav_box["x"] > viewport["width"] / 2, "in RTL the brand sits on the right"

    # Browse the directory with a filter: organizations in Nigeria.
    page.goto("/organizations/?country=NG")
    cards = page.locator("main").get_by_role("link", name=secretary.organization)
    assert cards.count() >= 1
    assert page.locator("main").get_by_text("Korean Logistics Workers' Union").count() == 0

    # Open the organization, then its inbox.
    cards.first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("^" + re.escape(secretary.organization)))
    page.goto("/dashboard/")
    page.locator("main table a[href^='/inbox/']").first.click()
    page.wait_for_url("**/inbox/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    entries = page.locator("main .inbox li, main table tbody tr")
    assert entries.count() >= 1
