"""Messages to people: queued once, sent once per claim, retried, recorded, opt-out honoured."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from satupintu.channels import registry
from satupintu.channels.registry import Outcome
from satupintu.notifications import messages
from satupintu.notifications.models import Message

pytestmark = pytest.mark.django_db


class FakeProvider:
    """Stands for an adapter: records what it was given, answers what the test says."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.answers: list[Outcome] = []

    def send(self, message: Message, address: str) -> Outcome:
        self.sent.append((address, message.body, messages.idempotency_key(message)))
        if self.answers:
            return self.answers.pop(0)
        return Outcome(ok=True, provider_id=f"p-{len(self.sent)}")


@pytest.fixture
def provider(monkeypatch: Any) -> FakeProvider:
    fake = FakeProvider()
    monkeypatch.setitem(registry.SENDERS, "sms", f"{__name__}._send")
    monkeypatch.setitem(registry.ENABLED, "sms", f"{__name__}._on")
    globals()["_current"] = fake
    return fake


def _send(message: Message, address: str) -> Outcome:
    provider: FakeProvider = globals()["_current"]
    return provider.send(message, address)


def _on() -> bool:
    return True


def _queue(**kwargs: Any) -> Message | None:
    fields: dict[str, Any] = {
        "channel": "sms",
        "address": "+6281234567890",
        "purpose": "dispatched",
        "body": "Laporan Anda diteruskan ke Dinas PUPR.",
        "dedupe_key": "event:1:reporter",
    }
    return messages.queue(**(fields | kwargs))


def test_a_message_is_stored_once_however_often_it_is_queued(provider: FakeProvider) -> None:
    first = _queue()
    second = _queue(body="something else")
    assert first is not None and second is not None
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    stored = Message.objects.get()
    assert stored.address_encrypted and "+6281234567890" not in stored.address_encrypted


def test_send_records_the_provider_id_and_only_one_claim_sends(provider: FakeProvider) -> None:
    message = _queue()
    assert message is not None
    assert messages.send_one(message.pk).sent == 1
    assert messages.send_one(message.pk).sent == 0  # already sent: nothing twice
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.provider_id == "p-1"
    assert provider.sent == [("+6281234567890", message.body, f"satupintu-{message.pk}")]


def test_a_failed_send_is_retried_later_then_marked_failed(
    provider: FakeProvider, monkeypatch: Any
) -> None:
    message = _queue()
    assert message is not None
    provider.answers = [Outcome(ok=False, error="gateway 503")]
    assert messages.send_one(message.pk).retrying == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and message.error == "gateway 503"
    assert message.next_attempt_at is not None and message.next_attempt_at > timezone.now()
    assert messages.send_due() == ""  # not due yet
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    provider.answers = [Outcome(ok=False, error="number unknown", retry=False)]
    assert "1 failed" in messages.send_due()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 2


def test_a_send_lost_with_its_worker_is_taken_again_after_the_lease(
    provider: FakeProvider,
) -> None:
    message = _queue()
    assert message is not None
    assert messages._claim(message.pk) is not None  # a worker claimed it, then was killed
    assert messages.send_due() == ""  # its lease still runs: nobody sends it twice
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert messages.send_due().startswith("1 sent")
    assert len(provider.sent) == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == Message.Status.SENT


def test_opted_out_addresses_get_no_notifications_but_still_their_answers(
    provider: FakeProvider, city: Any
) -> None:
    report, _ = city.file()
    messages.subscribe(report, channel="sms", address="+6281234567890")
    assert messages.set_opted_out("sms", "+6281234567890", out=True) == 1
    assert _queue(report=report) is None
    assert _queue(purpose="opt_out", dedupe_key="in:7", body="Anda berhenti.") is not None
    assert messages.set_opted_out("sms", "+6281234567890", out=False) == 1
    assert _queue(report=report, dedupe_key="event:2:reporter") is not None


def test_a_channel_that_is_off_stores_nothing_and_skips_what_was_queued(
    provider: FakeProvider, monkeypatch: Any
) -> None:
    message = _queue()
    assert message is not None
    monkeypatch.setitem(registry.ENABLED, "sms", "builtins.bool")  # bool() is False
    assert _queue(dedupe_key="event:2") is None
    assert Message.objects.count() == 1
    assert messages.send_one(message.pk).skipped == 1  # switched off after it was queued
    message.refresh_from_db()
    assert message.status == Message.Status.SKIPPED and message.error == "channel off"


def test_notifications_to_one_address_are_capped_per_hour(provider: FakeProvider) -> None:
    for n in range(messages.HOURLY_LIMIT):
        assert _queue(dedupe_key=f"event:{n}") is not None
    assert _queue(dedupe_key="event:over") is None
    assert Message.objects.get(dedupe_key="event:over").status == Message.Status.SKIPPED
    assert _queue(purpose="reply", dedupe_key="in:1") is not None


def test_delivery_reports_move_a_message_forward_only(provider: FakeProvider) -> None:
    message = _queue()
    assert message is not None
    messages.send_one(message.pk)
    assert messages.record_status("sms", "p-1", "read") == 1
    assert messages.record_status("sms", "p-1", "delivered") == 0
    assert messages.record_status("sms", "p-1", "failed", "late") == 0
    assert messages.record_status("sms", "p-1", "bogus") == 0
    message.refresh_from_db()
    assert message.status == Message.Status.READ and message.delivered_at is not None


def test_a_receipt_keeps_no_copy_of_the_reporters_secret_once_sent(provider: FakeProvider) -> None:
    message = _queue(purpose="receipt", body="Nomor AB12C-34567, kode rahasia K9X2-PQ7M")
    assert message is not None
    messages.send_one(message.pk)
    assert provider.sent[0][1] == "Nomor AB12C-34567, kode rahasia K9X2-PQ7M"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert "K9X2-PQ7M" not in message.body and message.body == messages.REDACTED


def test_an_inline_answer_is_sent_by_this_process_once_the_transaction_commits(
    provider: FakeProvider, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _queue(purpose="reply", dedupe_key="in:9:0", inline=True)
        assert message is not None and provider.sent == []  # nothing before the commit
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and len(provider.sent) == 1
