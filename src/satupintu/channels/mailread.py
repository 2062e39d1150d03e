"""Reading one incoming mail (:func:`read`): its headers, its text and its attachments, parsed
with the standard library's e-mail package. channels/email.py decides what to do with the
result, and which mails to leave alone.
"""

from __future__ import annotations

import contextlib
import email.message
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from satupintu.channels import mailtext

# --------------------------------------------------------------------------- reading a mail


@dataclass
class Mail:
    """What the pipeline needs of one incoming mail."""

    raw_size: int
    message_id: str  # with its angle brackets; "" when the mail had none
    provider_id: str  # message_id, or a hash of the raw mail
    sender: str  # the From address, lower-cased domain; "" when none usable
    sender_name: str
    subject: str
    text: str
    headers: dict[str, str]
    references: list[str]
    content_type: str
    truncated: bool = False
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    broken_attachments: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def _header(msg: email.message.Message, name: str) -> str:
    """One header as text; never raises on a malformed one (its raw value then)."""
    try:
        value = msg.get(name)
        return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""
    except Exception:  # noqa: BLE001 - the email package raises many kinds on broken headers
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                return re.sub(r"\s+", " ", str(raw)).strip()
        return ""


_MSGID = re.compile(r"<[^<>\s]{1,250}>")


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def _address(value: str) -> tuple[str, str]:
    name, address = email.utils.parseaddr(value or "")
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        return "", ""
    local, domain = address.rsplit("@", 1)
    return name.strip()[:150], f"{local}@{domain.lower()}"


def _part_text(part: email.message.Message) -> str:
    with contextlib.suppress(Exception):  # an unknown charset, a broken transfer encoding
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("utf-8", errors="replace")
    return ""


def _body_and_files(
    msg: email.message.Message,
) -> tuple[str, list[tuple[str, bytes]], list[str]]:
    """The text (plain, else HTML turned to text), the files, and files that were unreadable."""
    plain: list[str] = []
    html: list[str] = []
    files: list[tuple[str, bytes]] = []
    broken: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() == "message/delivery-status":
            continue
        try:
            filename = part.get_filename() or ""
        except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter
            filename = "lampiran"
        disposition = (part.get_content_disposition() or "").lower()
        maintype = part.get_content_maintype()
        if maintype == "text" and not filename and disposition != "attachment":
            (html if part.get_content_subtype() == "html" else plain).append(_part_text(part))
            continue
        if maintype == "multipart":
            continue
        name = filename or f"lampiran-{len(files) + len(broken) + 1}"
        try:
            payload = part.get_payload(decode=True)
        except Exception:  # noqa: BLE001
            payload = None
        if not isinstance(payload, bytes) or not payload:
            broken.append(name)
            continue
        files.append((name, payload))
    if plain and any(text.strip() for text in plain):
        text = "\n\n".join(t for t in plain if t.strip())
    else:
        text = "\n\n".join(mailtext.html_to_text(h) for h in html)
    return text, files, broken


def read(raw: bytes, *, truncated: bool = False, size: int | None = None) -> Mail:
    """Parse one mail (the headers alone when ``truncated``); never raises."""
    msg: email.message.Message
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # noqa: BLE001 - parsing is lenient, but never trust it
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    names = (
        "message-id",
        "in-reply-to",
        "references",
        "from",
        "subject",
        "auto-submitted",
        "precedence",
        "list-id",
        "return-path",
        "x-autoreply",
        "x-autorespond",
        "content-language",
    )
    headers = {name: _header(msg, name) for name in names}
    ids = _message_ids(headers["message-id"])
    message_id = ids[0] if ids else ""
    provider_id = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    sender_name, sender = _address(headers["from"])
    references = _message_ids(headers["in-reply-to"]) + _message_ids(headers["references"])
    try:
        content_type = msg.get_content_type()
    except Exception:  # noqa: BLE001
        content_type = "text/plain"
    text, files, broken = ("", [], []) if truncated else _body_and_files(msg)
    return Mail(
        raw_size=size if size is not None else len(raw),
        message_id=message_id,
        provider_id=provider_id[:255],
        sender=sender,
        sender_name=sender_name,
        subject=headers["subject"][:500],
        text=text,
        headers=headers,
        references=references,
        content_type=content_type,
        truncated=truncated,
        attachments=files,
        broken_attachments=broken,
    )
