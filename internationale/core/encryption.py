"""Secrets stored encrypted in the database (second-factor secrets, organizations' private keys),
with Fernet keys derived from SECRET_KEY for one purpose each."""

import base64

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def fernet(purpose: str) -> MultiFernet:
    """Fernet keys derived from SECRET_KEY (then its fallbacks, so that rotating the key keeps
    existing secrets readable until they are written again), one key per `purpose`: a secret
    stored for one use cannot be read as another's."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(purpose, "fernet", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def encrypt(purpose: str, text: str) -> str:
    return fernet(purpose).encrypt(text.encode()).decode()


def decrypt(purpose: str, token: str) -> str:
    """The clear text; cryptography.fernet.InvalidToken if no key (SECRET_KEY or a fallback)
    opens it."""
    return fernet(purpose).decrypt(token.encode()).decode()
