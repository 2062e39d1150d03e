"""Deadline arithmetic for reports: the SLA policy row plus the working-day calendar."""

from __future__ import annotations

import threading
import time
from datetime import date

from django.db.models.signals import post_delete, post_save

from satupintu.agencies import calendar as workcal
from satupintu.complaints.models import Category, SlaPolicy
from satupintu.domain.lifecycle import ReportType, SlaDays

REFRESH_SECONDS = 60.0
_lock = threading.Lock()
_state: dict[str, object] = {"policy": None, "built": 0.0}


def policy() -> SlaDays:
    """The Pemda's SLA in working days (defaults from domain.md §1.6 when no row exists)."""
    with _lock:
        cached = _state["policy"]
        if (
            isinstance(cached, SlaDays)
            and time.monotonic()
            - float(
                _state["built"]  # type: ignore[arg-type]
            )
            < REFRESH_SECONDS
        ):
            return cached
    row = SlaPolicy.objects.order_by("pk").first()
    built = (
        SlaDays(
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
        if row
        else SlaDays()
    )
    with _lock:
        _state["policy"] = built
        _state["built"] = time.monotonic()
    return built


def invalidate(**_: object) -> None:
    with _lock:
        _state["policy"] = None


post_save.connect(invalidate, sender=SlaPolicy, dispatch_uid="sla-policy-invalidate-save")
post_delete.connect(invalidate, sender=SlaPolicy, dispatch_uid="sla-policy-invalidate-delete")


def add_workdays(start: date, days: int) -> date:
    return workcal.calendar().add(start, days)


def completion_days(report_type: str, category: Category | None) -> int:
    if category is not None and category.completion_days:
        return category.completion_days
    return policy().completion(ReportType(report_type))
