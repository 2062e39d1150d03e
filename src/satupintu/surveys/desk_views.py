"""The evaluator's SKM pages in the officer desk: periods, targets and live progress, QR sheet,
results, exports and follow-up actions. Views only parse, call a service or selector, render.

Who may see what is ``surveys.policies``: a user without an evaluator role gets 404 here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from satupintu.agencies.context import site
from satupintu.core.errors import NotFound, SatupintuError
from satupintu.core.forms import apply_error, error_message
from satupintu.core.paging import page_number, page_of
from satupintu.surveys import exports, pdf, policies, selectors, services
from satupintu.surveys.desk_forms import (
    FollowUpForm,
    FollowUpStatusForm,
    PeriodForm,
    TargetsForm,
    UnitFilterForm,
)
from satupintu.surveys.models import SurveyPeriod
from satupintu.surveys.views import form_path, qr_target_url

SUGGESTIONS_PER_PAGE = 30


def _access(request: HttpRequest) -> policies.SkmAccess:
    try:
        return policies.require_evaluator(request.user)
    except NotFound:
        raise Http404 from None


def _period(access: policies.SkmAccess, pk: int) -> SurveyPeriod:
    period = selectors.period_for(access, pk)
    if period is None:
        raise Http404
    return period


def _page_number(request: HttpRequest) -> int:
    return page_number(request.GET.get("page"))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(period: SurveyPeriod, suffix: str) -> str:
    return f"skm-{slugify(period.name) or period.pk}-{suffix}"


# --------------------------------------------------------------------------- periods


@login_required
@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = PeriodForm(request.POST or None) if access.manages_periods else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        status = 400
        if form.is_valid():
            try:
                period = services.period_create(actor=request.user, **form.cleaned_data)
            except SatupintuError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Periode %(name)s dibuat. Atur target sampel lalu buka periodenya.")
                    % {"name": period.name},
                )
                return redirect("skm:period", pk=period.pk)
    context = {"periods": selectors.period_list(access), "form": form, "access": access}
    return render(request, "surveys/desk/periods.html", context, status=status)


def _targets_form(
    access: policies.SkmAccess,
    period: SurveyPeriod,
    progress: selectors.Progress,
    data: Any = None,
) -> TargetsForm:
    return TargetsForm(
        data,
        units=selectors.target_units(access),
        current={row.unit_id: row.population for row in progress.rows if row.population},
        previous=selectors.previous_populations(period),
    )


def _render_period(
    request: HttpRequest,
    access: policies.SkmAccess,
    period: SurveyPeriod,
    *,
    targets_form: TargetsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    progress = selectors.progress(period, access)
    if targets_form is None:
        targets_form = _targets_form(access, period, progress)
    context = {
        "period": period,
        "access": access,
        "progress": progress,
        "targets_form": targets_form,
        "rows": _rows(request, period, progress),
    }
    return render(request, "surveys/desk/period.html", context, status=status)


def _rows(
    request: HttpRequest, period: SurveyPeriod, progress: selectors.Progress
) -> list[tuple[selectors.ProgressRow, dict[str, str]]]:
    """Each progress row with its unit's public form address, QR code and kiosk address."""
    out = []
    for row in progress.rows:
        path = form_path(period.pk, row.code)
        links = {
            "form": request.build_absolute_uri(path),
            "qr": reverse("surveys:qr", args=[period.pk, row.code]),
            "kiosk": path + "?kiosk=1",
        }
        out.append((row, links))
    return out


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    return _render_period(request, access, _period(access, pk))


@login_required
@require_GET
def period_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress table alone, polled by htmx while the page is open."""
    access = _access(request)
    period = _period(access, pk)
    progress = selectors.progress(period, access)
    context = {"period": period, "progress": progress, "rows": _rows(request, period, progress)}
    return render(request, "surveys/desk/_progress.html", context)


PERIOD_ACTIONS = {
    "buka": (services.period_open, gettext_lazy("Periode dibuka; warga dapat mengisi survei.")),
    "tutup": (
        services.period_close,
        gettext_lazy("Periode ditutup; survei tidak menerima jawaban."),
    ),
    "publikasi": (
        services.period_publish,
        gettext_lazy("Hasil periode dipublikasikan di portal warga."),
    ),
}


@login_required
@require_POST
def period_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    if action not in PERIOD_ACTIONS:
        raise Http404
    service, success = PERIOD_ACTIONS[action]
    try:
        service(actor=request.user, period=period)
    except SatupintuError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, str(success))
    return redirect("skm:period", pk=period.pk)


@login_required
@require_POST
def period_targets(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    form = _targets_form(access, period, selectors.progress(period, access), request.POST)
    if form.is_valid():
        try:
            changed = services.targets_set(
                actor=request.user, period=period, populations=form.populations()
            )
        except NotFound:
            raise Http404 from None
        except SatupintuError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d target sampel disimpan.",
                    "%(count)d target sampel disimpan.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("skm:period", pk=period.pk)
    return _render_period(request, access, period, targets_form=form, status=400)


@login_required
@require_GET
def qr_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable PDF: one A4 page per unit with its QR code and the survey address."""
    access = _access(request)
    period = _period(access, pk)
    rows = [row for row in selectors.progress(period, access).rows if row.population]
    if not rows:
        messages.error(
            request, _("Atur target sampel unit layanan dahulu: lembar QR dibuat per unit.")
        )
        return redirect("skm:period", pk=period.pk)
    sheets = [pdf.QrSheet(row.name, qr_target_url(request, period.pk, row.code)) for row in rows]
    return _download(
        pdf.qr_sheets(period, sheets), "application/pdf", _filename(period, "kode-qr.pdf")
    )


# --------------------------------------------------------------------------- results


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    units = selectors.target_units(access)
    form = UnitFilterForm(request.GET or None, units=units)
    chosen = form.chosen()
    report = selectors.period_report(period, access)
    focus = report.unit(chosen.pk) if chosen else None
    context = {
        "period": period,
        "access": access,
        "report": report,
        "form": form,
        "chosen": chosen,
        "focus": focus,
        "elements": (focus.result if focus else report.overall),
        "ratings": focus.ratings if focus else report.ratings,
    }
    return render(request, "surveys/desk/results.html", context)


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    report = selectors.period_report(period, access)
    content = exports.report_xlsx(report)
    return _download(content, exports.XLSX_TYPE, _filename(period, "hasil.xlsx"))


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    report = selectors.period_report(period, access)
    suggestions = selectors.frequent_suggestions(period, access, limit=pdf.SUGGESTIONS_LISTED)
    content = pdf.report_pdf(
        report, suggestions, pemda=site(request)["PEMDA_NAME"], generated_at=timezone.now()
    )
    return _download(content, "application/pdf", _filename(period, "laporan.pdf"))


@login_required
@require_GET
def suggestion_list(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    form = UnitFilterForm(request.GET or None, units=selectors.target_units(access))
    chosen = form.chosen()
    rows = selectors.suggestions(period, access, unit_id=chosen.pk if chosen else None)
    page = page_of(rows, _page_number(request), SUGGESTIONS_PER_PAGE)
    context = {"period": period, "form": form, "page": page}
    return render(request, "surveys/desk/suggestions.html", context)


# --------------------------------------------------------------------------- follow-ups


def _render_follow_ups(
    request: HttpRequest,
    access: policies.SkmAccess,
    period: SurveyPeriod,
    *,
    form: FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    units = selectors.target_units(access)
    if form is None:
        initial: dict[str, Any] = {}
        if request.GET.get("unit"):
            initial["unit"] = request.GET["unit"]
        if request.GET.get("element"):
            initial["element"] = request.GET["element"]
        form = FollowUpForm(initial=initial, units=units)
    items = list(selectors.follow_up_list(period, access))
    context = {
        "period": period,
        "form": form,
        "items": items,
        "status_form": FollowUpStatusForm(),
        "done": sum(1 for item in items if item.done_on),
        "today": timezone.localdate(),
    }
    return render(request, "surveys/desk/follow_ups.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    period = _period(access, pk)
    if request.method != "POST":
        return _render_follow_ups(request, access, period)
    form = FollowUpForm(request.POST, units=selectors.target_units(access))
    if form.is_valid():
        try:
            services.follow_up_create(actor=request.user, period=period, **form.cleaned_data)
        except SatupintuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Rencana tindak lanjut dicatat."))
            return redirect("skm:follow_ups", pk=period.pk)
    return _render_follow_ups(request, access, period, form=form, status=400)


@login_required
@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = selectors.follow_up_for(access, pk)
    if item is None:
        raise Http404
    form = FollowUpStatusForm(request.POST)
    back = reverse("skm:follow_ups", args=[item.period_id]) + f"#tl-{item.pk}"
    if not form.is_valid():
        messages.error(request, _("Pilih status yang valid."))
        return redirect(back)
    try:
        services.follow_up_set_status(actor=request.user, follow_up_id=item.pk, **form.cleaned_data)
    except SatupintuError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Status tindak lanjut disimpan."))
    return redirect(back)
