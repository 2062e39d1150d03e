"""The outbox: one row per webhook event, written in the transaction of the change, public-safe."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.complaints import services
from satupintu.core import audit
from satupintu.core.errors import InvalidTransition
from satupintu.notifications import outbox
from satupintu.notifications.delivery import event_body
from satupintu.notifications.models import OutboxEvent
from tests.conftest import City


def events() -> list[tuple[str, str]]:
    return [(e.event_type, e.payload["step"]["action"]) for e in OutboxEvent.objects.order_by("pk")]


def bodies() -> list[dict[str, Any]]:
    return [json.loads(event_body(e)) for e in OutboxEvent.objects.order_by("pk")]


def test_each_webhook_event_is_written_with_its_change(city: City, weekday: dt.date) -> None:
    report = city.dispatched()
    services.report_accept(actor=city.officer_a, report_id=report.pk)
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Masih dikerjakan.")
    services.report_add_note(actor=city.officer_a, report_id=report.pk, body="catatan")
    services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency="dlhk", reason="Urusan sampah."
    )
    services.report_resolve(actor=city.officer_b, report_id=report.pk, answer="Sudah diangkut.")
    services.report_confirm(actor=city.reporter(report), report_id=report.pk, rating=5)
    # Steps that are no webhook event (accept, a later follow-up, note) wrote nothing.
    assert events() == [
        ("created", "receive"),
        ("dispatched", "dispatch"),
        ("followed_up", "follow_up"),
        ("forwarded", "forward"),
        ("resolved", "resolve"),
        ("closed", "confirm"),
    ]
    created, dispatched, followed_up, forwarded, resolved, closed = bodies()
    assert followed_up["step"] == {"action": "follow_up", "text": "Kami tinjau."}
    assert created["report"]["agency"] is None
    assert created["report"]["description"].startswith("Lubang besar")
    assert created["step"]["channel"] == "web"
    assert {
        k: dispatched["report"][k] for k in ("agency", "category", "status", "report_type")
    } == {
        "agency": "dpupr",
        "category": "jalan-rusak",
        "status": "dispatched",
        "report_type": "pengaduan",
    }
    assert dispatched["report"]["deadlines"]["followup_due"] == "2025-03-12"
    assert "description" not in dispatched["report"]
    assert forwarded["report"]["agency"] == "dlhk"
    assert forwarded["step"] == {
        "action": "forward",
        "from": "dpupr",
        "to": "dlhk",
        "text": "Urusan sampah.",
    }
    assert resolved["step"]["text"] == "Sudah diangkut."
    assert resolved["report"]["deadlines"]["autoclose_due"] is not None
    assert closed["step"] == {"action": "confirm", "closure": "confirmed", "rating": 5}
    assert closed["report"]["status"] == "closed"
    assert [b["type"] for b in bodies()] == [t for t, _ in events()]
    assert len({b["id"] for b in bodies()}) == 6
    assert created["occurred_at"] == "2025-03-05T02:00:00Z"
    # The holding agency before a forward is kept for the endpoints' agency filters.
    row = OutboxEvent.objects.get(event_type="forwarded")
    assert (row.previous_agency_id, row.agency_id) == (city.dpupr.pk, city.dlhk.pk)


def test_sweep_events_overdue_auto_close_and_archive(city: City, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    late = city.dispatched()
    answered = city.resolved()
    held, _ = city.file()
    services.report_hold(actor=city.verifier, report_id=held.pk, message="Mohon foto.")
    spam, _ = city.file()
    services.report_archive(actor=city.verifier, report_id=spam.pk, reason="Bukan laporan.")
    OutboxEvent.objects.all().delete()

    services.sla_sweep(today=dt.date(2025, 4, 30))
    by_report = {e.report_id: json.loads(event_body(e)) for e in OutboxEvent.objects.order_by("pk")}
    overdue = by_report[late.pk]
    assert overdue["type"] == "overdue"
    assert overdue["report"]["escalation_level"] == 1
    assert overdue["step"]["working_days_late"] > 0
    assert overdue["step"]["deadline"] == "followup_due"
    assert by_report[answered.pk]["step"] == {"action": "auto_close", "closure": "auto_closed"}
    assert by_report[held.pk]["type"] == "closed"
    assert by_report[held.pk]["report"]["status"] == "archived"
    assert by_report[held.pk]["step"] == {"action": "hold_expire", "closure": "hold_expired"}
    assert len(by_report) == 3  # the archived report is done: nothing more about it


def test_archive_by_a_verifier_is_a_closed_event_with_its_reason(city: City) -> None:
    report, _ = city.file()
    services.report_archive(
        actor=city.verifier, report_id=report.pk, reason="Iklan, bukan laporan."
    )
    closed = bodies()[-1]
    assert closed["type"] == "closed"
    assert closed["report"]["status"] == "archived"
    assert closed["step"] == {
        "action": "archive",
        "closure": "archived",
        "text": "Iklan, bukan laporan.",
    }


def _whole_lifecycle(city: City, **kwargs: Any) -> str:
    report = city.resolved(**kwargs)
    services.report_confirm(
        actor=city.reporter(report), report_id=report.pk, rating=4, comment="Terima kasih, Siti."
    )
    return "\n".join(e.decode() for e in (event_body(x) for x in OutboxEvent.objects.all()))


def test_payload_never_carries_the_reporters_identity(city: City) -> None:
    sent = _whole_lifecycle(city, is_anonymous=True)
    assert sent.count('"type":') == 5  # created, dispatched, followed_up, resolved, closed
    for secret in ("Siti", "Aminah", "siti@example.id", "081234567890", "officer_a", "verifier"):
        assert secret not in sent
    assert "Jalan berlubang" in sent  # the public text of a public report does travel


def test_confidential_report_sends_no_text_at_all(city: City) -> None:
    report = city.dispatched(is_confidential=True)
    services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency="dlhk", reason="Alasan rahasia."
    )
    services.report_resolve(actor=city.officer_b, report_id=report.pk, answer="Jawaban rahasia.")
    sent = [json.loads(event_body(e)) for e in OutboxEvent.objects.order_by("pk")]
    assert [b["type"] for b in sent] == ["created", "dispatched", "forwarded", "resolved"]
    raw = json.dumps(sent)
    for text in ("Jalan berlubang", "Lubang besar", "Alasan rahasia", "Jawaban rahasia", "Siti"):
        assert text not in raw
    assert all(b["report"]["confidential"] is True for b in sent)
    assert all("title" not in b["report"] and "text" not in b["step"] for b in sent)
    assert sent[2]["step"] == {"action": "forward", "from": "dpupr", "to": "dlhk"}


def test_refused_transition_leaves_no_outbox_row(city: City) -> None:
    report = city.dispatched()
    before = OutboxEvent.objects.count()
    with pytest.raises(InvalidTransition):  # nothing to confirm before the answer
        services.report_confirm(actor=city.reporter(report), report_id=report.pk, rating=5)
    assert OutboxEvent.objects.count() == before


def test_a_failure_after_the_outbox_row_rolls_it_back(city: City, monkeypatch: Any) -> None:
    report, _ = city.file()
    before = OutboxEvent.objects.count()

    def broken(**_: Any) -> None:
        raise RuntimeError("audit log unavailable")

    # The audit entry is written after the outbox row, in the same transaction.
    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.report_dispatch(actor=city.verifier, report_id=report.pk)
    assert OutboxEvent.objects.count() == before
    report.refresh_from_db()
    assert report.status == "received"


def test_one_insert_per_event(city: City) -> None:
    """The budget: an event costs one statement more than the same change without it."""

    def resolve_queries() -> list[str]:
        report = city.dispatched()
        services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
        with CaptureQueriesContext(connection) as queries:
            services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah.")
        return [q["sql"] for q in queries.captured_queries]

    with_event = resolve_queries()
    original = outbox.EVENT_OF_ACTION.copy()
    outbox.EVENT_OF_ACTION.clear()
    try:
        without_event = resolve_queries()
    finally:
        outbox.EVENT_OF_ACTION.update(original)
    assert len(with_event) == len(without_event) + 1
    added = [sql for sql in with_event if "notifications_outboxevent" in sql]
    assert len(added) == 1 and added[0].startswith("INSERT")
