"""Applying a change of facts to the rollups: additive upserts, in the caller's transaction.

``INSERT … ON CONFLICT (key) DO UPDATE SET m = t.m + excluded.m`` adds to a row that exists and
creates the one that does not, in one statement, on PostgreSQL and SQLite alike (Django's
``bulk_create(update_conflicts=True)`` *replaces* the measures, which is not what a delta needs).
Rows whose count falls to zero are deleted, so the tables hold only what is counted (the
backlog's rows keyed by a deadline would otherwise pile up). Rows are written in key order, so
two writers never wait on each other in a cycle.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection

from satupintu.dashboard.facts import Contribution, Fact, HopFact
from satupintu.dashboard.models import (
    MEASURES,
    AreaRollup,
    BacklogRollup,
    BacklogSummary,
    DailyArea,
    DailyRollup,
    DailySummary,
    DurationHistogram,
    MonthlyRollup,
    MonthlySummary,
    ReportFact,
    WrongDoorRollup,
)
from satupintu.dashboard.models import HopFact as HopFactRow

#: Each rollup: its measures and the measure that counts its rows' members.
ROLLUPS: dict[type, tuple[tuple[str, ...], str]] = {
    DailyRollup: (MEASURES, "reports"),
    MonthlyRollup: (MEASURES, "reports"),
    DailySummary: (MEASURES, "reports"),
    MonthlySummary: (MEASURES, "reports"),
    BacklogSummary: (("reports",), "reports"),
    AreaRollup: (("reports", "open"), "reports"),
    DailyArea: (("reports", "open"), "reports"),
    BacklogRollup: (("reports",), "reports"),
    DurationHistogram: (("reports",), "reports"),
    WrongDoorRollup: (("hops", "returned", "forwarded", "days_lost"), "hops"),
}


def _upsert_sql(model: Any) -> str:
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    measures, _count = ROLLUPS[model]
    keys = model.KEY
    columns = ", ".join(q(c) for c in (*keys, *measures))
    marks = ", ".join(["%s"] * (len(keys) + len(measures)))
    sets = ", ".join(f"{q(m)} = {table}.{q(m)} + excluded.{q(m)}" for m in measures)
    conflict = ", ".join(q(c) for c in keys)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 - names are constants
        f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    )


def _delete_empty_sql(model: Any) -> str:
    q = connection.ops.quote_name
    _measures, count = ROLLUPS[model]
    where = " AND ".join(f"{q(c)} = %s" for c in model.KEY)
    return f"DELETE FROM {q(model._meta.db_table)} WHERE {where} AND {q(count)} = 0"  # noqa: S608


def apply(change: Contribution) -> int:
    """Add ``change`` to the rollups; returns how many rollup rows it touched."""
    by_model: dict[type, list[tuple[tuple[Any, ...], dict[str, int]]]] = defaultdict(list)
    for (model, key), values in change.items():
        if any(values.values()):
            by_model[model].append((key, values))
    touched = 0
    with connection.cursor() as cursor:
        for model in ROLLUPS:
            rows = sorted(by_model.get(model, []), key=lambda item: item[0])
            if not rows:
                continue
            measures, count = ROLLUPS[model]
            cursor.executemany(
                _upsert_sql(model),
                [(*key, *(values.get(m, 0) for m in measures)) for key, values in rows],
            )
            emptied = [key for key, values in rows if values.get(count, 0) < 0]
            if emptied:
                cursor.executemany(_delete_empty_sql(model), emptied)
            touched += len(rows)
    return touched


# --------------------------------------------------------------------------- stored facts

_FACT_FIELDS = [f.attname for f in ReportFact._meta.concrete_fields]


def stored_facts(report_ids: list[int]) -> tuple[dict[int, Fact], dict[int, list[HopFact]]]:
    facts = {
        row["report_id"]: Fact(**row)
        for row in ReportFact.objects.filter(report_id__in=report_ids).values(*_FACT_FIELDS)
    }
    hops: dict[int, list[HopFact]] = defaultdict(list)
    for row in (
        HopFactRow.objects.filter(report_id__in=report_ids)
        .order_by("pk")
        .values(
            "disposition_id",
            "report_id",
            "month",
            "agency_id",
            "category_id",
            "outcome",
            "days_lost",
        )
    ):
        hops[row["report_id"]].append(HopFact(**row))
    return facts, dict(hops)


def store_facts(
    changed: dict[int, Fact | None], hops: dict[int, list[HopFact]], *, hops_changed: set[int]
) -> None:
    """Write the new facts of the reports in ``changed`` (None: the report is gone) and the
    hop facts of the reports in ``hops_changed``."""
    gone = [pk for pk, fact in changed.items() if fact is None]
    present = [fact for fact in changed.values() if fact is not None]
    if gone:
        ReportFact.objects.filter(report_id__in=gone).delete()
    if present:
        ReportFact.objects.bulk_create(
            [ReportFact(**fact.row()) for fact in present],
            update_conflicts=True,
            unique_fields=["report"],
            update_fields=[f for f in _FACT_FIELDS if f != "report_id"],
        )
    if hops_changed:
        HopFactRow.objects.filter(report_id__in=sorted(hops_changed)).delete()
        HopFactRow.objects.bulk_create(
            [HopFactRow(**hop.row()) for pk in sorted(hops_changed) for hop in hops.get(pk, [])]
        )
