"""``satupintu dashboard rebuild``: every fact and rollup rebuilt from the raw tables, set-based.

One transaction, holding the upkeep's lock (dashboard/upkeep.py waits, and the panels go on
reading the previous figures until it commits):

1. the outbox events not yet rolled up are noted *before* anything is read (the changes they
   stand for are then visible to the reads below) and marked as rolled up at the end; an event
   committed after the note stays for the upkeep, whose refresh of a report the rebuild
   already counted changes nothing;
2. the working-day numbers are written for the dates of the data (the Pemda's calendar);
3. the facts: ``INSERT … SELECT`` of dashboard/reference_sql.py's fact and hop SELECTs, in
   ranges of report ids (a progress bar in the command);
4. the rollups: ``INSERT … SELECT … GROUP BY`` from the facts (the monthly and area rollups
   from the daily one, which is smaller).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.complaints.models import Report
from satupintu.dashboard import reference_sql as ref
from satupintu.dashboard.models import (
    MEASURES,
    AreaRollup,
    BacklogRollup,
    DailyRollup,
    DurationHistogram,
    HopFact,
    MonthlyRollup,
    ReportFact,
    WorkdayNumber,
    WrongDoorRollup,
)
from satupintu.dashboard.upkeep import TIMELINE_MARGIN, lock_state
from satupintu.notifications.models import OutboxEvent

#: Any fixed date before the data: the numbers only ever meet as differences.
EPOCH = dt.date(2000, 1, 1)
CHUNK = 100_000

_FACT_COLUMNS = [f.column for f in ReportFact._meta.concrete_fields]
_HOP_COLUMNS = [f.column for f in HopFact._meta.concrete_fields]


@dataclass
class Rebuilt:
    reports: int = 0
    hops: int = 0
    rows: int = 0
    events: int = 0
    seconds: float = 0.0


def fill_workdays(start: dt.date, end: dt.date) -> None:
    """(Re)number every date from ``start`` to ``end`` with the current calendar."""
    calendar = workcal.calendar()
    ordinal = calendar.between(EPOCH, start)
    rows = [WorkdayNumber(day=start, ordinal=ordinal)]
    day = start + dt.timedelta(days=1)
    while day <= end:
        ordinal += calendar.is_working_day(day)
        rows.append(WorkdayNumber(day=day, ordinal=ordinal))
        day += dt.timedelta(days=1)
    WorkdayNumber.objects.all().delete()
    WorkdayNumber.objects.bulk_create(rows, batch_size=2000)


def data_dates() -> tuple[dt.date, dt.date]:
    """The dates the facts can meet: from the first receipt to a while after today."""
    first = Report.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    today = workcal.today()
    start = timezone.localtime(first["first"]).date() if first["first"] else today
    last = timezone.localtime(first["last"]).date() if first["last"] else today
    return start - dt.timedelta(days=7), max(today, last) + dt.timedelta(days=60)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _count(column: str) -> str:
    return f"SUM(CASE WHEN {column} THEN 1 ELSE 0 END)"


def _insert_select(model: type, columns: list[str], select: str) -> int:
    table = _q(model._meta.db_table)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) {select}")
        return max(int(cursor.rowcount), 0)


def _rollups() -> int:
    facts = _q(ReportFact._meta.db_table)
    daily = _q(DailyRollup._meta.db_table)
    month = ref.month_start("day")
    measures = (
        "COUNT(*)",
        _count("is_open"),
        "SUM(CASE WHEN resolution_days IS NOT NULL THEN 1 ELSE 0 END)",
        _count("resolved_on_time"),
        "SUM(CASE WHEN followup_days IS NOT NULL THEN 1 ELSE 0 END)",
        _count("followup_on_time"),
        "SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END)",
        "COALESCE(SUM(rating), 0)",
        _count("is_confidential"),
    )
    rows = 0
    keys = list(DailyRollup.KEY)
    rows += _insert_select(
        DailyRollup,
        keys + list(MEASURES),
        f"SELECT {', '.join(keys)}, {', '.join(measures)} FROM {facts} "  # noqa: S608
        f"GROUP BY {', '.join(keys)}",
    )
    sums = ", ".join(f"SUM({_q(m)})" for m in MEASURES)
    rows += _insert_select(
        MonthlyRollup,
        list(MonthlyRollup.KEY) + list(MEASURES),
        f"SELECT {month}, agency_id, category_id, kecamatan, channel, {sums} "  # noqa: S608
        f"FROM {daily} GROUP BY {month}, agency_id, category_id, kecamatan, channel",
    )
    rows += _insert_select(
        AreaRollup,
        list(AreaRollup.KEY) + ["reports", "open"],
        f"SELECT {month}, kelurahan, kecamatan, agency_id, category_id, SUM(reports), "  # noqa: S608
        f"SUM({_q('open')}) FROM {daily} "
        f"GROUP BY {month}, kelurahan, kecamatan, agency_id, category_id",
    )
    backlog = "agency_id, category_id, kecamatan, channel, status, next_due"
    rows += _insert_select(
        BacklogRollup,
        list(BacklogRollup.KEY) + ["reports"],
        f"SELECT {backlog}, COUNT(*) FROM {facts} WHERE {_truth('is_open')} "  # noqa: S608
        f"GROUP BY {backlog}",
    )
    for kind, column in (("followup", "followup_days"), ("resolution", "resolution_days")):
        rows += _insert_select(
            DurationHistogram,
            list(DurationHistogram.KEY) + ["reports"],
            f"SELECT {month}, agency_id, category_id, '{kind}', {column}, COUNT(*) "  # noqa: S608
            f"FROM {facts} WHERE {column} IS NOT NULL "
            f"GROUP BY {month}, agency_id, category_id, {column}",
        )
    hops = _q(HopFact._meta.db_table)
    rows += _insert_select(
        WrongDoorRollup,
        list(WrongDoorRollup.KEY) + ["hops", "returned", "forwarded", "days_lost"],
        "SELECT month, agency_id, category_id, COUNT(*), "  # noqa: S608
        "SUM(CASE WHEN outcome = 'returned' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN outcome = 'forwarded' THEN 1 ELSE 0 END), SUM(days_lost) "
        f"FROM {hops} GROUP BY month, agency_id, category_id",
    )
    return rows


def _truth(column: str) -> str:
    return column if connection.vendor == "postgresql" else f"{column} = 1"


TABLES = (
    WrongDoorRollup,
    DurationHistogram,
    BacklogRollup,
    AreaRollup,
    MonthlyRollup,
    DailyRollup,
    HopFact,
    ReportFact,
)


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> Rebuilt:
    """Rebuild every fact and rollup; ``progress(done, total)`` is told of each id range."""
    started = time.perf_counter()
    result = Rebuilt()
    now = timezone.now()
    with transaction.atomic():
        state = lock_state(wait=True)
        assert state is not None  # noqa: S101 - waited for
        # The events waiting now are committed, so their changes are visible to every read
        # below: they are marked at the end (row locks held for a moment, not for the whole
        # rebuild, so the webhooks' and the people's fan-outs never wait on them). An event
        # committed later stays for the upkeep.
        waiting = list(
            OutboxEvent.objects.filter(rolled_up_at__isnull=True).values_list("pk", flat=True)
        )
        fill_workdays(*data_dates())
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"DELETE FROM {_q(model._meta.db_table)}")  # noqa: S608
        bounds = Report.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
        lo, hi = bounds["lo"] or 0, bounds["hi"] or -1
        total = hi - lo + 1 if hi >= lo else 0
        for start in range(lo, hi + 1, CHUNK):
            end = min(start + CHUNK - 1, hi)
            where = f"r.id BETWEEN {int(start)} AND {int(end)}"
            result.reports += _insert_select(
                ReportFact, _FACT_COLUMNS, ref.fact_select(where=where)
            )
            result.hops += _insert_select(
                HopFact,
                _HOP_COLUMNS,
                ref.hop_select(where=f"d.report_id BETWEEN {start} AND {end}"),
            )
            if progress:
                progress(end - lo + 1, total)
        result.rows = _rollups()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in TABLES:
                    cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")
        for i in range(0, len(waiting), 5000):
            result.events += OutboxEvent.objects.filter(
                pk__in=waiting[i : i + 5000], rolled_up_at__isnull=True
            ).update(rolled_up_at=now)
        result.seconds = time.perf_counter() - started
        state.timeline_from = now - TIMELINE_MARGIN
        state.rebuilt_at = now
        state.rebuild_seconds = result.seconds
        state.updated_at = now
        state.save()
    return result
