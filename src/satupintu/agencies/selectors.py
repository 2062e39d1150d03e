"""Reads of regions for the pages: boundary polygons as GeoJSON for the map."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Final

from django.db.models import Count, Max

from satupintu.agencies.models import Region, RegionBoundary, RegionPopulation

_CACHE_SIZE: Final = 32
_cache: OrderedDict[tuple[str, int], tuple[tuple[Any, ...], dict[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def _version() -> tuple[Any, ...]:
    """Changes whenever a boundary or a population figure is loaded, replaced or removed."""
    boundaries = RegionBoundary.objects.aggregate(at=Max("loaded_at"), n=Count("pk"))
    people = RegionPopulation.objects.aggregate(at=Max("loaded_at"), n=Count("pk"))
    return (boundaries["at"], boundaries["n"], people["at"], people["n"])


def boundaries_geojson(parent_code: str, level: int) -> dict[str, Any]:
    """The boundaries of the regions of ``level`` below ``parent_code`` as a GeoJSON
    FeatureCollection, e.g. ``boundaries_geojson("32.76", Region.Level.VILLAGE)`` for the
    kelurahan of Kota Depok.

    Each feature's properties are ``code``, ``name``, ``area_km2`` and ``population`` with
    ``population_year`` (the latest loaded year; both None without a figure). Regions without a
    boundary are left out. The result is kept per process and built again after a load (two
    small aggregate queries tell); it is shared, so callers must not change it.
    """
    key = (parent_code, int(level))
    version = _version()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == version:
            _cache.move_to_end(key)
            return hit[1]
    result = _build(parent_code, int(level))
    with _lock:
        _cache[key] = (version, result)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _build(parent_code: str, level: int) -> dict[str, Any]:
    regions = Region.objects.filter(code__startswith=parent_code + ".", level=level)
    boundaries = (
        RegionBoundary.objects.filter(region__in=regions)
        .select_related("region")
        .only("region__code", "region__name", "geometry", "area_km2")
        .order_by("region_id")
    )
    population: dict[str, tuple[int, int]] = {}
    for code, figure_year, figure in (
        RegionPopulation.objects.filter(region__in=regions)
        .order_by("region_id", "year")
        .values_list("region_id", "year", "population")
    ):
        population[code] = (figure, figure_year)  # the latest year wins
    features = []
    for boundary in boundaries:
        count: int | None = None
        year: int | None = None
        if boundary.region_id in population:
            count, year = population[boundary.region_id]
        features.append(
            {
                "type": "Feature",
                "id": boundary.region_id,
                "properties": {
                    "code": boundary.region_id,
                    "name": boundary.region.name,
                    "area_km2": round(boundary.area_km2, 3),
                    "population": count,
                    "population_year": year,
                },
                "geometry": boundary.geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}
