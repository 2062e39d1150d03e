"""Idempotent writes: a request retried with the same ``Idempotency-Key`` never acts twice.

The answer of the first request is stored (encrypted: it may hold the reporter's secret) in the
same transaction as its write. A retry with the same key and the same body gets that answer
again with ``Idempotent-Replayed: true``; the same key with another body is refused (422); two
requests racing with one key end with one write, the loser waiting on the unique index and then
replaying the winner's answer. Only successful answers are kept: a refused request stored
nothing, so it may be corrected and retried under the same key. Records live 24 hours
(:func:`purge`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.api.models import IdempotencyRecord
from satupintu.core import bulk, crypto
from satupintu.core.errors import Conflict, InvalidInput

HEADER = "Idempotency-Key"
MAX_KEY = 255
TTL = dt.timedelta(hours=24)


class IdempotencyMismatch(InvalidInput):
    code = "idempotency_mismatch"


class IdempotencyInUse(Conflict):
    code = "idempotency_in_use"


def fingerprint(request: HttpRequest, path: str | None = None) -> str:
    """The request's method, path (or ``path``, e.g. without a format suffix) and body."""
    digest = hashlib.sha256(f"{request.method} {path or request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replayed(record: IdempotencyRecord, print_: str) -> tuple[int, dict[str, Any], bool]:
    if record.fingerprint != print_:
        raise IdempotencyMismatch(
            _(
                "Kunci idempotensi ini sudah dipakai untuk permintaan lain; "
                "gunakan kunci baru untuk laporan baru."
            ),
            fields={"Idempotency-Key": _("Sudah dipakai untuk permintaan lain.")},
        )
    body = _unseal(record.body)
    return record.status_code, body, True


def _seal(body: dict[str, Any]) -> str:
    text = json.dumps(body, separators=(",", ":"), cls=DjangoJSONEncoder)
    packed = zlib.compress(text.encode(), 1)
    return crypto.cipher().encrypt(packed).decode()


def _unseal(text: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(zlib.decompress(crypto.cipher().decrypt(text.encode())))
    return found


def once(
    request: HttpRequest,
    *,
    owner: str,
    key: str | None,
    act: Callable[[], tuple[int, dict[str, Any]]],
    path: str | None = None,
) -> tuple[int, dict[str, Any], bool]:
    """Run ``act`` at most once per (owner, key); returns its status and body, and whether they
    are a replay of an earlier request's (for adapters that render the body their own way and
    that fingerprint the request under ``path``, e.g. one for every format)."""
    if key is None:
        status, body = act()
        return status, body, False
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise InvalidInput(
            _("Kunci idempotensi harus 1 sampai %(max)s karakter.") % {"max": MAX_KEY},
            fields={HEADER: _("1 sampai %(max)s karakter.") % {"max": MAX_KEY}},
        )
    print_ = fingerprint(request, path)
    # No look-up first: a retry is rare, so the first request pays nothing for it. A retry runs
    # the write again, fails on the unique (owner, key) and rolls it all back, then replays.
    # The record goes with the rows of the write in one batch (core/bulk.py): filing a report
    # is then a single statement.
    try:
        with bulk.atomic() as batch:
            status, body = act()
            batch.insert(
                IdempotencyRecord(
                    owner=owner,
                    key=key,
                    fingerprint=print_,
                    status_code=status,
                    body=_seal(body),
                    created_at=timezone.now(),
                ),
                pk=False,
            )
    except IntegrityError:
        # This key was used before, or another request with it committed first.
        found = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if found is None:  # pragma: no cover - a clash elsewhere, or purged at that instant
            raise IdempotencyInUse(
                _("Permintaan lain dengan kunci idempotensi ini sedang diproses; coba lagi."),
            ) from None
        return _replayed(found, print_)
    return status, body, False


def run(
    request: HttpRequest,
    *,
    owner: str,
    key: str | None,
    act: Callable[[], tuple[int, dict[str, Any]]],
) -> JsonResponse:
    """Run ``act`` (which returns status and JSON body) at most once per (owner, key)."""
    status, body, replayed = once(request, owner=owner, key=key, act=act)
    response = JsonResponse(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def purge(*, now: dt.datetime | None = None) -> int:
    """Forget answers older than TTL; returns how many."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
