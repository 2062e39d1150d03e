"""What one report contributes to the operations room's figures, and the rollup rows it adds to.

A report's **fact** holds its current dimension values and measures; its **contribution** is the
set of rollup rows (dashboard/models.py) it adds one report to, with what it adds there. Every
report-level figure is keyed by the day the report was **received** (local date): "reports
received in the period, of which so many resolved, so many on time", so a report's time keys
never move and a later change only moves it between the other dimensions. Wrong-door hops are
keyed by the month the wrong agency received them (domain/wrongdoor.py).

The measures (domain.md §1.6):

* ``is_open``: not archived and not closed (a resolved report waiting for the reporter's
  verdict is still open); ``next_due``: the running deadline of an open report;
* ``followup_days``: working days from the first disposisi (``dispatched_at``) to the first
  tindak lanjut (``first_followup_at``), once there is one; on time when that date is on or
  before the stored first follow-up deadline (``followup_due``);
* ``resolution_days``: working days from receipt to the answer (``resolved_at``) of a report
  that is resolved or closed now (a reopened report is not resolved until it is answered
  again); on time when that date is on or before the completion deadline (``complete_due``);
* ``rating``: the reporter's rating (1–5) when they confirmed.

Only these columns are read: never a title, a description or the reporter's identity, so a
confidential (rahasia) report is counted like any other and nothing of its text is touched.
dashboard/reference_sql.py computes exactly the same facts in SQL (the full rebuild runs it);
the tests hold the two to the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from satupintu.complaints.models import Disposition, Report
from satupintu.dashboard.models import (
    NO_DUE,
    AreaRollup,
    BacklogRollup,
    BacklogSummary,
    DailyArea,
    DailyRollup,
    DailySummary,
    DurationHistogram,
    MonthlyRollup,
    MonthlySummary,
    WrongDoorRollup,
)
from satupintu.domain import wrongdoor
from satupintu.domain.lifecycle import FINAL
from satupintu.domain.workdays import WorkdayCalendar

#: Statuses whose report has its answer (resolution is known).
ANSWERED = frozenset({"resolved", "closed"})
FINAL_VALUES = frozenset(s.value for s in FINAL)

#: The report columns a fact is made of (no text, no identity).
REPORT_FIELDS = (
    "pk",
    "received_at",
    "current_agency_id",
    "category_id",
    "region_id",
    "region__parent_id",
    "channel",
    "status",
    "next_due",
    "dispatched_at",
    "first_followup_at",
    "followup_due",
    "resolved_at",
    "complete_due",
    "rating",
    "is_confidential",
)
HOP_FIELDS = ("pk", "report_id", "to_agency_id", "outcome", "created_at", "ended_at")


@dataclass(frozen=True)
class Fact:
    """One report's current values (the columns of ``ReportFact``)."""

    report_id: int
    day: dt.date
    agency_id: int
    category_id: int
    kelurahan: str
    kecamatan: str
    channel: str
    status: str
    is_open: bool
    next_due: dt.date
    followup_days: int | None
    followup_on_time: bool | None
    resolution_days: int | None
    resolved_on_time: bool | None
    rating: int | None
    is_confidential: bool

    def row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HopFact:
    """One wrong-door hop (the columns of ``models.HopFact``)."""

    disposition_id: int
    report_id: int
    month: dt.date
    agency_id: int
    category_id: int
    outcome: str
    days_lost: int

    def row(self) -> dict[str, Any]:
        return asdict(self)


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def fact_of(row: dict[str, Any], calendar: WorkdayCalendar) -> Fact:
    """The fact of one report from its ``REPORT_FIELDS`` values."""
    status = row["status"]
    is_open = status not in FINAL_VALUES
    received = local_date(row["received_at"])
    followup_days = followup_on_time = None
    if row["dispatched_at"] is not None and row["first_followup_at"] is not None:
        first = local_date(row["first_followup_at"])
        followup_days = calendar.between(local_date(row["dispatched_at"]), first)
        followup_on_time = row["followup_due"] is not None and first <= row["followup_due"]
    resolution_days = resolved_on_time = None
    if status in ANSWERED and row["resolved_at"] is not None:
        answered = local_date(row["resolved_at"])
        resolution_days = calendar.between(received, answered)
        resolved_on_time = row["complete_due"] is not None and answered <= row["complete_due"]
    due = row["next_due"] if is_open and row["next_due"] is not None else NO_DUE
    return Fact(
        report_id=row["pk"],
        day=received,
        agency_id=row["current_agency_id"] or 0,
        category_id=row["category_id"] or 0,
        kelurahan=row["region_id"] or "",
        kecamatan=row["region__parent_id"] or "",
        channel=row["channel"],
        status=status,
        is_open=is_open,
        next_due=due,
        followup_days=followup_days,
        followup_on_time=followup_on_time,
        resolution_days=resolution_days,
        resolved_on_time=resolved_on_time,
        rating=row["rating"],
        is_confidential=bool(row["is_confidential"]),
    )


def hop_of(row: dict[str, Any], category_id: int, calendar: WorkdayCalendar) -> HopFact | None:
    """The wrong-door fact of one disposisi (``HOP_FIELDS``), None when it is no wrong door."""
    if row["ended_at"] is None:
        return None
    received = local_date(row["created_at"])
    hop = wrongdoor.wrong_door_hop(row["outcome"], received, local_date(row["ended_at"]), calendar)
    if hop is None:
        return None
    return HopFact(
        disposition_id=row["pk"],
        report_id=row["report_id"],
        month=month_of(received),
        agency_id=row["to_agency_id"],
        category_id=category_id,
        outcome=hop.outcome,
        days_lost=hop.days_lost,
    )


def load(
    report_ids: Iterable[int], calendar: WorkdayCalendar
) -> tuple[dict[int, Fact], dict[int, list[HopFact]]]:
    """The current facts of the reports (two queries); a report that no longer exists has
    none."""
    ids = list(report_ids)
    facts = {
        row["pk"]: fact_of(row, calendar)
        for row in Report.objects.filter(pk__in=ids).order_by().values(*REPORT_FIELDS)
    }
    hops: dict[int, list[HopFact]] = defaultdict(list)
    rows = (
        Disposition.objects.filter(
            report_id__in=list(facts), outcome__in=sorted(wrongdoor.WRONG_DOOR_OUTCOMES)
        )
        .order_by("pk")
        .values(*HOP_FIELDS)
    )
    for row in rows:
        hop = hop_of(row, facts[row["report_id"]].category_id, calendar)
        if hop is not None:
            hops[hop.report_id].append(hop)
    return facts, dict(hops)


# --------------------------------------------------------------------------- contributions

#: (rollup model, its key values) → {measure: amount}
Contribution = dict[tuple[type, tuple[Any, ...]], dict[str, int]]


def _add(out: Contribution, model: type, key: tuple[Any, ...], values: dict[str, int]) -> None:
    slot = out.setdefault((model, key), {})
    for name, amount in values.items():
        slot[name] = slot.get(name, 0) + amount


def measures(fact: Fact) -> dict[str, int]:
    return {
        "reports": 1,
        "open": int(fact.is_open),
        "resolved": int(fact.resolution_days is not None),
        "resolved_on_time": int(bool(fact.resolved_on_time)),
        "followed_up": int(fact.followup_days is not None),
        "followed_up_on_time": int(bool(fact.followup_on_time)),
        "rated": int(fact.rating is not None),
        "rating_sum": fact.rating or 0,
        "confidential": int(fact.is_confidential),
    }


def contribution(fact: Fact | None, hops: Iterable[HopFact] = ()) -> Contribution:
    """The rollup rows one report (its fact and its wrong-door hops) adds to."""
    out: Contribution = {}
    if fact is not None:
        f = fact
        month = month_of(f.day)
        m = measures(f)
        _add(
            out,
            DailyRollup,
            (f.day, f.agency_id, f.category_id, f.kecamatan, f.kelurahan, f.channel, f.status),
            m,
        )
        _add(out, MonthlyRollup, (month, f.agency_id, f.category_id, f.kecamatan, f.channel), m)
        _add(out, DailySummary, (f.day, f.agency_id, f.category_id), m)
        _add(out, MonthlySummary, (month, f.agency_id, f.category_id), m)
        _add(
            out,
            AreaRollup,
            (month, f.kelurahan, f.kecamatan, f.agency_id, f.category_id),
            {"reports": 1, "open": m["open"]},
        )
        _add(out, DailyArea, (f.day, f.kecamatan, f.kelurahan), {"reports": 1, "open": m["open"]})
        if f.is_open:
            _add(
                out,
                BacklogRollup,
                (f.agency_id, f.category_id, f.kecamatan, f.channel, f.status, f.next_due),
                {"reports": 1},
            )
            _add(
                out,
                BacklogSummary,
                (f.agency_id, f.category_id, f.status, f.next_due),
                {"reports": 1},
            )
        for kind, days in (("followup", f.followup_days), ("resolution", f.resolution_days)):
            if days is not None:
                _add(
                    out,
                    DurationHistogram,
                    (month, f.agency_id, f.category_id, kind, days),
                    {"reports": 1},
                )
    for hop in hops:
        _add(
            out,
            WrongDoorRollup,
            (hop.month, hop.agency_id, hop.category_id),
            {
                "hops": 1,
                "returned": int(hop.outcome == wrongdoor.RETURNED),
                "forwarded": int(hop.outcome == wrongdoor.FORWARDED),
                "days_lost": hop.days_lost,
            },
        )
    return out


def delta(old: Contribution, new: Contribution, into: Contribution) -> None:
    """Add ``new - old`` to ``into``."""
    for key, values in new.items():
        _add(into, key[0], key[1], values)
    for key, values in old.items():
        _add(into, key[0], key[1], {name: -amount for name, amount in values.items()})
