"""Several workers telling people at once (PostgreSQL): each event claimed by one of them, each
message stored once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from satupintu.notifications import people
from satupintu.notifications.models import Message, OutboxEvent
from tests.conftest import City, postgres_only, race

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def channel_on() -> bool:
    return True


@pytest.fixture(autouse=True)
def _channels_on(monkeypatch: Any) -> None:
    from satupintu.channels import registry

    for channel in ("whatsapp", "sms", "email"):
        monkeypatch.setitem(registry.ENABLED, channel, f"{__name__}.channel_on")


def test_concurrent_fan_outs_tell_each_person_once(city: City) -> None:
    city.officer_a.email = "officer_a@pemda.example.id"
    city.officer_a.save(update_fields=["email"])
    for _ in range(20):
        city.dispatched()  # 40 events: 40 to the reporters, 20 to the liaison officer

    def drain() -> int:
        events = 0
        while (result := people.fan_out(batch=5)).events or result.deferred:
            events += result.events
        return events

    results = race(drain, drain)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 40
    assert Message.objects.filter(user=None).count() == 40
    assert Message.objects.filter(user=city.officer_a).count() == 20
    twice = Message.objects.values("event", "user", "channel").annotate(n=Count("pk"))
    assert not twice.filter(n__gt=1).exists()
    assert not OutboxEvent.objects.filter(notified_at__isnull=True).exists()
