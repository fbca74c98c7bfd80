"""Each person chooses, on their settings page, how the notices of each organization they speak for
reach them by e-mail: at once, in a daily digest, or never."""

from django.core import mail

from internationale.notifications.models import EmailNotification, EmailPreference
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
