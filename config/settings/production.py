"""Production: PostgreSQL, a real broker, HTTPS. Nothing secret has a default."""

from .base import *  # noqa: F403
from .base import default_result_backend, env, report_files_storage, with_redis_timeouts
from .mail import mailers

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = (
    env("CELERY_RESULT_BACKEND", default=default_result_backend(CELERY_BROKER_URL)) or None
)
CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CACHES = {"default": with_redis_timeouts(env.cache_url("CACHE_URL"))}
MAILERS = mailers(env("EMAIL_URL"), env("EMAIL_FILE_PATH", default=""))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "report_files": report_files_storage(REPORT_FILES_ROOT),  # noqa: F405
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
