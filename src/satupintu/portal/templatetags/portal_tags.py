"""Small presentation helpers for the portal's templates (no rules about reports here)."""

from __future__ import annotations

from django import template

from satupintu.complaints import tracking as tracking_numbers

register = template.Library()


@register.filter
def tracking(number: str) -> str:
    """``ABCDE12345`` → ``ABCDE-12345``: how people read, write and say the number."""
    if not number or len(number) != tracking_numbers.LENGTH:
        return number or ""
    return tracking_numbers.format_tracking_number(number)
