"""Verification (domain.md §1.5 stages 2–3): the verifier holds a report for more detail,
archives what cannot be processed, or verifies it and dispatches it (disposisi) to the agency
that must act; and may mark it anonymous or confidential (§1.8)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency
from satupintu.complaints import deadlines
from satupintu.complaints.actions import hops
from satupintu.complaints.actions.inputs import (
    active_agency,
    active_category,
    clean_report_type,
    clean_text,
)
from satupintu.complaints.actions.step import lifecycle_step
from satupintu.complaints.actors import Actor
from satupintu.complaints.models import Category, Disposition, Report, ReportEvent
from satupintu.core.errors import InvalidInput
from satupintu.domain.lifecycle import Action


def report_hold(
    *, actor: Actor, report_id: int, message: str, expected_version: int | None = None
) -> Report:
    """Tunda: ask the reporter to complete the report (domain.md §1.5 stage 2)."""
    message = clean_text(message, "message")
    with lifecycle_step(actor, report_id, Action.HOLD, expected_version) as step:
        step.report.hold_due = deadlines.add_workdays(step.today, deadlines.policy().hold)
        step.record(ReportEvent.Kind.HELD, body=message, public=True)
        step.audit["message"] = message
    return step.report


def report_archive(
    *, actor: Actor, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Arsipkan: not processable (spam, unintelligible, out of scope); the reason is shown."""
    reason = clean_text(reason, "reason")
    with lifecycle_step(actor, report_id, Action.ARCHIVE, expected_version) as step:
        step.report.closed_at = step.now
        step.record(ReportEvent.Kind.ARCHIVED, body=reason, public=True)
        step.audit["reason"] = reason
    return step.report


def report_dispatch(
    *,
    actor: Actor,
    report_id: int,
    agency: Agency | int | str | None = None,
    category: Category | int | str | None = None,
    report_type: str | None = None,
    instruction: str = "",
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    expected_version: int | None = None,
) -> Report:
    """Verify and dispatch (disposisi) to the competent agency; defaults to the category's."""
    instruction = clean_text(instruction, "instruction", required=False)
    with lifecycle_step(actor, report_id, Action.DISPATCH, expected_version) as step:
        report = step.report
        found_category = active_category(category) if category else report.category
        if found_category is None:
            raise InvalidInput(
                _("Pilih kategori sebelum laporan didisposisikan."),
                fields={"category": _("Pilih kategori.")},
            )
        target = active_agency(agency) if agency else found_category.default_agency
        report.category = found_category
        if report_type:
            report.report_type = clean_report_type(report_type)
        apply_privacy(report, anonymous=is_anonymous, confidential=is_confidential)
        hops.start(
            report,
            kind=Disposition.Kind.DISPATCH,
            to=target,
            from_agency_id=None,
            actor=actor,
            reason=instruction,
            now=step.now,
        )
        report.hop_count += 1
        if report.dispatched_at is None:
            report.dispatched_at = step.now
        step.record(
            ReportEvent.Kind.DISPATCHED,
            body=instruction,
            public=True,
            agency_id=target.pk,
            data={"to": target.code},
        )
        step.audit["instruction"] = instruction
    return step.report


def apply_privacy(report: Report, *, anonymous: bool | None, confidential: bool | None) -> None:
    # domain.md §1.8: a verifier may set either flag; neither is ever lifted against the
    # reporter's choice.
    if anonymous is False and report.is_anonymous:
        raise InvalidInput(
            _("Anonimitas pelapor tidak dapat dicabut."),
            fields={"is_anonymous": _("Tidak dapat dicabut.")},
        )
    if confidential is False and report.is_confidential:
        raise InvalidInput(
            _("Laporan rahasia tidak dapat dijadikan terbuka untuk publik."),
            fields={"is_confidential": _("Tidak dapat dicabut.")},
        )
    if anonymous:
        report.is_anonymous = True
    if confidential:
        report.is_confidential = True


def report_set_privacy(
    *,
    actor: Actor,
    report_id: int,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    expected_version: int | None = None,
) -> Report:
    """Mark a report anonymous or confidential (never the reverse); nothing is written when
    it already was."""
    with lifecycle_step(actor, report_id, Action.SET_PRIVACY, expected_version) as step:
        report = step.report
        was = (report.is_anonymous, report.is_confidential)
        apply_privacy(report, anonymous=is_anonymous, confidential=is_confidential)
        if (report.is_anonymous, report.is_confidential) != was:
            step.record(ReportEvent.Kind.PRIVACY, public=False)
    return step.report
