"""The demo SKM: past semesters published with follow-ups, the current one open and filling."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.core import audit
from satupintu.demo import seed, skm
from satupintu.domain.indices import sample_size
from satupintu.surveys import selectors
from satupintu.surveys.models import FollowUpAction, SkmResponse, SurveyPeriod
from satupintu.surveys.policies import SkmAccess

pytestmark = pytest.mark.django_db


def test_demo_skm(db: Any) -> None:
    seed.seed_master()
    added = skm.seed_skm()
    assert added == SkmResponse.objects.count() > 5000
    assert skm.seed_skm() == 0  # once only

    periods = list(SurveyPeriod.objects.order_by("starts_on"))
    assert [p.state for p in periods] == ["published", "published", "open"]
    access = SkmAccess(manages_periods=True)
    closed = selectors.progress(periods[1], access)
    assert len(closed.rows) == len(skm.UNITS)
    assert all(row.collected >= 0.9 * (row.target or 0) for row in closed.rows)
    current = selectors.progress(periods[2], access)
    assert 0 < current.collected < sum(sample_size(r.population or 1) for r in current.rows) * 1.4

    report = selectors.period_report(periods[1], access)
    grades = {unit.result.grade.code for unit in report.units if unit.result}
    assert len(grades) >= 2, "units differ in quality"
    assert len(report.trend) == 2 and report.suggestions > 0
    assert {item.status for item in report.follow_ups} >= {"done"}
    assert FollowUpAction.objects.filter(period=periods[0], status="done").count() == len(
        FollowUpAction.objects.filter(period=periods[0])
    )
    status = selectors.skm_status(report.units[0].unit_id, periods[1].year)
    assert status.surveyed and status.published and status.follow_ups >= 2
    assert audit.verify().ok
