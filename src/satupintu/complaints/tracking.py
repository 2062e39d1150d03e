"""Tracking numbers and reporter secrets (design.md §4).

A tracking number is 10 characters of Crockford base32 (no I, L, O, U), about 10^15 values, shown
as ``XXXXX-XXXXX``; it is drawn at random so it says nothing about volume or order. The reporter's
own access also needs a secret (a link or a code) of 128 random bits; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_tracking_number() -> str:
    # 256 is a multiple of 32, so masking random bytes keeps every character equally likely.
    return "".join(ALPHABET[byte & 31] for byte in secrets.token_bytes(LENGTH))


def normalize_tracking_number(text: str) -> str:
    """Accept what a person types: any case, dashes or spaces, O for 0, I/L for 1."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)


def format_tracking_number(number: str) -> str:
    return f"{number[:5]}-{number[5:]}"


def new_secret() -> str:
    return secrets.token_urlsafe(16)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
