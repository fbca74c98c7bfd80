"""allauth's hooks: who may sign up, the client's address for the sign-in limits, and the
encryption of second-factor secrets."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.http import HttpRequest

from internationale.core.encryption import fernet
from internationale.core.http import client_ip
from internationale.core.links import absolute_url, site
from internationale.core.mail import AUTO_SUBMITTED, header_text


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_SIGNUP_OPEN)

    def format_email_subject(self, subject: str) -> str:
        # allauth's prefix names the site by the request's Host, which the client chooses.
        return header_text(f"[{site().name}] {subject}")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Every link allauth puts in an e-mail (password reset, confirmation, sign-up) is built
        # from the request's Host; each is rebuilt on SITE_URL, and the site named from it.
        links = {
            key: absolute_url(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str)
        }
        super().send_mail(template_prefix, email, context | links | {"current_site": site()})

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        # Sign-in, password and address e-mails are written by the platform, not by a person.
        return super().render_mail(
            template_prefix, email, context, AUTO_SUBMITTED | (headers or {})
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        # Behind the proxies of TRUSTED_PROXY_COUNT, the address they report, not theirs.
        return client_ip(request)


# The purpose the second-factor secrets have always been encrypted under (core/encryption.py).
MFA_PURPOSE = "internationale.accounts.mfa"


def _fernet() -> MultiFernet:
    return fernet(MFA_PURPOSE)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (Fernet, with a key derived from
    SECRET_KEY). A value stored in clear by an earlier version is still read as it is; the data
    migration accounts/0003 encrypts those already in the database."""

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not is_encrypted(encrypted_text):
            return encrypted_text  # stored in clear by an earlier version
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "A second-factor secret cannot be decrypted: SECRET_KEY changed. Put the old key "
                "in SECRET_KEY_FALLBACKS."
            ) from None


def is_encrypted(value: str) -> bool:
    """Fernet tokens start with its version byte, "gAAAAA" in base64; the clear values allauth
    stores (base32 TOTP secrets, hexadecimal seeds) never do."""
    return value.startswith("gAAAAA")


def encrypt_secret(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()
