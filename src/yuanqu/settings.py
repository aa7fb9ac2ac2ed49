"""One settings module, driven by environment variables.

Every variable has a working default for a developer's machine (SQLite under ``var/``,
DEBUG off unless asked for, a generated secret kept in ``var/``); a bad value fails loudly
at start-up rather than later at request time.
"""

import os
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from yuanqu.supervision.colours import ThresholdError, Thresholds

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("YUANQU_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_decimal(name: str, default: str) -> Decimal:
    raw = os.environ.get(name)
    text = default if raw is None or raw.strip() == "" else raw.strip()
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc
    if not value.is_finite():
        raise ImproperlyConfigured(f"{name} must be a finite number, got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no database")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = unquote(parts.path)
        path = path[1:] if path.startswith("/") else path
        return sqlite_database(Path(path) if path else VAR_DIR / "yuanqu.sqlite3")
    raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported (use postgres:// or sqlite://)")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets the web server read while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades in the middle of a write transaction.
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        },
        # Persistent connections, one per server thread: opening a SQLite connection and running
        # the PRAGMAs above costs more CPU than a whole cached API request. Each statement outside
        # a transaction still sees the newest committed data.
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


def load_secret_key() -> str:
    configured = os.environ.get("SECRET_KEY") or os.environ.get("YUANQU_SECRET_KEY")
    if configured:
        return configured
    if not DEBUG and env_bool("YUANQU_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = load_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "yuanqu.core",
    "yuanqu.accounts",
    "yuanqu.indicators",
    "yuanqu.reading",
    "yuanqu.chains",
    "yuanqu.projects",
    "yuanqu.service",
    "yuanqu.supervision",
    "yuanqu.workreport",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yuanqu.core.middleware.ContentSecurityPolicyMiddleware",
    "yuanqu.accounts.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yuanqu.core.middleware.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yuanqu.accounts.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "yuanqu.urls"

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
                "yuanqu.accounts.context_processors.workspace",
            ],
            # Office number and date filters on every page (see yuanqu/core/templatetags/office.py),
            # and {% translate %} / {% blocktranslate %} without a {% load i18n %} in each template.
            "builtins": ["yuanqu.core.templatetags.office", "django.templatetags.i18n"],
        },
    },
]

WSGI_APPLICATION = "yuanqu.wsgi.application"

_database_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": database_from_url(_database_url) if _database_url else sqlite_database(VAR_DIR / "yuanqu.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yuanqu.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# The idle timeout: a session ends SESSION_COOKIE_AGE after the user's last request, up to a
# minute early, because activity moves the session's expiry forward at most once a minute rather
# than with a write on every request (yuanqu.accounts.sessions).
SESSION_COOKIE_AGE = env_int("YUANQU_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ENGINE = "yuanqu.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("YUANQU_HTTPS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
# HSTS: set YUANQU_HSTS_SECONDS (e.g. 31536000) once the site is served over HTTPS only.
SECURE_HSTS_SECONDS = env_int("YUANQU_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YUANQU_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("YUANQU_HSTS_PRELOAD", False)
# An intranet host name cannot be on the browsers' HSTS preload list, so the check that asks
# for it is silenced unless preloading is asked for.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
CONTENT_SECURITY_POLICY = os.environ.get(
    "YUANQU_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Login lockout (django-axes, yuanqu.accounts.lockout): the login is refused until the cool-off
# time has passed after N failures for one user name from one address, or M for one user name
# from any addresses, or K from one address for any user names. Wrong second-factor codes count.
AXES_FAILURE_LIMIT = env_int("YUANQU_LOGIN_FAILURE_LIMIT", 5)
YUANQU_LOGIN_FAILURE_LIMIT_PER_USER = env_int("YUANQU_LOGIN_FAILURE_LIMIT_PER_USER", 10)
YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YUANQU_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "yuanqu.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "yuanqu.accounts.access.client_ip"  # REMOTE_ADDR only, as the audit log
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
AXES_ENABLE_ADMIN = False  # the security administrator's lockout list is yuanqu.accounts.admin's
AXES_VERBOSE = False
for _name, _limit in [
    ("YUANQU_LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("YUANQU_LOGIN_FAILURE_LIMIT_PER_USER", YUANQU_LOGIN_FAILURE_LIMIT_PER_USER),
    ("YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS", YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS),
]:
    if _limit < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

# Second factor (django-otp, TOTP with recovery codes): always for the three administrators;
# for every user when YUANQU_SECOND_FACTOR_FOR_ALL is true.
YUANQU_SECOND_FACTOR_FOR_ALL = env_bool("YUANQU_SECOND_FACTOR_FOR_ALL", False)
OTP_TOTP_ISSUER = os.environ.get("YUANQU_OTP_ISSUER", "园区运营平台")

# Uploaded import files wait here between the preview and the confirmation.
UPLOAD_DIR = VAR_DIR / "uploads"
YUANQU_UPLOAD_MAX_MB = env_int("YUANQU_UPLOAD_MAX_MB", 50)
# Request bodies are refused from their Content-Length before they are read
# (yuanqu.core.middleware): the largest upload plus its form for signed-in users, a login form's
# worth for anyone else.
YUANQU_REQUEST_MAX_MB = env_int("YUANQU_REQUEST_MAX_MB", YUANQU_UPLOAD_MAX_MB + 2)
YUANQU_ANONYMOUS_REQUEST_MAX_KB = env_int("YUANQU_ANONYMOUS_REQUEST_MAX_KB", 64)
# What an import file (.xlsx or .csv) may hold, checked before it is parsed
# (yuanqu.indicators.tabular.FileLimits): a sheet's rows and columns (its addresses, header
# row included) and cells (also the rectangle they span), and an .xlsx file's size unpacked,
# the compression ratio of any part over 1 MB, and its number of parts.
YUANQU_IMPORT_MAX_ROWS = env_int("YUANQU_IMPORT_MAX_ROWS", 300_000)
YUANQU_IMPORT_MAX_COLUMNS = env_int("YUANQU_IMPORT_MAX_COLUMNS", 200)
YUANQU_IMPORT_MAX_CELLS = env_int("YUANQU_IMPORT_MAX_CELLS", 4_000_000)
YUANQU_XLSX_MAX_UNPACKED_MB = env_int("YUANQU_XLSX_MAX_UNPACKED_MB", 300)
YUANQU_XLSX_MAX_RATIO = env_int("YUANQU_XLSX_MAX_RATIO", 100)
YUANQU_XLSX_MAX_ENTRIES = env_int("YUANQU_XLSX_MAX_ENTRIES", 200)
# Statistical disclosure control (yuanqu.disclosure): an aggregate shown to a reader without
# enterprise access needs at least this many enterprises, none of them over this share of it.
YUANQU_DISCLOSURE_MIN_ENTERPRISES = env_int("YUANQU_DISCLOSURE_MIN_ENTERPRISES", 3)
YUANQU_DISCLOSURE_DOMINANCE_PCT = env_int("YUANQU_DISCLOSURE_DOMINANCE_PCT", 85)
if not 1 <= YUANQU_DISCLOSURE_DOMINANCE_PCT <= 100:
    raise ImproperlyConfigured("YUANQU_DISCLOSURE_DOMINANCE_PCT must be between 1 and 100")
for _name in (
    "YUANQU_DISCLOSURE_MIN_ENTERPRISES",
    "YUANQU_UPLOAD_MAX_MB",
    "YUANQU_IMPORT_MAX_ROWS",
    "YUANQU_IMPORT_MAX_COLUMNS",
    "YUANQU_IMPORT_MAX_CELLS",
    "YUANQU_XLSX_MAX_UNPACKED_MB",
    "YUANQU_XLSX_MAX_RATIO",
    "YUANQU_XLSX_MAX_ENTRIES",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "yuanqu.core.logging.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The zone this installation runs for; CLI commands default to it.
YUANQU_DEFAULT_ZONE = os.environ.get("YUANQU_DEFAULT_ZONE", "yz-etdz")

# A month's enterprise reports are complete when at least this percentage of the enterprises
# 规上 in the month before have reported (see indicators.models.MonthCoverage). The default
# period of every page is the newest complete one; incomplete ones are labelled.
YUANQU_COMPLETE_MONTH_PCT = env_int("YUANQU_COMPLETE_MONTH_PCT", 90)
if not 1 <= YUANQU_COMPLETE_MONTH_PCT <= 100:
    raise ImproperlyConfigured("YUANQU_COMPLETE_MONTH_PCT must be between 1 and 100")


def supervision_thresholds() -> dict[str, Decimal | int]:
    """The supervision colour rules (督查督办), validated: 0 < yellow < red, days not negative.

    Behind 序时进度 by ``yellow`` points or more is yellow, by more than ``red`` points red; a
    deadline or milestone within ``due_soon`` days is blue; a milestone missed by fewer than
    ``milestone_grace`` days is yellow, by that many or more red.
    """
    yellow = env_decimal("YUANQU_SUPERVISION_YELLOW_PP", "10")
    red = env_decimal("YUANQU_SUPERVISION_RED_PP", "30")
    due_soon = env_int("YUANQU_SUPERVISION_DUE_SOON_DAYS", 7)
    grace = env_int("YUANQU_SUPERVISION_MILESTONE_GRACE_DAYS", 7)
    try:
        Thresholds(yellow_pp=yellow, red_pp=red, due_soon_days=due_soon, milestone_grace_days=grace)
    except ThresholdError as exc:
        raise ImproperlyConfigured(
            f"督查颜色阈值设置无效：{exc}（环境变量 YUANQU_SUPERVISION_YELLOW_PP、YUANQU_SUPERVISION_RED_PP、"
            "YUANQU_SUPERVISION_DUE_SOON_DAYS、YUANQU_SUPERVISION_MILESTONE_GRACE_DAYS）"
        ) from exc
    return {"yellow_pp": yellow, "red_pp": red, "due_soon_days": due_soon, "milestone_grace_days": grace}


# Supervision of key tasks: colour thresholds, and reminder e-mails (off unless asked for; the
# reminders are always listed in the application).
YUANQU_SUPERVISION = supervision_thresholds()
YUANQU_SUPERVISION_EMAIL = env_bool("YUANQU_SUPERVISION_EMAIL", False)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yuanqu@localhost")
