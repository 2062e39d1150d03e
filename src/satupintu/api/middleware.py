"""Refuse oversized bodies on the open interfaces before anything reads them (413)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from satupintu.api.errors import too_large

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
                return too_large()
        return self.get_response(request)
