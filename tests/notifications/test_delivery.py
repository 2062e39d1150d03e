"""Fan-out and delivery against a real receiver on loopback: signatures, retries, replays."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import socket
import time
from typing import Any

import pytest
from django.utils import timezone

from satupintu.complaints import services as complaints
from satupintu.core.models import AuditEntry
from satupintu.notifications import delivery, services, signing
from satupintu.notifications.models import (
    DeliveryAttempt,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.conftest import City
from tests.notifications.conftest import (
    Answer,
    Receiver,
    deliver_all,
    docs_verifier,
    make_endpoint,
    running_receiver,
)


def make_due() -> None:
    """As if the retry wait had passed."""
    WebhookDelivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_signed_delivery_verified_by_the_documented_receiver(
    city: City, receiver: Receiver
) -> None:
    endpoint, secret = make_endpoint(receiver.url, "created")
    report, _ = city.file()
    run = deliver_all()
    assert (run.succeeded, run.retrying, run.failed) == (1, 0, 0)
    [got] = receiver.requests
    verify = docs_verifier()
    signature = got.headers["x-satupintu-signature"]
    assert verify(secret, signature, got.body)
    assert not verify("whsec_wrong", signature, got.body)
    assert not verify(secret, signature, got.body.replace(b"created", b"closed"))
    assert not verify(secret, signature, got.body, now=time.time() + 600)  # too old
    assert got.headers["content-type"] == "application/json"
    assert got.headers["x-satupintu-event"] == "created"
    stored = WebhookDelivery.objects.get()
    assert got.headers["x-satupintu-delivery"] == str(stored.pk)
    assert got.json()["report"]["tracking_number"] == report.tracking_number
    assert (stored.status, stored.attempts, stored.response_status) == ("succeeded", 1, 200)
    attempt = DeliveryAttempt.objects.get()
    assert attempt.response_body == '{"ok": true}' and attempt.error == ""
    # Nothing more to do: the event was fanned out once and delivered once.
    assert deliver_all().attempted == 0
    assert len(receiver.requests) == 1


def test_failures_are_retried_with_backoff_then_delivered(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    receiver.answer(Answer(503, b"maintenance"), Answer(500, b"oops"))
    first = deliver_all()
    assert (first.succeeded, first.retrying) == (0, 1)
    stored = WebhookDelivery.objects.get()
    assert (stored.status, stored.attempts, stored.error) == ("pending", 1, "HTTP 503")
    assert stored.next_attempt_at and stored.last_attempt_at
    wait = (stored.next_attempt_at - stored.last_attempt_at).total_seconds()
    assert 5 <= wait <= 10.5  # base 10 s with equal jitter: between 5 and 10 s
    # Not due yet: nothing is sent.
    assert delivery.deliver_due().attempted == 0

    make_due()
    delivery.deliver_due()
    stored.refresh_from_db()
    wait = (stored.next_attempt_at - stored.last_attempt_at).total_seconds()
    assert 10 <= wait <= 20.5  # doubled
    make_due()
    last = delivery.deliver_due()
    assert last.succeeded == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.response_status) == ("succeeded", 3, 200)
    attempts = list(stored.attempt_log.values_list("number", "response_status", "response_body"))
    assert attempts == [(1, 503, "maintenance"), (2, 500, "oops"), (3, 200, '{"ok": true}')]
    assert len({r.headers["x-satupintu-delivery"] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1


def test_gives_up_after_the_maximum_attempts(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    receiver.default = Answer(404, b"no such hook")
    deliver_all()
    for _ in range(5):
        make_due()
        delivery.deliver_due()
    stored = WebhookDelivery.objects.get()
    assert (stored.status, stored.attempts, stored.next_attempt_at) == ("failed", 3, None)
    assert len(receiver.requests) == 3  # WEBHOOK_MAX_ATTEMPTS in these tests
    assert stored.error == "HTTP 404"


def test_timeout_and_connection_errors_are_failed_attempts(city: City, receiver: Receiver) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    make_endpoint(receiver.url, "created", name="slow")
    make_endpoint(f"http://127.0.0.1:{closed_port}/hook", "created", name="gone")
    receiver.answer(Answer(200, delay=2.5))  # longer than the 1 s timeout
    city.file()
    started = time.monotonic()
    run = deliver_all()
    assert time.monotonic() - started < 2.4  # the timeout cut the slow one short
    assert run.retrying == 2
    errors = dict(WebhookDelivery.objects.values_list("endpoint__name", "error"))
    assert errors["slow"] == "timed out (1 s)"
    assert errors["gone"].startswith("connection failed")
    attempt = DeliveryAttempt.objects.get(delivery__endpoint__name="slow")
    assert attempt.response_status is None and attempt.duration_ms >= 900


def test_redirects_are_never_followed(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    with running_receiver() as elsewhere:
        receiver.answer(Answer(307, b"", headers={"Location": elsewhere.url}))
        city.file()
        deliver_all()
        assert elsewhere.requests == []
    stored = WebhookDelivery.objects.get()
    assert stored.status == "pending" and stored.response_status == 307
    assert stored.error.startswith(f"redirect to {elsewhere.url} not followed")


def test_replay_sends_the_same_event_as_a_new_delivery(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    deliver_all()
    original = WebhookDelivery.objects.get()
    replay = services.delivery_replay(actor="test", delivery_id=original.pk)
    assert (replay.replay_of_id, replay.event_id) == (original.pk, original.event_id)
    assert delivery.deliver_due().succeeded == 1
    first, again = receiver.requests
    assert first.body == again.body  # same event id and content
    assert first.headers["x-satupintu-delivery"] != again.headers["x-satupintu-delivery"]
    assert docs_verifier()(
        delivery.endpoint_secret(original.endpoint),
        again.headers["x-satupintu-signature"],
        again.body,
    )


def test_replay_since_a_date_and_refusals(city: City, receiver: Receiver) -> None:
    endpoint, _ = make_endpoint(receiver.url, "created", "dispatched")
    city.dispatched()
    deliver_all()
    assert len(receiver.requests) == 2
    replays = services.endpoint_replay_since(
        actor="test", name="kota-app", since=timezone.now() - dt.timedelta(days=1)
    )
    assert len(replays) == 2
    assert (
        services.endpoint_replay_since(
            actor="test", name="kota-app", since=timezone.now() + dt.timedelta(days=1)
        )
        == []
    )
    delivery.deliver_due()
    assert len(receiver.requests) == 4
    services.endpoint_set_active(actor="test", name="kota-app", active=False)
    with pytest.raises(services.InvalidInput, match="nonaktif"):
        services.delivery_replay(actor="test", delivery_id=replays[0].pk)
    with pytest.raises(services.NotFound):
        services.delivery_replay(actor="test", delivery_id=999_999)


def test_agency_filter_includes_sub_units_and_forwards_away(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "dispatched", "forwarded", name="dinkes", agency="dinkes")
    make_endpoint(receiver.url, "dispatched", "forwarded", name="dpupr", agency="dpupr")
    make_endpoint(receiver.url, "created", name="all")
    to_unit, _ = city.file()
    complaints.report_dispatch(actor=city.verifier, report_id=to_unit.pk, agency="pkm-pancoran-mas")
    road = city.dispatched()  # dpupr
    complaints.report_forward(
        actor=city.officer_a, report_id=road.pk, to_agency="dinkes", reason="Urusan kesehatan."
    )
    delivery.fan_out()
    got = sorted(
        WebhookDelivery.objects.values_list("endpoint__name", "event__event_type", "event__report")
    )
    assert got == [
        ("all", "created", to_unit.pk),
        ("all", "created", road.pk),
        ("dinkes", "dispatched", to_unit.pk),  # the puskesmas is a unit under Dinkes
        ("dinkes", "forwarded", road.pk),  # now held by Dinkes
        ("dpupr", "dispatched", road.pk),
        ("dpupr", "forwarded", road.pk),  # it left DPUPR
    ]


def test_disabled_endpoints_get_nothing_new_and_wait(city: City, receiver: Receiver) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    delivery.fan_out()
    services.endpoint_set_active(actor="test", name="kota-app", active=False)
    city.file()
    assert delivery.fan_out().deliveries == 0
    assert delivery.deliver_due().attempted == 0  # the pending one waits
    services.endpoint_set_active(actor="test", name="kota-app", active=True)
    assert delivery.deliver_due().succeeded == 1
    assert OutboxEvent.objects.filter(processed_at__isnull=True).count() == 0


def test_a_lost_lease_does_not_overwrite_the_newer_attempt(
    city: City, receiver: Receiver, settings: Any
) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    delivery.fan_out()
    now = timezone.now()
    [job] = delivery._claim(10, now)
    # The worker stalled past its lease; another took the delivery and succeeded.
    make_due()
    assert delivery.deliver_due().succeeded == 1
    late = delivery.Outcome(ok=False, duration_ms=5, status=500, error="HTTP 500")
    delivery._record(job, late, now)
    stored = WebhookDelivery.objects.get()
    assert (stored.status, stored.attempts) == ("succeeded", 2)
    assert stored.attempt_log.count() == 2  # both attempts are on record


def test_texts_are_withheld_once_the_report_is_made_confidential(
    city: City, receiver: Receiver
) -> None:
    make_endpoint(receiver.url, "created", "dispatched")
    report, _ = city.file()  # public when received ...
    complaints.report_dispatch(  # ... marked rahasia by the verifier before anything was sent
        actor=city.verifier, report_id=report.pk, is_confidential=True
    )
    deliver_all()
    sent = [r.json() for r in receiver.requests]
    assert sorted(b["type"] for b in sent) == ["created", "dispatched"]
    for body in sent:
        assert body["report"]["confidential"] is True
        assert "title" not in body["report"] and "description" not in body["report"]
    assert b"Lubang besar" not in b"".join(r.body for r in receiver.requests)


def test_a_secret_that_cannot_be_decrypted_fails_the_attempt_without_sending(
    city: City, receiver: Receiver, settings: Any
) -> None:
    make_endpoint(receiver.url, "created")
    city.file()
    settings.FIELD_KEYS = ["a-key-the-secret-was-not-encrypted-with"]
    run = deliver_all()
    assert run.retrying == 1 and receiver.requests == []
    assert "cannot be decrypted" in WebhookDelivery.objects.get().error


def test_purge_forgets_old_finished_deliveries_and_their_events(
    city: City, receiver: Receiver
) -> None:
    make_endpoint(receiver.url, "created")
    old, _ = city.file()
    kept, _ = city.file()
    waiting, _ = city.file()
    assert deliver_all().succeeded == 3
    # As if the receiver had failed `waiting`'s delivery: it still owes a retry.
    WebhookDelivery.objects.filter(event__report=waiting).update(status="pending")
    long_ago = timezone.now() - dt.timedelta(days=91)  # the default retention is 90 days
    for report in (old, waiting):  # a pending delivery is kept whatever its age
        OutboxEvent.objects.filter(report=report).update(processed_at=long_ago)
        WebhookDelivery.objects.filter(event__report=report).update(created_at=long_ago)
    before = {d.event.report_id: d.status for d in WebhookDelivery.objects.select_related("event")}
    assert before == {old.pk: "succeeded", kept.pk: "succeeded", waiting.pk: "pending"}

    # An event the messages to people have not been made from yet is kept, however old.
    OutboxEvent.objects.update(notified_at=None)
    purged = delivery.purge()
    assert (purged.deliveries, purged.events) == (1, 0)
    assert OutboxEvent.objects.filter(report=old).exists()
    OutboxEvent.objects.update(notified_at=long_ago)
    # Nor one the operations room's rollups have not taken in yet (dashboard/upkeep.py).
    OutboxEvent.objects.update(rolled_up_at=None)
    assert delivery.purge().events == 0
    OutboxEvent.objects.update(rolled_up_at=long_ago)
    purged = delivery.purge()
    assert (purged.deliveries, purged.events) == (0, 1)
    assert set(OutboxEvent.objects.values_list("report_id", flat=True)) == {kept.pk, waiting.pk}
    assert set(WebhookDelivery.objects.values_list("event__report_id", flat=True)) == {
        kept.pk,
        waiting.pk,
    }
    assert not DeliveryAttempt.objects.filter(delivery__event__report=old).exists()
    assert DeliveryAttempt.objects.filter(delivery__event__report=kept).count() == 1
    # Nothing more is old enough.
    assert delivery.purge() == delivery.Purged(0, 0, 0)


# --------------------------------------------------------------------------- secret rotation


def signatures(received: Any) -> list[str]:
    header = received.headers["x-satupintu-signature"]
    assert re.fullmatch(r"t=\d+(,v1=[0-9a-f]{64})+", header), header
    return header.split(",v1=")[1:]


def test_during_the_overlap_deliveries_verify_with_the_old_and_the_new_secret(
    city: City, receiver: Receiver, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    endpoint, old = make_endpoint(receiver.url, "created")
    city.file()
    deliver_all()
    assert len(signatures(receiver.requests[0])) == 1  # before any rotation: one signature

    endpoint, new = services.endpoint_rotate_secret(actor="test", name="kota-app")
    assert new != old and new.startswith("whsec_")
    assert endpoint.previous_secret_expires_at == timezone.now() + dt.timedelta(hours=24)
    verify = docs_verifier()
    city.file()
    original = WebhookDelivery.objects.order_by("pk").first()
    assert original is not None
    services.delivery_replay(actor="test", delivery_id=original.pk)  # sent before the rotation
    assert deliver_all().succeeded == 2
    for got in receiver.requests[1:]:
        header = got.headers["x-satupintu-signature"]
        timestamp = int(header.split(",")[0].removeprefix("t="))
        # The new secret's signature first, then the previous one's.
        assert signatures(got) == [
            signing.signature(new, timestamp, got.body),
            signing.signature(old, timestamp, got.body),
        ]
        assert verify(new, header, got.body) and verify(old, header, got.body)
        assert not verify("whsec_wrong", header, got.body)

    # One second before the end of the overlap, still both; from its end, only the new one.
    time_machine.move_to(endpoint.previous_secret_expires_at - dt.timedelta(seconds=1), tick=False)
    services.delivery_replay(actor="test", delivery_id=original.pk)
    delivery.deliver_due()
    assert len(signatures(receiver.requests[-1])) == 2
    time_machine.move_to(endpoint.previous_secret_expires_at, tick=False)
    services.delivery_replay(actor="test", delivery_id=original.pk)
    city.file()
    assert deliver_all().succeeded == 2
    for got in receiver.requests[-2:]:
        header = got.headers["x-satupintu-signature"]
        assert len(signatures(got)) == 1
        assert verify(new, header, got.body)
        assert not verify(old, header, got.body)


def test_after_the_expiry_stored_in_the_database_only_the_new_secret_signs(
    city: City, receiver: Receiver
) -> None:
    make_endpoint(receiver.url, "created")
    _, old = services.endpoint_rotate_secret(actor="test", name="kota-app", overlap_hours=1)
    _, new = services.endpoint_rotate_secret(actor="test", name="kota-app", overlap_hours=48)
    city.file()
    deliver_all()
    # Rotating again during an overlap: the secret current until then became the previous
    # one; the one before it no longer signs.
    [got] = receiver.requests
    header = got.headers["x-satupintu-signature"]
    verify = docs_verifier()
    assert len(signatures(got)) == 2
    assert verify(new, header, got.body) and verify(old, header, got.body)

    WebhookEndpoint.objects.update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    # The hourly purge wipes the rotated-out secret: nothing can sign with it any more.
    assert delivery.purge().secrets == 1
    wiped = WebhookEndpoint.objects.get()
    assert wiped.previous_secret_encrypted == "" and wiped.previous_secret_expires_at
    assert delivery.purge().secrets == 0
    receiver.answer(Answer(500, b"down"))  # a retry after the expiry, too
    city.file()
    deliver_all()
    make_due()
    delivery.deliver_due()
    assert len(receiver.requests) == 3
    for got in receiver.requests[1:]:
        header = got.headers["x-satupintu-signature"]
        assert len(signatures(got)) == 1
        assert verify(new, header, got.body) and not verify(old, header, got.body)


def test_overlap_zero_stops_the_previous_secret_at_once(city: City, receiver: Receiver) -> None:
    _, first = make_endpoint(receiver.url, "created")
    services.endpoint_rotate_secret(actor="test", name="kota-app")
    endpoint, new = services.endpoint_rotate_secret(actor="test", name="kota-app", overlap_hours=0)
    assert endpoint.previous_secret_encrypted == ""
    assert endpoint.previous_secret_expires_at is None
    city.file()
    deliver_all()
    [got] = receiver.requests
    header = got.headers["x-satupintu-signature"]
    assert len(signatures(got)) == 1
    assert docs_verifier()(new, header, got.body)
    assert not docs_verifier()(first, header, got.body)


def test_the_overlap_is_decided_at_the_signed_time(city: City, receiver: Receiver) -> None:
    """A delivery claimed just before the overlap ends and sent after it carries one v1."""
    make_endpoint(receiver.url, "created")
    endpoint, new = services.endpoint_rotate_secret(actor="test", name="kota-app")
    city.file()
    delivery.fan_out()
    [job] = delivery._claim(10, timezone.now())
    assert job.previous_secret and job.previous_until
    ended = dataclasses.replace(job, previous_until=time.time() - 1)
    send = delivery.sender()
    assert send.send(job).ok and send.send(ended).ok
    during, after = receiver.requests
    assert len(signatures(during)) == 2 and len(signatures(after)) == 1
    assert docs_verifier()(new, after.headers["x-satupintu-signature"], after.body)


def test_rotation_refusals_change_nothing(city: City, receiver: Receiver) -> None:
    endpoint, _ = make_endpoint(receiver.url, "created")
    entries = AuditEntry.objects.count()
    for hours in (-1, 169, 10_000):
        with pytest.raises(services.InvalidInput, match="0 sampai 168"):
            services.endpoint_rotate_secret(actor="test", name="kota-app", overlap_hours=hours)
    with pytest.raises(services.NotFound):
        services.endpoint_rotate_secret(actor="test", name="ghost")
    stored = WebhookEndpoint.objects.get()
    assert stored.secret_encrypted == endpoint.secret_encrypted
    assert (stored.previous_secret_encrypted, stored.secret_rotated_at) == ("", None)
    assert AuditEntry.objects.count() == entries
