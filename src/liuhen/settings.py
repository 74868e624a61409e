"""Liuhen settings: one module, every knob a ``LIUHEN_*`` environment variable.

Defaults are the embedded deployment (SQLite and blobs under ``./var``). Each
variable is parsed strictly: a bad value stops start-up with an error that names it.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value == "" else value


def env_str(name: str, default: str) -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default_file: Path) -> str:
    """Read NAME, else the file named by NAME_FILE, else a key generated on first start."""
    if value := _raw(name):
        return value
    if file_name := _raw(f"{name}_FILE"):
        path = Path(file_name)
        if not path.is_file():
            raise ImproperlyConfigured(f"{name}_FILE names {path}, which does not exist")
        return path.read_text().strip()
    if not default_file.exists():
        default_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(default_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return default_file.read_text().strip()


DATA_DIR = Path(env_str("LIUHEN_DATA_DIR", "var")).resolve()
if (_test_worker := os.environ.get("PYTEST_XDIST_WORKER")) and "pytest" in sys.modules:
    # Parallel test processes each reset their own blobs, keys, uploads and SQLite file.
    # Servers and scripts a test starts inherit the variable but use the directory given.
    DATA_DIR = DATA_DIR / _test_worker
DATA_DIR.mkdir(parents=True, exist_ok=True)
KEYS_DIR = DATA_DIR / "keys"

SECRET_KEY = env_secret("LIUHEN_SECRET_KEY", KEYS_DIR / "secret_key")
DEBUG = env_bool("LIUHEN_DEBUG", False)
ALLOWED_HOSTS = env_list("LIUHEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("LIUHEN_CSRF_TRUSTED_ORIGINS", [])
# The reverse proxies in front of the servers (addresses or networks, e.g. 10.0.0.0/8): a
# request from one of them is logged, locked out and rate-limited under the client address
# it forwards (X-Forwarded-For), not under the proxy's own.
TRUSTED_PROXIES = env_list("LIUHEN_TRUSTED_PROXIES", [])

# --- database -------------------------------------------------------------
import dj_database_url  # noqa: E402

DATABASE_URL = env_str("LIUHEN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'liuhen.sqlite3'}")
if not DATABASE_URL.startswith(("sqlite://", "postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        f"LIUHEN_DATABASE_URL must be sqlite:///PATH or postgres://…, not {DATABASE_URL!r}"
    )
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
_keep_connections = env_int("LIUHEN_DATABASE_CONN_MAX_AGE", 60, minimum=0)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at the
    # start of each transaction so concurrent writers queue instead of failing.
    # synchronous=FULL syncs the log at every commit: a committed audit event or AV
    # registration survives a power cut (NORMAL may lose the last commits). The price
    # and its measurement: docs/operations.md.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    # Tests use a file too, not shared-cache memory: there concurrent writers fail with
    # "table is locked" instead of queueing, unlike the real deployment.
    _database["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # A connection is kept between requests (no TCP and authentication round trips per
    # request); the health check drops one the server closed or lost before it is used,
    # so a restarted database costs no failed request.
    _database["CONN_MAX_AGE"] = _keep_connections
    _database["CONN_HEALTH_CHECKS"] = True
    # An unreachable server (host down, network cut) fails the request in seconds with
    # the 503 page instead of holding a web thread for the TCP timeout.
    _database.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("LIUHEN_DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- blobs (AV files, PDFs, scans) -------------------------------------------
BLOB_URL = env_str("LIUHEN_BLOB_URL", str(DATA_DIR / "blobs"))
if "://" in BLOB_URL and not BLOB_URL.startswith(("s3://", "file://")):
    raise ImproperlyConfigured(
        f"LIUHEN_BLOB_URL must be a folder or s3://bucket/prefix, not {BLOB_URL!r}"
    )
S3_ENDPOINT_URL = _raw("LIUHEN_S3_ENDPOINT_URL")
S3_REGION = env_str("LIUHEN_S3_REGION", "us-east-1")
S3_ACCESS_KEY_ID = _raw("LIUHEN_S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = _raw("LIUHEN_S3_SECRET_ACCESS_KEY")
if BLOB_URL.startswith("s3://") and len(BLOB_URL[5:].split("/")[0].split("?")[0]) < 3:
    raise ImproperlyConfigured(f"LIUHEN_BLOB_URL names no S3 bucket: {BLOB_URL!r}")
# Multipart part size of S3 uploads; S3 refuses parts under 5 MiB (but the last).
S3_PART_SIZE = env_int("LIUHEN_S3_PART_SIZE", 16 * 1024 * 1024, minimum=8 * 1024 * 1024)

# --- applications ------------------------------------------------------------
INSTALLED_APPS = [
    # Bottom layer first (docs/development/architecture.md): an app's ready() registers
    # its contributions after those of the apps it builds on.
    "liuhen.core",
    "liuhen.accounts",
    "liuhen.subjects",
    "liuhen.devices",
    "liuhen.cases",
    "liuhen.activities",
    "liuhen.deadlines",
    "liuhen.media",
    "liuhen.documents",
    "liuhen.delivery",
    "liuhen.archives",
    "liuhen.disclosure",
    "liuhen.retrieval",
    "liuhen.supervision",
    "liuhen.portal",
    "liuhen.api",
    "liuhen.web",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "liuhen.web.middleware.IncidentIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liuhen.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Both before anything reads the body: its size is checked by its Content-Length first.
    "liuhen.web.middleware.RefuseLargeBodiesMiddleware",
    "liuhen.web.middleware.RefuseControlCharactersMiddleware",
    "liuhen.accounts.middleware.SessionSecurityMiddleware",
    "liuhen.web.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "liuhen.urls"
WSGI_APPLICATION = "liuhen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liuhen.web.context_processors.navigation",
            ],
        },
    },
]

TASKS = {
    "default": {
        "BACKEND": env_str("LIUHEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- accounts and login security (GB/T 22239-2019 level 3) ------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "liuhen.accounts.passwords.PolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Defaults of the security settings the security admin may change in the app.
LOGIN_MAX_FAILURES = env_int("LIUHEN_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LIUHEN_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
SESSION_IDLE_SECONDS = env_int("LIUHEN_SESSION_IDLE_SECONDS", 30 * 60, minimum=1)
SESSION_MAX_AGE_SECONDS = env_int("LIUHEN_SESSION_MAX_AGE_SECONDS", 12 * 3600, minimum=60)
PASSWORD_MIN_LENGTH = env_int("LIUHEN_PASSWORD_MIN_LENGTH", 8, minimum=8)
PASSWORD_REQUIRE_COMPLEXITY = env_bool("LIUHEN_PASSWORD_REQUIRE_COMPLEXITY", True)
PASSWORD_MAX_AGE_DAYS = env_int("LIUHEN_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
REQUIRE_2FA_FOR_ALL = env_bool("LIUHEN_REQUIRE_2FA_FOR_ALL", False)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "留痕 Liuhen"

# --- TLS deployments ---------------------------------------------------------
TLS = env_bool("LIUHEN_TLS", False)
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_HSTS_SECONDS = env_int("LIUHEN_HSTS_SECONDS", 31536000 if TLS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_SSL_REDIRECT = env_bool("LIUHEN_SSL_REDIRECT", False)
if env_bool("LIUHEN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: local assets only, no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- internationalisation ----------------------------------------------------
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_CODE = env_str("LIUHEN_LANGUAGE", "zh-hans")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LIUHEN_LANGUAGE must be zh-hans or en, not {LANGUAGE_CODE!r}")
TIME_ZONE = env_str("LIUHEN_TIME_ZONE", "Asia/Shanghai")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"LIUHEN_TIME_ZONE is not a known time zone: {TIME_ZONE!r}"
    ) from None
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "liuhen_language"

# --- static files (served by the app through WhiteNoise) --------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "liuhen.web.storage.StaticStorage"},
}
# Before collectstatic (tests, development) files are found in the apps.
WHITENOISE_USE_FINDERS = True

# --- audit log -----------------------------------------------------------------
AUDIT_SIGNING_KEY_FILE = Path(
    env_str("LIUHEN_AUDIT_SIGNING_KEY_FILE", str(KEYS_DIR / "audit-ed25519.pem"))
)
AUDIT_SIGN_INTERVAL_SECONDS = env_int("LIUHEN_AUDIT_SIGN_INTERVAL_SECONDS", 600, minimum=10)
# Every public key that signed, with its validity period; empty: audit-keys.json beside
# the signing key.
AUDIT_KEYS_FILE = env_str("LIUHEN_AUDIT_KEYS_FILE", "")
# Witnesses each signed tree head is announced to (file:///path, s3://bucket/prefix,
# mailto:address), comma-separated; see docs/audit-export.md.
AUDIT_WITNESS_URLS = env_list("LIUHEN_AUDIT_WITNESS_URLS", [])
# How long an S3 witness with object lock keeps each head undeletable.
AUDIT_WITNESS_RETENTION_DAYS = env_int("LIUHEN_AUDIT_WITNESS_RETENTION_DAYS", 3650, minimum=1)
# The daily sealed PDF of the latest tree head, for printing into the paper file.
AUDIT_HEAD_PDF_DIR = Path(env_str("LIUHEN_AUDIT_HEAD_PDF_DIR", str(DATA_DIR / "audit-heads")))

# --- the nightly export to the provincial enforcement platform (制度第二十条) ---
PLATFORM_EXPORT_DIR = Path(env_str("LIUHEN_PLATFORM_EXPORT_DIR", str(DATA_DIR / "platform-export")))

# --- the task worker under ``liuhen serve`` ---------------------------------------
# The worker touches this file every few seconds; /healthz reports it stale when it stops.
# ``liuhen serve`` sets it for its children; unset, /healthz does not judge the worker.
WORKER_HEARTBEAT_FILE = env_str("LIUHEN_WORKER_HEARTBEAT_FILE", "")
WORKER_HEARTBEAT_SECONDS = 2
WORKER_STALE_SECONDS = env_int("LIUHEN_WORKER_STALE_SECONDS", 30, minimum=5)

# --- enforcement subjects: SM4 key for resident id numbers at rest (R18.5) ---------
SUBJECT_KEY_FILE = Path(env_str("LIUHEN_SUBJECT_KEY_FILE", str(KEYS_DIR / "subjects-sm4.key")))

# --- e-mail ------------------------------------------------------------------
EMAIL_BACKEND = env_str("LIUHEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("LIUHEN_FROM_EMAIL", "liuhen@localhost")

# --- deadlines: what counts as "due soon", how often reminders are looked for ---
DEADLINE_DUE_SOON_WORKING_DAYS = env_int("LIUHEN_DEADLINE_DUE_SOON_WORKING_DAYS", 3, minimum=0)
DEADLINE_REMINDER_INTERVAL_SECONDS = env_int(
    "LIUHEN_DEADLINE_REMINDER_INTERVAL_SECONDS", 3600, minimum=60
)

# --- logging -------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (4xx) is logged as one line, without its traceback.
    "filters": {"one_line_refusals": {"()": "liuhen.web.log_filters.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LIUHEN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every rendering step at INFO; fontTools every subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- blob fixity: how many stored files the daily sample re-hashes (R16.1, R23.1) ---
FIXITY_SAMPLE_SIZE = env_int("LIUHEN_FIXITY_SAMPLE_SIZE", 200, minimum=1)

# --- AV playback and downloads (R21.1): "" streams through the app; "nginx" answers
# with X-Accel-Redirect to an internal nginx location over the blob folder (docs/storage.md).
SENDFILE = env_str("LIUHEN_SENDFILE", "")
if SENDFILE not in ("", "nginx"):
    raise ImproperlyConfigured(f"LIUHEN_SENDFILE must be empty or nginx, not {SENDFILE!r}")
SENDFILE_PREFIX = env_str("LIUHEN_SENDFILE_PREFIX", "/_blobs/")
if not (SENDFILE_PREFIX.startswith("/") and SENDFILE_PREFIX.endswith("/")):
    raise ImproperlyConfigured(
        f"LIUHEN_SENDFILE_PREFIX must start and end with '/', not {SENDFILE_PREFIX!r}"
    )

# --- Public verification (R18.2): look-ups per anonymous address and window; beyond the
# limit the page answers 429 and the audit log records only the first refusal.
VERIFY_LOOKUP_LIMIT = env_int("LIUHEN_VERIFY_LOOKUP_LIMIT", 30, minimum=1)
VERIFY_LOOKUP_WINDOW_SECONDS = env_int("LIUHEN_VERIFY_LOOKUP_WINDOW_SECONDS", 600, minimum=1)
# --- The party's case query (R19.1): tries per address and per case number and window;
# beyond either the page answers 429, the first refusal audited.
CASE_QUERY_LIMIT_PER_ADDRESS = env_int("LIUHEN_CASE_QUERY_LIMIT_PER_ADDRESS", 10, minimum=1)
CASE_QUERY_LIMIT_PER_CASE = env_int("LIUHEN_CASE_QUERY_LIMIT_PER_CASE", 5, minimum=1)
CASE_QUERY_WINDOW_SECONDS = env_int("LIUHEN_CASE_QUERY_WINDOW_SECONDS", 900, minimum=1)

# --- Request bodies -----------------------------------------------------------------------
# The largest body a signed-in page request may send (a served document's attachments are
# up to 100 MiB); an anonymous one gets Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB).
# Larger ones are answered 413 from their Content-Length, before a byte is read. AV
# uploads go through tus, which has limits of its own.
MAX_REQUEST_BODY = env_int("LIUHEN_MAX_REQUEST_BODY", 256 * 1024**2, minimum=1024**2)

# Under ``liuhen serve`` a body must arrive within this many seconds plus its length at
# BODY_MIN_RATE bytes a second, or the request is refused (web/slow_bodies.py): a client
# trickling a form in byte by byte cannot hold a server thread.
BODY_GRACE_SECONDS = env_int("LIUHEN_BODY_GRACE_SECONDS", 3, minimum=1)
BODY_MIN_RATE = env_int("LIUHEN_BODY_MIN_RATE", 16 * 1024, minimum=1024)

# --- AV uploads: tus 1.0.0 at /api/v1/uploads/ (docs/uploads.md) ----------------------
# The largest upload accepted (Tus-Max-Size); a recorder's file may reach several GiB.
TUS_MAX_SIZE = env_int("LIUHEN_TUS_MAX_SIZE", 16 * 1024**3, minimum=8 * 1024**3)
# An unfinished upload is removed this long after its last byte came in.
TUS_EXPIRY_HOURS = env_int("LIUHEN_TUS_EXPIRY_HOURS", 72, minimum=1)
# Hash while receiving (and keep the running digests between the PATCH requests one
# process serves); false: always hash the finished file in one read at completion.
TUS_RUNNING_DIGEST = env_bool("LIUHEN_TUS_RUNNING_DIGEST", True)
# Partial files when the blob store is not a folder (S3); with the filesystem store they
# live in the store's own tmp/ so completion is a link, not a copy. Several app servers
# need a folder they all share (or a proxy that keeps an upload on one server).
TUS_PARTIAL_DIR = Path(env_str("LIUHEN_TUS_PARTIAL_DIR", str(DATA_DIR / "uploads"))).resolve()
# SM3 while receiving ("inline"), or afterwards in a background task ("deferred": SHA-256
# only on the hot path; the SM3 is then kept as core.BlobSm3 and beside the blob).
INGEST_SM3 = env_str("LIUHEN_INGEST_SM3", "inline")
if INGEST_SM3 not in ("inline", "deferred"):
    raise ImproperlyConfigured(f"LIUHEN_INGEST_SM3 must be inline or deferred, not {INGEST_SM3!r}")

# --- collection-station import: `liuhen import-dock` (docs/dock-import.md) -------------
# File-name patterns tried in order: a JSON list, or patterns separated by ";".


def _dock_patterns(name: str, default: list[str]) -> list[str]:
    import json

    value = _raw(name)
    if value is None:
        return default
    if value.lstrip().startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} is not a JSON list: {value!r}") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ImproperlyConfigured(f"{name} must be a JSON list of strings: {value!r}")
    else:
        items = value.split(";")
    patterns = [item.strip() for item in items if item.strip()]
    if not patterns:
        raise ImproperlyConfigured(f"{name} names no pattern: {value!r}")
    return patterns


DOCK_PATTERNS = _dock_patterns(
    "LIUHEN_DOCK_PATTERNS", ["{serial}_{officer_no}_{YYYYMMDDhhmmss}_{seq}.{ext}"]
)

# --- text records: PDF issuing, seal, payment (docs/documents.md) --------------
# The CJK TrueType font the PDFs embed (a Debian package: fonts-arphic-uming); empty =
# found by fontconfig. A lean copy (GB 2312 glyphs, no bitmaps or hinting) is built once
# into FONT_CACHE_DIR: subsetting it is what keeps issuing under a second.
PDF_FONT = env_str("LIUHEN_PDF_FONT", "")
FONT_CACHE_DIR = Path(env_str("LIUHEN_FONT_CACHE_DIR", str(DATA_DIR / "fonts"))).resolve()
# A RFC 3161 time-stamping service for the seal signatures (PAdES B-T); empty = none.
SEAL_TSA_URL = env_str("LIUHEN_SEAL_TSA_URL", "")
# Absolute address of the public portal, printed into the QR codes (verification, payment).
PUBLIC_BASE_URL = env_str("LIUHEN_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The payment gateway (delivery/payment/gateway.py); the default is the local simulator.
PAYMENT_GATEWAY = env_str(
    "LIUHEN_PAYMENT_GATEWAY", "liuhen.delivery.payment.gateway.SimulatorGateway"
)
# The secret the gateway signs its callbacks with (HMAC-SHA256).
PAYMENT_GATEWAY_SECRET = env_secret("LIUHEN_PAYMENT_GATEWAY_SECRET", KEYS_DIR / "payment_secret")
# The simulator lets anyone with a notice number mark it paid: a TLS (public) deployment
# refuses it unless this says it is wanted there (a training or acceptance installation).
PAYMENT_SIMULATOR_ALLOWED = env_bool("LIUHEN_PAYMENT_SIMULATOR_ALLOWED", False)
# The SMS gateway of the push notices (delivery/push/sms.py): its URL, or "simulator" for
# the embedded simulator (keeps the messages in the log, sends nothing).
SMS_URL = env_str("LIUHEN_SMS_URL", "simulator")
SMS_TIMEOUT = env_int("LIUHEN_SMS_TIMEOUT", 10, minimum=1)
# The government data exchange (subjects/licences/exchange.py): its base URL, or
# "simulator" for the embedded simulator (demo USCCs only; "simulator:timeout" never answers).
EXCHANGE_URL = env_str("LIUHEN_EXCHANGE_URL", "simulator")
# Seconds to wait for the exchange: a slow exchange must never hold up casework.
EXCHANGE_TIMEOUT = env_int("LIUHEN_EXCHANGE_TIMEOUT", 10, minimum=1)

# --- backups: `liuhen backup` / `liuhen restore` (docs/operations.md, 备份与恢复) ---------
# Where the scheduler writes a backup set every BACKUP_INTERVAL_SECONDS; empty = no
# scheduled backups. Scheduled sets are encrypted with the key file (no one is there to
# type a passphrase); the newest BACKUP_KEEP sets are kept.
BACKUP_DIR = env_str("LIUHEN_BACKUP_DIR", "")
BACKUP_KEY_FILE = env_str("LIUHEN_BACKUP_KEY_FILE", "")
if BACKUP_DIR and not BACKUP_KEY_FILE:
    raise ImproperlyConfigured("LIUHEN_BACKUP_DIR needs LIUHEN_BACKUP_KEY_FILE")
BACKUP_INTERVAL_SECONDS = env_int("LIUHEN_BACKUP_INTERVAL_SECONDS", 86400, minimum=600)
BACKUP_KEEP = env_int("LIUHEN_BACKUP_KEEP", 7, minimum=1)
