"""Reads behind Open311. Lists start from ``complaints.selectors.public_reports`` (never
confidential, never archived); a look-up by id also finds archived reports (their requester must
learn they were closed) and, for the API key that filed them, the key's own reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q

from satupintu.complaints import related, tracking
from satupintu.complaints.models import Attachment, Report, ReportEvent
from satupintu.complaints.selectors import SAFE_FIELDS, public_reports
from satupintu.core.models import AuditEntry
from satupintu.domain.lifecycle import Status

#: The largest answer the spec allows (1,000 requests), and our default page: a client that
#: wants more asks for ``page_size`` (up to LIMIT) and ``page`` (an extension many Open311
#: servers share; clients that do not know it get the newest PAGE_SIZE).
LIMIT = 1000
PAGE_SIZE = 50


@dataclass(frozen=True)
class RequestFilters:
    service_codes: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


def request_list(filters: RequestFilters) -> list[Report]:
    qs = public_reports()
    if filters.service_codes:
        qs = qs.filter(category__code__in=filters.service_codes)
    if filters.statuses:
        qs = qs.filter(status__in=[s.value for s in filters.statuses])
    if filters.start is not None:
        qs = qs.filter(received_at__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(received_at__lte=filters.end)
    first = (filters.page - 1) * filters.page_size
    page = qs.only(*SAFE_FIELDS).order_by("-received_at", "-pk")[first : first + filters.page_size]
    return related.attach(list(page))


def requests_by_id(numbers: Sequence[str], *, filed_by: Any = None) -> list[Report]:
    """The requests with these ids, in the order asked: any non-confidential report, and every
    report the API key's service account ``filed_by`` received."""
    clean = list(dict.fromkeys(tracking.normalize_tracking_number(n) for n in numbers))[:LIMIT]
    clean = [n for n in clean if n]
    if not clean:
        return []
    seen = Q(is_confidential=False)
    if filed_by is not None:
        seen |= Q(received_by_id=filed_by.pk)
    rows = Report.objects.filter(seen, tracking_number__in=clean).only(*SAFE_FIELDS)
    found = {r.tracking_number: r for r in related.attach(list(rows))}
    return [found[n] for n in clean if n in found]


def public_events(reports: Iterable[Report]) -> dict[int, list[ReportEvent]]:
    """The public timeline of each report, oldest first (one query)."""
    ids = [r.pk for r in reports]
    out: dict[int, list[ReportEvent]] = defaultdict(list)
    if not ids:
        return out
    rows = (
        ReportEvent.objects.filter(report_id__in=ids, is_public=True)
        .only("pk", "report_id", "kind", "body", "data", "created_at")
        .order_by("created_at", "pk")
    )
    for event in rows:
        out[event.report_id].append(event)
    return out


def public_photos(reports: Iterable[Report]) -> dict[int, int]:
    """The first photo of each report that the portal shows to anyone (one query): one posted
    with a public answer, or the reporter's own unless the reporter is anonymous (a photo may
    identify them; portal.selectors.attachment_is_public is the same rule)."""
    shown = [r for r in reports if not r.is_confidential and r.status != Status.ARCHIVED.value]
    named = [r.pk for r in shown if not r.is_anonymous]
    anonymous = [r.pk for r in shown if r.is_anonymous]
    if not named and not anonymous:
        return {}
    rows = (
        Attachment.objects.filter(content_type__startswith="image/")
        .filter(
            Q(report_id__in=named, by_reporter=True)
            | Q(report_id__in=named + anonymous, event__is_public=True)
        )
        .order_by("uploaded_at", "pk")
        .values_list("report_id", "pk")
    )
    out: dict[int, int] = {}
    for report_id, pk in rows:
        out.setdefault(report_id, pk)
    return out


def changeset() -> dt.datetime | None:
    """When a category or one of its attributes last changed (the admin audits every edit)."""
    found: dt.datetime | None = AuditEntry.objects.filter(
        object_type__in=("category", "categoryattribute")
    ).aggregate(last=Max("created_at"))["last"]
    return found
