"""The REST API of ownership. Statuses and the error format are described in internationale/core/api.py."""

from ninja import Router

router = Router(tags=["ownership"])

from .api_erase import router as _erase  # noqa: E402 - each part of the app adds its router

router.add_router("", _erase)
