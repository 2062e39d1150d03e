"""Rate limits for public writes (portal forms, survey form, API), counted in Django's cache.

A fixed window per client address: cheap (one ``incr``, and an ``add`` to open a window), shared
by every process when the cache is Redis (settings.REDIS_URL), per process with the default
local-memory cache.
The address is ``REMOTE_ADDR``; behind a reverse proxy that address is the proxy's, so the proxy
must pass the client's address on (e.g. gunicorn ``--forwarded-allow-ips`` with a middleware that
sets ``REMOTE_ADDR``), or every citizen shares one budget.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(bucket: str, address: str, window: int) -> tuple[str, int]:
    slot = int(time.time()) // window
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return f"rl:{bucket}:{digest}:{slot}", window - int(time.time()) % window


def hit(request: HttpRequest, bucket: str, *, limit: int, window: int) -> int | None:
    """Count one request; None while within ``limit``, else the seconds until the window ends."""
    return hit_key(bucket, client_address(request), limit=limit, window=window)


def hit_key(bucket: str, ident: str, *, limit: int, window: int) -> int | None:
    """Count one request of ``ident`` (an address, an API key); like :func:`hit`."""
    key, remaining = _key(bucket, ident, window)
    # One cache operation for every request but a window's first.
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        if cache.add(key, 1, window):
            count = 1
        else:  # another process counted first
            try:
                count = cache.incr(key)
            except ValueError:  # expired in between
                cache.set(key, 1, window)
                count = 1
    return remaining if count > limit else None


def exceeded(request: HttpRequest, bucket: str, *, limit: int, window: int) -> int | None:
    """Like :func:`hit` but without counting: None while below ``limit``."""
    key, remaining = _key(bucket, client_address(request), window)
    count = cache.get(key) or 0
    return remaining if count >= limit else None
