"""E-mail as mail software expects it: a plain and an HTML part, and the platform's e-mails marked
as written by no person, so that vacation responders do not answer them."""

from django.core import mail

from internationale.accounts.tasks import send_tokens_revoked

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
