"""Form widgets the web apps share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy


def htmx_select(url_name: str, target: str, extra: dict[str, str]) -> forms.Select:
    """A select whose change fetches ``url_name`` (with its value) into ``target`` (htmx)."""
    attrs: dict[str, Any] = {
        "hx-get": reverse_lazy(url_name),
        "hx-target": target,
        "hx-trigger": "change",
        "hx-swap": "innerHTML",
        **extra,
    }
    return forms.Select(attrs=attrs)
