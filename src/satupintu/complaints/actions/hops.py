"""Dispositions: each hop of a report from one agency to the next (disposisi, forward, an
appeal back to the agency), with the deadlines it starts (domain.md §1.6). Called inside a
lifecycle step, under the report's row lock: every writer of a report's dispositions holds it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency
from satupintu.complaints import deadlines
from satupintu.complaints.actors import Actor, user_of
from satupintu.complaints.models import Disposition, Report


def _next_seq(report: Report) -> int:
    # Dispositions are made by dispatch and forward (each counted in hop_count) and by appeal
    # (counted in appeal_count); the (report, seq) unique constraint guards the arithmetic.
    return report.hop_count + report.appeal_count + 1


def start(
    report: Report,
    *,
    kind: str,
    to: Agency,
    from_agency_id: int | None,
    actor: Actor,
    reason: str,
    now: dt.datetime,
) -> Disposition:
    """Give the report to ``to`` with fresh follow-up and completion deadlines."""
    today = workcal.today()
    sla = deadlines.policy()
    followup_due = deadlines.add_workdays(today, sla.follow_up)
    complete_due = deadlines.add_workdays(
        today, deadlines.completion_days(report.report_type, report.category)
    )
    disposition = Disposition.objects.create(
        report=report,
        seq=_next_seq(report),
        kind=kind,
        from_agency_id=from_agency_id,
        to_agency=to,
        by=user_of(actor),
        created_at=now,
        reason=reason,
        followup_due=followup_due,
        complete_due=complete_due,
    )
    report.current_agency = to
    report.followup_due = followup_due
    report.complete_due = complete_due
    return disposition


def open_hop(report: Report) -> QuerySet[Disposition]:
    return Disposition.objects.filter(report_id=report.pk, outcome=Disposition.Outcome.OPEN)


def end(report: Report, outcome: str, reason: str, now: dt.datetime) -> None:
    open_hop(report).update(outcome=outcome, outcome_reason=reason, ended_at=now)
