"""Reads behind the JSON API. Public reads go through ``complaints.public`` (the portal's and
Open311's rule, personal data in the text masked), officer lists through
``policies.visible_reports``: the API shows nothing the portal or the desk would not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Region
from satupintu.complaints import public, tracking
from satupintu.complaints.models import Category, CategoryAttribute, Report
from satupintu.complaints.policies import report_policy, visible_reports
from satupintu.complaints.selectors import SAFE_FIELDS

RELATED = ("category", "region", "region__parent", "current_agency")
#: What officers see beyond the public fields (never the contact or the secret's hash).
OFFICER_FIELDS = ("channel", "external_ref", "attributes")


@dataclass(frozen=True)
class ReportFilters:
    q: str = ""
    status: str | None = None
    report_type: str | None = None
    category: str | None = None
    region: str | None = None
    agency: str | None = None
    received_after: dt.datetime | None = None
    received_before: dt.datetime | None = None
    updated_after: dt.datetime | None = None


def _search(qs: QuerySet[Report], text: str) -> QuerySet[Report]:
    number = tracking.normalize_tracking_number(text)
    match = Q(title__icontains=text) | Q(description__icontains=text)
    if len(number) == tracking.LENGTH:
        match |= Q(tracking_number=number)
    return qs.filter(match)


def _filtered(qs: QuerySet[Report], f: ReportFilters) -> QuerySet[Report]:
    if f.q.strip():
        qs = _search(qs, f.q.strip())
    if f.status:
        qs = qs.filter(status=f.status)
    if f.report_type:
        qs = qs.filter(report_type=f.report_type)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.region:
        # A kecamatan code (xx.xx.xx) covers its kelurahan; a kelurahan code is exact.
        qs = qs.filter(Q(region_id=f.region) | Q(region__parent_id=f.region))
    if f.agency:
        qs = qs.filter(current_agency__code=f.agency)
    if f.received_after:
        qs = qs.filter(received_at__gte=f.received_after)
    if f.received_before:
        qs = qs.filter(received_at__lt=f.received_before)
    if f.updated_after:
        qs = qs.filter(updated_at__gte=f.updated_after)
    return qs


def public_list(filters: ReportFilters) -> QuerySet[Report]:
    """Reports the public may see (``complaints.public``), searched as the public searches; a
    page of them gets its master data from ``complaints.related.attach``."""
    qs = public.reports()
    text = filters.q.strip()
    if text:
        number = tracking.normalize_tracking_number(text)
        qs = public.search(
            qs, text, tracking_number=number if len(number) == tracking.LENGTH else ""
        )
    return _filtered(qs, replace(filters, q=""))


def public_detail(number: str) -> Report | None:
    clean = tracking.normalize_tracking_number(number or "")
    return public.reports().select_related(*RELATED).filter(tracking_number=clean).first()


def reporter_report(report_id: int) -> Report | None:
    return Report.objects.only(*SAFE_FIELDS).select_related(*RELATED).filter(pk=report_id).first()


def officer_list(user: Any, filters: ReportFilters) -> QuerySet[Report]:
    """The reports the user may see (master data: ``complaints.related.attach``)."""
    qs = visible_reports(user, Report.objects.only(*SAFE_FIELDS, *OFFICER_FIELDS))
    return _filtered(qs, filters).select_related("assignee")


def officer_queue(user: Any, filters: ReportFilters, *, overdue: bool = False) -> QuerySet[Report]:
    """What the caller owes work on: reports to verify (verifiers) and reports its agencies
    hold (liaison), nearest deadline first."""
    qs = report_policy.reports_for_scope(
        report_policy.queue_scope(user), Report.objects.only(*SAFE_FIELDS, *OFFICER_FIELDS)
    ).filter(next_due__isnull=False)
    if overdue:
        qs = qs.filter(next_due__lt=workcal.today())
    return _filtered(qs, filters).select_related("assignee")


def officer_report(user: Any, number: str) -> Report | None:
    clean = tracking.normalize_tracking_number(number or "")
    found = officer_list(user, ReportFilters()).select_related(*RELATED)
    return found.filter(tracking_number=clean).first()


# --------------------------------------------------------------------------- master data


def categories(code: str | None = None) -> list[Category]:
    """Active categories with their agency and active attributes (two queries)."""
    qs = Category.objects.filter(is_active=True)
    if code is not None:
        qs = qs.filter(code=code)
    return list(
        qs.select_related("default_agency")
        .prefetch_related(
            Prefetch(
                "attributes",
                queryset=CategoryAttribute.objects.filter(is_active=True),
                to_attr="active_attributes",
            )
        )
        .order_by("name")
    )


def agencies(kind: str | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.filter(is_active=True).select_related("parent").order_by("kind", "name")
    return qs.filter(kind=kind) if kind else qs


def regions(parent: str | None) -> QuerySet[Region]:
    """The regions directly below ``parent`` (the provinces without one)."""
    qs = Region.objects.select_related("parent").order_by("code")
    return qs.filter(parent_id=parent) if parent else qs.filter(level=Region.Level.PROVINCE)
