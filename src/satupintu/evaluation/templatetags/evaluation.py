"""Presentation helpers of the evaluation pages: shares as percentages, labels, zone badges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django import template
from django.utils.formats import number_format

from satupintu.evaluation import labels

register = template.Library()


def _decimal(value: Fraction | Decimal | int, places: int) -> Decimal:
    exact = Decimal(value) if not isinstance(value, Fraction) else None
    if exact is None:
        assert isinstance(value, Fraction)  # noqa: S101
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def percent(value: Fraction | Decimal | None, places: int = 0) -> str:
    """A share (0–1) as a percentage in the active language's format; "–" for None."""
    if value is None:
        return "–"
    return f"{number_format(_decimal(value * 100, int(places)), int(places))}%"


@register.filter
def number(value: Fraction | Decimal | int | None, places: int = 1) -> str:
    """A number rounded half up to ``places`` decimals; "–" for None."""
    if value is None:
        return "–"
    return str(number_format(_decimal(value, int(places)), int(places)))


@register.filter
def item_label(code: str) -> Any:
    return labels.ITEMS.get(code, code)


@register.filter
def dimension_label(code: str) -> Any:
    return labels.DIMENSIONS.get(code, code)


@register.filter
def zone_class(zone: str | None) -> str:
    return f"zone zone--{zone}" if zone else "zone"
