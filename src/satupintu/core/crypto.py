"""Encryption at rest for personal data (domain.md §1.8: reporter identity is protected).

Keys come from ``SATUPINTU_FIELD_KEY`` (comma-separated, newest first, so keys can be rotated):
any string; each is stretched to a Fernet key with SHA-256. Fernet gives AES-128-CBC with an
HMAC-SHA256 tag, so a value altered in the database fails to decrypt instead of reading as garbage.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.FIELD_KEYS))


class DecryptionFailed(Exception):
    pass


def encrypt_json(value: dict[str, str]) -> str:
    payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return cipher().encrypt(payload).decode()


def decrypt_json(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        data: dict[str, str] = json.loads(cipher().decrypt(token.encode()))
    except InvalidToken as exc:
        raise DecryptionFailed(
            "contact details cannot be decrypted with the configured keys"
        ) from exc
    return data


def encrypt_text(value: str) -> str:
    """A secret of ours (e.g. another government's API key) encrypted at rest; "" stays ""."""
    return cipher().encrypt(value.encode()).decode() if value else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed("the value cannot be decrypted with the configured keys") from exc


def blind_index(value: str) -> str:
    """A keyed hash for equality look-ups on encrypted values (e.g. 'reports from this phone')."""
    key = hashlib.sha256(("blind-index:" + settings.FIELD_KEYS[0]).encode()).digest()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]
