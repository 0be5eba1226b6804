"""Settings for Toezeggingen, read from the environment.

Development needs nothing set: SQLite under var/, DEBUG on, a throw-away secret key. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); without a SECRET_KEY and with DEBUG
off the application refuses to start rather than run with a guessable key.
"""

import math
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1
    if not (math.isfinite(value) and value >= 0):
        raise ImproperlyConfigured(f"{name} moet een aantal seconden zijn (0 of meer), niet {raw!r}")
    return value


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY (minstens 50 willekeurige tekens) "
            "wanneer DEBUG uit staat."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tracker",  # first, so its admin/index.html (the clerks' dashboard) overrides the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",  # the task queue's table: the default backend, and kept when RQ runs the tasks
]


MIDDLEWARE = [
    "tracker.ops.runtime.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.ops.runtime.DutchByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tracker.ops.runtime.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts and addresses
    "tracker.ops.runtime.NoDemoClerkBackend",  # refuses the development demo clerk when DEBUG is off
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for an account from an address lock it out for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "tracker/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False


# Lock out per real client. Behind the TLS proxy every request comes from the proxy's address, so keyed on
# REMOTE_ADDR one attacker's wrong passwords locked the clerk out wherever they were. TRUSTED_PROXY_COUNT
# is how many reverse proxies stand in front of the app: each appends the address it received the request
# from to X-Forwarded-For, so the client is the entry that many places from the right. Entries further left
# come from the client itself and are never trusted. 0: no proxy, REMOTE_ADDR is the client. DEBUG=0 needs
# the TLS proxy anyway (SECURE_PROXY_SSL_HEADER), hence 1 by default there.
def _trusted_proxy_count() -> int:
    raw = os.environ.get("TRUSTED_PROXY_COUNT", os.environ.get("PROXY_COUNT", "")).strip()
    if not raw:
        return 0 if DEBUG else 1
    if not raw.isdigit():
        raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT moet 0 of een positief geheel getal zijn, niet {raw!r}")
    return int(raw)


TRUSTED_PROXY_COUNT = _trusted_proxy_count()
if TRUSTED_PROXY_COUNT:
    # django-ipware counts the proxies listed in the header; the last proxy is REMOTE_ADDR, not listed.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    # Only the header our proxy writes; REMOTE_ADDR when it is missing (a request from the proxy host).
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # More entries than proxies is normal (the client may send its own X-Forwarded-For): count from the
    # right and ignore the rest, rather than falling back to the proxy's address for everyone.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Clerks must use a TOTP second factor for the admin when this is on.
TRACKER_ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", False)

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite under var/ is the embedded default for a newcomer; production points DATABASE_URL at PostgreSQL.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


# A database that accepts connections but never answers must not hold a worker forever. connect_timeout
# bounds opening a connection (psycopg applies it to the whole handshake); statement_timeout lets the
# server cancel a statement that runs or waits on locks too long: below gunicorn's 30-s worker timeout,
# so a slow page ends as an error instead of a killed worker. 0 switches a timeout off (e.g. for a
# migration of a very large register).
DATABASE_CONNECT_TIMEOUT = env_seconds("DB_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_seconds("DB_STATEMENT_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASE_CONNECT_TIMEOUT:
        # libpq counts whole seconds and treats 1 as 2; never 0, which would mean "wait forever".
        _options.setdefault("connect_timeout", max(2, round(DATABASE_CONNECT_TIMEOUT)))
    _statement = f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
    _options["options"] = f"{_options.get('options', '')} {_statement}".strip()
# /healthz answers within this many seconds whatever the database does (503 when the check is not back).
HEALTHZ_TIMEOUT = 1.5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tracker" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Spreadsheet imports: all or nothing, and only with a permission of their own.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Uploads (transcripts, spreadsheets, fixtures) larger than this are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 6_000_000

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:mine"
LOGOUT_REDIRECT_URL = "tracker:list"

# Public pages can be closed to anonymous visitors (e.g. before launch).
TRACKER_PUBLIC_REQUIRES_LOGIN = env_bool("TRACKER_PUBLIC_REQUIRES_LOGIN", False)
# PostgreSQL text search configuration. Migration 0009 builds the stored search documents with it,
# so a change needs those rebuilt (migrate tracker 0008, then migrate) as well as this setting.
TRACKER_SEARCH_CONFIG = "dutch"
TRACKER_PAGE_SIZE = 25
# Named as the author of the Atom feed.
TRACKER_PUBLISHER = os.environ.get("TRACKER_PUBLISHER", "Griffie")
# Absolute address of the site, for links in e-mails.
TRACKER_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background tasks (Django's tasks API, django.tasks). E-mail and long imports run in a worker, not in the
# clerk's request. The database backend needs nothing extra (`manage.py db_worker`); TASKS_BACKEND=rq puts
# the queue on Redis (REDIS_URL, `manage.py rqworker`) for several machines. "immediate" runs a task inside
# the call that enqueues it (for a one-off script; never with a web server).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower() or "database"
TASK_QUEUES = ["default"]
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq heeft REDIS_URL nodig (bv. redis://127.0.0.1:6379/0).")
    INSTALLED_APPS.append("django_rq")
    # django-rq's queue pages in the admin let any staff account delete or requeue jobs: left out. Clerks
    # see failed e-mails under "Meldingen per e-mail"; operators see the queue with `rq info --url …`.
    RQ_SHOW_ADMIN_LINK = False
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND moet database, rq of immediate zijn, niet {TASKS_BACKEND!r}")
if REDIS_URL:
    # A job may run this long before RQ stops it (a whole legislature's import is the longest).
    RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 1800} for name in TASK_QUEUES}
    # RQ's workers must run a django.tasks Task through django-tasks-rq's job class (`rqworker` reads this).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
# Where a mail fails, the task tries again this many times in all, waiting 1, 2, 4 … minutes in between.
TRACKER_MAIL_ATTEMPTS = int(os.environ.get("TRACKER_MAIL_ATTEMPTS", "5"))
TRACKER_MAIL_RETRY_SECONDS = env_seconds("TRACKER_MAIL_RETRY_SECONDS", 60)

# One cache for every web server when Redis is there: figures computed on one node serve the others, and
# the register version in every key (tracker.public.caching) keeps them correct after a change made on any node.
CACHE_URL = os.environ.get("CACHE_URL", "").strip() or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "toezeggingen"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail (Django 6.1 mailers). Without SMTP_HOST, messages go to the console.
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_TLS", True),
                # An SMTP server that accepts but never answers held the clerk's request this long per
                # message; notifications now share one connection, so this bounds the whole wait.
                "timeout": env_seconds("SMTP_TIMEOUT", 5) or None,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "griffie@toezeggingen.localhost")
# One account follows at most this many commitments and lists: every status change is matched against
# every followed list, so an unbounded number let one account slow down every clerk.
TRACKER_MAX_FOLLOWS = int(os.environ.get("TRACKER_MAX_FOLLOWS", "200"))


# Downloads (feed, calendar, CSV, JSON together) per client and period, as django-ratelimit reads it: "60/10m"
# is 60 per 10 minutes, then 429 until the period ends. Clients are told apart by the address the trusted
# proxy saw (TRUSTED_PROXY_COUNT, as for the login lockout), logged-in members by account; clerks (staff) are
# not limited. "off" switches the limit off. The counts live in the cache (CACHES; without it, per server
# process); when the cache is unreachable, downloads are let through rather than refused to everyone.
def _download_rate() -> str | None:
    raw = os.environ.get("TRACKER_DOWNLOAD_RATE", "").strip() or "60/10m"
    if raw.lower() == "off":
        return None
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", raw):
        raise ImproperlyConfigured(
            f"TRACKER_DOWNLOAD_RATE moet een aantal per periode zijn, zoals 60/10m (s, m, h of d), of off; niet {raw!r}"
        )
    return raw


TRACKER_DOWNLOAD_RATE = _download_rate()
RATELIMIT_FAIL_OPEN = True
# A download is kept in the cache (compressed, for the register version of the moment) only up to this many
# bytes; larger ones are made anew for each request. Keep it below the cache's largest item (memcached: 1 MB).
TRACKER_DOWNLOAD_CACHE_MAX_BYTES = int(os.environ.get("TRACKER_DOWNLOAD_CACHE_MAX_BYTES", "1000000"))

# One transcript import creates at most this many new persons, or is refused whole. A committee sitting has a
# few dozen speakers and the whole parliament about 135 members and ministers; a text with 60,000 speaker
# labels made 60,000 persons.
TRACKER_MAX_NEW_PERSONS_PER_IMPORT = int(os.environ.get("TRACKER_MAX_NEW_PERSONS_PER_IMPORT", "200"))
# Reminders go out for commitments due within this many days, and for overdue ones.
TRACKER_REMINDER_DAYS = int(os.environ.get("TRACKER_REMINDER_DAYS", "14"))

# Commitments without a stated deadline get this many months after the session (or registration).
TRACKER_DEFAULT_DUE_MONTHS = int(os.environ.get("TRACKER_DEFAULT_DUE_MONTHS", "3"))
# "Due soon" on the dashboard and in the admin's filter: pending, with a deadline within this many days.
TRACKER_DUE_SOON_DAYS = int(os.environ.get("TRACKER_DUE_SOON_DAYS", "30"))

# The most bytes read from one input, per kind; bigger input is refused before it is parsed.
TRACKER_MAX_BYTES = {
    "transcript": 5_000_000,  # a text, HTML or XML transcript (upload, paste or file)
    # A PDF report carries fonts and page images besides its text, so it may be larger than a text upload.
    "transcript_pdf": int(os.environ.get("TRACKER_TRANSCRIPT_PDF_MAX_BYTES", "25000000")),
    "spreadsheet": 5_000_000,  # a CSV or XLSX upload (XLSX is also limited unpacked, in spreadsheets.py)
    "fixture": 50 * 1024 * 1024,  # a JSON fixture file
    "opendata": 50 * 1024 * 1024,  # a Tweede Kamer open-data XML file
}
# An open-data import (import_opendata) holds at most this many toezegging elements: more is refused
# before anything is validated, so 2,000,000 empty elements cost a quick refusal, not the machine's memory.
TRACKER_OPENDATA_MAX_RECORDS = int(os.environ.get("TRACKER_OPENDATA_MAX_RECORDS", "50000"))

# Proposals the learned scorer rates below this probability are not shown to clerks. Empty: the
# threshold trained with the weights (tracker/extraction/weights.json), chosen for recall >= 0.95.
_threshold = os.environ.get("TRACKER_CANDIDATE_THRESHOLD", "").strip()
try:
    TRACKER_CANDIDATE_THRESHOLD = float(_threshold) if _threshold else None
except ValueError:
    raise ImproperlyConfigured(
        f"TRACKER_CANDIDATE_THRESHOLD must be a number between 0 and 1, not {_threshold!r}"
    ) from None
if TRACKER_CANDIDATE_THRESHOLD is not None and not 0 <= TRACKER_CANDIDATE_THRESHOLD <= 1:
    raise ImproperlyConfigured(f"TRACKER_CANDIDATE_THRESHOLD must be between 0 and 1, not {_threshold!r}")

# Security. Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP, straight to the app; a redirect to HTTPS is not a 200,
# so every instance would look down. It carries no secrets and sets no cookies.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language switch's cookie: only over HTTPS on a server, not sent along with other sites' requests,
# and out of reach of scripts (no script of ours reads it; the server picks the language).
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Django's own CSP: no inline script or style without the per-request nonce, never unsafe-eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tracker.ops.runtime.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
