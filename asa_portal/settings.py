"""Settings for the ASA Portal.

Everything that differs between a laptop and production comes from the environment
(see the settings table in README.md). With no configuration at all the portal runs for
development: DEBUG on, SQLite in the project folder, a Celery broker that needs no server
and emails written to var/mail/.
"""

import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from environs import EnvError

# Every setting is read through `env` (the environment, then .env), never os.environ.
from asa_portal.environment import BASE_DIR, env
from asa_portal.errors import parse_admins, sentry_start

VAR_DIR = BASE_DIR / "var"


def read_bool(name: str, default: bool) -> bool:
    """Read `true` or `false` (any case); anything else stops start-up.

    Strict on purpose: `DEBUG=ture` must not silently mean False (or True).
    """
    raw = env.str(name, default=str(default).lower()).strip().lower()
    if raw not in {"true", "false"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {raw!r}.")
    return raw == "true"


def read_url(reader, name: str, default: str):
    try:
        return reader(name, default)
    except (EnvError, ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {error}") from error


DEBUG = read_bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "asa_portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_filters",
    "django_countries",
    "simple_history",
    "adminsortable2",
    "csp",
    "axes",
    # The secretariat's second factor: an authenticator app (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "accounts",
    "regions",
    "practices",
    "meetings",
    "notifications",
    "inbound",
    "privacy",
    "dashboard",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer on its own (CommonMiddleware, the 304s), so that
    # every answer of the API carries its CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Before the session (it drops cookies holding NUL); refuses NUL in addresses with 404.
    "asa_portal.middleware.NulCharactersMiddleware",
    # Before the session and the person are read: /healthz answers whoever asks.
    "asa_portal.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the language cookie, else Accept-Language, else English.
    # After the session, before CommonMiddleware (its redirects are in that language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Answers 304 to calendar clients and browsers polling with If-None-Match, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step (the admin
    # asks for it: asa_portal.admin_site).
    "django_otp.middleware.OTPMiddleware",
    # A signed-in person's language (their profile's) wins over cookie and browser.
    "asa_portal.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the site's policy built once per process.
    "asa_portal.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a sign-in refused by django-axes into the page that says when to retry.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "asa_portal.urls"
WSGI_APPLICATION = "asa_portal.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": read_url(env.dj_db_url, "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# Assigned, not defaulted: the URL reader already sets it to 0, which had hidden this.
# Kept by default: opening a connection cost more than the rest of a signed-in page
# (bench/README.md); the health check drops a broken one, and runserver closes its own.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process, a worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- Caches, sessions and database timeouts ----------------------------------
# One cache that every web process shares, so an edit reaches all of them at once: by
# default a folder on this machine (a file read is several times cheaper than a query of
# DatabaseCache, bench/README.md), Redis in production (CACHE_URL=redis://host:6379/1),
# shared by every machine. Never a per-process cache.
CACHES = {"default": read_url(env.dj_cache_url, "CACHE_URL", f"file://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    raise ImproperlyConfigured(
        "CACHE_URL must be a cache that all web processes share (file:// or redis://), "
        "not locmem://: an edit would reach only the process that made it."
    )
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Pages are built without the cache while Redis is away (asa_portal/redis_cache.py).
    # Redis answers in a millisecond: a Redis that is down or stuck must cost a request a
    # fraction of a second, not redis-py's default of 5 s for each of a page's calls.
    CACHES["default"]["BACKEND"] = "asa_portal.redis_cache.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    )
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    # Pages and fragments of older generations stay until culled; each write counts the
    # files, so the folder is kept to a few thousand.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 3000)
# Sessions read from the cache, written through to the database: a signed-in page costs
# no session query, and a cleared cache signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down or restarting fails a request within seconds instead of
    # holding a worker; CONN_HEALTH_CHECKS (above) drops a broken kept connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "asa_portal.cache.PrivatePagesMiddleware",
)
# ----------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# -- Sign-in throttling and password reset limits --------------------------------------
# django-axes on every sign-in (the site's and the admin's): after AXES_FAILURE_LIMIT
# failures for one account or from one address, both are refused for AXES_COOLOFF_TIME,
# each refused attempt starting the wait again; a successful sign-in clears the count of
# its own account only (accounts.signin.forget_own_failures), not of the address.
# Attempts are kept in the database, so all web processes agree whatever the cache.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading the person's roles with them (one query less on each page).
    "accounts.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "accounts.signin.username_of"
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.signin.locked_out"
# Failures are what matter; a row per successful sign-in would only grow.
AXES_DISABLE_ACCESS_LOG = True
# No banner on every command; failures and pauses are still logged as warnings.
AXES_VERBOSE = False
# Proxies in front of the portal that append to X-Forwarded-For (0: none, the client is
# REMOTE_ADDR). Behind a load balancer set it, or every visitor shares its address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Password reset emails: (requests, seconds) per address asked for and per client.
PASSWORD_RESET_LIMITS = {"email": (3, 60 * 60), "client": (10, 60 * 60)}
# Registrations for an event open to the public (meetings.registrations): (requests,
# seconds) per address and event, and per client; each one sends a confirmation email.
REGISTRATION_LIMITS = {"email": (3, 60 * 60), "client": (10, 60 * 60)}

# -- The secretariat's second factor (django-otp) ----------------------------------------
# `required`: the admin opens to the secretariat only after a code from an authenticator
# app (or a recovery code); whoever has none yet sets one up on their first visit.
# `optional`: the admin's home offers it; whoever has set one up is still asked for it.
_staff_2fa = env.str("STAFF_2FA", default="optional" if DEBUG else "required")
STAFF_2FA = _staff_2fa.strip().lower()
if STAFF_2FA not in {"required", "optional"}:
    raise ImproperlyConfigured(f"STAFF_2FA must be 'required' or 'optional', not {_staff_2fa!r}.")
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "ASA Portal"
# Wrong codes in a row (from the app or recovery codes together) pause the second step of
# an account for SECOND_STEP_PAUSE; a password that is right does not lift it, so knowing
# the password gives no more guesses. django-otp's own delays (1, 2, 4 … seconds per
# device) are off: one rule, which the page can say in words.
SECOND_STEP_FAILURE_LIMIT = 5
SECOND_STEP_PAUSE = dt.timedelta(minutes=15)
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0


# -- How long what is no longer needed is kept ------------------------------------------
# The nightly removal (privacy.services.old_data_remove) removes, each after its period in
# days: the raw bytes of emails received (the row, its outcome, sender and subject stay),
# outbox rows that went out, were skipped or bounced (never one still queued or failed),
# and sign-in attempts. Expired sessions go the night after they expire. The privacy page
# (/privacy/) tells these periods as they are set here.
def read_days(name: str, default: int) -> int:
    try:
        days = env.int(name, default=default)
    except (EnvError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} must be a whole number of days: {error}") from error
    if days < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1 (days), not {days}.")
    return days


def read_hours(name: str, default: int) -> int:
    try:
        hours = env.int(name, default=default)
    except (EnvError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} must be a whole number of hours: {error}") from error
    if hours < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1 (hours), not {hours}.")
    return hours


RETENTION_INBOUND_RAW_DAYS = read_days("RETENTION_INBOUND_RAW_DAYS", default=90)
RETENTION_OUTBOX_DAYS = read_days("RETENTION_OUTBOX_DAYS", default=730)
RETENTION_SIGNIN_ATTEMPTS_DAYS = read_days("RETENTION_SIGNIN_ATTEMPTS_DAYS", default=30)
# A registration's confirmation link works this many hours; unconfirmed, it is refused,
# and the nightly removal deletes it.
REGISTRATION_CONFIRM_HOURS = read_hours("REGISTRATION_CONFIRM_HOURS", default=24)
# Registrations (meetings.retention): a guest's details, and everyone's answers to an
# event's questions, this long after the event (an unconfirmed registration goes once its
# link has expired: REGISTRATION_CONFIRM_HOURS).
RETENTION_GUEST_DAYS = read_days("RETENTION_GUEST_DAYS", default=90)

LOGIN_URL = "login"
# Signing in leads to the person's own page (unless `next` says where they were going).
LOGIN_REDIRECT_URL = "me"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
# Each language is named in itself, as the language menu shows it.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("sv", "Svenska"),
    ("sk", "Slovenčina"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English is "en" once a request has chosen it (LANGUAGES has no en-gb): its formats are
# the British ones that LANGUAGE_CODE gave before, "27 March 2024" (asa_portal/formats/).
# Other languages use Django's formats for them ("27. März 2024", "27 mars 2024").
FORMAT_MODULE_PATH = ["asa_portal.formats"]
# No thousand separator by default: it would go into every number a template shows,
# years and ids in addresses too. Figures that want one say so with |intcomma, which
# groups in the reader's convention (1,750 / 1.750 / 1 750).
USE_THOUSAND_SEPARATOR = False
# The language menu's choice, for a year; a signed-in person's profile wins over it.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# What one request may send besides its files; beyond it, a 400 page (templates/400.html)
# that says so. The largest text a form takes is a practice's description (20,000
# characters); the most fields, a region's 100 figures (about 800).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: SMTP from EMAIL_URL, otherwise every message is written to var/mail/ (refused
# with DEBUG off).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ASA Portal <portal@example.org>")
# Who gets Django's error emails (a 500, a failing Celery task): `Name <address>`,
# comma-separated; empty, nobody. They come from SERVER_EMAIL.
ADMINS = parse_admins(env.str("ADMINS", default=""))
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[ASA Portal] "
DEFAULT_EXCEPTION_REPORTER_FILTER = "asa_portal.errors.ReporterFilter"
# The ORGANIZER of calendar invitations; empty: the address of DEFAULT_FROM_EMAIL.
SECRETARIAT_EMAIL = env.str("SECRETARIAT_EMAIL", default="")
# Where delivery reports go: each email's envelope sender is this address with its row and
# a signature, bounces+<id>-<signature>@domain (VERP). Empty: bounces@ the domain of
# DEFAULT_FROM_EMAIL.
BOUNCE_ADDRESS = env.str("BOUNCE_ADDRESS", default="")
if BOUNCE_ADDRESS and not re.fullmatch(r"[^@\s+]+@[^@\s]+\.[^@\s]+", BOUNCE_ADDRESS):
    raise ImproperlyConfigured(
        f"BOUNCE_ADDRESS must be a plain address without '+', such as bounces@example.org,"
        f" not {BOUNCE_ADDRESS!r}."
    )
EMAIL_FILE_PATH = VAR_DIR / "mail"
# The Date header in the portal's zone with its offset (+0100), as mail programs write
# it; Django's default is UTC written as "-0000", which RFC 5322 reserves for "unknown".
EMAIL_USE_LOCALTIME = True

# Email that comes back (inbound/: receive_mail, mail_gateway). Human messages go on to
# INBOUND_FORWARD_TO (empty: SECRETARIAT_EMAIL); it must not be an address that is itself
# delivered to receive_mail (a forwarded message that comes back is kept, not sent again).
INBOUND_FORWARD_TO = env.str("INBOUND_FORWARD_TO", default="")
# Larger messages are refused unread (the first bytes kept); parts and nesting likewise.
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=10 * 1024 * 1024)
if env.str("EMAIL_URL", default=""):
    _email = read_url(env.dj_email_url, "EMAIL_URL", "")
    if "EMAIL_BACKEND" not in _email:
        # An unknown scheme would leave Django's default, SMTP to localhost, unsaid.
        raise ImproperlyConfigured(
            "EMAIL_URL must begin with smtp:// or smtps:// (console:// or file:// for "
            f"development), not {env.str('EMAIL_URL').split(':', 1)[0]!r}."
        )
    globals().update(_email)
else:
    EMAIL_BACKEND = "asa_portal.mail.FolderBackend"
if not DEBUG and EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
    # Files, the console or memory reach nobody, yet each email would be marked sent.
    _where = {
        "asa_portal.mail.FolderBackend": f"files in {EMAIL_FILE_PATH}",
        "django.core.mail.backends.filebased.EmailBackend": f"files in {EMAIL_FILE_PATH}",
        "django.core.mail.backends.console.EmailBackend": "the console",
    }.get(EMAIL_BACKEND, EMAIL_BACKEND)
    raise ImproperlyConfigured(
        "EMAIL_URL must name an SMTP server (smtp://host:port, or smtps:// for TLS) when "
        f"DEBUG is false: otherwise every email goes to {_where} and is marked sent in the "
        "delivery log while reaching nobody."
    )
# Seconds an SMTP server may stay silent before a send fails (and is retried later): a hung
# server must not hold a worker, and the rows it claimed, forever. EMAIL_URL's ?timeout=
# wins over EMAIL_TIMEOUT.
try:
    EMAIL_TIMEOUT = globals().get("EMAIL_TIMEOUT") or env.int("EMAIL_TIMEOUT", default=30)
except (EnvError, ValueError) as error:
    raise ImproperlyConfigured(f"EMAIL_TIMEOUT must be a number of seconds: {error}") from error
if EMAIL_TIMEOUT <= 0:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a positive number of seconds.")

# Celery: Redis in production; a filesystem broker on a laptop, which needs no server but
# still runs a real worker and beat.
BROKER_DIR = Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.split("://", 1)[0] not in {"filesystem", "redis", "rediss", "memory"}:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must be redis://host:port/db or filesystem://, "
        f"not {CELERY_BROKER_URL!r}."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # How often a worker looks for new messages, and so how soon it stops on Ctrl-C.
        "polling_interval": 0.25,
        # Exchange tables and the workers' pidbox: kombu's default is ./control.
        "control_folder": str(BROKER_DIR / "control"),
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {"visibility_timeout": 3600}
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport, with a worker that stops at once on Ctrl-C.
    CELERY_BROKER_TRANSPORT = "asa_portal.broker:Transport"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The site's own pages load scripts and styles from static/ only. The admin is left out:
# its widgets still use inline styles.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The read-only API (/api/v1/) for the ASA's website: public data only, to anyone. No
# authentication at all, so that a signed-in member's session never widens what it shows.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASA Portal API",
    "DESCRIPTION": (
        "Public data of the Automotive Skills Alliance portal: public meetings and their "
        "agendas, working groups, member regions with their figures, published practices."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    # A practice's language and its summary's share one set of choices: one name for it.
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": LANGUAGES},
}
# CORS: any website may read the API from a browser, without credentials, and only read.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
# Websites that may show /embed/events/ in a frame (CSP frame-ancestors), as origins:
# scheme://host[:port], comma-separated. Empty: no website may.
EMBED_ALLOWED_ORIGINS = env.list("EMBED_ALLOWED_ORIGINS", default=[])
for _origin in EMBED_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", _origin):
        raise ImproperlyConfigured(
            f"EMBED_ALLOWED_ORIGINS: {_origin!r} is not an origin such as "
            "https://www.example.org (scheme and host, no path)."
        )

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The same error is mailed to ADMINS once in this many minutes (0: every time).
ERROR_EMAIL_INTERVAL_MINUTES = env.int("ERROR_EMAIL_INTERVAL_MINUTES", default=10)
if ERROR_EMAIL_INTERVAL_MINUTES < 0:
    raise ImproperlyConfigured("ERROR_EMAIL_INTERVAL_MINUTES must be 0 or more.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "raised_only": {"()": "asa_portal.errors.RaisedOnly"},
        "once_in_a_while": {"()": "asa_portal.errors.OnceInAWhile"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Django's error email, to ADMINS (nobody while it is empty), for an exception
        # only: not for a 503 that /healthz answers on purpose.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["raised_only", "once_in_a_while"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's own handlers on "django" go: its console printed each line a second
        # time beside the root's, and its error email went out only with DEBUG off and
        # also for refused Host headers (anyone's bad request, not our error). Setting
        # ADMINS is what asks for error emails, DEBUG or not.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 500: an exception no view handled. Celery tasks: asa_portal/celery.py.
        "django.request": {"handlers": ["mail_admins"], "propagate": True},
    },
}

# Sentry, when SENTRY_DSN is set: the errors of requests and of Celery tasks, each process
# reporting its own (the worker reads these settings too).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_start(SENTRY_DSN)
