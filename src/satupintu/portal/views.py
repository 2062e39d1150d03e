"""Citizen portal (mobile first). Views only parse, call a service or selector, and render.

The reporter's own pages need the tracking number plus the secret (design.md §4). After one
successful check the session remembers which reports it may open, so the secret can leave the
address bar at once (a redirect to the clean URL keeps it out of referrers and access logs).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from satupintu.complaints import services, tracking
from satupintu.complaints.actors import Reporter
from satupintu.complaints.forms import QuestionsForm
from satupintu.complaints.models import Report, StatusChoices
from satupintu.complaints.selectors import category_questions
from satupintu.core import throttle
from satupintu.core.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
    StaleReport,
    WindowClosed,
)
from satupintu.domain.lifecycle import Status
from satupintu.portal import forms, performance, selectors

SESSION_ACCESS = "portal:reporter-access"  # {tracking number: report id}
SESSION_RECEIPT = "portal:receipt"  # {"tracking": ..., "secret": ...}, for one redirect only

#: Submissions per client address per hour; failed tracking checks per address per hour.
SUBMIT_LIMIT = getattr(settings, "SATUPINTU_PORTAL_SUBMIT_LIMIT", 10)
TRACK_FAILURE_LIMIT = getattr(settings, "SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT", 30)
WINDOW = 3600


# --------------------------------------------------------------------------- helpers


def _map_context() -> dict[str, Any]:
    lat, lon, zoom = selectors.map_centre()
    return {"map_tiles_url": settings.MAP_TILES_URL, "map_centre": [lat, lon, zoom]}


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "portal/too_many.html", {"retry_minutes": -(-retry_after // 60)})
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


def _access(request: HttpRequest) -> dict[str, int]:
    stored = request.session.get(SESSION_ACCESS)
    return dict(stored) if isinstance(stored, dict) else {}


def _grant(request: HttpRequest, number: str, report_id: int) -> None:
    access = _access(request)
    if not access:
        # A fresh session key when a browser first gains a reporter's access.
        request.session.cycle_key()
    access[number] = report_id
    request.session[SESSION_ACCESS] = access


def _reporter_id(request: HttpRequest, number: str) -> int | None:
    return _access(request).get(tracking.normalize_tracking_number(number))


def _not_found(request: HttpRequest, number: str = "") -> HttpResponse:
    """The one answer for a wrong number, a wrong secret or no access: never says which."""
    form = forms.TrackForm(initial={"tracking_number": number})
    response = render(request, "portal/track.html", {"form": form, "not_found": True}, status=404)
    add_never_cache_headers(response)
    return response


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


# --------------------------------------------------------------------------- home


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.home_figures(),
            "sla": selectors.sla(),
            "performance": performance.public_performance(),
        },
    )


# --------------------------------------------------------------------------- submitting


def _report_form(request: HttpRequest, data: Any = None, files: Any = None) -> forms.ReportForm:
    category = data.get("category", "") if data is not None else ""
    return forms.ReportForm(
        data,
        files,
        categories=selectors.categories_by_topic(),
        districts=selectors.districts(),
        questions=category_questions(category),
    )


def _render_submit(request: HttpRequest, form: forms.ReportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "files_lost": form.is_bound and bool(request.FILES) and bool(form.errors),
        "sla": selectors.sla(),
        **_map_context(),
    }
    return render(request, "portal/submit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_submit(request, _report_form(request))
    retry = throttle.hit(request, "submit", limit=SUBMIT_LIMIT, window=WINDOW)
    if retry is not None:
        return _too_many(request, retry)
    form = _report_form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _render_submit(request, form, status=400)
    try:
        report, secret = services.report_receive(
            actor=None, channel="web", **form.service_arguments()
        )
    except InvalidInput as exc:
        forms.apply_service_error(form, exc)
        return _render_submit(request, form, status=400)
    _grant(request, report.tracking_number, report.pk)
    request.session[SESSION_RECEIPT] = {"tracking": report.tracking_number, "secret": secret}
    return redirect("portal:receipt", tracking=report.tracking_number)


@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's questions, loaded into the report form by htmx."""
    found = category_questions(request.GET.get("category", "").strip())
    form = QuestionsForm(questions=found)
    return render(request, "complaints/_questions_htmx.html", {"form": form})


@require_GET
def receipt(request: HttpRequest, tracking: str) -> HttpResponse:
    number = _normalized(tracking)
    report_id = _reporter_id(request, number)
    report = selectors.reporter_report(report_id) if report_id else None
    if report is None:
        return _not_found(request, number)
    stored = request.session.pop(SESSION_RECEIPT, None)
    secret = stored.get("secret") if isinstance(stored, dict) else None
    if isinstance(stored, dict) and stored.get("tracking") != number:
        secret = None
    private_link = None
    if secret:
        path = reverse("portal:reporter", kwargs={"tracking": number})
        private_link = request.build_absolute_uri(f"{path}?{urlencode({'kunci': secret})}")
    context = {
        "report": report,
        "secret": secret,
        "private_link": private_link,
        "sla": selectors.sla(),
    }
    return _private(render(request, "portal/receipt.html", context))


def _normalized(number: str) -> str:
    return tracking.normalize_tracking_number(number or "")


# --------------------------------------------------------------------------- tracking


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        number = request.GET.get("nomor", "")
        form = forms.TrackForm(initial={"tracking_number": number})
        return _private(render(request, "portal/track.html", {"form": form}))
    retry = throttle.exceeded(request, "track", limit=TRACK_FAILURE_LIMIT, window=WINDOW)
    if retry is not None:
        return _too_many(request, retry)
    form = forms.TrackForm(request.POST)
    if not form.is_valid():
        response = render(request, "portal/track.html", {"form": form}, status=400)
        return _private(response)
    return _authenticate(request, form.cleaned_data["tracking_number"], form.cleaned_data["secret"])


def _authenticate(request: HttpRequest, number: str, secret: str) -> HttpResponse:
    try:
        reporter = services.reporter_authenticate(number, secret)
    except NotFound:
        throttle.hit(request, "track", limit=TRACK_FAILURE_LIMIT, window=WINDOW)
        return _not_found(request, number)
    clean = _normalized(number)
    _grant(request, clean, reporter.report_id)
    return _private(redirect("portal:reporter", tracking=clean))


def _reporter_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    page = selectors.reporter_page(report)
    context: dict[str, Any] = {
        "page": page,
        "report": report,
        "reply_form": forms.ReplyForm(),
        "confirm_form": forms.ConfirmForm(initial={"expected_version": report.version}),
        "appeal_form": forms.AppealForm(initial={"expected_version": report.version}),
        "attach_form": forms.AttachForm(),
        "sla": selectors.sla(),
    }
    context.update(extra)
    return context


@require_GET
def reporter(request: HttpRequest, tracking: str) -> HttpResponse:
    secret = request.GET.get("kunci")
    if secret is not None:
        retry = throttle.exceeded(request, "track", limit=TRACK_FAILURE_LIMIT, window=WINDOW)
        if retry is not None:
            return _too_many(request, retry)
        return _authenticate(request, tracking, secret)
    number = _normalized(tracking)
    report_id = _reporter_id(request, number)
    report = selectors.reporter_report(report_id) if report_id else None
    if report is None:
        return _not_found(request, number)
    if number != tracking:
        return redirect("portal:reporter", tracking=number)
    return _private(render(request, "portal/reporter.html", _reporter_context(request, report)))


def _conflict_message(exc: Exception) -> str:
    if isinstance(exc, WindowClosed):
        return gettext("Masa banding untuk laporan ini sudah berakhir.")
    if isinstance(exc, StaleReport):
        return gettext("Laporan ini baru saja berubah. Periksa keadaan terbarunya, lalu coba lagi.")
    if isinstance(exc, InvalidTransition | NotPermitted):
        return gettext("Tindakan ini tidak tersedia untuk status laporan saat ini.")
    return gettext("Permintaan tidak dapat diproses saat ini. Muat ulang halaman, lalu coba lagi.")


def _reporter_action(
    request: HttpRequest,
    tracking: str,
    form_class: type[Any],
    form_key: str,
    call: Any,
    done: str,
) -> HttpResponse:
    """Run one reporter action; htmx gets the panel back, a plain POST a redirect (PRG)."""
    number = _normalized(tracking)
    report_id = _reporter_id(request, number)
    report = selectors.reporter_report(report_id) if report_id else None
    if report is None:
        return _not_found(request, number)
    form = form_class(request.POST, request.FILES)
    notice: tuple[str, str] | None = None
    status = 200
    if form.is_valid():
        actor = Reporter(report_id=report.pk)
        try:
            call(actor, report, form.cleaned_data)
        except InvalidInput as exc:
            forms.apply_service_error(form, exc)
            status = 400
        except (Conflict, NotPermitted) as exc:
            notice = ("error", _conflict_message(exc))
            status = 409
        except NotFound:
            return _not_found(request, number)
        else:
            notice = ("success", done)
    else:
        status = 400
    is_htmx = bool(getattr(request, "htmx", False))
    if not is_htmx and status != 400:
        level = messages.SUCCESS if status == 200 else messages.ERROR
        messages.add_message(request, level, notice[1] if notice else done)
        return _private(redirect("portal:reporter", tracking=number))
    fresh = selectors.reporter_report(report.pk) or report
    extra: dict[str, Any] = {"notice": notice}
    if status == 400:
        extra[form_key] = form
    context = _reporter_context(request, fresh, **extra)
    if is_htmx:
        # htmx swaps only 2xx answers: errors travel inside the panel; the summary beside it
        # (status, agency) is refreshed out of band.
        return _private(render(request, "portal/_reporter_htmx.html", context))
    return _private(render(request, "portal/reporter.html", context, status=status))


@require_POST
def reporter_reply(request: HttpRequest, tracking: str) -> HttpResponse:
    def call(actor: Reporter, report: Report, data: dict[str, Any]) -> None:
        services.report_reporter_reply(actor=actor, report_id=report.pk, body=data["body"])

    return _reporter_action(
        request,
        tracking,
        forms.ReplyForm,
        "reply_form",
        call,
        gettext("Tanggapan Anda sudah terkirim."),
    )


@require_POST
def reporter_confirm(request: HttpRequest, tracking: str) -> HttpResponse:
    def call(actor: Reporter, report: Report, data: dict[str, Any]) -> None:
        services.report_confirm(
            actor=actor,
            report_id=report.pk,
            rating=data["rating"],
            comment=data.get("comment", ""),
            expected_version=data.get("expected_version"),
        )

    return _reporter_action(
        request,
        tracking,
        forms.ConfirmForm,
        "confirm_form",
        call,
        gettext("Terima kasih atas penilaian Anda. Laporan ini sekarang ditutup."),
    )


@require_POST
def reporter_appeal(request: HttpRequest, tracking: str) -> HttpResponse:
    def call(actor: Reporter, report: Report, data: dict[str, Any]) -> None:
        services.report_appeal(
            actor=actor,
            report_id=report.pk,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )

    return _reporter_action(
        request,
        tracking,
        forms.AppealForm,
        "appeal_form",
        call,
        gettext("Banding Anda sudah terkirim. Laporan dikembalikan ke instansi."),
    )


@require_POST
def reporter_attach(request: HttpRequest, tracking: str) -> HttpResponse:
    def call(actor: Reporter, report: Report, data: dict[str, Any]) -> None:
        files = data["attachments"]
        services.report_add_attachments(
            actor=actor, report_id=report.pk, files=[(f.name or "", f) for f in files]
        )

    return _reporter_action(
        request,
        tracking,
        forms.AttachForm,
        "attach_form",
        call,
        gettext("Lampiran sudah ditambahkan."),
    )


# --------------------------------------------------------------------------- public pages


def _statuses() -> list[tuple[str, str]]:
    return [(c.value, str(c.label)) for c in StatusChoices if c.value != Status.ARCHIVED.value]


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    categories = selectors.categories_by_topic()
    districts = selectors.districts()
    form = forms.PublicFilterForm(
        request.GET, statuses=_statuses(), categories=categories, districts=districts
    )
    form.is_valid()  # an invalid filter is ignored, the rest still applies
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    filters = selectors.PublicFilters(
        q=(data.get("q") or "").strip(),
        status=data.get("status") or "",
        category=data.get("category") or "",
        kecamatan=data.get("kecamatan") or "",
        report_type=data.get("report_type") or "",
    )
    page = selectors.public_list(filters, data.get("page") or 1)
    query = {k: v for k, v in filters.__dict__.items() if v}
    context = {
        "form": form,
        "page": page,
        "filtered": bool(query),
        "previous_query": urlencode({**query, "page": page.number - 1}),
        "next_query": urlencode({**query, "page": page.number + 1}),
        "points": selectors.map_points(page.rows),
        **_map_context(),
    }
    return render(request, "portal/public_list.html", context)


@require_GET
def public_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    report = selectors.public_report(tracking)
    if report is None:
        # Confidential, archived and unknown reports answer alike.
        return render(request, "portal/public_not_found.html", status=404)
    if report.tracking_number != tracking:
        return redirect("portal:public_detail", tracking=report.tracking_number)
    points = selectors.map_points([report])
    context = {
        "page": selectors.public_page(report),
        "report": report,
        "point": bool(points),
        "points": points,
        **_map_context(),
    }
    return render(request, "portal/public_detail.html", context)


@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Files are served only here, after an access check; media is never served directly."""
    found = selectors.attachment_for(pk)
    if found is None:
        raise Http404
    allowed = selectors.attachment_is_public(found)
    private = False
    if not allowed:
        report_id = found.report_id
        allowed = report_id in _access(request).values() and selectors.attachment_is_reporters(
            found, report_id
        )
        private = True
    if not allowed:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=found.content_type,
        as_attachment=found.content_type == "application/pdf",
        filename=found.original_name,
    )
    # Never rendered as a page of this site, whatever a file turns out to contain.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --------------------------------------------------------------------------- regions (htmx)


@require_GET
def villages(request: HttpRequest) -> HttpResponse:
    """``<option>``s of one kecamatan's kelurahan/desa (all of them, grouped, without one)."""
    code = request.GET.get("kecamatan", "").strip()
    found = selectors.districts(code or None)
    return render(
        request,
        "portal/_village_options.html",
        {"districts": found, "grouped": not code, "selected": request.GET.get("region_code", "")},
    )
