"""E-mail: messages out over SMTP, residents' mail in from an IMAP mailbox.

Settings (all three unset: the channel is off):

* ``SATUPINTU_SMTP_URL``: ``smtp://[user:password@]host[:25]`` (no TLS: a relay on the same
  machine or network), ``smtp+starttls://…[:587]`` or ``smtps://…[:465]``;
  user and password percent-encoded, ``?timeout=<seconds>`` optional (default
  :data:`SMTP_TIMEOUT`). TLS certificates are verified against the system's CAs.
* ``SATUPINTU_MAIL_FROM``: our address, e.g. ``Lapor Depok <lapor@depok.go.id>``; its domain
  names our Message-IDs.
* ``SATUPINTU_IMAP_URL``: ``imap://user:password@host[:143]/MAILBOX``,
  ``imap+starttls://…`` or ``imaps://…[:993]`` (mailbox default ``INBOX``). Residents write to
  the address of this mailbox; it should be the one ``MAIL_FROM`` names, so replies land there.

A malformed value is reported by ``satupintu check`` (channels/checks.py) naming the variable.

**Out** (:func:`send`): one multipart mail, text and HTML, with a Message-ID of ours (the
message's :func:`~satupintu.notifications.messages.idempotency_key` in it) that becomes the
message's provider id; a reply to it is threaded back onto its report by that id.
``Auto-Submitted`` marks every mail as a machine's (RFC 3834), so no well-behaved program
answers it and no two robots talk to each other forever.

**In** (:func:`poll`, job ``email-poll``): each unseen mail of the mailbox is read without
being marked (``BODY.PEEK``), stored once as an ``InboundMessage`` keyed by its Message-ID (a
hash of the whole mail when it has none), then acted on in one transaction, and marked
``\\Seen`` (it stays in the mailbox). A mail seen twice, by a second worker or after a
crash, is done once. The pipeline, one small step each (like a mail system's filters):

1. ignored without an answer: automatic mail (``Auto-Submitted`` other than ``no``,
   ``Precedence: bulk/junk/list``, ``X-Autoreply``), delivery reports (``multipart/report``,
   MAILER-DAEMON, postmaster, an empty ``Return-Path``), mailing lists (``List-Id``), our own
   mail (from ``MAIL_FROM``) and mail with no sender to answer;
2. larger than :data:`MAX_MAIL_BYTES`: answered that it is too large, nothing filed;
3. threaded: ``In-Reply-To``/``References`` naming a mail we sent → that mail's report; else
   a tracking number in the subject from the address the report's subscription has;
4. an open report → the reporter's reply (tanggapan pelapor), quoted text and signature cut;
   a closed one → answered how to appeal (banding) or to write anew;
5. otherwise a new report from the mail (title from the subject, text, sender as contact,
   photos and PDFs through the portal's own file checks), answered with a receipt that
   carries the tracking number and the secret.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.message
import email.policy
import email.utils
import imaplib
import io
import logging
import re
import smtplib
import socket
import ssl
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext as _

from satupintu.channels import mailtext
from satupintu.channels.mailread import Mail, read
from satupintu.channels.registry import Outcome

if TYPE_CHECKING:
    from satupintu.channels.models import InboundMessage
    from satupintu.complaints.models import Report
    from satupintu.notifications.models import Message

logger = logging.getLogger(__name__)

CHANNEL = "email"
#: Seconds for one SMTP or IMAP conversation step (below messages.LEASE_SECONDS).
SMTP_TIMEOUT = 10.0
IMAP_TIMEOUT = 20.0
#: The largest mail we read whole; a larger one is answered that it is too large.
MAX_MAIL_BYTES = 10 * 1024 * 1024
#: How long a worker holds a mail it is acting on before another may take it again (seconds).
LEASE_SECONDS = 300
#: Tries of one mail whose handling failed before it is given up (marked failed and seen).
MAX_ATTEMPTS = 3
#: Answers (receipts, replies) to one address in an hour at most; beyond it the mail is still
#: acted on but not answered (a robot that answers every mail would otherwise talk to us
#: forever).
ANSWERS_PER_HOUR = 10
#: Purposes that answer a resident's own mail (RFC 3834 ``auto-replied``; others are
#: ``auto-generated``).
REPLY_PURPOSES = frozenset({"reply", "receipt"})

_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_IMAP_SCHEMES = {"imap": 143, "imap+starttls": 143, "imaps": 993}


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class SmtpConfig:
    """Django's SMTP EmailBackend arguments, from ``SATUPINTU_SMTP_URL``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = SMTP_TIMEOUT

    def backend(self) -> EmailBackend:
        return EmailBackend(
            host=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            use_ssl=self.use_ssl,
            timeout=self.timeout,
            fail_silently=False,
        )


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    username: str
    password: str
    mailbox: str = "INBOX"
    use_ssl: bool = False
    starttls: bool = False
    timeout: float = IMAP_TIMEOUT


def _masked(raw: str) -> str:
    """A URL as an error message may show it: without its password."""
    parts = urlsplit(raw)
    if parts.password is None:
        return raw
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _port(parts: Any, default: int, name: str, raw: str, expected: str) -> int:
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={_masked(raw)!r}: the port must be a number from 1 to 65535; {expected}"
        ) from None
    return port or default


def parse_smtp_url(raw: str) -> SmtpConfig:
    """``SATUPINTU_SMTP_URL`` as backend arguments; ImproperlyConfigured naming it when it is
    malformed (the password never appears in the message)."""
    name = "SATUPINTU_SMTP_URL"
    expected = (
        "expected smtp://[user:password@]host:port, smtp+starttls://… or smtps://…, "
        "e.g. smtp+starttls://lapor%40depok.go.id:secret@mail.depok.go.id:587"
    )
    parts = urlsplit(raw.strip())
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: {expected}")
    if parts.path not in {"", "/"} or parts.fragment:
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: no path expected; {expected}")
    port = _port(parts, _SCHEMES[scheme], name, raw, expected)
    timeout = SMTP_TIMEOUT
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"timeout"}
    if unknown:
        raise ImproperlyConfigured(
            f"{name}={_masked(raw)!r}: unknown option {sorted(unknown)[0]!r} "
            "(only ?timeout=<seconds>)"
        )
    if "timeout" in query:
        try:
            timeout = float(query["timeout"][-1])
        except ValueError:
            timeout = -1
        if not 0 < timeout <= 120:
            raise ImproperlyConfigured(
                f"{name}={_masked(raw)!r}: timeout must be a number of seconds from 1 to 120"
            )
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        use_tls=scheme == "smtp+starttls",
        use_ssl=scheme == "smtps",
        timeout=timeout,
    )


def parse_imap_url(raw: str) -> ImapConfig:
    """``SATUPINTU_IMAP_URL``; ImproperlyConfigured naming it when it is malformed."""
    name = "SATUPINTU_IMAP_URL"
    expected = (
        "expected imap://user:password@host:port/MAILBOX, imap+starttls://… or imaps://…, "
        "e.g. imaps://lapor%40depok.go.id:secret@mail.depok.go.id:993/INBOX"
    )
    parts = urlsplit(raw.strip())
    scheme = parts.scheme.lower()
    if scheme not in _IMAP_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: {expected}")
    if not parts.username or parts.password is None:
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: a user and password are needed")
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: {expected}")
    port = _port(parts, _IMAP_SCHEMES[scheme], name, raw, expected)
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    if any(ch in mailbox for ch in "\r\n\x00"):
        raise ImproperlyConfigured(f"{name}={_masked(raw)!r}: the mailbox name is not valid")
    return ImapConfig(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username),
        password=unquote(parts.password),
        mailbox=mailbox,
        use_ssl=scheme == "imaps",
        starttls=scheme == "imap+starttls",
    )


def mail_from() -> tuple[str, str]:
    """Our (display name, address) from ``SATUPINTU_MAIL_FROM``; ImproperlyConfigured when it
    holds no valid address."""
    raw = settings.MAIL_FROM.strip()
    display, address = email.utils.parseaddr(raw)
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"SATUPINTU_MAIL_FROM={raw!r}: expected an e-mail address, such as "
            "lapor@depok.go.id or 'Lapor Depok <lapor@depok.go.id>'"
        ) from None
    return display, address


def mail_domain() -> str:
    return mail_from()[1].rsplit("@", 1)[1].lower()


def is_enabled() -> bool:
    """Sending is on: ``SATUPINTU_SMTP_URL`` and ``SATUPINTU_MAIL_FROM`` are set."""
    return bool(settings.SMTP_URL.strip() and settings.MAIL_FROM.strip())


def inbound_enabled() -> bool:
    """Polling is on: sending is, and ``SATUPINTU_IMAP_URL`` is set (answers need SMTP)."""
    return is_enabled() and bool(settings.IMAP_URL.strip())


def configuration_problems() -> tuple[list[str], list[str]]:
    """What is wrong with the e-mail settings (``satupintu check``): (errors: a value that
    cannot be used, warnings: a door left half open); empty lists when nothing."""
    errors: list[str] = []
    warnings: list[str] = []
    smtp, sender, imap = (
        settings.SMTP_URL.strip(),
        settings.MAIL_FROM.strip(),
        settings.IMAP_URL.strip(),
    )
    checks = ((smtp, parse_smtp_url), (sender, lambda _raw: mail_from()), (imap, parse_imap_url))
    for value, parse in checks:
        if value:
            try:
                parse(value)
            except ImproperlyConfigured as exc:
                errors.append(str(exc))
    if bool(smtp) != bool(sender):
        missing = "SATUPINTU_MAIL_FROM" if smtp else "SATUPINTU_SMTP_URL"
        warnings.append(f"{missing} is not set: e-mail stays off until both are set")
    if imap and not (smtp and sender):
        warnings.append(
            "SATUPINTU_IMAP_URL is set but sending is off (SATUPINTU_SMTP_URL and "
            "SATUPINTU_MAIL_FROM): incoming mail is not read until it can be answered"
        )
    return errors, warnings


# --------------------------------------------------------------------------- out


def tracking_tag(report: Report) -> str:
    from satupintu.complaints import tracking

    return f"[{tracking.format_tracking_number(report.tracking_number)}]"


def subject_of(message: Message) -> str:
    """The mail's subject on one line, with the report's tracking number in front."""
    subject = re.sub(r"\s+", " ", message.subject or "").strip()
    if not subject:
        first = (message.body or "").strip().split("\n", 1)[0]
        subject = mailtext.title_from("", first, max_len=80) or settings.SITE_NAME
    report = message.report if message.report_id else None
    if report is not None:
        tag = tracking_tag(report)
        if tag[1:-1] not in subject:
            subject = f"{tag} {subject}"
    return subject[:250]


def html_of(message: Message) -> str:
    """The HTML part: the message's own, or its text escaped, links made, lines kept."""
    if message.html.strip():
        return message.html
    language = escape(message.language or "id")
    body = linebreaks(urlize(message.body or "", nofollow=True, autoescape=True))
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"></head>'
        '<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5">'
        f"{body}</body></html>\n"
    )


def message_id_for(message: Message) -> str:
    from satupintu.notifications.messages import idempotency_key

    return email.utils.make_msgid(idstring=idempotency_key(message), domain=mail_domain())


def build(message: Message, address: str) -> EmailMultiAlternatives:
    """The mail for ``message`` to ``address`` (no connection attached)."""
    display, sender = mail_from()
    message_id = message_id_for(message)
    headers = {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-replied" if message.purpose in REPLY_PURPOSES else "auto-generated",
        # Exchange and Outlook: no out-of-office answer to us.
        "X-Auto-Response-Suppress": "All",
        "Content-Language": message.language or "id",
    }
    if message.in_reply_to:
        reference = message.in_reply_to.strip()
        headers["In-Reply-To"] = reference
        headers["References"] = reference
    mail = EmailMultiAlternatives(
        subject=subject_of(message),
        body=message.body,
        from_email=email.utils.formataddr((display, sender)) if display else sender,
        to=[address],
        headers=headers,
    )
    mail.attach_alternative(html_of(message), "text/html")
    return mail


def _smtp_outcome(exc: Exception) -> Outcome:
    """A refusal or a failure as an Outcome: 5xx refusals are final, everything else is
    tried again (4xx, a dropped connection, a timeout, our own login refused)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        texts = "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in exc.recipients.values()
        )
        final = bool(codes) and all(500 <= code < 600 for code in codes)
        return Outcome(ok=False, retry=not final, error=f"recipient refused: {texts}"[:500])
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Outcome(ok=False, error=f"SMTP login refused: {exc.smtp_code}"[:500])
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        final = 500 <= exc.smtp_code < 600
        return Outcome(ok=False, retry=not final, error=f"SMTP {exc.smtp_code} {text}"[:500])
    if isinstance(exc, socket.timeout | TimeoutError):
        return Outcome(ok=False, error="SMTP timeout")
    return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])


def _hang_up(backend: EmailBackend) -> None:
    """Close a connection Django's backend left open (it does after a refused login)."""
    connection = backend.connection
    if connection is None:
        return
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.quit()
    with contextlib.suppress(OSError):
        connection.close()
    backend.connection = None


def send(message: Message, address: str) -> Outcome:
    """Send one message; never raises for what the network or the server does."""
    if not is_enabled():
        return Outcome(ok=False, retry=False, error="e-mail is off (SATUPINTU_SMTP_URL)")
    try:
        config = parse_smtp_url(settings.SMTP_URL)
        mail = build(message, address)
    except ImproperlyConfigured as exc:
        return Outcome(ok=False, error=str(exc)[:500])
    except ValueError as exc:  # an address that cannot be written in a header
        return Outcome(ok=False, retry=False, error=f"invalid address: {exc}"[:500])
    backend = config.backend()
    try:
        sent = backend.send_messages([mail])
    except (smtplib.SMTPException, OSError) as exc:
        return _smtp_outcome(exc)
    except ValueError as exc:
        return Outcome(ok=False, retry=False, error=f"invalid address: {exc}"[:500])
    finally:
        _hang_up(backend)
    if not sent:
        return Outcome(ok=False, retry=False, error="no recipient")
    return Outcome(ok=True, provider_id=str(mail.extra_headers["Message-ID"]))


# --------------------------------------------------------------------------- reading a mail
# (channels/mailread.py)


# --------------------------------------------------------------------------- filters


def ignore_reason(mail: Mail) -> str:
    """Why ``mail`` gets no answer (automatic, a bounce, a list, ours, no sender); "" when it
    is a person's."""
    auto = mail.header("auto-submitted").split(";", 1)[0].strip().lower()
    if auto and auto != "no":
        return f"auto-submitted: {auto}"[:100]
    if mail.header("precedence").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return "precedence: " + mail.header("precedence").lower()[:40]
    if mail.header("x-autoreply") or mail.header("x-autorespond"):
        return "auto-reply"
    if mail.content_type == "multipart/report":
        return "delivery report"
    local = mail.sender.split("@", 1)[0].lower()
    if local in {"mailer-daemon", "postmaster"}:
        return "delivery report"
    if mail.header("return-path").strip() == "<>":
        return "null sender"
    if mail.header("list-id"):
        return "mailing list"
    if not mail.sender:
        return "no sender address"
    try:
        ours = mail_from()[1].lower()
    except ImproperlyConfigured:
        ours = ""
    if mail.sender.lower() == ours:
        return "our own mail"
    return ""


# --------------------------------------------------------------------------- threading

_TRACKING = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{5})[-\s]?([0-9A-Z]{5})(?![0-9A-Z])")
_OUR_KEY = re.compile(r"\.satupintu-(\d+)@([^>]+)>$")


def thread_of(mail: Mail) -> Report | None:
    """The report ``mail`` belongs to: the one of a mail of ours it answers, else the one its
    subject names when the sender is that report's subscriber."""
    from satupintu.complaints import tracking
    from satupintu.complaints.models import Report
    from satupintu.core import crypto
    from satupintu.notifications.models import Message, Subscription

    if mail.references:
        found = (
            Message.objects.filter(
                channel=CHANNEL, provider_id__in=mail.references, report__isnull=False
            )
            .order_by("-pk")
            .values_list("report_id", flat=True)
            .first()
        )
        if found is None:
            # A reply to a mail whose send was not recorded (a worker killed just after it):
            # our Message-ID still names the message; the sender must be its recipient.
            index = crypto.blind_index(mail.sender)
            pks = [
                int(match.group(1))
                for ref in mail.references
                if (match := _OUR_KEY.search(ref)) and match.group(2).lower() == _domain_or("")
            ]
            if pks:
                found = (
                    Message.objects.filter(
                        pk__in=pks, channel=CHANNEL, address_index=index, report__isnull=False
                    )
                    .order_by("-pk")
                    .values_list("report_id", flat=True)
                    .first()
                )
        if found is not None:
            return Report.objects.filter(pk=found).first()
    index = crypto.blind_index(mail.sender)
    for match in list(_TRACKING.finditer(mail.subject.upper()))[:5]:
        number = tracking.normalize_tracking_number(match.group(1) + match.group(2))
        report = Report.objects.filter(tracking_number=number).first()
        if report is None:
            continue
        if Subscription.objects.filter(
            report=report, channel=CHANNEL, address_index=index
        ).exists():
            return report
    return None


def _domain_or(default: str) -> str:
    try:
        return mail_domain()
    except ImproperlyConfigured:
        return default


# --------------------------------------------------------------------------- answers


def _tracking_url(report: Report) -> str:
    path = reverse("portal:reporter", kwargs={"tracking": report.tracking_number})
    return f"{settings.SITE_URL}{path}"


def _number(report: Report) -> str:
    from satupintu.complaints import tracking

    return tracking.format_tracking_number(report.tracking_number)


def _signed(body: str) -> str:
    return f"{body}\n\n-- \n{settings.SITE_NAME}\n" + _("Surel ini dikirim otomatis.")


def _refused_lines(refused: list[str]) -> str:
    if not refused:
        return ""
    lines = "\n".join(f"- {reason}" for reason in refused)
    return "\n\n" + _("Lampiran berikut tidak kami simpan:") + "\n" + lines


def receipt_text(report: Report, secret: str, refused: list[str]) -> tuple[str, str]:
    """(subject, body) of the receipt for a new report."""
    values = {"number": _number(report), "secret": secret, "url": _tracking_url(report)}
    subject = f"{tracking_tag(report)} " + _("Laporan Anda kami terima: %(title)s") % {
        "title": report.title
    }
    body = (
        _("Terima kasih, laporan Anda sudah kami terima.")
        + "\n\n"
        + _("Nomor laporan")
        + f": {values['number']}\n"
        + _("Kode rahasia")
        + f": {values['secret']}\n\n"
        + _(
            "Dengan nomor laporan dan kode rahasia ini Anda dapat mengikuti laporan Anda di "
            "%(url)s. Simpan kode rahasia ini dan jangan bagikan kepada siapa pun."
        )
        % values
        + "\n"
        + _("Untuk menambah keterangan, balas surel ini.")
        + _refused_lines(refused)
    )
    return subject, _signed(body)


def closed_text(report: Report) -> tuple[str, str]:
    """(subject, body) of the answer to a reply to a closed or archived report."""
    from satupintu.agencies import calendar as workcal
    from satupintu.domain.lifecycle import Status

    values = {"number": _number(report), "url": _tracking_url(report)}
    write_anew = _("Untuk masalah baru, kirim surel baru tanpa nomor laporan di subjeknya.")
    if report.status == Status.ARCHIVED:
        text = _("Laporan %(number)s sudah diarsipkan, sehingga balasan Anda tidak ditambahkan.")
    elif report.appeal_until is not None and workcal.today() > report.appeal_until:
        values["date"] = formats.date_format(report.appeal_until)
        text = _(
            "Laporan %(number)s sudah ditutup dan masa bandingnya berakhir pada %(date)s, "
            "sehingga balasan Anda tidak ditambahkan."
        )
    elif report.appeal_until is not None:
        values["date"] = formats.date_format(report.appeal_until)
        text = _(
            "Laporan %(number)s sudah ditutup, sehingga balasan Anda tidak ditambahkan. Jika "
            "Anda belum puas dengan penyelesaiannya, ajukan banding di %(url)s dengan nomor "
            "laporan dan kode rahasia Anda paling lambat %(date)s."
        )
    else:
        text = _(
            "Laporan %(number)s sudah ditutup, sehingga balasan Anda tidak ditambahkan. Jika "
            "Anda belum puas dengan penyelesaiannya, ajukan banding di %(url)s dengan nomor "
            "laporan dan kode rahasia Anda."
        )
    subject = f"{tracking_tag(report)} " + _("Laporan sudah ditutup")
    return subject, _signed(text % values + "\n\n" + write_anew)


# --------------------------------------------------------------------------- the pipeline


@dataclass
class Handled:
    """What became of one mail."""

    outcome: str  # filed, reply, closed, refused, too_large, ignored
    status: str
    report: Report | None = None
    error: str = ""


def _queue_answer(
    row: InboundMessage,
    mail: Mail,
    *,
    language: str,
    subject: str,
    body: str,
    purpose: str = "reply",
    report: Report | None = None,
) -> None:
    from satupintu.core import crypto
    from satupintu.notifications import messages
    from satupintu.notifications.models import Message

    # Loop protection beyond the headers: a robot that answers every mail without saying so
    # (no Auto-Submitted) gets a few answers an hour from us, then silence.
    recent = Message.objects.filter(
        channel=CHANNEL,
        address_index=crypto.blind_index(mail.sender),
        purpose__in=REPLY_PURPOSES,
        created_at__gte=timezone.now() - dt.timedelta(hours=1),
    )
    if recent.count() >= ANSWERS_PER_HOUR:
        logger.warning("e-mail answer to inbound %s held back: too many this hour", row.pk)
        return
    messages.queue(
        channel=CHANNEL,
        address=mail.sender,
        purpose=purpose,
        body=body,
        subject=subject,
        language=language,
        report=report,
        in_reply_to=mail.message_id,
        dedupe_key=f"email-in:{row.pk}:{purpose}",
    )


def _answer_subject(mail: Mail, fallback: str) -> str:
    original = mailtext.clean_subject(mail.subject)
    return f"Re: {original}" if original else fallback


def _checked_files(mail: Mail) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The mail's files the portal's checks accept (raw bytes: the intake cleans them again
    as it stores them), and one reason per refused file."""
    from satupintu.complaints.attachments import clean_files, limits
    from satupintu.core.errors import InvalidInput

    max_files, _max_bytes = limits()
    accepted: list[tuple[str, bytes]] = []
    refused = [
        _("%(name)s: berkas ini rusak atau tidak terbaca.") % {"name": name}
        for name in mail.broken_attachments
    ]
    for name, content in mail.attachments:
        try:
            clean_files([(name, io.BytesIO(content))])
        except InvalidInput as exc:
            refused.append(exc.message)
            continue
        if len(accepted) >= max_files:
            refused.append(
                _("%(name)s: paling banyak %(max)s berkas per laporan.")
                % {"name": name, "max": max_files}
            )
            continue
        accepted.append((name, content))
    return accepted, refused


def _file_new(row: InboundMessage, mail: Mail, language: str) -> Handled:
    from satupintu.complaints.actions.inputs import DESCRIPTION_MAX, TITLE_MAX, Contact
    from satupintu.complaints.actions.intake import report_receive
    from satupintu.core.errors import InvalidInput
    from satupintu.notifications import messages

    text = mailtext.strip_signature(mail.text)
    if len(text) > DESCRIPTION_MAX:
        text = text[: DESCRIPTION_MAX - 1].rstrip() + "…"
    title = mailtext.title_from(mail.subject, text, max_len=TITLE_MAX)
    files, refused = _checked_files(mail)
    try:
        with transaction.atomic():
            report, secret = report_receive(
                actor=None,
                channel=CHANNEL,
                title=title or _("Laporan melalui surel"),
                description=text,
                contact=Contact(name=mail.sender_name, email=mail.sender),
                attachments=[(name, io.BytesIO(content)) for name, content in files],
                external_ref=mail.message_id[:100],
            )
            messages.subscribe(report, channel=CHANNEL, address=mail.sender, language=language)
    except InvalidInput as exc:
        body = (
            _("Laporan Anda belum dapat kami catat: %(reason)s") % {"reason": exc.message}
            + "\n\n"
            + _(
                "Kirim ulang surel dengan penjelasan masalahnya: apa yang terjadi, di mana, "
                "dan sejak kapan."
            )
        )
        _queue_answer(
            row,
            mail,
            language=language,
            subject=_answer_subject(mail, _("Laporan belum tercatat")),
            body=_signed(body),
        )
        return Handled("refused", "done", error=exc.message[:500])
    subject, body = receipt_text(report, secret, refused)
    _queue_answer(
        row, mail, language=language, subject=subject, body=body, purpose="receipt", report=report
    )
    return Handled("filed", "done", report=report)


def _reply(row: InboundMessage, mail: Mail, report: Report, language: str) -> Handled:
    from satupintu.complaints.actions.intake import report_add_attachments
    from satupintu.complaints.actions.reporter import report_reporter_reply
    from satupintu.complaints.actors import Reporter
    from satupintu.core.errors import InvalidInput, InvalidTransition
    from satupintu.domain.lifecycle import TRANSITIONS, Action

    if report.status not in TRANSITIONS[Action.REPORTER_REPLY].sources:
        subject, body = closed_text(report)
        _queue_answer(row, mail, language=language, subject=subject, body=body, report=report)
        return Handled("closed", "done", report=report)
    actor = Reporter(report_id=report.pk)
    text = mailtext.strip_reply(mail.text)
    files, refused = _checked_files(mail)
    number = _number(report)
    try:
        with transaction.atomic():
            if text:
                report_reporter_reply(actor=actor, report_id=report.pk, body=text)
            if files:
                report_add_attachments(
                    actor=actor,
                    report_id=report.pk,
                    files=[(name, io.BytesIO(content)) for name, content in files],
                )
            if not text and not files:
                raise InvalidInput(_("Balasan Anda tidak berisi tanggapan baru."))
    except InvalidTransition:
        report.refresh_from_db()
        subject, body = closed_text(report)
        _queue_answer(row, mail, language=language, subject=subject, body=body, report=report)
        return Handled("closed", "done", report=report)
    except InvalidInput as exc:
        body = _("Tanggapan Anda belum dapat ditambahkan ke laporan %(number)s: %(reason)s") % {
            "number": number,
            "reason": exc.message,
        }
        _queue_answer(
            row,
            mail,
            language=language,
            subject=f"{tracking_tag(report)} " + _("Tanggapan belum tercatat"),
            body=_signed(body + _refused_lines(refused)),
            report=report,
        )
        return Handled("refused", "done", report=report, error=exc.message[:500])
    body = _("Tanggapan Anda sudah ditambahkan ke laporan %(number)s.") % {"number": number}
    _queue_answer(
        row,
        mail,
        language=language,
        subject=f"{tracking_tag(report)} " + _("Tanggapan Anda kami terima"),
        body=_signed(body + _refused_lines(refused)),
        report=report,
    )
    return Handled("reply", "done", report=report)


def _too_large(row: InboundMessage, mail: Mail, language: str) -> Handled:
    from satupintu.complaints.attachments import limits, size_text

    max_files, max_bytes = limits()
    values = {
        "size": str(filesizeformat(mail.raw_size)).replace("\xa0", " "),
        "max": size_text(MAX_MAIL_BYTES),
        "files": max_files,
        "file_max": size_text(max_bytes),
    }
    body = _(
        "Surel Anda berukuran %(size)s, melebihi batas %(max)s, sehingga belum kami catat. "
        "Kirim ulang dengan lampiran yang lebih kecil: paling banyak %(files)s berkas JPEG, "
        "PNG, atau PDF, masing-masing paling besar %(file_max)s."
    )
    _queue_answer(
        row,
        mail,
        language=language,
        subject=_answer_subject(mail, _("Surel Anda terlalu besar")),
        body=_signed(body % values),
    )
    return Handled("too_large", "done", error="too large")


def handle(row: InboundMessage, mail: Mail) -> Handled:
    """Act on one stored mail (inside the caller's transaction)."""
    reason = ignore_reason(mail)
    if reason:
        return Handled("ignored", "ignored", error=reason)
    language = mailtext.guess_language(
        f"{mail.subject}\n{mail.text}", mail.header("content-language")
    )
    with translation.override(language):
        if mail.truncated:
            return _too_large(row, mail, language)
        report = thread_of(mail)
        if report is not None:
            return _reply(row, mail, report, language)
        return _file_new(row, mail, language)


# --------------------------------------------------------------------------- storing once


def _claim(mail: Mail) -> tuple[InboundMessage | None, bool]:
    """Store the mail as an InboundMessage, or take over one a crash left pending.

    Returns (the row to act on, or None; whether the mail is done and may be marked seen)."""
    from satupintu.channels.models import InboundMessage
    from satupintu.core import crypto

    now = timezone.now()
    lease = now + dt.timedelta(seconds=LEASE_SECONDS)
    row = InboundMessage(
        channel=CHANNEL,
        provider_id=mail.provider_id,
        address_encrypted=crypto.encrypt_text(mail.sender),
        address_index=crypto.blind_index(mail.sender) if mail.sender else "",
        kind="email",
        payload={
            "message_id": mail.message_id,
            "subject": mail.subject[:255],
            "size": mail.raw_size,
            "attachments": len(mail.attachments),
        },
        received_at=now,
        lease_until=lease,
        attempts=1,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
        return row, False
    except IntegrityError:
        pass
    existing = InboundMessage.objects.filter(channel=CHANNEL, provider_id=mail.provider_id).first()
    if existing is None:
        return None, True
    Status = InboundMessage.Status
    if existing.status == Status.FAILED and existing.attempts < MAX_ATTEMPTS:
        # An earlier try failed (receive() left the mail unseen): try again.
        rows = InboundMessage.objects.filter(pk=existing.pk, status=Status.FAILED)
    elif existing.status == Status.PENDING:
        # A worker was killed while acting on it: take it once its lease has run out.
        rows = InboundMessage.objects.filter(pk=existing.pk, status=Status.PENDING).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )
    else:
        return None, True
    taken = rows.filter(attempts=existing.attempts).update(
        status=Status.PENDING, attempts=F("attempts") + 1, lease_until=lease
    )
    if not taken:
        return None, False  # another worker is at it: it marks the mail when done
    existing.refresh_from_db()
    return existing, False


def receive(raw: bytes, *, truncated: bool = False, size: int | None = None) -> tuple[str, bool]:
    """Take one mail from the mailbox: (what became of it, whether to mark it seen)."""
    from satupintu.channels.models import InboundMessage

    mail = read(raw, truncated=truncated, size=size)
    row, done = _claim(mail)
    if row is None:
        return ("duplicate" if done else "busy"), done
    try:
        with transaction.atomic():
            handled = handle(row, mail)
            payload = dict(row.payload) | {"outcome": handled.outcome}
            InboundMessage.objects.filter(pk=row.pk).update(
                status=handled.status,
                processed_at=timezone.now(),
                lease_until=None,
                report=handled.report,
                error=handled.error[:500],
                payload=payload,
            )
    except Exception as exc:  # a bug or an outage: undone whole, tried again at a later poll
        logger.exception("e-mail %s could not be handled", mail.provider_id)
        # Failed, and left unseen in the mailbox until MAX_ATTEMPTS: _claim() takes a failed
        # row again. (Never left pending: the conversation doors' job takes pending rows.)
        InboundMessage.objects.filter(pk=row.pk).update(
            status=InboundMessage.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:500],
            lease_until=None,
        )
        return "failed", row.attempts >= MAX_ATTEMPTS
    return handled.outcome, True


# --------------------------------------------------------------------------- the mailbox


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextlib.contextmanager
def mailbox(config: ImapConfig) -> Iterator[imaplib.IMAP4]:
    """A logged-in IMAP connection with the mailbox selected (read-write)."""
    imap: imaplib.IMAP4
    if config.use_ssl:
        imap = imaplib.IMAP4_SSL(
            config.host,
            config.port,
            ssl_context=ssl.create_default_context(),
            timeout=config.timeout,
        )
    else:
        imap = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            imap.starttls(ssl.create_default_context())
        imap.login(config.username, config.password)
        status, data = imap.select(_quoted(config.mailbox))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot select {config.mailbox!r}: {data!r}")
        yield imap
    finally:
        with contextlib.suppress(Exception):
            imap.logout()


def _fetched(data: list[Any]) -> tuple[bytes, int | None]:
    """The literal and the RFC822.SIZE of one FETCH answer."""
    literal = b""
    size = None
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2:
            head = item[0] if isinstance(item[0], bytes) else b""
            found = re.search(rb"RFC822\.SIZE (\d+)", head)
            if found:
                size = int(found.group(1))
            if isinstance(item[1], bytes):
                literal = item[1]
        elif isinstance(item, bytes):
            found = re.search(rb"RFC822\.SIZE (\d+)", item)
            if found:
                size = int(found.group(1))
    return literal, size


def poll(limit: int = 50) -> str:
    """Periodic job ``email-poll``: act on up to ``limit`` unseen mails; a one-line summary,
    "" when e-mail is off or nothing came."""
    if not inbound_enabled():
        return ""
    try:
        config = parse_imap_url(settings.IMAP_URL)
    except ImproperlyConfigured as exc:
        return f"e-mail: {exc}"
    counts: Counter[str] = Counter()
    try:
        with mailbox(config) as imap:
            status, data = imap.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
            if status != "OK":
                return f"e-mail: IMAP search failed: {data!r}"[:300]
            uids = (data[0] or b"").split()[:limit]
            for uid in uids:
                uid_text = uid.decode()
                status, head = imap.uid("FETCH", uid_text, "(RFC822.SIZE BODY.PEEK[HEADER])")
                if status != "OK":
                    counts["unreadable"] += 1
                    continue
                headers, size = _fetched(head)
                if size is not None and size > MAX_MAIL_BYTES:
                    outcome, seen = receive(headers, truncated=True, size=size)
                else:
                    status, whole = imap.uid("FETCH", uid_text, "(BODY.PEEK[])")
                    raw, _size = _fetched(whole) if status == "OK" else (b"", None)
                    if not raw:
                        counts["unreadable"] += 1  # left unseen: read again at the next poll
                        continue
                    if len(raw) > MAX_MAIL_BYTES:
                        outcome, seen = receive(headers, truncated=True, size=len(raw))
                    else:
                        outcome, seen = receive(raw, size=size)
                if seen:
                    imap.uid("STORE", uid_text, "+FLAGS", "(\\Seen)")
                counts[outcome] += 1
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        logger.warning("e-mail poll failed: %s", exc)
        done = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        return f"e-mail: IMAP {type(exc).__name__}: {exc}"[:300] + (f" ({done})" if done else "")
    if not counts:
        return ""
    return "e-mail: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
