"""Production settings pass Django's deployment checks, and every response carries the
security headers and cookie flags a browser needs."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "centricity.example.com",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    "CACHE_URL": "locmemcache://",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.com:587",
}

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="centricity.example.com")
out = {}
for path in ("/", "/accounts/login/", "/no-such-page/"):
    r = client.get(path, secure=True)
    out[path] = {"status": r.status_code, "headers": dict(r.headers),
                 "cookies": {k: {"secure": v["secure"], "httponly": v["httponly"],
                                 "samesite": v["samesite"]} for k, v in r.cookies.items()}}
r = client.get("/", secure=False)
out["http"] = {"status": r.status_code, "location": r.headers.get("Location")}
print(json.dumps(out))
"""


def production(
    *args: str, static_root: Path | None = None, without: str = ""
) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment leaks in (its database, broker, or the
    # async-unsafe switch the browser tests need).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE", "CELERY", "DJANGO_", "CACHE", "EMAIL"))
    }
    if static_root:
        env["STATIC_ROOT"] = str(static_root)
    env.update(PRODUCTION_ENV)
    if without:
        env.pop(without)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_at_warning_level_with_production_settings():
    result = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = production("manage.py", "check", without="SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_response_carries_the_security_headers_and_safe_cookies(tmp_path):
    collected = production("manage.py", "collectstatic", "--noinput", static_root=tmp_path)
    assert collected.returncode == 0, collected.stderr
    result = production("-c", PROBE, static_root=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    for path in ("/", "/accounts/login/", "/no-such-page/"):
        headers = pages[path]["headers"]
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    csrf = pages["/accounts/login/"]["cookies"]["csrftoken"]
    assert csrf == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert pages["http"]["status"] == 301
    assert pages["http"]["location"].startswith("https://")
