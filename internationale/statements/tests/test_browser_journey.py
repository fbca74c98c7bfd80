"""A joint statement's journey in a real Chromium (Debian's), driven by Playwright, against a
live server with the demo network: Lagos drafts a statement in three paragraphs and invites Busan
and Tiruppur; Busan amends paragraph 2 and Lagos accepts it; Tiruppur blocks version 2 with a
reason; Lagos revises it into version 3; Busan agrees, Tiruppur stands aside, and the statement is
adopted with Lagos and Busan as signatories; Hamburg adds its signature; and the comparison of
versions 1 and 3 marks the words changed.

Each step goes through the pages, as the people would: links, forms, buttons, confirmations.
Skipped, with the reason, where Chromium is not installed.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from internationale.appeals.tests.test_browser_journey import switch_to, work_off
from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Reinstate the locked-out workers of Meridian Freight"
LAGOS = "Nigerian Dock and Port Workers' Union"
BUSAN = "Korean Logistics Workers' Union"
TIRUPPUR = "Tamil Nadu Garment Workers' Federation"
HAMBURG = "Gewerkschaft Transport und Logistik"

FIRST = "Dockworkers, garment workers and logistics workers stand together against lockouts."
SECOND = "We demand that Meridian Freight reinstate every locked-out worker within thirty days."
THIRD = "We call on every union to send a message of solidarity."
AMENDED = (
    "We demand that Meridian Freight reinstate every locked-out worker within seven days, "
    "with full back pay."
)
REVISED_SECOND = (
    "We demand that Meridian Freight reinstate every locked-out worker within fourteen days, "
    "with full back pay."
)
REVISED_THIRD = "We call on every union and federation to send a message of solidarity."


def _later(days: int) -> str:
    """A deadline as a datetime-local field takes it: days ahead, at noon."""
    return f"{(timezone.now() + datetime.timedelta(days=days)).date().isoformat()}T12:00"


def _state_position(page, organization: str, stance: str, text: str = "") -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name=f"Position of {organization}").click()
    page.wait_for_url("**/positions/**")
    page.get_by_label(stance, exact=True).check()
    if text:
        page.get_by_label("Reservations or reason").fill(text)
    page.get_by_role("button", name="Record the position").click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("The position is recorded.")


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_amended_blocked_revised_adopted_signed_and_its_versions_compared(page):
    load_demo()
    work_off()

    # Amara, secretary in Lagos, starts a statement in three paragraphs and invites Busan and
    # Tiruppur by their short names; the preview says why each is invited.
    sign_in(page, demo_email("amara"))
    page.locator("header").get_by_role("link", name="Statements", exact=True).click()
    page.get_by_role("link", name="Start a statement").click()
    page.wait_for_url("**/statements/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Drafting language").fill("en")
    page.locator("main [name=text]").fill("\n\n".join([FIRST, SECOND, THIRD]))
    page.get_by_label("Deadline for amendments").fill(_later(10))
    page.get_by_label("Deadline for positions").fill(_later(20))
    page.get_by_label("Add organizations by hand").fill("KLWU\nTNGWF")
    page.get_by_role("button", name="Preview who is invited").click()
    preview = page.locator("main table.addressees")
    expect(page.get_by_role("heading", name="Preview: 2 organizations")).to_be_visible()
    expect(preview).to_contain_text(BUSAN)
    expect(preview).to_contain_text(TIRUPPUR)
    page.get_by_role("button", name="Start the statement").click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    statement_url = page.url
    # The statement's page, or a part of it (a notice about positions links to them).
    on_statement = re.compile(re.escape(statement_url) + "(#.*)?$")
    expect(page.get_by_role("status")).to_contain_text("The statement is started.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main p.meta").first).to_contain_text("Drafting")
    expect(page.locator("main p.meta").first).to_contain_text("version 1")
    expect(page.locator("main ol.paragraphs > li")).to_have_count(3)
    participants = page.locator("main table.addressees")
    expect(participants).to_contain_text(BUSAN)
    expect(participants).to_contain_text(TIRUPPUR)
    work_off()

    # Ji-woo, secretary in Busan, finds the invitation in the inbox and amends paragraph 2.
    switch_to(page, "jiwoo")
    page.goto("/inbox/klwu/")
    page.locator("main .inbox li a", has_text=TITLE).first.click()
    page.wait_for_url(on_statement)
    page.get_by_role("link", name="Propose an amendment").click()
    page.wait_for_url("**/amendments/propose/")
    page.get_by_role("link", name="Amend paragraph 2").click()
    expect(page.get_by_label("Paragraph:", exact=True)).to_have_value("2")
    expect(page.get_by_label("Proposed text")).to_have_value(SECOND)
    expect(page.get_by_label("Replace the paragraph")).to_be_checked()
    page.get_by_label("Proposed text").fill(AMENDED)
    page.get_by_label("Reason:", exact=True).fill(
        "Thirty days of lockout is thirty days without wages."
    )
    page.get_by_role("button", name="Propose the amendment").click()
    page.wait_for_url("**/statements/amendments/*/")
    amendment_url = page.url
    expect(page.get_by_role("status")).to_contain_text("The amendment is proposed")
    expect(page.locator("main p.meta")).to_contain_text("version 1, paragraph 2")
    expect(page.locator("main p.meta")).to_contain_text("Open")
    work_off()

    # Amara accepts it from the statement's amendments, confirming: version 2 is made.
    switch_to(page, "amara")
    page.goto(statement_url)
    expect(page.locator("main")).to_contain_text("1 open amendment.")
    page.get_by_role("link", name="All amendments").click()
    page.locator("main").get_by_role("link", name=re.compile(r"^Amendment \d+$")).first.click()
    page.wait_for_url(amendment_url)
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Accept it: a new version is made with it").check()
    page.get_by_label("I have read the amendment and confirm this decision.").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(amendment_url)
    expect(page.get_by_role("status")).to_contain_text("Version 2 is made with the amendment.")
    expect(page.locator("main p.meta")).to_contain_text("Accepted")

    # She calls positions on version 2.
    page.goto(statement_url)
    expect(page.locator("main p.meta").first).to_contain_text("version 2")
    expect(page.locator("main ol.paragraphs > li").nth(1)).to_contain_text(AMENDED)
    page.get_by_role("link", name="Call positions").click()
    page.wait_for_url("**/positions/call/")
    expect(page.locator("main")).to_contain_text("state its position on version 2")
    page.get_by_role("button", name="Call positions").click()
    page.wait_for_url(on_statement)
    expect(page.get_by_role("status")).to_contain_text("Positions are called")
    expect(page.locator("main p.meta").first).to_contain_text("Positions called")
    work_off()

    # Priya, secretary in Tiruppur, blocks version 2, saying why.
    switch_to(page, "priya")
    page.goto("/inbox/tngwf/")
    page.locator("main .inbox li a", has_text=TITLE).first.click()
    page.wait_for_url(on_statement)
    expect(page.locator("main")).to_contain_text("Positions on version 2.")
    # Blocking without a reason is refused, and nothing is recorded.
    page.get_by_role("link", name=f"Position of {TIRUPPUR}").click()
    page.get_by_label("Block", exact=True).check()
    page.get_by_role("button", name="Record the position").click()
    expect(page.locator("main")).to_contain_text("say why")
    page.goto(statement_url)
    expect(page.locator("main")).to_contain_text("No participant has stated its position yet.")
    _state_position(
        page,
        TIRUPPUR,
        "Block",
        "Seven days is a deadline Meridian will simply ignore; name one the courts can enforce.",
    )
    positions = page.locator("main ul.positions")
    expect(positions).to_contain_text(f"{TIRUPPUR}: Block")
    expect(positions).to_contain_text("name one the courts can enforce")
    expect(page.locator("main")).to_contain_text("1 participant blocks.")
    work_off()

    # Amara revises the text into version 3: fourteen days, and federations called on too.
    switch_to(page, "amara")
    page.goto(statement_url)
    page.get_by_role("link", name="Revise the text").click()
    page.wait_for_url("**/revise/")
    expect(page.locator("main")).to_contain_text("you call positions on the new one")
    # Tiruppur's block, and its reason, are there to answer.
    blocks = page.get_by_role("region", name="Blocks on version 2")
    expect(blocks).to_contain_text(TIRUPPUR)
    expect(blocks).to_contain_text("name one the courts can enforce")
    expect(page.locator("main [name=text]")).to_have_value("\n\n".join([FIRST, AMENDED, THIRD]))
    page.locator("main [name=text]").fill("\n\n".join([FIRST, REVISED_SECOND, REVISED_THIRD]))
    page.get_by_label("What changed, and why").fill("Fourteen days, as Tiruppur asked.")
    page.get_by_role("button", name="Make the new version").click()
    page.wait_for_url(on_statement)
    expect(page.get_by_role("status")).to_contain_text("Version 3 is made")
    expect(page.get_by_role("status")).to_contain_text(
        "Call positions on version 3 when it is ready."
    )
    expect(page.locator("main p.meta").first).to_contain_text("Drafting")
    expect(page.locator("main p.meta").first).to_contain_text("version 3")

    # She calls positions on version 3 and agrees for Lagos.
    page.get_by_role("link", name="Call positions").click()
    expect(page.locator("main")).to_contain_text("state its position on version 3")
    page.get_by_role("button", name="Call positions").click()
    page.wait_for_url(on_statement)
    expect(page.get_by_role("status")).to_contain_text("Positions are called")
    expect(page.locator("main")).to_contain_text("Positions on version 3.")
    _state_position(page, LAGOS, "Agree")
    work_off()

    # Ji-woo agrees for Busan.
    switch_to(page, "jiwoo")
    page.goto(statement_url)
    _state_position(page, BUSAN, "Agree")
    expect(page.locator("main p.meta").first).to_contain_text("Positions called")

    # Priya stands aside for Tiruppur: every participant has answered, nobody blocks, two agree:
    # the statement is adopted, Lagos and Busan its signatories, by country.
    switch_to(page, "priya")
    page.goto(statement_url)
    _state_position(page, TIRUPPUR, "Stand aside")
    expect(page.get_by_role("status")).to_contain_text("the statement is adopted.")
    expect(page.locator("main p.meta").first).to_contain_text("Adopted")
    signatories = page.locator("main section[aria-labelledby=signatures-heading]")
    expect(signatories.locator("ul.signatories > li")).to_have_count(2)
    expect(signatories.locator("h3")).to_have_text(["Nigeria", "South Korea"])
    expect(signatories).to_contain_text(LAGOS)
    expect(signatories).to_contain_text(BUSAN)
    expect(signatories).not_to_contain_text(TIRUPPUR)
    expect(page.get_by_role("link", name="Propose an amendment")).to_have_count(0)
    work_off()

    # Sabine, secretary in Hamburg, finds it among the adopted statements and adds her union's
    # signature.
    switch_to(page, "sabine")
    page.locator("header").get_by_role("link", name="Adopted statements").click()
    page.locator("main").get_by_role("link", name=TITLE).click()
    page.wait_for_url(on_statement)
    page.get_by_role("link", name="Add our signature").click()
    page.wait_for_url("**/signatures/add/")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url(on_statement)
    expect(page.get_by_role("status")).to_contain_text("Your signature is added")
    expect(signatories.locator("ul.signatories > li")).to_have_count(3)
    expect(signatories.locator("h3")).to_have_text(["Germany", "Nigeria", "South Korea"])
    expect(signatories.locator("li", has_text=HAMBURG)).to_contain_text("signed after adoption")
    expect(page.get_by_role("link", name="Add our signature")).to_have_count(0)
    work_off()

    # Amara compares versions 1 and 3: the words changed are marked.
    switch_to(page, "amara")
    page.goto(statement_url)
    page.get_by_role("link", name="Compare versions").click()
    page.wait_for_url("**/compare/**")
    page.get_by_label("From version").select_option("1")
    page.get_by_label("To version").select_option("3")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**/compare/?from=1&to=3")
    paragraphs = page.locator("main ol.diff > li")
    expect(paragraphs).to_have_count(3)
    expect(paragraphs.nth(0).locator("ins, del")).to_have_count(0)
    expect(paragraphs.nth(1).locator("del")).to_have_text(["thirty"])
    expect(paragraphs.nth(1).locator("ins")).to_have_text(["fourteen", ", with full back pay"])
    expect(paragraphs.nth(2).locator("del")).to_have_count(0)
    expect(paragraphs.nth(2).locator("ins")).to_have_text(["and federation"])
