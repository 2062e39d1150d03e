"""Writes for the SKM: periods, sample targets and follow-up actions (audited), and anonymous
responses (not audited).

Responses are anonymous survey data: no actor, no audit entry per response. Everything an
evaluator does is audited (core.audit) and checked against ``surveys.policies``: periods and
their targets on the chain ``surveyperiod:<id>``, each follow-up action on its own chain.
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
from satupintu.core.errors import Conflict, InvalidInput, NotFound
from satupintu.surveys import policies
from satupintu.surveys.models import (
    ANSWER_FIELDS,
    Element,
    FollowUpAction,
    SkmResponse,
    SurveyPeriod,
    SurveyTarget,
)

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
        "published_at": period.published_at.isoformat() if period.published_at else None,
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
    policies.require_manager(actor)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Nama periode wajib diisi."), fields={"name": _("Wajib diisi.")})
    if ends_on < starts_on:
        raise InvalidInput(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            fields={"ends_on": _("Tidak boleh sebelum tanggal mulai.")},
        )
    period = SurveyPeriod.objects.create(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        is_open=is_open,
        opened_at=timezone.now() if is_open else None,
    )
    _audit_period(period, actor=actor, action="create", before=None, new_chain=True)
    return period


def _locked_period(period_id: int) -> SurveyPeriod:
    period = SurveyPeriod.objects.select_for_update().filter(pk=period_id).first()
    if period is None:
        raise NotFound(_("Periode survei tidak ditemukan."))
    return period


def _set_open(*, actor: Any, period_id: int, is_open: bool) -> SurveyPeriod:
    policies.require_manager(actor)
    period = _locked_period(period_id)
    if period.is_open == is_open:
        return period  # nothing changes: no audit entry
    if is_open and period.published_at is not None:
        raise Conflict(
            _("Hasil periode ini sudah dipublikasikan; periode tidak dapat dibuka kembali.")
        )
    before = _period_snapshot(period)
    period.is_open = is_open
    fields = ["is_open"]
    if is_open and period.opened_at is None:
        period.opened_at = timezone.now()
        fields.append("opened_at")
    period.save(update_fields=fields)
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


@transaction.atomic
def period_publish(*, actor: Any, period: SurveyPeriod) -> SurveyPeriod:
    """Publish the results on the citizen portal (audited). Only a closed period with responses:
    published figures must not change afterwards."""
    policies.require_manager(actor)
    current = _locked_period(period.pk)
    if current.published_at is not None:
        return current
    if current.is_open:
        raise Conflict(_("Tutup periode survei sebelum mempublikasikan hasilnya."))
    if not SkmResponse.objects.filter(period_id=current.pk).exists():
        raise Conflict(
            _("Periode ini belum memiliki jawaban; tidak ada hasil untuk dipublikasikan.")
        )
    before = _period_snapshot(current)
    current.published_at = timezone.now()
    current.save(update_fields=["published_at"])
    _audit_period(current, actor=actor, action="publish", before=before)
    return current


# --------------------------------------------------------------------------- sample targets


def _population(unit: Agency, raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InvalidInput(
            _("Populasi %(unit)s harus bilangan bulat 1 atau lebih, atau dikosongkan.")
            % {"unit": unit},
            fields={f"unit-{unit.pk}": _("Isi bilangan bulat 1 atau lebih.")},
        )
    return raw


@transaction.atomic
def targets_set(*, actor: Any, period: SurveyPeriod, populations: Mapping[int, int | None]) -> int:
    """Set the population (service recipients of the previous period) of units taking part in
    ``period``; None removes the unit from the period. Returns how many targets changed.

    All or nothing: one refused unit leaves every target as it was.
    """
    access = policies.require_evaluator(actor)
    current = _locked_period(period.pk)
    if current.published_at is not None:
        raise Conflict(_("Hasil periode ini sudah dipublikasikan; target tidak dapat diubah."))
    units = {
        unit.pk: unit
        for unit in policies.units_in_scope(access, Agency.objects.filter(pk__in=populations))
    }
    unknown = [pk for pk in populations if pk not in units]
    if unknown:
        raise NotFound(_("Unit layanan tidak ditemukan."))
    wanted = {pk: _population(units[pk], raw) for pk, raw in populations.items()}
    existing = {
        target.unit_id: target
        for target in SurveyTarget.objects.filter(period_id=current.pk, unit_id__in=wanted)
    }
    changed = 0
    for pk, population in sorted(wanted.items()):
        target = existing.get(pk)
        old = target.population if target else None
        if old == population:
            continue
        if target is not None and population is None:
            target.delete()
        elif target is not None and population is not None:
            target.population = population
            target.save(update_fields=["population", "updated_at"])
        elif population is not None:
            SurveyTarget.objects.create(period=current, unit_id=pk, population=population)
        code = units[pk].code
        audit.record(
            chain=f"surveyperiod:{current.pk}",
            actor=actor,
            action="target",
            object_type="surveyperiod",
            object_id=current.pk,
            before={"unit": code, "population": old},
            after={"unit": code, "population": population},
        )
        changed += 1
    return changed


# --------------------------------------------------------------------------- follow-up actions


def _follow_up_snapshot(item: FollowUpAction) -> dict[str, Any]:
    return {
        "period": item.period_id,
        "unit": item.unit_id,
        "element": item.element,
        "action": item.action,
        "owner": item.owner,
        "due_on": item.due_on.isoformat(),
        "status": item.status,
        "result": item.result,
        "done_on": item.done_on.isoformat() if item.done_on else None,
    }


def _required_text(value: str, field: str, limit: int, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, fields={field: _("Wajib diisi.")})
    if len(text) > limit:
        raise InvalidInput(
            _("Isian terlalu panjang: paling banyak %(max)s karakter.") % {"max": limit},
            fields={field: _("Paling banyak %(max)s karakter.") % {"max": limit}},
        )
    return text


@transaction.atomic
def follow_up_create(
    *,
    actor: Any,
    period: SurveyPeriod,
    unit: Agency,
    element: str,
    action: str,
    owner: str,
    due_on: dt.date,
) -> FollowUpAction:
    """Record a planned follow-up action on one unsur of a unit's result (audited)."""
    policies.require_unit(actor, unit.pk)
    if unit.is_external:
        raise InvalidInput(
            _("Unit layanan tidak dikenal."), fields={"unit": _("Pilihan tidak valid.")}
        )
    if element not in Element.values:
        raise InvalidInput(_("Unsur tidak dikenal."), fields={"element": _("Pilihan tidak valid.")})
    text = _required_text(action, "action", 4000, _("Tuliskan rencana tindak lanjutnya."))
    who = _required_text(owner, "owner", 200, _("Sebutkan penanggung jawabnya."))
    current = SurveyPeriod.objects.filter(pk=period.pk).first()
    if current is None:
        raise NotFound(_("Periode survei tidak ditemukan."))
    if current.opened_at is None:
        raise Conflict(_("Periode ini belum pernah dibuka; belum ada hasil untuk ditindaklanjuti."))
    item = FollowUpAction.objects.create(
        period=current,
        unit=unit,
        element=element,
        action=text,
        owner=who,
        due_on=due_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        chain=item.audit_chain,
        actor=actor,
        action="create",
        object_type="followupaction",
        object_id=item.pk,
        after=_follow_up_snapshot(item),
        new_chain=True,
    )
    return item


@transaction.atomic
def follow_up_set_status(
    *,
    actor: Any,
    follow_up_id: int,
    status: str,
    result: str = "",
    done_on: dt.date | None = None,
) -> FollowUpAction:
    """Move a follow-up action to ``status``; ``done`` needs what was done (``result``) and
    records ``done_on`` (today unless given, never in the future). A done action is final."""
    item = FollowUpAction.objects.select_for_update().filter(pk=follow_up_id).first()
    if item is None or not policies.skm_access(actor).covers(item.unit_id):
        raise NotFound(_("Tindak lanjut tidak ditemukan."))
    if status not in FollowUpAction.Status.values:
        raise InvalidInput(_("Status tidak dikenal."), fields={"status": _("Pilihan tidak valid.")})
    if item.status == FollowUpAction.Status.DONE:
        raise Conflict(_("Tindak lanjut ini sudah selesai dan tidak dapat diubah lagi."))
    if item.status == status:
        return item
    before = _follow_up_snapshot(item)
    if status == FollowUpAction.Status.DONE:
        today = timezone.localdate()
        done_on = done_on or today
        if done_on > today:
            raise InvalidInput(
                _("Tanggal selesai tidak boleh di masa depan."),
                fields={"done_on": _("Tidak boleh setelah hari ini.")},
            )
        # What was done: the evidence an evaluation of the follow-up asks for.
        item.result = _required_text(
            result, "result", 4000, _("Tuliskan hasil tindak lanjut sebelum menandainya selesai.")
        )
        item.done_on = done_on
    item.status = status
    item.save(update_fields=["status", "result", "done_on"])
    audit.record(
        chain=item.audit_chain,
        actor=actor,
        action="status",
        object_type="followupaction",
        object_id=item.pk,
        before=before,
        after=_follow_up_snapshot(item),
    )
    return item


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
