"""Django settings: twelve-factor, every value from an environment variable with a safe default.

| variable | default | meaning |
|---|---|---|
| SATUPINTU_DEBUG | 1 | development mode (generated secrets, detailed errors) |
| SATUPINTU_DATA_DIR | ./var | SQLite file, uploads, generated secrets |
| DATABASE_URL | sqlite:///$SATUPINTU_DATA_DIR/satupintu.sqlite3 | postgres://... in production |
| SECRET_KEY | generated (debug) | Django signing key |
| SATUPINTU_FIELD_KEY | generated (debug) | key(s) for reporters' contact details, |
|  |  | comma-separated for rotation, newest first |
| SATUPINTU_AUDIT_KEY | generated (debug) | key of the audit log's hash chain |
| SATUPINTU_ALLOWED_HOSTS | localhost,127.0.0.1,[::1],testserver | |
| SATUPINTU_TIME_ZONE | Asia/Jakarta | the Pemda's time zone (WIB/WITA/WIT) |
| SATUPINTU_LANGUAGE | id | default user language |
| REDIS_URL | (none) | shared cache when several processes serve |
| SATUPINTU_PORTAL_SUBMIT_LIMIT | 10 | portal reports per client address per hour |
| SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT | 30 | failed tracking checks per client address per hour |
| SATUPINTU_PUBLISH_AFTER_VERIFICATION | 0 | 1: a report is public only once a verifier has |
|  |  | dispatched it (LAPOR! procedure); 0: public from receipt |
| SATUPINTU_MAP_CENTER | -6.4025,106.8180,12 | where maps open: latitude,longitude,zoom (0–19) |
| SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT | 10 | API/Open311 reports without a key per address |
|  |  | per hour |
| SATUPINTU_API_KEY_RATE_LIMIT | 600 | write requests per minute per API key (unless the key |
|  |  | sets its own) |
| SATUPINTU_API_MAX_BODY_KB | 256 | largest API/Open311 request body (above any valid one) |
| SATUPINTU_OPEN311_JURISDICTION_ID | (none) | the jurisdiction_id Open311 clients may send; |
|  |  | any other is refused (404); none: the argument is ignored |
| SATUPINTU_OPEN311_CONTACT | (generated) | contact line of the Open311 discovery document |
| SATUPINTU_FEDERATION_TIMEOUT | 10 | seconds before a call to another government's Open311 |
|  |  | server gives up |
| SATUPINTU_FEDERATION_PULL_MINUTES | 15 | how often each forwarded report's status is fetched |
| SATUPINTU_SITE_URL | (none) | this site's public address, e.g. https://lapor.depok.go.id, for |
|  |  | links sent to other systems (a forwarded report's photo); none: no links |
| SATUPINTU_BEHIND_PROXY | 0 | 1 behind a TLS proxy that sets X-Forwarded-Proto and |
|  |  | X-Forwarded-Host (and overwrites any sent by clients) |
| SATUPINTU_WEBHOOK_TIMEOUT | 5 | seconds a webhook receiver gets to connect and to answer |
| SATUPINTU_WEBHOOK_MAX_ATTEMPTS | 10 | attempts of one delivery before it is marked failed |
| SATUPINTU_WEBHOOK_RETRY_BASE | 15 | seconds before the first retry; doubles each time |
| SATUPINTU_WEBHOOK_RETRY_CAP | 3600 | the longest wait between two attempts, in seconds |
| SATUPINTU_TASKS | database | where background tasks queue: database (nothing to install) or |
|  |  | rq (Redis at REDIS_URL, for many workers on many machines) |
| SATUPINTU_WHATSAPP_VERIFY_TOKEN, _APP_SECRET, _TOKEN, _PHONE_NUMBER_ID, _API_BASE | (none) | |
|  |  | WhatsApp Business Cloud API (channels/whatsapp.py); unset: WhatsApp off |
| SATUPINTU_SMS_INBOUND_TOKEN, SATUPINTU_SMS_SEND_URL, SATUPINTU_SMS_SEND_TOKEN | (none) | |
|  |  | the SMS gateway (channels/sms.py); unset: SMS off |
| SATUPINTU_MESSAGE_LEASE | 30 | seconds a message being sent is held before another worker |
|  |  | may take it again (longer than any provider's timeout) |
| SATUPINTU_SMTP_URL, SATUPINTU_MAIL_FROM, SATUPINTU_IMAP_URL | (none) | e-mail out and in |
|  |  | (channels/email.py); unset: e-mail off |
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from satupintu.config import env

DEBUG = env.env_bool("SATUPINTU_DEBUG", default=True)
DATA_DIR = env.data_dir()
SECRET_KEY = env.secret("SECRET_KEY", debug=DEBUG, directory=DATA_DIR)
FIELD_KEYS = [
    k for k in env.secret("SATUPINTU_FIELD_KEY", debug=DEBUG, directory=DATA_DIR).split(",") if k
]
AUDIT_KEY = env.secret("SATUPINTU_AUDIT_KEY", debug=DEBUG, directory=DATA_DIR)

ALLOWED_HOSTS = env.env_list(
    "SATUPINTU_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.env_list("SATUPINTU_CSRF_TRUSTED_ORIGINS", [])

PACKAGE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "satupintu.core",
    "satupintu.agencies",
    "satupintu.complaints",
    "satupintu.demo",
    "satupintu.portal",
    "satupintu.desk",
    "satupintu.surveys",
    "satupintu.api",
    "satupintu.notifications",
    "satupintu.channels",
    "satupintu.catalogue",
    "satupintu.evaluation",
    "satupintu.open311",
    "satupintu.dashboard",
    "satupintu.wallboards",
]

# The open interfaces (/api/, /open311/) skip what only web pages need (core/middleware.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "satupintu.api.middleware.BodyLimitMiddleware",
    "satupintu.core.middleware.WebWhiteNoise",
    "satupintu.core.middleware.WebSession",
    "satupintu.core.middleware.Locale",
    "satupintu.api.middleware.NulTextMiddleware",
    "satupintu.core.middleware.WebCommon",
    "satupintu.core.middleware.WebCsrf",
    "satupintu.core.middleware.WebAuthentication",
    "satupintu.core.middleware.WebMessages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "satupintu.core.middleware.WebHtmx",
    "satupintu.core.outage.Middleware",
]

ROOT_URLCONF = "satupintu.config.urls"
WSGI_APPLICATION = "satupintu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "satupintu.agencies.context.site",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    """The database of ``DATABASE_URL`` (SQLite in the data folder when unset)."""
    found: dict[str, Any] = dict(
        dj_database_url.parse(
            env.env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'satupintu.sqlite3'}"),
            conn_max_age=env.env_int("SATUPINTU_DB_CONN_MAX_AGE", 60),
        )
    )
    if found["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
        # failing with "database is locked" when a read lock would have to be upgraded.
        found["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        found["CONN_MAX_AGE"] = 0
    elif found["ENGINE"] == "django.db.backends.postgresql" and env.env_bool(
        "SATUPINTU_DB_PREPARED", default=True
    ):
        # psycopg prepares the statements that core.bulk.hot_cursor() sends (prepare=True) and
        # no others: a threshold no statement reaches on its own. Turn off behind a pooler in
        # transaction mode that does not support prepared statements (PgBouncer before 1.21).
        found.setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
    return found


DATABASES = {"default": _database()}
DATABASES["default"]["TEST"] = {"NAME": env.env_str("SATUPINTU_TEST_DB_NAME", "") or None}
if not DATABASES["default"]["TEST"]["NAME"]:
    del DATABASES["default"]["TEST"]["NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.env_str("SATUPINTU_LANGUAGE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.env_str("SATUPINTU_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Leaflet's files as shipped by django-leaflet: its Django app needs GDAL, so only its static
# folder is used (found without importing the package).
_leaflet = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [PACKAGE_DIR / "static"] + (
    [("vendor", Path(next(iter(_leaflet.submodule_search_locations or []))) / "static")]
    if _leaflet
    else []
)

REDIS_URL = env.env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work (core/tasks.py): Django's Tasks API through the django-tasks backport, so the
# code moves to django.tasks unchanged on Django 6. The database backend needs nothing more; RQ
# on Redis serves many workers on many machines.
TASK_BACKEND = env.env_str("SATUPINTU_TASKS", "database").strip().lower()
if TASK_BACKEND not in {"database", "rq"}:
    raise ImproperlyConfigured(f"SATUPINTU_TASKS must be database or rq, not {TASK_BACKEND!r}")
if TASK_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("SATUPINTU_TASKS=rq needs REDIS_URL (redis://host:6379/0)")
#: The queues every backend knows: periodic jobs, and the sends and receives of messages.
TASK_QUEUES = ["default", "periodic"]
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}
        if TASK_BACKEND == "rq"
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    )
}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"} for name in TASK_QUEUES}

# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto (request.is_secure(),
# secure redirects) and X-Forwarded-Host (absolute links). Only safe when the proxy overwrites
# both headers on every request, so it stays off unless asked for. It does not change
# REMOTE_ADDR, which the portal's rate limits count by (core/throttle.py).
BEHIND_PROXY = env.env_bool("SATUPINTU_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "portal:home"

ATTACHMENT_MAX_FILES = env.env_int("SATUPINTU_ATTACHMENT_MAX_FILES", 5)
ATTACHMENT_MAX_BYTES = env.env_int("SATUPINTU_ATTACHMENT_MAX_MB", 5) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SITE_NAME = env.env_str("SATUPINTU_SITE_NAME", "satupintu")


def _site_url(name: str) -> str:
    """The public address the site's pages are served at (scheme and host, optionally a path),
    without a trailing slash; "" when not set."""
    raw = env.env_str(name, "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise env.EnvError(
            f"{name}={raw!r}: expected the site's public address, such as https://lapor.depok.go.id"
        )
    return raw.rstrip("/")


#: Where this site is reached from outside (absolute links in what we send to other systems,
#: e.g. a photo's media_url when a report is forwarded to another government's Open311 server).
SITE_URL = _site_url("SATUPINTU_SITE_URL")

# Map tiles are map data, not code: a Pemda may point this at its own tile server.
MAP_TILES_URL = env.env_str(
    "SATUPINTU_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)


def _map_center(name: str, default: str) -> tuple[float, float, int]:
    """``latitude,longitude,zoom`` from the environment, e.g. ``-6.4025,106.8180,12``."""
    raw = env.env_str(name, default).strip() or default
    expected = (
        f"{name}={raw!r}: expected latitude,longitude,zoom such as {default} "
        "(latitude -90..90, longitude -180..180, zoom a whole number 0..19)"
    )
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 3:
        raise env.EnvError(expected)
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise env.EnvError(expected) from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise env.EnvError(expected)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 19):
        raise env.EnvError(expected)
    return lat, lon, zoom


#: Where maps open: (latitude, longitude, zoom); the default is Kota Depok.
MAP_CENTER = _map_center("SATUPINTU_MAP_CENTER", "-6.4025,106.8180,12")


def _at_least_one(name: str, default: int) -> int:
    value = env.env_int(name, default)
    if value < 1:
        raise env.EnvError(f"{name}={value}: expected a whole number of at least 1")
    return value


# Rate limits of the portal's public forms, per client address per hour (portal/views.py reads
# these names).
SATUPINTU_PORTAL_SUBMIT_LIMIT = _at_least_one("SATUPINTU_PORTAL_SUBMIT_LIMIT", 10)
SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT = _at_least_one("SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT", 30)

# Which reports the public sees (complaints/public.py): from receipt (the default), or only once
# verified and dispatched (domain.md §1.5 stage 3). Confidential reports never.
SATUPINTU_PUBLISH_AFTER_VERIFICATION = env.env_bool(
    "SATUPINTU_PUBLISH_AFTER_VERIFICATION", default=False
)

# The open interfaces (/api/v1, /open311/v2; api/throttles.py): reports filed without an API key
# per client address per hour; requests per minute an API key may make to write endpoints
# unless the key has its own limit; the largest request body accepted, in KiB.
SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT = _at_least_one("SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT", 10)
SATUPINTU_API_KEY_RATE_LIMIT = _at_least_one("SATUPINTU_API_KEY_RATE_LIMIT", 600)
SATUPINTU_API_MAX_BODY_KB = _at_least_one("SATUPINTU_API_MAX_BODY_KB", 256)

# Webhooks (notifications/delivery.py): with the defaults a delivery is tried 10 times over
# 1.5 to 2 hours (15 s, 30 s, 1 min, …, up to an hour, each cut by up to half at random)
# before it is marked failed.
WEBHOOK_TIMEOUT = _at_least_one("SATUPINTU_WEBHOOK_TIMEOUT", 5)
WEBHOOK_MAX_ATTEMPTS = _at_least_one("SATUPINTU_WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_RETRY_BASE = _at_least_one("SATUPINTU_WEBHOOK_RETRY_BASE", 15)
WEBHOOK_RETRY_CAP = _at_least_one("SATUPINTU_WEBHOOK_RETRY_CAP", 3600)
# Days that finished deliveries (with their attempts) and fanned-out events are kept, for
# inspection and replay, before the worker's hourly purge removes them.
WEBHOOK_RETENTION_DAYS = _at_least_one("SATUPINTU_WEBHOOK_RETENTION_DAYS", 90)

# Open311 GeoReport v2 (/open311/v2) and federation with other governments' Open311 servers
# (open311/federation.py): the jurisdiction_id we answer to (empty: the argument is ignored),
# the discovery document's contact line, and the client side's timeout and pull interval.
SATUPINTU_OPEN311_JURISDICTION_ID = env.env_str("SATUPINTU_OPEN311_JURISDICTION_ID", "").strip()
SATUPINTU_OPEN311_CONTACT = env.env_str("SATUPINTU_OPEN311_CONTACT", "").strip()
SATUPINTU_FEDERATION_TIMEOUT = _at_least_one("SATUPINTU_FEDERATION_TIMEOUT", 10)
SATUPINTU_FEDERATION_PULL_MINUTES = _at_least_one("SATUPINTU_FEDERATION_PULL_MINUTES", 15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("SATUPINTU_LOG_LEVEL", "WARNING")},
}

# The message doors (channels/): each is off while its variables are unset.
WHATSAPP_VERIFY_TOKEN = env.env_str("SATUPINTU_WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = env.env_str("SATUPINTU_WHATSAPP_APP_SECRET", "")
WHATSAPP_TOKEN = env.env_str("SATUPINTU_WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = env.env_str("SATUPINTU_WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_BASE = env.env_str(
    "SATUPINTU_WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"
).rstrip("/")
SMS_INBOUND_TOKEN = env.env_str("SATUPINTU_SMS_INBOUND_TOKEN", "")
SMS_SEND_URL = env.env_str("SATUPINTU_SMS_SEND_URL", "")
SMS_SEND_TOKEN = env.env_str("SATUPINTU_SMS_SEND_TOKEN", "")
SMTP_URL = env.env_str("SATUPINTU_SMTP_URL", "")
#: Seconds a claimed message send holds its row before another worker may take it again:
#: longer than any adapter's timeouts (notifications/messages.py).
MESSAGE_LEASE_SECONDS = _at_least_one("SATUPINTU_MESSAGE_LEASE", 30)
MAIL_FROM = env.env_str("SATUPINTU_MAIL_FROM", "")
IMAP_URL = env.env_str("SATUPINTU_IMAP_URL", "")
