"""Wrong invitation links and join codes are counted per address in the cache (Redis in
production, shared by every web process); past GUESS_RATE the address gets a 429 page.

The count fails open: when the cache does not answer, nobody is slowed down. Links are
192-bit secrets that no rate of guessing finds (docs/security.md), so the limit is a second
line of defence, while failing closed would turn a Redis outage into a page that no
employee can open. After a failure the cache is left alone for CACHE_RETRY_AFTER seconds,
so that a hung Redis costs one timeout (REDIS_TIMEOUT) per web process, not one per link
opened."""

import logging
import time

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_RETRY_AFTER = 30.0  # seconds
# What Django's Redis cache raises when Redis is down, hung or unreachable.
CACHE_ERRORS = (RedisError, OSError)

# Per process; a race between threads only costs another timeout.
_cache_down_until = 0.0


def guessing_limited(request: HttpRequest, *, failed: bool = False) -> bool:
    """Whether this address has used up its wrong guesses; `failed=True` counts one more."""
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return False
    try:
        usage = get_usage(
            request, group="guesses", key="ip", rate=settings.GUESS_RATE, increment=failed
        )
    except CACHE_ERRORS as error:
        _cache_down_until = time.monotonic() + CACHE_RETRY_AFTER
        logger.warning(
            "Wrong links and codes are not counted for %d s: the cache did not answer (%s)",
            CACHE_RETRY_AFTER,
            error,
        )
        return False
    return usage is not None and usage["count"] >= usage["limit"]
