"""Messages to people from the outbox: the reporter hears each public step once, through their
channel, in their language; officers hear of work; every job is safe to run twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from satupintu.agencies.models import CalendarDay
from satupintu.complaints import services, tracking
from satupintu.complaints.models import Channel, Report
from satupintu.notifications import messages, people
from satupintu.notifications.models import (
    Message,
    MessageTemplate,
    OfficerPreference,
    OutboxEvent,
    Subscription,
)
from tests.conftest import City


def channel_on() -> bool:
    return True


@pytest.fixture(autouse=True)
def _channels_on(monkeypatch: Any) -> None:
    """Every channel switched on (a message for a channel that is off stores nothing)."""
    from satupintu.channels import registry

    for channel in ("whatsapp", "sms", "email"):
        monkeypatch.setitem(registry.ENABLED, channel, f"{__name__}.channel_on")


def fan_out() -> None:
    people.fan_out()


def to_reporter(report: Report) -> list[Message]:
    return list(Message.objects.filter(report=report, user=None).order_by("pk"))


def purposes(report: Report) -> list[str]:
    return [m.purpose for m in to_reporter(report)]


@pytest.fixture
def emails(city: City) -> City:
    for user in (city.officer_a, city.head_a, city.officer_b, city.verifier):
        user.email = f"{user.username}@pemda.example.id"
        user.save(update_fields=["email"])
    return city


def test_each_public_step_is_one_message_to_the_reporter(city: City, weekday: dt.date) -> None:
    report, _ = city.file()
    fan_out()
    subscription = Subscription.objects.get(report=report)
    assert subscription.channel == "email" and subscription.language == "id"
    assert messages.address_of(subscription) == "siti@example.id"
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Masih.")
    fan_out()
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah ditambal.")
    fan_out()
    services.report_confirm(actor=city.reporter(report), report_id=report.pk, rating=5)
    fan_out()
    fan_out()  # twice: nothing twice
    assert purposes(report) == ["received", "dispatched", "followed_up", "resolved", "closed"]
    sent = to_reporter(report)
    assert all(m.channel == "email" and m.language == "id" for m in sent)
    assert all(messages.address_of(m) == "siti@example.id" for m in sent)
    received, dispatched, followed, resolved, closed = sent
    number = tracking.format_tracking_number(report.tracking_number)
    assert received.subject == f"Laporan {number} diterima"
    assert f"/lacak/?nomor={number}" in received.body
    assert "Dinas PUPR" in dispatched.body and "12 Maret 2025" in dispatched.body
    assert "Kami tinjau." in followed.body
    assert "Sudah ditambal." in resolved.body and "nilai" in resolved.body
    report.refresh_from_db()
    assert report.appeal_until is not None
    assert "banding" in closed.body
    token = Subscription.objects.get(report=report).token
    assert all(f"/berhenti/{token}/" in m.body for m in sent)
    assert all(m.event_id is not None for m in sent)
    assert not OutboxEvent.objects.filter(notified_at__isnull=True).exists()


def test_the_reporter_is_told_in_their_language(city: City, weekday: dt.date) -> None:
    report, _ = city.file(contact=services.Contact(name="Ann", email="ann@example.org"))
    messages.subscribe(report, channel="email", address="ann@example.org", language="en")
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    received, dispatched = to_reporter(report)
    assert received.language == "en" and "We have received report" in received.body
    assert "has been passed to Dinas PUPR" in dispatched.body
    assert "12 March 2025" in dispatched.body


def test_a_web_reporter_is_subscribed_in_the_language_they_filed_in(
    city: City, weekday: dt.date
) -> None:
    from django.utils import translation

    with translation.override("en"):
        report, _ = city.file(contact=services.Contact(name="Ann", email="ann@example.org"))
    fan_out()
    [received] = to_reporter(report)
    assert received.channel == "email" and received.language == "en"
    assert "We have received report" in received.body


def test_phone_only_reporter_is_told_by_sms(city: City, weekday: dt.date) -> None:
    report, _ = city.file(contact=services.Contact(phone="081234567890"))
    fan_out()
    (received,) = to_reporter(report)
    assert received.channel == "sms" and "STOP" in received.body
    assert "\n" not in received.body  # one short line


def test_a_report_without_contact_gets_nothing(city: City, weekday: dt.date) -> None:
    report, _ = city.file(contact=None)
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    assert to_reporter(report) == [] and not Subscription.objects.filter(report=report).exists()


def test_a_door_filed_report_gets_no_second_receipt(city: City, weekday: dt.date) -> None:
    report, _ = city.file(channel=Channel.WHATSAPP, contact=services.Contact(phone="6281298765432"))
    messages.subscribe(report, channel="whatsapp", address="6281298765432")
    fan_out()
    assert to_reporter(report) == []  # the door sent its own receipt
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    (dispatched,) = to_reporter(report)
    assert dispatched.channel == "whatsapp" and "BERHENTI" in dispatched.body
    # No message from them in the last 24 hours: the approved template goes with it.
    assert dispatched.template["name"] == "satupintu_dispatched"
    assert dispatched.template["language"] == "id"
    assert dispatched.template["parameters"][1] == "Dinas PUPR"


def test_opted_out_reporter_gets_nothing(city: City, weekday: dt.date) -> None:
    report, _ = city.file()
    fan_out()
    token = Subscription.objects.get(report=report).token
    assert messages.opt_out_by_token(token) is not None
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    assert purposes(report) == ["received"]
    # A later report from the same address stays quiet too.
    later, _ = city.file()
    fan_out()
    assert to_reporter(later) == []


def test_a_confidential_reports_messages_carry_no_text(city: City, weekday: dt.date) -> None:
    report = city.dispatched(is_confidential=True)
    services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency="dlhk", reason="Alasan rahasia."
    )
    services.report_resolve(actor=city.officer_b, report_id=report.pk, answer="Jawaban rahasia.")
    fan_out()
    sent = Message.objects.filter(report=report)
    assert [m.purpose for m in to_reporter(report)] == [
        "received",
        "dispatched",
        "forwarded",
        "resolved",
    ]
    for m in sent:
        for text in ("Alasan rahasia", "Jawaban rahasia", "Jalan berlubang", "Lubang besar"):
            assert text not in m.body and text not in m.subject


def test_archive_and_reopen_are_told(city: City, weekday: dt.date, emails: City) -> None:
    spam, _ = city.file()
    services.report_archive(actor=city.verifier, report_id=spam.pk, reason="Bukan laporan.")
    fan_out()
    assert purposes(spam) == ["received", "archived"]
    assert "Bukan laporan." in to_reporter(spam)[-1].body
    report = city.resolved()
    services.report_appeal(actor=city.reporter(report), report_id=report.pk, reason="Belum.")
    fan_out()
    assert purposes(report)[-1] == "reopened"
    officers = Message.objects.filter(report=report, purpose="officer_reopened")
    assert [m.user for m in officers] == [city.officer_a]


# --------------------------------------------------------------------------- officers


def officer_messages(purpose: str) -> list[tuple[str, str]]:
    return [
        (m.user.username, m.channel)
        for m in Message.objects.filter(purpose=purpose).select_related("user").order_by("pk")
    ]


def test_dispatch_tells_the_liaison_officers(city: City, weekday: dt.date, emails: City) -> None:
    report = city.dispatched()
    fan_out()
    fan_out()
    assert officer_messages("officer_dispatched") == [("officer_a", "email")]
    (message,) = Message.objects.filter(purpose="officer_dispatched")
    assert messages.address_of(message) == "officer_a@pemda.example.id"
    assert f"/petugas/laporan/{report.pk}/" in message.body
    assert message.subject.startswith(
        f"[{tracking.format_tracking_number(report.tracking_number)}]"
    )


def test_officer_channels_come_from_their_preference(
    city: City, weekday: dt.date, emails: City
) -> None:
    OfficerPreference.objects.create(
        user=city.officer_a, channels=["whatsapp", "sms"], phone="+6281211112222", language="en"
    )
    city.dispatched()
    fan_out()
    assert officer_messages("officer_dispatched") == [
        ("officer_a", "whatsapp"),
        ("officer_a", "sms"),
    ]
    whatsapp = Message.objects.get(purpose="officer_dispatched", channel="whatsapp")
    assert messages.address_of(whatsapp) == "+6281211112222"
    assert whatsapp.language == "en" and whatsapp.body.startswith("New report")
    assert whatsapp.template["name"] == "satupintu_officer_dispatched"


def test_assignment_tells_the_assignee_unless_they_took_it(
    city: City, weekday: dt.date, emails: City
) -> None:
    report = city.dispatched()
    services.report_assign(actor=city.head_a, report_id=report.pk, assignee=city.officer_a)
    fan_out()
    assert officer_messages("officer_assigned") == [("officer_a", "email")]
    other = city.dispatched()
    services.report_assign(actor=city.officer_a, report_id=other.pk, assignee=city.officer_a)
    fan_out()
    assert officer_messages("officer_assigned") == [("officer_a", "email")]
    # The event that travels names nobody.
    event = OutboxEvent.objects.filter(event_type="assigned").first()
    assert event is not None and "officer_a" not in str(event.payload)


def test_due_on_the_next_working_day_skips_a_holiday(
    city: City, weekday: dt.date, emails: City
) -> None:
    # Wednesday 5 March 2025; Thursday a local holiday: Friday is the next working day.
    CalendarDay.objects.create(date=dt.date(2025, 3, 6), kind="holiday", name="Hari jadi kota")
    friday = city.dispatched()
    thursday = city.dispatched()
    monday = city.dispatched()
    services.report_assign(actor=city.head_a, report_id=friday.pk, assignee=city.head_a)

    def due(report: Report, day: dt.date) -> None:
        Report.objects.filter(pk=report.pk).update(followup_due=day, next_due=day)

    due(friday, dt.date(2025, 3, 7))
    due(thursday, dt.date(2025, 3, 6))
    due(monday, dt.date(2025, 3, 10))
    people.due_tomorrow()
    people.due_tomorrow()  # every hour: once per report and deadline
    sent = Message.objects.filter(purpose="officer_due_tomorrow")
    assert [(m.report_id, m.user.username) for m in sent] == [(friday.pk, "head_a")]
    assert "7 Maret 2025" in sent[0].body
    assert "tindak lanjut pertama" in sent[0].body
    # Without an assignee, the liaison officers.
    due(monday, dt.date(2025, 3, 7))
    people.due_tomorrow()
    assert [(m.report_id, m.user.username) for m in sent.order_by("pk")] == [
        (friday.pk, "head_a"),
        (monday.pk, "officer_a"),
    ]


def test_overdue_tells_the_holders_and_the_agency_head(
    city: City, weekday: dt.date, emails: City
) -> None:
    report = city.dispatched()
    fan_out()
    services.sla_sweep(today=dt.date(2025, 4, 30))
    fan_out()
    fan_out()
    overdue = officer_messages("officer_overdue")
    assert overdue == [("officer_a", "email"), ("head_a", "email")]
    body = Message.objects.filter(purpose="officer_overdue").first()
    assert body is not None and "hari kerja" in body.body and body.report_id == report.pk


def test_daily_digest_once_a_day_to_each_officer(
    city: City, weekday: dt.date, emails: City, time_machine: Any
) -> None:
    city.dispatched()
    late = city.dispatched()
    Report.objects.filter(pk=late.pk).update(next_due=dt.date(2025, 3, 3))
    OfficerPreference.objects.create(user=city.officer_b, daily_digest=False)
    services.report_dispatch(actor=city.verifier, report_id=city.file(category=city.waste)[0].pk)
    people.digest()
    people.digest()
    assert officer_messages("officer_digest") == [("officer_a", "email"), ("head_a", "email")]
    digest = Message.objects.filter(purpose="officer_digest", user=city.officer_a).get()
    assert digest.subject.startswith("Ringkasan harian 5 Maret 2025: 2 laporan terbuka")
    assert "1 terlambat" in digest.body and "/petugas/instansi/dpupr/terlambat/" in digest.body
    # Not before the day starts, not on a Saturday.
    time_machine.move_to(dt.datetime(2025, 3, 8, 3, 0, tzinfo=dt.UTC), tick=False)
    assert people.digest() == ""


def test_closing_soon_once_per_report(city: City, weekday: dt.date) -> None:
    report = city.resolved()
    soon = city.resolved()
    fan_out()
    Report.objects.filter(pk=soon.pk).update(autoclose_due=dt.date(2025, 3, 6))
    people.closing_soon()
    people.closing_soon()
    assert [m.report_id for m in Message.objects.filter(purpose="closing_soon")] == [soon.pk]
    assert report.pk != soon.pk
    assert "6 Maret 2025" in Message.objects.get(purpose="closing_soon").body


# --------------------------------------------------------------------------- templates


def test_a_template_row_overrides_the_default(city: City, weekday: dt.date) -> None:
    MessageTemplate.objects.create(
        purpose="dispatched",
        channel="email",
        language="id",
        subject="Kabar {{ tracking_number }}",
        body="Ke {{ agency }} ya. {{ opt_out_url }}",
    )
    MessageTemplate.objects.create(
        purpose="received", channel="email", language="id", body="x", is_active=False
    )
    report = city.dispatched()
    fan_out()
    received, dispatched = to_reporter(report)
    assert dispatched.body.startswith("Ke Dinas PUPR ya. ")
    assert dispatched.subject == f"Kabar {tracking.format_tracking_number(report.tracking_number)}"
    assert received.body.startswith("Laporan ")  # an inactive row is no override


def test_every_default_renders_in_both_languages() -> None:
    from satupintu.notifications import templates_default as defaults

    for (purpose, channel, language), found in defaults.DEFAULTS.items():
        body = defaults.render(found.body, defaults.sample_context(language))
        assert body and "{{" not in body and "{%" not in body, (purpose, channel, language)
        if channel == "email" and purpose != "officer_digest":
            assert "K7Q2M-4XR9P" in defaults.render(found.subject, defaults.sample_context())
        if not purpose.startswith("officer_"):
            assert "/berhenti/" in body
            if channel != "email":
                assert "STOP" in body or "BERHENTI" in body
        if channel == "sms" and purpose != "officer_digest":
            assert len(body) < 320, (purpose, language)


def test_a_hold_asks_the_reporter_what_to_complete(city: City, weekday: dt.date) -> None:
    report, _ = city.file()
    services.report_hold(actor=city.verifier, report_id=report.pk, message="Mohon kirim foto.")
    fan_out()
    assert purposes(report) == ["received", "held"]
    held = to_reporter(report)[-1]
    assert "Mohon kirim foto." in held.body
    report.refresh_from_db()
    assert report.hold_due is not None and "2025" in held.body
    secret, _ = city.file(is_confidential=True)
    services.report_hold(actor=city.verifier, report_id=secret.pk, message="Foto KTP Anda.")
    fan_out()
    assert "Foto KTP" not in to_reporter(secret)[-1].body


def test_a_report_forwarded_by_another_system_subscribes_nobody(
    city: City, weekday: dt.date
) -> None:
    report, _ = city.file(channel=Channel.FORWARDED)
    fan_out()
    assert not Subscription.objects.filter(report=report).exists()
    assert to_reporter(report) == []


def test_whatsapp_within_24_hours_sends_free_text(city: City, weekday: dt.date) -> None:
    from django.utils import timezone

    from satupintu.channels.models import Conversation
    from satupintu.core import crypto

    report, _ = city.file(channel=Channel.WHATSAPP, contact=services.Contact(phone="6281298765432"))
    messages.subscribe(report, channel="whatsapp", address="6281298765432")
    Conversation.objects.create(
        channel="whatsapp",
        address_encrypted=crypto.encrypt_text("6281298765432"),
        address_index=crypto.blind_index("6281298765432"),
        last_inbound_at=timezone.now() - dt.timedelta(hours=2),
        updated_at=timezone.now(),
    )
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    fan_out()
    (dispatched,) = to_reporter(report)
    assert dispatched.template == {} and "Dinas PUPR" in dispatched.body


def test_the_job_takes_batches_while_events_wait(
    city: City, weekday: dt.date, monkeypatch: Any
) -> None:
    for _ in range(3):
        city.dispatched()
    real = people.fan_out
    monkeypatch.setattr(people, "fan_out", lambda: real(batch=2))
    assert people.fan_out_job() == "6 events notified"
    assert people.fan_out_job() == ""
    assert Message.objects.filter(purpose="dispatched").count() == 3


def test_with_every_door_off_events_are_only_marked_and_nobody_is_subscribed(
    city: Any, monkeypatch: Any
) -> None:
    from satupintu.channels import registry
    from satupintu.notifications import people
    from satupintu.notifications.models import Message, OutboxEvent, Subscription

    for channel in ("whatsapp", "sms", "email"):
        monkeypatch.setitem(registry.ENABLED, channel, "builtins.bool")  # bool() is False
    city.dispatched()
    assert people.fan_out().events == 2
    assert not OutboxEvent.objects.filter(notified_at__isnull=True).exists()
    assert not Subscription.objects.exists() and not Message.objects.exists()
