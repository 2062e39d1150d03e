"""Periodic jobs of the open interfaces, run by ``satupintu worker`` (core/worker.py)."""

from __future__ import annotations

from satupintu.api import idempotency


def purge_idempotency() -> str:
    """Forget stored answers to idempotent writes older than a day."""
    deleted = idempotency.purge()
    return f"{deleted} idempotency records purged" if deleted else ""
