"""A campaign's journey in a real Chromium (Debian's), driven by Playwright, against a live server
with the demo network: the Rustenburg miners' union launches a campaign from its appeal, the
Federación Minera del Norte co-sponsors it, a member of the public signs it in Spanish, confirms
from the e-mail and appears in the count.

Skipped, with the reason, where Chromium is not installed.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from internationale.appeals.demo import APPEAL_TITLES
from internationale.appeals.models import Appeal
from internationale.appeals.tests.test_browser_journey import switch_to, work_off
from internationale.campaigns.counting import count_all
from internationale.core.tests.test_browser_journeys import BROWSER, page, sign_in
from internationale.web.demo import demo_email, load_demo

pytestmark = BROWSER
__all__ = ["page"]

TITLE = "Release the shop stewards now"


@pytest.mark.django_db(transaction=True)
def test_a_campaign_is_launched_from_an_appeal_co_sponsored_signed_and_counted(page):
    load_demo()
    work_off()
    appeal = Appeal.objects.get(title=APPEAL_TITLES["rustenburg"])
    today = timezone.localtime()

    # Sipho, secretary of the miners' union, starts a campaign from its appeal: the target of
    # its protest letters is already there.
    sign_in(page, demo_email("sipho"))
    page.goto(f"/campaigns/new/?appeal={appeal.pk}")
    expect(page.locator("main [name='targets-0-name']")).to_have_value("Minister of Police")
    page.locator("main [name=title]").fill(TITLE)
    page.locator("main [name=starts_at]").fill(today.strftime("%Y-%m-%dT%H:%M"))
    page.locator("main [name=ends_at]").fill(
        (today + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("main [name=goal]").fill("5000")
    page.get_by_role("button", name="Prepare the campaign").click()
    page.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    campaign_url = page.url
    expect(page.locator("main")).to_contain_text("This campaign is a draft")

    # He invites the Chilean miners' federation to co-sponsor it.
    page.get_by_role("link", name="Invite co-sponsors").click()
    page.wait_for_url("**/sponsors/invite/")
    page.locator("main textarea[name=add]").fill("FEMINOR")
    page.get_by_role("button", name="Preview who is invited").click()
    row = page.locator("table.addressees tr", has_text="Federación Minera del Norte")
    expect(row).to_have_count(1)
    page.get_by_role("button", name=re.compile(r"Invite \d+ organization")).click()
    page.wait_for_url(campaign_url)
    work_off()

    # Diego, secretary of the federation, finds the invitation in its inbox and accepts.
    switch_to(page, "diego")
    page.goto("/inbox/feminor/")
    page.locator("main .inbox li a", has_text=TITLE).first.click()
    page.wait_for_url(campaign_url)
    # Diego reads the site in Spanish: the link, the choice and the button by their place,
    # whatever their words.
    page.locator("main a[href$='/sponsors/answer/']").click()
    page.locator("main input[name=answer][value=accept]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(campaign_url)
    expect(page.get_by_role("status").first).to_contain_text("copatrocina la campaña")
    work_off()

    # Sipho launches it, after confirming.
    switch_to(page, "sipho")
    page.goto(campaign_url)
    page.get_by_role("link", name="Launch it").click()
    page.get_by_role("button", name="Yes, launch it").click()
    page.wait_for_url(campaign_url)
    work_off()

    # Lucía, in Seville, reads it in Spanish without an account and signs it, agreeing to be
    # contacted by the federation only.
    page.context.clear_cookies()
    page.goto(campaign_url)
    page.locator("#language-select").select_option("es")
    page.locator("form.language button[type=submit]").click()
    page.wait_for_url(campaign_url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    form = page.locator("main form[action$='/sign/']")
    form.locator("[name=first_name]").fill("Lucía")
    form.locator("[name=last_name]").fill("Fernández")
    form.locator("[name=email]").fill("lucia@correo.example")
    form.locator("[name=country]").select_option("ES")
    form.locator("[name=city]").fill("Sevilla")
    expect(form.locator("[name=language]")).to_have_value("es")
    form.locator("[name=show_publicly]").check()
    boxes = form.locator("[name=consents]")
    expect(boxes).to_have_count(2)
    for i in range(2):
        expect(boxes.nth(i)).not_to_be_checked()
    form.get_by_label("Federación Minera del Norte").check()
    # A person takes a few seconds over the form: the screening drops one sent sooner.
    page.wait_for_timeout(3000)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/signed/")
    work_off()

    # The confirmation arrives in her language; the link confirms once.
    (message,) = [m for m in mail.outbox if m.to == ["lucia@correo.example"]]
    link = re.search(r"https?://\S+/campaigns/confirm/\S+/", message.body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("status").first).to_be_visible()

    # The counting task's next batch: she is in the count, by first name and country.
    count_all()
    page.goto(campaign_url)
    main = page.locator("main")
    expect(main).to_contain_text("Lucía")
    expect(main).to_contain_text("España")
    expect(main).not_to_contain_text("Fernández")
    expect(page.locator("main .big-number")).to_contain_text("1")
