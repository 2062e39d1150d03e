"""After commit: fan outbox events out to deliveries, and post the deliveries that are due.

Both steps are safe with several workers. The fan-out claims unprocessed events with
``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite serialises writers instead) and a
unique constraint backs it: one delivery per event and endpoint. Posting claims due deliveries
the same way and leases them for a few seconds (``next_attempt_at`` moves past the send's
timeout, and moves on again while the send still runs) in a short transaction, then posts
outside any transaction, many at a time from one event loop over one keep-alive connection
pool, and writes each outcome as
soon as it is known, only if nobody else took the delivery meanwhile (compare-and-set on the
attempt count). A worker killed mid-run thus re-sends at most what was in flight, once its
short lease has run out. :func:`drain` goes on claiming while work is due, with a cap on the
sends in flight to any one receiver, so that a slow or dead receiver never holds up the
others.

Nothing here runs inside a request: the worker (``satupintu worker``) calls these.
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import datetime as dt
import json
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, as_completed, wait
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import aiohttp
import certifi
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
LINGER = 0.01
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
    return _body(
        event.pk,
        event.event_type,
        event.occurred_at,
        event.payload,
        event.agency_code,
        event.category_code,
        confidential_now=confidential_now,
    )


def _body(
    pk: int,
    event_type: str,
    occurred_at: dt.datetime,
    payload: dict[str, Any] | None,
    agency_code: str,
    category_code: str,
    *,
    confidential_now: bool,
) -> bytes:
    stored = payload or {}
    report = dict(stored.get("report", {}))
    step = dict(stored.get("step", {}))
    if confidential_now:
        report["confidential"] = True
        for key in outbox.TEXT_FIELDS:
            report.pop(key, None)
        step.pop("text", None)
    report["agency"] = agency_code or None
    report["category"] = category_code or None
    envelope = {
        "version": PAYLOAD_VERSION,
        "id": pk,
        "type": event_type,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
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
    endpoint: WebhookEndpoint, event: OutboxEvent | _Pending, subtrees: dict[int, set[int]]
) -> bool:
    if event.event_type not in endpoint.event_types:
        return False
    if endpoint.agency_id is None:
        return True
    scope = subtrees.get(endpoint.agency_id, {endpoint.agency_id})
    return event.agency_id in scope or event.previous_agency_id in scope


@dataclass(frozen=True)
class _Pending:
    pk: int
    event_type: str
    agency_id: int | None
    previous_agency_id: int | None


def _take_events(batch: int, now: dt.datetime) -> list[_Pending]:
    """Mark up to ``batch`` unprocessed events as fanned out at ``now`` and return them; inside
    the caller's transaction, which also creates their deliveries."""
    if connection.vendor == "postgresql":
        # One statement: the claim (SKIP LOCKED, so that workers fanning out at once take
        # different events) and the mark, with no model instances made.
        table = OutboxEvent._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET processed_at = %s WHERE id IN ("  # noqa: S608 - our table
                f"SELECT id FROM {table} WHERE processed_at IS NULL ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED) "
                "RETURNING id, event_type, agency_id, previous_agency_id",
                [now, batch],
            )
            return sorted((_Pending(*row) for row in cursor.fetchall()), key=lambda e: e.pk)
    pending = OutboxEvent.objects.filter(processed_at__isnull=True).order_by("pk")
    if connection.features.has_select_for_update:
        pending = pending.select_for_update(**_skip_locked())
    events = [
        _Pending(*row)
        for row in pending.values_list("pk", "event_type", "agency_id", "previous_agency_id")[
            :batch
        ]
    ]
    OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(processed_at=now)
    return events


def _create_deliveries(pairs: list[tuple[int, int]], now: dt.datetime) -> None:
    """One pending delivery, due at ``now``, for each (endpoint id, event id) pair."""
    if not pairs:
        return
    if connection.vendor == "postgresql":
        # Two arrays as parameters: the same rows as bulk_create, at a fraction of its CPU
        # (no model instance and no placeholder per value).
        table = WebhookDelivery._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - our table
                "(endpoint_id, event_id, status, attempts, error, created_at, next_attempt_at) "
                "SELECT e, v, %s, 0, '', %s, %s FROM unnest(%s::bigint[], %s::bigint[]) AS t(e, v)",
                [
                    WebhookDelivery.Status.PENDING,
                    now,
                    now,
                    [e for e, _ in pairs],
                    [v for _, v in pairs],
                ],
            )
        return
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint_id=e, event_id=v, created_at=now, next_attempt_at=now)
        for e, v in pairs
    )


def fan_out(*, batch: int = 500) -> FanOut:
    """Create the deliveries of up to ``batch`` unprocessed events; one transaction."""
    result = FanOut()
    now = timezone.now()
    with transaction.atomic():
        events = _take_events(batch, now)
        if not events:
            return result
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True).order_by("pk"))
        subtrees = _subtrees(endpoints)
        pairs = [
            (endpoint.pk, event.pk)
            for event in events
            for endpoint in endpoints
            if subscribed(endpoint, event, subtrees)
        ]
        _create_deliveries(pairs, now)
    result.events, result.deliveries = len(events), len(pairs)
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


@dataclass(frozen=True)
class _Claimed:
    pk: int
    endpoint_id: int
    event_id: int
    attempts: int  # after the claim's increment


def _due_rows(rooms: list[tuple[int, int]], now: dt.datetime) -> list[_Claimed]:
    """Each receiver's oldest due rows, up to its room, locked (SKIP LOCKED on PostgreSQL:
    workers claiming at once take different rows); ``attempts`` as stored."""
    if connection.vendor == "postgresql":
        # One statement for every receiver, no model instances made.
        table = WebhookDelivery._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.endpoint_id, d.event_id, d.attempts "  # noqa: S608 - our table
                "FROM unnest(%s::bigint[], %s::int[]) AS w(endpoint_id, room) "
                "CROSS JOIN LATERAL ("
                f"SELECT id, endpoint_id, event_id, attempts FROM {table} "
                "WHERE endpoint_id = w.endpoint_id AND status = %s AND next_attempt_at <= %s "
                "ORDER BY next_attempt_at, id LIMIT w.room FOR UPDATE SKIP LOCKED) d",
                [
                    [e for e, _ in rooms],
                    [room for _, room in rooms],
                    WebhookDelivery.Status.PENDING,
                    now,
                ],
            )
            return [_Claimed(*row) for row in cursor.fetchall()]
    found: list[_Claimed] = []
    for endpoint_id, room in rooms:  # SQLite: one writer at a time, no row locks
        due = WebhookDelivery.objects.filter(
            endpoint_id=endpoint_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        found += (_Claimed(*row) for row in due.values_list(*_CLAIMED)[:room])
    return found


_CLAIMED = ("pk", "endpoint_id", "event_id", "attempts")


def _lease_rows(
    rooms: list[tuple[int, int]], batch: int, now: dt.datetime
) -> tuple[list[_Claimed], dict[int, int]]:
    """Take up to ``batch`` due rows, each receiver's oldest up to its room and the receivers
    in the order of ``rooms``, and lease them; one transaction. Returns the rows taken (their
    ``attempts`` counting this claim) and how many rows were due at each receiver (up to its
    room)."""
    with transaction.atomic():
        found = _due_rows(rooms, now)
        due: dict[int, int] = defaultdict(int)
        by_endpoint: dict[int, list[_Claimed]] = defaultdict(list)
        for row in found:
            due[row.endpoint_id] += 1
            by_endpoint[row.endpoint_id].append(row)
        taken = [row for endpoint_id, _ in rooms for row in by_endpoint[endpoint_id]][:batch]
        if taken:
            WebhookDelivery.objects.filter(pk__in=[row.pk for row in taken]).update(
                attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + _lease()
            )
    return [dataclasses.replace(row, attempts=row.attempts + 1) for row in taken], due


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

    Each receiver's due rows are taken in its own due order, up to its own room, so a receiver
    that keeps up is never starved by the backlog of a slow one (one query over all rows in
    due order would return only the slow receiver's old rows, whenever it had a slot free).
    A receiver with fewer due rows than its room is added to ``dry`` (the caller's).
    """
    busy = busy or {}
    global _turn
    if endpoint_ids is None:
        endpoint_ids = active_endpoints()
    if not endpoint_ids:
        return []
    _turn = (_turn + 1) % len(endpoint_ids)  # who goes first when ``batch`` runs short
    order = endpoint_ids[_turn:] + endpoint_ids[:_turn]
    rooms = [
        (endpoint_id, room)
        for endpoint_id in order
        if (room := min(PER_ENDPOINT - busy.get(endpoint_id, 0), batch)) > 0
        and (dry is None or endpoint_id not in dry)
    ]
    if not rooms:
        return []
    taken, due = _lease_rows(rooms, batch, now)
    if dry is not None:  # nothing more is due there: fewer rows than room, and all taken
        got: dict[int, int] = defaultdict(int)
        for row in taken:
            got[row.endpoint_id] += 1
        dry.update(e for e, room in rooms if got[e] == due[e] < room)
    if not taken:
        return []
    # The endpoints' secrets as they stand now: a replay or a retry after a rotation is
    # signed with the new secret (and the previous one while the overlap lasts).
    endpoints = WebhookEndpoint.objects.in_bulk({c.endpoint_id for c in taken})
    secrets: dict[int, tuple[str, str, str | None]] = {}
    for pk, endpoint in endpoints.items():
        try:
            secrets[pk] = (
                endpoint_secret(endpoint),
                "",
                endpoint_previous_secret(endpoint, now=now),
            )
        except crypto.DecryptionFailed:
            problem = "the endpoint's secret cannot be decrypted with SATUPINTU_FIELD_KEY"
            secrets[pk] = ("", problem, None)
    # Each event's body once, though it goes to several receivers.
    bodies: dict[int, tuple[str, bytes]] = {
        pk: (
            event_type,
            _body(pk, event_type, at, payload, agency, category, confidential_now=hidden),
        )
        for pk, event_type, at, payload, agency, category, hidden in (
            OutboxEvent.objects.filter(pk__in={c.event_id for c in taken}).values_list(
                "pk",
                "event_type",
                "occurred_at",
                "payload",
                "agency_code",
                "category_code",
                "report__is_confidential",
            )
        )
    }
    jobs = []
    for claimed in taken:
        endpoint = endpoints[claimed.endpoint_id]
        secret, problem, previous = secrets[claimed.endpoint_id]
        until = endpoint.previous_secret_expires_at
        event_type, body = bodies[claimed.event_id]
        jobs.append(
            _Job(
                delivery_id=claimed.pk,
                endpoint_id=claimed.endpoint_id,
                attempt=claimed.attempts,
                claimed_at=now,
                url=endpoint.url,
                secret=secret,
                event_type=event_type,
                body=body,
                problem=problem,
                previous_secret=previous,
                previous_until=until.timestamp() if previous and until else None,
            )
        )
    return jobs


async def _excerpt(response: aiohttp.ClientResponse) -> str:
    limit = EXCERPT_CHARS * 4
    length = response.content_length
    if length is not None and length <= limit and "content-encoding" not in response.headers:
        data = await response.read()  # the common short answer, in one read
    else:  # a long, unknown or compressed body: only its beginning
        data = b""
        async for chunk in response.content.iter_any():
            data += chunk
            if len(data) >= limit:
                break
    # NUL cannot be stored in a PostgreSQL text column.
    return data.decode("utf-8", errors="replace").replace("\x00", "")[:EXCERPT_CHARS]


@lru_cache(maxsize=1024)
def _proxy_for(scheme: str, host: str) -> str | None:
    proxies = urllib.request.getproxies()
    if scheme not in proxies or urllib.request.proxy_bypass(host):
        return None
    return proxies[scheme]


def _proxy(url: str) -> str | None:
    """The proxy ``HTTPS_PROXY`` / ``HTTP_PROXY`` name for ``url`` (``NO_PROXY`` respected), read
    from the environment once per receiver rather than at each send."""
    parts = urllib.parse.urlsplit(url)
    return _proxy_for(parts.scheme, parts.hostname or "")


async def post(session: aiohttp.ClientSession, job: _Job, *, proxy: str | None = None) -> Outcome:
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

    timeout = settings.WEBHOOK_TIMEOUT
    try:
        async with session.post(
            job.url,
            data=job.body,
            headers=headers,
            allow_redirects=False,
            proxy=proxy,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            text = await _excerpt(response)
            status = response.status
            location = response.headers.get("location", "")
    except TimeoutError:
        return Outcome(ok=False, duration_ms=took(), error=f"timed out ({timeout} s)")
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        return Outcome(ok=False, duration_ms=took(), error=f"connection failed: {reason}"[:500])
    error = ""
    if 300 <= status < 400:
        error = f"redirect to {location or '(no Location)'} not followed: update the endpoint URL"
    elif not 200 <= status < 300:
        error = f"HTTP {status}"
    return Outcome(ok=not error, duration_ms=took(), status=status, body=text, error=error[:500])


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The trusted certificates, loaded once per process (loading them costs more CPU than
    hundreds of deliveries)."""
    return ssl.create_default_context(cafile=certifi.where())


class Sender:
    """Posts deliveries from an event loop of its own (a daemon thread), over one keep-alive
    connection pool of at most :data:`PARALLEL` connections; redirects are never followed and
    ``HTTPS_PROXY`` is honoured.

    One event loop sends many deliveries at once at a fraction of the CPU that as many threads
    would take: the worker's CPU, not the receivers, bounds how many deliveries it makes per
    second. :meth:`submit` is called from any thread and returns a future to wait on.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="webhook-sender", daemon=True
        )
        self._thread.start()
        self.session: aiohttp.ClientSession = asyncio.run_coroutine_threadsafe(
            self._open(), self.loop
        ).result()

    async def _open(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=PARALLEL, ssl=_tls()),
            headers={"User-Agent": USER_AGENT},
        )

    def submit(self, job: _Job) -> Future[Outcome]:
        # ``post`` is looked up when called, so that tests may stand in for it.
        return asyncio.run_coroutine_threadsafe(
            post(self.session, job, proxy=_proxy(job.url)), self.loop
        )

    def send(self, job: _Job) -> Outcome:
        """Post one delivery and wait for its outcome."""
        return self.submit(job).result()

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.session.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


_shared: Sender | None = None
_shared_lock = threading.Lock()


def sender() -> Sender:
    """The process's one sender, kept between drains so that its keep-alive connections to
    the receivers outlive one run of the job."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sender()
            atexit.register(_shared.close)
        return _shared


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


def _insert_attempts(results: Sequence[tuple[_Job, Outcome]]) -> None:
    if connection.vendor == "postgresql":
        # One row per send from seven arrays: bulk_create's rows at a fraction of its CPU.
        table = DeliveryAttempt._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 - our table's name
                "(delivery_id, number, started_at, duration_ms, response_status, "
                "response_body, error) SELECT * FROM unnest(%s::bigint[], %s::smallint[], "
                "%s::timestamptz[], %s::int[], %s::smallint[], %s::text[], %s::text[])",
                [
                    [job.delivery_id for job, _ in results],
                    [job.attempt for job, _ in results],
                    [job.claimed_at for job, _ in results],
                    [outcome.duration_ms for _, outcome in results],
                    [outcome.status for _, outcome in results],
                    [outcome.body for _, outcome in results],
                    [outcome.error for _, outcome in results],
                ],
            )
        return
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


def _mark_delivered(pks: list[int], attempt: int, status: int | None, at: dt.datetime) -> None:
    """Deliveries ``pks`` succeeded at their attempt ``attempt`` (those still at it)."""
    if connection.vendor == "postgresql":
        table = WebhookDelivery._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, response_status = %s, error = '', "  # noqa: S608
                "delivered_at = %s, next_attempt_at = NULL "
                "WHERE id = ANY(%s) AND attempts = %s AND status = %s",
                [
                    WebhookDelivery.Status.SUCCEEDED,
                    status,
                    at,
                    pks,
                    attempt,
                    WebhookDelivery.Status.PENDING,
                ],
            )
        return
    WebhookDelivery.objects.filter(
        pk__in=pks, attempts=attempt, status=WebhookDelivery.Status.PENDING
    ).update(
        status=WebhookDelivery.Status.SUCCEEDED,
        response_status=status,
        error="",
        delivered_at=at,
        next_attempt_at=None,
    )


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
        _insert_attempts(results)
        delivered = timezone.now()
        for (attempt, status), pks in groups.items():
            _mark_delivered(pks, attempt, status, delivered)
        for job, fields in singles:
            WebhookDelivery.objects.filter(
                pk=job.delivery_id, attempts=job.attempt, status=WebhookDelivery.Status.PENDING
            ).update(**fields)
    return states


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
    flight is finished): up to ``parallel`` at once from the process's :class:`Sender`, each outcome
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
    send = sender()
    try:
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
                    in_flight[send.submit(job)] = job
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
    finally:
        # What is still in flight when the drain stops by an error is left to its lease.
        for future in in_flight:
            future.cancel()


def deliver_due(*, batch: int = 20) -> DeliveryRun:
    """Post up to ``batch`` due deliveries (one claim, ``PARALLEL`` at a time) and record
    each result as it comes."""
    run = DeliveryRun()
    jobs = _claim(batch, timezone.now())
    if not jobs:
        return run
    send = sender()
    futures = {send.submit(job): job for job in jobs}
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
