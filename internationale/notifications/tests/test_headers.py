"""No text people type can break an e-mail batch: header values are cleaned where they are built,
and one message the mail library refuses does not stop the others."""

import pytest
from django.core import mail

from internationale.accounts.models import User
from internationale.core.mail import header_text
from internationale.notifications.models import EmailNotification
from internationale.organizations.models import Organization

from .notices import notify

BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00", "\t"]


@pytest.mark.parametrize("brk", BREAKS)
def test_every_line_breaking_or_control_character_becomes_a_space(brk):
    assert header_text(f"Dockers{brk}Bcc: all@example.org") == "Dockers Bcc: all@example.org"


@pytest.mark.parametrize("field", ["name", "short_name"])
def test_a_line_break_in_a_name_or_title_breaks_no_e_mail_of_the_batch(
    owner_org, other_org, ana, sam, kim, run_tasks, field
):
    Organization.objects.filter(pk=owner_org.pk).update(
        **{field: "Metal\r\nBcc: spy@example.org\nworkers"}
    )
    notify(owner_org, other_org, title="Lockout\r\nX-Evil: yes\nat the port", at_once=False)
    run_tasks()
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "ana@metal.example",
        "kim@docks.example",
        "sam@metal.example",
    ]
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Lockout X-Evil: yes at the port" in message.subject
        assert "Bcc" not in message.message().as_string().split("\n\n")[0].replace(
            message.subject, ""
        )
    assert not EmailNotification.objects.filter(sent_at__isnull=True).exists()


def test_one_message_the_mail_library_refuses_does_not_stop_the_others(
    owner_org, other_org, ana, sam, kim, run_tasks
):
    User.objects.filter(pk=sam.pk).update(email="sam@metal.example\nBcc: spy@example.org")
    notify(owner_org, other_org, at_once=False)
    run_tasks()
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "ana@metal.example",
        "kim@docks.example",
    ]
    unsent = EmailNotification.objects.filter(sent_at__isnull=True)
    assert [row.user_id for row in unsent] == [sam.pk]  # kept for the retry, not lost


def test_an_invitation_to_an_organization_with_a_line_break_in_its_name_is_sent(
    owner_org, ana, run_tasks, django_capture_on_commit_callbacks
):
    from internationale.organizations.services import invitation_create

    Organization.objects.filter(pk=owner_org.pk).update(name="Metal\r\nBcc: spy@example.org")
    owner_org.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=ana, organization=owner_org, email="new@example.org", role="member")
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert message.subject == "You are invited to join Metal Bcc: spy@example.org on Internationale"
