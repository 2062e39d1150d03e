"""Template context shared by every page: the site's name and the Pemda's (its root agency)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from satupintu.agencies.models import Agency


def site(request: HttpRequest) -> dict[str, Any]:
    pemda = cache.get("satupintu:pemda-name")
    if pemda is None:
        root = Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None).order_by("pk").first()
        pemda = root.name if root else ""
        cache.set("satupintu:pemda-name", pemda, 300)
    return {"SITE_NAME": settings.SITE_NAME, "PEMDA_NAME": pemda}
