"""The doors' webhooks: check who is calling, parse, store, answer at once.

Nothing is processed in the request (channels/inbound.py does it in a task), so a provider gets
its 200 within milliseconds and never retries for our slowness. A channel that is off answers
404; a wrong signature or token 403; a body that is not the provider's documented shape 400;
a body over :data:`MAX_BODY` 413. None of them stores anything.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.channels import inbound, sms, whatsapp
from satupintu.domain.conversation import Incoming
from satupintu.notifications import messages

#: The largest webhook body taken (a Cloud API notification is a few kB; an SMS far less).
MAX_BODY = 256 * 1024


def _error(status: int, message: str, detail: str = "") -> JsonResponse:
    body: dict[str, Any] = {"ok": False, "error": message}
    if detail:
        body["detail"] = detail
    return JsonResponse(body, status=status)


def _off() -> JsonResponse:
    return _error(404, _("Kanal ini tidak aktif."))


def _too_large(request: HttpRequest) -> JsonResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return _error(413, _("Isi permintaan terlalu besar."))
    return None


def _json(body: bytes) -> tuple[Any, JsonResponse | None]:
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return None, _error(400, _("Isi permintaan bukan JSON yang sah."))


def _body(request: HttpRequest) -> bytes | None:
    """The raw body, at most MAX_BODY bytes (a chunked body without a length is read so far)."""
    data = request.read(MAX_BODY + 1)
    return None if len(data) > MAX_BODY else data


def _sent_at(moment: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When the person sent it, as the provider says (never later than now)."""
    return min(moment, now) if moment is not None else now


# --------------------------------------------------------------------------- WhatsApp


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if not whatsapp.is_enabled():
        return _off()
    if request.method == "GET":
        if whatsapp.verify_subscription(
            request.GET.get("hub.mode"), request.GET.get("hub.verify_token")
        ):
            return HttpResponse(
                request.GET.get("hub.challenge", ""), content_type="text/plain; charset=utf-8"
            )
        return _error(403, _("Token verifikasi salah."))
    refused = _too_large(request)
    if refused is not None:
        return refused
    body = _body(request)
    if body is None:
        return _error(413, _("Isi permintaan terlalu besar."))
    if not whatsapp.verify_signature(body, request.headers.get("X-Hub-Signature-256")):
        return _error(403, _("Tanda tangan permintaan tidak sah."))
    data, refused = _json(body)
    if refused is not None:
        return refused
    try:
        notification = whatsapp.parse(data)
    except whatsapp.PayloadError as exc:
        return _error(400, _("Bentuk notifikasi WhatsApp tidak dikenal."), str(exc))
    now = timezone.now()
    with transaction.atomic():
        for item in notification.messages:
            inbound.receive(
                whatsapp.CHANNEL,
                item.provider_id,
                item.address,
                item.incoming,
                at=_sent_at(item.sent_at, now),
                extra=item.extra,
                name=item.name,
            )
        for status in notification.statuses:
            messages.record_status(
                whatsapp.CHANNEL, status.provider_id, status.status, status.error
            )
    return JsonResponse({"ok": True})


# --------------------------------------------------------------------------- SMS


def _sms_request(request: HttpRequest) -> tuple[Any, HttpResponse | None]:
    if not sms.is_enabled():
        return None, _off()
    refused = _too_large(request)
    if refused is not None:
        return None, refused
    if not sms.token_ok(request.headers.get("X-Satupintu-Token")):
        return None, _error(403, _("Token gerbang SMS salah."))
    body = _body(request)
    if body is None:
        return None, _error(413, _("Isi permintaan terlalu besar."))
    return _json(body)


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    data, refused = _sms_request(request)
    if refused is not None:
        return refused
    try:
        message = sms.parse_inbound(data)
    except sms.PayloadError as exc:
        return _error(400, _("Bentuk SMS masuk tidak dikenal."), str(exc))
    with transaction.atomic():
        inbound.receive(
            sms.CHANNEL,
            message.provider_id,
            message.sender,
            Incoming(kind="text", text=message.text),
            at=timezone.now(),
        )
    return JsonResponse({"ok": True, "id": message.provider_id})


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    data, refused = _sms_request(request)
    if refused is not None:
        return refused
    try:
        report = sms.parse_status(data)
    except sms.PayloadError as exc:
        return _error(400, _("Bentuk laporan pengiriman SMS tidak dikenal."), str(exc))
    changed = messages.record_status(sms.CHANNEL, report.provider_id, report.status, report.error)
    return JsonResponse({"ok": True, "changed": changed})
