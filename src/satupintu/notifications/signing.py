"""Webhook signatures and the retry schedule: pure functions, no Django.

A delivery carries ``X-Satupintu-Signature: t=<unix time>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256, keyed with the endpoint's secret, of ``"<t>.<raw body>"``. Signing the time with
the body lets a receiver refuse old messages replayed by someone who captured one
(docs/webhooks.md shows a receiver). While a rotated-out secret is still valid (the overlap),
the header carries a second ``v1=`` made with it, after the current one:
``t=<unix time>,v1=<current>,v1=<previous>``; a receiver accepts any ``v1`` that matches.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Satupintu-Signature"
EVENT_HEADER = "X-Satupintu-Event"
DELIVERY_HEADER = "X-Satupintu-Delivery"
#: A receiver should refuse a signature older (or newer) than this many seconds.
DEFAULT_TOLERANCE = 300


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, URL-safe, with a recognisable prefix."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(
    secret: str, timestamp: int, body: bytes, *, previous: str | None = None
) -> str:
    """``t=…,v1=…``, with a second ``v1`` made with ``previous`` when one is given."""
    header = f"t={timestamp},v1={signature(secret, timestamp, body)}"
    if previous:
        header += f",v1={signature(previous, timestamp, body)}"
    return header


def previous_if_valid(previous: str | None, valid_until: float | None, *, at: float) -> str | None:
    """The rotated-out secret when it still signs a message sent at ``at`` (unix time): up to,
    not including, ``valid_until``. None when there is none or its overlap is over."""
    if not previous or valid_until is None or at >= valid_until:
        return None
    return previous


def parse_signature_header(value: str) -> tuple[int, list[str]]:
    """``t=…,v1=…`` → (timestamp, [v1 signatures]); ValueError when it is not one."""
    parts: dict[str, list[str]] = {}
    for item in value.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(val)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit() or not parts.get("v1"):
        raise ValueError("not a satupintu signature header (expected t=<unix>,v1=<hex>)")
    return int(stamps[0]), parts["v1"]


def verify(
    secret: str, header: str, body: bytes, *, now: float, tolerance: int = DEFAULT_TOLERANCE
) -> bool:
    """What a receiver checks: a v1 signature matches and the time is within ``tolerance``."""
    try:
        timestamp, candidates = parse_signature_header(header)
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


def retry_delay(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, …).

    Exponential (``base``·2^(attempt−1), at most ``cap``) with "equal jitter": half the delay
    is fixed and half random, so receivers that went down together are not hit again together.
    """
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    delay = min(cap, base * float(2 ** min(attempt - 1, 32)))
    draw = (rng or _rng).random()
    return delay / 2 + draw * delay / 2


_rng = random.Random()  # noqa: S311 - jitter, not a secret


def headers(
    *,
    secret: str,
    timestamp: int,
    body: bytes,
    event_type: str,
    delivery_id: int,
    previous: str | None = None,
) -> Mapping[str, str]:
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: str(delivery_id),
        SIGNATURE_HEADER: signature_header(secret, timestamp, body, previous=previous),
    }
