"""Boundary polygons: GeoJSON parsing and validation, area, bounding box, centroid, and
point-in-polygon.

Geometries are GeoJSON (RFC 7946) Polygons and MultiPolygons in WGS84 longitude/latitude. A
parsed geometry is checked before anything uses it; :class:`GeometryError` says what is wrong
and where ("polygon 1, ring 2: ..."):

- every position is a pair (or triple, the third value ignored) of finite numbers, longitude in
  [-180, 180] and latitude in [-90, 90];
- every ring is closed (its last position repeats its first) and has at least 4 positions once
  repeated consecutive positions are dropped (3 corners and the closing one);
- no ring crosses or touches itself, and no ring folds back on itself (a spike);
- the rings of one polygon do not cross one another or share an edge (touching at a point is
  allowed, as in the OGC simple-features rules); every hole lies inside the exterior ring and
  outside the other holes;
- every ring encloses a non-zero area.

The polygons of one MultiPolygon are not checked against one another. Rings may be wound either
way when read; :func:`to_geojson` writes them the RFC 7946 way (exterior counter-clockwise,
holes clockwise). Geometries crossing the antimeridian are not supported (no Indonesian region
does).

**Area** (:func:`area_km2`) is geodesic: latitudes are mapped to authalic latitudes, which puts
the WGS84 ellipsoid onto a sphere of the same surface area (radius 6,371.007 km) without
changing any area, and each ring's area there is its spherical excess, summed edge by edge as
the signed area of the triangle an edge makes with the south pole (the method of d3-geo's
``geoArea``; edges are great-circle arcs on that sphere). For a 1° × 1° cell at the equator the
result is within 0.001 % of the closed-form ellipsoidal value, and one spherical octant gives
1/8 of the WGS84 surface area (tests/domain/test_geo.py). Rings must be smaller than a
hemisphere.

**Centroid** (:func:`centroid`) is the area-weighted centroid of the coordinates taken as plane
``(lon, lat)``: accurate to metres for a kelurahan or a kabupaten, not meant for continents. It
can fall outside a strongly concave polygon.

Pure Python, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, TypeGuard

# WGS84 (NIMA TR8350.2).
WGS84_A: Final = 6_378_137.0  # semi-major axis, metres
WGS84_F: Final = 1 / 298.257223563  # flattening
_E2: Final = WGS84_F * (2 - WGS84_F)  # first eccentricity squared
_E: Final = math.sqrt(_E2)

Position = tuple[float, float]  # (lon, lat)
Ring = tuple[Position, ...]  # closed: the last position repeats the first
BBox = tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat)


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Polygon:
    """An exterior ring and its holes; every ring closed, without repeated positions."""

    exterior: Ring
    holes: tuple[Ring, ...] = ()

    @property
    def rings(self) -> tuple[Ring, ...]:
        return (self.exterior, *self.holes)


@dataclass(frozen=True, slots=True)
class Geometry:
    """A Polygon (one entry in ``polygons``) or a MultiPolygon (several)."""

    polygons: tuple[Polygon, ...]

    @property
    def vertex_count(self) -> int:
        return sum(len(ring) - 1 for polygon in self.polygons for ring in polygon.rings)


# --------------------------------------------------------------------------- parsing


def parse_geometry(obj: object) -> Geometry:
    """Read and check a GeoJSON Polygon or MultiPolygon geometry object."""
    if not isinstance(obj, Mapping):
        raise GeometryError(f"a geometry must be a JSON object, not {_json_type(obj)}")
    kind = obj.get("type")
    if "coordinates" not in obj:
        raise GeometryError(f"geometry of type {kind!r} has no coordinates")
    coordinates = obj["coordinates"]
    polygons: tuple[Polygon, ...]
    if kind == "Polygon":
        polygons = (_parse_polygon(coordinates, ""),)
    elif kind == "MultiPolygon":
        if not _is_array(coordinates) or not coordinates:
            raise GeometryError("MultiPolygon coordinates must be a non-empty array of polygons")
        polygons = tuple(
            _parse_polygon(item, f"polygon {n}, ") for n, item in enumerate(coordinates, 1)
        )
    else:
        raise GeometryError(f"geometry type {kind!r} is not Polygon or MultiPolygon")
    geometry = Geometry(polygons)
    validate(geometry)
    return geometry


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if _is_array(value):
        return "an array"
    return type(value).__name__


def _is_array(value: object) -> TypeGuard[list[object] | tuple[object, ...]]:
    return isinstance(value, list | tuple)


def _parse_polygon(coordinates: object, where: str) -> Polygon:
    if not _is_array(coordinates) or not coordinates:
        raise GeometryError(f"{where}polygon coordinates must be a non-empty array of rings")
    rings = [_parse_ring(ring, f"{where}ring {n}") for n, ring in enumerate(coordinates, 1)]
    return Polygon(rings[0], tuple(rings[1:]))


def _parse_ring(coordinates: object, where: str) -> Ring:
    if not _is_array(coordinates):
        raise GeometryError(f"{where}: a ring must be an array of positions")
    positions = [_parse_position(p, f"{where}, position {n}") for n, p in enumerate(coordinates, 1)]
    if len(positions) >= 2 and positions[0] != positions[-1]:
        raise GeometryError(
            f"{where} is not closed: its last position {_fmt(positions[-1])} differs from its "
            f"first {_fmt(positions[0])}"
        )
    ring = _drop_repeats(positions)
    if len(ring) < 4:
        raise GeometryError(
            f"{where} has {max(0, len(ring) - 1)} corners; a ring needs at least 3 "
            "(4 positions, the first repeated at the end)"
        )
    return ring


def _parse_position(value: object, where: str) -> Position:
    if not _is_array(value) or not 2 <= len(value) <= 3:
        raise GeometryError(f"{where}: expected [longitude, latitude], got {_short(value)}")
    numbers: list[float] = []
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise GeometryError(f"{where}: {_short(number)} is not a number")
        if not math.isfinite(number):
            raise GeometryError(f"{where}: {number} is not a finite number")
        numbers.append(float(number))
    lon, lat = numbers[0], numbers[1]
    if not -90 <= lat <= 90:
        swapped = -90 <= lon <= 90 and -180 <= lat <= 180
        hint = " (the position looks like [lat, lon]; GeoJSON wants [lon, lat])" if swapped else ""
        raise GeometryError(f"{where}: latitude {lat:g} is outside [-90, 90]{hint}")
    if not -180 <= lon <= 180:
        raise GeometryError(f"{where}: longitude {lon:g} is outside [-180, 180]")
    return (lon, lat)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(p: Position) -> str:
    return f"({p[0]:.6f}, {p[1]:.6f})"


def _drop_repeats(positions: Sequence[Position]) -> Ring:
    out: list[Position] = []
    for p in positions:
        if not out or p != out[-1]:
            out.append(p)
    return tuple(out)


# --------------------------------------------------------------------------- validation


def validate(geometry: Geometry) -> None:
    """Raise :class:`GeometryError` unless ``geometry`` follows the rules of the module doc."""
    many = len(geometry.polygons) > 1
    for n, polygon in enumerate(geometry.polygons, 1):
        where = f"polygon {n}, " if many else ""
        for r, ring in enumerate(polygon.rings, 1):
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise GeometryError(f"{where}ring {r} is not a closed ring of 4 or more positions")
        _check_intersections(polygon, where)
        for r, ring in enumerate(polygon.rings, 1):
            if _planar_ring_area(ring) == 0:  # a safety net: a simple ring has an area
                raise GeometryError(f"{where}ring {r} encloses no area")
        _check_holes(polygon, where)


@dataclass(frozen=True, slots=True)
class _Segment:
    ring: int
    index: int
    a: Position
    b: Position
    min_x: float
    max_x: float
    min_y: float
    max_y: float


def _segments(polygon: Polygon) -> list[_Segment]:
    out = []
    for r, ring in enumerate(polygon.rings):
        for i in range(len(ring) - 1):
            a, b = ring[i], ring[i + 1]
            out.append(
                _Segment(
                    r, i, a, b, min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])
                )
            )
    return out


def _check_intersections(polygon: Polygon, where: str) -> None:
    """Sweep the segments by x; test each pair whose bounding boxes overlap."""
    sizes = [len(ring) - 1 for ring in polygon.rings]
    active: list[_Segment] = []
    for seg in sorted(_segments(polygon), key=lambda s: s.min_x):
        active = [other for other in active if other.max_x >= seg.min_x]
        for other in active:
            if other.max_y < seg.min_y or other.min_y > seg.max_y:
                continue
            problem = _pair_problem(other, seg, sizes)
            if problem:
                raise GeometryError(f"{where}{problem}")
        active.append(seg)


def _pair_problem(s: _Segment, t: _Segment, sizes: list[int]) -> str | None:
    if s.ring == t.ring:
        n = sizes[s.ring]
        first, second = sorted((s, t), key=lambda x: x.index)
        ring = f"ring {s.ring + 1}"
        if second.index - first.index == 1 or (first.index == 0 and second.index == n - 1):
            # Neighbours share one corner: only a fold back along the same line is wrong.
            if second.index - first.index == 1:
                shared, p, q = first.b, first.a, second.b
            else:
                shared, p, q = first.a, first.b, second.a
            if _orientation(shared, p, q) == 0 and _dot(shared, p, q) > 0:
                return f"{ring} folds back on itself at {_fmt(shared)}"
            return None
        kind = _intersection(s.a, s.b, t.a, t.b)
        if kind is None:
            return None
        return (
            f"{ring} crosses itself near {_fmt(_meeting_point(s, t))} "
            f"(edges {first.index + 1} and {second.index + 1})"
        )
    kind = _intersection(s.a, s.b, t.a, t.b)
    if kind in ("cross", "overlap"):
        rings = sorted((s.ring + 1, t.ring + 1))
        what = "cross" if kind == "cross" else "share an edge"
        return f"rings {rings[0]} and {rings[1]} {what} near {_fmt(_meeting_point(s, t))}"
    return None


def _meeting_point(s: _Segment, t: _Segment) -> Position:
    """Where two intersecting segments meet (an endpoint when they touch or overlap)."""
    for p in (t.a, t.b):
        if _on_segment(p, s.a, s.b):
            return p
    for p in (s.a, s.b):
        if _on_segment(p, t.a, t.b):
            return p
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = s.a, s.b, t.a, t.b
    den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    u = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
    return (x1 + u * (x2 - x1), y1 + u * (y2 - y1))


def _orientation(a: Position, b: Position, c: Position) -> int:
    """Sign of the turn a → b → c: 1 left, -1 right, 0 collinear (exact for float inputs)."""
    left = (b[0] - a[0]) * (c[1] - a[1])
    right = (b[1] - a[1]) * (c[0] - a[0])
    det = left - right
    if abs(det) > 1e-12 * (abs(left) + abs(right)):
        return 1 if det > 0 else -1
    exact = (Fraction(b[0]) - Fraction(a[0])) * (Fraction(c[1]) - Fraction(a[1])) - (
        Fraction(b[1]) - Fraction(a[1])
    ) * (Fraction(c[0]) - Fraction(a[0]))
    return (exact > 0) - (exact < 0)


def _dot(origin: Position, p: Position, q: Position) -> float:
    return (p[0] - origin[0]) * (q[0] - origin[0]) + (p[1] - origin[1]) * (q[1] - origin[1])


def _on_segment(p: Position, a: Position, b: Position) -> bool:
    return (
        min(a[0], b[0]) <= p[0] <= max(a[0], b[0])
        and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])
        and _orientation(a, b, p) == 0
    )


def _intersection(p1: Position, p2: Position, q1: Position, q2: Position) -> str | None:
    """None, "cross" (interiors cross), "touch" (meet at one point), "overlap" (collinear)."""
    o1, o2 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    o3, o4 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    if o1 == o2 == o3 == o4 == 0:
        # Collinear: overlapping along a stretch, touching at an end, or apart.
        if p1[0] != p2[0]:
            lo, hi = sorted((p1[0], p2[0]))
            lo2, hi2 = sorted((q1[0], q2[0]))
        else:
            lo, hi = sorted((p1[1], p2[1]))
            lo2, hi2 = sorted((q1[1], q2[1]))
        if hi < lo2 or hi2 < lo:
            return None
        return "touch" if hi == lo2 or hi2 == lo else "overlap"
    if o1 * o2 < 0 and o3 * o4 < 0:
        return "cross"
    if (
        (o1 == 0 and _on_segment(q1, p1, p2))
        or (o2 == 0 and _on_segment(q2, p1, p2))
        or (o3 == 0 and _on_segment(p1, q1, q2))
        or (o4 == 0 and _on_segment(p2, q1, q2))
    ):
        return "touch"
    return None


def _check_holes(polygon: Polygon, where: str) -> None:
    """With no crossings, one position off a ring's boundary tells inside from outside."""
    for h, hole in enumerate(polygon.holes, 2):
        probe = _probe(hole, polygon.exterior)
        if probe is not None and not _in_ring(probe, polygon.exterior):
            raise GeometryError(f"{where}ring {h} (a hole) lies outside the exterior ring")
        for o, other in enumerate(polygon.holes, 2):
            if o == h:
                continue
            probe = _probe(hole, other)
            if probe is not None and _in_ring(probe, other):
                raise GeometryError(f"{where}ring {h} (a hole) lies inside ring {o} (a hole)")


def _probe(ring: Ring, other: Ring) -> Position | None:
    """A position of ``ring`` not on ``other``'s boundary (None if all of them are)."""
    for p in ring[:-1]:
        if not _on_ring(p, other):
            return p
    return None


# --------------------------------------------------------------------------- measures


def _planar_ring_area(ring: Ring) -> float:
    """Signed shoelace area in square degrees; positive for counter-clockwise."""
    return 0.5 * math.fsum(
        ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)
    )


def _q(sin_phi: float) -> float:
    """Snyder's q(φ) (Map Projections: A Working Manual, eq. 3-12)."""
    es = _E * sin_phi
    return (1 - _E2) * (sin_phi / (1 - es * es) - math.log((1 - es) / (1 + es)) / (2 * _E))


_QP: Final = _q(1.0)
#: Radius of the sphere with the WGS84 ellipsoid's surface area (6,371,007.18 m).
AUTHALIC_RADIUS_M: Final = WGS84_A * math.sqrt(_QP / 2)


def authalic_latitude(lat_degrees: float) -> float:
    """The authalic latitude (radians) of a geodetic latitude in degrees."""
    ratio = _q(math.sin(math.radians(lat_degrees))) / _QP
    return math.asin(max(-1.0, min(1.0, ratio)))


def ring_area_km2(ring: Ring) -> float:
    """The geodesic area enclosed by one ring, in km² (never negative)."""
    terms = []
    lam0 = math.radians(ring[0][0])
    phi0 = authalic_latitude(ring[0][1]) / 2 + math.pi / 4
    cos0, sin0 = math.cos(phi0), math.sin(phi0)
    for lon, lat in ring[1:]:
        lam = math.radians(lon)
        phi = authalic_latitude(lat) / 2 + math.pi / 4
        d_lam = lam - lam0
        sign = 1.0 if d_lam >= 0 else -1.0
        ad_lam = sign * d_lam
        cos1, sin1 = math.cos(phi), math.sin(phi)
        k = sin0 * sin1
        u = cos0 * cos1 + k * math.cos(ad_lam)
        v = k * sign * math.sin(ad_lam)
        terms.append(math.atan2(v, u))
        lam0, cos0, sin0 = lam, cos1, sin1
    excess = abs(2 * math.fsum(terms))
    return excess * (AUTHALIC_RADIUS_M / 1000) ** 2


def polygon_area_km2(polygon: Polygon) -> float:
    return ring_area_km2(polygon.exterior) - sum(ring_area_km2(h) for h in polygon.holes)


def area_km2(geometry: Geometry) -> float:
    """Geodesic area in km² (holes subtracted); see the module docstring for the method."""
    return sum(polygon_area_km2(p) for p in geometry.polygons)


def bbox(geometry: Geometry) -> BBox:
    """``(min_lon, min_lat, max_lon, max_lat)``."""
    lons = [p[0] for polygon in geometry.polygons for p in polygon.exterior]
    lats = [p[1] for polygon in geometry.polygons for p in polygon.exterior]
    return (min(lons), min(lats), max(lons), max(lats))


def centroid(geometry: Geometry) -> Position:
    """Area-weighted centroid of the plane ``(lon, lat)`` coordinates (holes subtracted)."""
    total = cx = cy = 0.0
    for polygon in geometry.polygons:
        for r, ring in enumerate(polygon.rings):
            area = abs(_planar_ring_area(ring))
            x, y = _ring_centroid(ring)
            weight = area if r == 0 else -area
            total += weight
            cx += weight * x
            cy += weight * y
    return (cx / total, cy / total)


def _ring_centroid(ring: Ring) -> Position:
    # Relative to the first corner, so that large coordinates do not eat the precision.
    x0, y0 = ring[0]
    a = sx = sy = 0.0
    for i in range(len(ring) - 1):
        x1, y1 = ring[i][0] - x0, ring[i][1] - y0
        x2, y2 = ring[i + 1][0] - x0, ring[i + 1][1] - y0
        cross = x1 * y2 - x2 * y1
        a += cross
        sx += (x1 + x2) * cross
        sy += (y1 + y2) * cross
    return (x0 + sx / (3 * a), y0 + sy / (3 * a))


# --------------------------------------------------------------------------- point in polygon


def _on_ring(p: Position, ring: Ring) -> bool:
    return any(_on_segment(p, ring[i], ring[i + 1]) for i in range(len(ring) - 1))


def _in_ring(p: Position, ring: Ring) -> bool:
    """Strictly inside by ray casting (a point on the boundary gives either answer)."""
    x, y = p
    inside = False
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i], ring[i + 1]
        if (y1 > y) != (y2 > y):
            if _orientation((x1, y1), (x2, y2), p) == (1 if y2 > y1 else -1):
                inside = not inside
    return inside


def contains(geometry: Geometry, lon: float, lat: float) -> bool:
    """Whether the point lies in the geometry; its boundary (the holes' too) counts as in."""
    p = (float(lon), float(lat))
    for polygon in geometry.polygons:
        if not _in_or_on(p, polygon.exterior):
            continue
        if any(_in_ring(p, hole) and not _on_ring(p, hole) for hole in polygon.holes):
            continue
        return True
    return False


def _in_or_on(p: Position, ring: Ring) -> bool:
    return _on_ring(p, ring) or _in_ring(p, ring)


# --------------------------------------------------------------------------- writing


def rounded(geometry: Geometry, digits: int = 6) -> Geometry:
    """The geometry with its coordinates rounded, repeated positions dropped, checked again.

    Raises :class:`GeometryError` if rounding made it invalid (a ring collapsing or touching
    another), which only happens to rings far smaller than ``10**-digits`` degrees.
    """

    def ring(r: Ring) -> Ring:
        return _drop_repeats([(round(x, digits), round(y, digits)) for x, y in r])

    out = Geometry(
        tuple(Polygon(ring(p.exterior), tuple(ring(h) for h in p.holes)) for p in geometry.polygons)
    )
    try:
        validate(out)
    except GeometryError as exc:
        raise GeometryError(f"invalid once rounded to {digits} decimals: {exc}") from None
    return out


def _wound(ring: Ring, *, counter_clockwise: bool) -> Ring:
    return ring if (_planar_ring_area(ring) > 0) == counter_clockwise else ring[::-1]


def to_geojson(geometry: Geometry) -> dict[str, object]:
    """A GeoJSON geometry object (Polygon, or MultiPolygon for several), RFC 7946 winding."""

    def rings(polygon: Polygon) -> list[list[list[float]]]:
        out = [_wound(polygon.exterior, counter_clockwise=True)]
        out += [_wound(h, counter_clockwise=False) for h in polygon.holes]
        return [[[x, y] for x, y in r] for r in out]

    if len(geometry.polygons) == 1:
        return {"type": "Polygon", "coordinates": rings(geometry.polygons[0])}
    return {"type": "MultiPolygon", "coordinates": [rings(p) for p in geometry.polygons]}


# --------------------------------------------------------------------------- feature collections


class FeatureCollectionError(ValueError):
    """The document as a whole is not a GeoJSON FeatureCollection."""


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a collection: its 1-based ``number`` in the file, its properties, and
    either its geometry or the ``error`` that keeps it from having one."""

    number: int
    properties: Mapping[str, object]
    geometry: Geometry | None
    error: str | None = None


def iter_features(document: object) -> Iterator[Feature]:
    """The features of a GeoJSON FeatureCollection, each parsed and checked on its own.

    Raises :class:`FeatureCollectionError` when ``document`` is not a FeatureCollection with a
    non-empty ``features`` array; a bad feature is yielded with its ``error`` instead.
    """
    if not isinstance(document, Mapping):
        raise FeatureCollectionError(
            f"not a GeoJSON FeatureCollection: the document is {_json_type(document)}"
        )
    kind = document.get("type")
    if kind != "FeatureCollection":
        raise FeatureCollectionError(
            f"not a GeoJSON FeatureCollection: its type is {kind!r}"
            + (" (give a collection of features)" if kind in ("Feature", "Polygon") else "")
        )
    features = document.get("features")
    if not _is_array(features):
        raise FeatureCollectionError("the FeatureCollection has no 'features' array")
    if not features:
        raise FeatureCollectionError("the FeatureCollection has no features")
    for number, item in enumerate(features, 1):
        yield _feature(number, item)


def _feature(number: int, item: object) -> Feature:
    if not isinstance(item, Mapping) or item.get("type") != "Feature":
        got = item.get("type") if isinstance(item, Mapping) else _json_type(item)
        return Feature(number, {}, None, f"not a GeoJSON Feature (type {got!r})")
    properties = item.get("properties")
    props: Mapping[str, object] = properties if isinstance(properties, Mapping) else {}
    geometry = item.get("geometry")
    if geometry is None:
        return Feature(number, props, None, "no geometry")
    try:
        return Feature(number, props, parse_geometry(geometry))
    except GeometryError as exc:
        return Feature(number, props, None, f"invalid geometry: {exc}")
