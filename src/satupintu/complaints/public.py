"""What the public sees of reports: one rule for the portal, ``/api/v1`` and Open311.

"The public" is every caller who is neither the report's reporter (tracking number and secret)
nor an officer: a visitor of the portal, an app without a key, any Open311 client.

* **Which reports** (:func:`reports`, :func:`rule`): never a confidential one (*rahasia*,
  domain.md §1.8), never an archived one; with ``SATUPINTU_PUBLISH_AFTER_VERIFICATION`` only
  those a verifier has dispatched (``dispatched_at`` set: the LAPOR! procedure publishes a
  report once it is dispositioned, domain.md §1.5 stage 3), otherwise from receipt.
* **Which fields**: the rows load ``selectors.SAFE_FIELDS`` (never the encrypted contact nor the
  secret's hash); no public view names the reporter, and an anonymous report's reporter stays
  unnamed in its files too (below).
* **Which timeline entries** (:func:`timeline`, :func:`timelines`): public events only, never
  internal notes nor privacy changes.
* **Which files** (:func:`attachments`, :func:`attachment_is_public`, :func:`first_photos`):
  of a public report, those posted with a public event, and the reporter's own unless the
  reporter chose to stay anonymous (a photo or a scanned letter may show who they are).
* **Masking** (:func:`mask`): reports are public from receipt and a verifier may set *rahasia*
  only later; leaks happened when admins forgot the flag (domain.md §1.8). So the title,
  description and address of every report, and the body of every event, that these functions
  return are masked where they look like personal data (domain/text.py). The rows that
  :func:`reports` yields are masked as they are read; they are views, never saved.

Officers (``selectors.report_for_officer``) and the reporter (``selectors.public_timeline`` on
their own report) read the text whole, and so does the API key that filed a report: passed as
``filed_by``, its service account also finds the reports it received when they are not public
(archived, confidential, not yet published), as Open311 look-ups by id always allowed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.query import ModelIterable

from satupintu.complaints.models import Attachment, Report, ReportEvent
from satupintu.complaints.selectors import SAFE_FIELDS
from satupintu.domain.lifecycle import Status
from satupintu.domain.text import mask_personal_data

#: The report's own text that a public view masks.
MASKED_FIELDS = ("title", "description", "address")
#: Set (by :func:`reports`) on a row its ``filed_by`` received: that caller reads it whole.
WHOLE = "public_whole"
#: What an attachment list loads.
ATTACHMENT_FIELDS = ("pk", "report_id", "original_name", "content_type", "size", "uploaded_at")


def mask(text: str) -> str:
    """``text`` as the public reads it: what looks like a NIK, a phone number or an e-mail
    address masked."""
    return mask_personal_data(text)


def publish_after_verification() -> bool:
    """Whether the public sees a report only once a verifier has dispatched it."""
    return bool(settings.SATUPINTU_PUBLISH_AFTER_VERIFICATION)


def rule() -> Q:
    """The reports the public sees, as a filter."""
    return _rule()


def _rule(prefix: str = "") -> Q:
    shown = Q(**{f"{prefix}is_confidential": False}) & ~Q(
        **{f"{prefix}status": Status.ARCHIVED.value}
    )
    if publish_after_verification():
        shown &= Q(**{f"{prefix}dispatched_at__isnull": False})
    return shown


def is_whole(report: Report) -> bool:
    """Whether this row is read whole: only by the API key that filed it (see :func:`reports`)."""
    return bool(getattr(report, WHOLE, False))


def _mask_report(report: Report) -> Report:
    if not is_whole(report):
        deferred = report.get_deferred_fields()
        for name in MASKED_FIELDS:
            if name not in deferred:
                setattr(report, name, mask(getattr(report, name)))
    return report


class _PublicRows(ModelIterable):  # type: ignore[type-arg]  # not generic at run time
    """Rows of :func:`reports`, masked as they are read (so no door can forget it)."""

    def __iter__(self) -> Iterator[Report]:
        for report in super().__iter__():
            yield _mask_report(report)


def reports(*, filed_by: Any = None) -> QuerySet[Report]:
    """Reports the public sees, newest first, their text masked as rows are read.

    With ``filed_by`` (the service account of an API key), also every report that account
    received, whatever its status or flags, and those read whole (:func:`is_whole`)."""
    qs = Report.objects.only(*SAFE_FIELDS)
    if filed_by is None:
        qs = qs.filter(rule())
    else:
        own = Q(received_by_id=filed_by.pk)
        qs = qs.filter(rule() | own).annotate(
            **{WHOLE: ExpressionWrapper(own, output_field=BooleanField())}
        )
    # Django builds every row through the queryset's iterable class, and keeps it across
    # filter(), order_by(), slicing and first(); values() and values_list() replace it.
    qs._iterable_class = _PublicRows
    return qs.order_by("-received_at")


def search(qs: QuerySet[Report], text: str, *, tracking_number: str = "") -> QuerySet[Report]:
    """A public search of words in the title or the text (or a tracking number). A query that
    itself holds personal data, or six digits or more in a row, matches only a tracking
    number: the list would otherwise tell who searched for a phone number or a NIK which
    reports hold it, even with the text masked."""
    by_number = Q(tracking_number=tracking_number) if tracking_number else None
    if _probes(text):
        return qs.filter(by_number) if by_number is not None else qs.none()
    words = Q(title__icontains=text) | Q(description__icontains=text)
    return qs.filter(words | by_number if by_number is not None else words)


def _probes(text: str) -> bool:
    run = longest = 0
    for ch in text:
        run = run + 1 if ch.isdigit() else 0
        longest = max(longest, run)
    return longest >= 6 or "@" in text or mask(text) != text


# --------------------------------------------------------------------------- timeline


def _mask_event(event: ReportEvent) -> ReportEvent:
    event.body = mask(event.body)
    return event


def timeline(report: Report) -> list[ReportEvent]:
    """The report's public events, oldest first, bodies masked unless the report is read
    whole."""
    events = list(
        report.events.filter(is_public=True).select_related("agency").order_by("created_at", "pk")
    )
    return events if is_whole(report) else [_mask_event(e) for e in events]


class PublicEvent(NamedTuple):
    """A public event as a plain row (what Open311's status notes read)."""

    kind: str
    body: str
    data: dict[str, Any]


def timelines(reports: Iterable[Report]) -> dict[int, list[PublicEvent]]:
    """:func:`timeline` of many reports in one query, as plain rows (a page of 50 reads a
    hundred events or more)."""
    whole = {r.pk: is_whole(r) for r in reports}
    out: dict[int, list[PublicEvent]] = defaultdict(list)
    if not whole:
        return out
    rows = (
        ReportEvent.objects.filter(report_id__in=list(whole), is_public=True)
        .order_by("created_at", "pk")
        .values_list("report_id", "kind", "body", "data")
    )
    for report_id, kind, body, data in rows:
        out[report_id].append(
            PublicEvent(kind, body if whole[report_id] else mask(body), data or {})
        )
    return out


# --------------------------------------------------------------------------- attachments


def _files_shown() -> Q:
    """Files of public reports that the public sees, as a filter on attachments."""
    return _rule("report__") & (
        Q(event__is_public=True) | Q(by_reporter=True, report__is_anonymous=False)
    )


def attachments(report: Report) -> QuerySet[Attachment]:
    """The files of ``report`` that the public sees (none when the report is not public)."""
    return Attachment.objects.filter(_files_shown(), report_id=report.pk).only(*ATTACHMENT_FIELDS)


def attachment_is_public(pk: int) -> bool:
    """Whether anyone may download the file ``pk``."""
    return Attachment.objects.filter(_files_shown(), pk=pk).exists()


def first_photos(reports: Iterable[Report]) -> dict[int, int]:
    """The first photo the public sees of each of ``reports``: its id by report (one query)."""
    ids = [r.pk for r in reports]
    if not ids:
        return {}
    rows = (
        Attachment.objects.filter(
            _files_shown(), report_id__in=ids, content_type__startswith="image/"
        )
        .order_by("uploaded_at", "pk")
        .values_list("report_id", "pk")
    )
    out: dict[int, int] = {}
    for report_id, pk in rows:
        out.setdefault(report_id, pk)
    return out
