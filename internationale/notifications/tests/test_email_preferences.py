"""Each person chooses, from their settings page, how notices reach them by e-mail: at once, in a
daily digest, or never; for everything at once on the settings page, for each kind of notice in
all their organizations on the page of its app, and for each organization they speak for on the
page of their organizations; the most precise choice deciding."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.core.notices import registered_kinds
from internationale.notifications.email_groups import kind_groups
from internationale.notifications.models import EmailNotification, EmailPreference, InboxEntry
from internationale.notifications.services import email_preference_set
from internationale.notifications.tasks import digests_send, send_digests
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import OrganizationFactory

from .mail_backends import SlowMailServer
from .notices import notify

UNREACHABLE = "internationale.notifications.tests.mail_backends.UnreachableMailServer"
SLOW = "internationale.notifications.tests.mail_backends.SlowMailServer"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"[^>]*?( checked)?>')
ORGANIZATIONS = "/settings/emails/organizations/"


def kinds_page(kind: str) -> str:
    """The page of e-mail choices that holds this kind: its app's."""
    [group] = [group for group in kind_groups() if kind in group.kinds]
    return f"/settings/emails/kinds/{group.slug}/"


def checked(page: str) -> dict[str, str]:
    """What the e-mail choices on a page show as chosen, by field."""
    return {name: value for name, value, on in RADIO.findall(page) if on}


def choose(client, **changes: str):  # type: ignore[no-untyped-def]
    """Change some choices on the pages of e-mail choices and save each, as a person does in the
    browser: the other choices of a page are sent as it shows them. Keys: the kind (its dots as
    "__") or the organization's id. Without changes, the page of appeals saved as it is."""
    pages: dict[str, dict[str, str]] = {}
    for key, mode in changes.items():
        key = key.replace("__", ".")
        if key.isdigit():
            pages.setdefault(ORGANIZATIONS, {})[f"organization_{key}"] = mode
        else:
            pages.setdefault(kinds_page(key), {})[f"kind_{key}"] = mode
    response = None
    for path, fields in (pages or {kinds_page("appeal.received"): {}}).items():
        form = checked(client.get(path).content.decode()) | fields
        response = client.post(path, form, follow=True)
    return response


def e_mailed() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_the_settings_page_leads_to_a_page_of_e_mails_per_app_and_one_for_organizations(
    client_for, owner_org, sam
):
    page = client_for(sam).get("/settings/").content.decode()
    assert page.count('action="/email/preferences/"') == 1  # the same for everything
    for group in kind_groups():
        assert f'<a href="/settings/emails/kinds/{group.slug}/">{group.label}</a>' in page
    assert 'href="/settings/emails/kinds/appeals/">Appeals</a> <span class="help">5 kinds' in page
    assert f'href="{ORGANIZATIONS}"' in page
    # The choices themselves are on those pages, not on this one.
    assert not RADIO.findall(page)


def test_an_apps_page_offers_its_kinds_under_its_heading_and_nothing_else(
    client_for, owner_org, sam
):
    page = client_for(sam).get("/settings/emails/kinds/appeals/").content.decode()
    assert "<h1>Notice e-mails: Appeals</h1>" in page
    assert '<fieldset class="group" aria-describedby="kinds-help">' in page
    assert "<legend>Appeals</legend>" in page
    assert '<p class="help" id="kinds-help">For all your organizations.' in page
    # Each choice is named for whoever cannot see the table's headings.
    assert "A new appeal: in a daily digest" in page
    assert "Receipt of your aid was confirmed" not in page
    # Nothing chosen yet: every kind at once.
    assert checked(page) == {
        f"kind_{kind}": "now"
        for kind in (
            "appeal.received",
            "appeal.update",
            "appeal.resolved",
            "appeal.escalated",
            "appeal.response",
        )
    }
    aid = client_for(sam).get("/settings/emails/kinds/material-aid/").content.decode()
    assert "<legend>Material aid</legend>" in aid
    assert "Receipt of your aid was confirmed: never" in aid


def test_the_pages_of_e_mail_choices_show_settings_as_the_current_part_of_the_account(
    client_for, owner_org, sam
):
    for path in ("/settings/emails/kinds/appeals/", ORGANIZATIONS):
        page = client_for(sam).get(path).content.decode()
        assert '<a href="/settings/" aria-current="true">Settings</a>' in page
        assert 'aria-current="page"' not in page.split('class="subnav"')[1].split("</nav>")[0]
    settings_page = client_for(sam).get("/settings/").content.decode()
    assert '<a href="/settings/" aria-current="page">Settings</a>' in settings_page


def test_every_kind_of_notice_can_be_chosen_on_exactly_one_page(client_for, owner_org, sam):
    client = client_for(sam)
    offered: list[str] = []
    for group in kind_groups():
        page = client.get(f"/settings/emails/kinds/{group.slug}/").content.decode()
        offered += sorted(set(checked(page)))
    assert sorted(offered) == sorted(f"kind_{kind}" for kind in registered_kinds())


def test_the_organizations_page_offers_each_organization_one_speaks_for(
    client_for, owner_org, other_org, sam
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    page = client_for(sam).get(ORGANIZATIONS).content.decode()
    assert "<legend>Your organizations</legend>" in page
    assert "Korean Dockworkers: as chosen by kind" in page
    shown = checked(page)
    assert shown == {
        f"organization_{owner_org.pk}": "kinds",
        f"organization_{other_org.pk}": "kinds",
    }


def test_a_page_of_e_mails_for_no_part_of_the_platform_is_not_found(client_for, sam):
    assert client_for(sam).get("/settings/emails/kinds/nothing-like-it/").status_code == 404


def test_whoever_speaks_for_no_organization_is_told_they_receive_no_e_mails(client_for, mo):
    for path in ("/settings/", "/settings/emails/kinds/appeals/", ORGANIZATIONS):
        page = client_for(mo).get(path).content.decode()
        assert "You are neither in any organization, so you receive none." in page
        assert 'action="/email/preferences/"' not in page and "Save my e-mail choices" not in page


def test_the_kinds_are_named_in_the_persons_language(client_for, owner_org, sam):
    sam.language = "es"
    sam.save()
    page = client_for(sam).get("/settings/").content.decode()
    assert '<a href="/settings/emails/kinds/appeals/">Llamamientos</a>' in page
    page = client_for(sam).get("/settings/emails/kinds/appeals/").content.decode()
    assert "<legend>Llamamientos</legend>" in page
    assert "Un nuevo llamamiento: de inmediato" in page


def test_a_kind_set_to_never_sends_no_e_mail_of_that_kind_while_another_comes_at_once(
    client_for, owner_org, sam, run_tasks
):
    response = choose(client_for(sam), appeal__update="off")
    assert "Your e-mail choices are saved." in response.content.decode()
    assert checked(response.content.decode())["kind_appeal.update"] == "off"
    notify(owner_org, title="Port strike", kind="appeal.update", at_once=False)
    notify(owner_org, title="Port strike", at_once=False)
    run_tasks()
    assert e_mailed() == [("sam@metal.example", "[Metalworkers of São Paulo] Port strike")]


def test_a_kind_set_to_digest_waits_for_the_digest_while_another_comes_at_once(
    client_for, owner_org, sam, run_tasks
):
    choose(client_for(sam), appeal__update="digest")
    notify(owner_org, title="Port strike", kind="appeal.update", at_once=False)
    notify(owner_org, title="Port strike", at_once=False)
    run_tasks()
    assert e_mailed() == [("sam@metal.example", "[Metalworkers of São Paulo] Port strike")]
    mail.outbox.clear()
    send_digests.enqueue()
    run_tasks()
    [digest] = mail.outbox
    assert "[Metalworkers of São Paulo] Update: Port strike" in digest.body
    assert "[Metalworkers of São Paulo] Port strike\n" not in digest.body


def test_an_organizations_own_choice_wins_over_the_kinds_until_it_is_taken_back(
    client_for, owner_org, other_org, sam, run_tasks
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    client = client_for(sam)
    choose(client, appeal__received="off", **{str(other_org.pk): "now"})
    notify(owner_org, other_org, title="Port strike", at_once=False)
    run_tasks()
    assert e_mailed() == [("sam@metal.example", "[Korean Dockworkers] Port strike")]
    mail.outbox.clear()
    choose(client, **{str(other_org.pk): "kinds"})
    assert not EmailPreference.objects.filter(organization=other_org).exists()
    notify(owner_org, other_org, title="Dock strike", at_once=False)
    run_tasks()
    assert e_mailed() == []


def test_the_most_precise_choice_decides(owner_org, other_org, sam, run_tasks):
    """Of one organization and kind, then of the organization, then of the kind, then of all."""
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    for organization, kind, mode in [
        (None, "", "off"),
        (None, "appeal.received", "now"),
        (other_org, "", "off"),
        (other_org, "appeal.received", "digest"),
    ]:
        email_preference_set(actor=sam, organization=organization, kind=kind, mode=mode)
    notify(owner_org, other_org, title="Port strike", at_once=False)
    notify(owner_org, other_org, title="Port strike", kind="appeal.update", at_once=False)
    run_tasks()
    # A new appeal: at once from the first (its kind), to the digest from the other (its own).
    assert e_mailed() == [("sam@metal.example", "[Metalworkers of São Paulo] Port strike")]
    assert list(
        EmailNotification.objects.filter(user=sam, digest=True).values_list("subject", flat=True)
    ) == ["Port strike"]


def test_the_same_for_everything_replaces_every_other_choice(
    client_for, owner_org, other_org, sam, run_tasks
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    client = client_for(sam)
    choose(client, appeal__received="off", **{str(other_org.pk): "now"})
    response = client.post("/email/preferences/", {"everything": "digest"}, follow=True)
    page = response.content.decode()
    assert "Saved: every notice now comes by e-mail in your daily digest." in page
    assert list(EmailPreference.objects.values_list("organization", "kind", "mode")) == [
        (None, "", "digest")
    ]
    assert '<option value="digest" selected>' in page
    # The pages show what applies now: every kind in the digest.
    shown = {}
    for path in (kinds_page("appeal.received"), kinds_page("notice"), ORGANIZATIONS):
        shown |= checked(client.get(path).content.decode())
    assert shown["kind_appeal.received"] == shown["kind_notice"] == "digest"
    assert shown[f"organization_{other_org.pk}"] == "kinds"
    notify(owner_org, other_org, at_once=False)
    run_tasks()
    assert e_mailed() == []


def test_saving_the_choices_as_they_are_records_nothing(client_for, owner_org, sam):
    response = choose(client_for(sam))
    assert "Nothing to save" in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_never_stops_the_e_mails_of_that_organization_only(
    client_for, owner_org, other_org, sam, kim, run_tasks
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    response = choose(client_for(sam), **{str(owner_org.pk): "off"})
    assert response.status_code == 200
    notify(owner_org, other_org, at_once=False)
    run_tasks()
    assert sorted((m.to[0], m.subject.split("]")[0]) for m in mail.outbox) == [
        ("kim@docks.example", "[Korean Dockworkers"),
        ("sam@metal.example", "[Korean Dockworkers"),
    ]
    assert checked(response.content.decode())[f"organization_{owner_org.pk}"] == "off"


def test_digest_keeps_the_e_mail_for_the_digest_and_sends_nothing_now(
    client_for, owner_org, sam, ana, run_tasks
):
    choose(client_for(sam), **{str(owner_org.pk): "digest"})
    notify(owner_org, at_once=False)
    run_tasks()
    assert [m.to for m in mail.outbox] == [["ana@metal.example"]]
    row = EmailNotification.objects.get(user=sam)
    assert (row.digest, row.sent_at) == (True, None)


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("/settings/emails/kinds/appeals/", {"kind_appeal.received": "hourly"}),
        ("/settings/emails/kinds/appeals/", {"kind_appeal.received": None}),  # missing
        ("/settings/emails/kinds/appeals/", {"kind_aid.confirmed": "off"}),  # another app's
        ("/settings/emails/kinds/appeals/", {"organization_{own}": "off"}),  # not this page's
        (ORGANIZATIONS, {"organization_{other}": "off"}),  # not one of the person's
        (ORGANIZATIONS, {"organization_{own}": ""}),
        (ORGANIZATIONS, {"organization_{own}": None}),
        (ORGANIZATIONS, {"kind_appeal.received": "off"}),  # not this page's
    ],
)
def test_a_choice_that_does_not_exist_or_is_missing_or_not_ones_own_changes_nothing(
    client_for, owner_org, other_org, sam, path, change
):
    client = client_for(sam)
    form = checked(client.get(path).content.decode())
    # A valid change beside the bad one is not saved either.
    if path == ORGANIZATIONS:
        form[f"organization_{owner_org.pk}"] = "digest"
    else:
        form["kind_appeal.update"] = "off"
    for name, value in change.items():
        name = name.format(own=owner_org.pk, other=other_org.pk)
        if value is None:
            del form[name]
        else:
            form[name] = value
    page = client.post(path, form, follow=True).content.decode()
    assert "Choose how to receive the e-mails of each kind and each organization." in page
    assert not EmailPreference.objects.exists()


@pytest.mark.parametrize(
    "data", [{"everything": "hourly"}, {"everything": ""}, {"kind_appeal.received": "off"}]
)
def test_the_same_for_everything_with_no_such_choice_changes_nothing(
    client_for, owner_org, sam, data
):
    email_preference_set(actor=sam, organization=owner_org, mode="off")
    page = client_for(sam).post("/email/preferences/", data, follow=True).content.decode()
    assert "Choose how to receive every notice e-mail." in page
    assert list(EmailPreference.objects.values_list("organization", "mode")) == [
        (owner_org.pk, "off")
    ]


def test_an_organizations_choice_for_one_kind_is_shown_beside_it(client_for, owner_org, sam):
    email_preference_set(actor=sam, organization=owner_org, kind="appeal.update", mode="off")
    page = client_for(sam).get(ORGANIZATIONS).content.decode()
    assert "Except: An update to an appeal you answered: never" in page


def test_taking_back_a_choice_lets_the_more_general_one_decide(owner_org, sam):
    email_preference_set(actor=sam, organization=None, mode="digest")
    email_preference_set(actor=sam, organization=owner_org, mode="off")
    email_preference_set(actor=sam, organization=owner_org, kind="appeal.update", mode="now")
    email_preference_set(actor=sam, organization=owner_org, mode="")
    assert sorted(EmailPreference.objects.values_list("kind", "mode")) == [
        ("", "digest"),
        ("appeal.update", "now"),
    ]


def test_choosing_for_an_organization_replaces_the_choices_of_its_kinds(owner_org, sam):
    from internationale.notifications.services import email_preference_set

    email_preference_set(actor=sam, organization=owner_org, kind="appeal.received", mode="now")
    email_preference_set(actor=sam, organization=owner_org, mode="off")
    assert list(EmailPreference.objects.values_list("kind", "mode")) == [("", "off")]


# The daily digest ----------------------------------------------------------------------------


def choose_digest(sam, owner_org):  # type: ignore[no-untyped-def]
    from internationale.notifications.services import email_preference_set

    email_preference_set(actor=sam, organization=None, mode="digest")


def test_the_digest_lists_the_days_entries_in_one_e_mail_once_a_day(
    owner_org, other_org, sam, run_tasks, settings
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    choose_digest(sam, owner_org)
    sam.language = "es"
    sam.save()
    notify(owner_org, title="First", at_once=False)
    notify(owner_org, other_org, title="Second", at_once=False)
    secret = notify(other_org, visibility="network", title="Secret plans", at_once=False)
    run_tasks()
    assert [m for m in mail.outbox if m.to == ["sam@metal.example"]] == []
    mail.outbox.clear()

    send_digests.enqueue()
    send_digests.enqueue()  # a second run the same day sends nothing
    run_tasks()
    [digest] = mail.outbox
    assert digest.to == ["sam@metal.example"]
    assert digest.message()["Auto-Submitted"] == "auto-generated"
    assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for title in ("First", "Second"):
        assert f"[Metalworkers of São Paulo] {title}" in digest.body
    assert "[Korean Dockworkers] Second" in digest.body
    # A confidential entry by its label only, in the person's language.
    assert "Secret plans" not in digest.body + str(digest.alternatives[0][0])
    assert "[Korean Dockworkers] Un nuevo llamamiento" in digest.body
    assert f"{settings.SITE_URL}{secret.source.get_absolute_url()}" in digest.body
    assert not EmailNotification.objects.filter(sent_at__isnull=True).exists()

    mail.outbox.clear()
    send_digests.enqueue()
    run_tasks()
    assert mail.outbox == []


def test_no_digest_is_sent_to_whom_nothing_came(owner_org, sam, ana, run_tasks):
    choose_digest(sam, owner_org)
    send_digests.enqueue()
    run_tasks()
    assert mail.outbox == []


def kept_since(when: datetime.datetime) -> None:
    """Make the entries kept for the digest, and their e-mail rows, as old as `when`."""
    rows = EmailNotification.objects.filter(digest=True)
    keys = [int(key.removeprefix("inbox:")) for key in rows.values_list("event_key", flat=True)]
    InboxEntry.objects.filter(pk__in=keys).update(created_at=when)
    rows.update(created_at=when)


def test_a_digest_missed_for_days_goes_out_at_the_next_run_with_everything_kept(
    owner_org, sam, run_tasks
):
    choose_digest(sam, owner_org)
    notify(owner_org, title="Port strike", at_once=False)
    notify(owner_org, title="Dock strike", at_once=False)
    run_tasks()
    # No worker ran for three days.
    kept_since(timezone.now() - datetime.timedelta(days=3))
    send_digests.enqueue()
    send_digests.enqueue()
    run_tasks()
    [digest] = mail.outbox
    for title in ("Port strike", "Dock strike"):
        assert f"[Metalworkers of São Paulo] {title}" in digest.body
    assert "New for you and your organizations since " in digest.body
    assert not EmailNotification.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_the_mail_server_refused_all_day_goes_out_the_next_day_once(
    owner_org, sam, run_tasks, settings
):
    choose_digest(sam, owner_org)
    notify(owner_org, title="Port strike", at_once=False)
    run_tasks()
    made = timezone.now() - datetime.timedelta(days=3)
    kept_since(made)
    settings.EMAIL_BACKEND = UNREACHABLE
    for hours in (1, 9, 17, 23):
        assert digests_send(now=made + datetime.timedelta(hours=hours)) == 0
    settings.EMAIL_BACKEND = LOCMEM
    for hours in (26, 27, 50):
        digests_send(now=made + datetime.timedelta(hours=hours))
    [digest] = mail.outbox
    assert "[Metalworkers of São Paulo] Port strike" in digest.body


def test_two_workers_at_midnight_send_no_entry_twice(owner_org, sam, run_tasks, settings):
    choose_digest(sam, owner_org)
    notify(owner_org, title="Port strike", at_once=False)
    run_tasks()
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    kept_since(midnight - datetime.timedelta(hours=12))
    # One worker starts the digests of the day before midnight; while it is still sending,
    # another starts those of the new day.
    settings.EMAIL_BACKEND = SLOW
    SlowMailServer.meanwhile = lambda: digests_send(now=midnight + datetime.timedelta(seconds=5))
    digests_send(now=midnight - datetime.timedelta(seconds=5))
    assert [m.to for m in mail.outbox] == [["sam@metal.example"]]
    digests_send(now=midnight + datetime.timedelta(hours=1))
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("next_day", [False, True], ids=["same day", "after midnight"])
def test_a_digest_run_longer_than_its_claim_sends_no_digest_twice(
    owner_org, sam, ana, run_tasks, monkeypatch, next_day
):
    """The run that starts meanwhile may fall on the next day, whose digest has a row of its own:
    it then lists the entries, and the first run's digest of them is not sent."""
    from internationale.notifications import tasks

    email_preference_set(actor=sam, organization=None, mode="digest")
    email_preference_set(actor=ana, organization=None, mode="digest")
    notify(owner_org, title="Port strike", at_once=False)
    run_tasks()
    monkeypatch.setattr(tasks, "MAIL_CHUNK", 1)  # one digest per chunk
    started = timezone.now()
    buildable, chunks = tasks._buildable, []

    def slow(chunk):  # type: ignore[no-untyped-def]
        # Before its second chunk, the run has been sending for longer than its claim's lease:
        # the next hour's run starts meanwhile.
        chunks.append(chunk)
        if len(chunks) == 2:
            later = started + tasks.CLAIM_LEASE + datetime.timedelta(minutes=1)
            if next_day:
                midnight = datetime.datetime.combine(
                    later.date() + datetime.timedelta(days=1), datetime.time(), datetime.UTC
                )
                later = midnight + datetime.timedelta(minutes=1)
            digests_send(now=later)
        return buildable(chunk)

    monkeypatch.setattr(tasks, "_buildable", slow)
    digests_send(now=started)

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@metal.example", "sam@metal.example"]
    assert not EmailNotification.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_whose_entries_are_gone_is_not_sent_nor_tried_again(owner_org, sam, run_tasks):
    choose_digest(sam, owner_org)
    notify(owner_org, at_once=False)
    run_tasks()
    InboxEntry.objects.all().delete()
    send_digests.enqueue()
    run_tasks()
    assert mail.outbox == []
    assert not EmailNotification.objects.exists()


def test_the_digest_is_on_the_workers_schedule(settings):
    paths = {path for path, _every in settings.INTERNATIONALE_PERIODIC_TASKS}
    assert "internationale.notifications.tasks.send_digests" in paths


@pytest.mark.parametrize("path", ["/settings/", "/settings/emails/kinds/appeals/", ORGANIZATIONS])
def test_the_settings_pages_take_as_many_queries_for_many_organizations_as_for_one(
    client_for, owner_org, sam, path
):
    def queries() -> int:
        client = client_for(sam)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    one = queries()
    for _n in range(5):
        organization = OrganizationFactory()
        Membership.objects.create(user=sam, organization=organization, role="secretary")
        email_preference_set(actor=sam, organization=organization, mode="digest")
        email_preference_set(actor=sam, organization=organization, kind="notice", mode="off")
    assert queries() == one
