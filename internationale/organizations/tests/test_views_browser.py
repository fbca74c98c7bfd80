"""The directory's progressive enhancement in a real Chromium: filters update the results in place
and the address bar, so the filtered page can be shared and reloaded without JavaScript."""

import os
import shutil

import pytest

from internationale.organizations.tests.factories import OrganizationFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture
def page(live_server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_choosing_a_country_updates_the_results_and_the_address_in_place(page):  # type: ignore[no-untyped-def]
    OrganizationFactory(name="Lagos Dockworkers", country="NG")
    OrganizationFactory(name="Busan Dockworkers", country="KR")
    page.goto("/organizations/")
    page.evaluate("window.notReloaded = true")
    results = page.locator("#results")
    assert results.get_by_text("Busan Dockworkers").is_visible()

    page.get_by_label("Country").select_option("NG")
    page.wait_for_url("**/organizations/?*country=NG*")
    results.get_by_text("1 organization").wait_for()
    assert results.get_by_text("Lagos Dockworkers").is_visible()
    assert results.get_by_text("Busan Dockworkers").count() == 0
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no full page load
    assert page.locator("h1").count() == 1

    page.reload()
    assert page.locator("#results").get_by_text("Busan Dockworkers").count() == 0
