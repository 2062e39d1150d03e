"""Signatures and the retry schedule (pure functions)."""

from __future__ import annotations

import random

import pytest

from satupintu.notifications import signing


def test_signature_header_round_trip_and_tampering() -> None:
    body = b'{"id":1}'
    header = signing.signature_header("whsec_x", 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=")
    assert signing.verify("whsec_x", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_y", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_x", header, body + b" ", now=1_700_000_100)
    assert not signing.verify("whsec_x", header, body, now=1_700_000_301)
    assert not signing.verify("whsec_x", "v1=abc", body, now=1_700_000_000)
    with pytest.raises(ValueError, match="t=<unix>"):
        signing.parse_signature_header("t=1,t=2,v1=ab")


def test_new_secrets_are_long_and_different() -> None:
    a, b = signing.new_secret(), signing.new_secret()
    assert a != b and a.startswith("whsec_") and len(a) >= 40


def test_retry_delay_doubles_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(1)
    for attempt, full in [(1, 15), (2, 30), (3, 60), (9, 3600), (40, 3600)]:
        delays = [signing.retry_delay(attempt, base=15, cap=3600, rng=rng) for _ in range(200)]
        assert full / 2 <= min(delays) and max(delays) <= full
        assert max(delays) - min(delays) > full / 4  # jittered, not one fixed value
    with pytest.raises(ValueError):
        signing.retry_delay(0, base=15, cap=3600)
