"""Every change to the service catalogue: one function per verb, in one transaction, audited.

Each function takes the acting user as ``actor``, checks policies.py, locks the row it changes,
refuses a change made on a stale copy (``expected_version``) and writes an audit entry with the
values before and after on the chain ``service:<id>`` or ``unitprofile:<unit id>`` (the same
chains the admin writes, core/audit.py: record_change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency
from satupintu.catalogue.models import Service, UnitProfile
from satupintu.catalogue.policies import check_edit, service_unit
from satupintu.core import audit
from satupintu.core.errors import InvalidInput, NotFound, Stale
from satupintu.domain.evaluation.standard import (
    COMPONENT_KEYS,
    filled_components,
    publish_problems,
)

NAME_MAX = 200
TEXT_MAX = 5000
DATE_FIELDS = ("decree_date", "reviewed_on")
TEXT_FIELDS = ("summary", *COMPONENT_KEYS, "participation")
#: What service_update may change (publishing has its own verb).
EDITABLE = ("name", "decree", *TEXT_FIELDS, *DATE_FIELDS, "is_active")
AUDIT_EXCLUDE = ("version", "updated_by", "filled_count")


def label(model: type[Any], field: str) -> str:
    """A field's name as the user reads it, in the active language."""
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def clean_text(
    value: Any, *, field: str, label: str, required: bool = False, max_len: int = TEXT_MAX
) -> str:
    """Stripped text, or InvalidInput naming the field when it is missing or too long."""
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(
            _("%(field)s wajib diisi.") % {"field": label}, fields={field: _("Wajib diisi.")}
        )
    if len(text) > max_len:
        raise InvalidInput(
            _("%(field)s terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
            % {"field": label, "length": len(text), "max": max_len},
            fields={field: _("Paling banyak %(max)s karakter.") % {"max": max_len}},
        )
    return text


def check_version(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise Stale(
            _("Data ini sudah diubah orang lain; muat ulang halaman, periksa, lalu coba lagi.")
        )


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        raise InvalidInput(
            _("%(field)s harus berupa tanggal.") % {"field": label(Service, field)},
            fields={field: _("Harus berupa tanggal.")},
        )
    if value > timezone.localdate():
        raise InvalidInput(
            _("%(field)s tidak boleh di masa depan.") % {"field": label(Service, field)},
            fields={field: _("Tidak boleh di masa depan.")},
        )
    return value


def _lock_service(service_id: int, expected_version: int | None) -> Service:
    service = Service.objects.select_for_update().filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    check_version(service, expected_version)
    return service


def _snapshot(obj: Any) -> dict[str, Any]:
    return audit.snapshot(obj, exclude=AUDIT_EXCLUDE)


def _save(obj: Any, actor: Any, before: dict[str, Any] | None) -> None:
    obj.version = 1 if before is None else obj.version + 1
    obj.updated_by = actor if getattr(actor, "pk", None) else None
    obj.save()
    audit.record_change(actor=actor, obj=obj, before=before, after=_snapshot(obj))


def _free_code(unit_id: int, name: str) -> str:
    base = slugify(name)[:50].strip("-") or "layanan"
    similar = Service.objects.filter(unit_id=unit_id, code__startswith=base)
    taken = set(similar.values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def service_create(
    *, actor: Any, unit: Agency | int | str, name: str, summary: str = ""
) -> Service:
    """A new, unpublished service of ``unit`` whose components are filled in afterwards."""
    found = service_unit(unit)
    check_edit(actor, found.pk)
    name = clean_text(
        name, field="name", label=label(Service, "name"), required=True, max_len=NAME_MAX
    )
    summary = clean_text(summary, field="summary", label=label(Service, "summary"))
    if Service.objects.filter(unit=found, name__iexact=name).exists():
        raise InvalidInput(
            _("Unit ini sudah memiliki layanan bernama %(name)s.") % {"name": name},
            fields={"name": _("Nama ini sudah dipakai di unit ini.")},
        )
    # Lock the unit so two officers adding a service at once do not draw the same code.
    Agency.objects.select_for_update().filter(pk=found.pk).first()
    service = Service(unit=found, name=name, summary=summary, code=_free_code(found.pk, name))
    _save(service, actor, None)
    return service


def _clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise InvalidInput(
            _("Isian tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)},
            detail=f"unknown fields {unknown}",
        )
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field == "name":
            out[field] = clean_text(
                value, field=field, label=label(Service, field), required=True, max_len=NAME_MAX
            )
        elif field == "decree":
            out[field] = clean_text(value, field=field, label=label(Service, field), max_len=200)
        elif field in TEXT_FIELDS:
            out[field] = clean_text(value, field=field, label=label(Service, field))
        elif field in DATE_FIELDS:
            out[field] = _date(value, field)
        else:  # is_active
            out[field] = bool(value)
    return out


@transaction.atomic
def service_update(
    *,
    actor: Any,
    service_id: int,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Service:
    """Change a service's name, components and record of how its standard was made.

    A published service keeps its six service-delivery components filled; making it inactive
    takes it off the portal.
    """
    cleaned = _clean_values(values)
    service = _lock_service(service_id, expected_version)
    check_edit(actor, service.unit_id)
    if "name" in cleaned and (
        Service.objects.filter(unit_id=service.unit_id, name__iexact=cleaned["name"])
        .exclude(pk=service.pk)
        .exists()
    ):
        raise InvalidInput(
            _("Unit ini sudah memiliki layanan bernama %(name)s.") % {"name": cleaned["name"]},
            fields={"name": _("Nama ini sudah dipakai di unit ini.")},
        )
    before = _snapshot(service)
    for field, value in cleaned.items():
        setattr(service, field, value)
    texts = {key: getattr(service, key) for key in COMPONENT_KEYS}
    if service.is_published and not service.is_active:
        service.is_published = False
    elif service.is_published and (missing := publish_problems(texts)):
        raise InvalidInput(
            _(
                "Layanan ini dipublikasikan, sehingga komponen layanan kepada warga wajib terisi. "
                "Tarik publikasinya terlebih dahulu bila ingin mengosongkannya."
            ),
            fields={key: _("Wajib diisi selama layanan dipublikasikan.") for key in missing},
        )
    service.filled_count = len(filled_components(texts))
    _save(service, actor, before)
    return service


@transaction.atomic
def service_set_published(
    *, actor: Any, service_id: int, published: bool, expected_version: int | None = None
) -> Service:
    """Publish a service standard on the citizen portal, or take it off."""
    service = _lock_service(service_id, expected_version)
    check_edit(actor, service.unit_id)
    if service.is_published == published:
        return service
    if published:
        if not service.is_active:
            raise InvalidInput(_("Layanan yang tidak aktif tidak dapat dipublikasikan."))
        missing = publish_problems({key: getattr(service, key) for key in COMPONENT_KEYS})
        if missing:
            names = ", ".join(label(Service, key) for key in missing)
            raise InvalidInput(
                _("Lengkapi dulu komponen layanan kepada warga: %(names)s.") % {"names": names},
                fields={key: _("Wajib diisi sebelum dipublikasikan.") for key in missing},
            )
    before = _snapshot(service)
    service.is_published = published
    service.published_at = timezone.now() if published else None
    _save(service, actor, before)
    return service


@transaction.atomic
def unit_profile_update(
    *,
    actor: Any,
    unit: Agency | int | str,
    maklumat: str,
    hours: str,
    address: str,
    expected_version: int | None = None,
) -> UnitProfile:
    """The unit's maklumat pelayanan, hours and address, as the portal shows them."""
    found = service_unit(unit)
    check_edit(actor, found.pk)
    values = {
        field: clean_text(value, field=field, label=label(UnitProfile, field))
        for field, value in (("maklumat", maklumat), ("hours", hours), ("address", address))
    }
    # The unit's row is locked first, so two first edits cannot both create the profile.
    Agency.objects.select_for_update().filter(pk=found.pk).first()
    profile = UnitProfile.objects.filter(unit=found).first()
    before = None
    if profile is None:
        profile = UnitProfile(unit=found)
    else:
        check_version(profile, expected_version)
        before = _snapshot(profile)
    for field, value in values.items():
        setattr(profile, field, value)
    _save(profile, actor, before)
    return profile
