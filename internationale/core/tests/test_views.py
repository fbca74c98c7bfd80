"""The layout every page shares, the home page and the dashboard, and the weight of pages."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

from internationale.notifications.tests.notices import notify

pytestmark = pytest.mark.django_db

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def test_every_page_has_a_skip_link_main_navigation_and_a_language_switcher(client_for):
    page = client_for(None).get("/").content.decode()
    assert page.index('<a class="skip" href="#main">') < page.index('<main id="main"')
    assert '<nav aria-label="Main">' in page
    assert '<form method="post" action="/settings/language/" class="language">' in page
    assert '<label for="language-select" class="visually-hidden">Language</label>' in page
    assert '<option value="ar" lang="ar">العربيّة</option>' in page


def test_the_footer_links_to_the_api_documentation(client_for):
    page = client_for(None).get("/").content.decode()
    footer = page[page.index('<footer class="site">') :]
    assert 'href="/api/v1/docs"' in footer


def test_the_page_title_names_the_page_and_the_site(client_for):
    page = client_for(None).get("/").content.decode()
    assert re.search(r"<title>Welcome · Internationale</title>", page)


def test_an_anonymous_visitor_is_offered_sign_in_and_sign_up(client_for):
    page = client_for(None).get("/").content.decode()
    assert 'href="/accounts/login/"' in page and 'href="/accounts/signup/"' in page
    assert 'href="/settings/"' not in page


def test_a_signed_in_person_gets_dashboard_settings_and_sign_out(client_for, mo):
    page = client_for(mo).get("/").content.decode()
    assert 'href="/dashboard/"' in page and 'href="/settings/"' in page
    assert 'action="/accounts/logout/"' in page
    assert 'href="/operator/"' not in page


def test_operators_get_a_link_to_the_operator_pages(client_for, oscar):
    assert 'href="/operator/"' in client_for(oscar).get("/").content.decode()


def test_the_dashboard_lists_a_persons_organizations_with_unread_counts(
    client_for, mo, owner_org, other_org
):
    notify(owner_org, title="One")
    notify(owner_org, title="Two")
    notify(other_org, title="Not mine")
    page = client_for(mo).get("/dashboard/").content.decode()
    assert "Metalworkers of São Paulo" in page
    assert "Korean Dockworkers" not in page
    assert '<a href="/inbox/metal-sp/">2 unread</a>' in page


def test_the_dashboard_of_a_person_without_organization_explains_what_to_do(client_for, nell):
    page = client_for(nell).get("/dashboard/").content.decode()
    assert 'class="empty"' in page
    assert 'href="/organizations/new/"' in page


def test_the_dashboard_asks_anonymous_visitors_to_sign_in(client_for):
    response = client_for(None).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_stylesheet_is_light_and_self_contained():
    css = STYLESHEET.read_text()
    # What a phone downloads: whitenoise serves it compressed (gzip here; brotli is smaller).
    assert len(gzip.compress(css.encode(), compresslevel=9)) < 6 * 1024
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert "system-ui" in css
    # Right-to-left pages work because the layout uses logical properties only.
    assert not re.search(r"(margin|padding|border)-(left|right)\b|text-align:\s*(left|right)", css)
    for selector in (".visually-hidden", ".skip", ":focus-visible", ".errorlist", ".pagination"):
        assert selector in css


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/dashboard/",
        "/settings/",
        # The largest app's notice e-mails, and the organizations'.
        "/settings/emails/kinds/meetings-and-cooperation/",
        "/settings/emails/organizations/",
        "/inbox/metal-sp/",
        "/accounts/login/",
    ],
)
def test_pages_stay_light(client_for, ana, owner_org, url):
    for n in range(settings.INTERNATIONALE_PAGE_SIZE):
        notify(
            owner_org,
            title=f"An appeal for solidarity number {n}",
            summary="Workers at the port are on strike and ask for messages of support. " * 3,
        )
    page = client_for(ana).get(url).content
    css = STYLESHEET.read_bytes()
    # The settings page links to a page of notice e-mails per app instead of holding every
    # kind of notice of every app (86 KB with the stylesheet when it did): each page stays light
    # however many apps and kinds come.
    assert len(page) + len(css) < 60 * 1024
