"""Personal data in free text, found and masked for public views.

Reports are public from receipt and a verifier may set *rahasia* only later; leaks happened when
admins forgot the flag (domain.md §1.8). So every public view of a title, a description or a
reply masks what looks like personal data: a 16-digit NIK (Nomor Induk Kependudukan), Indonesian
phone numbers, e-mail addresses. Officers and the reporter see the text whole.

Pure Python: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MASK = "•"


class Kind(StrEnum):
    NIK = "nik"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class Found:
    kind: Kind
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# NIK: 16 digits starting with a province code (11-94), written together or in groups
# (e.g. "3276 0101 0101 0001", "3276.0101.0101.0001", "32.76.01.010190.0001").
_NIK = re.compile(r"(?<![\d\w])[1-9](?:[ .-]?\d){15}(?![\d\w])")
# Digits in groups of three after the first, as thousands are written ("1.500.000.000.000.000"):
# an amount of money, not a NIK.
_THOUSANDS = re.compile(r"\d{1,3}(?:[ .]\d{3})+")
# Phones: mobile 08xx / +62 8xx / 62 8xx, or a landline with its area code (0xx, (0xx) or
# +62 xx), in groups separated by spaces, dots or dashes; 9 to 15 digits in all.
_PHONE = re.compile(
    r"(?<![\d\w+])(?:\+62|62|0)[ .-]?\(?8\d{1,3}\)?(?:[ .-]?\d{2,5}){1,4}(?![\d\w])"
    r"|(?<![\d\w+])(?:\+62[ .-]?\(?|\(?0)[2-79]\d{1,2}\)?[ .-]?\d{3,4}[ .-]?\d{3,5}(?![\d\w])"
)
#: How many digits of a phone number stay readable: the operator or area prefix (0812, 021x),
#: counted with the country code when the number starts with it (+62 812).
_PHONE_KEPT = 4
_COUNTRY = "62"


#: What every finding holds: an "@", or nine digits with at most three separators between
#: neighbours (the fewest digits a phone number has). Text without one is returned at once.
_CANDIDATE = re.compile(r"@|\d(?:[ .()+-]{0,3}\d){8}")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def find_personal_data(text: str) -> list[Found]:
    """Where ``text`` holds something that looks like a NIK, a phone number or an e-mail
    address, in order, without overlaps."""
    found: list[Found] = []
    if not _CANDIDATE.search(text):
        return found
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for kind, pattern, digits in (
        (Kind.EMAIL, _EMAIL, None),
        (Kind.NIK, _NIK, (16, 16)),
        (Kind.PHONE, _PHONE, (9, 15)),
    ):
        for match in pattern.finditer(text):
            start, end = match.span()
            if digits is not None and not digits[0] <= _digits(match.group()) <= digits[1]:
                continue
            if kind is Kind.NIK and _THOUSANDS.fullmatch(match.group()):
                continue
            if free(start, end):
                taken.append((start, end))
                found.append(Found(kind, start, end))
    return sorted(found, key=lambda f: f.start)


def _masked(kind: Kind, value: str) -> str:
    if kind is Kind.EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}{MASK * 3}@{domain}"
    if kind is Kind.PHONE:
        # The operator or area prefix stays readable; the subscriber's number does not.
        international = value.lstrip("(+").startswith(_COUNTRY)
        keep = _PHONE_KEPT + (len(_COUNTRY) - 1 if international else 0)
        kept, seen = [], 0
        for ch in value:
            if ch.isdigit():
                seen += 1
                kept.append(ch if seen <= keep else MASK)
            else:
                kept.append(ch)
        return "".join(kept)
    return "".join(MASK if ch.isdigit() else ch for ch in value)


def mask_personal_data(text: str) -> str:
    """``text`` with every NIK, phone number and e-mail address masked."""
    if not text:
        return text
    found = find_personal_data(text)
    if not found:
        return text
    out, last = [], 0
    for item in found:
        out.append(text[last : item.start])
        out.append(_masked(item.kind, text[item.start : item.end]))
        last = item.end
    out.append(text[last:])
    return "".join(out)
