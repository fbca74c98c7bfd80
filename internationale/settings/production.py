"""Behind a TLS-terminating proxy. `manage.py check --deploy` passes with no warnings."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, SECRET_KEY_FALLBACKS, proxy_ssl_header
from .env import env_bool, env_int, refuse_known_secret_key

# SHA-256 of the keys once committed to the repository (never the keys): public, so refused.
PUBLISHED_SECRET_KEYS_SHA256 = {
    "6152dd4119902b7620db443239fa81d380d7b80b7f7bc2d55d48f4bf5df125cb",
}
refuse_known_secret_key(SECRET_KEY, PUBLISHED_SECRET_KEYS_SHA256, SECRET_KEY_FALLBACKS)

DEBUG = False
# The TLS proxy these settings assume: its X-Forwarded-For and X-Forwarded-Proto are believed.
INTERNATIONALE_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(INTERNATIONALE_TRUSTED_PROXY_COUNT)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
