"""Settings for Alliance, read from the environment (see README, Configuration)."""

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from alliance.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ALLIANCE_VAR_DIR", str(BASE_DIR / "var")))

# Development is the default so that `make run` and `make test` need no configuration;
# production sets DJANGO_DEBUG=0 and must then name its secret and hosts.
DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "development-only-key-never-used-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("development-only"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 50+ characters.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "alliance.apps.AllianceConfig",
    "goals.apps.GoalsConfig",
    "decisions.apps.DecisionsConfig",
    "sessions_log.apps.SessionsLogConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security (alliance/middleware_security.py): idle logout first, then the two-factor gate
    # in front of every page, then the audit record of each request as it was answered.
    "alliance.middleware_security.IdleLogoutMiddleware",
    "alliance.middleware_security.TwoFactorMiddleware",
    "alliance.middleware_security.AuditMiddleware",
    "alliance.middleware_security.PrivateResponseMiddleware",
    "sessions_log.middleware.PatientModeMiddleware",
    "alliance.middleware.ClinicTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

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
                "alliance.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'alliance.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the record pages' reads are prepared once per database session
# (alliance.prepared_reads). Off behind a pooler that shares sessions per transaction.
ALLIANCE_PREPARED_READS = env_bool("ALLIANCE_PREPARED_READS", True)

# "pages": rendered parts of the busiest pages, each for its own user only (alliance.page_cache).
# By default in each process's memory. PAGE_CACHE_URL (a Redis database of the app's own, on
# the private network, like the broker's) shares the copies between the web workers.
PAGE_CACHE_URL = env_str("PAGE_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": (
        {
            "BACKEND": "alliance.cache_backends.ReusingRedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "KEY_PREFIX": "alliance-pages",
        }
        if PAGE_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "alliance-pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 500)},
        }
    ),
}

AUTH_USER_MODEL = "alliance.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitations and password resets are one-time links valid for 72 hours.
PASSWORD_RESET_TIMEOUT = 72 * 3600

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alliance <no-reply@localhost>")
# Emails sent by the worker link back here (there is no request to take the host from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)

# Celery: Redis in production and CI; a broker on the local disk needs no server in development.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the DB connection after every task unless this is set.
CELERY_DB_REUSE_MAX = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# Security. Production runs behind TLS; DJANGO_BEHIND_PROXY trusts X-Forwarded-Proto only when
# a proxy the operator controls sets it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Request bodies may hold clinical text; Django logs only the path and status.
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(exist_ok=True)
for _folder in ("queue", "control"):
    if CELERY_BROKER_TRANSPORT_OPTIONS:
        (VAR_DIR / "broker" / _folder).mkdir(parents=True, exist_ok=True)

# Authentication. django-axes checks for a lockout before any password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "alliance.auth_backend.EmailBackend",
]
# Sign-in throttling: 100 failures within an hour lock that account out from that address for
# the rest of the hour. Counting the account and the address together means nobody can lock a
# whole clinic out from behind one shared proxy address.
AXES_FAILURE_LIMIT = 100
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form names the email field "username"
AXES_USERNAME_CALLABLE = "alliance.client_ip.login_username"
# The address is REMOTE_ADDR, or the one a trusted proxy saw (ALLIANCE_TRUSTED_PROXIES): a
# client cannot choose it by sending X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "alliance.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines carry the attempted username
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
ALLIANCE_TRUSTED_PROXIES = env_list("ALLIANCE_TRUSTED_PROXIES", [])
for _proxy in ALLIANCE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"ALLIANCE_TRUSTED_PROXIES: {_proxy!r} is not an address or network."
        ) from None

# Two-factor (django-otp): TOTP apps for staff, with single-use recovery codes.
OTP_TOTP_ISSUER = env_str("ALLIANCE_OTP_ISSUER", "Alliance")

# Sessions end when the browser closes and after 12 hours at most; the clinic's idle-logout
# minutes end them sooner (alliance.middleware_security.IdleLogoutMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
CSRF_COOKIE_HTTPONLY = True

# Content security policy (django-csp): scripts and styles from the app itself only, no inline
# script. Server-drawn SVG charts size themselves with a style attribute, so style attributes
# (never <style> elements or stylesheets from elsewhere) are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
