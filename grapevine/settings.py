"""Grapevine's one settings module, driven by environment variables (see README)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from grapevine.env import data_dir, env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
SECRET_KEY_FROM_ENV = bool(env_str("GRAPEVINE_SECRET_KEY") or env_str("SECRET_KEY"))
DEBUG = env_bool("GRAPEVINE_DEBUG", False)
ALLOWED_HOSTS = env_list("GRAPEVINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("GRAPEVINE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("GRAPEVINE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sign-up is open for the very first account only, unless the operator opens it.
SIGNUP_OPEN = env_str("GRAPEVINE_SIGNUP", "first-account-only").strip().lower() == "open"
MAX_UPLOAD_MB = env_int("GRAPEVINE_MAX_UPLOAD_MB", 20)
# What the files Grapevine reads in one zip (a LinkedIn export) may expand to, together.
MAX_UNZIPPED_MB = env_int("GRAPEVINE_MAX_UNZIPPED_MB", 3 * MAX_UPLOAD_MB)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "grapevine.accounts",
    "grapevine.contacts",
    "grapevine.journal",
    "grapevine.meetings",
    "grapevine.messaging",
    "grapevine.coach",
    "grapevine.transfer",
    "grapevine.targets",
    "grapevine.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grapevine.core.middleware.UserTimeZoneMiddleware",
    # Last, as django-axes asks: it locks out after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grapevine.urls"
WSGI_APPLICATION = "grapevine.wsgi.application"
ASGI_APPLICATION = "grapevine.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite in the data folder by default; DATABASE_URL (postgres://…) switches to
# PostgreSQL through psycopg 3.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "grapevine.sqlite3"),
            "OPTIONS": {
                # Writers queue instead of failing with "database is locked":
                # IMMEDIATE takes the write lock at BEGIN, the timeout waits for it.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    # A 64 MB page cache and memory-mapped reads: the daily agenda reads
                    # the journal's indexes many times (measured 80 -> 67 ms at 30,000 people).
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an e-mail + address pair out after repeated failures.
AXES_FAILURE_LIMIT = env_int("GRAPEVINE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("GRAPEVINE_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("GRAPEVINE_SECURE_COOKIES", SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("GRAPEVINE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
# Vendored htmx and Pico CSS live in grapevine/static/, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Mail (reminders, sending drafts) -----------------------------------------
EMAIL_HOST = env_str("GRAPEVINE_SMTP_HOST") or env_str("EMAIL_HOST")
EMAIL_PORT = env_int("GRAPEVINE_SMTP_PORT", 587)
EMAIL_HOST_USER = env_str("GRAPEVINE_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("GRAPEVINE_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("GRAPEVINE_SMTP_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("GRAPEVINE_SMTP_SSL", EMAIL_PORT == 465)
DEFAULT_FROM_EMAIL = env_str("GRAPEVINE_FROM_EMAIL", "grapevine@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Locale -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("GRAPEVINE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GRAPEVINE_LOG_LEVEL", "WARNING")},
}
