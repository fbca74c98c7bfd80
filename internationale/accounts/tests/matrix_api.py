"""Permission-matrix cases for the API's identity endpoint and its root.

On the API an anonymous visitor gets 401; see internationale/core/api.py for the statuses.
"""

from internationale.core.tests.matrix import PERSONAS, SIGNED_IN, Case, expect

CASES = [
    # Who you are: anyone signed in.
    Case("api:me", "GET", lambda w: "/api/v1/me", expect(SIGNED_IN, 200, 200, anonymous=401)),
    Case("api:me", "POST", lambda w: "/api/v1/me", expect(PERSONAS, 405, 405)),
    # The root, and any path the API does not have: a JSON 404 for everyone.
    Case("api:api-root", "GET", lambda w: "/api/v1/", expect(PERSONAS, 404, 404)),
    Case("api:api-root", "POST", lambda w: "/api/v1/nothing", expect(PERSONAS, 404, 404)),
]
