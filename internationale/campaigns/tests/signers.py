"""Signers for the tests after signing: people who sign through the service and confirm by their
link, as the public does."""

from typing import Any

from internationale.campaigns.models import Campaign, Signature
from internationale.campaigns.signing import campaign_sign, confirmation_token, signature_confirm


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
