"""Writes for the SKM: survey periods (audited) and anonymous responses (not audited).

Responses are anonymous survey data: no actor, no audit entry per response. Opening and closing a
period changes what citizens may submit, so those are audited (core.audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency
from satupintu.core import audit
from satupintu.core.errors import InvalidInput
from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod

SUGGESTION_MAX = 4000
PROFILE_FIELDS: Mapping[str, type[Any]] = {
    "gender": SkmResponse.Gender,
    "age_band": SkmResponse.AgeBand,
    "education": SkmResponse.Education,
    "occupation": SkmResponse.Occupation,
}


def _period_snapshot(period: SurveyPeriod) -> dict[str, Any]:
    return {
        "name": period.name,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "is_open": period.is_open,
    }


def _audit_period(
    period: SurveyPeriod,
    *,
    actor: Any,
    action: str,
    before: dict[str, Any] | None,
    new_chain: bool = False,
) -> None:
    audit.record(
        chain=f"surveyperiod:{period.pk}",
        actor=actor,
        action=action,
        object_type="surveyperiod",  # as core.admin writes it: one chain per period
        object_id=period.pk,
        before=before,
        after=_period_snapshot(period),
        new_chain=new_chain,
    )


@transaction.atomic
def period_create(
    *, actor: Any, name: str, starts_on: dt.date, ends_on: dt.date, is_open: bool = False
) -> SurveyPeriod:
    """A new SKM period (closed unless ``is_open``)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Nama periode wajib diisi."), fields={"name": _("Wajib diisi.")})
    if ends_on < starts_on:
        raise InvalidInput(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            fields={"ends_on": _("Tidak boleh sebelum tanggal mulai.")},
        )
    period = SurveyPeriod.objects.create(
        name=name, starts_on=starts_on, ends_on=ends_on, is_open=is_open
    )
    _audit_period(period, actor=actor, action="create", before=None, new_chain=True)
    return period


def _set_open(*, actor: Any, period_id: int, is_open: bool) -> SurveyPeriod:
    period = SurveyPeriod.objects.select_for_update().get(pk=period_id)
    if period.is_open == is_open:
        return period  # nothing changes: no audit entry
    before = _period_snapshot(period)
    period.is_open = is_open
    period.save(update_fields=["is_open"])
    _audit_period(period, actor=actor, action="open" if is_open else "close", before=before)
    return period


@transaction.atomic
def period_open(*, actor: Any, period: SurveyPeriod) -> SurveyPeriod:
    """Open the period for responses (audited)."""
    return _set_open(actor=actor, period_id=period.pk, is_open=True)


@transaction.atomic
def period_close(*, actor: Any, period: SurveyPeriod) -> SurveyPeriod:
    """Close the period: no more responses are accepted (audited)."""
    return _set_open(actor=actor, period_id=period.pk, is_open=False)


# --------------------------------------------------------------------------- responses


def _clean_answers(answers: Mapping[str, int | None]) -> dict[str, int | None]:
    unknown = sorted(set(answers) - set(ANSWER_FIELDS))
    if unknown:
        raise InvalidInput(
            _("Unsur tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)},
            fields={field: _("Unsur tidak dikenal.") for field in unknown},
        )
    cleaned: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for field in ANSWER_FIELDS:
        value = answers.get(field)
        if value is None:
            cleaned[field] = None
        elif isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
            cleaned[field] = value  # domain.md §3.2: scale 1–4
        else:
            errors[field] = _("Nilai harus 1 sampai 4 atau dikosongkan.")
    if errors:
        raise InvalidInput(
            _("Jawaban harus bernilai 1 sampai 4: %(fields)s.")
            % {"fields": ", ".join(f.upper() for f in errors)},
            fields=errors,
        )
    if all(value is None for value in cleaned.values()):
        raise InvalidInput(
            _("Isi paling sedikit satu unsur survei."),
            fields={"answers": _("Isi paling sedikit satu unsur.")},
        )
    return cleaned


def _clean_profile(profile: Mapping[str, str | None]) -> dict[str, str]:
    unknown = sorted(set(profile) - set(PROFILE_FIELDS))
    if unknown:
        raise InvalidInput(
            _("Data responden tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)},
            fields={field: _("Tidak dikenal.") for field in unknown},
        )
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field, choices in PROFILE_FIELDS.items():
        value = (profile.get(field) or "").strip()
        if value and value not in choices.values:
            errors[field] = _("Pilihan tidak valid.")
        cleaned[field] = value
    if errors:
        raise InvalidInput(
            _("Data responden tidak valid: %(fields)s.") % {"fields": ", ".join(errors)},
            fields=errors,
        )
    return cleaned


def response_submit(
    *,
    period: SurveyPeriod,
    unit: Agency,
    answers: Mapping[str, int | None],
    profile: Mapping[str, str | None],
    suggestion: str,
    channel: str,
) -> SkmResponse:
    """Store one anonymous SKM response; InvalidInput (nothing stored) when it is refused."""
    cleaned = _clean_answers(answers)
    person = _clean_profile(profile)
    suggestion = (suggestion or "").strip()
    if len(suggestion) > SUGGESTION_MAX:
        raise InvalidInput(
            _("Saran terlalu panjang: paling banyak %(max)s karakter.") % {"max": SUGGESTION_MAX},
            fields={"suggestion": _("Paling banyak %(max)s karakter.") % {"max": SUGGESTION_MAX}},
        )
    if channel not in SkmResponse.Channel.values:
        raise InvalidInput(
            _("Kanal survei tidak dikenal."), fields={"channel": _("Pilihan tidak valid.")}
        )
    if not unit.is_active or unit.is_external:
        raise InvalidInput(
            _('Unit layanan "%(unit)s" tidak aktif.') % {"unit": unit},
            fields={"unit": _("Unit layanan tidak aktif.")},
        )
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # Read the period as stored now, not as the caller loaded it: it may have been closed.
        current = SurveyPeriod.objects.filter(pk=period.pk).first()
        if current is None or not current.is_open:
            raise InvalidInput(
                _("Periode survei sudah ditutup."), fields={"period": _("Periode ditutup.")}
            )
        if not current.starts_on <= today <= current.ends_on:
            raise InvalidInput(
                _("Survei hanya dapat diisi dari %(start)s sampai %(end)s.")
                % {"start": current.starts_on.isoformat(), "end": current.ends_on.isoformat()},
                fields={"period": _("Di luar masa survei.")},
            )
        return SkmResponse.objects.create(
            period=current,
            unit=unit,
            submitted_at=now,
            suggestion=suggestion,
            channel=channel,
            **cleaned,
            **person,
        )
