"""Reads behind Open311, through ``complaints.public`` like the portal's public pages and
``/api/v1``: the same reports, events and photos, with personal data in the text masked. A
look-up by id also finds, for the API key that filed them, the key's own reports (archived,
confidential or not yet published too), read whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from satupintu.complaints import public, related, tracking
from satupintu.complaints.models import Report
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
    qs = public.reports()
    if filters.service_codes:
        qs = qs.filter(category__code__in=filters.service_codes)
    if filters.statuses:
        qs = qs.filter(status__in=[s.value for s in filters.statuses])
    if filters.start is not None:
        qs = qs.filter(received_at__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(received_at__lte=filters.end)
    first = (filters.page - 1) * filters.page_size
    page = qs.order_by("-received_at", "-pk")[first : first + filters.page_size]
    return related.attach(list(page))


def requests_by_id(numbers: Sequence[str], *, filed_by: Any = None) -> list[Report]:
    """The requests with these ids, in the order asked: any public report, and every report the
    API key's service account ``filed_by`` received."""
    clean = list(dict.fromkeys(tracking.normalize_tracking_number(n) for n in numbers))[:LIMIT]
    clean = [n for n in clean if n]
    if not clean:
        return []
    rows = public.reports(filed_by=filed_by).filter(tracking_number__in=clean)
    found = {r.tracking_number: r for r in related.attach(list(rows))}
    return [found[n] for n in clean if n in found]


def public_events(reports: Iterable[Report]) -> dict[int, list[public.PublicEvent]]:
    """The public timeline of each report, oldest first (one query, plain rows)."""
    return public.timelines(reports)


def public_photos(reports: Iterable[Report]) -> dict[int, int]:
    """The first photo of each report that the portal shows to anyone (one query)."""
    return public.first_photos(reports)


def changeset() -> dt.datetime | None:
    """When a category or one of its attributes last changed (the admin audits every edit)."""
    found: dt.datetime | None = AuditEntry.objects.filter(
        object_type__in=("category", "categoryattribute")
    ).aggregate(last=Max("created_at"))["last"]
    return found
