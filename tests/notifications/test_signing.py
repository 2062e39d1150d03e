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


def test_during_an_overlap_the_header_carries_the_new_then_the_previous_signature() -> None:
    body = b'{"id":1}'
    header = signing.signature_header("whsec_new", 1_700_000_000, body, previous="whsec_old")
    new = signing.signature("whsec_new", 1_700_000_000, body)
    old = signing.signature("whsec_old", 1_700_000_000, body)
    assert header == f"t=1700000000,v1={new},v1={old}"
    assert signing.parse_signature_header(header) == (1_700_000_000, [new, old])
    for secret in ("whsec_new", "whsec_old"):
        assert signing.verify(secret, header, body, now=1_700_000_000)
    assert not signing.verify("whsec_other", header, body, now=1_700_000_000)
    assert (
        signing.signature_header("whsec_new", 1_700_000_000, body, previous=None).count("v1=") == 1
    )


def test_the_previous_secret_signs_until_its_expiry() -> None:
    assert signing.previous_if_valid("whsec_old", 1000.0, at=999) == "whsec_old"
    assert signing.previous_if_valid("whsec_old", 1000.0, at=1000) is None
    assert signing.previous_if_valid("whsec_old", None, at=0) is None
    assert signing.previous_if_valid(None, 1000.0, at=0) is None
    assert signing.previous_if_valid("", 1000.0, at=0) is None


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
