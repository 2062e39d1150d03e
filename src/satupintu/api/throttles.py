"""Rate limits of the open interfaces (fixed windows in Django's cache, core/throttle.py).

Writes by an API key count against that key (``ApiKey.rate_limit`` per minute, or
SATUPINTU_API_KEY_RATE_LIMIT); writes without a key count against the client address
(SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT per hour for new reports). A refused request gets 429 with
``Retry-After`` in seconds.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from satupintu.api.keys import KeyActor
from satupintu.core import throttle

_state = threading.local()


def check(request: HttpRequest, bucket: str, *, anonymous_limit: int) -> int | None:
    """Count one write; None when allowed, else the seconds to wait."""
    caller: Any = getattr(request, "auth", None)
    if isinstance(caller, KeyActor):
        limit = caller.key.rate_limit or settings.SATUPINTU_API_KEY_RATE_LIMIT
        return throttle.hit_key(bucket, f"key:{caller.key.pk}", limit=limit, window=60)
    return throttle.hit(request, bucket, limit=anonymous_limit, window=3600)


class WriteThrottle(BaseThrottle):
    """A Django Ninja throttle over :func:`check` (safe when threads share the instance)."""

    def __init__(self, bucket: str, anonymous_limit: int | None = None) -> None:
        self.bucket = bucket
        self.anonymous_limit = anonymous_limit

    def allow_request(self, request: HttpRequest) -> bool:
        limit = self.anonymous_limit or settings.SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT
        _state.wait = check(request, self.bucket, anonymous_limit=limit)
        return _state.wait is None

    def wait(self) -> float | None:
        return getattr(_state, "wait", None)
