"""The address a request came from, the same for the sign-in lockout and the guessing limit."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The connection's address, or behind a proxy the header it sets
    (RATELIMIT_IP_META_KEY, e.g. HTTP_X_REAL_IP). Headers a client could send itself are
    never read otherwise: a forged address could lock someone else out."""
    header = settings.RATELIMIT_IP_META_KEY
    if header:
        return request.META.get(header) or request.META.get("REMOTE_ADDR", "")
    return request.META.get("REMOTE_ADDR", "")
