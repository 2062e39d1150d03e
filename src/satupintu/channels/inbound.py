"""What happens to a message a resident sends to a door (WhatsApp, SMS), after the webhook.

1. :func:`receive` (in the webhook's request) stores the message once: an
   ``InboundMessage`` unique per channel and provider id, so a provider retrying its webhook
   never files twice. It enqueues :data:`process_inbound` after commit and the webhook answers.
2. :func:`process` (the task) claims the row with a short lease (a compare-and-set on its
   ``lease_until``), then in **one transaction**: locks (or creates) the sender's
   ``Conversation``, runs one turn of the conversation (domain/conversation.py), carries out its
   action (files the report with the photos it collected, adds the reporter's reply to the
   report's timeline, looks up a status, opts the sender out or in), stores the new state,
   queues the answers (notifications/messages.py, ``dedupe_key`` ``in:<row>:<n>``) and marks the
   row done. A crash half-way leaves nothing behind: the row is still pending and is done again
   whole, and its answers are the same rows.
3. :func:`process_due` (the periodic job ``channels-inbound``) takes the rows whose task was
   lost or whose attempt failed, once their lease has run out; after :data:`MAX_ATTEMPTS` a row
   is marked failed and the sender is told so.

A sender's messages are handled in the order they arrived: a row's task handles the older
ones of the same sender still pending first, and a row whose older one is held by another
worker steps aside for :data:`DEFER_SECONDS` (the periodic job takes it then).

Anyone may write (an unknown number is a new reporter); the address is the reporter's contact
on the report, encrypted like every other contact and never shown to an officer for an
anonymous report, and the report's notifications go back through the same door
(``messages.subscribe``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from satupintu.agencies.models import Agency
from satupintu.channels.models import Conversation, InboundMessage
from satupintu.complaints import tracking
from satupintu.complaints.actions.inputs import Contact, status_label
from satupintu.complaints.actors import Reporter
from satupintu.complaints.attachments import clean_files, limits
from satupintu.complaints.models import Category, Report
from satupintu.core import crypto
from satupintu.core.errors import InvalidTransition, SatupintuError
from satupintu.core.tasks import enqueue_on_commit
from satupintu.domain import conversation as talk
from satupintu.domain.lifecycle import FINAL, Status
from satupintu.notifications import messages

logger = logging.getLogger(__name__)

#: Seconds a worker holds a message: longer than the media downloads of one report take.
LEASE_SECONDS = 90
#: Attempts at one message before it is marked failed; the wait doubles from RETRY_BASE.
MAX_ATTEMPTS = 5
RETRY_BASE = 15

#: Seconds a message waits while an older one of the same sender is being handled.
DEFER_SECONDS = 2

Status_ = InboundMessage.Status


class _Deferred(Exception):  # noqa: N818 - not an error: the attempt steps aside
    """An older message of the same sender comes first."""


# --------------------------------------------------------------------------- receive


def receive(
    channel: str,
    provider_id: str,
    address: str,
    incoming: talk.Incoming,
    *,
    at: dt.datetime,
    extra: dict[str, Any] | None = None,
    name: str = "",
) -> InboundMessage:
    """Store one inbound message (the stored one if the provider sent it before) and have it
    processed after commit. ``extra``: what else the provider said of it (no personal data);
    ``name``: the sender's profile name, kept encrypted."""
    address = address.strip()
    payload: dict[str, Any] = {
        "text": incoming.text,
        "latitude": incoming.latitude,
        "longitude": incoming.longitude,
        "place": incoming.place,
        "media_id": incoming.media_id,
        **(extra or {}),
    }
    if name.strip():
        payload["name"] = crypto.encrypt_text(name.strip()[:150])
    row = InboundMessage(
        channel=channel,
        provider_id=provider_id[:255],
        address_encrypted=crypto.encrypt_text(address),
        address_index=crypto.blind_index(address),
        kind=incoming.kind[:24],
        payload={k: v for k, v in payload.items() if v not in (None, "")},
        received_at=at,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return InboundMessage.objects.get(channel=channel, provider_id=provider_id[:255])
    enqueue_on_commit(process_inbound, row.pk)
    return row


def incoming_of(row: InboundMessage) -> talk.Incoming:
    data = row.payload if isinstance(row.payload, dict) else {}

    def number(key: str) -> float | None:
        value = data.get(key)
        return float(value) if isinstance(value, int | float) else None

    return talk.Incoming(
        kind=row.kind,
        text=str(data.get("text") or ""),
        latitude=number("latitude"),
        longitude=number("longitude"),
        place=str(data.get("place") or ""),
        media_id=str(data.get("media_id") or ""),
    )


# --------------------------------------------------------------------------- process


def _claim(inbound_id: int, now: dt.datetime) -> InboundMessage | None:
    """Take the row for one attempt, or None when it is done or someone else holds it."""
    free = Q(status=Status_.PENDING) & (Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    taken = InboundMessage.objects.filter(free, pk=inbound_id).update(
        lease_until=now + dt.timedelta(seconds=LEASE_SECONDS), attempts=F("attempts") + 1
    )
    if not taken:
        return None
    return InboundMessage.objects.get(pk=inbound_id)


def process(inbound_id: int) -> str:
    """Handle one inbound message (safe to call twice: the claim lets one attempt in)."""
    now = timezone.now()
    row = InboundMessage.objects.filter(pk=inbound_id).only("channel", "address_index").first()
    if row is None:
        return ""
    # The same sender's older messages first (a retried webhook may have stored them late).
    older = (
        InboundMessage.objects.filter(
            channel=row.channel,
            address_index=row.address_index,
            status=Status_.PENDING,
            pk__lt=inbound_id,
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for earlier in list(older):
        _attempt(earlier)
    return _attempt(inbound_id)


@task()
def process_inbound(inbound_id: int) -> str:
    """The task queued for each stored message."""
    return process(inbound_id)


#: The doors whose messages are a conversation (e-mail has its own, channels/email.py, which
#: takes a mail again from the mailbox when its handling was cut short).
CONVERSATION_CHANNELS = ("whatsapp", "sms")


def process_due(batch: int = 100) -> str:
    """Periodic job ``channels-inbound``: pending messages whose task was lost or failed."""
    now = timezone.now()
    ids = list(
        InboundMessage.objects.filter(status=Status_.PENDING, channel__in=CONVERSATION_CHANNELS)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .order_by("pk")[:batch]
        .values_list("pk", flat=True)
    )
    done = [process(pk) for pk in ids]
    handled = sum(1 for result in done if result)
    return f"{handled} inbound handled" if handled else ""


def _attempt(inbound_id: int) -> str:
    row = _claim(inbound_id, timezone.now())
    if row is None:
        return ""
    try:
        return _handle(row)
    except _Deferred:
        InboundMessage.objects.filter(
            pk=row.pk, status=Status_.PENDING, attempts=row.attempts
        ).update(
            lease_until=timezone.now() + dt.timedelta(seconds=DEFER_SECONDS),
            attempts=F("attempts") - 1,
        )
        return ""
    except Exception as exc:  # a bug or an outage: this attempt is undone whole, retried later
        logger.exception("inbound message %s failed", row.pk)
        _give_up_or_retry(row, f"{type(exc).__name__}: {exc}")
        return "error"


def _give_up_or_retry(row: InboundMessage, error: str) -> None:
    now = timezone.now()
    current = InboundMessage.objects.filter(
        pk=row.pk, status=Status_.PENDING, attempts=row.attempts
    )
    if row.attempts < MAX_ATTEMPTS:
        wait = RETRY_BASE * 2 ** (row.attempts - 1)
        current.update(lease_until=now + dt.timedelta(seconds=wait), error=error[:500])
        return
    with transaction.atomic():
        if not current.update(
            status=Status_.FAILED, lease_until=None, processed_at=now, error=error[:500]
        ):
            return
        language = (
            Conversation.objects.filter(channel=row.channel, address_index=row.address_index)
            .values_list("language", flat=True)
            .first()
        ) or "id"
        with translation.override(language):
            body = _(
                "Maaf, pesan Anda tidak dapat kami proses karena gangguan sistem. "
                "Silakan kirim ulang beberapa saat lagi."
            )
        messages.queue(
            channel=row.channel,
            address=crypto.decrypt_text(row.address_encrypted),
            purpose="reply",
            body=body,
            dedupe_key=f"in:{row.pk}:failed",
            language=language,
        )


@dataclass
class _Done:
    """What carrying out a turn's action gave: answers (purpose, text), the report it filed
    or joined, and notes for the row (what could not be kept)."""

    answers: list[tuple[str, str]] = field(default_factory=list)
    report: Report | None = None
    filed: bool = False
    notes: list[str] = field(default_factory=list)


def _handle(row: InboundMessage) -> str:
    now = timezone.now()
    address = crypto.decrypt_text(row.address_encrypted)
    with transaction.atomic():
        mine = (
            InboundMessage.objects.select_for_update()
            .filter(pk=row.pk, status=Status_.PENDING, attempts=row.attempts)
            .first()
        )
        if mine is None:  # our lease ran out and another worker took it
            return ""
        chat = _conversation(row.channel, address, row.address_index, now)
        if InboundMessage.objects.filter(
            channel=row.channel,
            address_index=row.address_index,
            status=Status_.PENDING,
            pk__lt=row.pk,
        ).exists():
            # An older message of this sender is still being handled (or waits for its
            # retry): this one follows it, or the conversation would read them out of order.
            raise _Deferred
        report = chat.report
        ctx = talk.Context(
            channel=row.channel,
            now=now,
            categories=_options(),
            report=_ref(report),
            language=chat.language,
            service_name=_service_name(),
        )
        turn = talk.advance(chat.state, incoming_of(row), ctx)
        language = turn.language if turn.language in {"id", "en"} else "id"
        with translation.override(language):
            done = _carry_out(turn.action, row, chat, address, language)
        if done.filed:
            chat.report = done.report
        chat.state = dict(turn.state)
        chat.language = language
        if chat.last_inbound_at is None or chat.last_inbound_at < row.received_at:
            chat.last_inbound_at = row.received_at
        chat.updated_at = now
        chat.save()
        answers = [("reply", text) for text in turn.replies] + done.answers
        for n, (purpose, body) in enumerate(answers):
            messages.queue(
                channel=row.channel,
                address=address,
                purpose=purpose,
                body=body,
                dedupe_key=f"in:{row.pk}:{n}",
                # Linked (shown on the desk's report page) only when about that report.
                report=done.report,
                language=language,
                # The resident waits for the answer: sent by this task once it commits.
                inline=True,
            )
        status = Status_.DONE if answers or turn.action is not None else Status_.IGNORED
        InboundMessage.objects.filter(pk=row.pk).update(
            status=status,
            processed_at=now,
            lease_until=None,
            error="; ".join(done.notes)[:500],
            report=done.report,
        )
    return str(status)


def _conversation(channel: str, address: str, index: str, now: dt.datetime) -> Conversation:
    """The sender's conversation, locked (created on their first message)."""
    found = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("report")
        .filter(channel=channel, address_index=index)
        .first()
    )
    if found is not None:
        return found
    fresh = Conversation(
        channel=channel,
        address_encrypted=crypto.encrypt_text(address),
        address_index=index,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            fresh.save(force_insert=True)
    except IntegrityError:  # their other message created it a moment ago
        return (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("report")
            .get(channel=channel, address_index=index)
        )
    return fresh


def _options() -> list[talk.Option]:
    rows = Category.objects.filter(is_active=True).order_by("name")
    return [
        talk.Option(code=c.code, name=c.name, report_type=c.report_type)
        for c in rows.only("code", "name", "report_type")
    ]


def _ref(report: Report | None) -> talk.ReportRef | None:
    if report is None:
        return None
    return talk.ReportRef(
        tracking_number=tracking.format_tracking_number(report.tracking_number),
        is_open=Status(report.status) not in FINAL,
    )


def _service_name() -> str:
    name = cache.get("satupintu:pemda-name")
    if name is None:
        root = Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None).order_by("pk").first()
        name = root.name if root else ""
        cache.set("satupintu:pemda-name", name, 300)
    return str(name)


# --------------------------------------------------------------------------- actions


def _carry_out(
    action: talk.Action | None,
    row: InboundMessage,
    chat: Conversation,
    address: str,
    language: str,
) -> _Done:
    if action is None:
        return _Done()
    if isinstance(action, talk.FileReport):
        return _file(action, row, address, language)
    if isinstance(action, talk.AddReply):
        return _add_reply(action, row, chat, language)
    if isinstance(action, talk.AskStatus):
        return _ask_status(action, chat, language)
    if isinstance(action, talk.OptOut):
        messages.set_opted_out(row.channel, address, out=True)
        return _Done([("opt_out", talk.opted_out_text(language))])
    messages.set_opted_out(row.channel, address, out=False)
    return _Done([("opt_in", talk.opted_in_text(language))])


def _contact(row: InboundMessage, address: str) -> Contact:
    phone = address if row.channel != "whatsapp" or address.startswith("+") else f"+{address}"
    data = row.payload if isinstance(row.payload, dict) else {}
    name = crypto.decrypt_text(data["name"]) if data.get("name") else ""
    return Contact(name=name, phone=phone)


def _file(action: talk.FileReport, row: InboundMessage, address: str, language: str) -> _Done:
    files, refused = _media(row.channel, action.media_ids)
    try:
        with transaction.atomic():
            report, secret = _receive(action, row, address, files)
    except SatupintuError as exc:
        if not files:
            return _Done([("reply", exc.message)], notes=[exc.message])
        # A photo that passed its check one by one and not together: file without photos.
        refused.append(exc.message)
        files = []
        try:
            with transaction.atomic():
                report, secret = _receive(action, row, address, files)
        except SatupintuError as again:
            return _Done([("reply", again.message)], notes=[again.message])
    messages.subscribe(report, channel=row.channel, address=address, language=language)
    number = tracking.format_tracking_number(report.tracking_number)
    answers = [("receipt", talk.filed_text(number, secret, language, row.channel))]
    if refused:
        answers.append(("reply", _not_kept(refused)))
    return _Done(answers, report=report, filed=True, notes=refused)


def _receive(
    action: talk.FileReport,
    row: InboundMessage,
    address: str,
    files: list[tuple[str, bytes]],
) -> tuple[Report, str]:
    from satupintu.complaints.actions.intake import report_receive

    return report_receive(
        actor=None,
        channel=row.channel,
        title=action.title,
        description=action.description,
        report_type=action.report_type or None,
        category=action.category_code or None,
        contact=_contact(row, address),
        latitude=action.latitude,
        longitude=action.longitude,
        address=action.address[:255],
        external_ref=row.provider_id[:100],
        attachments=[(name, io.BytesIO(content)) for name, content in files],
        is_anonymous=action.is_anonymous,
        is_confidential=action.is_confidential,
    )


def _not_kept(reasons: Sequence[str]) -> str:
    return _(
        "Laporan tetap kami terima, tetapi lampiran berikut tidak dapat disimpan: %(reasons)s"
    ) % {"reasons": "; ".join(reasons)}


def _media(channel: str, media_ids: Sequence[str]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The media of a report fetched and checked one by one (complaints/attachments.py), and
    the reason each one that is not kept was refused (in the active language)."""
    if channel != "whatsapp" or not media_ids:
        return [], []
    from satupintu.channels import whatsapp

    max_files, max_bytes = limits()
    kept: list[tuple[str, bytes]] = []
    refused: list[str] = []
    for n, media_id in enumerate(media_ids, start=1):
        label = _("lampiran %(n)s") % {"n": n}
        if len(kept) >= max_files:
            refused.append(
                _("%(name)s: paling banyak %(max)s berkas.") % {"name": label, "max": max_files}
            )
            continue
        try:
            media = whatsapp.fetch_media(media_id, max_bytes=max_bytes)
        except whatsapp.MediaError as exc:
            logger.warning("media %s not fetched: %s", media_id, exc)
            if exc.too_big:
                refused.append(
                    _("%(name)s: ukuran berkas melebihi batas %(size)s.")
                    % {"name": label, "size": f"{max_bytes // (1024 * 1024)} MB"}
                )
            else:
                refused.append(_("%(name)s: tidak dapat diunduh dari WhatsApp.") % {"name": label})
            continue
        name = whatsapp.media_name(media, n)
        try:
            clean_files([(name, io.BytesIO(media.content))])
        except SatupintuError as exc:
            refused.append(exc.message)
            continue
        kept.append((name, media.content))
    return kept, refused


def _add_reply(
    action: talk.AddReply, row: InboundMessage, chat: Conversation, language: str
) -> _Done:
    from satupintu.complaints.actions.intake import report_add_attachments
    from satupintu.complaints.actions.reporter import report_reporter_reply

    report = chat.report
    if report is None:  # the conversation names no report any more: nothing to join
        return _Done([("reply", talk.unknown_report_text("", language))])
    number = tracking.format_tracking_number(report.tracking_number)
    actor = Reporter(report_id=report.pk)
    files, refused = _media(row.channel, action.media_ids)
    try:
        with transaction.atomic():
            if action.text.strip():
                report_reporter_reply(actor=actor, report_id=report.pk, body=action.text)
            if files:
                report_add_attachments(
                    actor=actor,
                    report_id=report.pk,
                    files=[(name, io.BytesIO(content)) for name, content in files],
                )
    except InvalidTransition:
        # Closed or archived meanwhile: the reply has nowhere to go.
        return _Done([("reply", talk.closed_report_text(number, language))], report=report)
    except SatupintuError as exc:
        return _Done([("reply", exc.message)], report=report, notes=[exc.message])
    answers = [("reply", talk.reply_added_text(number, language))]
    if refused:
        answers.append(("reply", _not_kept(refused)))
    return _Done(answers, report=report, notes=refused)


def _ask_status(action: talk.AskStatus, chat: Conversation, language: str) -> _Done:
    """STATUS <nomor>: the public state of a report (the portal's own rule: a confidential or
    archived report is unknown to the public); the sender's own report always answers, with
    its status only."""
    from satupintu.portal.selectors import public_report

    number = tracking.normalize_tracking_number(action.tracking_number)
    shown = action.tracking_number
    if len(number) == tracking.LENGTH:
        shown = tracking.format_tracking_number(number)
    own = chat.report
    if own is not None and own.tracking_number == number:
        text = talk.status_text(shown, status_label(own.status), language)
        return _Done([("reply", text)], report=own)
    found = public_report(number) if number else None
    if found is None:
        return _Done([("reply", talk.unknown_report_text(shown, language))])
    return _Done([("reply", talk.status_text(shown, status_label(found.status), language))])
