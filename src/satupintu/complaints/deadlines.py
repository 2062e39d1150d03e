"""Deadline arithmetic for reports: the SLA policy row plus the working-day calendar."""

from __future__ import annotations

from datetime import date

from satupintu.agencies import calendar as workcal
from satupintu.complaints.models import Category, SlaPolicy
from satupintu.core.memo import Refreshed
from satupintu.domain.lifecycle import ReportType, SlaDays


def _build() -> SlaDays:
    row = SlaPolicy.objects.order_by("pk").first()
    if row is None:
        return SlaDays()
    return SlaDays(
        verify=row.verify_days,
        follow_up=row.followup_days,
        auto_close=row.autoclose_days,
        hold=row.hold_days,
        appeal=row.appeal_days,
        aspiration=row.aspiration_days,
        information=row.information_days,
        complaint=row.complaint_days,
        supervisory_complaint=row.supervisory_complaint_days,
    )


_policy = Refreshed(_build)
_policy.watch(SlaPolicy)


def policy() -> SlaDays:
    """The Pemda's SLA in working days (defaults from domain.md §1.6 when no row exists)."""
    return _policy.get()


def invalidate(**_: object) -> None:
    _policy.invalidate()


def add_workdays(start: date, days: int) -> date:
    return workcal.calendar().add(start, days)


def completion_days(report_type: str, category: Category | None) -> int:
    if category is not None and category.completion_days:
        return category.completion_days
    return policy().completion(ReportType(report_type))
