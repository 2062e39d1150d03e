"""Who may see and do what in the evaluation (one policy for every door).

* system administrators: every unit;
* evaluators: the agencies where they hold the evaluator role and every unit below them
  (an evaluator of the Pemda evaluates every unit);
* leaders read everything; nobody else opens the evaluation pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.access import Access, access_for
from satupintu.agencies.models import Agency
from satupintu.catalogue.policies import service_units, unit_where
from satupintu.core.errors import NotFound, NotPermitted


def may_evaluate(access: Access, unit_id: int) -> bool:
    return access.sysadmin or unit_id in access.evaluated


def may_read(access: Access, unit_id: int) -> bool:
    return access.leader or may_evaluate(access, unit_id)


def opens_evaluation(access: Access) -> bool:
    """The evaluation pages exist for this user at all."""
    return access.sysadmin or access.leader or bool(access.evaluated)


def evaluation_units(user: Any) -> QuerySet[Agency]:
    """The units whose evaluation ``user`` may read."""
    access = access_for(user)
    units = service_units()
    if access.sysadmin or access.leader:
        return units
    return units.filter(pk__in=access.evaluated)


def agency_scope(user: Any) -> set[int] | None:
    """Agencies whose complaint indicators ``user`` reads: None for every agency."""
    access = access_for(user)
    if access.sysadmin or access.leader:
        return None
    if not access.evaluated:
        raise NotFound(_("Halaman tidak ditemukan."))
    pemda = Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None).values_list("pk", flat=True)
    if access.evaluated & set(pemda):
        return None  # the Pemda's own evaluator: every agency, and the Pemda as a whole
    return set(access.evaluated)


def unit_for(user: Any, code: str) -> Agency:
    """The unit whose evaluation ``user`` opens."""
    access = access_for(user)
    return unit_where(code, lambda pk: may_read(access, pk))


def check_evaluate(actor: Any, unit_id: int) -> None:
    if not may_evaluate(access_for(actor), unit_id):
        raise NotPermitted(_("Anda tidak berwenang menilai unit ini."))
