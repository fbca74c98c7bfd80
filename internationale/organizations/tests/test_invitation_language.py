"""An invitation is written in the invited organization's main language when the platform speaks
it, else in the inviting admin's, else in the server's."""

import pytest
from django.core import mail

from internationale.organizations.models import OrganizationLanguage
from internationale.organizations.services import invitation_create


def invite(owner_org, ana, run_tasks, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        invitation_create(actor=ana, organization=owner_org, email="new@example.org", role="member")
    run_tasks()
    [message] = mail.outbox
    return message.subject


@pytest.mark.parametrize(
    ("tags", "admin", "subject"),
    [
        # The first language by its primary subtag, whatever the admin speaks.
        (
            ["es-AR", "fr"],
            "fr",
            "Te invitan a unirte a Metalworkers of São Paulo en Internationale",
        ),
        (["ar"], "", "أنت مدعو للانضمام إلى Metalworkers of São Paulo على Internationale"),
        # pt-BR first: not spoken by the platform, so the admin's language.
        (
            ["pt-BR", "es"],
            "fr",
            "Vous êtes invité à rejoindre Metalworkers of São Paulo sur Internationale",
        ),
        (["pt-BR"], "", "You are invited to join Metalworkers of São Paulo on Internationale"),
    ],
)
def test_an_invitation_is_written_in_the_organizations_language_or_else_the_admins(
    owner_org, ana, run_tasks, django_capture_on_commit_callbacks, tags, admin, subject
):
    OrganizationLanguage.objects.filter(organization=owner_org).delete()
    for tag in tags:
        OrganizationLanguage.objects.create(organization=owner_org, tag=tag)
    ana.language = admin
    ana.save()
    assert invite(owner_org, ana, run_tasks, django_capture_on_commit_callbacks) == subject
