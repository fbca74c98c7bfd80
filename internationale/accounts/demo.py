"""The demo's people: accounts that sign in with a published password, their e-mail addresses
confirmed. Who they are and where they belong is the organizations' part (organizations/demo.py);
internationale/web/demo.py loads the parts in order."""

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from .models import User

DEMO_PASSWORD = "solidarity-demo"  # noqa: S105 - documented, for demo accounts only
DEMO_DOMAIN = "demo.internationale.example"


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def create_people(wanted: dict[str, tuple[str, str, str, bool]]) -> dict[str, Any]:
    """{e-mail name: (full name, language, time zone, operator)} → {e-mail name: person}, creating
    those missing, each with a confirmed e-mail address."""
    emails = {demo_email(local): local for local in wanted}
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    # One hash for everyone: hashing dozens of times would take seconds with a real hasher.
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=email,
                name=wanted[local][0],
                language=wanted[local][1],
                time_zone=wanted[local][2],
                is_staff=wanted[local][3],
                is_superuser=wanted[local][3],
                password=password,
            )
            for email, local in emails.items()
            if email not in existing
        ]
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    confirmed = set(EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[email], email=email, primary=True, verified=True)
            for email in emails
            if email not in confirmed
        ]
    )
    return {local: users[email] for email, local in emails.items()}
