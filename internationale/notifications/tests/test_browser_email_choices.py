"""Choosing notice e-mails in a real Chromium (Debian's): from the settings page to one app's page
of choices, by the radio buttons' labels, as a screen reader user would.

Skipped, with the reason, where Chromium is not installed.
"""

import pytest
from playwright.sync_api import expect

from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.notifications.models import EmailPreference
from internationale.web.demo import DEMO_SIGN_INS, load_demo

pytestmark = BROWSER
__all__ = ["page"]


@pytest.mark.django_db(transaction=True)
def test_a_secretary_turns_off_the_e_mails_of_new_appeals_on_the_appeals_page(page):
    load_demo()
    secretary = next(s for s in DEMO_SIGN_INS if s.role == "secretary")
    sign_in(page, secretary.email)
    page.goto("/settings/")
    page.locator("#notice-emails").get_by_role("link", name="Appeals", exact=True).click()
    page.wait_for_url("**/settings/emails/kinds/appeals/")
    group = page.get_by_role("group", name="Appeals")
    group.get_by_label("A new appeal: never").check()
    page.get_by_role("button", name="Save my e-mail choices").click()
    expect(page.get_by_text("Your e-mail choices are saved.")).to_be_visible()
    assert page.get_by_label("A new appeal: never").is_checked()
    assert page.get_by_label("An answer to your appeal: at once").is_checked()
    chosen = EmailPreference.objects.filter(user__email=secretary.email)
    assert list(chosen.values_list("organization", "kind", "mode")) == [
        (None, "appeal.received", "off")
    ]
