"""Guards of the open interfaces, before anything reads the request: oversized bodies (413)
and text holding the NUL character, which no database column can store (422, the field named;
Open311: 400)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from satupintu.api.errors import error_response, too_large

NUL = "\x00"


def _open311_error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """Open311 clients expect the spec's error shape (400: "any other error")."""
    from satupintu.open311 import render

    return render.errors(render.format_of(request.path), status, message)


def open311_too_large(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _open311_error(request, _("Isi permintaan terlalu besar."))


def _nul_in_json(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield inner
            else:
                yield from _nul_in_json(item, inner)
    elif isinstance(value, list):
        for item in value:
            yield from _nul_in_json(item, path)


def _nul_in_form(form: Any) -> list[str]:
    return [name for name, values in form.lists() if NUL in name or any(NUL in v for v in values)]


def nul_fields(request: HttpRequest) -> list[str]:
    """The query parameters and body fields whose name or text holds a NUL character.

    Each source is looked into only when its raw bytes hold a NUL or its escape (``%00``,
    ``\\u0000``): the usual request pays a substring test, not a second parse."""
    found: list[str] = []
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or NUL in query:
        found += _nul_in_form(request.GET)
    if request.method in {"POST", "PUT", "PATCH"}:
        if request.content_type == "application/json":
            body = request.body
            if b"\\u0000" in body or b"\x00" in body:
                try:
                    found += _nul_in_json(json.loads(body), "")
                except ValueError:
                    pass  # not JSON: the API answers that itself (400 malformed)
        elif request.content_type == "application/x-www-form-urlencoded":
            # (Multipart bodies are left to the form: a parse error is the view's to answer,
            # and the services refuse NUL in every text they store.)
            body = request.body
            if b"%00" in body or b"\x00" in body:
                # A form that cannot be read (too many fields) is the view's to answer.
                with contextlib.suppress(SuspiciousOperation, RequestDataTooBig):
                    found += _nul_in_form(request.POST)
    return list(dict.fromkeys(found))


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


class NulTextMiddleware:
    """After the language is chosen, so that the message follows ``Accept-Language``.

    An address holding NUL names nothing here (404, on every page: no view ever looks it up);
    on the open interfaces a query or body field holding it is refused with its name (web
    forms refuse it themselves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        interface = request.path.startswith(PREFIXES)
        if NUL in request.path:
            if interface:
                return self.not_found(request)
            raise Http404
        if interface:
            refused = nul_fields(request)
            if refused:
                return self.refused(request, refused)
        return self.get_response(request)

    @staticmethod
    def not_found(request: HttpRequest) -> HttpResponse:
        from django.utils.translation import gettext as _

        message = _("Tidak ditemukan.")
        if request.path.startswith("/open311/"):
            return _open311_error(request, message, 404)
        return error_response(404, "not_found", message)

    @staticmethod
    def refused(request: HttpRequest, names: list[str]) -> HttpResponse:
        from django.utils.translation import gettext as _

        message = _("Teks tidak boleh berisi karakter NUL (\\0): %(fields)s.") % {
            "fields": ", ".join(names)
        }
        if request.path.startswith("/open311/"):
            return _open311_error(request, message)
        return error_response(
            422, "invalid", message, {name: _("Tidak boleh berisi karakter NUL.") for name in names}
        )
