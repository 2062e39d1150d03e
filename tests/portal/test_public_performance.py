"""The public "Kinerja instansi" figures on the portal home and at /api/v1/public/performance."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from satupintu.complaints.models import Report
from satupintu.dashboard import rebuild, selectors
from satupintu.dashboard.selectors import CITY, Filters
from satupintu.demo import seed
from satupintu.portal import performance

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    seed.seed_master()
    seed.seed_reports(300, seed=7, batch=300)
    Report.objects.filter(pk__in=list(Report.objects.values_list("pk", flat=True)[:40])).update(
        is_confidential=True
    )
    rebuild.rebuild()


def test_figures_match_the_selector_and_small_agencies_are_suppressed(seeded: None) -> None:
    figures = performance.compute()
    rows = selectors.sla_by_agency(Filters.last_days(performance.WINDOW_DAYS), CITY)
    by_name = {r.name: r for r in rows}
    assert figures["agencies"]
    ranked = [a for a in figures["agencies"] if a["enough_data"]]
    assert [a["agency"] for a in ranked] == [
        r.name for r in rows if r.agency_id and r.resolved >= performance.MIN_REPORTS
    ]
    for item in figures["agencies"]:
        row = by_name[item["agency"]]
        assert item["resolved"] == row.resolved and item["received"] == row.received
        if row.resolved >= performance.MIN_REPORTS:
            assert item["on_time_share"] == round(100 * row.resolved_on_time / row.resolved, 1)
        else:
            assert item["on_time_share"] is None and item["rank"] is None
    assert figures["city"]["resolved"] == sum(r.resolved for r in rows)


def test_home_shows_the_section_without_report_texts(seeded: None, client: Client) -> None:
    body = client.get("/").content.decode()
    assert "Kinerja instansi" in body
    for _title, description in Report.objects.filter(is_confidential=True).values_list(
        "title", "description"
    )[:10]:
        assert description not in body


def test_json_shape(seeded: None, client: Client) -> None:
    response = client.get("/api/v1/public/performance")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"period", "window_days", "min_reports", "city", "agencies", "computed_at"}
    assert data["min_reports"] == performance.MIN_REPORTS
    assert "/public/performance" in client.get("/api/v1/openapi.json").content.decode()
