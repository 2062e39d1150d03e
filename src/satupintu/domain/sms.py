"""How a text goes out as SMS: its encoding and the parts a long one is cut into.

An SMS carries 140 octets. In the GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1) that is
160 characters; a character of the extension table (``^ { } \\ [ ~ ] | €`` and form feed) is
an escape plus a character and counts 2. A text with any other character (an emoji, an accent
outside the table, Arabic or Javanese script) goes as UCS-2, 70 UTF-16 code units, where a
character outside the Basic Multilingual Plane (most emoji) takes 2.

A longer text is a concatenated message (3GPP TS 23.040 §9.2.3.24.1): each part gives 6 octets
to its user data header, leaving 153 GSM-7 characters or 67 UCS-2 code units. :func:`segments`
cuts at the last space or line break that fits, else between characters, and never between
an escape and its character nor between the halves of a surrogate pair; joined, the parts are
the text again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: The GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1), without the escape (0x1B).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table (3GPP TS 23.038 §6.2.1.1): sent as escape + character, 2 septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

Encoding = Literal["gsm7", "ucs2"]


@dataclass(frozen=True)
class Plan:
    """How a text is sent: its encoding, its parts, and their sizes in septets or code units."""

    encoding: Encoding
    parts: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.parts)


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the default alphabet or its extension, else UCS-2."""
    return "gsm7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text) else "ucs2"


def _width(ch: str, enc: Encoding) -> int:
    if enc == "gsm7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def length(text: str) -> int:
    """The text's size in its encoding: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    enc = encoding(text)
    return sum(_width(ch, enc) for ch in text)


def plan(text: str) -> Plan:
    """The encoding and the parts of ``text`` (one part if it fits in a single SMS)."""
    enc = encoding(text)
    single, per_part = (GSM7_SINGLE, GSM7_PART) if enc == "gsm7" else (UCS2_SINGLE, UCS2_PART)
    widths = [_width(ch, enc) for ch in text]
    if sum(widths) <= single:
        return Plan(enc, (text,))
    parts: list[str] = []
    start = 0
    while start < len(text):
        used = 0
        end = start
        while end < len(text) and used + widths[end] <= per_part:
            used += widths[end]
            end += 1
        if end < len(text):
            # Cut after the last space or line break of the part, if it has one past its
            # first half (a word longer than that is cut between characters).
            for cut in range(end, start + (end - start) // 2, -1):
                if text[cut - 1] in " \n":
                    end = cut
                    break
        parts.append(text[start:end])
        start = end
    return Plan(enc, tuple(parts))


def segments(text: str) -> list[str]:
    """The parts ``text`` is sent as: one if it fits in one SMS, else parts of at most 153
    GSM-7 characters or 67 UCS-2 code units, cut at a space where one fits."""
    return list(plan(text).parts)
