"""Settings shared by every use. Every value comes from the environment through `env`;
docs/deployment.md lists each variable with its default."""

import datetime
from pathlib import Path
from typing import Any

import environ

from .mail import mailers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Above WhiteNoise, which answers static files itself: they carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "assessment.middleware.OrganisationTimeZoneMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sign-in locks after repeated failures, for that account from that address only:
# nobody can lock an executive out from somewhere else.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True
# The lockout keys on the same address as the guessing limit (RATELIMIT_IP_META_KEY).
AXES_CLIENT_IP_CALLABLE = "assessment.client_address.client_address"

# A Redis that stops answering (hung, or gone without closing its connections) must not
# hold up a web request or a worker for long: every call to it (cache, broker, results)
# gives up after this many seconds. Job rows live in PostgreSQL, and periodic tasks queue
# again whatever could not be queued.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=1.0)


def with_redis_timeouts(cache: dict[str, Any]) -> dict[str, Any]:
    """A CACHES entry from django-environ, with REDIS_TIMEOUT when it is Redis (redis-py's
    own default is 5 s per call)."""
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        cache.setdefault("OPTIONS", {}).update(
            socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
    return cache


CACHES = {"default": with_redis_timeouts(env.cache_url("CACHE_URL", default="locmemcache://"))}
# Wrong invitation links and join codes, per address (counted in the cache: Redis in
# production so that every web process shares the count).
GUESS_RATE = env("GUESS_RATE", default="30/m")
# Behind a proxy, the client's address is in a header the proxy sets (see docs/deployment.md).
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
# A count the cache could not keep does not lock anyone out (see assessment/guessing.py).
RATELIMIT_FAIL_OPEN = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "assessment.navigation.staff_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The report's downloads (XLSX, PDF, JSON), written by the workers and read by the web
# processes, which must share it. Never served as media: a view checks who may read each.
REPORT_FILES_ROOT = env.path("REPORT_FILES_ROOT", default=Path(str(MEDIA_ROOT)) / "report-files")


def report_files_storage(root: Any) -> dict[str, Any]:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None},
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "report_files": report_files_storage(REPORT_FILES_ROOT),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Respondents hold their place in a round through the session, never through the URL.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Pages load their scripts and styles from our own origin only; no inline script anywhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

MAILERS = mailers(env("EMAIL_URL", default="consolemail://"), env("EMAIL_FILE_PATH", default=""))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Centricity <centricity@localhost>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Days after a round closes before its links, drafts and the names of who was invited are
# removed (answers and reports stay as they are). See docs/security.md.
RETENTION_DAYS = env.int("RETENTION_DAYS", default=90)
# Invitation links are HMACs under this key (see assessment/services/invitations.py).
# Changing it makes every link already e-mailed stop working.
INVITATION_TOKEN_KEY = env("INVITATION_TOKEN_KEY", default="")
# How many deliveries share a launch's (or a reminder's) e-mails: set it to the number of
# worker processes, so that each takes a part.
EMAIL_SEND_PARTS = env.int("EMAIL_SEND_PARTS", default=2)

# Celery: with no broker configured, tasks run in-process (the laptop demo).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]


def default_result_backend(broker_url: str) -> str:
    """Redis holds results as well as messages; another broker needs a backend of its own
    (CELERY_RESULT_BACKEND)."""
    return broker_url if broker_url.startswith(("redis://", "rediss://")) else ""


# The report's chord (a task per department, then a merge) needs a result backend to know
# when the last department is done. Tasks keep no results unless they ask to.
CELERY_RESULT_BACKEND = (
    env("CELERY_RESULT_BACKEND", default=default_result_backend(CELERY_BROKER_URL)) or None
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = env.int("CELERY_RESULT_EXPIRES", default=60 * 60 * 24)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Bounded calls to Redis (REDIS_TIMEOUT): without them a publish, or a chord's bookkeeping,
# waits forever on a Redis that is hung (kombu's and Celery's defaults: none, and 120 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_TIMEOUT,
    "socket_connect_timeout": REDIS_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
CELERY_TIMEZONE = TIME_ZONE

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "hide_links": {"()": "assessment.log_filters.HideInvitationLinks"},
        "hide_glyphs": {"()": "assessment.log_filters.HideMissingGlyphs"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines carry paths, and respondents' first request carries their token.
        "django.request": {"level": "ERROR", "filters": ["hide_links"]},
        "django.server": {"level": "ERROR", "filters": ["hide_links"]},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO, and names the characters it
        # has no glyph for, which come from what people wrote.
        "weasyprint": {"level": "WARNING", "filters": ["hide_glyphs"]},
        "fontTools": {"level": "WARNING"},
    },
}
