"""Who may read and edit a unit's service catalogue (one policy for every door).

* system administrators: every unit;
* evaluators: the agencies where they hold the evaluator role and every unit below them;
* the unit's own officers (liaison or head of the unit or of an agency above it);
* leaders read every unit's drafts; nobody else sees an unpublished service.

The citizen portal shows published services only and needs no policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.access import Access, access_for
from satupintu.agencies.models import Agency
from satupintu.core.errors import NotFound, NotPermitted

#: Agencies that provide services to the public and so have a catalogue (design.md §5).
SERVICE_KINDS = (Agency.Kind.OPD, Agency.Kind.UNIT)


def may_edit(access: Access, unit_id: int) -> bool:
    return access.sysadmin or unit_id in access.evaluated or unit_id in access.agencies


def may_read(access: Access, unit_id: int) -> bool:
    return access.leader or access.sysadmin or may_edit(access, unit_id)


def service_units() -> QuerySet[Agency]:
    """Every active agency that can have a service catalogue."""
    return Agency.objects.filter(kind__in=SERVICE_KINDS, is_active=True)


def service_unit(unit: Agency | int | str) -> Agency:
    """An active service unit by row, id or code; NotFound otherwise."""
    if isinstance(unit, Agency):
        unit = unit.pk
    lookup: dict[str, Any] = {"pk": unit} if isinstance(unit, int) else {"code": unit}
    found = service_units().filter(**lookup).first()
    if found is None:
        raise NotFound(_("Unit layanan tidak ditemukan."))
    return found


def readable_units(user: Any) -> QuerySet[Agency]:
    """The units whose catalogue ``user`` may open in the desk (empty for a non-officer)."""
    access = access_for(user)
    units = service_units()
    if access.leader or access.sysadmin:
        return units
    return units.filter(pk__in=access.evaluated | access.agencies)


def unit_where(code: str, allowed: Callable[[int], bool]) -> Agency:
    """The service unit ``code`` if ``allowed(its id)``; NotFound alike for "no such unit" and
    "not yours"."""
    unit = service_units().select_related("parent").filter(code=code).first()
    if unit is None or not allowed(unit.pk):
        raise NotFound(_("Unit layanan tidak ditemukan."))
    return unit


def unit_for(user: Any, code: str) -> Agency:
    """The unit whose catalogue ``user`` opens in the desk."""
    access = access_for(user)
    return unit_where(code, lambda pk: may_read(access, pk))


def check_edit(actor: Any, unit_id: int) -> None:
    """NotPermitted unless ``actor`` may edit the catalogue of ``unit_id``."""
    if not may_edit(access_for(actor), unit_id):
        raise NotPermitted(_("Anda tidak berwenang mengubah katalog layanan unit ini."))
