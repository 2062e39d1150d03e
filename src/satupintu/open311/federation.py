"""Federation over Open311: No Wrong Door across Pemda lines (domain.md §1.7).

When a report is forwarded or dispatched to an external agency that runs its own Open311 server
(``Agency.is_federated``), the disposisi hop is all we write in the officer's request. Two jobs
do the rest, each a plain function returning a one-line summary, safe to run in several
processes at once (every row is claimed with a compare-and-set before any call goes out):

- :func:`push` finds open hops to such agencies, files each report there (its public text and
  location, the answers to its category's questions, a public photo's address; never the
  reporter's identity) and keeps the number the remote server gave it, resolving a token
  through ``tokens/{token}`` when it answered with one. Answers travel as the remote service's
  attributes where its definition (open311/definitions.py, cached) takes them, the rest in the
  description (open311/answers.py). The remote acceptance is recorded on our timeline as that
  agency's ``accepted`` event. A failure is retried with exponential backoff (30 s doubling up
  to 6 h); a refusal naming an attribute waits at least REFUSED_RETRY, as only a change of the
  remote definition or of our category can cure it. The error is kept on the row for the admin.
- :func:`pull` fetches ``requests/{id}.json`` of every filed report each
  SATUPINTU_FEDERATION_PULL_MINUTES: a change of its status or notes becomes a ``remote_update``
  event from that agency (its tindak lanjut); ``closed`` resolves our report with the remote
  notes as the answer, through the same services as every other door.

``satupintu federation push|pull|sync`` runs them (open311/management/commands/federation.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from satupintu.agencies.models import Agency
from satupintu.complaints import services
from satupintu.complaints.actors import RemoteAgency
from satupintu.complaints.models import Disposition, Report
from satupintu.core import crypto
from satupintu.core.errors import SatupintuError
from satupintu.domain.lifecycle import WITH_AGENCY, Status
from satupintu.open311 import answers, client, definitions, present, selectors
from satupintu.open311.models import RemoteForward

logger = logging.getLogger(__name__)

State = RemoteForward.State
#: How long a claimed row is ours (longer than two calls at the longest timeout).
LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(seconds=30)
LAST_RETRY = dt.timedelta(hours=6)
TOKEN_WAIT = dt.timedelta(minutes=1)
#: The shortest wait after the remote server refused a report over one of its attributes.
REFUSED_RETRY = dt.timedelta(hours=1)
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]+)\]")


def backoff(failures: int) -> dt.timedelta:
    """30 s after the first failure, doubling, at most 6 hours."""
    if failures < 1:
        return dt.timedelta(0)
    delay: dt.timedelta = FIRST_RETRY * 2 ** min(failures - 1, 20)
    return min(delay, LAST_RETRY)


def pull_interval() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SATUPINTU_FEDERATION_PULL_MINUTES)


def _endpoint(agency: Agency) -> client.Endpoint:
    key = crypto.decrypt_text(agency.open311_key_encrypted)
    if not key:
        raise client.RemoteError("no API key is set for this agency's Open311 server")
    return client.Endpoint(
        url=agency.open311_url, api_key=key, jurisdiction=agency.open311_jurisdiction
    )


def _remote(agency: Agency) -> RemoteAgency:
    return RemoteAgency(agency_id=agency.pk, code=agency.code)


# --------------------------------------------------------------------------- push


def discover(*, now: dt.datetime) -> int:
    """A row for every open hop to a federated agency that has none yet."""
    hops = (
        Disposition.objects.filter(
            outcome=Disposition.Outcome.OPEN,
            to_agency__kind=Agency.Kind.EXTERNAL,
            to_agency__is_active=True,
            remote__isnull=True,
        )
        .exclude(Q(to_agency__open311_url="") | Q(to_agency__open311_service_code=""))
        .values_list("pk", "report_id", "to_agency_id")
    )
    rows = [
        RemoteForward(
            disposition_id=hop,
            report_id=report,
            agency_id=agency,
            next_attempt_at=now,
            created_at=now,
        )
        for hop, report, agency in hops
    ]
    RemoteForward.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _claim(row: RemoteForward, now: dt.datetime) -> bool:
    """Take the row for LEASE unless another worker took it first (compare-and-set)."""
    taken = RemoteForward.objects.filter(
        pk=row.pk, state=row.state, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + LEASE)
    return taken == 1


def _due(states: list[str], now: dt.datetime, batch: int) -> list[RemoteForward]:
    return list(
        RemoteForward.objects.filter(state__in=states, next_attempt_at__lte=now)
        .select_related("agency", "report", "disposition")
        .order_by("next_attempt_at", "pk")[:batch]
    )


def _failed(
    row: RemoteForward, error: str, now: dt.datetime, *, at_least: dt.timedelta = dt.timedelta(0)
) -> str:
    row.failures = min(row.failures + 1, 1000)
    row.last_error = error[:1000]
    row.next_attempt_at = now + max(backoff(row.failures), at_least)
    row.save(update_fields=["failures", "last_error", "next_attempt_at"])
    logger.warning("federation: %s (%s): %s", row.report.tracking_number, row.agency.code, error)
    return "failed"


def _stop(row: RemoteForward, reason: str, now: dt.datetime) -> str:
    row.state = State.STOPPED
    row.last_error = reason[:1000]
    row.next_attempt_at = now
    row.save(update_fields=["state", "last_error", "next_attempt_at"])
    return "stopped"


def photo_url(report: Report) -> str | None:
    """The absolute address of the report's first photo that the portal shows to anyone
    (open311 selectors.public_photos), when SATUPINTU_SITE_URL says where the portal is. Never
    a photo of an anonymous report (it may show who reported it) nor of a confidential one."""
    if not settings.SITE_URL or report.is_anonymous or report.is_confidential:
        return None
    pk = selectors.public_photos([report]).get(report.pk)
    if pk is None:
        return None
    return f"{settings.SITE_URL}{reverse('portal:attachment', kwargs={'pk': pk})}"


def outgoing(
    report: Report,
    hop: Disposition,
    service_code: str,
    *,
    remote: Sequence[client.RemoteAttribute] = (),
    media_url: str | None = None,
) -> answers.Form:
    """What another government receives: the report's public text and location, the answers to
    its category's questions (as the ``remote`` attributes where they fit, else in the
    description), a public photo's address, where it came from and why it was passed on; never
    who reported it (domain.md §1.8)."""
    given = report.attributes if isinstance(report.attributes, dict) else {}
    fitted = answers.fit(given, answers.questions(report), remote) if given else answers.Fitted()
    with override(settings.LANGUAGE_CODE):
        footer = _("Diteruskan dari %(site)s, nomor laporan %(number)s.") % {
            "site": settings.SITE_NAME,
            "number": report.tracking_number,
        }
        if hop.reason.strip():
            footer += "\n" + _("Keterangan: %(reason)s") % {"reason": hop.reason.strip()}
        place = present.address(report) or _("Lokasi tidak disebutkan pelapor.")
        extra = answers.block(fitted.leftovers)
    text = present.full_text(report)
    room = present.DESCRIPTION_MAX - len(footer) - 2
    if extra:
        # The answers get what the text leaves, and at least half of the room.
        extra = present.shorten(extra, max(room - len(text) - 2, room // 2))
        room -= len(extra) + 2
    parts = [present.shorten(text, room), extra, footer]
    form: answers.Form = {
        "service_code": service_code,
        "description": "\n\n".join(part for part in parts if part),
        "address_string": place,
    }
    if report.latitude is not None and report.longitude is not None:
        form["lat"], form["long"] = str(report.latitude), str(report.longitude)
    if media_url:
        form["media_url"] = media_url
    if report.is_confidential:
        form["confidential"] = "true"  # our extension (open311/params.py); docs/open311.md
    form.update(fitted.form)
    return form


def _refusal(
    exc: client.RemoteError,
    remote: Sequence[client.RemoteAttribute],
    form: answers.Form,
) -> str:
    """A clear reason when the remote server refused the report over its attributes ("" when
    the refusal names none)."""
    if exc.status != 400:
        return ""
    codes = list(dict.fromkeys(_ATTRIBUTE.findall(str(exc))))
    if not codes:
        return ""
    asked = {a.code: a for a in remote}
    reasons = []
    for code in codes:
        attribute = asked.get(code)
        label = f" ({attribute.description})" if attribute and attribute.description else ""
        if f"attribute[{code}]" in form or f"attribute[{code}][]" in form:
            reasons.append(f"refused our answer in attribute[{code}]{label}")
        elif attribute is None or attribute.required:
            reasons.append(f"requires attribute[{code}]{label}, which this report does not answer")
        else:
            reasons.append(f"refused the report over attribute[{code}]{label}")
    wait = int(REFUSED_RETRY.total_seconds() // 60)
    return (
        f"the remote server {'; '.join(reasons)} ({exc}); its definition is read afresh and the "
        f"report sent again in {wait} minutes at the earliest"
    )


def _filed(row: RemoteForward, remote_id: str, now: dt.datetime) -> str:
    """The remote server gave the report a number: keep it, take the remote status as the
    starting point of the pulls, and record the agency's acceptance on our timeline."""
    row.state, row.remote_id, row.filed_at = State.FILED, remote_id[:100], now
    row.failures, row.last_error = 0, ""
    row.next_attempt_at = now + pull_interval()
    try:
        seen = client.request_status(_endpoint(row.agency), remote_id)
        if seen.status == "open":
            row.remote_status, row.remote_notes = seen.status, seen.notes
    except client.RemoteError as exc:  # the first pull takes the starting point instead
        logger.info("federation: no starting status for %s: %s", remote_id, exc)
        row.next_attempt_at = now
    row.checked_at = now
    row.save()
    report = row.report
    if report.status == Status.DISPATCHED.value and report.current_agency_id == row.agency_id:
        try:
            services.report_accept(
                actor=_remote(row.agency),
                report_id=report.pk,
                data={"remote": True, "remote_id": row.remote_id},
            )
        except SatupintuError as exc:  # e.g. someone forwarded it meanwhile
            logger.info("federation: %s not accepted: %s", report.tracking_number, exc.message)
    return "filed"


def _send(row: RemoteForward, now: dt.datetime) -> str:
    hop = row.disposition
    if hop.outcome != Disposition.Outcome.OPEN:
        return _stop(row, "the disposisi ended before the report was filed", now)
    agency = row.agency
    if not agency.is_federated or not agency.is_active:
        return _stop(row, "the agency no longer has an Open311 server", now)
    try:
        endpoint = _endpoint(agency)
        if row.state == State.AWAITING_ID:
            remote_id = client.request_for_token(endpoint, row.remote_token)
            if not remote_id:
                row.next_attempt_at = now + TOKEN_WAIT
                row.save(update_fields=["next_attempt_at"])
                return "waiting"
            return _filed(row, remote_id, now)
    except client.RemoteError as exc:
        return _failed(row, str(exc), now)
    report, code = row.report, agency.open311_service_code
    # The remote definition matters only to a report with answers to place.
    remote = definitions.remote_attributes(endpoint, code, now=now) if report.attributes else ()
    form = outgoing(report, hop, code, remote=remote, media_url=photo_url(report))
    try:
        answer = client.file_request(
            endpoint, form, idempotency_key=f"satupintu-{report.tracking_number}-{hop.seq}"
        )
    except client.RemoteError as exc:
        reason = _refusal(exc, remote, form)
        if reason:
            definitions.forget(endpoint, code)
            return _failed(row, reason, now, at_least=REFUSED_RETRY)
        return _failed(row, str(exc), now)
    if answer.remote_id:
        return _filed(row, answer.remote_id, now)
    row.state, row.remote_token = State.AWAITING_ID, answer.token[:100]
    row.failures, row.last_error, row.next_attempt_at = 0, "", now + TOKEN_WAIT
    row.save(update_fields=["state", "remote_token", "failures", "last_error", "next_attempt_at"])
    return "waiting"


def _summary(counts: Counter[str], *words: str) -> str:
    return ", ".join(f"{counts[w]} {w}" for w in words if counts[w])


def push(*, now: dt.datetime | None = None, batch: int = 50) -> str:
    """File forwarded reports on the remote servers; returns what it did ("" when nothing)."""
    now = now or timezone.now()
    discover(now=now)
    counts: Counter[str] = Counter()
    for row in _due([State.PENDING, State.AWAITING_ID], now, batch):
        if _claim(row, now):
            counts[_send(row, now)] += 1
    return _summary(counts, "filed", "waiting", "failed", "stopped")


# --------------------------------------------------------------------------- pull


def _still_ours(row: RemoteForward) -> bool:
    report = row.report
    return (
        row.disposition.outcome == Disposition.Outcome.OPEN
        and report.current_agency_id == row.agency_id
        and Status(report.status) in WITH_AGENCY
    )


def _check(row: RemoteForward, now: dt.datetime) -> str:
    if not _still_ours(row):
        return _stop(row, "the report is no longer with this agency", now)
    try:
        seen = client.request_status(_endpoint(row.agency), row.remote_id)
    except client.RemoteError as exc:
        return _failed(row, str(exc), now)
    actor = _remote(row.agency)
    data = {"remote": True, "remote_id": row.remote_id, "remote_status": seen.status}
    outcome = "unchanged"
    try:
        if seen.status == "closed":
            answer = seen.notes or _("Diselesaikan oleh %(agency)s (nomor %(number)s).") % {
                "agency": row.agency.name,
                "number": row.remote_id,
            }
            services.report_resolve(
                actor=actor,
                report_id=row.report_id,
                answer=answer[: services.BODY_MAX],
                data=data,
            )
            row.state, outcome = State.DONE, "resolved"
        elif (seen.status, seen.notes) != (row.remote_status, row.remote_notes):
            if row.remote_status:  # the first look only sets the starting point
                services.report_remote_update(
                    actor=actor,
                    report_id=row.report_id,
                    body=seen.notes[: services.BODY_MAX],
                    data=data,
                )
                outcome = "updated"
    except SatupintuError as exc:
        return _stop(row, exc.message, now)
    row.remote_status, row.remote_notes = seen.status, seen.notes
    row.failures, row.last_error, row.checked_at = 0, "", now
    row.next_attempt_at = now + pull_interval()
    row.save()
    return outcome


def pull(*, now: dt.datetime | None = None, batch: int = 100) -> str:
    """Bring remote status changes back onto our timeline; returns what it did."""
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    for row in _due([State.FILED], now, batch):
        if _claim(row, now):
            counts[_check(row, now)] += 1
    return _summary(counts, "updated", "resolved", "failed", "stopped")


def sync(*, now: dt.datetime | None = None) -> str:
    """:func:`push` then :func:`pull`."""
    return "; ".join(part for part in (push(now=now), pull(now=now)) if part)


def retry_now(rows: QuerySet[RemoteForward]) -> int:
    """Make rows due at once (the admin's "try now"); stopped and finished rows stay as they are."""
    waiting = [State.PENDING, State.AWAITING_ID, State.FILED]
    count: int = rows.filter(state__in=waiting).update(next_attempt_at=timezone.now())
    return count
