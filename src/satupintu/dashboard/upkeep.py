"""Keeping the rollups current: job ``dashboard-rollup`` (every 2 s) folds in each change.

Every change of a report writes an outbox event in its own transaction (notifications/
outbox.py). This job keeps its own cursor over them, ``OutboxEvent.rolled_up_at`` (apart from
the webhooks' ``processed_at`` and the people's ``notified_at``), claims the events still to do
with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, and **refreshes** the reports they name:
it computes each report's fact anew from the report as it is now (dashboard/facts.py), diffs
it against the stored fact, and applies the difference to the rollups (new contribution added,
old one subtracted: dashboard/rollups.py), all in one transaction with marking the events. A
refresh of a report that did not change writes nothing, so the upkeep is idempotent and exact
whatever the order or number of events: an agency or category changed, a forward, a return, a
reopening all come out right because the whole fact is compared, not the event interpreted.

A few changes write no outbox event (a *bukan wewenang* return, a privacy change, a reporter's
reply that sends a held report back to verification); the job also reads those timeline kinds
(``ReportEvent`` by kind and time, an index) from ``DashboardState.timeline_from`` on, and keeps
the last ``TIMELINE_MARGIN`` of them in view for a transaction that commits late.

Runs are serialised by a row lock on ``DashboardState`` (a second worker finds it taken and
returns at once; the rebuild waits for it), so no report's difference is ever applied twice.
Figures that depend on the date (overdue today) are read at query time from the backlog keyed
by deadline (dashboard/selectors.py); nothing is rewritten as days pass.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.complaints.models import ReportEvent
from satupintu.dashboard import facts as factlib
from satupintu.dashboard import rollups
from satupintu.dashboard.models import DashboardState
from satupintu.notifications.models import OutboxEvent

#: Timeline kinds that change a fact but write no outbox event.
TIMELINE_KINDS = (
    ReportEvent.Kind.RETURNED.value,
    ReportEvent.Kind.PRIVACY.value,
    ReportEvent.Kind.REPORTER_REPLY.value,
)
#: How long after its time a timeline event is still looked for (a late commit).
TIMELINE_MARGIN = dt.timedelta(seconds=60)
#: The longest one turn of the job goes on taking batches while events wait (seconds): short,
#: so that the worker it holds is soon free for a waiting webhook drain.
JOB_SECONDS = 2.0


@dataclass
class Upkeep:
    events: int = 0
    reports: int = 0
    changed: int = 0
    rows: int = 0
    #: another run held the lock: nothing was done
    busy: bool = False


def _skip_locked() -> dict[str, Any]:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


def lock_state(*, wait: bool) -> DashboardState | None:
    """The state row, locked for this transaction (None: another run holds it, ``wait`` off)."""
    DashboardState.objects.get_or_create(pk=1)
    rows = DashboardState.objects.filter(pk=1)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update(**({} if wait else _skip_locked()))
    return rows.first()


def refresh(report_ids: set[int] | list[int], *, chunk: int = 500) -> tuple[int, int]:
    """Bring the facts of ``report_ids`` and the rollups up to date with the reports; inside the
    caller's transaction (holding the state lock). Returns (facts changed, rollup rows)."""
    calendar = workcal.calendar()
    ids = sorted(set(report_ids))
    changed_count = rows = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        old_facts, old_hops = rollups.stored_facts(part)
        new_facts, new_hops = factlib.load(part, calendar)
        change: factlib.Contribution = {}
        changed: dict[int, factlib.Fact | None] = {}
        hops_changed: set[int] = set()
        for pk in part:
            old, new = old_facts.get(pk), new_facts.get(pk)
            before, after = old_hops.get(pk, []), new_hops.get(pk, [])
            if old == new and before == after:
                continue
            factlib.delta(
                factlib.contribution(old, before), factlib.contribution(new, after), change
            )
            if old != new:
                changed[pk] = new
            if before != after:
                hops_changed.add(pk)
        if not changed and not hops_changed:
            continue
        rows += rollups.apply(change)
        rollups.store_facts(changed, new_hops, hops_changed=hops_changed)
        changed_count += len(set(changed) | hops_changed)
    return changed_count, rows


def upkeep(*, batch: int = 500, now: dt.datetime | None = None) -> Upkeep:
    """Fold up to ``batch`` outbox events (and the timeline's changes without one) into the
    rollups, in one transaction."""
    result = Upkeep()
    now = now or timezone.now()
    with transaction.atomic():
        state = lock_state(wait=False)
        if state is None:
            result.busy = True
            return result
        pending = OutboxEvent.objects.filter(rolled_up_at__isnull=True).order_by("pk")
        if connection.features.has_select_for_update:
            pending = pending.select_for_update(**_skip_locked())
        claimed = list(pending.only("pk", "report_id")[:batch])
        report_ids = {e.report_id for e in claimed}
        since = state.timeline_from or now - TIMELINE_MARGIN
        report_ids |= set(
            ReportEvent.objects.filter(kind__in=TIMELINE_KINDS, created_at__gte=since)
            .order_by()
            .values_list("report_id", flat=True)
            .distinct()
        )
        if report_ids:
            result.changed, result.rows = refresh(report_ids)
        if claimed:
            OutboxEvent.objects.filter(pk__in=[e.pk for e in claimed]).update(rolled_up_at=now)
        state.timeline_from = max(since, now - TIMELINE_MARGIN)
        state.updated_at = now
        state.save(update_fields=["timeline_from", "updated_at"])
        result.events = len(claimed)
        result.reports = len(report_ids)
    return result


def upkeep_job() -> str:
    """Periodic job ``dashboard-rollup``: batches while events wait, up to JOB_SECONDS."""
    deadline = time.monotonic() + JOB_SECONDS
    events = changed = 0
    while True:
        result = upkeep()
        events += result.events
        changed += result.changed
        if result.busy or result.events == 0 or time.monotonic() >= deadline:
            break
    if not events and not changed:
        return ""
    return f"{events} events rolled up, {changed} reports changed"
