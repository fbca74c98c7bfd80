"""Each person chooses, on their settings page, how the notices of each organization they speak for
reach them by e-mail: at once, in a daily digest, or never."""

from django.core import mail

from internationale.notifications.models import EmailNotification, EmailPreference
from internationale.notifications.tasks import send_digests
from internationale.organizations.models import Membership

from .notices import notify


def test_the_settings_page_offers_a_choice_for_each_organization_the_person_speaks_for(
    client_for, owner_org, other_org, sam
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    page = client_for(sam).get("/settings/").content.decode()
    assert 'action="/email/preferences/"' in page
    assert "E-mail me the notices of Metalworkers of São Paulo" in page
    assert "E-mail me the notices of Korean Dockworkers" in page
    assert "in a daily digest" in page


def test_never_stops_the_e_mails_of_that_organization_only(
    client_for, owner_org, other_org, sam, kim, run_tasks
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    response = client_for(sam).post(
        "/email/preferences/",
        {f"organization_{owner_org.pk}": "off", f"organization_{other_org.pk}": "now"},
    )
    assert response.status_code == 302
    notify(owner_org, other_org, at_once=False)
    run_tasks()
    assert sorted((m.to[0], m.subject.split("]")[0]) for m in mail.outbox) == [
        ("kim@docks.example", "[Korean Dockworkers"),
        ("sam@metal.example", "[Korean Dockworkers"),
    ]
    page = client_for(sam).get("/settings/").content.decode()
    assert '<option value="off" selected>' in page


def test_digest_keeps_the_e_mail_for_the_digest_and_sends_nothing_now(
    client_for, owner_org, sam, ana, run_tasks
):
    client_for(sam).post("/email/preferences/", {f"organization_{owner_org.pk}": "digest"})
    notify(owner_org, at_once=False)
    run_tasks()
    assert [m.to for m in mail.outbox] == [["ana@metal.example"]]
    row = EmailNotification.objects.get(user=sam)
    assert (row.digest, row.sent_at) == (True, None)


def test_a_choice_that_does_not_exist_or_an_organization_not_ones_own_changes_nothing(
    client_for, owner_org, other_org, sam, run_tasks
):
    client = client_for(sam)
    response = client.post("/email/preferences/", {f"organization_{owner_org.pk}": "hourly"})
    assert response.status_code == 302
    assert "Choose how to receive" in client.get("/settings/").content.decode()
    client.post(
        "/email/preferences/",
        {f"organization_{owner_org.pk}": "now", f"organization_{other_org.pk}": "off"},
    )
    assert list(EmailPreference.objects.values_list("organization", "mode")) == [
        (owner_org.pk, "now")
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


def test_the_digest_is_on_the_workers_schedule(settings):
    paths = {path for path, _every in settings.INTERNATIONALE_PERIODIC_TASKS}
    assert "internationale.notifications.tasks.send_digests" in paths
