"""Dates and times that callers of the open interfaces write (query arguments, page cursors),
brought to UTC once, in one place.

W3C/ISO 8601 text may carry an offset up to ±23:59 and any year from 1 to 9999. We compare in
UTC (PostgreSQL refuses offsets beyond ±15:59), and near either end of that range the move to
UTC, or a search window laid next to it, leaves what Python can represent: such a value is
refused as out of range (:class:`OutOfRange`) instead of failing the request.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from satupintu.domain.attributes import parse_datetime


class OutOfRange(ValueError):
    """A date and time that cannot be brought to UTC, or moved by the span asked for."""


def in_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC; one without an offset is in the Pemda's time zone."""
    aware = value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        return aware.astimezone(dt.UTC)
    except OverflowError:
        raise OutOfRange(value.isoformat()) from None


def parse_utc(text: str) -> dt.datetime | None:
    """W3C date-time text (``2026-11-30T08:00:00+07:00``, ``...Z``, ``2026-11-30``) in UTC;
    None when the text is not one. Raises OutOfRange."""
    parsed = parse_datetime(text)
    return None if parsed is None else in_utc(parsed)


def shifted(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``value + delta``; raises OutOfRange past year 9999 or before year 1."""
    try:
        return value + delta
    except OverflowError:
        raise OutOfRange(value.isoformat()) from None
