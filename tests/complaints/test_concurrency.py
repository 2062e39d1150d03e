"""Two officers acting on one report at the same moment: exactly one wins (design.md §3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from satupintu.complaints import services
from satupintu.complaints.models import Disposition, Report
from satupintu.core import audit
from satupintu.core.errors import Conflict, NotPermitted
from tests.conftest import City, postgres_only, race

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_two_verifiers_dispatching_at_once_one_wins_one_conflicts(city: City) -> None:
    assert connection.vendor == "postgresql"
    for _ in range(5):
        report, _ = city.file()
        results = race(
            lambda pk=report.pk: services.report_dispatch(
                actor=city.verifier, report_id=pk, agency="dpupr", expected_version=1
            ),
            lambda pk=report.pk: services.report_dispatch(
                actor=city.sysadmin, report_id=pk, agency="dlhk", expected_version=1
            ),
        )
        wins = [r for r in results if isinstance(r, Report)]
        losses = [r for r in results if isinstance(r, Conflict)]
        assert (len(wins), len(losses)) == (1, 1), results
        assert Disposition.objects.filter(report_id=report.pk).count() == 1
        assert Report.objects.get(pk=report.pk).version == 2


def test_resolve_and_forward_at_once_one_wins_without_version(city: City) -> None:
    report = city.dispatched()
    results = race(
        lambda: services.report_resolve(
            actor=city.officer_a, report_id=report.pk, answer="Sudah diperbaiki"
        ),
        lambda: services.report_forward(
            actor=city.head_a, report_id=report.pk, to_agency="pln-depok", reason="PLN"
        ),
    )
    assert sum(isinstance(r, Report) for r in results) == 1
    loser = next(r for r in results if not isinstance(r, Report))
    assert isinstance(loser, Conflict | NotPermitted), loser
    report.refresh_from_db()
    assert report.status in {"resolved", "dispatched"}
    assert Disposition.objects.filter(report_id=report.pk, outcome="open").count() <= 1
    assert audit.verify().ok


def test_concurrent_sweeps_escalate_each_report_once(city: City, time_machine: Any) -> None:
    import datetime as dt

    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    ids = [city.dispatched().pk for _ in range(6)]
    later = dt.date(2025, 3, 24)
    results = race(lambda: services.sla_sweep(today=later), lambda: services.sla_sweep(today=later))
    assert sum(r.escalated for r in results) == 6
    assert set(Report.objects.filter(pk__in=ids).values_list("escalation_level", flat=True)) == {1}
