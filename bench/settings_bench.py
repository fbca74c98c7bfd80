"""The embedded default's settings, plus a URL that measures Django itself (bench/urls_bench.py)."""

from internationale.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
EMAIL_BACKEND = "bench.mail.RenderingBackend"  # rendered, then dropped: see bench/mail.py
# Only errors: a log line per request would be part of what is measured.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
