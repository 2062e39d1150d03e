"""Open311 GeoReport v2 endpoints: parse the spec's arguments, call our selectors and services,
answer in the format the URL names (``.json`` or ``.xml``).

Refusals follow the spec: ``[{"code": N, "description": "..."}]`` with 404 for what does not
exist, 403 for a missing or wrong ``api_key`` (or one without the scope to file reports), 400
for anything else; 429 with ``Retry-After`` when a key or an address files too many reports;
503 with ``Retry-After`` while the database cannot be reached (core/outage.py); 500 for a
failure of ours (reported to the log, never described).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from satupintu.api import idempotency, keys, throttles
from satupintu.api.selectors import categories
from satupintu.complaints import services
from satupintu.complaints.models import Channel, Report
from satupintu.complaints.services import Contact
from satupintu.core import outage
from satupintu.core.errors import Door, SatupintuError, http_status
from satupintu.open311 import params, present, render, selectors
from satupintu.open311.params import Refused

View = Callable[..., HttpResponse]


def _refusal(exc: SatupintuError) -> Refused:
    details = [
        f"{params.spec_field(name)}: {message}" for name, message in (exc.fields or {}).items()
    ]
    return Refused(http_status(exc, Door.OPEN311), exc.message, *details)


def _jurisdiction(request: HttpRequest) -> None:
    """One jurisdiction per server: a ``jurisdiction_id`` other than ours is not found (an
    empty or missing one is ours); with none configured, the argument is ignored."""
    ours = settings.SATUPINTU_OPEN311_JURISDICTION_ID
    data = request.POST if request.method == "POST" else request.GET
    given = params.value(data, "jurisdiction_id")
    if ours and given and given != ours:
        raise Refused(
            404, _('jurisdiction_id "%(value)s" tidak ditemukan.') % {"value": given[:100]}
        )


def endpoint(*methods: str) -> Callable[[View], View]:
    """Method and jurisdiction checks, and every refusal in the spec's error shape."""

    def wrap(view: View) -> View:
        @wraps(view)
        def run(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            allowed = (*methods, "HEAD") if "GET" in methods else methods
            if request.method not in allowed:
                message = _("Metode %(method)s tidak tersedia di sini; gunakan %(allowed)s.") % {
                    "method": request.method,
                    "allowed": ", ".join(methods),
                }
                return render.errors(fmt, 400, message, headers={"Allow": ", ".join(allowed)})
            try:
                _jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Refused as refused:
                return render.errors(fmt, refused.status, *refused.descriptions)
            except SatupintuError as exc:
                mapped = _refusal(exc)
                headers = outage.retry_headers(exc)
                return render.errors(fmt, mapped.status, *mapped.descriptions, headers=headers)
            except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                message = _("Isi permintaan tidak dapat dibaca sebagai formulir.")
                return render.errors(fmt, 400, message)
            except (Http404, PermissionDenied, BadRequest, SuspiciousOperation):
                raise  # Django's own answers (and its security log), not a failure of ours
            except Exception as exc:
                unavailable = outage.as_unavailable(exc)
                if unavailable is not None:
                    mapped = _refusal(unavailable)
                    headers = outage.retry_headers(unavailable)
                    return render.errors(fmt, mapped.status, *mapped.descriptions, headers=headers)
                # Reported as Django reports any failure (its log, error trackers), answered
                # in the spec's shape whatever DEBUG says, without a word of its details.
                signals.got_request_exception.send(sender=None, request=request)
                response = server_error(request)
                log_response(
                    "Internal Server Error: %s",
                    request.path,
                    response=response,
                    request=request,
                    exception=exc,
                )
                return response

        return csrf_exempt(run)

    return wrap


def server_error(request: HttpRequest) -> HttpResponse:
    """A failure we did not foresee, as the spec's error (500) in the format the address asks
    for; also Django's 500 handler under /open311/ (config/urls.py)."""
    message = _(
        "Maaf, permintaan Anda tidak dapat diproses karena ada gangguan di sisi kami. "
        "Silakan coba lagi beberapa menit lagi."
    )
    return render.errors(render.format_of(request.path), 500, message)


# --------------------------------------------------------------------------- discovery, services


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    stamp = present.w3c(selectors.changeset()) or present.NEVER_CHANGED
    url = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    return render.respond(fmt, "discovery", present.discovery(url, stamp))


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "services", [present.service(c) for c in categories()])


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    found = categories(code)
    if not found:
        raise Refused(404, _('service_code "%(code)s" tidak ditemukan.') % {"code": code[:100]})
    return render.respond(fmt, "service_definition", present.definition(found[0]))


# --------------------------------------------------------------------------- requests


def _key(request: HttpRequest) -> keys.KeyActor | None:
    raw = params.value(request.POST, "api_key") or params.value(request.GET, "api_key")
    return keys.authenticate(raw) if raw else None


def _answer(request: HttpRequest, fmt: str, reports: list[Report]) -> HttpResponse:
    events = selectors.public_events(reports)
    photos = selectors.public_photos(reports)

    def media(report: Report) -> str | None:
        pk = photos.get(report.pk)
        if pk is None:
            return None
        return request.build_absolute_uri(reverse("portal:attachment", kwargs={"pk": pk}))

    items = [present.service_request(r, events.get(r.pk, []), media(r)) for r in reports]
    return render.respond(fmt, "service_requests", items)


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    numbers = params.comma_list(request.GET, "service_request_id")
    if numbers:  # "This overrides all other arguments."
        caller = _key(request)
        found = selectors.requests_by_id(numbers, filed_by=caller.user if caller else None)
        return _answer(request, fmt, found)
    filters = params.request_filters(request.GET, now=timezone.now())
    return _answer(request, fmt, selectors.request_list(filters))


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    caller = _key(request)
    found = selectors.requests_by_id([number], filed_by=caller.user if caller else None)
    if not found:
        raise Refused(404, _('service_request_id "%(id)s" tidak ditemukan.') % {"id": number[:40]})
    return _answer(request, fmt, found)


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """We answer POST in real time and issue no tokens; a service_request_id serves as its own
    token so that clients written for batch servers still find their request."""
    caller = _key(request)
    found = selectors.requests_by_id([token], filed_by=caller.user if caller else None)
    if not found:
        raise Refused(404, _('token "%(token)s" tidak ditemukan.') % {"token": token[:40]})
    item = {"service_request_id": found[0].tracking_number, "token": token}
    return render.respond(fmt, "service_requests", [item])


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests: file a report through the same service as every other door."""
    caller = _key(request)
    if caller is None:
        given = params.value(request.POST, "api_key") or params.value(request.GET, "api_key")
        raise Refused(
            403,
            _("api_key tidak dikenal atau sudah dicabut.")
            if given
            else _("api_key wajib diisi untuk mengirim laporan."),
        )
    if not (caller.has("submit") or caller.has("intake")):
        raise Refused(403, _("Kunci API ini tidak memiliki cakupan submit."))
    code = params.value(request.POST, "service_code")
    if not code:
        raise Refused(400, _("service_code wajib diisi."))
    found = categories(code)
    if not found:
        raise Refused(404, _('service_code "%(code)s" tidak ditemukan.') % {"code": code[:100]})
    category = found[0]
    form = params.new_request(request.POST, service_name=category.name)
    request.auth = caller  # type: ignore[attr-defined]
    wait = throttles.check(
        request, "open311-submit", anonymous_limit=settings.SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT
    )
    if wait is not None:
        return render.errors(
            fmt,
            429,
            _("Terlalu banyak laporan; coba lagi dalam %(seconds)s detik.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )

    def act() -> tuple[int, dict[str, Any]]:
        report, _secret = services.report_receive(
            actor=caller.user,
            channel=Channel.OPEN311,
            title=form.title,
            description=form.description,
            category=category,
            contact=Contact(name=form.name, email=form.email, phone=form.phone),
            region_code=form.region_code or None,
            address=form.address,
            latitude=form.latitude or None,
            longitude=form.longitude or None,
            attributes=form.attributes,
            is_confidential=form.confidential,
        )
        return 200, present.created(report)

    answer = idempotency.once(
        request,
        owner=f"key:{caller.key.pk}",
        key=request.headers.get(idempotency.HEADER),
        act=act,
        path="open311/v2/requests",  # the same request whichever format it asks for
    )
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return render.respond(
        fmt, "service_requests", [answer.body], status=answer.status, headers=headers
    )


@endpoint("GET", "POST")
def not_found(request: HttpRequest, fmt: str, path: str = "") -> HttpResponse:
    """Anything else under /open311/: the spec's 404 (XML unless the path ends in .json)."""
    raise Refused(404, _("Alamat ini tidak ada di layanan Open311 GeoReport v2."))
