"""A generic SMS gateway (a modem pool, an operator's HTTP API behind a small bridge).

The interface is this module's own and stable:

* **Inbound**: the gateway posts ``{"from": "+62…", "text": "…", "id": "…"}`` to
  ``/channels/sms/inbound`` with the header ``X-Satupintu-Token: $SATUPINTU_SMS_INBOUND_TOKEN``;
  ``id`` is the gateway's id of the SMS, so a post repeated after a timeout is stored once.
* **Delivery reports** (optional): ``{"id": <the id we were answered>, "status": "delivered" |
  "failed", "error": "…"}`` to ``/channels/sms/status``, with the same header.
* **Outbound**: ``POST $SATUPINTU_SMS_SEND_URL`` with ``Authorization: Bearer
  $SATUPINTU_SMS_SEND_TOKEN`` and ``{"to": "…", "text": "…", "id": "…"}``; the answer's JSON
  ``id``, if any, is the gateway's id for delivery reports.

**Long texts go as one request per part.** :func:`satupintu.domain.sms.segments` cuts the
text into parts of at most 153 GSM-7 characters or 67 UCS-2 code units (a space is preferred
as the cut), so each part fits one SMS whether or not the gateway joins them; a text that fits
one SMS (160 / 70) is one request. A part's ``id`` is the message's idempotency key with
``-1``, ``-2``… (the key alone for a one-part text); the gateway must deliver one SMS per
``id`` however often it is posted, so a send repeated after a crash or a timeout reaches the
phone once. Parts are posted in order and a failing part stops the send: the retry posts every
part again and the gateway drops those it already has. The message's provider id is the one
the gateway answered for its first part.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings

from satupintu.channels import http
from satupintu.channels.registry import Outcome
from satupintu.domain.sms import segments

if TYPE_CHECKING:
    from satupintu.notifications.models import Message

CHANNEL = "sms"
USER_AGENT = "satupintu-sms/1"
#: A concatenated SMS holds at most 255 parts; no answer of ours comes close.
TEXT_MAX = 1600
_NUMBER = re.compile(r"\+?[0-9]{3,15}")


def is_enabled() -> bool:
    return bool(settings.SMS_INBOUND_TOKEN and settings.SMS_SEND_URL and settings.SMS_SEND_TOKEN)


def token_ok(header: str | None) -> bool:
    """The gateway's ``X-Satupintu-Token`` (constant-time)."""
    expected = settings.SMS_INBOUND_TOKEN
    return bool(expected and header) and hmac.compare_digest(
        (header or "").encode(), expected.encode()
    )


def normalize_number(raw: str) -> str | None:
    """A phone number as the gateway gave it, in one form for Indonesian numbers (``0812…``
    and ``62812…`` are ``+62812…``); None when it is no phone number (spaces and dashes are
    allowed)."""
    number = re.sub(r"[\s\-().]", "", raw)
    if not _NUMBER.fullmatch(number):
        return None
    if number.startswith("0") and len(number) >= 9:
        return "+62" + number[1:]
    if number.startswith("62") and len(number) >= 10:
        return "+" + number
    return number


class PayloadError(ValueError):
    """The gateway's post is not in this interface's shape (reason in English)."""


@dataclass(frozen=True)
class InboundSms:
    provider_id: str
    sender: str
    text: str


def _id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise PayloadError('"id" must be a non-empty string of at most 255 characters')
    return value.strip()


def parse_inbound(data: Any) -> InboundSms:
    if not isinstance(data, Mapping):
        raise PayloadError("the body must be a JSON object")
    sender = data.get("from")
    if not isinstance(sender, str):
        raise PayloadError('"from" must be a phone number')
    number = normalize_number(sender)
    if number is None:
        raise PayloadError('"from" must be a phone number')
    text = data.get("text")
    if not isinstance(text, str):
        raise PayloadError('"text" must be a string')
    if len(text) > TEXT_MAX:
        raise PayloadError(f'"text" is longer than {TEXT_MAX} characters')
    return InboundSms(provider_id=_id(data.get("id")), sender=number, text=text)


@dataclass(frozen=True)
class SmsStatus:
    provider_id: str
    status: str
    error: str


def parse_status(data: Any) -> SmsStatus:
    if not isinstance(data, Mapping):
        raise PayloadError("the body must be a JSON object")
    status = data.get("status")
    if status not in {"delivered", "failed"}:
        raise PayloadError('"status" must be "delivered" or "failed"')
    error = data.get("error")
    return SmsStatus(
        provider_id=_id(data.get("id")),
        status=str(status),
        error=str(error)[:500] if error not in (None, "") else "",
    )


# --------------------------------------------------------------------------- sending


def _refusal(response: httpx.Response) -> str:
    try:
        answer = response.json()
        text = str(answer.get("error") or answer.get("message") or "")
    except (ValueError, AttributeError):
        text = response.text[:200]
    return f"HTTP {response.status_code}: {text.strip() or response.reason_phrase}"[:500]


def _post(part: str, to: str, part_id: str) -> Outcome:
    answer = http.post(
        settings.SMS_SEND_URL,
        json={"to": to, "text": part, "id": part_id},
        headers={
            "Authorization": f"Bearer {settings.SMS_SEND_TOKEN}",
            "User-Agent": USER_AGENT,
        },
        refusal=_refusal,
    )
    if isinstance(answer, Outcome):
        return answer
    try:
        answered = answer.json().get("id")
    except (ValueError, AttributeError):
        answered = None
    return Outcome(ok=True, provider_id=str(answered) if answered not in (None, "") else part_id)


def send(message: Message, address: str) -> Outcome:
    """Send one message, one request per part (module docstring)."""
    from satupintu.notifications.messages import idempotency_key

    key = idempotency_key(message)
    parts = segments(message.body[:TEXT_MAX])
    first = ""
    for n, part in enumerate(parts, start=1):
        part_id = key if len(parts) == 1 else f"{key}-{n}"
        outcome = _post(part, address, part_id)
        if not outcome.ok:
            if n > 1:
                return Outcome(
                    ok=False, retry=outcome.retry, error=f"part {n}/{len(parts)}: {outcome.error}"
                )
            return outcome
        first = first or outcome.provider_id
    return Outcome(ok=True, provider_id=first)
