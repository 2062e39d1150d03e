"""Who may run the SKM: one policy for periods, targets, results and follow-up actions.

An evaluator (``Role.EVALUATOR``) works for the agency of their membership and every unit below
it; an evaluator of the Pemda itself (an agency without a parent) and a system administrator
manage the periods (create, open, close, publish) and see every unit. The same rule answers
"may this user act on this unit?" (:meth:`SkmAccess.covers`) and "which units?"
(:func:`units_in_scope`); "not yours" is the same NotFound as "does not exist".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.access import access_for, with_units
from satupintu.agencies.models import Agency, Role
from satupintu.core.errors import NotFound, NotPermitted


@dataclass(frozen=True)
class SkmAccess:
    #: Creates, opens, closes and publishes periods; sees every unit.
    manages_periods: bool = False
    #: The units an evaluator of an OPD works on (their agency and the units below it).
    unit_ids: frozenset[int] = frozenset()

    @property
    def all_units(self) -> bool:
        return self.manages_periods

    @property
    def may_evaluate(self) -> bool:
        return self.manages_periods or bool(self.unit_ids)

    def covers(self, unit_id: int) -> bool:
        return self.manages_periods or unit_id in self.unit_ids


def skm_access(user: Any) -> SkmAccess:
    """The SKM rights of ``user`` (trusted processes pass a text label: they may do anything)."""
    if isinstance(user, str):
        return SkmAccess(manages_periods=True)
    access = access_for(user)
    if access.user_id is None:
        return SkmAccess()
    if access.sysadmin:
        return SkmAccess(manages_periods=True)
    agencies = {a for a, roles in access.roles.items() if Role.EVALUATOR in roles}
    if not agencies:
        return SkmAccess()
    if Agency.objects.filter(pk__in=agencies, parent__isnull=True).exists():
        return SkmAccess(manages_periods=True)
    return SkmAccess(unit_ids=frozenset(with_units(agencies)))


def require_evaluator(user: Any) -> SkmAccess:
    """The user's rights, or NotFound when they have none (the SKM pages do not exist for them)."""
    access = skm_access(user)
    if not access.may_evaluate:
        raise NotFound(_("Halaman tidak ditemukan."))
    return access


def require_manager(user: Any) -> SkmAccess:
    access = skm_access(user)
    if not access.manages_periods:
        raise NotPermitted(
            _("Hanya evaluator tingkat pemerintah daerah yang dapat mengelola periode survei.")
        )
    return access


def require_unit(user: Any, unit_id: int) -> SkmAccess:
    access = skm_access(user)
    if not access.covers(unit_id):
        raise NotPermitted(_("Unit layanan ini di luar wewenang Anda."))
    return access


def units_in_scope(access: SkmAccess, queryset: QuerySet[Agency] | None = None) -> QuerySet[Agency]:
    """Active internal service units ``access`` covers (every Pemda agency but external ones)."""
    qs = queryset if queryset is not None else Agency.objects.all()
    qs = qs.filter(is_active=True).exclude(kind=Agency.Kind.EXTERNAL)
    if access.all_units:
        return qs
    return qs.filter(pk__in=access.unit_ids)
