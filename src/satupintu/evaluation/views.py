"""Evaluation pages in the officer desk: the overview per year, the PEKPPP worksheet, the
Ombudsman readiness checklist of a unit, and the complaint-management indicators per agency.

Views only parse, call a service or selector, and render. A unit the user may not open answers
404, the same as one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.core.errors import NotFound, SatupintuError
from satupintu.core.forms import apply_error, error_message
from satupintu.core.http import error_status, or_404, private_file
from satupintu.evaluation import selectors, services
from satupintu.evaluation.forms import WorksheetForm
from satupintu.evaluation.policies import opens_evaluation

#: Years offered in the year switch, counted back from this year.
YEARS_SHOWN = 4


def _year(request: HttpRequest) -> int:
    """The ``tahun`` asked for, or this year when it is missing or not a sensible year."""
    this_year = workcal.today().year
    try:
        year = int(request.GET.get("tahun", this_year))
    except ValueError:
        return this_year
    return year if services.FIRST_YEAR <= year <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = workcal.today().year
    return list(range(this_year, this_year - YEARS_SHOWN, -1))


def _guard(request: HttpRequest) -> None:
    if not opens_evaluation(access_for(request.user)):
        raise Http404


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _guard(request)
    data = selectors.overview(request.user, _year(request))
    return render(request, "evaluation/overview.html", {"o": data, "years": _years()})


@login_required
@require_GET
def complaint_indicators(request: HttpRequest) -> HttpResponse:
    _guard(request)
    table = or_404(lambda: selectors.complaint_indicators(request.user, _year(request)))
    return render(request, "evaluation/complaints.html", {"t": table, "years": _years()})


@login_required
@require_GET
def readiness(request: HttpRequest, code: str) -> HttpResponse:
    page = or_404(lambda: selectors.readiness_page(request.user, code, _year(request)))
    return render(request, "evaluation/readiness.html", {"p": page, "years": _years()})


def _render_worksheet(
    request: HttpRequest,
    page: selectors.WorksheetPage,
    *,
    form: WorksheetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"p": page, "form": form or WorksheetForm(page=page), "years": _years()}
    return render(request, "evaluation/worksheet.html", context, status=status)


@login_required
def worksheet(request: HttpRequest, code: str, year: int) -> HttpResponse:
    page = or_404(lambda: selectors.worksheet_page(request.user, code, year))
    if request.method != "POST":
        return _render_worksheet(request, page)
    if page.worksheet is None:
        raise Http404
    form = WorksheetForm(request.POST, request.FILES, page=page)
    if not form.is_valid():
        return _render_worksheet(request, page, form=form, status=400)
    try:
        services.worksheet_save(
            actor=request.user,
            worksheet_id=page.worksheet.pk,
            entries=form.entries(),
            expected_version=form.cleaned_data["expected_version"],
        )
    except SatupintuError as exc:
        apply_error(form, exc)
        return _render_worksheet(request, page, form=form, status=error_status(exc))
    messages.success(request, _("Lembar kerja disimpan."))
    return redirect("evaluation:worksheet", code=code, year=year)


@login_required
@require_POST
def worksheet_open(request: HttpRequest, code: str, year: int) -> HttpResponse:
    page = or_404(lambda: selectors.worksheet_page(request.user, code, year))
    try:
        services.worksheet_open(actor=request.user, unit=page.unit, year=year)
    except SatupintuError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request,
            _("Lembar kerja dibuat. Nilai yang diisi dari data sistem ditandai; periksa semuanya."),
        )
    return redirect("evaluation:worksheet", code=code, year=year)


@login_required
@require_POST
def worksheet_prefill(request: HttpRequest, code: str, year: int) -> HttpResponse:
    page = or_404(lambda: selectors.worksheet_page(request.user, code, year))
    if page.worksheet is None:
        raise Http404
    try:
        version = int(request.POST.get("expected_version", ""))
    except ValueError:
        version = None
    try:
        _sheet, changed = services.worksheet_prefill(
            actor=request.user, worksheet_id=page.worksheet.pk, expected_version=version
        )
    except SatupintuError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d nilai diperbarui dari data sistem.",
                "%(count)d nilai diperbarui dari data sistem.",
                changed,
            )
            % {"count": changed}
            if changed
            else _("Tidak ada nilai dari data sistem yang berubah."),
        )
    return redirect("evaluation:worksheet", code=code, year=year)


@login_required
@require_GET
def evidence(request: HttpRequest, code: str, year: int, pk: int) -> FileResponse:
    found = or_404(lambda: selectors.evidence_for(request.user, code, year, pk))
    return private_file(found.file, content_type=found.content_type, filename=found.original_name)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    found = or_404(lambda: selectors.evidence_for(request.user, code, year, pk))
    try:
        services.evidence_delete(
            actor=request.user, worksheet_id=found.worksheet_id, evidence_id=found.pk
        )
    except NotFound:
        raise Http404 from None
    except SatupintuError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request, _("Bukti dukung %(name)s dihapus.") % {"name": found.original_name}
        )
    return redirect("evaluation:worksheet", code=code, year=year)
