"""Django 6.1's MAILERS setting, built from one EMAIL_URL (django-environ's e-mail URLs:
consolemail://, filemail://, memorymail://, smtp://, smtp+tls://user:password@host:587)."""

from typing import Any

import environ

# django-environ's names → the options each Django e-mail backend accepts.
OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}


def mailers(url: str, file_path: str = "") -> dict[str, dict[str, Any]]:
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {new: config[old] for old, new in OPTION_NAMES.items() if config.get(old)}
    elif backend.endswith("filebased.EmailBackend"):
        # A path in the URL loses its leading "/", so an absolute one comes separately.
        options = {"file_path": file_path or "/" + config["EMAIL_FILE_PATH"]}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}
