"""Refuse oversized bodies on the open interfaces before anything reads them (413)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from satupintu.api.errors import too_large


def open311_too_large(request: HttpRequest) -> HttpResponse:
    """Open311 clients expect the spec's error shape (400: "any other error")."""
    from django.utils.translation import gettext as _

    from satupintu.open311 import render

    fmt = "json" if request.path.endswith(".json") else "xml"
    return render.errors(fmt, 400, _("Isi permintaan terlalu besar."))


PREFIXES = ("/api/", "/open311/")


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = settings.SATUPINTU_API_MAX_BODY_KB * 1024
        # Photos go up as multipart/form-data: the attachment limits apply to those.
        self.upload_limit = settings.ATTACHMENT_MAX_BYTES * settings.ATTACHMENT_MAX_FILES + 65536

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PREFIXES):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            multipart = request.content_type == "multipart/form-data"
            if length > (self.upload_limit if multipart else self.limit):
                if request.path.startswith("/open311/"):
                    return open311_too_large(request)
                return too_large()
        return self.get_response(request)
