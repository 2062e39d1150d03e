"""Writing the outbox: one row per event, in the transaction of the change (style.md, 6).

complaints.actions calls :func:`record` where it writes the timeline event; it returns at once
for actions that are no webhook event. Which action is which event:

=====================  ==============================================================
event                  actions (domain/lifecycle.py)
=====================  ==============================================================
``created``            receive (any door)
``dispatched``         dispatch (disposisi by a verifier)
``forwarded``          forward (No Wrong Door, to another agency)
``resolved``           resolve (the agency's answer)
``closed``             confirm (the reporter accepts), auto_close (no reply in time), and
                       archive / hold_expire: an archived report has ended too, so systems
                       that follow it hear of it; ``step.closure`` tells which
``overdue``            escalate (the SLA sweep found the running deadline passed)
``followed_up``        follow_up or remote_update, the FIRST one only (the one that set
                       ``first_followup_at``; later follow-ups write nothing)
``assigned``           assign (an officer of the holding agency is given the report, or it
                       is taken back); never the officer's name or username
``reopened``           appeal (banding: the reporter disputes the answer, back to the agency)
``held``               hold (Tunda: a verifier asks the reporter to complete the report)
=====================  ==============================================================

The last four came later: a webhook endpoint receives them only when it lists them, so the
streams of existing endpoints stay as they were (docs/webhooks.md). notifications/people.py
reads every type to tell people (its own cursor, ``notified_at``).

The payload is public-safe: the tracking number, status, type, deadlines, the title (and the
description when created) and the public text of the step (a disposisi instruction, the first
follow-up, a forward reason, what a hold asks of the reporter, the answer, an archive reason).
Never the reporter's identity or contact, never an officer's name, and for a confidential
(rahasia) report no title, description or text at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from satupintu.agencies.models import Agency
from satupintu.complaints.models import Category, Report, ReportEvent
from satupintu.core import bulk
from satupintu.domain.lifecycle import Action, Deadline
from satupintu.notifications.models import EventType, OutboxEvent

EVENT_OF_ACTION: dict[Action, EventType] = {
    Action.RECEIVE: EventType.CREATED,
    Action.DISPATCH: EventType.DISPATCHED,
    Action.FORWARD: EventType.FORWARDED,
    Action.RESOLVE: EventType.RESOLVED,
    Action.CONFIRM: EventType.CLOSED,
    Action.AUTO_CLOSE: EventType.CLOSED,
    Action.ARCHIVE: EventType.CLOSED,
    Action.HOLD_EXPIRE: EventType.CLOSED,
    Action.ESCALATE: EventType.OVERDUE,
    Action.FOLLOW_UP: EventType.FOLLOWED_UP,
    Action.REMOTE_UPDATE: EventType.FOLLOWED_UP,
    Action.ASSIGN: EventType.ASSIGNED,
    Action.APPEAL: EventType.REOPENED,
    Action.HOLD: EventType.HELD,
}

#: Actions that are an event only the first time (the first tindak lanjut, domain.md §1.6).
FIRST_FOLLOW_UP_ONLY = frozenset({Action.FOLLOW_UP, Action.REMOTE_UPDATE})

CLOSURE_OF_ACTION = {
    Action.CONFIRM: "confirmed",
    Action.AUTO_CLOSE: "auto_closed",
    Action.ARCHIVE: "archived",
    Action.HOLD_EXPIRE: "hold_expired",
}

#: The stored deadlines, the appeal window and the one running now (``next_due``).
DEADLINES = (*(d.value for d in Deadline), "appeal_until", "next_due")

#: Timeline events whose text an officer wrote for the public (never the reporter's own words).
PUBLIC_TEXT_KINDS = frozenset(
    {
        ReportEvent.Kind.DISPATCHED,
        ReportEvent.Kind.FOLLOW_UP,
        ReportEvent.Kind.FORWARDED,
        ReportEvent.Kind.HELD,
        ReportEvent.Kind.RESOLVED,
        ReportEvent.Kind.ARCHIVED,
    }
)

#: Keys of a timeline event's data that may travel: agency codes, the channel, the rating,
#: the escalation's figures. (An assignee's username never does.)
STEP_DATA_KEYS = (
    "channel",
    "from",
    "to",
    "rating",
    "deadline",
    "due",
    "working_days_late",
    "level",
)


#: What a confidential report never sends (delivery.py also withholds them when a report was
#: made confidential after its event was written).
TEXT_FIELDS = ("title", "description")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def payload(
    report: Report, event_type: EventType, action: Action, event: ReportEvent
) -> dict[str, Any]:
    """The stored, public-safe part of the event; delivery.py adds id, type, time and codes."""
    body: dict[str, Any] = {
        "tracking_number": report.tracking_number,
        "status": report.status,
        "report_type": report.report_type,
        "confidential": report.is_confidential,
        "escalation_level": report.escalation_level,
        "deadlines": {name: _date(getattr(report, name)) for name in DEADLINES},
    }
    step: dict[str, Any] = {"action": action.value}
    if action in CLOSURE_OF_ACTION:
        step["closure"] = CLOSURE_OF_ACTION[action]
    for key in STEP_DATA_KEYS:
        if key in event.data:
            step[key] = event.data[key]
    if not report.is_confidential:
        body["title"] = report.title
        if event_type is EventType.CREATED:
            body["description"] = report.description
        if event.kind in PUBLIC_TEXT_KINDS and event.is_public and event.body:
            step["text"] = event.body
    return {"report": body, "step": step}


_TABLE = OutboxEvent._meta.db_table
_AGENCIES = Agency._meta.db_table
_CATEGORIES = Category._meta.db_table
# One statement: the codes are read by the INSERT itself (primary-key look-ups), so writing
# an event costs one round trip however the report was loaded.
_INSERT = (
    f"INSERT INTO {_TABLE} (event_type, report_id, agency_id, previous_agency_id, "  # noqa: S608
    "occurred_at, payload, agency_code, category_code) VALUES (%s, %s, %s, %s, %s, %s, "
    f"COALESCE((SELECT code FROM {_AGENCIES} WHERE id = %s), ''), "
    f"COALESCE((SELECT code FROM {_CATEGORIES} WHERE id = %s), ''))"
)


def _first_follow_up(report: Report, event: ReportEvent) -> bool:
    """Whether ``event`` is the report's first tindak lanjut: the step that set
    ``first_followup_at`` (to its own time), and no follow-up on the timeline before it (the
    look-up runs once per report, and keeps a frozen clock from counting a second one)."""
    if report.first_followup_at != event.created_at:
        return False
    earlier = ReportEvent.objects.filter(
        report_id=report.pk,
        kind__in=(ReportEvent.Kind.FOLLOW_UP, ReportEvent.Kind.REMOTE_UPDATE),
    ).exclude(pk=event.pk)
    return not earlier.exists()


def record(
    report: Report,
    action: Action,
    event: ReportEvent,
    *,
    previous_agency_id: int | None = None,
    batch: bulk.Batch | None = None,
) -> bool:
    """Write the outbox row for ``action`` if it is a webhook event; inside the caller's
    transaction (the report is locked), with ``batch``'s rows when given (core/bulk.py).
    False when the action is no event."""
    event_type = EVENT_OF_ACTION.get(action)
    if event_type is None:
        return False
    if action in FIRST_FOLLOW_UP_ONLY and not _first_follow_up(report, event):
        return False  # a later follow-up: the first one was the event
    agency_id = report.current_agency_id
    previous = previous_agency_id if previous_agency_id != agency_id else None
    ops = connection.ops
    values: list[Any] = [
        event_type.value,
        report.pk,
        agency_id,
        previous,
        ops.adapt_datetimefield_value(event.created_at),
        ops.adapt_json_value(payload(report, event_type, action, event), None),
        agency_id,
        report.category_id,
    ]
    if batch is not None:
        batch.add(_INSERT, values)
        return True
    with bulk.hot_cursor(connection) as cursor:
        cursor.execute(_INSERT, values)
    return True
