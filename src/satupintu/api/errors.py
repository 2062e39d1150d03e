"""One error shape for the JSON API: ``{"error": {"code", "message", "fields"}}``.

- 400 ``malformed``: the body is not JSON (or not UTF-8);
- 401 ``unauthenticated``: no API key, or an unknown or revoked one, where a key is needed;
- 403 ``forbidden``: the key lacks the scope, or the policy refuses the action;
- 404 ``not_found``: unknown, or not visible to the caller (the same answer);
- 409 ``conflict``, ``invalid_transition``, ``stale``, ``window_closed``,
  ``idempotency_in_use``: the report's state does not allow it now;
- 413 ``too_large``: the body is larger than the limit;
- 422 ``invalid``, ``idempotency_mismatch``: a field is missing, of the wrong type, or refused;
  ``fields`` names each one;
- 429 ``throttled``: too many requests; ``Retry-After`` says when to try again;
- 503 ``unavailable``: the database cannot be reached now (core/outage.py); nothing was done,
  and ``Retry-After`` says when to try again.

Messages follow the request's language (``Accept-Language``: Indonesian by default, English);
``code`` and the field names never change with the language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.db import Error as DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from satupintu.core import outage
from satupintu.core.errors import Door, SatupintuError, http_status

if TYPE_CHECKING:
    from ninja import NinjaAPI


def error_body(code: str, message: str, fields: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {})}}


def error_response(
    status: int, code: str, message: str, fields: Mapping[str, str] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


# --------------------------------------------------------------------------- validation messages


def _field_name(loc: Sequence[Any]) -> str:
    """``("body", "payload", "reporter", "email")`` → ``reporter.email``; query → its name."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "form", "cookie", "file"}:
        parts = parts[1:]
        # A body given as one schema parameter repeats that parameter's name first.
        if len(parts) > 1 and parts[0] in {"payload", "filters", "data"}:
            parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind in {"string_type", "string_unicode"}:
        return _("Harus berupa teks.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Harus berupa bilangan bulat.")
    if kind in {"float_type", "float_parsing", "decimal_parsing", "decimal_type"}:
        return _("Harus berupa angka.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Harus true atau false.")
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return _("Nilai tidak dikenal; pilih salah satu dari: %(expected)s.") % {
            "expected": expected
        }
    if kind in {"string_too_long", "too_long"}:
        return _("Paling banyak %(max)s karakter.") % {"max": ctx.get("max_length", "")}
    if kind in {"string_too_short", "too_short"}:
        return _("Paling sedikit %(min)s karakter.") % {"min": ctx.get("min_length", "")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Paling kecil %(min)s.") % {"min": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Paling besar %(max)s.") % {"max": ctx.get("le", ctx.get("lt", ""))}
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return _("Harus berupa tanggal dan waktu ISO 8601, misalnya 2026-11-30T08:00:00+07:00.")
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return _("Harus berupa tanggal ISO 8601, misalnya 2026-11-30.")
    if kind == "extra_forbidden":
        return _("Kolom ini tidak dikenal.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Harus berupa objek JSON.")
    if kind == "list_type":
        return _("Harus berupa daftar.")
    if kind == "json_invalid":
        return _("Bukan JSON yang sah.")
    return str(error.get("msg", _("Nilai tidak sah.")))


def validation_fields(errors: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), _message(error))
    return fields


# --------------------------------------------------------------------------- handlers


def install(api: NinjaAPI) -> None:
    """Replace Django Ninja's default error handlers with the one shape above."""

    def on_satupintu(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(
            request,
            error_body(exc.code, exc.message, exc.fields),
            status=http_status(exc, Door.API),
        )
        for name, value in outage.retry_headers(exc).items():
            response[name] = value
        return response

    def on_database(request: HttpRequest, exc: Any) -> HttpResponse:
        unavailable = outage.as_unavailable(exc)
        if unavailable is None:
            raise exc  # a bug or bad data, not an outage: Django's 500 as before
        return on_satupintu(request, unavailable)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields = validation_fields(exc.errors)
        first = next(iter(fields.items()))
        message = _("Isian %(field)s: %(problem)s") % {"field": first[0], "problem": first[1]}
        return api.create_response(request, error_body("invalid", message, fields), status=422)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, Throttled):
            body = error_body("throttled", _("Terlalu banyak permintaan; coba lagi nanti."))
        elif isinstance(exc, AuthenticationError):
            body = error_body(
                "unauthenticated",
                _("Kunci API tidak ada, tidak dikenal, atau sudah dicabut."),
            )
        elif exc.status_code == 400:
            body = error_body("malformed", _("Isi permintaan bukan JSON yang sah (gunakan UTF-8)."))
        elif exc.status_code == 403:
            body = error_body("forbidden", str(exc))
        else:
            body = error_body("error", str(exc))
        response = api.create_response(request, body, status=exc.status_code)
        if isinstance(exc, Throttled) and exc.wait:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", _("Tidak ditemukan.")), status=404
        )

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return too_large()

    def on_bad_form(request: HttpRequest, exc: Any) -> HttpResponse:
        body = error_body("malformed", _("Isi permintaan multipart/form-data tidak dapat dibaca."))
        return api.create_response(request, body, status=400)

    api.add_exception_handler(SatupintuError, on_satupintu)
    api.add_exception_handler(DatabaseError, on_database)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(MultiPartParserError, on_bad_form)


def too_large() -> JsonResponse:
    return error_response(413, "too_large", _("Isi permintaan terlalu besar."))
