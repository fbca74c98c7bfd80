"""E-mail as mail software expects it: a plain and an HTML part, the platform's e-mails marked as
written by no person, so that vacation responders do not answer them, and a one-click unsubscribe
link."""

import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from internationale.accounts.tasks import send_tokens_revoked
from internationale.notifications.models import EmailPreference
from internationale.notifications.unsubscribe import unsubscribe_url
from internationale.organizations.models import Membership

from .notices import notify

TITLE = 'Lockout <script>alert("x")</script> & strike'


def html_of(message: mail.EmailMultiAlternatives) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(html)


def test_a_notice_e_mail_has_an_html_part_with_the_same_content_escaped(
    owner_org, sam, run_tasks, settings
):
    notice = notify(owner_org, title=TITLE, summary="Day one\nDay two", at_once=False)
    run_tasks()
    [message] = mail.outbox
    html = html_of(message)
    assert TITLE in message.body  # the plain part as typed
    assert "Lockout &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; strike" in html
    assert "<script" not in html
    assert "<img" not in html
    assert "Day one<br>Day two" in html
    link = f"{settings.SITE_URL}{notice.source.get_absolute_url()}"
    assert f'<a href="{link}">' in html


def test_a_notice_e_mail_in_arabic_is_written_right_to_left(owner_org, sam, run_tasks):
    sam.language = "ar"
    sam.save()
    notify(owner_org, at_once=False)
    run_tasks()
    [message] = mail.outbox
    assert '<html lang="ar" dir="rtl">' in html_of(message)


def test_notice_invitation_and_security_e_mails_say_they_are_auto_generated(
    owner_org, ana, sam, run_tasks, django_capture_on_commit_callbacks
):
    from internationale.organizations.services import invitation_create

    notify(owner_org, at_once=False)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=ana, organization=owner_org, email="new@example.org", role="member")
    run_tasks()
    send_tokens_revoked.call(sam.pk, "password", 1)
    assert len(mail.outbox) == 4  # ana and sam, the invited person, sam again
    for message in mail.outbox:
        assert message.message()["Auto-Submitted"] == "auto-generated"


def test_sign_in_e_mails_say_they_are_auto_generated(client_for, sam):
    client_for(None).post("/accounts/password/reset/", {"email": "sam@metal.example"})
    [message] = mail.outbox
    assert message.message()["Auto-Submitted"] == "auto-generated"


# One-click unsubscribe -----------------------------------------------------------------------


def unsubscribe_link(message: mail.EmailMessage) -> str:
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    value = headers["List-Unsubscribe"]
    assert value.startswith("<") and value.endswith(">")
    return value[1:-1]


def test_a_notice_e_mail_carries_a_one_click_unsubscribe_link_on_the_site(
    owner_org, sam, run_tasks, settings
):
    notify(owner_org, at_once=False)
    run_tasks()
    [message] = mail.outbox
    link = unsubscribe_link(message)
    assert link.startswith(f"{settings.SITE_URL}/email/unsubscribe/")
    assert link.endswith("/")


def test_posting_to_the_link_turns_off_that_organizations_e_mails_without_signing_in(
    owner_org, other_org, sam, kim, run_tasks, settings
):
    Membership.objects.create(user=sam, organization=other_org, role=Membership.Role.SECRETARY)
    notify(owner_org, at_once=False)
    run_tasks()
    [message] = mail.outbox
    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no cookie, no token
    path = unsubscribe_link(message).removeprefix(settings.SITE_URL)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    mail.outbox.clear()
    notify(owner_org, other_org, at_once=False)
    run_tasks()
    # No more from the organization named in the link; the other's still come.
    assert sorted((m.to[0], m.subject.split("]")[0]) for m in mail.outbox) == [
        ("kim@docks.example", "[Korean Dockworkers"),
        ("sam@metal.example", "[Korean Dockworkers"),
    ]


def test_following_the_link_only_shows_a_button_and_changes_nothing(
    owner_org, sam, run_tasks, settings
):
    notify(owner_org, at_once=False)
    run_tasks()
    path = unsubscribe_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    response = Client().get(path)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert not EmailPreference.objects.exists()
    mail.outbox.clear()
    notify(owner_org, at_once=False)
    run_tasks()
    assert [m.to for m in mail.outbox] == [["sam@metal.example"]]


@pytest.mark.parametrize("how", ["forged", "altered", "expired"])
def test_a_forged_altered_or_expired_link_is_refused_and_changes_nothing(
    owner_org, sam, how, settings
):
    if how == "forged":
        token = signing.dumps({"u": sam.pk, "o": None}, salt="another purpose")
    else:
        made_at = time.time() - (91 * 24 * 3600 if how == "expired" else 0)
        with mock.patch("django.core.signing.time.time", return_value=made_at):
            url = unsubscribe_url(sam.pk, owner_org.pk)
        token = url.removeprefix(f"{settings.SITE_URL}/email/unsubscribe/").rstrip("/")
        if how == "altered":
            token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/email/unsubscribe/{token}/")
        assert response.status_code == 400
        assert b"not valid" in response.content
    assert not EmailPreference.objects.exists()


def test_the_unsubscribe_page_names_the_organization_before_and_after(
    owner_org, sam, run_tasks, settings
):
    notify(owner_org, at_once=False)
    run_tasks()
    path = unsubscribe_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    client = Client()
    page = client.get(path).content.decode()
    assert "You will no longer receive e-mail about notices of Metalworkers of São Paulo." in page
    page = client.post(path).content.decode()
    assert (
        "Done: you will no longer receive e-mail about notices of Metalworkers of São Paulo."
        in (page)
    )


def test_the_digests_unsubscribe_page_says_it_stops_them_all(owner_org, sam, settings):
    path = unsubscribe_url(sam.pk, None).removeprefix(settings.SITE_URL)
    page = Client().get(path).content.decode()
    assert "notices of any of your organizations, nor the daily digest" in page
    page = Client().post(path).content.decode()
    assert (
        "Done: you will no longer receive e-mail about notices of any of your organizations."
        in (page)
    )
    assert list(EmailPreference.objects.values_list("organization", "mode")) == [(None, "off")]


def test_the_unsubscribe_page_speaks_the_language_of_the_person_it_was_sent_to(
    owner_org, sam, run_tasks, settings
):
    sam.language = "es"
    sam.save()
    notify(owner_org, at_once=False)
    run_tasks()
    path = unsubscribe_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    # Opened in a browser that asks for English, signed in as no one.
    page = Client(headers={"Accept-Language": "en"}).get(path).content.decode()
    assert '<html lang="es"' in page
    assert "Darse de baja" in page
    assert "Metalworkers of São Paulo" in page
