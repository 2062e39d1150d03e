"""Reads of reports, and of the questions a report form asks. Every officer-facing read goes
through policies.visible_reports, and no selector ever returns a reporter's identity (that is
actions.report_read_identity, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.complaints.models import OWES_WORK_Q, CategoryAttribute, Report, ReportEvent
from satupintu.complaints.policies import report_policy, visible_reports
from satupintu.core.errors import NotFound
from satupintu.core.models import AuditHead
from satupintu.domain.lifecycle import Action, Party, Status, allowed_actions

#: Fields a list or page may load; the encrypted contact and the secret hash are never among them.
SAFE_FIELDS = [
    f
    for f in (
        "pk",
        "tracking_number",
        "report_type",
        "category",
        "title",
        "description",
        "channel",
        "status",
        "assignee",
        "is_anonymous",
        "is_confidential",
        "region",
        "address",
        "latitude",
        "longitude",
        "incident_date",
        "received_at",
        "current_agency",
        "verify_due",
        "hold_due",
        "followup_due",
        "complete_due",
        "autoclose_due",
        "appeal_until",
        "next_due",
        "escalation_level",
        "dispatched_at",
        "first_followup_at",
        "resolved_at",
        "closed_at",
        "rating",
        "rating_comment",
        "appeal_count",
        "hop_count",
        "version",
        "updated_at",
    )
]


def _safe(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.only(*SAFE_FIELDS)


def overdue_reports(
    *, today: dt.date | None = None, agency_ids: list[int] | None = None
) -> QuerySet[Report]:
    """Reports whose running deadline has passed and that still owe work, most late first.

    Served by the partial indexes on ``next_due`` and ``(current_agency, next_due)``.
    """
    today = today or workcal.today()
    qs = Report.objects.filter(OWES_WORK_Q, next_due__lt=today)
    if agency_ids is not None:
        qs = qs.filter(current_agency_id__in=agency_ids)
    return _safe(qs).order_by("next_due", "pk")


def report_for_officer(user: Any, report_id: int) -> Report:
    """One report for an officer; NotFound alike for "does not exist" and "not yours"."""
    report = (
        _safe(visible_reports(user))
        .select_related("category", "current_agency", "region")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


def officer_timeline(user: Any, report: Report) -> QuerySet[ReportEvent]:
    """Every event, internal notes included, for an officer who may see the report."""
    if not access_for(user).is_officer:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report.events.select_related("actor", "agency").order_by("created_at", "pk")


def public_timeline(report: Report) -> QuerySet[ReportEvent]:
    """The reporter's own timeline: public events only, never internal notes, their text whole
    (the public reads them through ``complaints.public.timeline``, masked)."""
    return (
        report.events.filter(is_public=True).select_related("agency").order_by("created_at", "pk")
    )


def reporter_actions(report: Report, today: dt.date | None = None) -> frozenset[str]:
    """What the reporter may do now: the lifecycle table for the reporter's party.

    The appeal is hidden once its window has passed; actions.report_appeal stays the judge
    (it raises WindowClosed), this only avoids offering a form that can no longer succeed.
    """
    actions = {a.value for a in allowed_actions(Status(report.status), Party.REPORTER)}
    today = today or workcal.today()
    if report.appeal_until is not None and today > report.appeal_until:
        actions.discard(Action.APPEAL.value)
    return frozenset(actions)


def agency_inbox(user: Any, *, agency_ids: list[int] | None = None) -> QuerySet[Report]:
    """Reports the user's agencies hold (or ``agency_ids``, as far as the report policy lets
    the user see them), nearest deadline first."""
    ids = access_for(user).visible_agencies if agency_ids is None else agency_ids
    scope = report_policy.held_by(user, ids)
    return _safe(report_policy.reports_for_scope(scope)).order_by("next_due", "pk")


@dataclass(frozen=True)
class Ratings:
    """Ratings (1–5) reporters gave on closing their reports: how many and their sum."""

    count: int = 0
    total: int = 0

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    def __add__(self, other: Ratings) -> Ratings:
        return Ratings(self.count + other.count, self.total + other.total)


def closed_ratings(
    *, start: dt.date, end: dt.date, agency_ids: Iterable[int] | None = None
) -> dict[int, Ratings]:
    """Per agency that held the report when it closed, the reporters' ratings of reports closed
    from ``start`` to ``end`` (inclusive, local dates). One aggregate query."""
    tz = timezone.get_current_timezone()
    qs = Report.objects.filter(
        status=Status.CLOSED.value,
        rating__isnull=False,
        current_agency__isnull=False,
        closed_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        closed_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )
    if agency_ids is not None:
        qs = qs.filter(current_agency_id__in=list(agency_ids))
    rows = qs.order_by().values("current_agency_id").annotate(n=Count("id"), total=Sum("rating"))
    return {row["current_agency_id"]: Ratings(row["n"], int(row["total"])) for row in rows}


QUESTION_FIELDS = ("code", "label", "help_text", "datatype", "required", "variable", "values")


def category_questions(code: str | None) -> list[CategoryAttribute]:
    """The extra questions an active category asks, in their order (one query); none for an
    empty or unknown code. Informational ones (``variable`` False) are included: they are shown
    as text. What every form that files a report asks (complaints/forms.py)."""
    if not code:
        return []
    return list(
        CategoryAttribute.objects.filter(
            category__code=code, category__is_active=True, is_active=True
        )
        .only(*QUESTION_FIELDS)
        .order_by("order", "pk")
    )


def reports_without_chain() -> Iterator[str]:
    """Chains ``report:<id>`` of reports that have no audit head: computed in the database.

    Every report gets its chain when it is received, so these are chains that must exist;
    ``audit.verify`` reports the ones that have no entries either (registered in apps.py).
    """
    chains = (
        Report.objects.annotate(
            audit_chain_name=Concat(
                Value("report:"), Cast("pk", CharField()), output_field=CharField()
            )
        )
        .filter(~Exists(AuditHead.objects.filter(chain=OuterRef("audit_chain_name"))))
        .order_by()
        .values_list("audit_chain_name", flat=True)
    )
    return chains.iterator(chunk_size=5000)
