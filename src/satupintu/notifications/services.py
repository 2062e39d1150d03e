"""Writes for webhooks: endpoints (created, enabled, disabled, secret rotated) and replays;
each audited.

The admin and ``satupintu webhooks`` both come here. An endpoint's secret is generated here,
stored encrypted (core/crypto.py) and returned once to the caller, who shows it once; it never
enters the audit log. Rotating keeps the replaced secret (encrypted) for an overlap, during
which deliveries are signed with both, so a receiver can switch without losing a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency
from satupintu.core import audit, crypto
from satupintu.core.errors import InvalidInput, NotFound
from satupintu.notifications import signing
from satupintu.notifications.models import EventType, WebhookDelivery, WebhookEndpoint

NAME_MAX = 60
URL_MAX = 500
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: Never in the endpoint's create and update entries: the secrets (nowhere in the audit log)
#: and the rotation times (in the ``rotate_secret`` entries, the only change that sets them).
AUDIT_EXCLUDE = (
    "secret_encrypted",
    "previous_secret_encrypted",
    "previous_secret_expires_at",
    "secret_rotated_at",
)
#: How long a rotated-out secret goes on signing deliveries, by default and at most (hours).
DEFAULT_OVERLAP_HOURS = 24
MAX_OVERLAP_HOURS = 7 * 24


def _audit(actor: Any, endpoint: WebhookEndpoint, before: dict[str, Any] | None) -> None:
    audit.record_change(
        actor=actor,
        obj=endpoint,
        before=before,
        after=audit.snapshot(endpoint, exclude=AUDIT_EXCLUDE),
    )


# --------------------------------------------------------------------------- validation


def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or not _NAME.fullmatch(name):
        raise InvalidInput(
            _(
                'Nama webhook "%(name)s" tidak sah: pakai huruf, angka, tanda hubung atau garis '
                "bawah (paling banyak %(max)s karakter)."
            )
            % {"name": name, "max": NAME_MAX},
            fields={"name": _("Huruf, angka, tanda hubung atau garis bawah.")},
        )
    return name


def clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        if len(url) > URL_MAX:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidInput(
            _('URL "%(url)s" tidak sah: harus alamat http:// atau https:// yang lengkap.')
            % {"url": url[:100]},
            fields={"url": _("Alamat http:// atau https:// yang lengkap.")},
        ) from None
    return url


def clean_event_types(values: Iterable[str]) -> list[str]:
    chosen = [v.strip() for v in values if v and v.strip()]
    unknown = [v for v in chosen if v not in EventType.values]
    if unknown or not chosen:
        raise InvalidInput(
            _("Pilih jenis peristiwa dari: %(allowed)s.")
            % {"allowed": ", ".join(EventType.values)},
            fields={"event_types": _("Pilih paling sedikit satu jenis peristiwa yang dikenal.")},
        )
    # In the order of EventType, each once.
    return [v for v in EventType.values if v in chosen]


def clean_agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not agency.is_active:
        raise InvalidInput(
            _('Instansi "%(agency)s" tidak dikenal atau tidak aktif.') % {"agency": code},
            fields={"agency": _("Instansi tidak dikenal.")},
        )
    return agency


# --------------------------------------------------------------------------- endpoints


def encrypt_secret(secret: str) -> str:
    return crypto.encrypt_json({"secret": secret})


def endpoint_create(
    *,
    actor: Any,
    name: str,
    url: str,
    event_types: Iterable[str],
    agency: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint; returns it and its signing secret, to be shown once."""
    name = clean_name(name)
    url = clean_url(url)
    types = clean_event_types(event_types)
    found = clean_agency(agency)
    secret = signing.new_secret()
    with transaction.atomic():
        if WebhookEndpoint.objects.filter(name=name).exists():
            raise InvalidInput(
                _('Webhook bernama "%(name)s" sudah ada.') % {"name": name},
                fields={"name": _("Nama sudah dipakai.")},
            )
        endpoint = WebhookEndpoint.objects.create(
            name=name,
            url=url,
            event_types=types,
            agency=found,
            secret_encrypted=encrypt_secret(secret),
        )
        _audit(actor, endpoint, None)
    return endpoint, secret


def endpoint_get(name: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(name=(name or "").strip()).first()
    if endpoint is None:
        raise NotFound(_('Tidak ada webhook bernama "%(name)s".') % {"name": name})
    return endpoint


def endpoint_set_active(*, actor: Any, name: str, active: bool) -> WebhookEndpoint:
    """Enable or disable an endpoint. A disabled one gets no new deliveries; its pending
    deliveries wait (the worker skips them) until it is enabled again."""
    with transaction.atomic():
        endpoint = endpoint_get(name)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if endpoint.is_active == active:
            return endpoint
        before = audit.snapshot(endpoint, exclude=AUDIT_EXCLUDE)
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active", "updated_at"])
        _audit(actor, endpoint, before)
    return endpoint


def clean_overlap_hours(hours: object) -> int:
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int)
        or not (0 <= hours <= MAX_OVERLAP_HOURS)
    ):
        raise InvalidInput(
            _("Masa tumpang tindih harus bilangan bulat 0 sampai %(max)s jam, bukan %(hours)s.")
            % {"max": MAX_OVERLAP_HOURS, "hours": hours},
            fields={"overlap": _("Bilangan bulat 0 sampai %(max)s.") % {"max": MAX_OVERLAP_HOURS}},
        )
    return hours


def _rotation(endpoint: WebhookEndpoint) -> dict[str, str | None]:
    """The audited state of an endpoint's secrets: when, never what."""
    return {
        field: value.isoformat() if value else None
        for field, value in (
            ("secret_rotated_at", endpoint.secret_rotated_at),
            ("previous_secret_expires_at", endpoint.previous_secret_expires_at),
        )
    }


def endpoint_rotate_secret(
    *, actor: Any, name: str, overlap_hours: int = DEFAULT_OVERLAP_HOURS
) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new signing secret; returns it and the secret, to be shown once.

    The secret it replaces goes on signing every delivery, beside the new one, for
    ``overlap_hours`` (0: it stops at once). Rotating again during an overlap replaces the
    previous secret with the current one: only the last two secrets are ever valid. The audit
    entry (action ``rotate_secret``) records when and the overlap, never a secret.
    """
    hours = clean_overlap_hours(overlap_hours)
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint = endpoint_get(name)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = _rotation(endpoint)
        now = timezone.now()
        if hours:
            endpoint.previous_secret_encrypted = endpoint.secret_encrypted
            endpoint.previous_secret_expires_at = now + dt.timedelta(hours=hours)
        else:
            endpoint.previous_secret_encrypted = ""
            endpoint.previous_secret_expires_at = None
        endpoint.secret_encrypted = encrypt_secret(secret)
        endpoint.secret_rotated_at = now
        endpoint.save(
            update_fields=[
                "secret_encrypted",
                "previous_secret_encrypted",
                "previous_secret_expires_at",
                "secret_rotated_at",
                "updated_at",
            ]
        )
        _record(
            actor,
            "rotate_secret",
            endpoint.pk,
            before=before,
            after={**_rotation(endpoint), "overlap_hours": hours},
        )
    return endpoint, secret


def _record(actor: Any, action: str, endpoint_id: int, **changes: Any) -> None:
    """An entry on the endpoint's audit chain (named as audit.record_change names it)."""
    audit.record(
        chain=f"webhookendpoint:{endpoint_id}",
        actor=actor,
        action=action,
        object_type="webhookendpoint",
        object_id=endpoint_id,
        **changes,
    )


# --------------------------------------------------------------------------- replays


def _replay(actor: Any, original: WebhookDelivery, now: dt.datetime) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        endpoint_id=original.endpoint_id,
        event_id=original.event_id,
        replay_of=original,
        created_at=now,
        next_attempt_at=now,
    )
    _record(
        actor,
        "replay",
        original.endpoint_id,
        after={"event": original.event_id, "of": original.pk, "delivery": delivery.pk},
    )
    return delivery


def _active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.is_active:
        raise InvalidInput(
            _('Webhook "%(name)s" sedang nonaktif; aktifkan dahulu sebelum mengirim ulang.')
            % {"name": endpoint.name}
        )


def delivery_replay(*, actor: Any, delivery_id: int) -> WebhookDelivery:
    """Send the event of a delivery again to the same endpoint, as a new delivery."""
    original = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if original is None:
        raise NotFound(_("Tidak ada pengiriman webhook #%(id)s.") % {"id": delivery_id})
    _active(original.endpoint)
    with transaction.atomic():
        return _replay(actor, original, timezone.now())


def endpoint_replay_since(*, actor: Any, name: str, since: dt.datetime) -> list[WebhookDelivery]:
    """Send again every event this endpoint was sent that occurred at or after ``since``."""
    endpoint = endpoint_get(name)
    _active(endpoint)
    originals = (
        WebhookDelivery.objects.filter(
            endpoint=endpoint, replay_of__isnull=True, event__occurred_at__gte=since
        )
        .select_related("endpoint")
        .order_by("event_id")
    )
    now = timezone.now()
    with transaction.atomic():
        return [_replay(actor, original, now) for original in originals]
