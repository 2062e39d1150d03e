"""E-mail out: what a real SMTP server (aiosmtpd on loopback) receives, and what a refusal
or a wrong setting does."""

from __future__ import annotations

import smtplib
import ssl
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from satupintu.channels import checks, email
from satupintu.channels.registry import Outcome
from satupintu.complaints import tracking
from satupintu.core import crypto
from satupintu.notifications import messages
from satupintu.notifications.models import Message

from . import mail_servers
from .mail_servers import (
    MAIL_FROM,
    Certificate,
    SmtpServer,
    free_port,
    running_smtp,
    server_context,
)

# The servers' fixtures (tests/channels/mail_servers.py).
certificate = mail_servers.certificate
smtp_server = mail_servers.smtp_server
tls_smtp_server = mail_servers.tls_smtp_server

ADDRESS = "siti@example.id"


def _message(report: Any = None, **kwargs: Any) -> Message:
    fields: dict[str, Any] = {
        "channel": "email",
        "purpose": "dispatched",
        "language": "id",
        "report": report,
        "address_encrypted": crypto.encrypt_text(ADDRESS),
        "address_index": crypto.blind_index(ADDRESS),
        "subject": "Laporan Anda diteruskan",
        "body": "Laporan Anda diteruskan ke Dinas PUPR.\nKami kabari lagi <segera> & pasti.",
        "dedupe_key": f"test:{timezone.now().timestamp()}",
        "created_at": timezone.now(),
    }
    message = Message(**(fields | kwargs))
    message.save()
    return message


@pytest.fixture
def smtp_on(settings: Any, smtp_server: SmtpServer) -> SmtpServer:
    settings.SMTP_URL = smtp_server.url()
    settings.MAIL_FROM = MAIL_FROM
    return smtp_server


def test_a_notification_arrives_as_text_and_html_with_our_headers(
    city: Any, smtp_on: SmtpServer
) -> None:
    report, _secret = city.file()
    message = _message(report, in_reply_to="<asal-123@warga.example.id>")

    outcome = email.send(message, ADDRESS)

    assert outcome.ok, outcome.error
    [received] = smtp_on.received
    mail = received.message
    assert received.rcpt_tos == [ADDRESS]
    assert mail["Message-ID"].strip() == outcome.provider_id
    assert outcome.provider_id.endswith("@pemda.example.id>")
    assert f"satupintu-{message.pk}@" in outcome.provider_id
    number = tracking.format_tracking_number(report.tracking_number)
    assert mail["Subject"] == f"[{number}] Laporan Anda diteruskan"
    assert mail["In-Reply-To"] == "<asal-123@warga.example.id>"
    assert mail["References"] == "<asal-123@warga.example.id>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Content-Language"] == "id"
    assert mail["From"] == MAIL_FROM
    assert mail.get_content_type() == "multipart/alternative"
    assert "Kami kabari lagi <segera> & pasti." in received.part("text/plain")
    html = received.part("text/html")
    assert "Kami kabari lagi &lt;segera&gt; &amp; pasti." in html
    assert "Dinas PUPR.<br>" in html


def test_a_receipt_is_an_auto_reply_and_keeps_a_subject_that_names_the_report(
    city: Any, smtp_on: SmtpServer
) -> None:
    report, _secret = city.file()
    number = tracking.format_tracking_number(report.tracking_number)
    message = _message(report, purpose="receipt", subject=f"[{number}] Diterima", language="en")

    assert email.send(message, ADDRESS).ok

    mail = smtp_on.received[0].message
    assert mail["Subject"] == f"[{number}] Diterima"  # the number once
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["Content-Language"] == "en"
    assert mail["In-Reply-To"] is None


def test_the_message_queue_sends_through_the_adapter(city: Any, smtp_on: SmtpServer) -> None:
    report, _secret = city.file()
    queued = messages.queue(
        channel="email",
        address=ADDRESS,
        purpose="dispatched",
        subject="Diteruskan",
        body="Isi",
        html="<p>Isi <b>tebal</b></p>",
        report=report,
        dedupe_key="test:queue",
    )
    assert queued is not None

    messages.send_one(queued.pk)

    queued.refresh_from_db()
    assert queued.status == Message.Status.SENT
    assert queued.provider_id == smtp_on.received[0].message["Message-ID"].strip()
    assert "<b>tebal</b>" in smtp_on.received[0].part("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "retry"),
    [("550 5.1.1 No such user", False), ("451 4.3.0 Try again later", True)],
)
def test_a_refused_recipient_is_final_for_5xx_and_retried_for_4xx(
    smtp_on: SmtpServer, answer: str, retry: bool
) -> None:
    smtp_on.refuse = answer

    outcome = email.send(_message(), ADDRESS)

    assert not outcome.ok
    assert outcome.retry is retry
    assert answer.split()[0] in outcome.error
    assert smtp_on.received == []


@pytest.mark.django_db
def test_a_server_that_does_not_answer_is_tried_again(settings: Any) -> None:
    settings.SMTP_URL = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    settings.MAIL_FROM = MAIL_FROM

    outcome = email.send(_message(), ADDRESS)

    assert outcome == Outcome(ok=False, retry=True, error=outcome.error)
    assert outcome.error


@pytest.mark.django_db
def test_starttls_with_a_verified_certificate(settings: Any, tls_smtp_server: SmtpServer) -> None:
    settings.SMTP_URL = tls_smtp_server.url("smtp+starttls")
    settings.MAIL_FROM = MAIL_FROM

    outcome = email.send(_message(), ADDRESS)

    assert outcome.ok, outcome.error
    assert len(tls_smtp_server.received) == 1


@pytest.mark.django_db
def test_plain_smtp_to_a_server_that_requires_starttls_is_refused(
    settings: Any, tls_smtp_server: SmtpServer
) -> None:
    settings.SMTP_URL = tls_smtp_server.url("smtp")
    settings.MAIL_FROM = MAIL_FROM

    outcome = email.send(_message(), ADDRESS)

    assert not outcome.ok
    assert "530" in outcome.error
    assert tls_smtp_server.received == []


@pytest.mark.django_db
def test_an_untrusted_certificate_is_not_accepted(
    settings: Any, tls_smtp_server: SmtpServer, monkeypatch: Any, tmp_path: Any
) -> None:
    empty = tmp_path / "none.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    settings.SMTP_URL = tls_smtp_server.url("smtp+starttls")
    settings.MAIL_FROM = MAIL_FROM

    outcome = email.send(_message(), ADDRESS)

    assert not outcome.ok
    assert outcome.retry
    assert "certificate" in outcome.error.lower()
    assert tls_smtp_server.received == []


@pytest.mark.django_db
def test_login_over_starttls_with_a_percent_encoded_user_and_password(
    settings: Any, certificate: Certificate, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    with running_smtp(
        auth=("lapor@pemda.example.id", "p@ss:w/rd"),
        tls_context=server_context(certificate),
        require_starttls=True,
    ) as server:
        userinfo = "lapor%40pemda.example.id:p%40ss%3Aw%2Frd@"
        settings.SMTP_URL = server.url("smtp+starttls", userinfo)
        settings.MAIL_FROM = MAIL_FROM
        assert email.send(_message(), ADDRESS).ok
        assert server.logins[-1] == ("lapor@pemda.example.id", "p@ss:w/rd")

        settings.SMTP_URL = server.url("smtp+starttls", "lapor%40pemda.example.id:salah@")
        outcome = email.send(_message(dedupe_key="test:wrong-password"), ADDRESS)
        assert not outcome.ok
        assert outcome.retry  # our own setting is wrong: the message waits for its fix
        assert "login refused" in outcome.error


def test_smtp_urls_become_the_backends_arguments() -> None:
    config = email.parse_smtp_url("smtps://u%40d.id:s%3Ac@mail.example.id")
    assert (config.host, config.port, config.username, config.password) == (
        "mail.example.id",
        465,
        "u@d.id",
        "s:c",
    )
    assert (config.use_ssl, config.use_tls) == (True, False)
    config = email.parse_smtp_url("smtp+starttls://mail.example.id?timeout=5")
    assert (config.port, config.use_tls, config.username, config.timeout) == (587, True, None, 5)
    assert email.parse_smtp_url("smtp://relay:2525").port == 2525


@pytest.mark.parametrize(
    "raw",
    [
        "mail.example.id:25",
        "http://mail.example.id",
        "smtp://",
        "smtp://user:rahasia@mail.example.id:99999",
        "smtp://mail.example.id/path",
        "smtp://mail.example.id?tls=1",
        "smtp://mail.example.id?timeout=abc",
    ],
)
def test_a_malformed_smtp_url_is_a_clear_error_without_the_password(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        email.parse_smtp_url(raw)
    assert "SATUPINTU_SMTP_URL" in str(caught.value)
    assert "rahasia" not in str(caught.value)


def test_imap_urls() -> None:
    config = email.parse_imap_url("imaps://u%40d.id:p%20w@mail.example.id/Kotak%20Masuk")
    assert (config.host, config.port, config.username, config.password, config.mailbox) == (
        "mail.example.id",
        993,
        "u@d.id",
        "p w",
        "Kotak Masuk",
    )
    assert email.parse_imap_url("imap://u:p@h").mailbox == "INBOX"
    for raw in ("imap://h/INBOX", "pop3://u:p@h", "imap://u:p@h:0x/INBOX"):
        with pytest.raises(ImproperlyConfigured, match="SATUPINTU_IMAP_URL"):
            email.parse_imap_url(raw)


def test_satupintu_check_names_the_variable(settings: Any) -> None:
    settings.SMTP_URL = "smtp://user:rahasia@mail.example.id:notaport"
    settings.MAIL_FROM = "bukan alamat"
    settings.IMAP_URL = ""

    found = checks.email_settings()

    assert [m.id for m in found] == ["channels.E001", "channels.E001"]
    assert "SATUPINTU_SMTP_URL" in found[0].msg and "rahasia" not in found[0].msg
    assert "SATUPINTU_MAIL_FROM" in found[1].msg

    settings.SMTP_URL, settings.MAIL_FROM = "smtp://mail.example.id", ""
    [warning] = checks.email_settings()
    assert warning.id == "channels.W001" and "SATUPINTU_MAIL_FROM" in warning.msg

    settings.MAIL_FROM = MAIL_FROM
    assert checks.email_settings() == []


@pytest.mark.django_db
def test_email_off_sends_nothing_and_polls_nothing(settings: Any) -> None:
    settings.SMTP_URL = settings.MAIL_FROM = settings.IMAP_URL = ""

    assert email.is_enabled() is False
    outcome = email.send(_message(), ADDRESS)
    assert outcome.ok is False and outcome.retry is False
    assert "off" in outcome.error
    assert email.poll() == ""


@pytest.mark.django_db
def test_a_malformed_setting_while_sending_keeps_the_message_for_later(settings: Any) -> None:
    settings.SMTP_URL = "smtp://mail.example.id:notaport"
    settings.MAIL_FROM = MAIL_FROM

    outcome = email.send(_message(), ADDRESS)

    assert not outcome.ok and outcome.retry
    assert "SATUPINTU_SMTP_URL" in outcome.error


def test_smtp_errors_are_sorted_into_final_and_retried() -> None:
    assert not email._smtp_outcome(smtplib.SMTPDataError(554, b"rejected")).retry
    assert email._smtp_outcome(smtplib.SMTPDataError(452, b"full")).retry
    assert email._smtp_outcome(smtplib.SMTPServerDisconnected("gone")).retry
    assert email._smtp_outcome(ssl.SSLError("bad")).retry
