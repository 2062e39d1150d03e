"""The service catalogue: public pages on the citizen portal, editing pages in the officer desk.

Views only parse, call a service or selector, and render. A unit the officer may not open
answers 404, the same as one that does not exist; a refused change is shown next to the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from satupintu.catalogue import forms, selectors, services
from satupintu.catalogue.models import Service
from satupintu.core.errors import SatupintuError
from satupintu.core.forms import apply_error
from satupintu.core.http import error_status, or_404
from satupintu.domain.evaluation.standard import COMPONENTS, Component, Group

# --------------------------------------------------------------------------- portal


@require_GET
def public_units(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/public_units.html", {"units": selectors.public_units()})


@require_GET
def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    unit, profile, services_ = or_404(lambda: selectors.public_unit(code))
    return render(
        request,
        "catalogue/public_unit.html",
        {"unit": unit, "profile": profile, "services": services_},
    )


def components_of(service: Service) -> list[tuple[Group, list[tuple[Component, str, str]]]]:
    """The 14 components of a service in two groups, each as (component, label, text)."""
    return [
        (
            group,
            [
                (c, services.label(Service, c.key), getattr(service, c.key))
                for c in COMPONENTS
                if c.group is group
            ],
        )
        for group in (Group.DELIVERY, Group.MANUFACTURING)
    ]


@require_GET
def public_service(request: HttpRequest, code: str, service: str) -> HttpResponse:
    found = or_404(lambda: selectors.public_service(code, service))
    return render(
        request,
        "catalogue/public_service.html",
        {"service": found, "unit": found.unit, "groups": components_of(found)},
    )


# --------------------------------------------------------------------------- desk


@login_required
@require_GET
def desk_units(request: HttpRequest) -> HttpResponse:
    units = list(selectors.desk_units(request.user))
    if not units:
        raise Http404
    return render(request, "catalogue/desk_units.html", {"units": units})


def _render_unit(
    request: HttpRequest,
    page: selectors.UnitPage,
    *,
    new_form: forms.NewServiceForm | None = None,
    profile_form: forms.ProfileForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "p": page,
        "unit": page.unit,
        "new_form": new_form or forms.NewServiceForm(),
        "profile_form": profile_form or forms.ProfileForm(profile=page.profile),
        "total": len(COMPONENTS),
    }
    return render(request, "catalogue/desk_unit.html", context, status=status)


@login_required
def desk_unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's services; POST adds a service and opens it for editing."""
    page = or_404(lambda: selectors.unit_page(request.user, code))
    if request.method != "POST":
        return _render_unit(request, page)
    form = forms.NewServiceForm(request.POST)
    if form.is_valid():
        try:
            service = services.service_create(
                actor=request.user,
                unit=page.unit,
                name=form.cleaned_data["name"],
                summary=form.cleaned_data["summary"],
            )
        except SatupintuError as exc:
            apply_error(form, exc)
            return _render_unit(request, page, new_form=form, status=error_status(exc))
        messages.success(request, _("Layanan ditambahkan. Lengkapi komponennya di bawah."))
        return redirect("catalogue:desk_service", code=page.unit.code, pk=service.pk)
    return _render_unit(request, page, new_form=form, status=400)


@login_required
@require_POST
def desk_profile(request: HttpRequest, code: str) -> HttpResponse:
    page = or_404(lambda: selectors.unit_page(request.user, code))
    form = forms.ProfileForm(request.POST, profile=page.profile)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_profile_update(
                actor=request.user,
                unit=page.unit,
                maklumat=data["maklumat"],
                hours=data["hours"],
                address=data["address"],
                expected_version=data["expected_version"],
            )
        except SatupintuError as exc:
            apply_error(form, exc)
            return _render_unit(request, page, profile_form=form, status=error_status(exc))
        messages.success(request, _("Profil unit disimpan."))
        return redirect("catalogue:desk_unit", code=page.unit.code)
    return _render_unit(request, page, profile_form=form, status=400)


def _render_service(
    request: HttpRequest,
    service: Service,
    may_edit: bool,  # noqa: FBT001
    *,
    form: forms.ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    missing = [
        (c.letter, services.label(Service, c.key))
        for c in COMPONENTS
        if not (getattr(service, c.key) or "").strip()
    ]
    context = {
        "service": service,
        "unit": service.unit,
        "form": form or forms.ServiceForm(service=service),
        "publish_form": forms.PublishForm(
            initial={"expected_version": service.version, "publish": not service.is_published}
        ),
        "may_edit": may_edit,
        "missing": missing,
        "total": len(COMPONENTS),
    }
    return render(request, "catalogue/desk_service.html", context, status=status)


@login_required
def desk_service(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    service, may_edit = or_404(lambda: selectors.service_for_desk(request.user, code, pk))
    if request.method != "POST":
        return _render_service(request, service, may_edit)
    form = forms.ServiceForm(request.POST, service=service)
    if not form.is_valid():
        return _render_service(request, service, may_edit, form=form, status=400)
    values = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
    try:
        services.service_update(
            actor=request.user,
            service_id=service.pk,
            values=values,
            expected_version=form.cleaned_data["expected_version"],
        )
    except SatupintuError as exc:
        apply_error(form, exc)
        return _render_service(request, service, may_edit, form=form, status=error_status(exc))
    messages.success(request, _("Standar pelayanan disimpan."))
    return redirect("catalogue:desk_service", code=code, pk=service.pk)


@login_required
@require_POST
def desk_service_publish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    service, may_edit = or_404(lambda: selectors.service_for_desk(request.user, code, pk))
    form = forms.PublishForm(request.POST)
    back = reverse("catalogue:desk_service", kwargs={"code": code, "pk": service.pk})
    if not form.is_valid():
        messages.error(request, _("Formulir ini tidak lengkap. Muat ulang halaman lalu coba lagi."))
        return redirect(back)
    publish = form.cleaned_data["publish"]
    try:
        services.service_set_published(
            actor=request.user,
            service_id=service.pk,
            published=publish,
            expected_version=form.cleaned_data["expected_version"],
        )
    except SatupintuError as exc:
        messages.error(request, exc.message)
        edit = forms.ServiceForm.showing(service)
        apply_error(edit, exc)
        return _render_service(request, service, may_edit, form=edit, status=error_status(exc))
    messages.success(
        request,
        _("Standar pelayanan dipublikasikan di portal warga.")
        if publish
        else _("Publikasi standar pelayanan ditarik dari portal warga."),
    )
    return redirect(back)
