"""Two copies of one request racing with the same Idempotency-Key file one report."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from satupintu.complaints.models import Report
from tests.api.conftest import Api, report_body
from tests.conftest import City, postgres_only, race

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_a_retry_racing_the_first_request_files_once(city: City, settings: Any) -> None:
    assert connection.vendor == "postgresql"
    settings.SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT = 100
    for attempt in range(5):
        key = f"race-{attempt}"
        results = race(
            lambda key=key: Api().post("/reports", report_body(), {"Idempotency-Key": key}),
            lambda key=key: Api().post("/reports", report_body(), {"Idempotency-Key": key}),
        )
        assert [r.status_code for r in results] == [201, 201], [r.content for r in results]
        numbers = {r.json()["tracking_number"] for r in results}
        assert len(numbers) == 1
        assert Report.objects.filter(tracking_number__in=numbers).count() == 1
    assert Report.objects.count() == 5
