"""Officer desk: queues and report pages. Views only parse, call a service or selector, render.

Refusals from the services (``core.errors``) are shown next to the form that caused them; a
report or agency the officer may not see answers 404, the same as one that does not exist.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from satupintu.agencies.access import access_for
from satupintu.complaints import services
from satupintu.complaints.forms import QuestionsForm
from satupintu.complaints.models import Report
from satupintu.complaints.selectors import category_questions
from satupintu.core import forms as core_forms
from satupintu.core import paging
from satupintu.core.errors import NotFound, NotPermitted, SatupintuError
from satupintu.core.http import error_status, or_404, private_file
from satupintu.desk import forms as desk_forms
from satupintu.desk import selectors
from satupintu.domain.lifecycle import Action
from satupintu.notifications import people

# --------------------------------------------------------------------------- sign-in

#: After this many failed sign-ins for one user name from one address within the window, the
#: desk refuses further attempts for LOGIN_LOCKOUT seconds.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = 15 * 60
LOGIN_LOCKOUT = 15 * 60


def _login_keys(request: HttpRequest) -> tuple[str, str]:
    username = str(request.POST.get("username", "")).strip().lower()
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{username}\x1f{address}".encode()).hexdigest()
    return f"desk:login-failures:{digest}", f"desk:login-locked:{digest}"


class LoginView(auth_views.LoginView):
    """Django's sign-in with a lockout per user name and address (kept in the cache)."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _failures, locked = _login_keys(request)
        if cache.get(locked):
            # Refused before the password is even checked.
            typed = {"username": request.POST.get("username", "")}
            form = self.get_form_class()(request, initial=typed)
            context = self.get_context_data(form=form, locked=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        failures, _locked = _login_keys(self.request)
        cache.delete(failures)
        return super().form_valid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        if not self.request.POST.get("username"):
            return super().form_invalid(form)
        failures, locked = _login_keys(self.request)
        now = time.time()
        recent = [t for t in cache.get(failures, []) if t > now - LOGIN_WINDOW] + [now]
        if len(recent) >= LOGIN_MAX_FAILURES:
            cache.set(locked, value=True, timeout=LOGIN_LOCKOUT)
            cache.delete(failures)
            context = self.get_context_data(form=form, locked=True)
            return self.render_to_response(context, status=429)
        cache.set(failures, recent, timeout=LOGIN_WINDOW)
        return super().form_invalid(form)


# --------------------------------------------------------------------------- helpers


def _page_number(request: HttpRequest) -> int:
    return paging.page_number(request.GET.get("page"))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _partial(request: HttpRequest, target: str) -> bool:
    """An htmx request that asks only for the part with id ``target``."""
    return bool(getattr(request, "htmx", False)) and request.headers.get("HX-Target") == target


# --------------------------------------------------------------------------- home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/home.html", {"menu": selectors.desk_menu(request.user)})


# --------------------------------------------------------------------------- verification


@login_required
@require_GET
def verify_queue(request: HttpRequest) -> HttpResponse:
    qs = or_404(lambda: selectors.verification_queue(request.user))
    page = paging.page_of(qs, _page_number(request))
    form = desk_forms.BulkDispatchForm(agencies=selectors.active_agencies())
    return render(request, "desk/verify_queue.html", {"page": page, "bulk_form": form})


@login_required
@require_POST
def verify_bulk(request: HttpRequest) -> HttpResponse:
    or_404(lambda: selectors.verification_queue(request.user))
    back = _safe_next(request, reverse("desk:verify_queue"))
    form = desk_forms.BulkDispatchForm(request.POST, agencies=selectors.active_agencies())
    chosen = desk_forms.selected_reports(request.POST)
    if not chosen:
        messages.error(request, _("Pilih minimal satu laporan untuk didisposisikan."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Instansi tujuan tidak dikenal."))
        return redirect(back)
    agency = form.cleaned_data["agency"]
    done: list[Report] = []
    failed: list[tuple[int, str]] = []
    for pk, version in chosen:
        try:
            done.append(
                services.report_dispatch(
                    actor=request.user, report_id=pk, agency=agency, expected_version=version
                )
            )
        except NotFound:
            failed.append((pk, _("laporan tidak ditemukan")))
        except SatupintuError as exc:
            failed.append((pk, core_forms.error_message(exc)))
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d laporan didisposisikan.",
                "%(count)d laporan didisposisikan.",
                len(done),
            )
            % {"count": len(done)},
        )
    _flash_failures(request, failed, _("Laporan %(number)s tidak didisposisikan: %(reason)s"))
    return redirect(back)


def _flash_failures(request: HttpRequest, failed: list[tuple[int, str]], message: str) -> None:
    """One error message per report a bulk action could not handle, named by tracking number."""
    numbers = selectors.tracking_numbers(request.user, [pk for pk, _reason in failed])
    for pk, reason in failed:
        messages.error(request, message % {"number": numbers.get(pk, f"#{pk}"), "reason": reason})


# --------------------------------------------------------------------------- agency lists


@login_required
@require_GET
def inbox(request: HttpRequest, code: str) -> HttpResponse:
    scope = or_404(lambda: selectors.inbox_scope(request.user, code))
    form = desk_forms.InboxFilterForm(request.GET or None)
    qs = selectors.inbox(request.user, scope, form.filters())
    page = paging.page_of(qs, _page_number(request))
    context = {
        "scope": scope,
        "form": form,
        "page": page,
        "assign_form": desk_forms.BulkAssignForm(officers=selectors.agency_officers(scope.ids)),
        "can_assign": bool(set(scope.ids) & access_for(request.user).agencies),
    }
    template = "desk/_inbox_results.html" if _partial(request, "results") else "desk/inbox.html"
    return render(request, template, context)


@login_required
@require_POST
def inbox_assign(request: HttpRequest, code: str) -> HttpResponse:
    scope = or_404(lambda: selectors.inbox_scope(request.user, code))
    back = _safe_next(request, reverse("desk:inbox", args=[scope.agency.code]))
    form = desk_forms.BulkAssignForm(request.POST, officers=selectors.agency_officers(scope.ids))
    chosen = desk_forms.selected_reports(request.POST)
    if not chosen:
        messages.error(request, _("Pilih minimal satu laporan untuk ditugaskan."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Pilih petugas yang akan ditugasi."))
        return redirect(back)
    assignee = form.cleaned_data["assignee"]
    done = 0
    failed: list[tuple[int, str]] = []
    for pk, version in chosen:
        try:
            services.report_assign(
                actor=request.user, report_id=pk, assignee=assignee, expected_version=version
            )
            done += 1
        except NotFound:
            failed.append((pk, _("laporan tidak ditemukan")))
        except SatupintuError as exc:
            failed.append((pk, core_forms.error_message(exc)))
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d laporan ditugaskan kepada %(name)s.",
                "%(count)d laporan ditugaskan kepada %(name)s.",
                done,
            )
            % {"count": done, "name": assignee.get_full_name() or assignee.get_username()},
        )
    _flash_failures(request, failed, _("Laporan %(number)s tidak ditugaskan: %(reason)s"))
    return redirect(back)


@login_required
@require_GET
def overdue(request: HttpRequest, code: str) -> HttpResponse:
    scope = or_404(lambda: selectors.head_scope(request.user, code))
    page = paging.page_of(selectors.overdue_list(scope), _page_number(request))
    escalated = list(selectors.escalated_in_time(request.user, scope)[: paging.PER_PAGE])
    return render(
        request,
        "desk/overdue.html",
        {"scope": scope, "page": page, "escalated": escalated},
    )


@login_required
@require_GET
def city(request: HttpRequest) -> HttpResponse:
    form = desk_forms.CityFilterForm(request.GET or None)
    qs = or_404(lambda: selectors.city_reports(request.user, form.filters()))
    page = paging.page_of(qs, _page_number(request))
    context = {"form": form, "page": page}
    template = "desk/_city_results.html" if _partial(request, "results") else "desk/city.html"
    return render(request, template, context)


# --------------------------------------------------------------------------- one report


def _action_forms(
    page: selectors.ReportPage, bound: desk_forms.ActionForm | None = None
) -> list[desk_forms.ActionForm]:
    """The forms of the actions the officer may take now, one bound if it was just posted."""
    wanted = {desk_forms.FORM_FOR_ACTION.get(a, a) for a in page.actions}
    agencies = (
        list(selectors.active_agencies()) if wanted & {Action.DISPATCH, Action.FORWARD} else []
    )
    out: list[desk_forms.ActionForm] = []
    for action, form_class in desk_forms.ACTION_FORMS.items():
        if action not in wanted and not (bound and bound.action is action):
            continue
        if bound is not None and bound.action is action:
            out.append(bound)
        else:
            out.append(_make_form(form_class, page, agencies=agencies))
    return out


def _make_form(
    form_class: type[desk_forms.ActionForm],
    page: selectors.ReportPage,
    *,
    agencies: list[Any] | None = None,
    data: Any = None,
    files: Any = None,
) -> desk_forms.ActionForm:
    kwargs: dict[str, Any] = {"data": data, "files": files}
    if form_class in (desk_forms.DispatchForm, desk_forms.ForwardForm):
        kwargs["agencies"] = agencies if agencies is not None else list(selectors.active_agencies())
    if form_class is desk_forms.NoteForm:
        kwargs["public_allowed"] = Action.PUBLIC_REPLY in page.actions
    return form_class(page.report, **kwargs)


def _render_report(
    request: HttpRequest,
    page: selectors.ReportPage,
    *,
    bound: desk_forms.ActionForm | None = None,
    identity: services.Contact | None = None,
    identity_form: desk_forms.IdentityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "p": page,
        "report": page.report,
        "action_forms": _action_forms(page, bound),
        "identity": identity,
        "identity_form": identity_form or desk_forms.IdentityForm(),
        "sent_messages": people.report_messages(page.report),
    }
    response = render(request, "desk/report.html", context, status=status)
    if identity is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = or_404(lambda: selectors.report_page(request.user, pk))
    return _render_report(request, page)


@login_required
@require_GET
def dispatch_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The verification forms (dispatch, hold, archive) of one report, for the queue (htmx)."""
    page = or_404(lambda: selectors.report_page(request.user, pk))
    if not getattr(request, "htmx", False):
        return redirect(reverse("desk:report", args=[pk]) + "#aksi-dispatch")
    wanted = [Action.DISPATCH, Action.HOLD, Action.ARCHIVE]
    agencies = list(selectors.active_agencies())
    verify_forms = [
        _make_form(desk_forms.ACTION_FORMS[a], page, agencies=agencies)
        for a in wanted
        if a in page.actions
    ]
    if not verify_forms:
        raise Http404
    return render(
        request,
        "desk/_verify_forms.html",
        {"forms": verify_forms, "report": page.report, "next": reverse("desk:verify_queue")},
    )


def _perform(action: Action, form: Any, actor: Any, pk: int) -> None:
    data = form.cleaned_data
    version = data["expected_version"]
    common = {"actor": actor, "report_id": pk}
    if action is Action.DISPATCH:
        services.report_dispatch(
            **common,
            agency=data["agency"],
            category=data["category"],
            report_type=data["report_type"],
            instruction=data["instruction"],
            is_anonymous=form.privacy("is_anonymous"),
            is_confidential=form.privacy("is_confidential"),
            expected_version=version,
        )
    elif action is Action.HOLD:
        services.report_hold(**common, message=data["message"], expected_version=version)
    elif action is Action.ARCHIVE:
        services.report_archive(**common, reason=data["reason"], expected_version=version)
    elif action is Action.ACCEPT:
        services.report_accept(**common, expected_version=version)
    elif action is Action.FOLLOW_UP:
        services.report_follow_up(**common, body=data["body"], expected_version=version)
    elif action is Action.FORWARD:
        services.report_forward(
            **common, to_agency=data["to_agency"], reason=data["reason"], expected_version=version
        )
    elif action is Action.RETURN:
        services.report_return(**common, reason=data["reason"], expected_version=version)
    elif action is Action.RESOLVE:
        services.report_resolve(**common, answer=data["answer"], expected_version=version)
    elif action is Action.ASSIGN:
        services.report_assign(**common, assignee=data["assignee"], expected_version=version)
    elif action is Action.NOTE:
        # A note only adds to the timeline; it cannot overwrite anyone's change.
        services.report_add_note(**common, body=data["body"], public=form.public)
    elif action is Action.SET_PRIVACY:
        services.report_set_privacy(
            **common,
            is_anonymous=form.privacy("is_anonymous"),
            is_confidential=form.privacy("is_confidential"),
            expected_version=version,
        )
    elif action is Action.ATTACH:
        services.report_add_attachments(**common, files=[(f.name, f) for f in data["attachments"]])
    else:  # pragma: no cover - ACTION_FORMS and this list are kept together
        raise Http404


SUCCESS = {
    Action.DISPATCH: gettext_lazy("Laporan diverifikasi dan didisposisikan."),
    Action.HOLD: gettext_lazy("Laporan ditunda; pelapor diminta melengkapi."),
    Action.ARCHIVE: gettext_lazy("Laporan diarsipkan."),
    Action.ACCEPT: gettext_lazy("Disposisi diterima."),
    Action.FOLLOW_UP: gettext_lazy("Tindak lanjut dikirim."),
    Action.FORWARD: gettext_lazy("Laporan diteruskan."),
    Action.RETURN: gettext_lazy("Laporan dikembalikan ke verifikator sebagai bukan wewenang."),
    Action.RESOLVE: gettext_lazy("Laporan diselesaikan."),
    Action.ASSIGN: gettext_lazy("Penugasan disimpan."),
    Action.NOTE: gettext_lazy("Catatan disimpan."),
    Action.SET_PRIVACY: gettext_lazy("Pengaturan privasi disimpan."),
    Action.ATTACH: gettext_lazy("Lampiran diunggah."),
}


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        act = Action(action)
        form_class = desk_forms.ACTION_FORMS[act]
    except (ValueError, KeyError):
        raise Http404 from None
    page = or_404(lambda: selectors.report_page(request.user, pk))
    form = _make_form(form_class, page, data=request.POST, files=request.FILES)
    offered = act in {desk_forms.FORM_FOR_ACTION.get(a, a) for a in page.actions}
    bound: desk_forms.ActionForm | None = form
    status = 400
    if not form.is_valid():
        if not offered:
            messages.error(request, str(core_forms.TRANSITION_MESSAGE))
            bound, status = None, 409
        return _render_report(request, page, bound=bound, status=status)
    try:
        _perform(act, form, request.user, pk)
    except NotFound:
        raise Http404 from None
    except SatupintuError as exc:
        core_forms.apply_error(form, exc)
        status = error_status(exc)
        if not offered:
            # The form is not on the page (any more): say why at the top. A refused officer's
            # text stays in the form when the report merely moved on under them.
            messages.error(request, core_forms.error_message(exc))
            if isinstance(exc, NotPermitted):
                bound = None
        return _render_report(request, page, bound=bound, status=status)
    messages.success(request, str(SUCCESS[act]))
    return redirect(_safe_next(request, reverse("desk:report", args=[pk])))


@login_required
@never_cache
def report_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's identity after the officer states why; every read is audited."""
    page = or_404(lambda: selectors.report_page(request.user, pk))
    if request.method != "POST":
        return redirect(reverse("desk:report", args=[pk]) + "#identitas")
    form = desk_forms.IdentityForm(request.POST)
    contact = None
    status = 400
    if form.is_valid():
        try:
            contact = services.report_read_identity(
                actor=request.user, report_id=pk, purpose=form.cleaned_data["purpose"]
            )
            status = 200
        except NotFound:
            raise Http404 from None
        except NotPermitted:
            form.add_error(
                None,
                _("Pelapor memilih anonim; identitasnya tidak dapat dibuka.")
                if page.report.is_anonymous
                else _("Anda tidak berwenang membuka identitas pelapor laporan ini."),
            )
            status = 403
        except SatupintuError as exc:
            core_forms.apply_error(form, exc)
    if getattr(request, "htmx", False):
        response = render(
            request,
            "desk/_identity.html",
            {"p": page, "report": page.report, "identity": contact, "identity_form": form},
            # htmx swaps only successful responses; the form with its error is one too.
            status=200,
        )
        response["Cache-Control"] = "no-store"
        return response
    return _render_report(request, page, identity=contact, identity_form=form, status=status)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    found = or_404(lambda: selectors.attachment_for_officer(request.user, pk, attachment_id))
    return private_file(found.file, content_type=found.content_type, filename=found.original_name)


# --------------------------------------------------------------------------- counter


RECEIPT_KEY = "desk:counter-receipt"


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    """Walk-in, telephone and 112 reports entered by an officer for the citizen."""
    if not access_for(request.user).is_officer:
        raise Http404
    regions = selectors.counter_regions(request.user)
    questions = category_questions(request.POST.get("category", "").strip())
    form = desk_forms.CounterForm(
        request.POST or None, request.FILES or None, regions=regions, questions=questions
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            region = data.get("region")
            try:
                report, secret = services.report_receive(
                    actor=request.user,
                    channel=data["channel"],
                    title=data["title"],
                    description=data["description"],
                    report_type=data["report_type"] or None,
                    category=data["category"],
                    contact=services.Contact(
                        name=data["name"], email=data["email"], phone=data["phone"]
                    ),
                    is_anonymous=data["is_anonymous"],
                    is_confidential=data["is_confidential"],
                    region_code=region.code if region else None,
                    address=data["address"],
                    incident_date=data["incident_date"],
                    attributes=form.answers(),
                    attachments=[(f.name, f) for f in data["attachments"]],
                )
            except NotPermitted:
                raise Http404 from None
            except SatupintuError as exc:
                core_forms.apply_error(form, exc)
            else:
                # Shown once on the receipt page, then dropped from the session.
                request.session[RECEIPT_KEY] = {
                    "id": report.pk,
                    "tracking_number": report.tracking_number,
                    "secret": secret,
                    "title": report.title,
                    "channel": report.get_channel_display(),
                }
                return redirect("desk:counter_receipt")
    return render(request, "desk/counter.html", {"form": form}, status=status)


@login_required
@require_GET
def counter_questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's questions, loaded into the counter form by htmx."""
    if not access_for(request.user).is_officer:
        raise Http404
    found = category_questions(request.GET.get("category", "").strip())
    form = QuestionsForm(questions=found)
    return render(request, "complaints/_questions_htmx.html", {"form": form})


@login_required
@never_cache
def counter_receipt(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop(RECEIPT_KEY, None)
    if receipt is None:
        messages.info(
            request,
            _("Tanda terima hanya ditampilkan sekali. Lihat laporan untuk nomor pelacakannya."),
        )
        return redirect("desk:counter")
    track_url = request.build_absolute_uri(reverse("portal:track"))
    return render(request, "desk/counter_receipt.html", {"r": receipt, "track_url": track_url})
