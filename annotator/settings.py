"""Settings for Annotator, read from the environment (see README.md, "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from annotator.dburl import database_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the views send (whitenoise serves static files precompressed, above);
    # before every middleware that reads or writes the body. Adds BREACH-mitigating padding.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "articles.guards.middleware.RejectNulMiddleware",
]

ROOT_URLCONF = "annotator.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "annotator.wsgi.application"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", ""), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "article_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; the test suite runs without it.
        "BACKEND": "articles.assets.StaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests run with DEBUG off but without collectstatic; let whitenoise find files itself.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# Uploaded articles are read in memory; nothing is written to local disk, so any
# app server behind the load balancer can take any request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An article's admin page posts four fields per inline annotation (id, article, label,
# status): 1,000 annotations are 4,000 fields, beyond Django's default limit of 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
ANNOTATOR_MAX_UPLOAD_BYTES = int(os.environ.get("ANNOTATOR_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
# A tag longer than this (code points) or across more paragraphs is saved only when the
# analyst confirms it: runaway selections are the usual cause of such tags.
ANNOTATOR_LONG_TAG_CHARS = int(os.environ.get("ANNOTATOR_LONG_TAG_CHARS", 600))
ANNOTATOR_LONG_TAG_PARAGRAPHS = int(os.environ.get("ANNOTATOR_LONG_TAG_PARAGRAPHS", 3))
# The longest note an annotation may have, on every path (reader, import, admin).
ANNOTATOR_MAX_NOTE_CHARS = int(os.environ.get("ANNOTATOR_MAX_NOTE_CHARS", 2000))

# Content Security Policy: no inline script or style without the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# HTTPS hardening is on by default in production; HTTPS=0 turns it off (local
# testing over plain http). Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Database sessions (shared by every app server; logging out ends a session everywhere),
# read with one hand-written query (articles/accounts/sessions.py).
SESSION_ENGINE = "articles.accounts.sessions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Articles from the web (articles/web/fetch.py): size and time limits of one fetch, and
# hosts or networks allowed despite the SSRF guard (comma-separated, e.g. "10.1.0.0/16,.intranet.example").
ANNOTATOR_FETCH_MAX_BYTES = int(os.environ.get("ANNOTATOR_FETCH_MAX_BYTES", 5 * 1024 * 1024))
ANNOTATOR_FETCH_TIMEOUT = float(os.environ.get("ANNOTATOR_FETCH_TIMEOUT", 15))
ANNOTATOR_FETCH_ALLOW = env_list("ANNOTATOR_FETCH_ALLOW")

# Background jobs: Django's tasks framework, stored in the database; `manage.py db_worker` runs them.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Full-text search (articles/search/fulltext.py): the PostgreSQL text search configuration
# (stemming, stop words). The stored search vectors are built with it at migrate time;
# after changing it, rebuild them with `manage.py rebuild_search_index`.
ANNOTATOR_SEARCH_CONFIG = os.environ.get("ANNOTATOR_SEARCH_CONFIG", "english")
# Log-in throttling (django-axes): ANNOTATOR_LOGIN_FAILURE_LIMIT failed log-ins for one
# username from one address lock that pair out (app and admin log-in alike) for
# ANNOTATOR_LOGIN_COOLOFF_MINUTES; `manage.py axes_reset_username NAME` or the admin's
# "Access attempts" unlock it sooner. README.md, "Log-in throttling".
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with a user's permissions in one query (articles/accounts/backends.py).
    "articles.accounts.backends.OneQueryModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ANNOTATOR_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ANNOTATOR_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "articles.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "articles.accounts.client_ip.client_ip"
# Behind a load balancer every request comes from its address: trust the last hop of
# X-Forwarded-For (the address the balancer saw) only when it is there to set it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR")

# Password reset mail: the console in development, SMTP (EMAIL_* variables) in production.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND")
        or (
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", 25)),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
        },
    }
}
if "console" in MAILERS["default"]["BACKEND"]:
    MAILERS["default"]["OPTIONS"] = {}  # the console backend takes no SMTP options
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "annotator@localhost")

# A failed CSRF check gets a page in the site's layout, or a message for HTMX (handler403 &c. in urls.py).
CSRF_FAILURE_VIEW = "articles.guards.views.csrf_failure"
# Uploads that run as background jobs (README.md "Add article", docs/export.md): several
# files on the Add article page become one job (at most ANNOTATOR_MAX_UPLOAD_FILES files);
# an annotation import of more than ANNOTATOR_IMPORT_JOB_ROWS lines or ANNOTATOR_IMPORT_JOB_BYTES
# bytes runs as a job instead of inside the request.
ANNOTATOR_MAX_UPLOAD_FILES = int(os.environ.get("ANNOTATOR_MAX_UPLOAD_FILES", 100))
ANNOTATOR_IMPORT_JOB_ROWS = int(os.environ.get("ANNOTATOR_IMPORT_JOB_ROWS", 2000))
ANNOTATOR_IMPORT_JOB_BYTES = int(os.environ.get("ANNOTATOR_IMPORT_JOB_BYTES", 1024 * 1024))
