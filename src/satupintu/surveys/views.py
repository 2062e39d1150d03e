"""The citizen SKM questionnaire: one response per visit, by link, QR code or kiosk.

Each rendered form carries a signed token (period, unit, channel, random nonce). Submitting spends
the nonce in the cache, so a replayed form (back button, double submit, script) is refused. Each
client address may submit at most ``RATE_LIMIT`` times per hour per unit (core.throttle).
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import segno
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from satupintu.agencies.models import Agency
from satupintu.core import throttle
from satupintu.core.errors import InvalidInput
from satupintu.surveys import selectors, services
from satupintu.surveys.forms import SurveyForm
from satupintu.surveys.models import SkmResponse, SurveyPeriod
from satupintu.surveys.policies import SkmAccess

TOKEN_SALT = "satupintu.surveys.form"  # noqa: S105 (a namespace, not a secret)
TOKEN_MAX_AGE = 12 * 3600  # a form left open for half a day must be reloaded
RATE_LIMIT = 20  # submissions per client address per unit per hour
RATE_WINDOW = 3600
QR_SCALE = 8
KIOSK_RETURN_SECONDS = 5


# --------------------------------------------------------------------------- form tokens


def make_token(period_id: int, unit_code: str, channel: str) -> str:
    payload = {"p": period_id, "u": unit_code, "c": channel, "n": secrets.token_urlsafe(16)}
    return signing.dumps(payload, salt=TOKEN_SALT)


def read_token(token: str, period_id: int, unit_code: str) -> dict[str, Any] | None:
    """The token's payload when it is genuine, fresh and made for this survey; else None."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if (
        not isinstance(data, dict)
        or data.get("p") != period_id
        or data.get("u") != unit_code
        or data.get("c") not in SkmResponse.Channel.values
        or not data.get("n")
    ):
        return None
    return data


def _nonce_key(nonce: str) -> str:
    return f"surveys:nonce:{nonce}"


def spend_nonce(nonce: str) -> bool:
    """Mark the nonce used; False when it was used before (a replayed form)."""
    return bool(cache.add(_nonce_key(nonce), 1, TOKEN_MAX_AGE))


def _release_nonce(nonce: str) -> None:
    cache.delete(_nonce_key(nonce))


# --------------------------------------------------------------------------- helpers


def channel_for(request: HttpRequest) -> str:
    if request.GET.get("kiosk") == "1":
        return SkmResponse.Channel.KIOSK
    if request.GET.get("via") == "qr":
        return SkmResponse.Channel.QR
    return SkmResponse.Channel.LINK


def form_path(period_id: int, unit_code: str) -> str:
    return reverse("surveys:form", kwargs={"period_id": period_id, "unit_code": unit_code})


def qr_target_url(request: HttpRequest, period_id: int, unit_code: str) -> str:
    """The absolute address printed in the QR code: the form, recorded as channel ``qr``."""
    return request.build_absolute_uri(form_path(period_id, unit_code)) + "?via=qr"


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/unavailable.html", status=404)


def _context(
    period: SurveyPeriod, unit: Agency, form: SurveyForm, channel: str, **extra: Any
) -> dict[str, Any]:
    return {
        "period": period,
        "unit": unit,
        "form": form,
        "kiosk": channel == SkmResponse.Channel.KIOSK,
        **extra,
    }


def _fresh_form(period: SurveyPeriod, unit: Agency, channel: str) -> SurveyForm:
    return SurveyForm(initial={"token": make_token(period.pk, unit.code, channel)})


# --------------------------------------------------------------------------- views


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    target = selectors.survey_target(period_id, unit_code)
    if target is None:
        return _unavailable(request)
    period, unit = target
    template = "surveys/form.html"

    if request.method != "POST":
        channel = channel_for(request)
        form = _fresh_form(period, unit, channel)
        return render(request, template, _context(period, unit, form, channel))

    retry = throttle.hit(request, f"skm:{unit.code}", limit=RATE_LIMIT, window=RATE_WINDOW)
    if retry is not None:
        messages.error(
            request,
            _("Dari jaringan Anda sudah terlalu banyak survei terkirim untuk unit layanan ini."),
        )
        response = render(request, "429.html", {"retry_minutes": -(-retry // 60)}, status=429)
        response["Retry-After"] = str(retry)
        return response

    form = SurveyForm(request.POST)
    token = read_token(request.POST.get("token", ""), period.pk, unit.code)
    if token is None:
        # Forged, expired or for another survey: start over with a fresh form, answers kept.
        channel = channel_for(request)
        data = request.POST.copy()
        data["token"] = make_token(period.pk, unit.code, channel)
        form = SurveyForm(data)
        form.is_valid()
        form.add_error(
            None, _("Formulir ini sudah kedaluwarsa. Periksa jawaban Anda lalu kirim lagi.")
        )
        return render(request, template, _context(period, unit, form, channel), status=400)
    channel = token["c"]
    if not form.is_valid():
        return render(request, template, _context(period, unit, form, channel), status=400)
    if not spend_nonce(token["n"]):
        return render(
            request,
            "surveys/replayed.html",
            {"period": period, "unit": unit, "form_url": _form_url(period, unit, channel)},
            status=409,
        )
    try:
        services.response_submit(
            period=period,
            unit=unit,
            answers=form.answers(),
            profile=form.profile(),
            suggestion=form.cleaned_data.get("suggestion") or "",
            channel=channel,
        )
    except InvalidInput as exc:
        _release_nonce(token["n"])  # nothing stored: the same form may be sent again
        for field, message in exc.fields.items():
            form.add_error(field if field in form.fields else None, message)
        if not exc.fields:
            form.add_error(None, exc.message)
        return render(request, template, _context(period, unit, form, channel), status=400)
    thanks = reverse("surveys:thanks", kwargs={"period_id": period.pk, "unit_code": unit.code})
    if channel == SkmResponse.Channel.KIOSK:
        thanks += "?kiosk=1"
    return redirect(thanks)


def _form_url(period: SurveyPeriod, unit: Agency, channel: str) -> str:
    url = form_path(period.pk, unit.code)
    if channel == SkmResponse.Channel.KIOSK:
        return url + "?kiosk=1"
    if channel == SkmResponse.Channel.QR:
        return url + "?via=qr"
    return url


@require_GET
def thanks(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    target = selectors.survey_target(period_id, unit_code, require_open=False)
    if target is None:
        return _unavailable(request)
    period, unit = target
    channel = channel_for(request)
    context = {
        "period": period,
        "unit": unit,
        "kiosk": channel == SkmResponse.Channel.KIOSK,
        "form_url": _form_url(period, unit, channel),
        "return_seconds": KIOSK_RETURN_SECONDS,
    }
    return render(request, "surveys/thanks.html", context)


@require_GET
def qr_code(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    """A PNG QR code of the survey address for printing at the counter (closed periods too)."""
    target = selectors.survey_target(period_id, unit_code, require_open=False)
    if target is None:
        return _unavailable(request)
    period, unit = target
    buffer = io.BytesIO()
    qr = segno.make(qr_target_url(request, period.pk, unit.code), error="m")
    qr.save(buffer, kind="png", scale=QR_SCALE, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="skm-{period.pk}-{unit.code}.png"'
    return response


# --------------------------------------------------------------------------- published results


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    """Published SKM results, newest period first (domain.md §3.4: results are published)."""
    periods = selectors.period_list(SkmAccess(manages_periods=True), published=True)
    return render(request, "surveys/public/list.html", {"periods": periods})


@require_GET
def published_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    report = selectors.published_report(period_id)
    if report is None:
        return render(request, "surveys/public/not_found.html", status=404)
    return render(request, "surveys/public/detail.html", {"report": report})
