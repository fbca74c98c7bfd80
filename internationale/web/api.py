"""The REST API, version 1, under /api/v1/. Its reference is served at /api/v1/docs and its
OpenAPI 3 schema at /api/v1/openapi.json; conventions in internationale/core/api.py."""

from internationale.accounts.api import SessionAuth, TokenAuth
from internationale.actions.api import router as actions
from internationale.aid.api import router as aid
from internationale.appeals.api import router as appeals
from internationale.campaigns.api import router as campaigns
from internationale.cooperation.api import router as cooperation
from internationale.cooperation.api_agreements import router as agreements
from internationale.core.api import PlatformAPI, ReferencePage, install_error_handlers
from internationale.federation.api import router as federation
from internationale.library.api_docs import router as library_docs
from internationale.library.api_search import router as library_search
from internationale.notifications.api import router as notifications
from internationale.notifications.api import webhooks
from internationale.organizations.api import employers, identity
from internationale.organizations.api import router as organizations
from internationale.ownership.api import router as ownership
from internationale.statements.api import router as statements
from internationale.statements.api_advice import router as advice
from internationale.statements.api_amendments import router as statement_amendments
from internationale.statements.api_consensus import router as statement_consensus
from internationale.statements.api_publication import router as statements_publication
from internationale.translation.api_machine import router as translation_machine
from internationale.translation.api_people import router as translation_people

DESCRIPTION = """\
The API of Internationale, for the tools of workers' organizations. It does what the site does,
through the same rules: you see and do through it exactly what you may see and do on the site.

Authentication: an API token, created on the site, in the header `Authorization: Bearer int_…`.
A token acts for one person in one organization: with it, you read and act for that organization
only. The site's own pages may use the session instead, with the CSRF token in `X-CSRFToken`.

Errors answer JSON: `{"detail": "…", "errors": {"field": ["…"]}}`. 400: the request's content
is refused (not JSON, wrong types, missing fields, or a rule of the platform), with messages by
field. 401: no valid token or session. 403: the CSRF check failed, or refused on something
public. 404: missing, or not yours; the two answer the same. 409: an `Idempotency-Key` already
used with another body, or a write that met another one. 413: the body is too large. Messages
are in the language of `Accept-Language`, else in the person's saved language.

Amounts of money are text with at most two decimals ("1250.50"), never numbers.

Lists are paginated with `limit` (at most 100) and `offset` (at most 10,000), and answer `items`
and `count`.
Requests that create accept an `Idempotency-Key` header: sent again with the same key and the
same body, they create nothing new and answer with the object created the first time; the same
key with a different body answers 409 and changes nothing.
"""

api = PlatformAPI(
    title="Internationale API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=ReferencePage(),
)
install_error_handlers(api)
api.add_router("", identity)
api.add_router("", organizations)
api.add_router("", employers)
api.add_router("", notifications)
api.add_router("", webhooks)
api.add_router("", appeals)
api.add_router("", aid)
api.add_router("", cooperation)
api.add_router("", agreements)
api.add_router("", statements_publication)
api.add_router("", advice)
api.add_router("", statements)
api.add_router("", statement_amendments)
api.add_router("", statement_consensus)
api.add_router("", library_docs)
api.add_router("", library_search)
api.add_router("", translation_machine)
api.add_router("", translation_people)
api.add_router("", campaigns)
api.add_router("", actions)
api.add_router("", ownership)
api.add_router("", federation)
