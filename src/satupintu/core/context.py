"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    pemda = cache.get("satupintu:pemda-name")
    if pemda is None:
        from satupintu.agencies.models import Agency

        root = Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None).order_by("pk").first()
        pemda = root.name if root else ""
        cache.set("satupintu:pemda-name", pemda, 300)
    return {"SITE_NAME": settings.SITE_NAME, "PEMDA_NAME": pemda}
