"""Production settings pass Django's deployment checks, and every response carries the
security headers and cookie flags a browser needs."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.fixtures.worker import _database_url
from tests.support.header_visits import visits
from tests.views.test_access import PAGES

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
# No database answers here: "/", which asks whether an organisation exists yet, is the
# site's error page, whose headers must be the same.
client = Client(HTTP_HOST="centricity.example.com", raise_request_exception=False)
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
    *args: str,
    static_root: Path | None = None,
    without: str = "",
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment leaks in (its database, broker, or the
    # async-unsafe switch the browser tests need).
    overrides = env or {}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE", "CELERY", "DJANGO_", "CACHE", "EMAIL"))
    }
    if static_root:
        env["STATIC_ROOT"] = str(static_root)
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    if without:
        env.pop(without)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """Production's manifest storage needs collectstatic; the module's probes share one."""
    static_root = tmp_path_factory.mktemp("static")
    collected = production("manage.py", "collectstatic", "--noinput", static_root=static_root)
    assert collected.returncode == 0, collected.stderr
    return static_root


def test_check_deploy_passes_at_warning_level_with_production_settings():
    result = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = production("manage.py", "check", without="SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_response_carries_the_security_headers_and_safe_cookies(collected_static):
    result = production("-c", PROBE, static_root=collected_static)
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


# Runs under production settings: replays the visits the test planned (as JSON on stdin)
# and prints every response's status, headers, cookies and, for HTML, its markup.
EVERYWHERE_PROBE = """
import contextlib, json, sys
from unittest import mock
import django
django.setup()
from django.contrib.auth import get_user_model
from django.templatetags.static import static
from django.test import Client

clients = {}
out = []
for step in json.load(sys.stdin):
    if step["as"] not in clients:
        clients[step["as"]] = Client(
            HTTP_HOST="centricity.example.com",
            raise_request_exception=False,
            enforce_csrf_checks=step["as"] == "strict",
        )
    client = clients[step["as"]]
    if "sign_in" in step:
        client.force_login(get_user_model().objects.get(username=step["sign_in"]))
        continue
    if "password" in step:
        user = get_user_model().objects.get(username=step["as"])
        user.set_password(step["password"])
        user.save(update_fields=["password"])
        continue
    path = static(step["static"]) if "static" in step else step["path"]
    broken = contextlib.nullcontext()
    if "break" in step:
        broken = mock.patch(step["break"], side_effect=RuntimeError("probe"))
    headers = {"HX-Request": "true"} if step.get("htmx") else {}
    with broken:
        if "post" in step:
            r = client.post(path, step["post"], secure=True, headers=headers)
        else:
            r = client.get(path, secure=True, headers=headers)
    html = r.get("Content-Type", "").startswith("text/html")
    out.append({
        "label": step["label"], "path": path, "status": r.status_code,
        "headers": dict(r.headers),
        "cookies": {
            k: {"value": v.value, "max-age": str(v["max-age"]), "secure": bool(v["secure"]),
                "httponly": bool(v["httponly"]), "samesite": v["samesite"]}
            for k, v in r.cookies.items()
        },
        "html": r.content.decode() if html else None,
    })
    r.close()
print(json.dumps(out))
"""

# What a browser would refuse to run under `script-src 'self'` / `style-src 'self'`: a
# page that has any of these is broken for its reader, not merely less safe.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]+\s(?:hx-)?on[a-z:-]*\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"""\s(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def security_header_faults(headers: dict[str, str]) -> list[str]:
    csp = headers.get("Content-Security-Policy", "")
    faults = [
        "no default-src 'self'" * ("default-src 'self'" not in csp),
        "no script-src 'self'" * ("script-src 'self'" not in csp),
        "no style-src 'self'" * ("style-src 'self'" not in csp),
        "unsafe CSP source" * ("unsafe-" in csp),
        "no HSTS" * (not headers.get("Strict-Transport-Security", "").startswith("max-age=3153")),
        "no X-Frame-Options: DENY" * (headers.get("X-Frame-Options") != "DENY"),
        "no nosniff" * (headers.get("X-Content-Type-Options") != "nosniff"),
        "no Referrer-Policy" * (headers.get("Referrer-Policy") != "same-origin"),
    ]
    return [fault for fault in faults if fault]


def check_headers_scripts_and_cookies(responses: list[dict]) -> None:
    """Every response carries the security headers, no inline script or style, and only
    secure, HTTP-only, same-site cookies."""
    wrong_headers = {
        r["label"]: faults for r in responses if (faults := security_header_faults(r["headers"]))
    }
    assert wrong_headers == {}
    inline = {
        r["label"]: [what for what, pattern in INLINE.items() if pattern.search(r["html"])]
        for r in responses
        if r["html"]
    }
    assert {label: found for label, found in inline.items() if found} == {}
    unsafe_cookies = {
        (r["label"], name): cookie
        for r in responses
        for name, cookie in r["cookies"].items()
        if cookie["value"]  # a deletion carries nothing worth protecting
        and (cookie["secure"], cookie["httponly"], cookie["samesite"]) != (True, True, "Lax")
    }
    assert unsafe_cookies == {}


def test_every_route_and_every_error_under_production_carries_the_headers_and_safe_cookies(
    transactional_db, collected_static, staff, open_round, make_workshop, invitation_link
):
    workshop = make_workshop()
    _, link = invitation_link()
    steps = visits(open_round, workshop, make_workshop, link)
    result = production(
        "-c",
        EVERYWHERE_PROBE,
        static_root=collected_static,
        stdin=json.dumps(steps),
        env={
            # This run's test database, whose rows the test has committed.
            "DATABASE_URL": _database_url(),
            # The link the test made must open under production settings too.
            "INVITATION_TOKEN_KEY": settings.INVITATION_TOKEN_KEY or settings.SECRET_KEY,
        },
    )
    assert result.returncode == 0, result.stderr[-5000:]
    responses = json.loads(result.stdout)
    by_label = {response["label"]: response for response in responses}

    check_headers_scripts_and_cookies(responses)

    # The probe reached what it meant to: each session and the CSRF cookie were set…
    assert "csrftoken" in by_label["login page"]["cookies"]
    for label in ("staff login", "link exchange", "join"):
        assert by_label[label]["status"] == 302, label
        assert by_label[label]["cookies"]["sessionid"]["value"], label
    # …every signed-in page opened on a real object, and every error page was drawn.
    admin_pages = [name for name, statuses in PAGES.items() if statuses[1] == 200]
    got = {name: by_label[f"{name} as admin"]["status"] for name in admin_pages}
    assert got == dict.fromkeys(admin_pages, 200)
    for name in ("respondent:start", "respondent:page", "respondent:review"):
        assert by_label[f"{name} as respondent"]["status"] == 200, name
    assert by_label["room:question as participant"]["status"] == 200
    assert by_label["rounds:detail as other_admin"]["status"] == 404
    assert by_label["rounds:list as lead"]["status"] == 403
    assert by_label["logout as anonymous"]["status"] == 405
    assert by_label["another department"]["status"] == 404
    assert by_label["unknown page"]["status"] == 404
    assert by_label["server error"]["status"] == 500
    assert by_label["no CSRF token"]["status"] == 403
    assert "This form has expired" in by_label["no CSRF token"]["html"]
    assert by_label["guessing"]["status"] == 429
    assert by_label["stylesheet"]["status"] == 200
    for label in ("answer a page", "answer in the room", "next question", "extend the round"):
        assert by_label[label]["status"] == 302, label
    assert by_label["htmx room"]["headers"]["HX-Redirect"] == reverse("room:now")
