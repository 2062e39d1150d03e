"""The reporter's own steps (domain.md §1.5 stages 2 and 6): proven by tracking number and
secret, they complete a report on hold, reply to an answer, confirm and rate it, or appeal."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from satupintu.complaints import deadlines, tracking
from satupintu.complaints.actions import hops
from satupintu.complaints.actions.inputs import clean_text
from satupintu.complaints.actions.step import lifecycle_step
from satupintu.complaints.actors import SYSTEM, Reporter
from satupintu.complaints.models import Disposition, Report, ReportEvent
from satupintu.core.errors import InvalidInput, InvalidTransition, NotFound, WindowClosed
from satupintu.domain.lifecycle import Action, Status


def reporter_authenticate(tracking_number: str, secret: str) -> Reporter:
    """The reporter's own access: tracking number plus secret; one error for both mistakes."""
    number = tracking.normalize_tracking_number(tracking_number or "")
    row = Report.objects.filter(tracking_number=number).values("pk", "secret_hash").first()
    if row is None or not secret or not tracking.secret_matches(secret, row["secret_hash"]):
        raise NotFound(_("Tidak ada laporan dengan nomor pelacakan dan kode rahasia ini."))
    return Reporter(report_id=row["pk"])


def report_reporter_reply(
    *, actor: Reporter, report_id: int, body: str, expected_version: int | None = None
) -> Report:
    """Tanggapan pelapor: completes a report on hold, or keeps a resolved one open."""
    body = clean_text(body, "body")
    with lifecycle_step(actor, report_id, Action.REPORTER_REPLY, expected_version) as step:
        report = step.report
        sla = deadlines.policy()
        if step.status is Status.ON_HOLD and step.target is Status.RECEIVED:
            report.hold_due = None
            report.verify_due = deadlines.add_workdays(step.today, sla.verify)
        elif step.status is Status.RESOLVED:
            # domain.md §1.5 stage 6: closed after 10 working days *with no reply*.
            report.autoclose_due = deadlines.add_workdays(step.today, sla.auto_close)
        step.record(ReportEvent.Kind.REPORTER_REPLY, body=body, public=True)
        step.audit["body"] = body
    return step.report


def report_confirm(
    *,
    actor: Reporter,
    report_id: int,
    rating: int,
    comment: str = "",
    expected_version: int | None = None,
) -> Report:
    """The reporter accepts the answer and rates it 1–5; the report closes."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(
            _("Penilaian harus berupa angka bulat dari 1 sampai 5."),
            fields={"rating": _("Pilih 1 sampai 5.")},
        )
    comment = clean_text(comment, "comment", required=False, max_len=2000)
    with lifecycle_step(actor, report_id, Action.CONFIRM, expected_version) as step:
        report = step.report
        report.rating = rating
        report.rating_comment = comment
        report.closed_at = step.now
        step.record(ReportEvent.Kind.CONFIRMED, body=comment, public=True, data={"rating": rating})
        step.audit["comment"] = comment
    return step.report


def report_appeal(
    *, actor: Reporter, report_id: int, reason: str, expected_version: int | None = None
) -> Report:
    """Banding: the reporter disputes the answer within the appeal window; back to the agency."""
    reason = clean_text(reason, "reason")
    with lifecycle_step(actor, report_id, Action.APPEAL, expected_version) as step:
        report = step.report
        if report.appeal_until is not None and step.today > report.appeal_until:
            raise WindowClosed(
                _("Masa banding laporan ini sudah berakhir pada %(date)s.")
                % {"date": formats.date_format(report.appeal_until)},
                detail=f"the appeal window ended on {report.appeal_until.isoformat()}",
            )
        agency = report.current_agency
        if agency is None:
            raise InvalidTransition(
                _("Laporan ini tidak memiliki instansi yang dapat menangani bandingnya.")
            )
        hops.start(
            report,
            kind=Disposition.Kind.DISPATCH,
            to=agency,
            from_agency_id=None,
            actor=SYSTEM,
            reason=reason,
            now=step.now,
        )
        report.appeal_count += 1
        report.autoclose_due = None
        report.closed_at = None
        report.rating = None
        step.record(ReportEvent.Kind.APPEALED, body=reason, public=True, agency_id=agency.pk)
        step.audit["reason"] = reason
    return step.report
