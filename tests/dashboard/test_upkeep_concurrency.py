"""Two upkeep runs at once never count a change twice (PostgreSQL: real row locks)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from satupintu.complaints import services
from satupintu.dashboard import upkeep
from satupintu.dashboard.models import BacklogRollup, DailyRollup, ReportFact
from satupintu.notifications.models import OutboxEvent
from tests.conftest import City, postgres_only, race

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_runs_at_once_count_each_report_once(city: City, settings: Any) -> None:
    for _ in range(12):
        report = city.dispatched()
        services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Ditinjau.")
    results = race(lambda: upkeep.upkeep(batch=5), lambda: upkeep.upkeep(batch=5))
    assert all(isinstance(r, upkeep.Upkeep) for r in results), results
    while upkeep.upkeep(batch=5).events:
        pass
    assert not OutboxEvent.objects.filter(rolled_up_at__isnull=True).exists()
    assert ReportFact.objects.count() == 12
    assert DailyRollup.objects.aggregate(n=Sum("reports"))["n"] == 12
    assert BacklogRollup.objects.aggregate(n=Sum("reports"))["n"] == 12
    assert DailyRollup.objects.aggregate(n=Sum("followed_up"))["n"] == 12
