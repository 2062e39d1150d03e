"""The master data a list of reports shows (category with its default agency, holding agency,
kelurahan with its kecamatan), set on each report from per-process copies (core/memo.py)
instead of joined into every row: a page of 50 reports then builds 50 model instances, not 300.

A row added by another process since a copy was made is found by rebuilding the copy once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from satupintu.agencies.models import Agency, Region
from satupintu.complaints.models import Category, Report
from satupintu.core import memo


def _all_categories() -> dict[int, Category]:
    rows = Category.objects.select_related("default_agency").only(
        "pk",
        "code",
        "name",
        "report_type",
        "completion_days",
        "default_agency",
        "default_agency__code",
        "default_agency__name",
    )
    return {c.pk: c for c in rows}


def _all_agencies() -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.only("pk", "code", "name")}


def _regions(codes: list[str]) -> dict[str, Region]:
    rows = Region.objects.filter(pk__in=codes).select_related("parent")
    return {r.pk: r for r in rows.only("pk", "name", "parent", "parent__name")}


_categories = memo.Refreshed(_all_categories)
_categories.watch(Category, Agency)
_agencies = memo.Refreshed(_all_agencies)
_agencies.watch(Agency)
_region_rows: memo.RefreshedMap[str, Region] = memo.RefreshedMap(
    lambda pk: _regions([pk]).get(pk), load_many=_regions
)
_region_rows.watch(Region)


def _current(copy: memo.Refreshed[dict[int, Any]], ids: set[int]) -> dict[int, Any]:
    """The copy, rebuilt once if it lacks one of ``ids`` (a row added in another process)."""
    rows = copy.get()
    if not ids <= rows.keys():
        copy.invalidate()
        rows = copy.get()
    return rows


def attach(reports: Iterable[Report]) -> list[Report]:
    """Set each report's category, holding agency and region from the per-process copies (the
    reports need only their own columns: ``category_id`` and the like)."""
    reports = list(reports)
    categories = _current(_categories, {r.category_id for r in reports if r.category_id})
    agencies = _current(_agencies, {r.current_agency_id for r in reports if r.current_agency_id})
    regions = _region_rows.get_many(r.region_id for r in reports if r.region_id)
    for report in reports:
        if report.category_id:
            report.category = categories.get(report.category_id)
        if report.current_agency_id:
            report.current_agency = agencies.get(report.current_agency_id)
        if report.region_id:
            report.region = regions.get(report.region_id)
    return reports
