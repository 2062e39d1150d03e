"""Presentation helpers of the SKM pages: exact figures shown rounded, grades as badges."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from satupintu.domain.indices import round_to

register = template.Library()

#: Badge colour per mutu (domain.md §3.3): A and B good, C warning, D bad.
GRADE_CLASS = {"A": "badge--ok", "B": "badge--ok", "C": "badge--soon", "D": "badge--overdue"}
#: Kinerja unit per mutu in the reader's language (domain.md §3.3; the domain keeps Indonesian).
GRADE_LABEL = {
    "A": _("Sangat Baik"),
    "B": _("Baik"),
    "C": _("Kurang Baik"),
    "D": _("Tidak Baik"),
}


def grade_label(code: str) -> str:
    return str(GRADE_LABEL.get(code, code))


@register.filter
def dp(value: Fraction | Decimal | int | None, places: int = 2) -> str:
    """An exact number rounded half up to ``places`` decimals, in the active locale (84,26)."""
    if value is None:
        return "–"
    rounded = round_to(Fraction(value), int(places))
    return number_format(rounded, int(places))


@register.filter
def grade_class(code: str | None) -> str:
    return GRADE_CLASS.get(code or "", "")


@register.inclusion_tag("surveys/_grade.html")
def grade_badge(result: Any) -> dict[str, Any]:
    """Mutu and kinerja of an IKM result or an unsur (anything with ``grade``), or a dash."""
    grade = getattr(result, "grade", None)
    if grade is None:
        return {"grade": None}
    return {"grade": grade, "label": grade_label(grade.code), "css": GRADE_CLASS.get(grade.code)}


@register.filter
def element_of(result: Any, index: int) -> Any:
    """The ``index``-th unsur result of an IKM result (None when there is no result)."""
    if result is None:
        return None
    return result.elements[int(index)]
