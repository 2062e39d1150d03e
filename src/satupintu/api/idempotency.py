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
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
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


class Answer(NamedTuple):
    """What an idempotent write answered: its status, its body and that body as JSON text
    (encoded once, for the stored record and the response alike), and whether it is a replay
    of an earlier request's answer."""

    status: int
    body: dict[str, Any]
    text: str
    replayed: bool


def _encode(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), cls=DjangoJSONEncoder)


def _replayed(record: IdempotencyRecord, print_: str) -> Answer:
    if record.fingerprint != print_:
        raise IdempotencyMismatch(
            _(
                "Kunci idempotensi ini sudah dipakai untuk permintaan lain; "
                "gunakan kunci baru untuk laporan baru."
            ),
            fields={"Idempotency-Key": _("Sudah dipakai untuk permintaan lain.")},
        )
    text = _unseal(record.body)
    return Answer(record.status_code, json.loads(text), text, replayed=True)


def _seal(text: str) -> str:
    return crypto.cipher().encrypt(zlib.compress(text.encode(), 1)).decode()


def _unseal(sealed: str) -> str:
    return zlib.decompress(crypto.cipher().decrypt(sealed.encode())).decode()


def once(
    request: HttpRequest,
    *,
    owner: str,
    key: str | None,
    act: Callable[[], tuple[int, dict[str, Any]]],
    path: str | None = None,
) -> Answer:
    """Run ``act`` at most once per (owner, key); returns its answer, or the earlier request's
    (for adapters that render the body their own way and that fingerprint the request under
    ``path``, e.g. one for every format)."""
    if key is None:
        status, body = act()
        return Answer(status, body, _encode(body), replayed=False)
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
            text = _encode(body)
            batch.insert(
                IdempotencyRecord(
                    owner=owner,
                    key=key,
                    fingerprint=print_,
                    status_code=status,
                    body=_seal(text),
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
    return Answer(status, body, text, replayed=False)


def run(
    request: HttpRequest,
    *,
    owner: str,
    key: str | None,
    act: Callable[[], tuple[int, dict[str, Any]]],
) -> HttpResponse:
    """Run ``act`` (which returns status and JSON body) at most once per (owner, key)."""
    answer = once(request, owner=owner, key=key, act=act)
    response = HttpResponse(answer.text, status=answer.status, content_type="application/json")
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def purge(*, now: dt.datetime | None = None) -> int:
    """Forget answers older than TTL; returns how many."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
