import os
import tempfile

# Tests keep nothing in the project's ./data: a data dir of their own, per process.
os.environ.setdefault("INTERNATIONALE_DATA_DIR", tempfile.mkdtemp(prefix="internationale-test-"))

from .base import *  # noqa: E402, F403
from .base import DATABASES, STATIC_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing: tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
# Every signature queues its confirmations batch: the tests read the e-mail at once.
INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS = 0.0
# And every signature received queues its screening.
INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS = 0.0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ""}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
