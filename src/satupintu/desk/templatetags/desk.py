"""Presentation helpers of the officer desk: deadline badges, tracking numbers, page links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.http import HttpRequest

from satupintu.complaints import tracking
from satupintu.desk import selectors

register = template.Library()


@register.inclusion_tag("desk/_deadline.html")
def deadline_badge(due: dt.date | None, *, label: str = "") -> dict[str, Any]:
    """A stored deadline as a badge: late, due soon (≤ 1 working day) or in time."""
    return {"d": selectors.deadline(due), "label": label}


@register.filter
def deadline_of(due: dt.date | None) -> selectors.Deadline:
    return selectors.deadline(due)


@register.filter
def tracking_number(number: str) -> str:
    return tracking.format_tracking_number(number) if number else ""


@register.simple_tag
def page_query(request: HttpRequest, number: int) -> str:
    """The current query string with ``page`` replaced."""
    query = request.GET.copy()
    query["page"] = str(number)
    return query.urlencode()


@register.filter
def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())
