"""WhatsApp Business Cloud API: the webhook's signature and payload, media, and sends.

Inbound, Meta posts a notification (``object: whatsapp_business_account``) to the webhook
(channels/views.py), signed with the app secret in ``X-Hub-Signature-256``. :func:`parse` turns
its ``entry[].changes[].value`` into the senders' messages (``messages[]``: text, image,
document, location; any other type is "unsupported" and gets a polite answer) and the delivery
reports of ours (``statuses[]``). The webhook only stores them (channels/inbound.py); the
conversation runs in a task.

Outbound, :func:`send` posts ``/{phone-number-id}/messages``: free text inside the 24-hour
customer-service window that the person's last message opened (``Conversation.last_inbound_at``),
else the approved template the message names (``Message.template``); with neither the message
fails at once, since WhatsApp would refuse it. The Graph API has no idempotency key of its own:
the message's :func:`~satupintu.notifications.messages.idempotency_key` goes as
``biz_opaque_callback_data`` and comes back on its delivery reports.

Media a person sends (``image.id``, ``document.id``) is fetched with :func:`fetch_media`:
``GET /{media-id}`` answers a short-lived URL, which is fetched with the same bearer token.

Settings: ``WHATSAPP_VERIFY_TOKEN`` (the webhook's subscription check), ``WHATSAPP_APP_SECRET``
(signatures), ``WHATSAPP_TOKEN`` (the system user's access token), ``WHATSAPP_PHONE_NUMBER_ID``
and ``WHATSAPP_API_BASE``. The channel is off while any of the first four is unset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings

from satupintu.channels import http
from satupintu.channels.registry import Outcome
from satupintu.core import crypto
from satupintu.domain.conversation import Incoming

if TYPE_CHECKING:
    from satupintu.notifications.models import Message

CHANNEL = "whatsapp"
USER_AGENT = "satupintu-whatsapp/1"
#: Seconds for one Graph API call (well below the send lease, messages.LEASE_SECONDS).
#: A media file may take longer than a send.
MEDIA_TIMEOUT = httpx.Timeout(15.0, connect=3.0)
#: WhatsApp's longest text message.
TEXT_MAX = 4096
#: Message types that are no message of the person's (a reaction to one of ours, a number
#: change notice): not stored, not answered.
SILENT_TYPES = frozenset({"reaction", "system"})
#: Media types we keep, by WhatsApp's MIME type (the content is checked again on intake).
MEDIA_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def is_enabled() -> bool:
    return bool(
        settings.WHATSAPP_VERIFY_TOKEN
        and settings.WHATSAPP_APP_SECRET
        and settings.WHATSAPP_TOKEN
        and settings.WHATSAPP_PHONE_NUMBER_ID
    )


# --------------------------------------------------------------------------- webhook


def verify_subscription(mode: str | None, token: str | None) -> bool:
    """The GET Meta makes when the webhook is set up (``hub.mode``, ``hub.verify_token``)."""
    expected = settings.WHATSAPP_VERIFY_TOKEN
    return (
        mode == "subscribe"
        and bool(expected)
        and hmac.compare_digest((token or "").encode(), expected.encode())
    )


def signature(body: bytes, secret: str) -> str:
    """``X-Hub-Signature-256`` of ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header:
        return False
    return hmac.compare_digest(header.strip().encode(), signature(body, secret).encode())


class PayloadError(ValueError):
    """The notification is not in the shape the Cloud API documents (the reason in English,
    for the provider's logs)."""


@dataclass(frozen=True)
class InboundItem:
    """One message a person sent to our number."""

    provider_id: str  # the wamid
    address: str  # the sender's wa_id, as it came
    incoming: Incoming
    #: What else the provider told of it (MIME type, a document's file name), kept with it.
    extra: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # contacts[].profile.name
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class StatusItem:
    """A delivery report of one of our messages."""

    provider_id: str
    status: str  # sent, delivered, read, failed
    error: str = ""


@dataclass(frozen=True)
class Notification:
    messages: list[InboundItem]
    statuses: list[StatusItem]


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{where} must be a list")
    return value


def _string(value: Any, where: str, *, required: bool = True, max_len: int = 4096) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise PayloadError(f"{where} must be a non-empty string")
    if len(value) > max_len:
        raise PayloadError(f"{where} is longer than {max_len} characters")
    return value


def _number(value: Any, where: str, limit: float) -> float:
    if isinstance(value, bool):
        raise PayloadError(f"{where} must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PayloadError(f"{where} must be a number") from None
    if not -limit <= number <= limit:
        raise PayloadError(f"{where} is out of range")
    return number


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _message(raw: Any, where: str, names: Mapping[str, str]) -> InboundItem | None:
    item = _object(raw, where)
    sender = _string(item.get("from"), f"{where}.from", max_len=32)
    wamid = _string(item.get("id"), f"{where}.id", max_len=255)
    kind = _string(item.get("type"), f"{where}.type", max_len=40)
    extra: dict[str, Any] = {"type": kind}
    if kind in SILENT_TYPES:
        return None
    if kind == "text":
        text = _object(item.get("text"), f"{where}.text")
        incoming = Incoming(kind="text", text=_string(text.get("body"), f"{where}.text.body"))
    elif kind in {"image", "document"}:
        media = _object(item.get(kind), f"{where}.{kind}")
        caption = _string(media.get("caption"), f"{where}.{kind}.caption", required=False)
        media_id = _string(media.get("id"), f"{where}.{kind}.id", max_len=255)
        extra["mime_type"] = _string(
            media.get("mime_type"), f"{where}.{kind}.mime_type", required=False, max_len=100
        )
        if kind == "document":
            extra["filename"] = _string(
                media.get("filename"), f"{where}.document.filename", required=False, max_len=255
            )
        incoming = Incoming(kind=kind, text=caption, media_id=media_id)
    elif kind == "location":
        place = _object(item.get("location"), f"{where}.location")
        name = _string(place.get("name"), f"{where}.location.name", required=False)
        address = _string(place.get("address"), f"{where}.location.address", required=False)
        incoming = Incoming(
            kind="location",
            latitude=_number(place.get("latitude"), f"{where}.location.latitude", 90),
            longitude=_number(place.get("longitude"), f"{where}.location.longitude", 180),
            place=", ".join(part for part in (name, address) if part.strip())[:255],
        )
    elif kind == "button":
        # The person tapped a quick-reply button of a template: its text is their answer.
        button = _object(item.get("button"), f"{where}.button")
        incoming = Incoming(kind="text", text=_string(button.get("text"), f"{where}.button.text"))
    elif kind == "interactive":
        chosen = _object(item.get("interactive"), f"{where}.interactive")
        reply = chosen.get("button_reply") or chosen.get("list_reply")
        title = _object(reply, f"{where}.interactive reply").get("title")
        incoming = Incoming(kind="text", text=_string(title, f"{where}.interactive title"))
    else:
        incoming = Incoming(kind="unsupported")
    return InboundItem(
        provider_id=wamid,
        address=sender,
        incoming=incoming,
        extra=extra,
        name=names.get(sender, ""),
        sent_at=_timestamp(item.get("timestamp")),
    )


def _status(raw: Any, where: str) -> StatusItem:
    item = _object(raw, where)
    errors = _list(item.get("errors"), f"{where}.errors")
    described = []
    for error in errors:
        if isinstance(error, Mapping):
            details = error.get("error_data")
            detail = details.get("details") if isinstance(details, Mapping) else None
            text = detail or error.get("message") or error.get("title") or ""
            described.append(f"{error.get('code', '')} {text}".strip())
    return StatusItem(
        provider_id=_string(item.get("id"), f"{where}.id", max_len=255),
        status=_string(item.get("status"), f"{where}.status", max_len=40),
        error="; ".join(described)[:500],
    )


def parse(data: Any) -> Notification:
    """The messages and delivery reports of one webhook notification; PayloadError if it is
    not shaped as the Cloud API documents it. Changes for another of the account's numbers
    than ours are left out."""
    root = _object(data, "the notification")
    if root.get("object") != "whatsapp_business_account":
        raise PayloadError('"object" must be "whatsapp_business_account"')
    entries = _list(root.get("entry"), "entry")
    messages: list[InboundItem] = []
    statuses: list[StatusItem] = []
    ours = settings.WHATSAPP_PHONE_NUMBER_ID
    for e, raw_entry in enumerate(entries):
        entry = _object(raw_entry, f"entry[{e}]")
        for c, raw_change in enumerate(_list(entry.get("changes"), f"entry[{e}].changes")):
            where = f"entry[{e}].changes[{c}]"
            change = _object(raw_change, where)
            if change.get("field", "messages") != "messages":
                continue
            value = _object(change.get("value"), f"{where}.value")
            metadata = value.get("metadata")
            if isinstance(metadata, Mapping) and metadata.get("phone_number_id") not in (
                None,
                ours,
            ):
                continue
            names: dict[str, str] = {}
            for k, raw_contact in enumerate(_list(value.get("contacts"), f"{where}.contacts")):
                contact = _object(raw_contact, f"{where}.contacts[{k}]")
                profile = contact.get("profile")
                name = profile.get("name") if isinstance(profile, Mapping) else None
                wa_id = contact.get("wa_id")
                if isinstance(wa_id, str) and isinstance(name, str):
                    names[wa_id] = name[:150]
            for m, raw in enumerate(_list(value.get("messages"), f"{where}.value.messages")):
                found = _message(raw, f"{where}.value.messages[{m}]", names)
                if found is not None:
                    messages.append(found)
            for s, raw in enumerate(_list(value.get("statuses"), f"{where}.value.statuses")):
                statuses.append(_status(raw, f"{where}.value.statuses[{s}]"))
    return Notification(messages, statuses)


# --------------------------------------------------------------------------- Graph API


def client() -> httpx.Client:
    return http.client()


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}", "User-Agent": USER_AGENT}


def _url(path: str) -> str:
    return f"{settings.WHATSAPP_API_BASE.rstrip('/')}/{path}"


def _graph_error(response: httpx.Response) -> str:
    try:
        error = response.json().get("error") or {}
        text = f"{error.get('code', '')} {error.get('message', '')}".strip()
    except (ValueError, AttributeError):
        text = response.text[:200].strip()
    return f"HTTP {response.status_code}: {text or response.reason_phrase}"[:500]


def window_open_for(address: str, now: dt.datetime | None = None) -> bool:
    """Whether this person wrote to us within the last 24 hours: their conversation's last
    message, or a message of theirs stored but not (yet, or ever) processed."""
    from satupintu.channels.models import Conversation, InboundMessage
    from satupintu.notifications.messages import window_open

    index = crypto.blind_index(address.strip())
    last = (
        Conversation.objects.filter(channel=CHANNEL, address_index=index)
        .values_list("last_inbound_at", flat=True)
        .first()
    )
    if window_open(last, now):
        return True
    stored = (
        InboundMessage.objects.filter(channel=CHANNEL, address_index=index)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return window_open(stored, now)


def _template(template: Mapping[str, Any], language: str) -> dict[str, Any]:
    parameters = [
        {"type": "text", "text": str(value)} for value in template.get("parameters") or []
    ]
    body: dict[str, Any] = {
        "name": str(template["name"]),
        "language": {"code": str(template.get("language") or language)},
    }
    if parameters:
        body["components"] = [{"type": "body", "parameters": parameters}]
    return body


def payload(message: Message, address: str, *, window: bool) -> dict[str, Any] | None:
    """The JSON body of the send, or None when WhatsApp would refuse any (outside the window
    with no template)."""
    from satupintu.notifications.messages import idempotency_key

    base: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": address,
        "biz_opaque_callback_data": idempotency_key(message),
    }
    if window:
        return base | {"type": "text", "text": {"body": message.body[:TEXT_MAX]}}
    template = message.template or {}
    if not template.get("name"):
        return None
    return base | {"type": "template", "template": _template(template, message.language)}


def send(message: Message, address: str) -> Outcome:
    """Send one message; never raises for what the network or the Graph API does."""
    body = payload(message, address, window=window_open_for(address))
    if body is None:
        return Outcome(
            ok=False,
            retry=False,
            error="outside the 24-hour customer-service window and no approved template",
        )
    answer = http.post(
        _url(f"{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"),
        json=body,
        headers=_auth(),
        refusal=_graph_error,
    )
    if isinstance(answer, Outcome):
        return answer
    try:
        wamid = answer.json()["messages"][0]["id"]
    except (ValueError, KeyError, IndexError, TypeError):
        return Outcome(ok=False, error=f"HTTP {answer.status_code}: no message id in the answer")
    return Outcome(ok=True, provider_id=str(wamid))


# --------------------------------------------------------------------------- media


class MediaError(Exception):
    """A media file could not be fetched; ``too_big`` when it exceeds the attachment limit."""

    def __init__(self, reason: str, *, too_big: bool = False) -> None:
        super().__init__(reason)
        self.too_big = too_big


@dataclass(frozen=True)
class Media:
    media_id: str
    mime_type: str
    content: bytes


def fetch_media(media_id: str, *, max_bytes: int) -> Media:
    """The file behind ``media_id``; MediaError when it is gone, refused or over ``max_bytes``
    (never read further than that)."""
    try:
        meta = client().get(_url(media_id), headers=_auth(), timeout=MEDIA_TIMEOUT)
        if meta.status_code != 200:
            raise MediaError(_graph_error(meta))
        info = meta.json()
        url = info["url"]
        mime_type = str(info.get("mime_type") or "")
        size = info.get("file_size")
        if isinstance(size, int) and size > max_bytes:
            raise MediaError(f"{size} bytes", too_big=True)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise MediaError("no media URL in the answer")
        with client().stream("GET", url, headers=_auth(), timeout=MEDIA_TIMEOUT) as response:
            if response.status_code != 200:
                raise MediaError(f"HTTP {response.status_code} for the media URL")
            chunks: list[bytes] = []
            read = 0
            for chunk in response.iter_bytes():
                read += len(chunk)
                if read > max_bytes:
                    raise MediaError(f"more than {max_bytes} bytes", too_big=True)
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise MediaError(f"{type(exc).__name__}: {exc}"[:300]) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MediaError(f"unreadable media answer: {exc}"[:300]) from exc
    return Media(media_id, mime_type, b"".join(chunks))


def media_name(media: Media, n: int, filename: str = "") -> str:
    """A file name for the attachment (its type is decided from its content on intake)."""
    if filename.strip():
        return filename.strip()[-150:]
    return f"whatsapp-{n}{MEDIA_EXTENSIONS.get(media.mime_type, '')}"
