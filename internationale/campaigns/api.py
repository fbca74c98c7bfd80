"""The REST API of campaigns. Statuses and the error format are described in internationale/core/api.py."""

from ninja import Router

router = Router(tags=["campaigns"])
