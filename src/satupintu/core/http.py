"""Small helpers the web views share: refusals as HTTP statuses, private file downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from satupintu.core.errors import Door, NotFound, SatupintuError, http_status

INLINE_TYPES = frozenset({"image/jpeg", "image/png"})


def or_404(call: Callable[[], Any]) -> Any:
    """``call()``, with NotFound ("does not exist" or "not yours") as Django's 404."""
    try:
        return call()
    except NotFound:
        raise Http404 from None


def error_status(exc: SatupintuError) -> int:
    """The HTTP status of a page that shows a refused change next to its form."""
    return http_status(exc, Door.PAGE)


def private_file(file: FieldFile, *, content_type: str, filename: str) -> FileResponse:
    """A stored upload for a signed-in officer: images shown, anything else downloaded, never
    cached, sandboxed so a crafted file cannot run scripts."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
