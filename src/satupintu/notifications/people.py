"""Telling people: outbox events and deadlines become messages to the reporter and to officers.

The reporter hears of each public step of their report (domain.md §1.5) through the door they
came by (their ``Subscription``), in their language: received (unless a WhatsApp, SMS or
e-mail door filed it: that door sends its own receipt, with the secret), on hold (what to
complete, by when), dispatched (to which
agency), forwarded, the first follow-up, the answer (how to confirm and rate it, or reply
before it closes by itself), closing soon, closed (with the appeal window) or archived, and
reopened (banding). A web, API, Open311 or counter report that left an e-mail address (or
only a phone number: SMS) is subscribed on its ``created`` event. A reporter who opted out
hears nothing; an anonymous reporter's address is used by the system only, and no officer
screen shows it (domain.md §1.8). A confidential report's messages carry no title or text.

Officers hear of work: a report dispatched or forwarded to their agency (its liaison
officers), assigned to them, reopened on appeal, due on the next working day, overdue (the
assignee or the liaisons, and the agency's head), and a daily digest by e-mail. Their channels
come from ``OfficerPreference`` (the desk's profile page); without one, e-mail to their
address.

:func:`fan_out` (job ``messages-fan-out``) keeps its own cursor over the outbox,
``OutboxEvent.notified_at``, apart from the webhooks' ``processed_at``; it claims events with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL. Every message is queued with a dedupe key
(notifications/messages.py), so each job is safe to run twice and in several workers:
``event:<id>:reporter`` and ``event:<id>:user<id>:<channel>`` for events,
``closing:<report>:<date>``, ``due:<report>:<deadline>:<date>:…`` and ``digest:<user>:<date>``
for the periodic ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Membership, Role
from satupintu.complaints import public, tracking
from satupintu.complaints.models import (
    Channel,
    Report,
    ReportEvent,
    ReportTypeChoices,
    StatusChoices,
)
from satupintu.core import crypto
from satupintu.core.memo import Refreshed
from satupintu.core.models import User
from satupintu.domain.lifecycle import RUNNING_DEADLINE, WITH_AGENCY, Status
from satupintu.notifications import messages
from satupintu.notifications import templates_default as defaults
from satupintu.notifications.models import (
    EventType,
    Message,
    MessageChannel,
    MessageTemplate,
    OfficerPreference,
    OutboxEvent,
    Subscription,
)

logger = logging.getLogger(__name__)

#: Doors that subscribe the reporter and send their own receipt (with the secret) themselves.
DOOR_CHANNELS = frozenset({Channel.WHATSAPP.value, Channel.SMS.value, Channel.EMAIL.value})
#: Reports whose reporter is never subscribed here: one forwarded by another government's
#: system has its reporter told by that system.
NOT_SUBSCRIBED = DOOR_CHANNELS | {Channel.FORWARDED.value}
#: The periodic digest goes out from this local hour, on working days.
DIGEST_HOUR = 7
#: "Due soon" in the digest: the running deadline within this many working days.
DUE_SOON_WORKDAYS = 2
DATE_FORMAT = "j F Y"


#: How the desk names each purpose.
PURPOSE_LABELS = {
    "received": _("Laporan diterima"),
    "held": _("Ditunda: menunggu kelengkapan"),
    "receipt": _("Tanda terima"),
    "reply": _("Balasan percakapan"),
    "opt_out": _("Konfirmasi berhenti"),
    "opt_in": _("Konfirmasi berlangganan"),
    "dispatched": _("Didisposisikan"),
    "forwarded": _("Dialihkan ke instansi lain"),
    "followed_up": _("Tindak lanjut pertama"),
    "resolved": _("Jawaban"),
    "closing_soon": _("Segera ditutup otomatis"),
    "closed": _("Ditutup"),
    "archived": _("Diarsipkan"),
    "reopened": _("Dibuka kembali"),
    "officer_dispatched": _("Petugas: laporan baru"),
    "officer_assigned": _("Petugas: penugasan"),
    "officer_reopened": _("Petugas: banding"),
    "officer_due_tomorrow": _("Petugas: tenggat hari kerja berikutnya"),
    "officer_overdue": _("Petugas: melewati tenggat"),
    "officer_digest": _("Petugas: ringkasan harian"),
}


def purpose_label(purpose: str) -> str:
    return str(PURPOSE_LABELS.get(purpose, purpose))


def _skip_locked() -> dict[str, Any]:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    wa_template: str
    wa_parameters: tuple[str, ...]
    context: dict[str, Any]

    def whatsapp_template(self, language: str) -> dict[str, Any]:
        """The approved template to send outside the 24-hour window ({} when none is set)."""
        if not self.wa_template:
            return {}
        return {
            "name": self.wa_template,
            "language": language,
            "parameters": [str(self.context.get(key, "")) for key in self.wa_parameters],
        }


def _overrides() -> dict[tuple[str, str, str], defaults.Default]:
    return {
        (row.purpose, row.channel, row.language): defaults.Default(
            subject=row.subject,
            body=row.body,
            wa_template=row.wa_template,
            wa_parameters=tuple(str(p) for p in row.wa_parameters or ()),
        )
        for row in MessageTemplate.objects.filter(is_active=True)
    }


#: The administrator's templates, read once per process (again when one is saved here, and at
#: the latest a minute after another process saved one: core/memo.py).
_templates = Refreshed(_overrides)
_templates.watch(MessageTemplate)


def template_for(purpose: str, channel: str, language: str) -> defaults.Default:
    """An active ``MessageTemplate`` row, else the default in code."""
    found = _templates.get().get((purpose, channel, language))
    return found if found is not None else defaults.default(purpose, channel, language)


def compose(purpose: str, channel: str, language: str, context: dict[str, Any]) -> Composed:
    """The message's words; an override that fails to render falls back to the default."""
    chosen = template_for(purpose, channel, language)
    try:
        subject = defaults.render(chosen.subject, context) if chosen.subject else ""
        body = defaults.render(chosen.body, context)
    except Exception:  # an override saved before a check, or a broken filter: never lose it
        logger.exception("template %s/%s/%s failed; using the default", purpose, channel, language)
        chosen = defaults.default(purpose, channel, language)
        subject = defaults.render(chosen.subject, context) if chosen.subject else ""
        body = defaults.render(chosen.body, context)
    if channel == MessageChannel.EMAIL and not subject:
        subject = str(context.get("tracking_number", ""))
    return Composed(
        subject=" ".join(subject.split()),
        body=body,
        wa_template=chosen.wa_template,
        wa_parameters=chosen.wa_parameters,
        context=context,
    )


# --------------------------------------------------------------------------- context


def _absolute(path: str) -> str:
    site = getattr(settings, "SITE_URL", "") or ""
    return f"{site}{path}"


def _date(value: dt.date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return formats.date_format(value, DATE_FORMAT)


def _deadline_label(name: str) -> str:
    try:
        field = Report._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an unknown name is shown as it is
        return name
    return str(getattr(field, "verbose_name", name))


def report_context(
    report: Report,
    language: str,
    *,
    event: OutboxEvent | None = None,
    agency: Agency | None = None,
) -> dict[str, Any]:
    """The documented context (templates_default.py) of ``report``, in ``language``.

    With an event, its public-safe payload speaks (the deadlines and texts as they were at the
    step); a report that is confidential now sends no title or text whatever the payload says.
    """
    payload = (event.payload if event is not None else None) or {}
    stored = payload.get("report", {})
    step = payload.get("step", {})
    deadlines = stored.get("deadlines") or {
        name: getattr(report, name)
        for name in (
            "verify_due",
            "hold_due",
            "followup_due",
            "complete_due",
            "autoclose_due",
            "appeal_until",
            "next_due",
        )
    }
    confidential = report.is_confidential or bool(stored.get("confidential"))
    if event is None:
        title = "" if confidential else report.title
        text = ""
    else:
        title = "" if confidential else str(stored.get("title", ""))
        text = "" if confidential else str(step.get("text", ""))
    holder = agency if agency is not None else report.current_agency
    status = str(stored.get("status", report.status))
    number = tracking.format_tracking_number(report.tracking_number)
    with translation.override(language):
        context: dict[str, Any] = {
            "site_name": getattr(settings, "SITE_NAME", "satupintu"),
            "tracking_number": number,
            "status": str(StatusChoices(status).label) if status in StatusChoices.values else "",
            "report_type": str(ReportTypeChoices(report.report_type).label)
            if report.report_type in ReportTypeChoices.values
            else "",
            "agency": holder.name if holder is not None else "",
            "title": title,
            "text": text,
            "answer": text if event is not None and event.event_type == EventType.RESOLVED else "",
            **{name: _date(value) for name, value in deadlines.items()},
            # The tracking page with the number filled in: the secret proves the reporter.
            "tracking_url": _absolute(f"{reverse('portal:track')}?{urlencode({'nomor': number})}"),
            "report_url": _absolute(reverse("desk:report", args=[report.pk])),
            "profile_url": _absolute(reverse("desk:notification_profile")),
        }
        deadline = step.get("deadline")
        if deadline:
            context["deadline"] = _deadline_label(str(deadline))
            context["due"] = _date(step.get("due") or deadlines.get(str(deadline)))
        if step.get("working_days_late"):
            context["days_late"] = str(step["working_days_late"])
    return context


# --------------------------------------------------------------------------- the reporter


def _contact(report: Report) -> dict[str, str]:
    if not report.contact_encrypted:
        return {}
    try:
        data = crypto.decrypt_json(report.contact_encrypted)
    except Exception:  # noqa: BLE001 - an unreadable contact is no contact
        logger.warning("report %s: contact could not be decrypted", report.pk)
        return {}
    return {k: str(v) for k, v in data.items() if v}


def ensure_subscription(report: Report) -> Subscription | None:
    """The reporter's subscription; a report from a door without one (web, API, Open311, the
    counter, the phone) that left an e-mail address is subscribed by e-mail, a phone number
    only: SMS. Never one another government's system forwarded (its reporter hears from it)."""
    found = Subscription.objects.filter(report=report).first()
    if found is not None or report.channel in NOT_SUBSCRIBED:
        return found
    from satupintu.channels import registry

    # Only through a door that is open: a Pemda without an SMS gateway keeps no SMS
    # subscriptions (nor the work of composing messages nobody could send).
    contact = _contact(report)
    received = (
        ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.RECEIVED)
        .values_list("data", flat=True)
        .first()
    )
    language = str((received or {}).get("language") or "id")
    if contact.get("email") and registry.is_enabled(MessageChannel.EMAIL):
        return messages.subscribe(
            report, channel=MessageChannel.EMAIL, address=contact["email"], language=language
        )
    if contact.get("phone") and registry.is_enabled(MessageChannel.SMS):
        return messages.subscribe(
            report, channel=MessageChannel.SMS, address=contact["phone"], language=language
        )
    return None


def _whatsapp_window_open(address_index: str) -> bool:
    from satupintu.channels.models import Conversation

    last = (
        Conversation.objects.filter(channel="whatsapp", address_index=address_index)
        .values_list("last_inbound_at", flat=True)
        .first()
    )
    return messages.window_open(last)


def tell_reporter(
    report: Report,
    purpose: str,
    *,
    dedupe_key: str,
    event: OutboxEvent | None = None,
    agency: Agency | None = None,
) -> Message | None:
    """One message to the reporter of ``report`` (None: no subscription, or opted out)."""
    from satupintu.channels import registry

    subscription = Subscription.objects.filter(report=report).first()
    if subscription is None or subscription.opted_out_at is not None:
        return None
    if not registry.is_enabled(subscription.channel):
        return None
    language = subscription.language if subscription.language in defaults.LANGUAGES else "id"
    context = report_context(report, language, event=event, agency=agency)
    context.pop("report_url", None)
    context.pop("profile_url", None)
    context["opt_out_url"] = _absolute(
        reverse("portal:opt_out", kwargs={"token": subscription.token})
    )
    composed = compose(purpose, subscription.channel, language, context)
    template: dict[str, Any] = {}
    if subscription.channel == MessageChannel.WHATSAPP and not _whatsapp_window_open(
        subscription.address_index
    ):
        template = composed.whatsapp_template(language)
    return messages.queue(
        channel=subscription.channel,
        address=messages.address_of(subscription),
        purpose=purpose,
        body=composed.body,
        subject=composed.subject,
        dedupe_key=dedupe_key,
        language=language,
        report=report,
        event=event,
        template=template,
    )


# --------------------------------------------------------------------------- officers


def members(agency_ids: Iterable[int | None], roles: Iterable[str]) -> list[User]:
    ids = [pk for pk in agency_ids if pk is not None]
    if not ids:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=ids,
            memberships__is_active=True,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


def verifiers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.VERIFIER,
        )
        .distinct()
        .order_by("pk")
    )


def holders(report: Report, agency_id: int | None) -> list[User]:
    """Who owes the report's work: its assignee, else the agency's liaison officers (the
    verifiers while no agency holds it)."""
    if agency_id is None:
        return verifiers()
    if report.assignee_id is not None and report.current_agency_id == agency_id:
        assignee = User.objects.filter(pk=report.assignee_id, is_active=True).first()
        if assignee is not None:
            return [assignee]
    return members([agency_id], [Role.LIAISON])


def officer_addresses(user: User) -> list[tuple[str, str]]:
    """(channel, address) the officer chose; without a choice, e-mail to their address."""
    preference = OfficerPreference.objects.filter(user=user).first()
    chosen = list(preference.channels) if preference and preference.channels else ["email"]
    found = []
    for channel in MessageChannel.values:
        if channel not in chosen:
            continue
        if channel == MessageChannel.EMAIL:
            address = user.email
        else:
            address = preference.phone if preference else ""
        if address:
            found.append((channel, address))
    return found


def officer_language(user: User) -> str:
    language = (
        OfficerPreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return language if language in defaults.LANGUAGES else "id"


def tell_officer(
    user: User,
    purpose: str,
    *,
    dedupe_key: str,
    report: Report | None,
    context_of: Any,
    event: OutboxEvent | None = None,
    channels: Iterable[tuple[str, str]] | None = None,
) -> list[Message]:
    """``purpose`` to ``user`` through each of their channels; ``context_of(language)``."""
    language = officer_language(user)
    context = context_of(language)
    sent = []
    for channel, address in channels if channels is not None else officer_addresses(user):
        composed = compose(purpose, channel, language, context)
        template: dict[str, Any] = {}
        if channel == MessageChannel.WHATSAPP and not _whatsapp_window_open(
            crypto.blind_index(address.strip())
        ):
            template = composed.whatsapp_template(language)
        message = messages.queue(
            channel=channel,
            address=address,
            purpose=purpose,
            body=composed.body,
            subject=composed.subject,
            dedupe_key=f"{dedupe_key}:user{user.pk}:{channel}",
            language=language,
            report=report,
            user=user,
            event=event,
            template=template,
        )
        if message is not None:
            sent.append(message)
    return sent


def _tell_officers(
    users: Iterable[User], purpose: str, report: Report, event: OutboxEvent, agency: Agency | None
) -> None:
    seen: set[int] = set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        tell_officer(
            user,
            purpose,
            dedupe_key=f"event:{event.pk}",
            report=report,
            event=event,
            context_of=lambda language: report_context(
                report, language, event=event, agency=agency
            ),
        )


def _assignee_of(event: OutboxEvent) -> tuple[User | None, int | None]:
    """The officer the ``assigned`` event gave the report to, and who did it (from the
    timeline event written with it: the outbox never carries a name)."""
    row = (
        ReportEvent.objects.filter(
            report_id=event.report_id, kind=ReportEvent.Kind.ASSIGNED, created_at=event.occurred_at
        )
        .values("data", "actor_id")
        .first()
    )
    if row is None or not (row["data"] or {}).get("assignee"):
        return None, None
    user = User.objects.filter(username=row["data"]["assignee"], is_active=True).first()
    return user, row["actor_id"]


# --------------------------------------------------------------------------- the fan-out


REPORTER_PURPOSE: dict[str, str] = {
    EventType.HELD: "held",
    EventType.DISPATCHED: "dispatched",
    EventType.FORWARDED: "forwarded",
    EventType.FOLLOWED_UP: "followed_up",
    EventType.RESOLVED: "resolved",
    EventType.REOPENED: "reopened",
}


def notify(event: OutboxEvent, report: Report) -> None:
    """Queue every message ``event`` calls for (safe to run twice: dedupe keys)."""
    kind = event.event_type
    agency = event.agency
    reporter_key = f"event:{event.pk}:reporter"
    if kind == EventType.CREATED:
        ensure_subscription(report)
        if report.channel not in DOOR_CHANNELS:
            tell_reporter(report, "received", dedupe_key=reporter_key, event=event)
        return
    if kind in REPORTER_PURPOSE:
        tell_reporter(
            report, REPORTER_PURPOSE[kind], dedupe_key=reporter_key, event=event, agency=agency
        )
    if kind == EventType.CLOSED:
        closure = (event.payload or {}).get("step", {}).get("closure")
        purpose = "archived" if closure in {"archived", "hold_expired"} else "closed"
        tell_reporter(report, purpose, dedupe_key=reporter_key, event=event, agency=agency)
    elif kind in {EventType.DISPATCHED, EventType.FORWARDED}:
        officers = members([event.agency_id], [Role.LIAISON])
        _tell_officers(officers, "officer_dispatched", report, event, agency)
    elif kind == EventType.REOPENED:
        _tell_officers(holders(report, event.agency_id), "officer_reopened", report, event, agency)
    elif kind == EventType.ASSIGNED:
        assignee, actor_id = _assignee_of(event)
        if assignee is not None and assignee.pk != actor_id:
            _tell_officers([assignee], "officer_assigned", report, event, agency)
    elif kind == EventType.OVERDUE:
        officers = holders(report, event.agency_id) + members([event.agency_id], [Role.AGENCY_HEAD])
        _tell_officers(officers, "officer_overdue", report, event, agency)


@dataclass
class FanOut:
    events: int = 0
    failed: int = 0
    #: Claimed but left for a later run: an earlier event of the same report was not yet done.
    deferred: int = 0


def _waiting(events: list[OutboxEvent]) -> set[int]:
    """The claimed events to leave for later: their report has an earlier event that is not
    notified and not in this batch (another worker holds it). A report's events are thus told
    in order (its ``created`` subscribes the reporter before ``dispatched`` is told); the
    earliest event still to do is never held back, so every run makes progress."""
    claimed = {e.pk for e in events}
    earlier = (
        OutboxEvent.objects.filter(
            report_id__in={e.report_id for e in events},
            notified_at__isnull=True,
            pk__lt=max(claimed),
        )
        .exclude(pk__in=claimed)
        .values_list("report_id", "pk")
    )
    first: dict[int, int] = {}
    for report_id, pk in earlier:
        first[report_id] = min(pk, first.get(report_id, pk))
    return {e.pk for e in events if e.report_id in first and first[e.report_id] < e.pk}


def fan_out(*, batch: int = 200) -> FanOut:
    """Queue the messages of up to ``batch`` events not yet notified; one transaction, each
    event in a savepoint of its own (one that fails is logged and not tried again)."""
    result = FanOut()
    now = timezone.now()
    with transaction.atomic():
        pending = OutboxEvent.objects.filter(notified_at__isnull=True).order_by("pk")
        if connection.features.has_select_for_update:
            pending = pending.select_for_update(**_skip_locked())
        claimed = list(pending[:batch])
        if not claimed:
            return result
        from satupintu.channels import registry

        if not any(registry.enabled().values()):
            # Every door is off: nobody can be told anything, so the events are only marked.
            OutboxEvent.objects.filter(pk__in=[e.pk for e in claimed]).update(notified_at=now)
            result.events = len(claimed)
            return result
        waiting = _waiting(claimed)
        events = [e for e in claimed if e.pk not in waiting]
        result.deferred = len(waiting)
        reports = Report.objects.select_related("current_agency").in_bulk(
            {e.report_id for e in events}
        )
        agency_ids = {e.agency_id for e in events if e.agency_id is not None}
        agencies = Agency.objects.in_bulk(agency_ids)
        for event in events:
            event.agency = agencies.get(event.agency_id) if event.agency_id else None
            report = reports.get(event.report_id)
            if report is None:
                continue
            try:
                with transaction.atomic():
                    notify(event, report)
            except Exception:
                logger.exception("notifying event %s failed", event.pk)
                result.failed += 1
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(notified_at=now)
        result.events = len(events)
    return result


#: The longest one turn of the job goes on taking batches while events wait (seconds): short,
#: so that a worker it holds is soon free for a waiting webhook drain (no job turn is longer
#: than a couple of seconds but that drain's own).
FAN_OUT_SECONDS = 2.0


def fan_out_job() -> str:
    """Periodic job ``messages-fan-out``: batches while events wait, up to FAN_OUT_SECONDS."""
    deadline = time.monotonic() + FAN_OUT_SECONDS
    events = failed = 0
    while True:
        result = fan_out()
        events += result.events
        failed += result.failed
        if not result.events or time.monotonic() >= deadline:
            break
    if not events:
        return ""
    return f"{events} events notified" + (f", {failed} failed" if failed else "")


# --------------------------------------------------------------------------- periodic


def next_workday(today: dt.date | None = None) -> dt.date:
    return workcal.calendar().next_working_day(today or workcal.today())


def closing_soon(*, today: dt.date | None = None) -> str:
    """Job ``messages-closing-soon``: answered reports that close by themselves unless the
    reporter replies by the next working day; once per report and date."""
    target = next_workday(today)
    rows = Report.objects.filter(
        status=Status.RESOLVED.value,
        autoclose_due=target,
        subscription__opted_out_at__isnull=True,
    ).select_related("current_agency")
    sent = 0
    for report in rows.iterator(chunk_size=200):
        with transaction.atomic():
            message = tell_reporter(
                report, "closing_soon", dedupe_key=f"closing:{report.pk}:{target.isoformat()}"
            )
        sent += message is not None
    return f"{sent} closing-soon messages" if sent else ""


def _running(report: Report) -> str:
    running = RUNNING_DEADLINE.get(Status(report.status))
    return running.value if running else ""


def due_tomorrow(*, today: dt.date | None = None) -> str:
    """Job ``messages-due-tomorrow``: reports whose running deadline is the next working day,
    to whoever owes the work; once per report, deadline and date (safe every hour)."""
    target = next_workday(today)
    statuses = sorted({s.value for s in WITH_AGENCY} | {Status.RECEIVED.value})
    rows = Report.objects.filter(status__in=statuses, next_due=target).select_related(
        "current_agency"
    )
    sent = 0
    for report in rows.iterator(chunk_size=200):
        deadline = _running(report)

        def context_of(language: str, report: Report = report, deadline: str = deadline) -> Any:
            context = report_context(report, language)
            with translation.override(language):
                context["deadline"] = _deadline_label(deadline)
                context["due"] = _date(report.next_due)
            return context

        with transaction.atomic():
            for user in holders(report, report.current_agency_id):
                sent += len(
                    tell_officer(
                        user,
                        "officer_due_tomorrow",
                        dedupe_key=f"due:{report.pk}:{deadline}:{target.isoformat()}",
                        report=report,
                        context_of=context_of,
                    )
                )
    return f"{sent} due-tomorrow messages" if sent else ""


def _digest_counts(agency_ids: list[int], today: dt.date) -> dict[int, dict[str, int]]:
    soon = workcal.calendar().add(today, DUE_SOON_WORKDAYS)
    open_statuses = sorted(s.value for s in WITH_AGENCY)
    rows = (
        Report.objects.filter(current_agency_id__in=agency_ids, status__in=open_statuses)
        .values("current_agency_id")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=soon)),
            overdue=Count("pk", filter=Q(next_due__lt=today)),
        )
    )
    return {
        row["current_agency_id"]: {k: row[k] for k in ("open", "due_soon", "overdue")}
        for row in rows
    }


def digest(*, now: dt.datetime | None = None) -> str:
    """Job ``messages-digest``: each agency officer's daily summary by e-mail, once a day, on
    working days from DIGEST_HOUR (local time): their agencies' open, due-soon and overdue
    reports with links. Nothing for an officer whose agencies have nothing open."""
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    if local.hour < DIGEST_HOUR or not workcal.calendar().is_working_day(today):
        return ""
    memberships = (
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=[Role.LIAISON, Role.AGENCY_HEAD],
        )
        .exclude(user__email="")
        .exclude(user__notification_preference__daily_digest=False)
        .select_related("agency", "user")
        .order_by("user_id", "agency__name")
    )
    by_user: dict[int, tuple[User, list[Agency]]] = {}
    for membership in memberships:
        entry = by_user.setdefault(membership.user_id, (membership.user, []))
        if membership.agency not in entry[1]:
            entry[1].append(membership.agency)
    counts = _digest_counts(
        sorted({a.pk for _u, agencies in by_user.values() for a in agencies}), today
    )
    sent = 0
    for user, agencies in by_user.values():
        rows: list[dict[str, Any]] = []
        for agency in agencies:
            found = counts.get(agency.pk, {"open": 0, "due_soon": 0, "overdue": 0})
            rows.append(
                {
                    "name": agency.name,
                    **found,
                    "inbox_url": _absolute(reverse("desk:inbox", kwargs={"code": agency.code})),
                    "overdue_url": _absolute(reverse("desk:overdue", kwargs={"code": agency.code})),
                }
            )
        total = {key: sum(int(r[key]) for r in rows) for key in ("open", "due_soon", "overdue")}
        if not total["open"]:
            continue

        def context_of(language: str, rows: list[dict[str, Any]] = rows, total: Any = total) -> Any:
            with translation.override(language):
                return {
                    "site_name": getattr(settings, "SITE_NAME", "satupintu"),
                    "date": _date(today),
                    "open_count": str(total["open"]),
                    "due_soon_count": str(total["due_soon"]),
                    "overdue_count": str(total["overdue"]),
                    "agencies": rows,
                    "profile_url": _absolute(reverse("desk:notification_profile")),
                }

        with transaction.atomic():
            sent += len(
                tell_officer(
                    user,
                    "officer_digest",
                    dedupe_key=f"digest:{today.isoformat()}",
                    report=None,
                    context_of=context_of,
                    channels=[(MessageChannel.EMAIL.value, user.email)],
                )
            )
    return f"{sent} digests" if sent else ""


# --------------------------------------------------------------------------- the desk


@dataclass(frozen=True)
class SentMessage:
    """One message about a report as the desk shows it: never its address."""

    created_at: dt.datetime
    channel: str
    purpose: str
    status: str
    status_label: str
    attempts: int
    error: str
    to_reporter: bool
    officer: User | None

    @property
    def failed(self) -> bool:
        return self.status in {Message.Status.FAILED, Message.Status.SKIPPED}


def report_messages(report: Report) -> list[SentMessage]:
    """The messages sent about ``report`` (oldest first), for its desk page. Errors are
    masked (public.mask): a provider's error may quote the number it refused."""
    rows = (
        Message.objects.filter(report=report)
        .select_related("user")
        .only(
            "created_at",
            "channel",
            "purpose",
            "status",
            "attempts",
            "error",
            "user__username",
            "user__first_name",
            "user__last_name",
        )
        .order_by("created_at", "pk")
    )
    return [
        SentMessage(
            created_at=m.created_at,
            channel=m.get_channel_display(),
            purpose=purpose_label(m.purpose),
            status=m.status,
            status_label=m.get_status_display(),
            attempts=m.attempts,
            error=public.mask(m.error) if m.error else "",
            to_reporter=m.user_id is None,
            officer=m.user,
        )
        for m in rows
    ]
