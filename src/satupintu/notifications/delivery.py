"""After commit: fan outbox events out to deliveries, and post the deliveries that are due.

Both steps are safe with several workers. The fan-out claims unprocessed events with
``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite serialises writers instead) and a
unique constraint backs it: one delivery per event and endpoint. Posting claims due deliveries
the same way and leases them for a few seconds (``next_attempt_at`` moves past the send's
timeout, and moves on again while the send still runs) in a short transaction, then posts
outside any transaction, many at a time over one keep-alive client, and writes each outcome as
soon as it is known, only if nobody else took the delivery meanwhile (compare-and-set on the
attempt count). A worker killed mid-run thus re-sends at most what was in flight, once its
short lease has run out. :func:`drain` goes on claiming while work is due, with a cap on the
sends in flight to any one receiver, so that a slow or dead receiver never holds up the
others.

Nothing here runs inside a request: the worker (``satupintu worker``) calls these.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import (
    ALL_COMPLETED,
    FIRST_COMPLETED,
    Future,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import certifi
import httpx
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from satupintu.agencies.models import Agency
from satupintu.core import crypto
from satupintu.notifications import outbox, signing
from satupintu.notifications.models import (
    DeliveryAttempt,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)

#: The first characters of a receiver's answer kept with each attempt.
EXCERPT_CHARS = 2000
#: Deliveries posted at the same time by one worker.
PARALLEL = 64
#: Of those, at most this many to any one receiver (a slow one cannot take every slot).
PER_ENDPOINT = 16
#: While draining, new events are fanned out at most this often (seconds).
FAN_OUT_EVERY = 0.25
#: Free slots that make :func:`drain` claim again (a claim costs a few round trips to the
#: database, so it takes several deliveries at once).
CLAIM_ROOM = 8
#: After a send finishes, how long a drain waits for others to finish too, so that their
#: outcomes are written together (seconds).
LINGER = 0.004
#: How long a drain keeps the list of active receivers before reading it again (seconds).
ENDPOINTS_EVERY = 1.0
PAYLOAD_VERSION = 1
USER_AGENT = "satupintu-webhooks/1"


def _skip_locked() -> dict[str, Any]:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


# --------------------------------------------------------------------------- the body


def event_body(event: OutboxEvent, *, confidential_now: bool | None = None) -> bytes:
    """The JSON sent for ``event``: the same bytes for every delivery and replay of it.

    ``confidential_now`` (the report's flag when the message is sent, read from
    ``event.report`` when not given) withholds the texts of a report made confidential after
    the event: a verifier may mark a report rahasia after it was received.
    """
    if confidential_now is None:
        confidential_now = event.report.is_confidential
    stored = event.payload or {}
    report = dict(stored.get("report", {}))
    step = dict(stored.get("step", {}))
    if confidential_now:
        report["confidential"] = True
        for key in outbox.TEXT_FIELDS:
            report.pop(key, None)
        step.pop("text", None)
    report["agency"] = event.agency_code or None
    report["category"] = event.category_code or None
    envelope = {
        "version": PAYLOAD_VERSION,
        "id": event.pk,
        "type": event.event_type,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "report": report,
        "step": step,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt_json(endpoint.secret_encrypted)["secret"]


def endpoint_previous_secret(endpoint: WebhookEndpoint, *, now: dt.datetime) -> str | None:
    """The secret the last rotation replaced, while its overlap lasts at ``now``; else None."""
    until = endpoint.previous_secret_expires_at
    if not endpoint.previous_secret_encrypted or until is None or until <= now:
        return None
    return crypto.decrypt_json(endpoint.previous_secret_encrypted)["secret"]


# --------------------------------------------------------------------------- fan-out


@dataclass
class FanOut:
    events: int = 0
    deliveries: int = 0


def _subtrees(endpoints: Iterable[WebhookEndpoint]) -> dict[int, set[int]]:
    """Agency id → itself and every agency below it, for the endpoints' agency filters."""
    roots = {e.agency_id for e in endpoints if e.agency_id is not None}
    if not roots:
        return {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Agency.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    found: dict[int, set[int]] = {}
    for root in roots:
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(children.get(node, ()))
        found[root] = seen
    return found


def subscribed(
    endpoint: WebhookEndpoint, event: OutboxEvent, subtrees: dict[int, set[int]]
) -> bool:
    if event.event_type not in endpoint.event_types:
        return False
    if endpoint.agency_id is None:
        return True
    scope = subtrees.get(endpoint.agency_id, {endpoint.agency_id})
    return event.agency_id in scope or event.previous_agency_id in scope


def fan_out(*, batch: int = 500) -> FanOut:
    """Create the deliveries of up to ``batch`` unprocessed events; one transaction."""
    result = FanOut()
    now = timezone.now()
    with transaction.atomic():
        pending = OutboxEvent.objects.filter(processed_at__isnull=True).order_by("pk")
        if connection.features.has_select_for_update:
            pending = pending.select_for_update(**_skip_locked())
        events = list(pending.only("pk", "event_type", "agency_id", "previous_agency_id")[:batch])
        if not events:
            return result
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True).order_by("pk"))
        subtrees = _subtrees(endpoints)
        deliveries = [
            WebhookDelivery(endpoint=endpoint, event=event, created_at=now, next_attempt_at=now)
            for event in events
            for endpoint in endpoints
            if subscribed(endpoint, event, subtrees)
        ]
        WebhookDelivery.objects.bulk_create(deliveries)
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(processed_at=now)
    result.events, result.deliveries = len(events), len(deliveries)
    return result


# --------------------------------------------------------------------------- posting


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    endpoint_id: int
    attempt: int
    claimed_at: dt.datetime
    url: str
    secret: str
    event_type: str
    body: bytes
    problem: str = ""  # set when the delivery cannot be sent at all
    # The rotated-out secret and the end of its overlap (unix time), while it still signs.
    previous_secret: str | None = None
    previous_until: float | None = None


@dataclass(frozen=True)
class Outcome:
    ok: bool
    duration_ms: int
    status: int | None = None
    body: str = ""
    error: str = ""


@dataclass
class DeliveryRun:
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.succeeded + self.retrying + self.failed


def _lease() -> dt.timedelta:
    """How long a claim holds a delivery: past one send's timeout, renewed while it runs
    (:func:`_renew`), so that a killed worker's deliveries wait no longer than this."""
    return dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT + 5)


def _renew(jobs: Iterable[_Job]) -> None:
    """Hold the deliveries of ``jobs``, still being sent, for another lease."""
    ids: dict[int, list[int]] = defaultdict(list)
    for job in jobs:
        ids[job.attempt].append(job.delivery_id)
    until = timezone.now() + _lease()
    for attempt, pks in ids.items():
        WebhookDelivery.objects.filter(
            pk__in=pks, attempts=attempt, status=WebhookDelivery.Status.PENDING
        ).update(next_attempt_at=until)


def active_endpoints() -> list[int]:
    return list(
        WebhookEndpoint.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )


#: Rotates which receiver is claimed for first (fairness when a claim's batch runs short).
_turn = 0


def _claim(
    batch: int,
    now: dt.datetime,
    *,
    busy: dict[int, int] | None = None,
    endpoint_ids: list[int] | None = None,
    dry: set[int] | None = None,
) -> list[_Job]:
    """Lease up to ``batch`` due deliveries, at most :data:`PER_ENDPOINT` to any receiver
    counting ``busy`` (endpoint id → sends already in flight).

    Each receiver's due rows are claimed by a query of their own, so a receiver that keeps up
    is never starved by the backlog of a slow one (one query over all rows in due order would
    return only the slow receiver's old rows, whenever it had a slot free).
    """
    busy = dict(busy or {})
    global _turn
    if endpoint_ids is None:
        endpoint_ids = active_endpoints()
    if not endpoint_ids:
        return []
    _turn = (_turn + 1) % len(endpoint_ids)  # who goes first when ``batch`` runs short
    order = endpoint_ids[_turn:] + endpoint_ids[:_turn]
    rows: list[Any] = []  # (annotated with confidential_now)
    with transaction.atomic():
        for endpoint_id in order:
            room = min(PER_ENDPOINT - busy.get(endpoint_id, 0), batch - len(rows))
            if room <= 0 or (dry is not None and endpoint_id in dry):
                continue
            due = WebhookDelivery.objects.filter(
                endpoint_id=endpoint_id,
                status=WebhookDelivery.Status.PENDING,
                next_attempt_at__lte=now,
            ).order_by("next_attempt_at", "pk")
            if connection.features.has_select_for_update:
                of = ("self",) if connection.features.has_select_for_update_of else ()
                due = due.select_for_update(of=of, **_skip_locked())
            found = list(
                due.select_related("endpoint", "event").annotate(
                    confidential_now=F("event__report__is_confidential")
                )[:room]
            )
            if dry is not None and len(found) < room:
                dry.add(endpoint_id)  # nothing more is due there (``dry`` is the caller's)
            rows += found
            if len(rows) >= batch:
                break
        if not rows:
            return []
        WebhookDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
            attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + _lease()
        )
    jobs = []
    for row in rows:
        # The endpoint's secrets as they stand now: a replay or a retry after a rotation is
        # signed with the new secret (and the previous one while the overlap lasts).
        previous, until = None, row.endpoint.previous_secret_expires_at
        try:
            secret, problem = endpoint_secret(row.endpoint), ""
            previous = endpoint_previous_secret(row.endpoint, now=now)
        except crypto.DecryptionFailed:
            secret, problem = (
                "",
                "the endpoint's secret cannot be decrypted with SATUPINTU_FIELD_KEY",
            )
        jobs.append(
            _Job(
                delivery_id=row.pk,
                endpoint_id=row.endpoint_id,
                attempt=row.attempts + 1,
                claimed_at=now,
                url=row.endpoint.url,
                secret=secret,
                event_type=row.event.event_type,
                body=event_body(row.event, confidential_now=row.confidential_now),
                problem=problem,
                previous_secret=previous,
                previous_until=until.timestamp() if previous and until else None,
            )
        )
    return jobs


def _excerpt(response: httpx.Response) -> str:
    limit = EXCERPT_CHARS * 4
    length = response.headers.get("content-length", "")
    encoded = response.headers.get("content-encoding", "")
    if length.isdigit() and int(length) <= limit and not encoded:
        data = response.read()  # the common short answer, in one read
    else:  # a long, unknown or compressed body: only its beginning
        data = b""
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) >= limit:
                break
    # NUL cannot be stored in a PostgreSQL text column.
    return data.decode("utf-8", errors="replace").replace("\x00", "")[:EXCERPT_CHARS]


def post(client: httpx.Client, job: _Job) -> Outcome:
    """POST one delivery; never raises for what the network or the receiver does."""
    if job.problem:
        return Outcome(ok=False, duration_ms=0, error=job.problem)
    timestamp = int(time.time())
    headers = dict(
        signing.headers(
            secret=job.secret,
            # Decided at the signed time itself: the overlap may end between claim and send.
            previous=signing.previous_if_valid(
                job.previous_secret, job.previous_until, at=timestamp
            ),
            timestamp=timestamp,
            body=job.body,
            event_type=job.event_type,
            delivery_id=job.delivery_id,
        )
    )
    start = time.perf_counter()

    def took() -> int:
        return round((time.perf_counter() - start) * 1000)

    try:
        with client.stream("POST", job.url, content=job.body, headers=headers) as response:
            text = _excerpt(response)
            status = response.status_code
    except httpx.TimeoutException:
        return Outcome(
            ok=False, duration_ms=took(), error=f"timed out ({settings.WEBHOOK_TIMEOUT} s)"
        )
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        return Outcome(ok=False, duration_ms=took(), error=f"connection failed: {reason}"[:500])
    error = ""
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        error = f"redirect to {location or '(no Location)'} not followed: update the endpoint URL"
    elif not 200 <= status < 300:
        error = f"HTTP {status}"
    return Outcome(ok=not error, duration_ms=took(), status=status, body=text, error=error[:500])


def _record(job: _Job, outcome: Outcome, now: dt.datetime) -> str:
    """Store the attempt and the delivery's new state; returns that state."""
    return _record_many([(job, outcome)])[0]


def _new_state(job: _Job, outcome: Outcome) -> tuple[str, dict[str, Any]]:
    fields: dict[str, Any] = {"response_status": outcome.status, "error": outcome.error}
    if outcome.ok:
        state = WebhookDelivery.Status.SUCCEEDED
        fields |= {"status": state, "next_attempt_at": None}
    elif job.attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        state = WebhookDelivery.Status.FAILED
        fields |= {"status": state, "next_attempt_at": None}
    else:
        state = WebhookDelivery.Status.PENDING
        delay = signing.retry_delay(
            job.attempt, base=settings.WEBHOOK_RETRY_BASE, cap=settings.WEBHOOK_RETRY_CAP
        )
        fields["next_attempt_at"] = timezone.now() + dt.timedelta(seconds=delay)
    return state, fields


def _record_many(results: Sequence[tuple[_Job, Outcome]]) -> list[str]:
    """Store the attempts and new states of several finished sends in one transaction (the
    outcomes that came in together); returns each one's state.

    Each delivery changes only if its attempt is still its latest (its lease did not run out
    and nobody else took it meanwhile). Successes with the same attempt number and answer code
    are written by one UPDATE: the common case, a receiver that keeps up, costs one INSERT and
    one UPDATE per batch, not per delivery.
    """
    states: list[str] = []
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    singles: list[tuple[_Job, dict[str, Any]]] = []
    for job, outcome in results:
        state, fields = _new_state(job, outcome)
        states.append(state)
        if outcome.ok and not outcome.error:
            groups[(job.attempt, outcome.status)].append(job.delivery_id)
        else:
            singles.append((job, fields))
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery_id=job.delivery_id,
                number=job.attempt,
                started_at=job.claimed_at,
                duration_ms=outcome.duration_ms,
                response_status=outcome.status,
                response_body=outcome.body,
                error=outcome.error,
            )
            for job, outcome in results
        )
        delivered = timezone.now()
        for (attempt, status), pks in groups.items():
            WebhookDelivery.objects.filter(
                pk__in=pks, attempts=attempt, status=WebhookDelivery.Status.PENDING
            ).update(
                status=WebhookDelivery.Status.SUCCEEDED,
                response_status=status,
                error="",
                delivered_at=delivered,
                next_attempt_at=None,
            )
        for job, fields in singles:
            WebhookDelivery.objects.filter(
                pk=job.delivery_id, attempts=job.attempt, status=WebhookDelivery.Status.PENDING
            ).update(**fields)
    return states


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The trusted certificates, loaded once per process (loading them costs more CPU than
    hundreds of deliveries)."""
    return ssl.create_default_context(cafile=certifi.where())


def client(**kwargs: Any) -> httpx.Client:
    """A new HTTP client: short timeout, redirects never followed (HTTPS_PROXY is honoured)."""
    return httpx.Client(
        timeout=settings.WEBHOOK_TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        verify=_tls(),
        limits=httpx.Limits(max_connections=PARALLEL, max_keepalive_connections=PARALLEL),
        **kwargs,
    )


_shared: dict[float, httpx.Client] = {}
_shared_lock = threading.Lock()


def shared_client() -> httpx.Client:
    """The process's one client (per timeout setting), kept between drains so that its
    keep-alive connections to the receivers outlive one run of the job."""
    timeout = float(settings.WEBHOOK_TIMEOUT)
    with _shared_lock:
        found = _shared.get(timeout)
        if found is None or found.is_closed:
            found = _shared[timeout] = client()
        return found


def _count(run: DeliveryRun, state: str) -> None:
    if state == WebhookDelivery.Status.SUCCEEDED:
        run.succeeded += 1
    elif state == WebhookDelivery.Status.FAILED:
        run.failed += 1
    else:
        run.retrying += 1


def drain(
    *,
    seconds: float | None = None,
    batch: int = 50,
    parallel: int = PARALLEL,
    fan_out_first: bool = True,
) -> DeliveryRun:
    """Post due deliveries until none is due (or ``seconds`` have passed, then what is in
    flight is finished): up to ``parallel`` at once over one keep-alive client, each outcome
    written as soon as it is known, new events fanned out between claims (``fan_out_first``).
    """
    run = DeliveryRun()
    started = time.monotonic()
    renew_every = max(_lease().total_seconds() / 3, 0.5)
    renewed = time.monotonic()
    in_flight: dict[Future[Outcome], _Job] = {}
    busy: dict[int, int] = defaultdict(int)
    fanned = -FAN_OUT_EVERY
    endpoints: list[int] = []
    endpoints_read = -ENDPOINTS_EVERY
    # Receivers whose last claim found less than it had room for: nothing due there until the
    # next fan-out or the next read of the receivers (a retry falling due waits that long).
    dry: set[int] = set()
    http = shared_client()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        while True:
            now_mono = time.monotonic()
            out_of_time = seconds is not None and now_mono - started >= seconds
            if not out_of_time and fan_out_first and now_mono - fanned >= FAN_OUT_EVERY:
                if fan_out().deliveries:
                    dry.clear()
                fanned = time.monotonic()
            if now_mono - endpoints_read >= ENDPOINTS_EVERY:
                endpoints, endpoints_read = active_endpoints(), now_mono
                dry.clear()
            room = parallel - len(in_flight)
            free = sum(max(0, PER_ENDPOINT - busy[e]) for e in endpoints if e not in dry)
            # A claim costs a few round trips: it waits until several slots are free (or
            # nothing is in flight), but never for the slow receivers' sends, which hold
            # their own slots only.
            wanted = min(CLAIM_ROOM, parallel, PER_ENDPOINT)
            if not out_of_time and free and room and (min(free, room) >= wanted or not in_flight):
                jobs = _claim(
                    min(batch, room), timezone.now(), busy=busy, endpoint_ids=endpoints, dry=dry
                )
                for job in jobs:
                    busy[job.endpoint_id] += 1
                    in_flight[pool.submit(post, http, job)] = job
            if not in_flight:
                if out_of_time or len(dry) >= len(endpoints):
                    return run
                continue
            done, pending = wait(in_flight, timeout=renew_every, return_when=FIRST_COMPLETED)
            if done and pending:
                # Outcomes are written in one transaction per batch: linger a moment for the
                # sends finishing right behind this one (a fast receiver's answer takes ms).
                more_done, _ = wait(pending, timeout=LINGER, return_when=ALL_COMPLETED)
                done |= more_done
            finished = []
            for future in done:
                job = in_flight.pop(future)
                busy[job.endpoint_id] -= 1
                finished.append((job, future.result()))
            for state in _record_many(finished) if finished else ():
                _count(run, state)
            if time.monotonic() - renewed >= renew_every and in_flight:
                _renew(in_flight.values())
                renewed = time.monotonic()


def deliver_due(*, batch: int = 20) -> DeliveryRun:
    """Post up to ``batch`` due deliveries (one claim, ``PARALLEL`` at a time) and record
    each result as it comes."""
    run = DeliveryRun()
    jobs = _claim(batch, timezone.now())
    if not jobs:
        return run
    http = shared_client()
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(jobs))) as pool:
        futures = {pool.submit(post, http, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            _count(run, _record(job, future.result(), job.claimed_at))
    return run


# --------------------------------------------------------------------------- retention


@dataclass
class Purged:
    deliveries: int = 0
    events: int = 0
    secrets: int = 0  # rotated-out secrets wiped after their overlap


def purge(*, now: dt.datetime | None = None, batch: int = 5000) -> Purged:
    """Remove what is older than ``WEBHOOK_RETENTION_DAYS``: finished deliveries (succeeded or
    failed, with their attempts) and then the fanned-out events no delivery refers to any more.

    Pending deliveries and their events are kept whatever their age; so is every event not yet
    fanned out. Works in batches of ``batch`` rows, each its own short transaction. Also wipes
    each secret a rotation replaced once its overlap has ended (it no longer signs anything;
    the end of the overlap stays on the endpoint).
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    result = Purged()
    result.secrets = (
        WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=now)
        .exclude(previous_secret_encrypted="")
        .update(previous_secret_encrypted="")
    )
    finished = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        status=WebhookDelivery.Status.PENDING
    )
    while ids := list(finished.order_by("pk").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():  # attempts go with them; replays of them lose the link
            deleted = WebhookDelivery.objects.filter(pk__in=ids).delete()[1]
        result.deliveries += deleted.get(WebhookDelivery._meta.label, 0)
    # (An event is kept until the messages to people have been made from it too, and the
    # operations room's rollups have taken it in.)
    done = OutboxEvent.objects.filter(
        processed_at__lt=cutoff,
        notified_at__isnull=False,
        rolled_up_at__isnull=False,
        deliveries__isnull=True,
    )
    while ids := list(done.order_by("pk").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():  # unless a replay was queued for one meanwhile
            gone = OutboxEvent.objects.filter(pk__in=ids, deliveries__isnull=True).delete()[1]
        result.events += gone.get(OutboxEvent._meta.label, 0)
        if len(ids) < batch:
            break
    return result
