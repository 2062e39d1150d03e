"""The SLA sweep (domain.md §1.5 stage 6, §1.6): the system closes answered reports nobody
replied to, archives holds that ran out, and escalates what is overdue. Idempotent; safe
every minute."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from satupintu.agencies import calendar as workcal
from satupintu.complaints.actions.step import Skipped, lifecycle_step
from satupintu.complaints.actors import SYSTEM
from satupintu.complaints.models import Report, ReportEvent
from satupintu.complaints.selectors import overdue_reports
from satupintu.domain.lifecycle import RUNNING_DEADLINE, Action, Status

#: Statuses whose running deadline, once passed, is escalated.
_ESCALATED = frozenset(
    s.value for s in (Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REOPENED)
)


@dataclass
class SweepResult:
    auto_closed: int = 0
    hold_expired: int = 0
    escalated: int = 0


def _system_transition(report_id: int, action: Action, today: dt.date) -> bool:
    """Apply a system action to one report if it still qualifies; False when someone won."""
    status = Status.RESOLVED if action is Action.AUTO_CLOSE else Status.ON_HOLD

    def still_due(report: Report) -> bool:
        return report.status == status and report.next_due is not None and report.next_due < today

    try:
        with lifecycle_step(SYSTEM, report_id, action, skip_locked=True, when=still_due) as step:
            step.report.closed_at = step.now
            if action is Action.AUTO_CLOSE:
                step.record(ReportEvent.Kind.AUTO_CLOSED, public=True)
            else:
                # The reason is a code, shown in the reader's language by the templates.
                step.record(ReportEvent.Kind.ARCHIVED, public=True, data={"reason": "hold_expired"})
    except Skipped:
        return False
    return True


def _escalate(report_id: int, today: dt.date) -> bool:
    def still_late(report: Report) -> bool:
        return (
            report.status in _ESCALATED
            and report.next_due is not None
            and report.next_due < today
            and report.escalated_due != report.next_due
        )

    try:
        with lifecycle_step(
            SYSTEM, report_id, Action.ESCALATE, skip_locked=True, when=still_late
        ) as step:
            report = step.report
            due: dt.date = report.next_due  # type: ignore[assignment]  # still_late: not None
            report.escalated_due = due
            report.escalation_level = report.escalation_level + 1
            running = RUNNING_DEADLINE[Status(report.status)]
            step.record(
                ReportEvent.Kind.ESCALATED,
                public=False,
                agency_id=report.current_agency_id,
                data={
                    "deadline": running.value if running else None,
                    "due": due.isoformat(),
                    "working_days_late": workcal.calendar().between(due, today),
                    "level": report.escalation_level,
                },
            )
    except Skipped:
        return False
    return True


def overdue_queryset(today: dt.date) -> QuerySet[Report]:
    """Reports whose running deadline has passed and that still owe work (selectors)."""
    return overdue_reports(today=today)


def sla_sweep(*, today: dt.date | None = None, batch: int = 1000) -> SweepResult:
    """Auto-close, expire holds and escalate what is overdue.

    Each report is handled in its own short transaction under ``SKIP LOCKED``, so a sweep never
    waits for an officer, and two sweeps running at once never act twice on one report.
    """
    today = today or workcal.today()
    result = SweepResult()
    due = Report.objects.filter(next_due__lt=today)
    for pk in list(due.filter(status=Status.RESOLVED).values_list("pk", flat=True)[:batch]):
        result.auto_closed += _system_transition(pk, Action.AUTO_CLOSE, today)
    for pk in list(due.filter(status=Status.ON_HOLD).values_list("pk", flat=True)[:batch]):
        result.hold_expired += _system_transition(pk, Action.HOLD_EXPIRE, today)
    pending = overdue_queryset(today).filter(
        Q(escalated_due__isnull=True) | ~Q(escalated_due=F("next_due"))
    )
    for pk in list(pending.values_list("pk", flat=True)[:batch]):
        result.escalated += _escalate(pk, today)
    return result
