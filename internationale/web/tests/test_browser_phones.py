"""The main pages on a phone, in a real Chromium (Debian's), driven by Playwright: nothing scrolls
sideways at 360 px, the narrowest screen in common use.

Skipped, with the reason, where Chromium is not installed.
"""

import re

import pytest

from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

PHONE = {"width": 360, "height": 740}


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.django_db(transaction=True)
def test_an_admin_reads_the_main_pages_on_a_phone_without_scrolling_sideways(page):
    load_demo()
    page.set_viewport_size(PHONE)
    sign_in(page, demo_email("ana"))

    page.goto("/appeals/")
    page.locator("main a.entry-title").first.click()
    page.wait_for_url(re.compile(r"/appeals/\d+/$"))
    appeal = page.url

    paths = [
        "/",
        "/organizations/",
        "/organizations/sintlog/",
        "/organizations/sintlog/members/",
        "/organizations/sintlog/relations/",
        "/appeals/",
        appeal,
        "/inbox/sintlog/",
        "/dashboard/",
        "/settings/",
        "/settings/emails/kinds/meetings-and-cooperation/",
        "/settings/emails/organizations/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(path)
        page.wait_for_load_state()
        if overflow(page) > 0:
            too_wide[path] = overflow(page)
    assert too_wide == {}, "these pages scroll sideways at 360 px (pixels too wide)"
