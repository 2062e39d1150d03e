"""API keys: create, revoke, authenticate; and what each scope lets a key do.

A key is ``sp_`` followed by 40 random URL-safe characters; only its SHA-256 is stored. The
scopes become the roles of the key's service account (``policies.Access``), so the API goes
through exactly the same policy checks as the officer desk:

- ``submit`` (the default): file reports through ``/api/v1`` and Open311 (API, SMS, WhatsApp,
  e-mail and social-media channels), like a citizen at the portal;
- ``intake``: also file reports an officer took (counter, phone, 112);
- ``read``: read the reports the key's agency holds or held (every report, read-only, when the
  key has no agency), like a leader;
- ``verify``: verification (hold, archive, dispatch), like a verifier;
- ``handle``: agency work on what its agency holds (accept, follow up, forward, return,
  resolve, notes), like a liaison officer.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satupintu.agencies.access import Access, with_units
from satupintu.agencies.models import Agency
from satupintu.api.models import ApiKey
from satupintu.core import audit
from satupintu.core.errors import Conflict, InvalidInput, NotFound
from satupintu.core.models import User

PREFIX = "sp_"
SCOPES: dict[str, str] = {
    "submit": gettext_noop("mengirim laporan (API dan Open311)"),
    "intake": gettext_noop("mencatat laporan dari loket, telepon, dan 112"),
    "read": gettext_noop("membaca laporan instansinya (semua laporan bila tanpa instansi)"),
    "verify": gettext_noop("verifikasi: tunda, arsipkan, disposisi"),
    "handle": gettext_noop("tindak lanjut laporan yang dipegang instansinya"),
}
DEFAULT_SCOPES = ("submit",)
#: How long a process trusts what it read about a key (revocation takes effect within this).
CACHE_SECONDS = 10.0
#: last_used_at is written at most this often per key (not on every request).
TOUCH_SECONDS = 60


@dataclass(frozen=True)
class KeyActor:
    """An authenticated API key: its row, its service account (the actor given to services)."""

    key: ApiKey
    user: User

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.key.scopes)

    def has(self, scope: str) -> bool:
        return scope in self.key.scopes


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def _access(key: ApiKey, user: User) -> Access:
    scopes = set(key.scopes)
    below = frozenset(with_units({key.agency_id})) if key.agency_id else frozenset()
    return Access(
        user_id=user.pk,
        verifier="verify" in scopes,
        leader="read" in scopes and not key.agency_id,
        agencies=below if "handle" in scopes else frozenset(),
        watches=below if "read" in scopes else frozenset(),
        intake="intake" in scopes,
    )


# --------------------------------------------------------------------------- services


def _clean_scopes(scopes: list[str] | None, agency: Agency | None) -> list[str]:
    chosen = list(dict.fromkeys(scopes or DEFAULT_SCOPES))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown:
        raise InvalidInput(
            _("Cakupan tidak dikenal: %(unknown)s; pilih dari: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(SCOPES)},
            fields={"scopes": _("Cakupan tidak dikenal.")},
        )
    if "handle" in chosen and agency is None:
        raise InvalidInput(
            _("Cakupan handle memerlukan instansi (--agency KODE)."),
            fields={"agency": _("Wajib untuk cakupan handle.")},
        )
    return chosen


def apikey_create(
    *,
    actor: Any,
    name: str,
    agency: str | None = None,
    scopes: list[str] | None = None,
    description: str = "",
    rate_limit: int = 0,
) -> tuple[ApiKey, str]:
    """A new key and its service account; returns the row and the key (shown once)."""
    from django.utils.text import slugify

    slug = slugify(name)
    if not slug or slug != name:
        raise InvalidInput(
            _("Nama kunci hanya boleh huruf kecil, angka, dan tanda hubung, misalnya %(example)s.")
            % {"example": slugify(name) or "gateway-sms"},
            fields={"name": _("Gunakan huruf kecil, angka, dan tanda hubung.")},
        )
    found_agency = None
    if agency:
        found_agency = Agency.objects.filter(code=agency).first()
        if found_agency is None or not found_agency.is_active:
            raise InvalidInput(
                _('Instansi "%(agency)s" tidak dikenal.') % {"agency": agency},
                fields={"agency": _("Instansi tidak dikenal.")},
            )
    chosen = _clean_scopes(scopes, found_agency)
    if rate_limit < 0:
        raise InvalidInput(
            _("Batas permintaan tidak boleh negatif."), fields={"rate_limit": _("Minimal 0.")}
        )
    raw = PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        if ApiKey.objects.filter(name=slug).exists():
            raise Conflict(
                _('Kunci API bernama "%(name)s" sudah ada.') % {"name": slug},
                fields={"name": _("Nama sudah dipakai.")},
            )
        username = f"api.{slug}"
        if User.objects.filter(username=username).exists():
            raise Conflict(
                _('Nama pengguna "%(username)s" sudah dipakai.') % {"username": username},
                fields={"name": _("Nama sudah dipakai.")},
            )
        user = User(username=username, first_name=f"API {slug}"[:150], is_active=True)
        user.set_unusable_password()
        user.save()
        key = ApiKey.objects.create(
            name=slug,
            description=description[:200],
            prefix=raw[: len(PREFIX) + 6],
            key_hash=hash_key(raw),
            user=user,
            agency=found_agency,
            scopes=chosen,
            rate_limit=rate_limit,
            created_at=timezone.now(),
        )
        audit.record(
            chain=f"apikey:{key.pk}",
            actor=actor,
            action="create",
            object_type="apikey",
            object_id=key.pk,
            after={
                "name": slug,
                "agency": found_agency.code if found_agency else None,
                "scopes": chosen,
                "rate_limit": rate_limit,
                "prefix": key.prefix,
            },
            new_chain=True,
        )
    return key, raw


def apikey_revoke(*, actor: Any, name: str) -> ApiKey:
    """Revoke a key at once (processes notice within CACHE_SECONDS); idempotent."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().filter(name=name).first()
        if key is None:
            raise NotFound(_('Tidak ada kunci API bernama "%(name)s".') % {"name": name})
        if key.revoked_at is not None:
            return key
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        User.objects.filter(pk=key.user_id).update(is_active=False)
        audit.record(
            chain=f"apikey:{key.pk}",
            actor=actor,
            action="revoke",
            object_type="apikey",
            object_id=key.pk,
            before={"revoked_at": None},
            after={"revoked_at": key.revoked_at.isoformat()},
        )
    _cache.clear()
    return key


# --------------------------------------------------------------------------- authentication

_cache: dict[str, tuple[float, KeyActor | None]] = {}
_lock = threading.Lock()


def authenticate(raw: str | None) -> KeyActor | None:
    """The active key for ``raw``, or None; cached per process for CACHE_SECONDS."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    digest = hash_key(raw)
    now = time.monotonic()
    hit = _cache.get(digest)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    actor = None
    if key is not None:
        user = key.user
        user._satupintu_access = _access(key, user)  # type: ignore[attr-defined]
        user._satupintu_key = key  # type: ignore[attr-defined]  # an integration (actors.kind_of)
        actor = KeyActor(key=key, user=user)
        _touch(key)
    with _lock:
        if len(_cache) > 1000:
            _cache.clear()
        _cache[digest] = (now, actor)
    return actor


def _touch(key: ApiKey) -> None:
    stamp = timezone.now()
    if key.last_used_at is None or (stamp - key.last_used_at).total_seconds() > TOUCH_SECONDS:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=stamp)
        key.last_used_at = stamp
