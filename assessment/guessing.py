"""Wrong invitation links and join codes are counted per address in the cache (Redis in
production, shared by every web process); past GUESS_RATE the address gets a 429 page.

The count fails open: when the cache does not answer, nobody is slowed down. Links are
192-bit secrets that no rate of guessing finds (docs/security.md), so the limit is a second
line of defence, while failing closed would turn a Redis outage into a page that no
employee can open. A hung Redis costs one timeout (REDIS_TIMEOUT) per web process, not one
per link opened: while one request has waited on the cache for longer than CACHE_STUCK_AFTER
the others do not ask it; after a failure the cache is left alone for CACHE_RETRY_AFTER
seconds, and then one request alone asks it again while the others go on uncounted."""

import logging
import threading
import time

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_RETRY_AFTER = 30.0  # seconds
# Redis answers in a millisecond or two; a call this old is taken for a hung one. Not
# less: on a busy web process a thread may wait that long for the interpreter alone, and
# guesses made meanwhile would go uncounted.
CACHE_STUCK_AFTER = 0.25  # seconds
# What Django's Redis cache raises when Redis is down, hung or unreachable.
CACHE_ERRORS = (RedisError, OSError)

# Per process: when the cache may be asked again (0: it has not failed), and when each
# call now waiting on it began.
_cache_down_until = 0.0
_asking: dict[int, float] = {}
_cache_state = threading.Lock()


def _start_asking(call: int) -> tuple[bool, bool]:
    """(whether to ask the cache, whether this call is the one trying it again)."""
    global _cache_down_until
    with _cache_state:
        now = time.monotonic()
        if now < _cache_down_until:
            return False, False
        if any(now - began > CACHE_STUCK_AFTER for began in _asking.values()):
            return False, False
        _asking[call] = now
        if _cache_down_until:
            # Without this claim every link opened while the retry waits on a still-hung
            # Redis would wait on it too.
            _cache_down_until = now + CACHE_RETRY_AFTER
            return True, True
        return True, False


def _stop_asking(call: int, *, retrying: bool, error: Exception | None) -> None:
    global _cache_down_until
    with _cache_state:
        del _asking[call]
        if error is not None:
            _cache_down_until = time.monotonic() + CACHE_RETRY_AFTER
        elif retrying:
            _cache_down_until = 0.0
    if error is not None:
        logger.warning(
            "Wrong links and codes are not counted for %d s: the cache did not answer (%s)",
            CACHE_RETRY_AFTER,
            error,
        )


def guessing_limited(request: HttpRequest, *, failed: bool = False) -> bool:
    """Whether this address has used up its wrong guesses; `failed=True` counts one more."""
    call = threading.get_ident()
    ask, retrying = _start_asking(call)
    if not ask:
        return False
    error: Exception | None = None
    try:
        usage = get_usage(
            request, group="guesses", key="ip", rate=settings.GUESS_RATE, increment=failed
        )
    except CACHE_ERRORS as caught:
        error = caught
        return False
    finally:
        _stop_asking(call, retrying=retrying, error=error)
    return usage is not None and usage["count"] >= usage["limit"]
