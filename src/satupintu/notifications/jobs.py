"""Periodic jobs of the webhooks, run by ``satupintu worker`` (core/worker.py)."""

from __future__ import annotations

from satupintu.notifications import delivery


def fan_out() -> str:
    result = delivery.fan_out()
    if not result.events:
        return ""
    return f"{result.events} events, {result.deliveries} deliveries created"


#: The longest one turn of the worker keeps delivering, so that its other jobs get their turn.
DELIVER_SECONDS = 20


def deliver() -> str:
    run = delivery.drain(seconds=DELIVER_SECONDS)
    if not run.attempted:
        return ""
    return f"{run.succeeded} delivered, {run.retrying} to retry, {run.failed} failed"


def purge() -> str:
    result = delivery.purge()
    done = []
    if result.deliveries or result.events:
        done.append(f"{result.deliveries} deliveries and {result.events} events purged")
    if result.secrets:
        done.append(f"{result.secrets} rotated-out secrets wiped")
    return "; ".join(done)
