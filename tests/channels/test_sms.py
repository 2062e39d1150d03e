"""The SMS door end to end: the gateway's inbound posts, the conversation in a task, answers
through a local fake gateway that delivers one SMS per id (so a test sees each reach the
phone once)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from satupintu.channels import inbound, sms
from satupintu.channels.models import InboundMessage
from satupintu.complaints import services, tracking
from satupintu.complaints.models import Report
from satupintu.core import crypto
from satupintu.notifications import messages
from satupintu.notifications.models import Message, Subscription
from tests.channels import providers as p
from tests.channels.providers import FakeSmsGateway, Scripted

pytestmark = pytest.mark.django_db

INBOUND = "/channels/sms/inbound"
STATUS = "/channels/sms/status"
SITI = "+6281298765432"

_ids = iter(range(1, 10**9))


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    with p.running(FakeSmsGateway()) as fake:
        settings.SMS_INBOUND_TOKEN = p.SMS_INBOUND_TOKEN
        settings.SMS_SEND_URL = fake.send_url
        settings.SMS_SEND_TOKEN = p.SMS_SEND_TOKEN
        yield fake


def post(client: Client, path: str, payload: Any, *, token: str | None = p.SMS_INBOUND_TOKEN):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"HTTP_X_SATUPINTU_TOKEN": token} if token is not None else {}
    return client.post(path, data=body, content_type="application/json", **headers)


def sms_in(client: Client, text: str, sender: str = SITI, sms_id: str | None = None) -> list[str]:
    """Siti sends an SMS; the worker runs; the texts that reached her phone meanwhile."""
    answer = post(
        client, INBOUND, {"from": sender, "text": text, "id": sms_id or f"in-{next(_ids)}"}
    )
    assert answer.status_code == 200, answer.content
    inbound.process_due()
    # (Read before the send: a receipt keeps no copy of its text once sent.)
    queued = dict(Message.objects.filter(status=Message.Status.PENDING).values_list("pk", "body"))
    messages.send_due()
    sent = Message.objects.filter(status=Message.Status.SENT, pk__in=queued).order_by("pk")
    return [queued[pk] for pk in sent.values_list("pk", flat=True)]


def test_lapor_files_at_once_and_the_reply_carries_the_tracking_number(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    answers = sms_in(client, "LAPOR Lampu jalan mati di Jl. Kenanga RT 03 sejak seminggu")
    report = Report.objects.get()
    number = tracking.format_tracking_number(report.tracking_number)
    assert len(answers) == 1 and number in answers[0]
    assert (report.channel, report.category, report.report_type) == ("sms", None, "pengaduan")
    assert "Jl. Kenanga" in report.description
    assert crypto.decrypt_json(report.contact_encrypted)["phone"] == SITI
    assert report.external_ref.startswith("in-")
    # It reached her phone once, as SMS-sized parts joined back into the receipt.
    assert "".join(gateway.texts_to(SITI)) == answers[0]
    assert all(len(text) <= 160 for text in gateway.texts_to(SITI))
    assert Subscription.objects.get(report=report).channel == "sms"


def test_lapor_anonim_files_a_report_whose_identity_agencies_never_see(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    answers = sms_in(client, "LAPOR ANONIM Ada pungli di loket kelurahan setiap pagi")
    report = Report.objects.get()
    assert report.is_anonymous and not report.is_confidential
    assert report.description == "Ada pungli di loket kelurahan setiap pagi"
    assert tracking.format_tracking_number(report.tracking_number) in answers[0]


def test_status_answers_the_public_state_of_a_report(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    report = city.dispatched()
    number = tracking.format_tracking_number(report.tracking_number)
    answers = sms_in(client, f"STATUS {report.tracking_number}")
    assert answers == [f"Status laporan {number}: terdisposisi."]
    answers = sms_in(client, "status ZZZZZ-99999")
    assert answers[0].startswith("Laporan ZZZZZ-99999 tidak ditemukan")


def test_status_never_tells_of_a_confidential_report_of_someone_else(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    report, _ = city.file(is_confidential=True)
    answers = sms_in(client, f"STATUS {report.tracking_number}")
    assert "tidak ditemukan" in answers[0]
    assert report.title not in answers[0]


def test_the_reporters_own_confidential_report_answers_its_status(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    sms_in(client, "LAPOR Pungutan liar di loket kelurahan setiap pagi hari")
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(is_confidential=True)
    answers = sms_in(client, f"STATUS {report.tracking_number}")
    number = tracking.format_tracking_number(report.tracking_number)
    assert answers == [f"Status laporan {number}: diterima."]


def test_stop_and_berhenti_opt_out_and_mulai_opts_back_in(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    sms_in(client, "LAPOR Saluran air tersumbat di Gang Mawar sejak hujan kemarin")
    report = Report.objects.get()
    answers = sms_in(client, "STOP")
    assert "tidak akan menerima notifikasi" in answers[0]
    assert Subscription.objects.get(report=report).opted_out_at is not None
    services.report_dispatch(actor=city.verifier, report_id=report.pk, category=city.road)
    notification = messages.queue(
        channel="sms",
        address=SITI,
        purpose="dispatched",
        body="Laporan Anda diteruskan.",
        dedupe_key="event:x:reporter",
        report=report,
    )
    assert notification is None  # opted out: no notifications
    answers = sms_in(client, "MULAI")
    assert "diaktifkan kembali" in answers[0]
    assert Subscription.objects.get(report=report).opted_out_at is None
    answers = sms_in(client, "berhenti")
    assert "tidak akan menerima notifikasi" in answers[0]
    assert Subscription.objects.get(report=report).opted_out_at is not None


def test_a_later_sms_joins_the_reports_timeline(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    from satupintu.complaints.models import ReportEvent

    sms_in(client, "LAPOR Pohon tumbang menutup Jl. Pemuda dekat masjid")
    report = Report.objects.get()
    answers = sms_in(client, "Sudah dua hari belum diangkat, mohon segera")
    assert tracking.format_tracking_number(report.tracking_number) in answers[0]
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.REPORTER_REPLY)
    assert event.body == "Sudah dua hari belum diangkat, mohon segera"


def test_a_reply_to_a_closed_report_is_answered_not_lost(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    sms_in(client, "LAPOR Pohon tumbang menutup Jl. Pemuda dekat masjid")
    Report.objects.update(status="closed")
    answers = sms_in(client, "Kok sudah ditutup? Pohonnya masih ada")
    assert "sudah ditutup" in answers[0]
    assert InboundMessage.objects.order_by("-pk").first().status == "done"


def test_a_retried_post_with_the_same_id_files_once(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    for _attempt in range(3):
        sms_in(client, "LAPOR Jembatan kayu di Kali Ciliwung rapuh", sms_id="gw-in-7")
    assert InboundMessage.objects.count() == 1
    assert Report.objects.count() == 1
    assert len(gateway.delivered) == 1


def test_a_wrong_or_missing_token_is_403_and_stores_nothing(
    gateway: FakeSmsGateway, client: Client
) -> None:
    payload = {"from": SITI, "text": "LAPOR Jalan rusak parah sekali", "id": "1"}
    assert post(client, INBOUND, payload, token="wrong").status_code == 403
    assert post(client, INBOUND, payload, token=None).status_code == 403
    assert post(client, STATUS, {"id": "1", "status": "delivered"}, token="x").status_code == 403
    assert not InboundMessage.objects.exists()


def test_malformed_bodies_are_400_with_a_reason(gateway: FakeSmsGateway, client: Client) -> None:
    answer = post(client, INBOUND, b"{not json")
    assert answer.status_code == 400 and answer.json()["error"]
    for payload, field in (
        ({"text": "halo", "id": "1"}, "from"),
        ({"from": "pak RT", "text": "halo", "id": "1"}, "from"),
        ({"from": SITI, "text": 5, "id": "1"}, "text"),
        ({"from": SITI, "text": "halo"}, "id"),
        ([SITI, "halo"], "object"),
    ):
        answer = post(client, INBOUND, payload)
        assert answer.status_code == 400, payload
        assert field in answer.json()["detail"]
    answer = post(client, STATUS, {"id": "1", "status": "lost"})
    assert answer.status_code == 400
    assert not InboundMessage.objects.exists()


def test_an_oversized_body_is_413(gateway: FakeSmsGateway, client: Client) -> None:
    answer = post(client, INBOUND, {"from": SITI, "text": "x" * 300_000, "id": "1"})
    assert answer.status_code == 413
    answer = post(client, INBOUND, {"from": SITI, "text": "x" * 2000, "id": "1"})
    assert answer.status_code == 400  # longer than any SMS conversation holds
    assert not InboundMessage.objects.exists()


def test_the_door_is_off_without_its_settings(client: Client, settings: Any) -> None:
    settings.SMS_INBOUND_TOKEN = ""
    answer = post(client, INBOUND, {"from": SITI, "text": "halo", "id": "1"}, token="")
    assert answer.status_code == 404
    assert not InboundMessage.objects.exists()


def test_indonesian_numbers_are_one_conversation_however_written(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    sms_in(client, "halo", sender="081298765432")
    sms_in(client, "1", sender="6281298765432")
    sms_in(client, "jalan", sender="+62 812-9876-5432")
    from satupintu.channels.models import Conversation

    chat = Conversation.objects.get()
    assert chat.state["step"] == "description"
    assert set(gateway.delivered[i].to for i in range(len(gateway.delivered))) == {SITI}


# --------------------------------------------------------------------------- sending


def _queue(body: str, key: str = "event:1:reporter") -> Message:
    message = messages.queue(
        channel="sms", address=SITI, purpose="dispatched", body=body, dedupe_key=key
    )
    assert message is not None
    return message


def test_a_long_text_goes_as_parts_with_their_own_ids(gateway: FakeSmsGateway) -> None:
    body = " ".join(["Laporan Anda sedang ditindaklanjuti oleh Dinas PUPR."] * 6)
    message = _queue(body)
    assert messages.send_one(message.pk).sent == 1
    key = messages.idempotency_key(message)
    assert [d.id for d in gateway.delivered] == [f"{key}-{n}" for n in (1, 2, 3)]
    assert "".join(d.text for d in gateway.delivered) == body
    assert all(len(d.text) <= 153 for d in gateway.delivered)
    message.refresh_from_db()
    assert message.provider_id == "gw-1"


def test_a_short_text_is_one_request_with_the_messages_own_id(gateway: FakeSmsGateway) -> None:
    message = _queue("Laporan Anda diterima.")
    assert messages.send_one(message.pk).sent == 1
    assert [(d.to, d.text, d.id) for d in gateway.delivered] == [
        (SITI, "Laporan Anda diterima.", messages.idempotency_key(message))
    ]


def test_an_emoji_makes_parts_of_67(gateway: FakeSmsGateway) -> None:
    body = "Terima kasih 🙏 " + "laporan Anda kami terima " * 4
    message = _queue(body)
    messages.send_one(message.pk)
    assert len(gateway.delivered) == 2
    assert all(len(d.text.encode("utf-16-le")) // 2 <= 67 for d in gateway.delivered)


def test_a_send_repeated_after_a_lost_answer_reaches_the_phone_once(
    gateway: FakeSmsGateway,
) -> None:
    body = "x " * 120  # two parts
    message = _queue(body)
    # The second part's answer is lost (the gateway fails after the first part went out).
    gateway.script = [Scripted(200, {"id": "gw-a"}), Scripted(502, {"error": "upstream"})]
    assert messages.send_one(message.pk).retrying == 1
    message.refresh_from_db()
    assert "part 2/2" in message.error
    Message.objects.update(next_attempt_at=None)
    assert messages.send_one(message.pk).sent == 1
    Message.objects.update(status="pending", next_attempt_at=None)  # a worker killed after send
    assert messages.send_one(message.pk).sent == 1
    # Each part reached the phone once, in order.
    assert "".join(gateway.texts_to(SITI)) == body
    assert gateway.posts == 6


def test_a_refusing_gateway_is_not_retried_an_unreachable_one_is(
    gateway: FakeSmsGateway, settings: Any
) -> None:
    gateway.script = [Scripted(422, {"error": "invalid number"})]
    message = _queue("Laporan Anda diterima.")
    assert messages.send_one(message.pk).failed == 1
    message.refresh_from_db()
    assert message.error == "HTTP 422: invalid number"
    settings.SMS_SEND_URL = "http://127.0.0.1:9/send"  # nothing listens there
    other = _queue("Laporan Anda diterima.", key="event:2:reporter")
    assert messages.send_one(other.pk).retrying == 1


def test_a_wrong_send_token_is_refused_without_retry(
    gateway: FakeSmsGateway, settings: Any
) -> None:
    settings.SMS_SEND_TOKEN = "old"
    message = _queue("Laporan Anda diterima.")
    assert messages.send_one(message.pk).failed == 1
    assert not gateway.delivered


def test_delivery_reports_update_the_message(gateway: FakeSmsGateway, client: Client) -> None:
    message = _queue("Laporan Anda diterima.")
    messages.send_one(message.pk)
    message.refresh_from_db()
    answer = post(client, STATUS, {"id": message.provider_id, "status": "delivered"})
    assert answer.status_code == 200 and answer.json()["changed"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    other = _queue("Laporan Anda diteruskan.", key="event:2:reporter")
    messages.send_one(other.pk)
    other.refresh_from_db()
    answer = post(client, STATUS, {"id": other.provider_id, "status": "failed", "error": "absent"})
    other.refresh_from_db()
    assert (other.status, other.error) == (Message.Status.FAILED, "absent")


def test_is_enabled_needs_all_three_settings(settings: Any) -> None:
    settings.SMS_INBOUND_TOKEN, settings.SMS_SEND_URL, settings.SMS_SEND_TOKEN = "a", "b", "c"
    assert sms.is_enabled()
    settings.SMS_SEND_URL = ""
    assert not sms.is_enabled()


def test_the_conversation_job_leaves_a_pending_mail_to_the_mail_door(
    gateway: FakeSmsGateway, client: Client, city: Any
) -> None:
    from django.utils import timezone

    from satupintu.channels.models import InboundMessage
    from satupintu.core import crypto

    mail = InboundMessage.objects.create(
        channel="email",
        provider_id="<cut-short@example.id>",
        address_encrypted=crypto.encrypt_text("siti@example.id"),
        address_index=crypto.blind_index("siti@example.id"),
        kind="email",
        payload={},
        received_at=timezone.now(),
    )
    assert inbound.process_due() == ""
    mail.refresh_from_db()
    assert mail.status == "pending" and not Message.objects.exists()
