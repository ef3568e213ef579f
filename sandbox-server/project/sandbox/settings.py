"""
Settings of the oauth-conformance sandbox: a Django OAuth Toolkit (DOT) provider laid
out like the "401GO" provider (DOT mounted at /api/o/). TEST USE ONLY: fixed secret key,
fixed client secrets, fast (insecure) password hasher, SQLite, loopback only.

Environment (set by sandbox-server/run):
  SANDBOX_STATE_DIR  where db.sqlite3 lives (default <repo>/target/sandbox-server)
  SANDBOX_PORT       port the server listens on (default 8765); used for the fixtures'
                     redirect URI and the advertised base URL
"""
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent  # sandbox-server/project
REPO_DIR = PROJECT_DIR.parent.parent
STATE_DIR = Path(os.environ.get("SANDBOX_STATE_DIR", REPO_DIR / "target" / "sandbox-server"))
SANDBOX_PORT = int(os.environ.get("SANDBOX_PORT", "8765"))

# Test-only key; this server never leaves 127.0.0.1.
SECRET_KEY = "sandbox-only-GZye0UHVSa5Lop9CVweomxyz1sbNi7pekVEyGHiMPjyVkDdOjD"
# DEBUG=False gives the realistic (non-technical) error pages a deployed provider shows.
DEBUG = os.environ.get("SANDBOX_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "sandbox",  # first, so its templates override DOT's
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "oauth2_provider",
]

MIDDLEWARE = [
    "sandbox.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(STATE_DIR / "db.sqlite3"),
        # IMMEDIATE transactions take the write lock up front, so concurrent
        # token requests wait for it (timeout) instead of failing with
        # "database is locked" when a read transaction tries to upgrade; WAL
        # lets readers proceed meanwhile. (Django >= 5.1 options.)
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}

# DOT checks client secrets with Django's password hashers (CLIENT_SECRET_HASHER =
# "default" = first entry here). PBKDF2 costs ~0.4 s per token request; MD5 is instant.
# Test-only: never use MD5 for real passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = []

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/api/o/authorize/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Named explicitly (the defaults) so the sandbox app can reference them in migrations.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

OAUTH2_PROVIDER = {
    # One partner client for both 401GO flows (see sandbox/validators.py).
    "OAUTH2_VALIDATOR_CLASS": "sandbox.validators.PartnerValidator",
    "SCOPES": {
        "read": "Read access",
        "write": "Write access",
        "participant:read": "Read participant data",
        "participant:write": "Write participant data",
    },
    # DOT default ("__all__"): a token request without `scope` gets every scope above.
    "DEFAULT_SCOPES": ["__all__"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    # Kept at DOT's defaults on purpose (documented in README.md):
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # The 401GO guide (seed 001) sends no PKCE challenge, so the sandbox does not
    # require one (DOT's default is True). A challenge that IS sent is still
    # verified: RFC 7636 §4.6 is DOT's own code and stays on.
    "PKCE_REQUIRED": False,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "sandbox": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "oauth2_provider": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
