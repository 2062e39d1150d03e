"""Real mail servers on loopback for the e-mail door's tests.

* :func:`smtp_server`: aiosmtpd on 127.0.0.1 (a free port), collecting every mail it accepts
  and answering RCPT from a script (``server.refuse = "550 …"``); :func:`tls_smtp_server`
  the same behind STARTTLS with a self-signed certificate made here, trusted through
  ``SSL_CERT_FILE``.
* :func:`dovecot`: Debian's Dovecot as a real IMAP server (plain with STARTTLS, and IMAPS,
  with a self-signed certificate), run by the fixture with its own configuration, user and
  maildir under a temporary folder (no system service), stopped at the end; :func:`mailbox`
  empties its INBOX for each test and delivers with IMAP APPEND. Where Dovecot is not
  installed the tests skip saying so, except in CI (``CI`` set), where scripts/setup --dev
  installs it and its absence fails them.
* :func:`email_on`: the settings that switch the door on, pointed at both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import gc
import imaplib
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

DOVECOT = "/usr/sbin/dovecot"
MAIL_FROM = "Lapor Kota <lapor@pemda.example.id>"
IMAP_USER = "lapor@pemda.example.id"
IMAP_PASSWORD = "kata sandi@rahasia"  # noqa: S105 - a test server's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return str(part.get_content())
        raise AssertionError(f"no {content_type} part")


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    #: An SMTP answer to every RCPT (e.g. "550 5.1.1 no such user"); None accepts.
    refuse: str | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)

    def url(self, scheme: str = "smtp", userinfo: str = "") -> str:
        return f"{scheme}://{userinfo}{self.host}:{self.port}"

    def clear(self) -> None:
        self.received.clear()


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self.lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.server.refuse:
            return self.server.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, smtp: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        with self.lock:
            self.server.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), content)
            )
        return "250 Message accepted"


class _Authenticator:
    def __init__(self, server: SmtpServer, user: str, password: str) -> None:
        self.server, self.user, self.password = server, user, password

    def __call__(
        self, smtp: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
            self.server.logins.append((login, password))
            if (login, password) == (self.user, self.password):
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@contextlib.contextmanager
def running_smtp(**kwargs: Any) -> Iterator[SmtpServer]:
    server = SmtpServer("127.0.0.1", free_port())
    auth = kwargs.pop("auth", None)
    if auth:
        kwargs |= {"authenticator": _Authenticator(server, *auth), "auth_required": True}
    controller = Controller(
        _Handler(server), hostname=server.host, port=server.port, ready_timeout=10, **kwargs
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
        # aiosmtpd leaves the transport of a session that failed its login for the garbage
        # collector: the server's leak, not the code under test's.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path


def self_signed(folder: Path) -> Certificate:
    """A certificate for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_path, key_path)


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed(tmp_path)


def server_context(certificate: Certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert, certificate.key)
    return context


@pytest.fixture
def tls_smtp_server(certificate: Certificate, monkeypatch: Any) -> Iterator[SmtpServer]:
    """An SMTP server that takes mail only after STARTTLS, its certificate trusted."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    with running_smtp(tls_context=server_context(certificate), require_starttls=True) as server:
        yield server


# --------------------------------------------------------------------------- IMAP (Dovecot)


@dataclass
class Dovecot:
    host: str
    port: int
    tls_port: int
    folder: Path
    certificate: Certificate
    process: subprocess.Popen[bytes]

    def url(self, mailbox: str = "INBOX", scheme: str = "imap") -> str:
        from urllib.parse import quote

        user = quote(IMAP_USER, safe="")
        password = quote(IMAP_PASSWORD, safe="")
        port = self.tls_port if scheme == "imaps" else self.port
        return f"{scheme}://{user}:{password}@{self.host}:{port}/{mailbox}"

    def client(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        imap.login(IMAP_USER, IMAP_PASSWORD)
        imap.select("INBOX")
        return imap


def _dovecot_user() -> tuple[str, str]:
    """Who Dovecot's processes run as: nobody under root (Dovecot refuses root for them),
    else the user running the tests (Dovecot then runs unprivileged, as that one user)."""
    if os.geteuid() == 0:
        return "nobody", "nogroup"
    import grp
    import pwd

    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name


def _dovecot_config(folder: Path, port: int, tls_port: int) -> str:
    # Plain IMAP (logins allowed without TLS on loopback, and STARTTLS) and IMAPS, with the
    # self-signed certificate that self_signed() wrote beside the configuration.
    user, group = _dovecot_user()
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{folder}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={folder}/mail/%u
}}
"""


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not os.path.exists(DOVECOT):
        if os.environ.get("CI"):
            pytest.fail(f"{DOVECOT} is missing: scripts/setup --dev installs dovecot-imapd")
        pytest.skip(f"Dovecot is not installed ({DOVECOT}): apt-get install dovecot-imapd")
    # Dovecot's login processes run as nobody (under root), who must reach the sockets and the
    # maildir.
    folder = Path(tempfile.mkdtemp(prefix="satupintu-dovecot-"))
    folder.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (folder / sub).mkdir()
    shutil.chown(folder / "mail", *_dovecot_user())
    (folder / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n")
    certificate = self_signed(folder)
    port, tls_port = free_port(), free_port()
    config = folder / "dovecot.conf"
    config.write_text(_dovecot_config(folder, port, tls_port))
    process = subprocess.Popen(  # noqa: S603 - our own binary and config
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            if process.stderr:
                process.stderr.close()
            log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
            pytest.fail(f"Dovecot did not start: {error}\n{log}")
        time.sleep(0.1)
    try:
        yield Dovecot("127.0.0.1", port, tls_port, folder, certificate, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Mailbox:
    server: Dovecot

    def deliver(self, raw: bytes | EmailMessage) -> None:
        data = raw.as_bytes() if isinstance(raw, EmailMessage) else raw
        imap = self.server.client()
        try:
            result = imap.append("INBOX", None, None, data)  # type: ignore[arg-type]
            assert result[0] == "OK", result
        finally:
            imap.logout()

    def flags(self) -> list[str]:
        """Each mail's flags, in order (``\\Seen`` once handled)."""
        imap = self.server.client()
        try:
            status, data = imap.fetch("1:*", "(FLAGS)")
            if status != "OK" or data == [None]:
                return []
            return [item.decode() for item in data if isinstance(item, bytes)]
        finally:
            imap.logout()

    def count(self) -> int:
        imap = self.server.client()
        try:
            status, data = imap.search(None, "ALL")
            return len((data[0] or b"").split())
        finally:
            imap.logout()

    def mark_unseen(self) -> None:
        imap = self.server.client()
        try:
            imap.store("1:*", "-FLAGS", "(\\Seen)")
        finally:
            imap.logout()

    def empty(self) -> None:
        imap = self.server.client()
        try:
            status, data = imap.search(None, "ALL")
            if (data[0] or b"").split():
                imap.store("1:*", "+FLAGS", "(\\Deleted)")
                imap.expunge()
        finally:
            imap.logout()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[Mailbox]:
    box = Mailbox(dovecot)
    box.empty()
    yield box
    box.empty()


@pytest.fixture
def email_on(settings: Any, smtp_server: SmtpServer, dovecot: Dovecot) -> SmtpServer:
    """The e-mail door switched on: SMTP to the test server, IMAP from Dovecot's INBOX."""
    settings.SMTP_URL = smtp_server.url()
    settings.MAIL_FROM = MAIL_FROM
    settings.IMAP_URL = dovecot.url()
    settings.SITE_URL = "https://lapor.pemda.example.id"
    return smtp_server


def mail(
    *,
    sender: str = "Budi Santoso <budi@warga.example.id>",
    subject: str = "Lampu jalan mati di Jl. Melati",
    text: str = (
        "Selamat pagi, lampu penerangan jalan di depan rumah nomor 12 Jl. Melati sudah mati "
        "sejak seminggu yang lalu. Mohon segera diperbaiki, jalan jadi gelap di malam hari."
    ),
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> EmailMessage:
    """A resident's mail to our address."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = MAIL_FROM
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id or email.utils.make_msgid(domain="warga.example.id")
    for name, value in (headers or {}).items():
        message[name] = value
    if text:
        message.set_content(text)
    if html is not None:
        if text:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    for filename, content_type, content in attachments or []:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message
