"""Several workers at once (PostgreSQL): no event is fanned out twice, no delivery sent twice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from satupintu.notifications import delivery
from satupintu.notifications.models import OutboxEvent, WebhookDelivery
from tests.conftest import City, postgres_only, race
from tests.notifications.conftest import Receiver, make_endpoint

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_concurrent_fan_outs_never_duplicate_deliveries(city: City) -> None:
    assert connection.vendor == "postgresql"
    for name in ("app", "bot", "sms"):
        make_endpoint("http://127.0.0.1:9/hook", "created", "dispatched", name=name)
    for _ in range(40):
        city.dispatched()  # 80 events
    assert OutboxEvent.objects.count() == 80

    def drain() -> tuple[int, int]:
        events = rounds = 0
        while result := delivery.fan_out(batch=7):
            if not result.events:
                break
            events += result.events
            rounds += 1
        return events, rounds

    results = race(drain, drain)
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(events for events, _ in results) == 80  # each event claimed by one worker
    assert all(rounds > 0 for _, rounds in results)  # both workers took a share
    assert WebhookDelivery.objects.count() == 240
    twice = (
        WebhookDelivery.objects.values("endpoint", "event").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not twice.exists()
    assert not OutboxEvent.objects.filter(processed_at__isnull=True).exists()


def test_concurrent_delivery_runs_post_each_delivery_once(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    for _ in range(30):
        city.file()
    delivery.fan_out()

    def drain() -> int:
        sent = 0
        while run := delivery.deliver_due(batch=4):
            if not run.attempted:
                break
            sent += run.attempted
        return sent

    results = race(drain, drain)
    assert sum(results) == 30, results
    assert len(receiver.requests) == 30
    assert len({r.headers["x-satupintu-delivery"] for r in receiver.requests}) == 30
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
