"""Signers for the tests after signing: people who sign through the service and confirm by their
link, as the public does."""

from typing import Any

from internationale.campaigns.models import Campaign, Signature
from internationale.campaigns.signing import (
    Signed,
    confirmation_token,
    screen_batch,
    signature_confirm,
    signature_receive,
)


def screen_received() -> int:
    """Run the worker's screening of every signature received (tasks.screen_signatures), and what
    it queues on commit, as the worker does every few seconds: for tests whose requests signed."""
    from django.test import TestCase

    from internationale.campaigns.tasks import screen_signatures

    with TestCase.captureOnCommitCallbacks(execute=True):
        return screen_signatures.call()


def campaign_sign(**fields: Any) -> Signed:
    """Sign as a request does (`signature_receive`: the intake row), then run the worker's
    screening of that row (`screen_batch`, as tasks.screen_signatures does): what the signature
    became."""
    received = signature_receive(**fields)
    if received.intake is None:
        return Signed(received.outcome)
    if received.signed is not None:  # screened by the request itself
        return received.signed
    return screen_batch(only=received.intake.pk)[received.intake.pk]


def signed(campaign: Campaign, n: int, confirm: bool = True, **changes: Any) -> Signature:
    fields: dict[str, Any] = {
        "first_name": f"Signer{n}",
        "last_name": f"Last{n}",
        "email": f"signer{n}@mail{n % 3}.example",
        "country": "BR",
        "city": "Santos",
        "language": "pt",
        "client_address": f"198.51.{n // 250}.{n % 250 + 1}",
    }
    fields.update(changes)
    result = campaign_sign(campaign=campaign, **fields)
    signature = result.signature
    assert signature is not None
    if confirm:
        signature_confirm(token=confirmation_token(signature))
        signature.refresh_from_db()
    return signature
