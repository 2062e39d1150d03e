"""core.bulk.insert_one: one row written as Model.save() would write it, only faster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from satupintu.complaints.models import Report, ReportEvent
from satupintu.core import bulk
from tests.conftest import City, postgres_only


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


def test_insert_one_stores_dates_and_times_as_save_would(city: City) -> None:
    # A date and an aware time pass as they are; a naive time is made aware in the site's
    # zone (with Django's warning), a datetime given for a date keeps its date, and empty
    # dates and amounts are NULL.
    report, _secret = city.file()
    aware = timezone.now().replace(microsecond=0)
    copy = Report.objects.get(pk=report.pk)
    copy.pk = None
    copy.tracking_number = report.tracking_number + "X"
    copy.received_at = aware
    copy.verify_due = dt.date(2026, 12, 31)
    copy.hold_due = dt.datetime(2027, 1, 4, 23, 30)
    copy.closed_at = None
    copy.latitude = None
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        copy.first_followup_at = dt.datetime(2026, 12, 1, 8, 0)
        bulk.insert_one(copy)
    stored = Report.objects.get(pk=copy.pk)
    assert stored.received_at == aware
    assert stored.verify_due == dt.date(2026, 12, 31)
    assert stored.hold_due == dt.date(2027, 1, 4)
    assert stored.first_followup_at == timezone.make_aware(dt.datetime(2026, 12, 1, 8, 0))
    assert stored.closed_at is None and stored.latitude is None


def _prepared(sql_start: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [sql_start + "%"],
        )
        return [row[0] for row in cursor.fetchall()]


@postgres_only
def test_a_new_reports_statements_are_prepared_once_per_connection(city: City) -> None:
    # Parsed and planned once, then only executed: what a busy intake saves on every report.
    first, _secret = city.file()
    second, _secret = city.file(title="Lampu jalan mati di gang", is_anonymous=True)
    # Its rows (the report, its first event, the outbox row, the audit entry and head) go as
    # one statement, its key drawn beforehand (core.bulk.Batch).
    [joined] = _prepared('WITH b0 AS (INSERT INTO "complaints_report"')
    for part in (
        'INSERT INTO "complaints_reportevent"',
        "INSERT INTO notifications_outboxevent",
        "INSERT INTO core_auditentry",
        "INSERT INTO core_audithead",
    ):
        assert part in joined
    stored = Report.objects.get(pk=second.pk)
    assert stored.title == "Lampu jalan mati di gang"
    assert stored.is_anonymous is True
    assert stored.events.get().kind == "received"
    assert Report.objects.get(pk=first.pk).tracking_number == first.tracking_number


@postgres_only
def test_without_prepared_statements_reports_are_stored_all_the_same(city: City) -> None:
    # SATUPINTU_DB_PREPARED=0 (a pooler that cannot keep them): nothing is prepared.
    connection.ensure_connection()
    raw = connection.connection
    saved, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        report, _secret = city.file()
        assert not _prepared('INSERT INTO "complaints_report"')
    finally:
        raw.prepare_threshold = saved
    assert Report.objects.get(pk=report.pk).events.get().kind == "received"
