"""Reads behind Open311. Lists start from ``complaints.selectors.public_reports`` (never
confidential, never archived); a look-up by id also finds archived reports (their requester must
learn they were closed) and, for the API key that filed them, the key's own reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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


class PublicEvent(NamedTuple):
    """What ``present.status_notes`` reads of a public timeline event."""

    kind: str
    body: str
    data: dict[str, Any]


def public_events(reports: Iterable[Report]) -> dict[int, list[PublicEvent]]:
    """The public timeline of each report, oldest first (one query; plain rows, not model
    instances: a page of 50 requests reads a hundred or more)."""
    ids = [r.pk for r in reports]
    out: dict[int, list[PublicEvent]] = defaultdict(list)
    if not ids:
        return out
    rows = (
        ReportEvent.objects.filter(report_id__in=ids, is_public=True)
        .order_by("created_at", "pk")
        .values_list("report_id", "kind", "body", "data")
    )
    for report_id, kind, body, data in rows:
        out[report_id].append(PublicEvent(kind, body, data or {}))
    return out


def public_photos(reports: Iterable[Report]) -> dict[int, int]:
    """The first photo of each report that the portal shows to anyone (one query): one posted
    with a public answer, or the reporter's own unless the reporter is anonymous (a photo may
    identify them; portal.selectors.attachment_is_public is the same rule)."""
    shown = {
        r.pk: r.is_anonymous
        for r in reports
        if not r.is_confidential and r.status != Status.ARCHIVED.value
    }
    if not shown:
        return {}
    rows = (
        Attachment.objects.filter(report_id__in=list(shown), content_type__startswith="image/")
        .order_by("uploaded_at", "pk")
        .values_list("report_id", "pk", "by_reporter", "event__is_public")
    )
    out: dict[int, int] = {}
    for report_id, pk, by_reporter, answered_in_public in rows:
        if answered_in_public or (by_reporter and not shown[report_id]):
            out.setdefault(report_id, pk)
    return out


def changeset() -> dt.datetime | None:
    """When a category or one of its attributes last changed (the admin audits every edit)."""
    found: dt.datetime | None = AuditEntry.objects.filter(
        object_type__in=("category", "categoryattribute")
    ).aggregate(last=Max("created_at"))["last"]
    return found
