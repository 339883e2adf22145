"""Settings of the portal, read from the environment (12-factor) through one `env` object.

Without any environment the portal runs embedded for development (`DEBUG=true` in `make run`):
SQLite under var/, tasks run in-process, e-mail to the console, a local-memory cache.
With DATABASE_URL and REDIS_URL it runs on PostgreSQL and Redis, as docker-compose.yml does.
Production secrets have no default: with DEBUG off a missing SECRET_KEY stops start-up.
"""

import base64
import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal needs a secret key of at least 50 random "
            "characters, e.g. SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For local development set DEBUG=true instead (make run does)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the portal, for links in e-mails and on printed documents (QR codes, verification
# addresses). `make run` sets it to http://127.0.0.1:$PORT unless given; with DEBUG off the development
# default is refused at start-up (foreign_affairs/checks.py).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where the development server listens (host:port), set by `make run`: a PORTAL_BASE_URL that does not
# lead there is reported at start-up (foreign_affairs/checks.py). Empty: not compared.
PORTAL_LISTEN = env.str("PORTAL_LISTEN", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_fsm",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "foreign_affairs.accounts",
    "foreign_affairs.audit",
    "foreign_affairs.notifications",
    "foreign_affairs.documents",
    "foreign_affairs.workdays",
    "foreign_affairs.security",
    "foreign_affairs.reports",
    "foreign_affairs.privacy",
    "foreign_affairs.areas",  # imports each area's area.py (after the shared apps it plugs into)
    "approvals",
    "apec_cards",
    "overseas_safety",
    "foreign_offices",
    "projects",
    "exchanges",
    "training",
]

MIDDLEWARE = [
    "foreign_affairs.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "foreign_affairs.middleware.PortalLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "foreign_affairs.middleware.IdleSessionMiddleware",
    "foreign_affairs.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "foreign_affairs.urls"
# Forms render through templates/django/forms/ (labels above fields, hints and errors tied to inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "foreign_affairs.wsgi.application"

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
                "foreign_affairs.context_processors.portal",
            ],
            "libraries": {"portal": "foreign_affairs.templatetags"},
        },
    },
]

# Database -------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait instead of
    # failing half-way with "database is locked"; WAL lets readers run beside one writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=5
    )
    # Behind pgbouncer in transaction mode a server-side cursor (QuerySet.iterator()) cannot outlive the
    # transaction it was opened in; Django then reads results client-side (README "Running in production").
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "PGBOUNCER_TRANSACTION_MODE", default=False
    )
# A PostgreSQL replica for the reports' reads only (foreign_affairs.db_router); unset, everything reads and
# writes the one database. Tests point it at the test database itself (TEST MIRROR).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
        "TEST": {"MIRROR": "default"},
    }
# The alias the dashboard and the exports read from inside db_router.reading_reports().
REPORTS_READ_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["foreign_affairs.db_router.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and broker -----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fa",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# Celery (foreign_affairs/celery.py reads every CELERY_* setting) ------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # progress and outcomes are kept in the database, not a result backend
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# Tasks are idempotent, so a message is acknowledged only after the work is done and redelivered when
# a worker dies half-way; one message at a time per process keeps redelivery small.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged message is redelivered after this many seconds; longer than any time limit.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for such messages: every interval × throttle seconds (kombu's defaults).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    "socket_connect_timeout": 2,
}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Each kind of work on a queue of its own, consumed by its own workers (docker-compose.yml: worker,
# worker-notifications, worker-pdf, worker-exports), so that a burst of permits or a long export never
# holds back e-mails; every other task goes to the default queue. foreign_affairs.celery.queues() lists them.
_CELERY_QUEUE_TASKS = {
    # E-mails, and the beat jobs that send the ones still pending (areas name theirs deliver_*/retry_*).
    "notifications": ["notifications.deliver", "accounts.send_password_reset", "*.deliver_*", "*.retry_*"],
    # Permits, letters and certificates (WeasyPrint): the areas' issue_permit and render_* tasks.
    "pdf": ["*.issue_permit", "*.render_*"],
    # Report exports (PDF, CSV, XLSX).
    "exports": ["reports.run_job"],
}
CELERY_TASK_ROUTES = {
    name: {"queue": queue} for queue, names in _CELERY_QUEUE_TASKS.items() for name in names
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# With a broker, beat sends the periodic jobs only while it holds a lock in Redis (foreign_affairs.beat): a
# second beat started by mistake, on this host or another, waits as a standby instead of sending them twice.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "foreign_affairs.beat.LockedScheduler"
# Seconds a beat that stopped answering keeps the lock before a standby takes over.
BEAT_LOCK_TIMEOUT = env.int("BEAT_LOCK_TIMEOUT", default=60)
# Beat answers `celery inspect ping --destination celerybeat@HOST` while it ticks (the container's health check).
CELERY_BEAT_ENABLE_REMOTE_CONTROL = env.bool("CELERY_BEAT_ENABLE_REMOTE_CONTROL", default=False)
NOTIFICATION_RETRY_INTERVAL = env.int("NOTIFICATION_RETRY_INTERVAL", default=60)
# The shared periodic jobs; each area adds its own (`periodic` of its foreign_affairs.areas registration).
CELERY_BEAT_SCHEDULE = {
    # Every minute: e-mails whose delivery failed (mail server or broker down) are tried again,
    # with back-off, until NOTIFICATION_MAX_ATTEMPTS.
    "notifications-retry-pending": {
        "task": "notifications.retry_pending",
        "schedule": NOTIFICATION_RETRY_INTERVAL,
    },
    # Daily at 03:15: report exports kept past REPORT_RETENTION_DAYS are removed.
    "reports-cleanup": {
        "task": "reports.cleanup",
        "schedule": crontab(hour=3, minute=15),
    },
    # Nightly at 02:30: walk the audit log's hash chain; a broken link is logged as an error.
    "audit-verify-chain": {
        "task": "audit.verify_chain",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly at minute 7: the audit chain's newest event is signed and written outside the database (the
    # checkpoint file and the log), so that audit_verify finds a later rewrite or cut of the table.
    "audit-write-checkpoint": {
        "task": "audit.write_checkpoint",
        "schedule": crontab(minute=7),
    },
    # Daily at 03:40: personal data past its retention period (the rules in the back office) is purged,
    # each record with an audit event (foreign_affairs.privacy.retention).
    "privacy-apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=3, minute=40),
    },
}

# E-mail ---------------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Henan FAO Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Authentication -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Two-step sign-in (accounts.two_factor): required for office staff in production, optional in the
# embedded demo so that a newcomer signs in as `officer` at once (and may set it up).
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=not DEBUG)
OTP_TOTP_ISSUER = "Henan FAO Portal"
# The one sign-in lock behind every door that checks a password (accounts.backends).
AUTHENTICATION_BACKENDS = ["foreign_affairs.accounts.backends.LockoutBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# A session left idle this many seconds is signed out (foreign_affairs.middleware.IdleSessionMiddleware):
# shorter for office staff, whose sessions reach every organisation's data.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
PASSWORD_RESET_TIMEOUT = 3600
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-pass-2026")

# Languages and time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["foreign_affairs.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files and private documents -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names need `collectstatic`; development and tests serve from the finders.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# The private storage encrypts its files (privacy.storage); false only where the storage itself encrypts at rest.
PRIVATE_STORAGE_ENCRYPTED = env.bool("PRIVATE_STORAGE_ENCRYPTED", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded documents: outside the web root, no URL; served only by documents.views.download.
    "private": {
        "BACKEND": "foreign_affairs.privacy.storage.EncryptedFileSystemStorage"
        if PRIVATE_STORAGE_ENCRYPTED
        else "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Private files in an S3-compatible bucket (django-storages) when S3_BUCKET is set, so that every web and
# worker container sees the same files; credentials come the way boto3 finds them (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role). Still encrypted by the portal (privacy.s3).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "foreign_affairs.privacy.s3.EncryptedS3Storage"
        if PRIVATE_STORAGE_ENCRYPTED
        else "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": env.str("S3_PREFIX", default="private"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,  # the bucket's own policy: keep it private (block all public access)
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
MEDIA_ROOT = VAR_DIR / "media"
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Virus scanning of uploads by ClamAV's clamd (documents.scanning), off when CLAMAV_URL is empty:
# tcp://host:3310 or unix:///run/clamav/clamd.ctl. While clamd cannot answer, uploads are refused unless
# CLAMAV_FAIL_OPEN is true (then they are stored unscanned, with an error logged for each).
CLAMAV_URL = env.str("CLAMAV_URL", default="")
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
CLAMAV_FAIL_OPEN = env.bool("CLAMAV_FAIL_OPEN", default=False)
# Larger request bodies are refused before they reach a view (leaves room for multipart overhead).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security -------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, fonts, images and requests only from the portal itself: no inline script anywhere (behaviour
# lives in static/js/, data in data- attributes). Inline styles stay allowed: htmx adds its indicator
# style and a few elements size themselves (the export progress bar); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# The proxies in front of the portal (addresses or networks, e.g. 10.0.0.0/8): X-Forwarded-For is believed
# only from them, for every rate limit (foreign_affairs.ratelimit.client_address). None by default.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Behind a TLS-terminating proxy (docker-compose, nginx) that sets X-Forwarded-Proto.
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by container health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# REST API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "foreign_affairs.api.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "foreign_affairs.api.throttling.AnonRateThrottle",
        "foreign_affairs.api.throttling.UserRateThrottle",
        "foreign_affairs.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "token": env.str("THROTTLE_TOKEN", default="10/min"),
        "objection": env.str("THROTTLE_OBJECTION", default="5/hour"),
    },
    "EXCEPTION_HANDLER": "foreign_affairs.api.errors.exception_handler",
    # drf-spectacular, plus the error answers of every operation in the one error shape.
    "DEFAULT_SCHEMA_CLASS": "foreign_affairs.api.schema.PortalAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Henan Foreign Affairs Service Portal API",
    "DESCRIPTION": "REST API of the Foreign and Overseas Chinese Affairs Office of Henan Province "
    "for the China (Henan) Pilot Free Trade Zone. Errors share one shape: "
    '{"detail", "code", "errors": [...]} (`Error`); a 409 adds "state" and "available_transitions" '
    "(`Conflict`). Lists are pages of `page_size` results (default 25; more than 100 gives 100); a "
    "`page` or `page_size` that is not a whole number of 1 or more answers 400, a page past the last 404.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "state") get their own enum names: the shared ones
    # here, each area's in its registration (foreign_affairs.areas).
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "foreign_affairs.documents.models.DocumentKind",
    },
}

# Notifications --------------------------------------------------------------------------------------
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
# Text messages (the "sms" channel of notifications.services.notify): the dotted path of a backend class
# with send(phone, text), see foreign_affairs/notifications/sms.py — e.g.
# "foreign_affairs.notifications.sms.ConsoleBackend" in development, or an SMS gateway's class. Empty:
# SMS is off and the channel is skipped silently.
NOTIFICATION_SMS_BACKEND = env.str("NOTIFICATION_SMS_BACKEND", default="")

# The areas' settings (CONTRACT.md) ------------------------------------------------------------------
DISCLOSURE_WORKING_DAYS = env.int("DISCLOSURE_WORKING_DAYS", default=5)
# The office's fee for an APEC Business Travel Card in whole yuan, shown on the guide (0: no fee).
APEC_CARD_FEE_CNY = env.int("APEC_CARD_FEE_CNY", default=0)
# Overseas safety: how soon a new incident must be acknowledged before the leaders are told (levels I–II
# in minutes, day and night; III–IV in working hours within the office hours [opens, closes)).
OVERSEAS_SAFETY_ACK_MINUTES_GRAVE = env.int("OVERSEAS_SAFETY_ACK_MINUTES_GRAVE", default=30)
OVERSEAS_SAFETY_ACK_WORKING_HOURS = env.int("OVERSEAS_SAFETY_ACK_WORKING_HOURS", default=4)
OVERSEAS_SAFETY_OFFICE_HOURS = tuple(env.list("OVERSEAS_SAFETY_OFFICE_HOURS", cast=int, default=[9, 17]))
# The channels on which the duty officer and the leaders hear of a new or escalated incident
# (foreign_affairs.notifications channels; add "sms" once NOTIFICATION_SMS_BACKEND is set).
OVERSEAS_SAFETY_DUTY_CHANNELS = env.list("OVERSEAS_SAFETY_DUTY_CHANNELS", default=["in_app", "email"])
# How long the one-click "safe" / "need help" links of a safety alert work, in days.
OVERSEAS_SAFETY_ALERT_LINK_DAYS = env.int("OVERSEAS_SAFETY_ALERT_LINK_DAYS", default=7)
# Foreign organisations: the annual report on a year is due at the end of this month of the next year
# (unless the office sets a window for the year), with reminders this many days before and after the due
# date; public enquiries accepted per client address and hour.
FOREIGN_OFFICES_REPORT_DUE_MONTH = env.int("FOREIGN_OFFICES_REPORT_DUE_MONTH", default=3)
FOREIGN_OFFICES_REMIND_BEFORE_DAYS = tuple(
    env.list("FOREIGN_OFFICES_REMIND_BEFORE_DAYS", cast=int, default=[30, 7])
)
FOREIGN_OFFICES_REMIND_AFTER_DAYS = tuple(
    env.list("FOREIGN_OFFICES_REMIND_AFTER_DAYS", cast=int, default=[1, 14])
)
FOREIGN_OFFICES_ENQUIRIES_PER_HOUR = env.int("FOREIGN_OFFICES_ENQUIRIES_PER_HOUR", default=5)

# Cooperation projects (area 3) --------------------------------------------------------------------------
# Expressions of interest a client (an address) may send an hour, on the page and through the API together.
PROJECTS_INTEREST_PER_HOUR = env.int("PROJECTS_INTEREST_PER_HOUR", default=5)
# Projects and achievements per page of the public catalogue, and items in a feed.
PROJECTS_PAGE_SIZE = env.int("PROJECTS_PAGE_SIZE", default=20)
PROJECTS_FEED_ITEMS = env.int("PROJECTS_FEED_ITEMS", default=50)

# International exchanges (area 4) ----------------------------------------------------------------------
# Interview requests a client (an address) may send an hour, on the page and through the API together.
EXCHANGES_MEDIA_REQUESTS_PER_HOUR = env.int("EXCHANGES_MEDIA_REQUESTS_PER_HOUR", default=5)
# A friendship city's health (exchanges/health.py): it needs attention after this many years without an
# exchange, is dormant after that many, and needs attention when an agreement is due for renewal within
# the days given.
EXCHANGES_QUIET_AFTER_YEARS = env.int("EXCHANGES_QUIET_AFTER_YEARS", default=2)
EXCHANGES_DORMANT_AFTER_YEARS = env.int("EXCHANGES_DORMANT_AFTER_YEARS", default=3)
EXCHANGES_RENEWAL_WARNING_DAYS = env.int("EXCHANGES_RENEWAL_WARNING_DAYS", default=180)

# Training (area 5) ------------------------------------------------------------------------------------
# How long a new course's certificate stays valid (each course may set its own; pre-departure: 12 months).
TRAINING_CERTIFICATE_MONTHS = env.int("TRAINING_CERTIFICATE_MONTHS", default=12)
# The venue's check-in code changes every minute; a code is accepted this many minutes after it was shown
# (to scan it and sign in), and check-in opens this many minutes before the session starts.
TRAINING_CHECK_IN_GRACE_MINUTES = env.int("TRAINING_CHECK_IN_GRACE_MINUTES", default=2)
TRAINING_CHECK_IN_OPENS_MINUTES = env.int("TRAINING_CHECK_IN_OPENS_MINUTES", default=30)
# The reminders of tomorrow's sessions go out at this hour (beat job, local time).
TRAINING_REMINDER_HOUR = env.int("TRAINING_REMINDER_HOUR", default=9)

# Reports ----------------------------------------------------------------------------------------------
# How long an exported report is kept for its requester before the nightly job removes it.
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=7)
# The dashboard's figures are computed at most this many seconds before they are shown (shared by all
# managers through the cache; 0 computes them for every view). foreign_affairs/reports/registry.py.
REPORTS_DASHBOARD_CACHE_SECONDS = env.int("REPORTS_DASHBOARD_CACHE_SECONDS", default=60)

# Audit log (foreign_affairs/audit) ------------------------------------------------------------------
# The key of the chain's HMACs: from the environment only, never in the database or its backups, and
# not SECRET_KEY (which signs sessions and reset links and is shared more widely). With DEBUG off a
# missing key stops start-up; in development it is derived from SECRET_KEY, and no safer than that.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
if not DEBUG and (len(AUDIT_HMAC_KEY) < 32 or AUDIT_HMAC_KEY == SECRET_KEY):
    raise ImproperlyConfigured(
        ("AUDIT_HMAC_KEY is not set. " if not AUDIT_HMAC_KEY else "AUDIT_HMAC_KEY is too weak. ")
        + "With DEBUG off the audit log needs a key of its own, at least 32 random characters and not "
        "SECRET_KEY, e.g. AUDIT_HMAC_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))'). "
        "Keep it out of the database and its backups; a lost key leaves the audit log unverifiable. "
        "For local development set DEBUG=true instead (make run does)."
    )
if not AUDIT_HMAC_KEY:
    AUDIT_HMAC_KEY = hashlib.sha256(f"foreign_affairs.audit:{SECRET_KEY}".encode()).hexdigest()
# Retired keys, kept only to verify the events and checkpoints they signed. To rotate, move the current
# key here and set a new AUDIT_HMAC_KEY; a key removed from both makes its events fail verification.
AUDIT_HMAC_KEYS = env.list("AUDIT_HMAC_KEYS", default=[])
# Where the hourly checkpoints of the chain's newest event are appended (checkpoints.jsonl): outside the
# database, ideally on storage its administrators cannot rewrite (a separate volume, append-only).
AUDIT_CHECKPOINT_DIR = Path(env.str("AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints")))

# Personal information (foreign_affairs/privacy) --------------------------------------------------------
# Passport numbers and private files are encrypted with Fernet keys from the environment, never from the
# database or its backups. PERSONAL_DATA_KEYS: comma-separated keys, the newest first (it encrypts; all
# decrypt); make one with python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'.
# To rotate, put a new key in front, run `manage.py personal_data_rekey`, then drop the old one.
# PERSONAL_DATA_INDEX_KEY: the HMAC key of the blind indexes (exact lookup by passport number). Unset, both
# are derived from SECRET_KEY (development; `check --deploy` warns), no safer than that key.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
PERSONAL_DATA_INDEX_KEY = env.str("PERSONAL_DATA_INDEX_KEY", default="")
PERSONAL_DATA_KEYS_DERIVED = not PERSONAL_DATA_KEYS or not PERSONAL_DATA_INDEX_KEY
# Unusual access: an account that looked at this many different people's data in one day is listed.
PRIVACY_UNUSUAL_PEOPLE_PER_DAY = env.int("PRIVACY_UNUSUAL_PEOPLE_PER_DAY", default=20)
if not PERSONAL_DATA_KEYS:
    PERSONAL_DATA_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"foreign_affairs.privacy:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
if not PERSONAL_DATA_INDEX_KEY:
    PERSONAL_DATA_INDEX_KEY = hashlib.sha256(
        f"foreign_affairs.privacy.index:{SECRET_KEY}".encode()
    ).hexdigest()
for _key in PERSONAL_DATA_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS holds a value that is not a Fernet key (32 bytes, URL-safe base64). Make one "
            "with python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        ) from None

# Logging: JSON lines in production (one object per event), plain text in development ---------------
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print every record a second time through the root logger.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # The access log is written by RequestLogMiddleware; runserver's own copy is redundant.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # one line per rendering step
    },
}
