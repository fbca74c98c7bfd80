"""The operator pages (Django's admin, at /operator/) under the platform's Content-Security-Policy,
in a real Chromium: the admin's scripts and styles are files of its own, so nothing is refused and
its scripts work (adding an inline row, selecting every row of a list).

Skipped, with the reason, where Chromium is not installed.
"""

import pytest
from playwright.sync_api import expect

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.accounts.tests.test_views_allauth import totp_code
from internationale.core.tests.test_browser_journeys import BROWSER, page
from internationale.organizations.tests.factories import EmployerFactory, OrganizationFactory

pytestmark = BROWSER
__all__ = ["page"]


@pytest.mark.django_db(transaction=True)
def test_the_operator_pages_work_under_the_content_security_policy(page):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    operator = UserFactory(
        email="oscar@operators.example", is_staff=True, is_superuser=True, two_factor=False
    )
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)
    organization = OrganizationFactory()
    employer = EmployerFactory()

    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(operator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/2fa/" not in url)

    for path in [
        "/operator/",
        "/operator/accounts/user/add/",
        f"/operator/organizations/organization/{organization.pk}/change/",
    ]:
        page.goto(path)
        page.wait_for_load_state()
        assert page.locator("#content").count() == 1, path

    # The list's "select all" box is the admin's actions.js at work.
    page.goto("/operator/organizations/organization/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()

    # "Add another" on an inline is its inlines.js.
    page.goto(f"/operator/organizations/employer/{employer.pk}/change/")
    rows = page.locator("tr.form-row.dynamic-sites")
    before = rows.count()
    page.locator("tr.add-row a").click()
    expect(rows).to_have_count(before + 1)

    assert refused == [], "the browser refused these under the Content-Security-Policy"
    assert errors == []
