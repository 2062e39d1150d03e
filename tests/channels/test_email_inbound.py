"""E-mail in, end to end: a resident's mail in a real IMAP mailbox (Dovecot on loopback) is
polled, files a report or joins one, and the answer reaches a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from satupintu.channels import email
from satupintu.channels.models import InboundMessage
from satupintu.complaints import services, tracking
from satupintu.complaints.actors import Reporter
from satupintu.complaints.models import Report, ReportEvent
from satupintu.core import crypto
from satupintu.notifications import messages
from satupintu.notifications.models import Message, Subscription

from . import mail_servers
from .mail_servers import (
    MAIL_FROM,
    Mailbox,
    Received,
    SmtpServer,
    mail,
)

# The servers' fixtures (tests/channels/mail_servers.py).
dovecot = mail_servers.dovecot
email_on = mail_servers.email_on
mailbox = mail_servers.mailbox
smtp_server = mail_servers.smtp_server

SENDER = "budi@warga.example.id"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def send_answers() -> None:
    """What the message queue would send after commit (the tests' transaction never commits)."""
    for pk in Message.objects.filter(status=Message.Status.PENDING).values_list("pk", flat=True):
        messages.send_one(pk)


def answers(server: SmtpServer) -> list[Received]:
    send_answers()
    return list(server.received)


def _number(report: Report) -> str:
    return tracking.format_tracking_number(report.tracking_number)


def _filed(mailbox: Mailbox, server: SmtpServer, **kwargs: Any) -> tuple[Report, Received]:
    mailbox.deliver(mail(**kwargs))
    assert email.poll() == "e-mail: 1 filed"
    report = Report.objects.get()
    [receipt] = answers(server)
    server.clear()
    return report, receipt


def test_a_new_mail_files_a_report_and_the_receipt_carries_number_and_secret(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    incoming = mail(attachments=[("lampu.png", "image/png", _png())])
    mailbox.deliver(incoming)

    assert email.poll() == "e-mail: 1 filed"

    report = Report.objects.get()
    assert report.channel == "email"
    assert report.title == "Lampu jalan mati di Jl. Melati"
    assert "sejak seminggu yang lalu" in report.description
    assert report.external_ref == incoming["Message-ID"]
    contact = crypto.decrypt_json(report.contact_encrypted)
    assert (contact["name"], contact["email"]) == ("Budi Santoso", SENDER)
    [attachment] = report.attachments.all()
    assert attachment.original_name == "lampu.png"
    assert attachment.content_type == "image/png"
    subscription = Subscription.objects.get(report=report)
    assert (subscription.channel, subscription.language) == ("email", "id")
    assert crypto.decrypt_text(subscription.address_encrypted) == SENDER
    # Handled, marked seen, kept in the mailbox.
    assert mailbox.count() == 1
    assert "\\Seen" in mailbox.flags()[0]
    row = InboundMessage.objects.get()
    assert (row.channel, row.status, row.report_id) == ("email", "done", report.pk)
    assert row.provider_id == incoming["Message-ID"]

    [receipt] = answers(email_on)
    number = _number(report)
    answer = receipt.message
    assert receipt.rcpt_tos == [SENDER]
    assert answer["Subject"].startswith(f"[{number}] ")
    assert answer["In-Reply-To"].strip() == incoming["Message-ID"]
    assert answer["Auto-Submitted"] == "auto-replied"
    text = receipt.part("text/plain")
    assert number in text
    secret = text.split("Kode rahasia: ", 1)[1].split()[0]
    assert services.reporter_authenticate(number, secret) == Reporter(report_id=report.pk)
    assert "https://lapor.pemda.example.id/lacak/" in text
    stored = Message.objects.get()
    assert (stored.status, stored.purpose) == (Message.Status.SENT, "receipt")
    assert secret not in stored.body  # no copy of the secret stays once it is sent


def test_a_refused_attachment_is_named_in_the_receipt_and_the_report_still_filed(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    mailbox.deliver(
        mail(
            attachments=[
                ("foto.png", "image/png", _png()),
                ("program.exe", "application/octet-stream", b"MZ\x90\x00 not a photo"),
            ]
        )
    )

    assert email.poll() == "e-mail: 1 filed"

    report = Report.objects.get()
    assert [a.original_name for a in report.attachments.all()] == ["foto.png"]
    text = answers(email_on)[0].part("text/plain")
    assert "program.exe: hanya berkas JPEG, PNG, atau PDF yang diterima." in text


def test_a_reply_to_the_receipt_joins_the_reports_timeline(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    report, receipt = _filed(mailbox, email_on)
    receipt_id = receipt.message["Message-ID"].strip()

    reply = mail(
        subject=f"Re: {receipt.message['Subject']}",
        text=(
            "Tambahan: tiangnya juga miring ke arah jalan.\n\n"
            "Salam,\nBudi\n-- \nBudi Santoso, RT 03\n\n"
            "Pada Sen, 7 Des 2026 pukul 10.00 Lapor Kota <lapor@pemda.example.id>\nmenulis:\n"
            "> Terima kasih, laporan Anda sudah kami terima.\n"
        ),
        headers={"In-Reply-To": receipt_id, "References": receipt_id},
    )
    mailbox.deliver(reply)

    assert email.poll() == "e-mail: 1 reply"

    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.REPORTER_REPLY)
    assert event.body == "Tambahan: tiangnya juga miring ke arah jalan.\n\nSalam,\nBudi"
    assert Report.objects.count() == 1
    [ack] = answers(email_on)
    assert ack.message["Subject"].startswith(f"[{_number(report)}]")
    assert ack.message["In-Reply-To"].strip() == reply["Message-ID"]
    assert "Tanggapan Anda sudah ditambahkan" in ack.part("text/plain")


def test_the_tracking_number_in_the_subject_threads_only_for_the_subscribed_address(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    report, _receipt = _filed(mailbox, email_on)
    number = _number(report)

    mailbox.deliver(mail(subject=f"Laporan {number}", text="Lampunya masih mati sampai hari ini."))
    assert email.poll() == "e-mail: 1 reply"
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.REPORTER_REPLY).count() == 1

    mailbox.deliver(
        mail(
            sender="Orang Lain <lain@warga.example.id>",
            subject=f"[{number}] Lampu mati juga di gang saya",
            text="Lampu di gang sebelah juga mati sejak kemarin malam.",
        )
    )
    assert email.poll() == "e-mail: 1 filed"
    assert Report.objects.count() == 2
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.REPORTER_REPLY).count() == 1


def test_a_mail_polled_twice_or_delivered_twice_files_once(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    incoming = mail()
    mailbox.deliver(incoming)
    mailbox.deliver(incoming)  # the same Message-ID again (e.g. sent to two of our aliases)

    assert email.poll() == "e-mail: 1 duplicate, 1 filed"
    mailbox.mark_unseen()
    assert email.poll() == "e-mail: 2 duplicate"
    assert email.poll() == ""

    assert Report.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert len(answers(email_on)) == 1


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, None, "auto-submitted: auto-replied"),
        ({"Precedence": "bulk"}, None, "precedence: bulk"),
        ({"X-Autoreply": "yes"}, None, "auto-reply"),
        ({"List-Id": "Warga <warga.lists.example.id>"}, None, "mailing list"),
        ({}, "Mail Delivery System <MAILER-DAEMON@mx.example.id>", "delivery report"),
        ({}, MAIL_FROM, "our own mail"),
    ],
)
def test_automatic_mail_bounces_lists_and_our_own_are_ignored(
    city: Any,
    email_on: SmtpServer,
    mailbox: Mailbox,
    headers: dict[str, str],
    sender: str | None,
    reason: str,
) -> None:
    kwargs: dict[str, Any] = {"headers": headers}
    if sender:
        kwargs["sender"] = sender
    mailbox.deliver(mail(**kwargs))

    assert email.poll() == "e-mail: 1 ignored"

    row = InboundMessage.objects.get()
    assert (row.status, row.error) == ("ignored", reason)
    assert Report.objects.count() == 0
    assert Message.objects.count() == 0
    assert "\\Seen" in mailbox.flags()[0]


def test_a_delivery_status_notification_is_ignored(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    bounce = (
        b"From: postmaster@mx.example.id\r\nTo: lapor@pemda.example.id\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.id>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n"
        b"Status: 5.1.1\r\n--b1--\r\n"
    )
    mailbox.deliver(bounce)

    assert email.poll() == "e-mail: 1 ignored"
    assert InboundMessage.objects.get().error == "delivery report"
    assert Message.objects.count() == 0


def test_a_reply_to_a_closed_report_is_told_how_to_appeal(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    report, receipt = _filed(mailbox, email_on)
    services.report_dispatch(actor=city.verifier, report_id=report.pk, category=city.road)
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah diganti.")
    services.report_confirm(actor=Reporter(report_id=report.pk), report_id=report.pk, rating=4)
    Message.objects.filter(status=Message.Status.PENDING).delete()  # not this test's concern
    receipt_id = receipt.message["Message-ID"].strip()

    mailbox.deliver(
        mail(
            subject="Re: lampu",
            text="Lampunya mati lagi sejak semalam.",
            headers={"In-Reply-To": receipt_id},
        )
    )

    assert email.poll() == "e-mail: 1 closed"
    assert not ReportEvent.objects.filter(kind=ReportEvent.Kind.REPORTER_REPLY).exists()
    [answer] = answers(email_on)
    text = answer.part("text/plain")
    assert f"Laporan {_number(report)} sudah ditutup" in text
    assert "ajukan banding" in text
    assert f"/lacak/{report.tracking_number}/" in text
    assert answer.message["Subject"].startswith(f"[{_number(report)}]")


def test_an_oversized_mail_is_answered_and_nothing_filed(
    city: Any, email_on: SmtpServer, mailbox: Mailbox, monkeypatch: Any
) -> None:
    monkeypatch.setattr(email, "MAX_MAIL_BYTES", 20_000)
    mailbox.deliver(mail(attachments=[("besar.pdf", "application/pdf", b"%PDF-" + b"x" * 30_000)]))

    assert email.poll() == "e-mail: 1 too_large"

    assert Report.objects.count() == 0
    [answer] = answers(email_on)
    text = answer.part("text/plain")
    assert "melebihi batas 19,5 KB, sehingga belum kami catat" in text
    assert InboundMessage.objects.get().payload["outcome"] == "too_large"
    assert "\\Seen" in mailbox.flags()[0]


def test_a_mail_too_short_to_be_a_report_is_answered_with_the_reason(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    mailbox.deliver(mail(subject="tolong", text="halo"))

    assert email.poll() == "e-mail: 1 refused"

    assert Report.objects.count() == 0
    assert Subscription.objects.count() == 0
    [answer] = answers(email_on)
    assert "terlalu pendek" in answer.part("text/plain")
    assert answer.message["Subject"] == "Re: tolong"


def test_malformed_mail_neither_crashes_nor_stops_the_next_one(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    mailbox.deliver(b"this is not a mail at all\r\n\r\n\xff\xfe garbage")
    mailbox.deliver(
        b"From: =?x-unknown?B?QnVkaQ==?= <budi@warga.example.id>\r\n"
        b"Subject: =?utf-8?B?broken?= Jalan rusak\r\nMessage-ID: <broken-1@warga.example.id>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
        b"--never-closed\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Jalan di depan pasar berlubang besar dan berbahaya =E9=\r\n"
        b"--never-closed\r\nContent-Type: image/png; name=foto.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n"
    )
    mailbox.deliver(mail())

    summary = email.poll()

    assert summary == "e-mail: 2 filed, 1 ignored"
    assert InboundMessage.objects.get(status="ignored").error == "no sender address"
    broken = Report.objects.get(external_ref="<broken-1@warga.example.id>")
    assert "berlubang besar" in broken.description
    assert broken.attachments.count() == 0
    assert all("\\Seen" in flags for flags in mailbox.flags())


def test_an_html_only_mail_in_english_gets_an_english_receipt(
    city: Any, email_on: SmtpServer, mailbox: Mailbox
) -> None:
    mailbox.deliver(
        mail(
            subject="Broken street light",
            text="",
            html=(
                "<html><body><p>The street light near my house has been broken for a week."
                "</p><p>Please fix it, the road is dark at night.</p></body></html>"
            ),
        )
    )

    assert email.poll() == "e-mail: 1 filed"

    report = Report.objects.get()
    assert report.description == (
        "The street light near my house has been broken for a week.\n\n"
        "Please fix it, the road is dark at night."
    )
    assert Subscription.objects.get().language == "en"
    [receipt] = answers(email_on)
    assert receipt.message["Content-Language"] == "en"
    assert receipt.message["Subject"] == (
        f"[{_number(report)}] We have received your report: Broken street light"
    )
    text = receipt.part("text/plain")
    assert "Thank you, we have received your report." in text
    assert f"Report number: {_number(report)}" in text
    assert "Secret code: " in text


def test_email_off_polls_nothing(settings: Any, db: Any) -> None:
    settings.IMAP_URL = ""
    assert email.poll() == ""
    settings.IMAP_URL = "imap://u:p@127.0.0.1:1/INBOX"
    settings.SMTP_URL = ""
    assert email.poll() == ""  # reading without being able to answer stays off


def test_an_unreachable_mailbox_is_a_summary_not_a_crash(settings: Any, db: Any) -> None:
    from .mail_servers import free_port

    settings.SMTP_URL = "smtp://127.0.0.1:25"
    settings.MAIL_FROM = MAIL_FROM
    settings.IMAP_URL = f"imap://u:p@127.0.0.1:{free_port()}/INBOX"

    assert email.poll().startswith("e-mail: IMAP ConnectionRefusedError")


def test_a_wrong_password_is_a_summary_without_the_password(
    settings: Any, db: Any, dovecot: Any
) -> None:
    settings.SMTP_URL = "smtp://127.0.0.1:25"
    settings.MAIL_FROM = MAIL_FROM
    settings.IMAP_URL = f"imap://lapor%40pemda.example.id:salah-sekali@127.0.0.1:{dovecot.port}/"

    summary = email.poll()

    assert summary.startswith("e-mail: IMAP error")
    assert "salah-sekali" not in summary


def test_a_mail_whose_handling_fails_is_tried_again_then_given_up(
    city: Any, email_on: SmtpServer, mailbox: Mailbox, monkeypatch: Any
) -> None:
    real = email.handle

    def broken(row: Any, mail: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(email, "handle", broken)
    mailbox.deliver(mail())

    assert email.poll() == "e-mail: 1 failed"
    row = InboundMessage.objects.get()
    assert (row.status, row.error) == ("failed", "RuntimeError: database went away")
    assert "\\Seen" not in mailbox.flags()[0]  # left for the next poll
    assert Report.objects.count() == 0

    monkeypatch.setattr(email, "handle", real)
    assert email.poll() == "e-mail: 1 filed"
    assert Report.objects.count() == 1
    assert "\\Seen" in mailbox.flags()[0]

    monkeypatch.setattr(email, "handle", broken)
    mailbox.deliver(mail(message_id="<always-broken@warga.example.id>"))
    for _attempt in range(email.MAX_ATTEMPTS):
        assert email.poll() == "e-mail: 1 failed"
    assert email.poll() == ""  # given up: marked seen, kept as failed
    assert InboundMessage.objects.get(provider_id="<always-broken@warga.example.id>").status == (
        "failed"
    )


@pytest.mark.parametrize("scheme", ["imaps", "imap+starttls"])
def test_the_mailbox_over_tls_with_a_verified_certificate(
    city: Any, email_on: SmtpServer, mailbox: Mailbox, settings: Any, monkeypatch: Any, scheme: str
) -> None:
    settings.IMAP_URL = mailbox.server.url(scheme=scheme)
    monkeypatch.setenv("SSL_CERT_FILE", str(mailbox.server.certificate.cert))
    mailbox.deliver(mail())

    assert email.poll() == "e-mail: 1 filed"

    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(mailbox.server.folder / "run"))
    mailbox.deliver(mail())
    assert "CERTIFICATE_VERIFY_FAILED" in email.poll()  # an untrusted server is not read
    assert Report.objects.count() == 1


def test_a_robot_that_answers_without_saying_so_gets_few_answers(
    city: Any, email_on: SmtpServer, mailbox: Mailbox, monkeypatch: Any
) -> None:
    monkeypatch.setattr(email, "ANSWERS_PER_HOUR", 2)
    report, receipt = _filed(mailbox, email_on)  # answer 1: the receipt
    receipt_id = receipt.message["Message-ID"].strip()
    for n in range(3):
        mailbox.deliver(
            mail(
                subject="Re: Laporan",
                text=f"Terima kasih atas pesan Anda, saya sedang cuti ({n}).",
                headers={"In-Reply-To": receipt_id},
            )
        )

    assert email.poll() == "e-mail: 3 reply"

    # Every reply is on the timeline, but only one more answer went out.
    assert ReportEvent.objects.filter(report=report, kind="reporter_reply").count() == 3
    assert len(answers(email_on)) == 1
