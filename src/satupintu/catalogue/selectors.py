"""Reads of the service catalogue: the portal's public pages, the desk's lists, and the facts the
evaluation draws on (aggregated in the database, one query per kind of fact)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.access import access_for
from satupintu.agencies.models import Agency
from satupintu.catalogue.models import Service, UnitProfile
from satupintu.catalogue.policies import (
    may_edit,
    readable_units,
    service_units,
    unit_for,
)
from satupintu.core.errors import NotFound
from satupintu.domain.evaluation.standard import (
    COMPONENT_KEYS,
    COMPONENTS,
    ServiceFacts,
    review_cutoff,
    reviewed_recently,
)

ALL = len(COMPONENTS)
LIVE = Q(services__is_active=True)
PUBLISHED = Q(services__is_active=True, services__is_published=True)


# --------------------------------------------------------------------------- portal


def public_units() -> QuerySet[Agency]:
    """Units with at least one published service, with how many (``published``)."""
    return (
        service_units()
        .annotate(published=Count("services", filter=PUBLISHED))
        .filter(published__gt=0)
        .select_related("parent")
        .order_by("name")
    )


def published_services(unit: Agency) -> QuerySet[Service]:
    return Service.objects.filter(unit=unit, is_active=True, is_published=True).order_by("name")


def public_unit(code: str) -> tuple[Agency, UnitProfile | None, list[Service]]:
    """A unit's public page: NotFound unless it has a published service."""
    unit = service_units().select_related("parent").filter(code=code).first()
    services = list(published_services(unit)) if unit else []
    if unit is None or not services:
        raise NotFound(_("Unit layanan tidak ditemukan."))
    return unit, UnitProfile.objects.filter(unit=unit).first(), services


def public_service(unit_code: str, service_code: str) -> Service:
    service = (
        Service.objects.filter(
            unit__code=unit_code,
            unit__is_active=True,
            code=service_code,
            is_active=True,
            is_published=True,
        )
        .select_related("unit__parent")
        .first()
    )
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return service


# --------------------------------------------------------------------------- desk


def desk_units(user: Any) -> QuerySet[Agency]:
    """The units ``user`` may open, with counts of services (``services``), published services
    (``published``) and services with all 14 components (``complete``)."""
    return (
        readable_units(user)
        .annotate(
            service_count=Count("services", filter=LIVE),
            published=Count("services", filter=PUBLISHED),
            complete=Count("services", filter=LIVE & Q(services__filled_count=ALL)),
        )
        .select_related("parent")
        .order_by("parent__name", "name")
    )


@dataclass
class UnitPage:
    unit: Agency
    profile: UnitProfile | None
    services: list[Service]
    may_edit: bool


def unit_page(user: Any, code: str) -> UnitPage:
    unit = unit_for(user, code)
    services = list(
        Service.objects.filter(unit=unit)
        .only("pk", "unit", "code", "name", "is_active", "is_published", "filled_count")
        .order_by("-is_active", "name")
    )
    return UnitPage(
        unit=unit,
        profile=UnitProfile.objects.filter(unit=unit).first(),
        services=services,
        may_edit=may_edit(access_for(user), unit.pk),
    )


def service_for_desk(user: Any, code: str, pk: int) -> tuple[Service, bool]:
    """One service of unit ``code`` and whether ``user`` may edit it; NotFound otherwise."""
    unit = unit_for(user, code)
    service = Service.objects.filter(unit=unit, pk=pk).select_related("updated_by").first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    service.unit = unit
    return service, may_edit(access_for(user), unit.pk)


# --------------------------------------------------------------------------- evaluation facts


@dataclass(frozen=True)
class CatalogueFacts:
    """A unit's catalogue in numbers (active services only)."""

    services: int = 0
    published: int = 0
    published_complete: int = 0
    published_stipulated_reviewed: int = 0
    #: component key -> published services that have it filled.
    published_with: dict[str, int] = field(default_factory=dict)
    maklumat: bool = False


def catalogue_facts(unit_ids: list[int], *, today: dt.date) -> dict[int, CatalogueFacts]:
    """The catalogue facts of each unit in ``unit_ids`` (two queries, whatever their number)."""
    published = Q(is_published=True)
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "pub": Count("pk", filter=published),
        "complete": Count("pk", filter=published & Q(filled_count=ALL)),
        "kept": Count(
            "pk",
            filter=published
            & ~Q(decree="")
            & Q(reviewed_on__gt=review_cutoff(today), reviewed_on__lte=today),
        ),
    }
    for key in COMPONENT_KEYS:
        aggregates[f"with_{key}"] = Count("pk", filter=published & ~Q(**{key: ""}))
    rows = (
        Service.objects.filter(unit_id__in=unit_ids, is_active=True)
        .order_by()
        .values("unit_id")
        .annotate(**aggregates)
    )
    with_maklumat = set(
        UnitProfile.objects.filter(unit_id__in=unit_ids)
        .exclude(maklumat="")
        .values_list("unit_id", flat=True)
    )
    facts = {pk: CatalogueFacts(maklumat=pk in with_maklumat) for pk in unit_ids}
    for row in rows:
        facts[row["unit_id"]] = CatalogueFacts(
            services=row["n"],
            published=row["pub"],
            published_complete=row["complete"],
            published_stipulated_reviewed=row["kept"],
            published_with={key: row[f"with_{key}"] for key in COMPONENT_KEYS},
            maklumat=row["unit_id"] in with_maklumat,
        )
    return facts


def service_facts(unit_id: int, *, today: dt.date) -> list[ServiceFacts]:
    """The rubric's view of each active service of a unit (domain.evaluation.standard)."""
    return [
        ServiceFacts(
            filled=filled,
            stipulated=bool(decree),
            participation=bool(participation.strip()),
            reviewed=reviewed_recently(reviewed, today),
        )
        for filled, decree, participation, reviewed in Service.objects.filter(
            unit_id=unit_id, is_active=True
        ).values_list("filled_count", "decree", "participation", "reviewed_on")
    ]
