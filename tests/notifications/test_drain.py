"""Delivery that keeps up: drain() goes on while work is due, a slow receiver holds up no
other, each outcome is stored as soon as it is known, and a claim's lease is seconds long."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from django.db.models import Max
from django.utils import timezone

from satupintu.notifications import delivery
from satupintu.notifications.models import WebhookDelivery
from tests.conftest import City
from tests.notifications.conftest import Answer, Receiver, make_endpoint, running_receiver


def test_drain_delivers_every_due_event_in_one_call(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    for _ in range(25):
        city.file()
    # Events not yet fanned out are fanned out by the drain itself.
    run = delivery.drain(batch=4, parallel=6)
    assert run.succeeded == 25
    assert len(receiver.requests) == 25
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert delivery.drain().attempted == 0


def test_a_slow_receiver_does_not_hold_up_a_fast_one(city: City, receiver: Receiver) -> None:
    with running_receiver() as slow:
        slow.default = Answer(delay=0.5)
        fast_endpoint, _ = make_endpoint(receiver.url, "created", name="fast")
        slow_endpoint, _ = make_endpoint(slow.url, "created", name="slow")
        for _ in range(24):
            city.file()
        started = timezone.now()
        run = delivery.drain(parallel=16)
    assert run.succeeded == 48

    def last(endpoint: Any) -> float:
        done = WebhookDelivery.objects.filter(endpoint=endpoint).aggregate(Max("delivered_at"))
        return (done["delivered_at__max"] - started).total_seconds()

    # The slow one gets at most PER_ENDPOINT sends at a time: 24 × 0.5 s / 4 = 3 s at least.
    assert last(slow_endpoint) >= 24 * 0.5 / delivery.PER_ENDPOINT - 0.2
    assert last(fast_endpoint) < 1.5, last(fast_endpoint)


class Killed(BaseException):
    """What a SIGKILL is to the worker: nothing after it runs."""


def test_a_killed_run_re_sends_at_most_what_was_in_flight(
    city: City, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    make_endpoint(receiver.url, "created")
    for _ in range(12):
        city.file()
    delivery.fan_out()
    real_post = delivery.post
    sent: list[int] = []

    async def post(session: Any, job: Any, **options: Any) -> delivery.Outcome:
        if len(sent) >= 5:
            await asyncio.sleep(0.3)  # the rest are still in flight when the worker dies
            raise Killed
        sent.append(job.delivery_id)
        return await real_post(session, job, **options)

    monkeypatch.setattr(delivery, "post", post)
    monkeypatch.setattr(delivery, "PER_ENDPOINT", 16)
    claimed_at = timezone.now()
    with pytest.raises(Killed):
        delivery.drain(parallel=16)  # all twelve claimed at once
    # What was answered before the kill is stored as delivered at once.
    delivered = set(WebhookDelivery.objects.filter(status="succeeded").values_list("pk", flat=True))
    assert delivered == set(sent)
    # The rest are held for a lease of seconds, not minutes.
    held = WebhookDelivery.objects.filter(status="pending", attempts=1)
    assert held.exists()
    lease = dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT + 5)
    assert all(d.next_attempt_at <= claimed_at + lease + dt.timedelta(seconds=1) for d in held)
    # Once the lease has run out, another worker sends only those.
    monkeypatch.setattr(delivery, "post", real_post)
    assert delivery.drain().attempted == 0  # still leased
    WebhookDelivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    again = delivery.drain()
    assert again.succeeded == 12 - len(sent)
    assert len(receiver.requests) == 12  # nothing delivered twice
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 12


def test_a_long_send_keeps_its_lease(city: City, receiver: Receiver, settings: Any) -> None:
    settings.WEBHOOK_TIMEOUT = 3
    make_endpoint(receiver.url, "created")
    city.file()
    receiver.default = Answer(delay=2.5)
    original = delivery._lease
    try:
        # A lease shorter than the send: it must be renewed while the send runs.
        delivery._lease = lambda: dt.timedelta(seconds=1.5)  # type: ignore[assignment]
        assert delivery.drain().succeeded == 1
    finally:
        delivery._lease = original  # type: ignore[assignment]
    stored = WebhookDelivery.objects.get()
    assert (stored.status, stored.attempts) == ("succeeded", 1)
    assert len(receiver.requests) == 1
