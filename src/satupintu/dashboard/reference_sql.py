"""The operations room's figures as plain SQL over the raw tables (docs/dashboard.md).

Each figure the selectors read from the rollups (dashboard/selectors.py) is reproduced here by
one query over ``complaints_report``, ``complaints_disposition``, ``agencies_region`` and the
working-day numbers ``dashboard_workdaynumber`` (every date numbered by the working days since
an epoch with the Pemda's calendar, so the working days in (a, b] are ``n(b) - n(a)``). The
queries start from two common table expressions that spell out the facts of
dashboard/facts.py and domain/wrongdoor.py: ``facts`` (one row per report) and ``hops`` (one
row per wrong-door hop). The full rebuild (dashboard/rebuild.py) inserts those same two SELECTs
into the fact tables; tests/dashboard/test_rollups.py runs the figures below on a generated city
and compares them with the selectors', after incremental upkeep and after a rebuild.

Two dialects: local dates are ``(t AT TIME ZONE '<zone>')::date`` on PostgreSQL and
``date(t, '+H hours')`` on SQLite (Indonesia's zones keep one offset all year). Statements take
``%s`` parameters (Django's cursor style) in the order their docstring-like comment says.
"""

# ruff: noqa: S608 - every name and value spliced in is a constant; figures take %s parameters

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from satupintu.dashboard.models import NO_DUE
from satupintu.domain import wrongdoor
from satupintu.domain.lifecycle import FINAL, OWES_WORK

ANSWERED = ("resolved", "closed")


def _vendor(vendor: str | None) -> str:
    return vendor or connection.vendor


def _zone() -> str:
    zone = settings.TIME_ZONE
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"unexpected TIME_ZONE {zone!r}")
    return zone


def local_date(column: str, vendor: str | None = None) -> str:
    """SQL for the local (Pemda) date of a timestamp column."""
    if _vendor(vendor) == "postgresql":
        return f"CAST(({column} AT TIME ZONE '{_zone()}') AS date)"
    offset = dt.datetime(2024, 1, 1, tzinfo=ZoneInfo(_zone())).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return f"date({column}, '{minutes:+d} minutes')"


def month_start(date_sql: str, vendor: str | None = None) -> str:
    """SQL for the first day of the month of a date expression."""
    if _vendor(vendor) == "postgresql":
        return f"CAST(date_trunc('month', {date_sql}) AS date)"
    return f"date({date_sql}, 'start of month')"


def _list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


FINAL_SQL = _list(s.value for s in FINAL)
OWES_WORK_SQL = _list(s.value for s in OWES_WORK)
ANSWERED_SQL = _list(ANSWERED)
WRONG_DOOR_SQL = _list(wrongdoor.WRONG_DOOR_OUTCOMES)


def fact_select(vendor: str | None = None, where: str = "") -> str:
    """One row per report: the columns of ``dashboard_reportfact`` (dashboard/facts.py)."""

    def ld(column: str) -> str:
        return local_date(column, vendor)

    t = "TRUE" if _vendor(vendor) == "postgresql" else "1"
    f = "FALSE" if _vendor(vendor) == "postgresql" else "0"
    followed = "r.dispatched_at IS NOT NULL AND r.first_followup_at IS NOT NULL"
    answered = f"r.status IN ({ANSWERED_SQL}) AND r.resolved_at IS NOT NULL"
    return (
        "SELECT r.id AS report_id, "
        f"{ld('r.received_at')} AS day, "
        "COALESCE(r.current_agency_id, 0) AS agency_id, "
        "COALESCE(r.category_id, 0) AS category_id, "
        "COALESCE(r.region_id, '') AS kelurahan, "
        "COALESCE(g.parent_id, '') AS kecamatan, "
        "r.channel AS channel, r.status AS status, "
        f"CASE WHEN r.status IN ({FINAL_SQL}) THEN {f} ELSE {t} END AS is_open, "
        f"CASE WHEN r.status NOT IN ({FINAL_SQL}) AND r.next_due IS NOT NULL THEN r.next_due "
        f"ELSE {_no_due(vendor)} END AS next_due, "
        f"CASE WHEN {followed} THEN wf.ordinal - wd.ordinal END AS followup_days, "
        f"CASE WHEN {followed} THEN CASE WHEN r.followup_due IS NOT NULL "
        f"AND {ld('r.first_followup_at')} <= r.followup_due THEN {t} ELSE {f} END "
        "END AS followup_on_time, "
        f"CASE WHEN {answered} THEN ws.ordinal - wr.ordinal END AS resolution_days, "
        f"CASE WHEN {answered} THEN CASE WHEN r.complete_due IS NOT NULL "
        f"AND {ld('r.resolved_at')} <= r.complete_due THEN {t} ELSE {f} END "
        "END AS resolved_on_time, "
        "r.rating AS rating, r.is_confidential AS is_confidential "
        "FROM complaints_report r "
        "LEFT JOIN agencies_region g ON g.code = r.region_id "
        f"LEFT JOIN dashboard_workdaynumber wr ON wr.day = {ld('r.received_at')} "
        f"LEFT JOIN dashboard_workdaynumber wd ON wd.day = {ld('r.dispatched_at')} "
        f"LEFT JOIN dashboard_workdaynumber wf ON wf.day = {ld('r.first_followup_at')} "
        f"LEFT JOIN dashboard_workdaynumber ws ON ws.day = {ld('r.resolved_at')}"
        + (f" WHERE {where}" if where else "")
    )


def _no_due(vendor: str | None) -> str:
    literal = NO_DUE.isoformat()
    return f"DATE '{literal}'" if _vendor(vendor) == "postgresql" else f"'{literal}'"


def hop_select(vendor: str | None = None, where: str = "") -> str:
    """One row per wrong-door hop: the columns of ``dashboard_hopfact`` (domain/wrongdoor.py:
    a disposisi that ended forwarded or returned bukan wewenang; days lost from its creation,
    the wrong agency's receipt, to its end)."""

    def ld(column: str) -> str:
        return local_date(column, vendor)

    lost = "we.ordinal - wc.ordinal"
    return (
        "SELECT d.id AS disposition_id, d.report_id AS report_id, "
        f"{month_start(ld('d.created_at'), vendor)} AS month, "
        "d.to_agency_id AS agency_id, COALESCE(r.category_id, 0) AS category_id, "
        "d.outcome AS outcome, "
        f"CASE WHEN {lost} < 0 THEN 0 ELSE {lost} END AS days_lost "
        "FROM complaints_disposition d "
        "JOIN complaints_report r ON r.id = d.report_id "
        f"LEFT JOIN dashboard_workdaynumber wc ON wc.day = {ld('d.created_at')} "
        f"LEFT JOIN dashboard_workdaynumber we ON we.day = {ld('d.ended_at')} "
        f"WHERE d.outcome IN ({WRONG_DOOR_SQL}) AND d.ended_at IS NOT NULL"
        + (f" AND {where}" if where else "")
    )


def _with(vendor: str | None, body: str) -> str:
    return f"WITH facts AS ({fact_select(vendor)}), hops AS ({hop_select(vendor)}) {body}"


def _b(column: str) -> str:
    """A boolean column summed as 0/1 on both databases."""
    return f"SUM(CASE WHEN {column} THEN 1 ELSE 0 END)"


# --------------------------------------------------------------------------- the figures
# Each function returns the SQL of one figure; its docstring says what and which parameters.


def reports_received(vendor: str | None = None) -> str:
    """Headline counts. Params: first day, last day (received, local dates)."""
    return _with(vendor, "SELECT COUNT(*) FROM facts WHERE day BETWEEN %s AND %s")


def backlog_by_status(vendor: str | None = None) -> str:
    """Open reports now, by status. No params."""
    return _with(
        vendor,
        "SELECT status, COUNT(*) FROM facts WHERE is_open = "
        + ("TRUE" if _vendor(vendor) == "postgresql" else "1")
        + " GROUP BY status ORDER BY status",
    )


def sla_by_agency(vendor: str | None = None) -> str:
    """Per holding agency, reports received in the period: received, resolved, resolved on
    time, followed up, followed up on time; and of all its open reports now: open, overdue
    (owes work and its running deadline before today). Params: today, first day, last day."""
    return _with(
        vendor,
        "SELECT agency_id, "
        "SUM(CASE WHEN in_period = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN in_period = 1 AND resolution_days IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN in_period = 1 AND resolved_on_time THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN in_period = 1 AND followup_days IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN in_period = 1 AND followup_on_time THEN 1 ELSE 0 END), "
        f"{_b('is_open')}, "
        f"SUM(CASE WHEN status IN ({OWES_WORK_SQL}) AND next_due < %s THEN 1 ELSE 0 END) "
        "FROM (SELECT facts.*, CASE WHEN day BETWEEN %s AND %s THEN 1 ELSE 0 END AS in_period "
        "FROM facts) f GROUP BY agency_id ORDER BY agency_id",
    )


def duration_histogram(vendor: str | None = None) -> str:
    """Working days → reports, per agency, for reports received in the months of the period;
    the median and p90 are read off it (domain.evaluation.sp4n's rule, as the selectors do).
    Params: kind column ('followup_days' or 'resolution_days' is formatted in), first month,
    last month (first days of months)."""
    return _with(
        vendor,
        "SELECT agency_id, {days}, COUNT(*) FROM facts WHERE {days} IS NOT NULL AND "
        f"{month_start('day', vendor)} BETWEEN %s AND %s GROUP BY agency_id, {{days}} "
        "ORDER BY agency_id, {days}",
    )


def wrong_doors_by_agency(vendor: str | None = None) -> str:
    """Wrong-door hops per wrong agency in the months of the period: hops, returned bukan
    wewenang, forwarded, working days lost. Params: first month, last month."""
    return _with(
        vendor,
        "SELECT agency_id, COUNT(*), "
        f"SUM(CASE WHEN outcome = '{wrongdoor.RETURNED}' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN outcome = '{wrongdoor.FORWARDED}' THEN 1 ELSE 0 END), "
        "SUM(days_lost) FROM hops WHERE month BETWEEN %s AND %s "
        "GROUP BY agency_id ORDER BY agency_id",
    )


def wrong_doors_by_category(vendor: str | None = None) -> str:
    """The same per category (the report's category now). Params: first month, last month."""
    return _with(
        vendor,
        "SELECT category_id, COUNT(*), "
        f"SUM(CASE WHEN outcome = '{wrongdoor.RETURNED}' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN outcome = '{wrongdoor.FORWARDED}' THEN 1 ELSE 0 END), "
        "SUM(days_lost) FROM hops WHERE month BETWEEN %s AND %s "
        "GROUP BY category_id ORDER BY category_id",
    )


def reports_by_kelurahan(vendor: str | None = None) -> str:
    """Reports received in the period and, of them, still open, per kelurahan. Params: first
    day, last day."""
    return _with(
        vendor,
        f"SELECT kelurahan, COUNT(*), {_b('is_open')} FROM facts "
        "WHERE day BETWEEN %s AND %s GROUP BY kelurahan ORDER BY kelurahan",
    )


def monthly_trend(vendor: str | None = None) -> str:
    """Per month of receipt: received, resolved, resolved on time, followed up, followed up on
    time, rated, sum of ratings. Params: first month, last month."""
    month = month_start("day", vendor)
    return _with(
        vendor,
        f"SELECT {month} AS month, COUNT(*), "
        "SUM(CASE WHEN resolution_days IS NOT NULL THEN 1 ELSE 0 END), "
        f"{_b('resolved_on_time')}, "
        "SUM(CASE WHEN followup_days IS NOT NULL THEN 1 ELSE 0 END), "
        f"{_b('followup_on_time')}, "
        "SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END), COALESCE(SUM(rating), 0) "
        f"FROM facts WHERE {month} BETWEEN %s AND %s GROUP BY {month} ORDER BY 1",
    )


def daily_by_category(vendor: str | None = None) -> str:
    """Reports received per day and category (the selectors add the days up into weeks that
    start on Monday). Params: first day, last day."""
    return _with(
        vendor,
        "SELECT day, category_id, COUNT(*) FROM facts WHERE day BETWEEN %s AND %s "
        "GROUP BY day, category_id ORDER BY day, category_id",
    )


def ratings_by_agency(vendor: str | None = None) -> str:
    """Reporters' ratings of reports received in the period, per holding agency: how many
    rated, the sum. Params: first day, last day."""
    return _with(
        vendor,
        "SELECT agency_id, COUNT(*), SUM(rating) FROM facts WHERE rating IS NOT NULL "
        "AND day BETWEEN %s AND %s GROUP BY agency_id ORDER BY agency_id",
    )


#: Every figure, for docs/dashboard.md and the tests.
FIGURES = {
    "reports_received": reports_received,
    "backlog_by_status": backlog_by_status,
    "sla_by_agency": sla_by_agency,
    "duration_histogram": duration_histogram,
    "wrong_doors_by_agency": wrong_doors_by_agency,
    "wrong_doors_by_category": wrong_doors_by_category,
    "reports_by_kelurahan": reports_by_kelurahan,
    "monthly_trend": monthly_trend,
    "daily_by_category": daily_by_category,
    "ratings_by_agency": ratings_by_agency,
}


def _pretty(sql: str) -> str:
    """Line breaks before the clauses, for reading (docs/dashboard.md)."""
    sql = re.sub(r" ((?:LEFT )?JOIN|FROM|WHERE|GROUP BY|ORDER BY) ", r"\n  \1 ", sql)
    return sql.replace(", CASE WHEN", ",\n  CASE WHEN").replace(", SUM(", ",\n  SUM(")


def markdown(vendor: str = "postgresql") -> str:
    """The SQL of every figure as docs/dashboard.md shows it (``facts`` and ``hops`` once, then
    each figure's query over them)."""
    head = _with(vendor, "")
    parts = [
        "```sql",
        "-- facts: one row per report",
        _pretty(fact_select(vendor)),
        "```",
        "",
        "```sql",
        "-- hops: one row per wrong-door hop",
        _pretty(hop_select(vendor)),
        "```",
    ]
    for name, figure in FIGURES.items():
        body = figure(vendor)
        assert body.startswith(head)  # noqa: S101 - every figure reads the two CTEs
        doc = " ".join((figure.__doc__ or "").split())
        parts += ["", f"#### `{name}`", "", doc, "", "```sql", _pretty(body[len(head) :]), "```"]
    return "\n".join(parts) + "\n"
