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
4. the rollups: ``INSERT … SELECT … GROUP BY`` from the facts (the coarser ones from the
   finer, which are smaller than the facts).

On SQLite the tables are emptied and written directly. On PostgreSQL steps 3 and 4 write into
temporary copies, which are then merged into the tables writing only the rows that differ
(:func:`_merge`): rebuilding figures that were right writes almost nothing, and emptying and
refilling a table of a million rows would leave as many dead rows for every unique check.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    BacklogSummary,
    DailyArea,
    DailyRollup,
    DailySummary,
    DurationHistogram,
    HopFact,
    MonthlyRollup,
    MonthlySummary,
    ReportFact,
    WorkdayNumber,
    WrongDoorRollup,
)
from satupintu.dashboard.upkeep import TIMELINE_MARGIN, lock_state
from satupintu.notifications.models import OutboxEvent

#: Any fixed date before the data: the numbers only ever meet as differences.
EPOCH = dt.date(2000, 1, 1)
CHUNK = 100_000
#: PostgreSQL's work_mem for the rebuild's transaction.
WORK_MEM = "256MB"

_FACT_COLUMNS = [f.column for f in ReportFact._meta.concrete_fields]
_HOP_COLUMNS = [f.column for f in HopFact._meta.concrete_fields]


@dataclass
class Rebuilt:
    reports: int = 0
    hops: int = 0
    rows: int = 0
    events: int = 0
    seconds: float = 0.0
    #: seconds per step, for the benchmark
    phases: dict[str, float] = field(default_factory=dict)


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


#: Where the rebuild writes each table: the table itself on SQLite; on PostgreSQL a temporary
#: copy, merged into the table at the end (see :func:`_merge`).
_TARGET: dict[type, str] = {}


def _t(model: Any) -> str:
    return _TARGET.get(model) or _q(model._meta.db_table)


def _insert_select(model: type, columns: list[str], select: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_t(model)} ({', '.join(_q(c) for c in columns)}) {select}"  # noqa: S608
        )
        return max(int(cursor.rowcount), 0)


def _rollups() -> int:
    facts = _t(ReportFact)
    daily = _t(DailyRollup)
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
        DailySummary,
        list(DailySummary.KEY) + list(MEASURES),
        f"SELECT day, agency_id, category_id, {sums} FROM {daily} "  # noqa: S608
        "GROUP BY day, agency_id, category_id",
    )
    rows += _insert_select(
        MonthlySummary,
        list(MonthlySummary.KEY) + list(MEASURES),
        f"SELECT month, agency_id, category_id, {sums} "  # noqa: S608
        f"FROM {_t(MonthlyRollup)} GROUP BY month, agency_id, category_id",
    )
    rows += _insert_select(
        AreaRollup,
        list(AreaRollup.KEY) + ["reports", "open"],
        f"SELECT {month}, kelurahan, kecamatan, agency_id, category_id, SUM(reports), "  # noqa: S608
        f"SUM({_q('open')}) FROM {daily} "
        f"GROUP BY {month}, kelurahan, kecamatan, agency_id, category_id",
    )
    rows += _insert_select(
        DailyArea,
        list(DailyArea.KEY) + ["reports", "open"],
        f"SELECT day, kecamatan, kelurahan, SUM(reports), SUM({_q('open')}) "  # noqa: S608
        f"FROM {daily} GROUP BY day, kecamatan, kelurahan",
    )
    backlog = "agency_id, category_id, kecamatan, channel, status, next_due"
    rows += _insert_select(
        BacklogRollup,
        list(BacklogRollup.KEY) + ["reports"],
        f"SELECT {backlog}, COUNT(*) FROM {facts} WHERE {_truth('is_open')} "  # noqa: S608
        f"GROUP BY {backlog}",
    )
    rows += _insert_select(
        BacklogSummary,
        list(BacklogSummary.KEY) + ["reports"],
        "SELECT agency_id, category_id, status, due, SUM(reports) "  # noqa: S608
        f"FROM {_t(BacklogRollup)} GROUP BY agency_id, category_id, status, due",
    )
    for kind, column in (("followup", "followup_days"), ("resolution", "resolution_days")):
        rows += _insert_select(
            DurationHistogram,
            list(DurationHistogram.KEY) + ["reports"],
            f"SELECT {month}, agency_id, category_id, '{kind}', {column}, COUNT(*) "  # noqa: S608
            f"FROM {facts} WHERE {column} IS NOT NULL "
            f"GROUP BY {month}, agency_id, category_id, {column}",
        )
    hops = _t(HopFact)
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


TABLES: tuple[Any, ...] = (
    WrongDoorRollup,
    DurationHistogram,
    BacklogSummary,
    BacklogRollup,
    AreaRollup,
    DailyArea,
    MonthlySummary,
    DailySummary,
    MonthlyRollup,
    DailyRollup,
    HopFact,
    ReportFact,
)


def _columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column != "id"]


def _key(model: Any) -> list[str]:
    return [model._meta.pk.column] if model in (ReportFact, HopFact) else list(model.KEY)


def _merge(model: Any) -> None:
    """Make the table equal to its rebuilt temporary copy, writing only the rows that differ.

    One hash full join finds them (new, gone, changed) into a small table; they are then
    applied by primary key. A rebuild of figures that were right writes almost nothing (a
    delete and insert of every row would leave a million dead rows for each unique check to
    wade through), and readers go on reading the table meanwhile."""
    table, temp = _q(model._meta.db_table), _t(model)
    pk = _q(model._meta.pk.column)
    keys = _key(model)
    columns = _columns(model)
    rest = [c for c in columns if c not in keys]
    diff = _q(f"_diff_{model._meta.db_table}")
    same = " AND ".join(f"t.{_q(k)} = r.{_q(k)}" for k in keys)
    changed = (
        f" OR ({', '.join(f'r.{_q(c)}' for c in rest)}) IS DISTINCT FROM "
        f"({', '.join(f't.{_q(c)}' for c in rest)})"
        if rest
        else ""
    )
    probe = _q(keys[0])
    listed = ", ".join(_q(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
        if not cursor.fetchone()[0]:  # the first rebuild: everything is new, in key order
            order = ", ".join(_q(k) for k in keys)
            cursor.execute(
                f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {temp} "  # noqa: S608
                f"ORDER BY {order}"
            )
            return
        cursor.execute(f"ANALYZE {temp}")
        cursor.execute(f"DROP TABLE IF EXISTS {diff}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {diff} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT r.{pk} AS _old, t.{probe} IS NULL AS _gone, "
            + ", ".join(f"t.{_q(c)}" for c in columns)
            + f" FROM {table} r FULL JOIN {temp} t ON {same} "
            f"WHERE r.{pk} IS NULL OR t.{probe} IS NULL{changed}"
        )
        cursor.execute(
            f"DELETE FROM {table} WHERE {pk} IN (SELECT _old FROM {diff} WHERE _gone)"  # noqa: S608
        )
        if rest:
            sets = ", ".join(f"{_q(c)} = d.{_q(c)}" for c in rest)
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM {diff} d "  # noqa: S608
                f"WHERE {table}.{pk} = d._old AND NOT d._gone"
            )
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {diff} "  # noqa: S608
            "WHERE _old IS NULL"
        )


def _lap(result: Rebuilt, name: str, since: float) -> float:
    now = time.perf_counter()
    result.phases[name] = now - since
    return now


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
        try:
            lap = _fill(result, started, progress)
        finally:
            _TARGET.clear()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in TABLES:
                    cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")
        _lap(result, "analyze", lap)
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


def _prepare(*, merging: bool) -> None:
    with connection.cursor() as cursor:
        if merging:
            # Room for the hash joins and aggregates over a million rows (this transaction
            # only); the merges join a million rows on wide keys, where hashing beats sorting
            # both sides, and compiling each statement (JIT) costs more than it saves.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute("SET LOCAL jit = off")
        for model in TABLES:
            table = _q(model._meta.db_table)
            if not merging:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                continue
            temp = _q(f"_rebuild_{model._meta.db_table}")
            columns = ", ".join(_q(c) for c in _columns(model))
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")  # a second rebuild in one transaction
            cursor.execute(
                f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            _TARGET[model] = temp


def _fill(result: Rebuilt, started: float, progress: Callable[[int, int], None] | None) -> float:
    """Steps 3 and 4, and on PostgreSQL the merges; returns the time of the last lap."""
    merging = connection.vendor == "postgresql"
    _prepare(merging=merging)
    lap = _lap(result, "prepare", started)
    bounds = Report.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"] or 0, bounds["hi"] or -1
    total = hi - lo + 1 if hi >= lo else 0
    for start in range(lo, hi + 1, CHUNK):
        end = min(start + CHUNK - 1, hi)
        where = f"r.id BETWEEN {int(start)} AND {int(end)}"
        result.reports += _insert_select(ReportFact, _FACT_COLUMNS, ref.fact_select(where=where))
        result.hops += _insert_select(
            HopFact,
            _HOP_COLUMNS,
            ref.hop_select(where=f"d.report_id BETWEEN {int(start)} AND {int(end)}"),
        )
        if progress:
            progress(end - lo + 1, total)
    lap = _lap(result, "facts", lap)
    result.rows = _rollups()
    lap = _lap(result, "rollups", lap)
    if merging:
        for model in reversed(TABLES):
            _merge(model)
        lap = _lap(result, "merge", lap)
    return lap
