"""Wrong invitation links and join codes are counted per address in the cache (Redis in
production, shared by every web process); past GUESS_RATE the address gets a 429 page."""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


def guessing_limited(request: HttpRequest, *, failed: bool = False) -> bool:
    """Whether this address has used up its wrong guesses; `failed=True` counts one more."""
    usage = get_usage(
        request, group="guesses", key="ip", rate=settings.GUESS_RATE, increment=failed
    )
    return usage is not None and usage["count"] >= usage["limit"]
