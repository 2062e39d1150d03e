"""The WhatsApp door end to end: signed webhook posts in the Cloud API's documented shape, the
conversation in a task, answers through a local fake of the Graph API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.channels import http, inbound
from satupintu.channels.models import Conversation, InboundMessage
from satupintu.complaints import tracking
from satupintu.complaints.models import Attachment, Report, ReportEvent
from satupintu.core import crypto
from satupintu.notifications import messages
from satupintu.notifications.models import Message, Subscription
from tests.channels import providers as p
from tests.channels.providers import FakeGraph, Scripted
from tests.conftest import postgres_only, race

pytestmark = pytest.mark.django_db

URL = "/channels/whatsapp/webhook"
BUDI = "6281234567890"


@pytest.fixture
def graph(settings: Any) -> Iterator[FakeGraph]:
    with p.running(FakeGraph()) as fake:
        settings.WHATSAPP_VERIFY_TOKEN = p.VERIFY_TOKEN
        settings.WHATSAPP_APP_SECRET = p.APP_SECRET
        settings.WHATSAPP_TOKEN = p.GRAPH_TOKEN
        settings.WHATSAPP_PHONE_NUMBER_ID = p.PHONE_NUMBER_ID
        settings.WHATSAPP_API_BASE = fake.url
        yield fake


def post(client: Client, payload: Any, *, signature: str | None = None, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {} if signature == "" else {"HTTP_X_HUB_SIGNATURE_256": signature or p.sign(body)}
    return client.post(URL, data=body, content_type="application/json", **headers)


def say(client: Client, *items: p.WaMessage) -> list[str]:
    """The resident sends ``items`` (one webhook each); the worker runs; what came back."""
    for item in items:
        assert post(client, p.notification(item)).status_code == 200
        inbound.process_due()
    # (Read before the send: a receipt keeps no copy of its text once sent.)
    queued = dict(Message.objects.filter(status=Message.Status.PENDING).values_list("pk", "body"))
    messages.send_due()
    sent = Message.objects.filter(status=Message.Status.SENT, pk__in=queued).order_by("pk")
    return [queued[pk] for pk in sent.values_list("pk", flat=True)]


# --------------------------------------------------------------------------- webhook


def test_the_subscription_check_answers_the_challenge_only_with_the_verify_token(
    graph: FakeGraph, client: Client
) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": p.VERIFY_TOKEN, "hub.challenge": "1158"}
    answer = client.get(URL, query)
    assert answer.status_code == 200
    assert answer.content == b"1158"
    assert answer["Content-Type"].startswith("text/plain")
    assert client.get(URL, query | {"hub.verify_token": "guess"}).status_code == 403
    assert client.get(URL, query | {"hub.mode": "unsubscribe"}).status_code == 403


def test_a_door_that_is_off_answers_404_and_stores_nothing(client: Client, settings: Any) -> None:
    settings.WHATSAPP_APP_SECRET = ""
    answer = post(client, p.notification(p.text(BUDI, "halo")))
    assert answer.status_code == 404
    assert client.get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert not InboundMessage.objects.exists()


def test_a_bad_or_missing_signature_is_403_and_stores_nothing(
    graph: FakeGraph, client: Client
) -> None:
    payload = p.notification(p.text(BUDI, "LAPOR Jalan berlubang di depan SDN 3 Depok"))
    body = json.dumps(payload).encode()
    assert post(client, payload, signature=p.sign(body, "not-the-secret")).status_code == 403
    assert post(client, payload, signature="").status_code == 403
    assert post(client, payload, signature="sha256=" + "0" * 64).status_code == 403
    tampered = body.replace(b"SDN 3", b"SDN 4")
    assert post(client, None, raw=tampered, signature=p.sign(body)).status_code == 403
    assert not InboundMessage.objects.exists()
    assert not Report.objects.exists()


def test_malformed_json_or_shape_is_400_with_a_reason(graph: FakeGraph, client: Client) -> None:
    answer = post(client, None, raw=b"{not json")
    assert answer.status_code == 400
    assert answer.json()["error"]
    answer = post(client, {"object": "page", "entry": []})
    assert answer.status_code == 400
    assert "whatsapp_business_account" in answer.json()["detail"]
    broken = p.notification(p.text(BUDI, "halo"))
    del broken["entry"][0]["changes"][0]["value"]["messages"][0]["from"]
    answer = post(client, broken)
    assert answer.status_code == 400
    assert "from" in answer.json()["detail"]
    bad_place = p.notification(p.location(BUDI, 123.0, 106.8))
    assert post(client, bad_place).status_code == 400
    assert post(client, [1, 2]).status_code == 400
    # One bad message in a batch: nothing of the batch is stored.
    batch = p.notification(p.text(BUDI, "halo"), p.text(BUDI, "x"))
    batch["entry"][0]["changes"][0]["value"]["messages"][1]["text"] = "not an object"
    assert post(client, batch).status_code == 400
    assert not InboundMessage.objects.exists()


def test_an_oversized_body_is_413_and_stores_nothing(graph: FakeGraph, client: Client) -> None:
    payload = p.notification(p.text(BUDI, "x" * 300_000))
    assert post(client, payload).status_code == 413
    assert not InboundMessage.objects.exists()


def test_the_webhook_only_stores_the_message_and_answers(graph: FakeGraph, client: Client) -> None:
    item = p.text(BUDI, "LAPOR Jalan berlubang di depan SDN 3 Depok")
    assert post(client, p.notification(item)).status_code == 200
    row = InboundMessage.objects.get()
    assert (row.channel, row.provider_id, row.kind, row.status) == (
        "whatsapp",
        item.id,
        "text",
        "pending",
    )
    assert BUDI not in row.address_encrypted and BUDI not in json.dumps(row.payload)
    assert "Budi" not in json.dumps(row.payload)  # the profile name is encrypted too
    assert crypto.decrypt_text(row.address_encrypted) == BUDI
    assert not Report.objects.exists()  # processing is the task's work
    assert not graph.sent


@pytest.mark.django_db(transaction=True)
def test_a_stored_message_is_enqueued_for_processing_after_commit(
    graph: FakeGraph, client: Client
) -> None:
    from django_tasks_db.models import DBTaskResult

    assert post(client, p.notification(p.text(BUDI, "halo"))).status_code == 200
    row = InboundMessage.objects.get()
    task = DBTaskResult.objects.get(task_path="satupintu.channels.inbound.process_inbound")
    assert task.args_kwargs["args"] == [row.pk]
    assert inbound.process_inbound.call(row.pk) == "done"
    assert Message.objects.filter(purpose="reply").count() == 2  # greeting and first question


def test_changes_for_another_number_of_the_account_are_left_alone(
    graph: FakeGraph, client: Client
) -> None:
    payload = p.notification(p.text(BUDI, "halo"), phone_number_id="999")
    assert post(client, payload).status_code == 200
    assert not InboundMessage.objects.exists()


# --------------------------------------------------------------------------- conversation


def test_a_conversation_files_a_report_with_category_location_and_photo(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    photo = p.jpeg((64, 48))
    graph.add_media("media-1", photo)
    answers = say(client, p.text(BUDI, "Halo"))
    assert "Selamat datang" in answers[0]
    assert "1. Pengaduan" in answers[1]
    answers = say(client, p.text(BUDI, "1"))
    assert "Jalan rusak" in answers[0]
    answers = say(client, p.text(BUDI, "jalan"))
    assert answers[0] == "Kategori: Jalan rusak."
    say(client, p.text(BUDI, "Lubang besar di Jl. Margonda Raya dekat halte, sudah dua minggu."))
    answers = say(client, p.location(BUDI, -6.4025, 106.8186, "Halte Margonda", "Jl. Margonda"))
    assert "foto" in answers[0].lower()
    answers = say(client, p.image(BUDI, "media-1", caption="Lubangnya sedalam 20 cm"))
    assert "1/5" in answers[0]
    assert not Report.objects.exists()
    answers = say(client, p.text(BUDI, "KIRIM"))

    report = Report.objects.get()
    number = tracking.format_tracking_number(report.tracking_number)
    assert number in answers[0]  # the receipt, with the secret
    assert (report.channel, report.category, report.report_type) == (
        "whatsapp",
        city.road,
        "pengaduan",
    )
    assert "Margonda Raya" in report.description and "20 cm" in report.description
    assert float(report.latitude) == pytest.approx(-6.4025)
    assert float(report.longitude) == pytest.approx(106.8186)
    assert "Halte Margonda" in report.address
    assert report.external_ref.startswith("wamid.")
    contact = crypto.decrypt_json(report.contact_encrypted)
    assert contact["phone"] == f"+{BUDI}" and contact["name"] == "Budi Santoso"
    attachment = Attachment.objects.get(report=report)
    assert attachment.content_type == "image/jpeg" and attachment.by_reporter
    assert graph.media_downloads == ["media-1"]
    # The receipt went out through the Graph API as free text, with our idempotency key.
    receipt = Message.objects.get(purpose="receipt")
    assert receipt.status == Message.Status.SENT and receipt.provider_id.startswith("wamid.OUT")
    last = graph.sent[-1]
    assert last["to"] == BUDI and last["type"] == "text" and number in last["text"]["body"]
    assert last["biz_opaque_callback_data"] == f"satupintu-{receipt.pk}"
    # Only the messages about the report are linked to it (the desk lists them).
    assert receipt.report == report
    assert Message.objects.get(body__startswith="Halo").report is None
    # The reporter hears of the report's steps through WhatsApp from now on.
    subscription = Subscription.objects.get(report=report)
    assert subscription.channel == "whatsapp"
    assert messages.address_of(subscription) == BUDI
    assert Conversation.objects.get().report == report

    # A later message joins the report's timeline as the reporter's reply.
    answers = say(client, p.text(BUDI, "Sekarang lubangnya makin lebar dan ada motor jatuh."))
    assert number in answers[0]
    reply = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.REPORTER_REPLY)
    assert "motor jatuh" in reply.body

    # STATUS <number> answers the report's public state.
    answers = say(client, p.text(BUDI, f"status {report.tracking_number.lower()}"))
    assert answers == [f"Status laporan {number}: diterima."]
    assert Report.objects.count() == 1


def test_a_retried_webhook_files_once(graph: FakeGraph, client: Client, city: Any) -> None:
    item = p.text(BUDI, "LAPOR Lampu jalan mati di Jl. Kenanga sejak seminggu")
    payload = p.notification(item)
    assert post(client, payload).status_code == 200
    assert post(client, payload).status_code == 200  # Meta retries when we are slow
    inbound.process_due()
    assert post(client, payload).status_code == 200  # ...even after we processed it
    inbound.process_due()
    messages.send_due()
    assert InboundMessage.objects.count() == 1
    assert Report.objects.count() == 1
    assert len(graph.texts_to(BUDI)) == 1


def test_a_sticker_gets_a_polite_answer_and_files_nothing(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    answers = say(client, p.sticker(BUDI))
    assert answers == [
        "Maaf, jenis pesan ini (stiker, pesan suara, dll.) belum bisa kami baca. "
        "Mohon kirim dalam bentuk teks."
    ]
    assert InboundMessage.objects.get().kind == "unsupported"
    assert not Report.objects.exists()


def test_a_reaction_is_not_answered(graph: FakeGraph, client: Client) -> None:
    reaction = p.WaMessage(BUDI, "reaction", {"message_id": "wamid.OUT1", "emoji": "👍"})
    assert post(client, p.notification(reaction)).status_code == 200
    assert not InboundMessage.objects.exists()


def test_a_photo_too_big_or_not_a_photo_is_not_kept_but_the_report_is_filed(
    graph: FakeGraph, client: Client, city: Any, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 50_000
    graph.add_media("big-claimed", p.jpeg(), claimed_size=80_000)
    graph.add_media("big-really", b"\xff\xd8\xff" + b"0" * 60_000, claimed_size=1_000)
    graph.add_media("webp", b"RIFF0000WEBPVP8 ", mime_type="image/webp")
    graph.add_media("good", p.jpeg())
    say(client, p.text(BUDI, "halo"), p.text(BUDI, "1"), p.text(BUDI, "jalan"))
    say(client, p.text(BUDI, "Trotoar ambles di depan pasar, berbahaya untuk pejalan kaki."))
    say(client, p.text(BUDI, "Pasar Kemiri Muka"))
    for media_id in ("big-claimed", "big-really", "webp", "good", "missing"):
        say(client, p.image(BUDI, media_id))
    answers = say(client, p.text(BUDI, "kirim"))
    report = Report.objects.get()
    assert tracking.format_tracking_number(report.tracking_number) in answers[0]
    assert Attachment.objects.filter(report=report).count() == 1
    note = answers[1]
    assert note.startswith("Laporan tetap kami terima, tetapi lampiran berikut tidak dapat")
    assert "lampiran 1: ukuran berkas melebihi batas" in note
    assert "lampiran 2: ukuran berkas melebihi batas" in note
    assert "hanya berkas JPEG, PNG, atau PDF" in note
    assert "lampiran 5: tidak dapat diunduh dari WhatsApp" in note
    assert InboundMessage.objects.filter(report=report).get().error


def test_lapor_in_a_photo_caption_files_at_once_with_the_photo(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    graph.add_media("media-9", p.jpeg())
    answers = say(client, p.image(BUDI, "media-9", caption="LAPOR Sampah dibuang di sungai"))
    report = Report.objects.get()
    assert tracking.format_tracking_number(report.tracking_number) in answers[0]
    assert report.category is None  # the verifier chooses it
    assert Attachment.objects.filter(report=report).count() == 1


def test_a_document_sent_later_joins_the_report(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    say(client, p.text(BUDI, "LAPOR Izin bangunan tidak diproses sejak dua bulan"))
    report = Report.objects.get()
    graph.add_media("doc-1", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", mime_type="application/pdf")
    letter = p.WaMessage(
        BUDI,
        "document",
        {"id": "doc-1", "filename": "surat.pdf", "mime_type": "application/pdf"},
    )
    answers = say(client, letter)
    number = tracking.format_tracking_number(report.tracking_number)
    assert answers == [f"Terima kasih, tambahan Anda sudah masuk ke laporan {number}."]
    attachment = Attachment.objects.get(report=report)
    assert attachment.content_type == "application/pdf" and attachment.by_reporter


def test_a_senders_messages_are_handled_in_the_order_they_came(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    first, second = p.text(BUDI, "halo"), p.text(BUDI, "2")
    assert post(client, p.notification(first, second)).status_code == 200
    later = InboundMessage.objects.get(provider_id=second.id)
    inbound.process(later.pk)  # its task ran first: the older one is handled before it
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"done"}
    chat = Conversation.objects.get()
    assert chat.state["step"] == "category"
    assert chat.state.get("report_type") == "aspirasi"


def test_a_crash_half_way_leaves_nothing_and_the_message_is_done_again_whole(
    graph: FakeGraph, client: Client, city: Any, monkeypatch: Any
) -> None:
    item = p.text(BUDI, "LAPOR Sampah menumpuk di Jl. Nusantara sejak tiga hari")
    assert post(client, p.notification(item)).status_code == 200

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(messages, "queue", broken)
    inbound.process_due()
    row = InboundMessage.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "database went away" in row.error
    assert not Report.objects.exists() and not Subscription.objects.exists()
    assert inbound.process_due() == ""  # it waits for its retry
    monkeypatch.undo()
    InboundMessage.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    inbound.process_due()
    messages.send_due()
    assert Report.objects.count() == 1
    assert InboundMessage.objects.get().status == "done"
    assert len(graph.texts_to(BUDI)) == 1


def test_a_message_held_by_a_live_lease_is_left_to_its_worker(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    assert post(client, p.notification(p.text(BUDI, "halo"))).status_code == 200
    InboundMessage.objects.update(lease_until=timezone.now() + dt.timedelta(seconds=60))
    assert inbound.process_due() == ""
    InboundMessage.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert inbound.process_due() == "1 inbound handled"  # the task was lost: taken again


def test_a_message_that_keeps_failing_is_marked_failed_and_the_sender_told(
    graph: FakeGraph, client: Client, city: Any, monkeypatch: Any
) -> None:
    assert post(client, p.notification(p.text(BUDI, "halo"))).status_code == 200
    monkeypatch.setattr(inbound.talk, "advance", lambda *a: 1 / 0)
    for _attempt in range(inbound.MAX_ATTEMPTS):
        InboundMessage.objects.update(lease_until=None)
        inbound.process_due()
    row = InboundMessage.objects.get()
    assert row.status == "failed" and "ZeroDivisionError" in row.error
    messages.send_due()
    assert graph.texts_to(BUDI) == [
        "Maaf, pesan Anda tidak dapat kami proses karena gangguan sistem. "
        "Silakan kirim ulang beberapa saat lagi."
    ]


# --------------------------------------------------------------------------- delivery reports


def test_status_callbacks_move_the_message_forward(graph: FakeGraph, client: Client) -> None:
    say(client, p.sticker(BUDI))
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    wamid_out = message.provider_id
    for state in ("sent", "delivered", "read", "delivered"):
        payload = p.notification(statuses=[p.status(wamid_out, state)])
        assert post(client, payload).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.READ  # never moved back
    assert message.delivered_at is not None


def test_a_failed_status_records_the_providers_error(graph: FakeGraph, client: Client) -> None:
    say(client, p.sticker(BUDI))
    message = Message.objects.get()
    error = {
        "code": 131026,
        "title": "Message undeliverable",
        "error_data": {"details": "Receiver is incapable of receiving this message"},
    }
    payload = p.notification(statuses=[p.status(message.provider_id, "failed", errors=[error])])
    assert post(client, payload).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.error == "131026 Receiver is incapable of receiving this message"


# --------------------------------------------------------------------------- sending


def _notification(**kwargs: Any) -> Message:
    fields: dict[str, Any] = {
        "channel": "whatsapp",
        "address": BUDI,
        "purpose": "dispatched",
        "body": "Laporan Anda diteruskan ke Dinas PUPR.",
        "dedupe_key": "event:1:reporter",
    }
    message = messages.queue(**(fields | kwargs))
    assert message is not None
    return message


def _window(opened: dt.datetime) -> None:
    Conversation.objects.create(
        channel="whatsapp",
        address_encrypted=crypto.encrypt_text(BUDI),
        address_index=crypto.blind_index(BUDI),
        last_inbound_at=opened,
        updated_at=opened,
    )


def test_outside_the_24_hour_window_the_approved_template_is_sent(graph: FakeGraph) -> None:
    _window(timezone.now() - dt.timedelta(hours=25))
    template = {"name": "laporan_diteruskan", "language": "id", "parameters": ["ABCDE-12345"]}
    message = _notification(template=template)
    assert messages.send_one(message.pk).sent == 1
    assert graph.sent[-1]["type"] == "template"
    assert graph.sent[-1]["template"] == {
        "name": "laporan_diteruskan",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "ABCDE-12345"}]}],
    }


def test_inside_the_window_free_text_is_sent_even_with_a_template(graph: FakeGraph) -> None:
    _window(timezone.now() - dt.timedelta(hours=23))
    message = _notification(template={"name": "laporan_diteruskan", "language": "id"})
    assert messages.send_one(message.pk).sent == 1
    assert graph.sent[-1]["text"] == {"body": "Laporan Anda diteruskan ke Dinas PUPR."}


def test_outside_the_window_without_a_template_the_message_fails_at_once(
    graph: FakeGraph,
) -> None:
    message = _notification()  # this person never wrote to us
    assert messages.send_one(message.pk).failed == 1
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "24-hour" in message.error
    assert not graph.sent


def test_throttled_or_failing_graph_api_is_retried_a_refusal_is_not(graph: FakeGraph) -> None:
    _window(timezone.now())
    graph.script = [
        Scripted(429, {"error": {"code": 130429, "message": "Rate limit hit"}}),
        Scripted(503, {"error": {"code": 2, "message": "Service temporarily unavailable"}}),
    ]
    message = _notification()
    assert messages.send_one(message.pk).retrying == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and "130429" in message.error
    Message.objects.update(next_attempt_at=None)
    assert messages.send_one(message.pk).retrying == 1
    Message.objects.update(next_attempt_at=None)
    assert messages.send_one(message.pk).sent == 1

    graph.script = [Scripted(400, {"error": {"code": 131030, "message": "Not in allowed list"}})]
    refused = _notification(dedupe_key="event:2:reporter")
    assert messages.send_one(refused.pk).failed == 1
    refused.refresh_from_db()
    assert refused.error == "HTTP 400: 131030 Not in allowed list"


def test_a_graph_api_that_does_not_answer_in_time_is_retried(
    graph: FakeGraph, monkeypatch: Any
) -> None:
    _window(timezone.now())
    monkeypatch.setattr(http, "TIMEOUT", 0.2)
    graph.script = [Scripted(200, {"messages": [{"id": "late"}]}, delay=1.0)]
    message = _notification()
    assert messages.send_one(message.pk).retrying == 1
    message.refresh_from_db()
    assert message.error == "timeout"


def test_a_wrong_access_token_is_not_retried(graph: FakeGraph, settings: Any) -> None:
    _window(timezone.now())
    settings.WHATSAPP_TOKEN = "expired"
    message = _notification()
    assert messages.send_one(message.pk).failed == 1
    message.refresh_from_db()
    assert "190" in message.error


# --------------------------------------------------------------------------- several workers


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_message_file_one_report(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    item = p.text(BUDI, "LAPOR Drainase mampet di Jl. Raya Sawangan dekat pasar")
    assert post(client, p.notification(item)).status_code == 200
    row = InboundMessage.objects.get()
    results = race(lambda: inbound.process(row.pk), lambda: inbound.process(row.pk))
    assert sorted(results) == ["", "done"]
    assert Report.objects.count() == 1
    assert Message.objects.filter(purpose="receipt").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_senders_messages_on_two_workers_are_still_read_in_order(
    graph: FakeGraph, client: Client, city: Any
) -> None:
    first, second = p.text(BUDI, "halo"), p.text(BUDI, "2")
    assert post(client, p.notification(first, second)).status_code == 200
    rows = list(InboundMessage.objects.order_by("pk").values_list("pk", flat=True))
    race(lambda: inbound.process(rows[1]), lambda: inbound.process(rows[0]))
    InboundMessage.objects.update(lease_until=None)  # a deferred one: the job's next turn
    inbound.process_due()
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"done"}
    assert Conversation.objects.count() == 1
    state = Conversation.objects.get().state
    assert (state["step"], state.get("report_type")) == ("category", "aspirasi")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_webhook_posted_twice_at_once_stores_one_message(graph: FakeGraph, city: Any) -> None:
    payload = p.notification(p.text(BUDI, "LAPOR Jalan berlubang di depan SDN 3 Depok"))
    results = race(*(lambda: post(Client(), payload).status_code for _ in range(2)))
    assert results == [200, 200]
    assert InboundMessage.objects.count() == 1
