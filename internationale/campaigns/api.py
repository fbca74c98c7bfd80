"""The REST API of campaigns. Statuses and the error format are described in internationale/core/api.py."""

from ninja import Router

router = Router(tags=["campaigns"])


# After signing: screening, deliveries, updates, a sponsor's signers (api_signers.py).
from .api_signers import router as signers  # noqa: E402

router.add_router("", signers)
