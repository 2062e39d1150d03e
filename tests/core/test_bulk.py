"""core.bulk.insert_one: one row written as Model.save() would write it, only faster."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from satupintu.complaints.models import ReportEvent
from satupintu.core import bulk
from tests.conftest import City


def test_insert_one_stores_what_save_would(city: City) -> None:
    report, _secret = city.file()
    when = timezone.now() - dt.timedelta(minutes=3)
    event = bulk.insert_one(
        ReportEvent(
            report=report,
            kind=ReportEvent.Kind.NOTE,  # an enum member, converted to its value
            is_public=False,
            created_at=when,
            body="Catatan petugas",
            data={"jumlah": 2, "kanal": "web"},
        )
    )
    assert event.pk is not None
    stored = ReportEvent.objects.get(pk=event.pk)
    assert stored.report_id == report.pk
    assert stored.kind == "note"
    assert stored.is_public is False
    assert stored.created_at == when
    assert stored.body == "Catatan petugas"
    assert stored.data == {"jumlah": 2, "kanal": "web"}


def test_insert_one_converts_values_of_another_type(city: City) -> None:
    # Values that are not exactly the field's own type take Django's conversion, as in save().
    report, _secret = city.file()
    event = bulk.insert_one(
        ReportEvent(
            report_id=str(report.pk),
            kind="note",
            is_public=1,
            created_at=timezone.now(),
            body=12345,
        )
    )
    stored = ReportEvent.objects.get(pk=event.pk)
    assert stored.report_id == report.pk
    assert stored.is_public is True
    assert stored.body == "12345"
