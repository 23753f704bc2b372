"""The address other devices reach the site at, for links shown to be opened elsewhere (a
workshop's join address and its QR code, read by the phones in the room)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

# A phone cannot reach the presenter's laptop at these.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host: str | None) -> bool:
    return (host or "").strip("[]") in LOOPBACK


def public_url(request: HttpRequest, path: str) -> str:
    """`path` on the site, at the address the request came to, unless that is this machine
    itself (the presenter opened 127.0.0.1) and SITE_URL names an address others reach."""
    request_host = urlsplit(f"//{request.get_host()}").hostname
    if is_loopback(request_host) and not is_loopback(urlsplit(settings.SITE_URL).hostname):
        site: str = settings.SITE_URL
        return site.rstrip("/") + path
    return request.build_absolute_uri(path)
