"""Messages to people: queue one, send it through its channel, record what the provider said.

Every door and every notification ends here. :func:`queue` stores a ``Message`` (idempotent by
its ``dedupe_key``: the same event for the same recipient, or the answer to one inbound
message, is stored once however often it is queued) and, after the transaction commits,
enqueues :data:`send_message` on the task queue (core/tasks.py). The task claims the row with a
short lease (a compare-and-set on ``attempts``), decrypts the address, calls the channel's
adapter (channels/registry.py) outside any transaction, and records the outcome at once. A
worker killed mid-send leaves the row pending with its lease; :func:`send_due` (the periodic
job ``messages-send``) takes it again once the lease has run out, so nothing is lost. Each
adapter passes the message's :func:`idempotency_key` to its provider, so a send repeated after
such a crash still reaches the person once.

A resident who opted out (STOP/BERHENTI, or the link in a message) gets no notifications; the
answers to their own messages (a conversation's reply, the receipt) still reach them.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from satupintu.core import crypto
from satupintu.core.tasks import enqueue_on_commit
from satupintu.notifications import signing
from satupintu.notifications.models import Message, OutboxEvent, Subscription

if TYPE_CHECKING:
    from satupintu.channels.registry import Outcome
    from satupintu.complaints.models import Report
    from satupintu.core.models import User

logger = logging.getLogger(__name__)

#: Attempts before a message is marked failed; waits double from RETRY_BASE up to RETRY_CAP.
MAX_ATTEMPTS = 8
RETRY_BASE = 10
RETRY_CAP = 1800
#: Notifications to one address per hour at most (answers to the resident's own messages are
#: not counted and never held back).
HOURLY_LIMIT = 20

#: Purposes that answer something the resident sent: sent even after an opt-out, never
#: rate-limited.
ANSWERS = frozenset({"reply", "receipt", "opt_out", "opt_in"})

#: Messages whose text holds the reporter's secret (the receipt): kept only until sent.
SECRET_PURPOSES = frozenset({"receipt"})
REDACTED = "[isi tanda terima dihapus setelah terkirim: memuat kode rahasia pelapor]"

_STATUS_ORDER = {
    Message.Status.PENDING: 0,
    Message.Status.SENT: 1,
    Message.Status.DELIVERED: 2,
    Message.Status.READ: 3,
}


def idempotency_key(message: Message) -> str:
    """The id a provider gets with the send (the SMS gateway's ``id``, WhatsApp's
    ``biz_opaque_callback_data``, the e-mail's Message-ID local part): the same for every
    attempt of one message."""
    return f"satupintu-{message.pk}"


def address_of(message: Message | Subscription) -> str:
    return crypto.decrypt_text(message.address_encrypted)


# --------------------------------------------------------------------------- subscriptions


def subscribe(report: Report, *, channel: str, address: str, language: str = "id") -> Subscription:
    """Tell the reporter of ``report`` of its steps through ``channel`` at ``address``.

    Called by the door the report came through (or by the intake for a web/API report that
    left an e-mail address). A second call for the same report changes nothing.
    """
    address = address.strip()
    found = Subscription.objects.filter(report=report).first()
    if found is not None:
        return found
    opted_out = opted_out_at(channel, address)
    subscription = Subscription(
        report=report,
        channel=channel,
        address_encrypted=crypto.encrypt_text(address),
        address_index=crypto.blind_index(address),
        language=language if language in {"id", "en"} else "id",
        token=secrets.token_urlsafe(32),
        opted_out_at=opted_out,
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        return Subscription.objects.get(report=report)
    return subscription


def opted_out_at(channel: str, address: str) -> dt.datetime | None:
    """When this address last said STOP on this channel (None: it did not)."""
    index = crypto.blind_index(address.strip())
    row = (
        Subscription.objects.filter(
            channel=channel, address_index=index, opted_out_at__isnull=False
        )
        .order_by("-opted_out_at")
        .values_list("opted_out_at", flat=True)
        .first()
    )
    return row


def set_opted_out(channel: str, address: str, *, out: bool) -> int:
    """STOP / BERHENTI (``out=True``) or MULAI (``out=False``) for every report of this address
    on this channel; returns how many subscriptions changed."""
    index = crypto.blind_index(address.strip())
    rows = Subscription.objects.filter(channel=channel, address_index=index)
    if out:
        return rows.filter(opted_out_at__isnull=True).update(opted_out_at=timezone.now())
    return rows.filter(opted_out_at__isnull=False).update(opted_out_at=None)


def opt_out_by_token(token: str) -> Subscription | None:
    """The link in a message: stops that reporter's notifications on that channel."""
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        return None
    set_opted_out(subscription.channel, address_of(subscription), out=True)
    subscription.refresh_from_db()
    return subscription


# --------------------------------------------------------------------------- queue


def queue(
    *,
    channel: str,
    address: str,
    purpose: str,
    body: str,
    dedupe_key: str,
    language: str = "id",
    subject: str = "",
    html: str = "",
    report: Report | None = None,
    user: User | None = None,
    event: OutboxEvent | None = None,
    in_reply_to: str = "",
    template: Mapping[str, Any] | None = None,
    inline: bool = False,
) -> Message | None:
    """Store a message and send it after commit; the stored one when ``dedupe_key`` is known.

    ``inline``: sent by this process right after the commit instead of by another task (the
    answers of a conversation, queued by a task already: the resident waits for them). A send
    that fails there is retried by the periodic job like any other.

    Returns None when nothing is to be sent: the channel is off (nothing stored), the address
    opted out of notifications, or it is beyond :data:`HOURLY_LIMIT` (recorded as skipped, so
    the timeline shows why).
    """
    from satupintu.channels import registry

    if not registry.is_enabled(channel):
        return None  # a channel that is off stores nothing (the admin shows which are on)
    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    address = address.strip()
    now = timezone.now()
    index = crypto.blind_index(address)
    status = Message.Status.PENDING
    error = ""
    if purpose not in ANSWERS:
        if user is None and opted_out_at(channel, address) is not None:
            return None
        recent = Message.objects.filter(
            address_index=index, created_at__gte=now - dt.timedelta(hours=1)
        ).exclude(purpose__in=ANSWERS)
        if recent.count() >= HOURLY_LIMIT:
            status, error = Message.Status.SKIPPED, "rate limit"
    message = Message(
        channel=channel,
        purpose=purpose,
        language=language,
        report=report,
        user=user,
        event=event,
        address_encrypted=crypto.encrypt_text(address),
        address_index=index,
        subject=subject[:255],
        body=body,
        html=html,
        template=dict(template or {}),
        in_reply_to=in_reply_to[:255],
        dedupe_key=dedupe_key[:120],
        status=status,
        error=error,
        next_attempt_at=None,
        created_at=now,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return Message.objects.get(dedupe_key=dedupe_key[:120])
    if status is Message.Status.SKIPPED:
        return None
    if inline:
        transaction.on_commit(lambda: _send_quietly(message.pk))
    else:
        enqueue_on_commit(send_message, message.pk)
    return message


def _send_quietly(message_id: int) -> None:
    try:
        send_one(message_id)
    except Exception:  # the periodic job sends it later
        logger.exception("sending message %s after commit failed", message_id)


# --------------------------------------------------------------------------- send


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def __add__(self, other: SendResult) -> SendResult:
        return SendResult(
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.failed + other.failed,
            self.skipped + other.skipped,
        )


def _due(now: dt.datetime) -> Q:
    return Q(status=Message.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _claim(message_id: int) -> Message | None:
    """Take the message for one attempt, or None when it is not due or someone else has it."""
    now = timezone.now()
    found = Message.objects.filter(_due(now), pk=message_id).values_list("attempts", flat=True)
    attempts = found.first()
    if attempts is None:
        return None
    taken = Message.objects.filter(_due(now), pk=message_id, attempts=attempts).update(
        attempts=F("attempts") + 1,
        # How long the send may run before another worker may take it again.
        next_attempt_at=now + dt.timedelta(seconds=settings.MESSAGE_LEASE_SECONDS),
    )
    if not taken:
        return None
    return Message.objects.select_related("report").get(pk=message_id)


def _record(message: Message, outcome: Outcome) -> SendResult:
    now = timezone.now()
    fields: dict[str, Any] = {"error": outcome.error[:500]}
    result: SendResult
    if outcome.ok:
        fields |= {
            "status": Message.Status.SENT,
            "provider_id": outcome.provider_id[:255],
            "sent_at": now,
            "next_attempt_at": None,
        }
        if message.purpose in SECRET_PURPOSES:
            # The receipt carries the reporter's secret: once it is on its way, no copy stays.
            fields |= {"body": REDACTED, "html": ""}
        result = SendResult(sent=1)
    elif not outcome.retry or message.attempts >= MAX_ATTEMPTS:
        fields |= {"status": Message.Status.FAILED, "next_attempt_at": None}
        result = SendResult(failed=1)
    else:
        delay = signing.retry_delay(message.attempts, base=RETRY_BASE, cap=RETRY_CAP)
        fields["next_attempt_at"] = now + dt.timedelta(seconds=delay)
        result = SendResult(retrying=1)
    # Only if this attempt is still the latest (its lease did not run out meanwhile).
    Message.objects.filter(
        pk=message.pk, attempts=message.attempts, status=Message.Status.PENDING
    ).update(**fields)
    return result


def send_one(message_id: int) -> SendResult:
    """One attempt at one message, if it is due and nobody else is sending it."""
    from satupintu.channels import registry

    message = _claim(message_id)
    if message is None:
        return SendResult()
    if not registry.is_enabled(message.channel):
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SKIPPED, error="channel off", next_attempt_at=None
        )
        return SendResult(skipped=1)
    try:
        outcome = registry.send(message, address_of(message))
    except Exception as exc:  # an adapter's bug must not lose the message
        logger.exception("sending message %s failed", message.pk)
        outcome = registry.Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
    return _record(message, outcome)


@task()
def send_message(message_id: int) -> str:
    """The task queued for each message (safe to run twice: the claim lets one attempt in)."""
    result = send_one(message_id)
    return "sent" if result.sent else ""


def send_due(batch: int = 200) -> str:
    """Periodic job ``messages-send``: messages whose send was lost or whose retry is due."""
    now = timezone.now()
    ids = list(
        Message.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")[:batch]
        .values_list("pk", flat=True)
    )
    total = SendResult()
    for message_id in ids:
        total = total + send_one(message_id)
    if not (total.sent or total.retrying or total.failed or total.skipped):
        return ""
    return (
        f"{total.sent} sent, {total.retrying} to retry, {total.failed} failed, "
        f"{total.skipped} skipped"
    )


def record_status(channel: str, provider_id: str, status: str, error: str = "") -> int:
    """A provider's delivery report (WhatsApp ``statuses``, an SMS gateway's callback):
    ``delivered``, ``read`` or ``failed``. Never moves a message back (read stays read).
    Returns how many messages it changed."""
    try:
        new = Message.Status(status)
    except ValueError:
        return 0
    rows = Message.objects.filter(channel=channel, provider_id=provider_id)
    changed = 0
    for message in rows:
        current = Message.Status(message.status)
        if new is Message.Status.FAILED:
            if current in {Message.Status.READ, Message.Status.DELIVERED}:
                continue
            fields: dict[str, Any] = {"status": new, "error": error[:500]}
        elif _STATUS_ORDER.get(new, 0) <= _STATUS_ORDER.get(current, 0):
            continue
        else:
            fields = {"status": new}
            if message.delivered_at is None:
                fields["delivered_at"] = timezone.now()
        changed += Message.objects.filter(pk=message.pk, status=current).update(**fields)
    return changed


def window_open(last_inbound_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """WhatsApp's customer-service window: free text within 24 hours of the person's last
    message; outside it only an approved template may be sent."""
    if last_inbound_at is None:
        return False
    return (now or timezone.now()) - last_inbound_at < dt.timedelta(hours=24)


__all__ = [
    "ANSWERS",
    "SendResult",
    "address_of",
    "idempotency_key",
    "opt_out_by_token",
    "opted_out_at",
    "queue",
    "record_status",
    "send_due",
    "send_message",
    "send_one",
    "set_opted_out",
    "subscribe",
    "window_open",
]
