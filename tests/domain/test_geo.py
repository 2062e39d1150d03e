"""Boundary polygons (domain/geo.py): validation, geodesic area, bbox, centroid, containment."""

from __future__ import annotations

import gzip
import json
import math
from importlib.resources import files
from typing import Any

import pytest

from satupintu.domain import geo

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def packaged(name: str) -> dict[str, Any]:
    raw = files("satupintu.agencies.data.boundaries").joinpath(name).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    return data


def densified(lon0: float, lat0: float, lon1: float, lat1: float, step: float) -> list[list[float]]:
    """A lon/lat rectangle, counter-clockwise, with a corner every ``step`` degrees along each
    side, so that its great-circle edges follow the parallels closely."""
    nx = max(1, round((lon1 - lon0) / step))
    ny = max(1, round((lat1 - lat0) / step))
    ring = [[lon0 + (lon1 - lon0) * i / nx, lat0] for i in range(nx)]
    ring += [[lon1, lat0 + (lat1 - lat0) * j / ny] for j in range(ny)]
    ring += [[lon1 - (lon1 - lon0) * i / nx, lat1] for i in range(nx)]
    ring += [[lon0, lat1 - (lat1 - lat0) * j / ny] for j in range(ny)]
    return [*ring, ring[0]]


def ellipsoid_quadrangle_km2(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Closed-form area of a lon/lat quadrangle on the WGS84 ellipsoid (bounded by parallels)."""
    a, f = geo.WGS84_A, geo.WGS84_F
    e2 = f * (2 - f)
    e = math.sqrt(e2)
    b2 = (a * (1 - f)) ** 2

    def zone(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return b2 / 2 * math.radians(lon1 - lon0) * (zone(lat1) - zone(lat0)) / 1e6


# --------------------------------------------------------------------------- area


def test_area_of_an_equatorial_degree_cell_matches_the_ellipsoid() -> None:
    cell = geo.parse_geometry(polygon(densified(0, 0, 1, 1, 0.01)))
    expected = ellipsoid_quadrangle_km2(0, 0, 1, 1)
    # The closed form against a plain numerical integration of M·N·cos φ dφ dλ.
    a, e2, steps = geo.WGS84_A, geo.WGS84_F * (2 - geo.WGS84_F), 2000
    integral = 0.0
    for i in range(steps):
        s = math.sin(math.radians((i + 0.5) / steps))
        m, n = a * (1 - e2) / (1 - e2 * s * s) ** 1.5, a / (1 - e2 * s * s) ** 0.5
        integral += m * n * math.sqrt(1 - s * s) * math.radians(1 / steps)
    assert expected == pytest.approx(integral * math.radians(1) / 1e6, rel=1e-9)
    assert expected == pytest.approx(12_308.46, abs=0.01)
    assert geo.area_km2(cell) == pytest.approx(expected, rel=1e-5)


def test_area_of_an_octant_is_an_eighth_of_the_earth() -> None:
    octant = geo.parse_geometry(polygon([[0, 0], [90, 0], [0, 90], [0, 0]]))
    wgs84_surface_km2 = 510_065_621.724  # NIMA TR8350.2
    assert geo.area_km2(octant) == pytest.approx(wgs84_surface_km2 / 8, rel=1e-9)
    clockwise = geo.parse_geometry(polygon([[0, 0], [0, 90], [90, 0], [0, 0]]))
    assert geo.area_km2(clockwise) == pytest.approx(geo.area_km2(octant))


def test_area_of_colorado_within_one_percent_of_the_census_figure() -> None:
    # 37°N–41°N, 102°02′48″W–109°02′48″W; US Census total area 104,094 sq mi = 269,601 km².
    west, east = -(109 + 2 / 60 + 48 / 3600), -(102 + 2 / 60 + 48 / 3600)
    colorado = geo.parse_geometry(polygon(densified(west, 37, east, 41, 0.05)))
    assert geo.area_km2(colorado) == pytest.approx(269_601, rel=0.01)


def test_area_of_a_square_at_depok_latitude_and_of_its_hole() -> None:
    side = 0.01  # about 1.1 km
    outer = [[106.8, -6.4], [106.8 + side, -6.4], [106.8 + side, -6.39], [106.8, -6.39]]
    hole = [[106.803, -6.397], [106.803, -6.393], [106.807, -6.393], [106.807, -6.397]]
    expected = ellipsoid_quadrangle_km2(106.8, -6.4, 106.81, -6.39)
    plain = geo.parse_geometry(polygon([*outer, outer[0]]))
    assert geo.area_km2(plain) == pytest.approx(expected, rel=1e-6)
    holed = geo.parse_geometry(polygon([*outer, outer[0]], [*hole, hole[0]]))
    hole_area = ellipsoid_quadrangle_km2(106.803, -6.397, 106.807, -6.393)
    assert geo.area_km2(holed) == pytest.approx(expected - hole_area, rel=1e-6)


def test_packaged_depok_areas_agree_with_the_utm_figures_of_the_source() -> None:
    total = 0.0
    for feature in geo.iter_features(packaged("depok_kelurahan.geojson.gz")):
        assert feature.error is None, feature.error
        assert feature.geometry is not None
        area = geo.area_km2(feature.geometry)
        # The source's area_km2 was computed in UTM 48S (scale error about 0.02 % here).
        assert area == pytest.approx(feature.properties["area_km2"], rel=0.002)
        total += area
    assert total == pytest.approx(199.906, rel=0.005)  # BPS/Kemendagri figure for 32.76


# --------------------------------------------------------------------------- bbox, centroid


def test_bbox_and_centroid() -> None:
    square = geo.parse_geometry(polygon(SQUARE))
    assert geo.bbox(square) == (0, 0, 1, 1)
    assert geo.centroid(square) == pytest.approx((0.5, 0.5))
    # An L shape: two unit squares side by side and one on top of the left one.
    ell = geo.parse_geometry(polygon([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]))
    assert geo.centroid(ell) == pytest.approx((5 / 6, 5 / 6))
    holed = geo.parse_geometry(
        polygon([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[2, 1], [2, 3], [3, 3], [3, 1], [2, 1]])
    )
    # 16 at (2, 2) minus 2 at (2.5, 2): (32 - 5) / 14.
    assert geo.centroid(holed) == pytest.approx((27 / 14, 2))
    multi = geo.parse_geometry(
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[3, 0], [4, 0], [4, 1], [3, 0]]]]}
    )
    assert geo.bbox(multi) == (0, 0, 4, 1)
    assert len(multi.polygons) == 2


# --------------------------------------------------------------------------- containment


def test_contains_respects_holes_and_boundaries() -> None:
    holed = geo.parse_geometry(
        polygon([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]])
    )
    assert geo.contains(holed, 0.5, 0.5)
    assert not geo.contains(holed, 2, 2)  # in the hole
    assert geo.contains(holed, 1, 2)  # on the hole's edge
    assert geo.contains(holed, 4, 4)  # a corner
    assert geo.contains(holed, 0, 2)  # on the exterior's edge
    assert not geo.contains(holed, 5, 2)
    assert not geo.contains(holed, -0.1, 0)
    multi = geo.parse_geometry(
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[3, 0], [4, 0], [4, 1], [3, 0]]]]}
    )
    assert geo.contains(multi, 3.9, 0.5)
    assert not geo.contains(multi, 3.1, 0.5)
    assert not geo.contains(multi, 2, 0.5)


def test_contains_places_landmarks_in_their_depok_kelurahan() -> None:
    by_code = {
        f.properties["code"]: f.geometry
        for f in geo.iter_features(packaged("depok_kelurahan.geojson.gz"))
    }
    for code, geometry in by_code.items():
        assert geometry is not None
        lon, lat = geo.centroid(geometry)
        homes = [c for c, g in by_code.items() if g is not None and geo.contains(g, lon, lat)]
        if geo.contains(geometry, lon, lat):  # a concave kelurahan may have it outside
            assert homes == [code]
    depok_baru_station = (106.8177, -6.3914)
    homes = [c for c, g in by_code.items() if g and geo.contains(g, *depok_baru_station)]
    assert homes == ["32.76.01.1006"]  # Kelurahan Depok, Pancoran Mas


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ([], "a geometry must be a JSON object, not an array"),
        ({"type": "Point", "coordinates": [106.8, -6.4]}, "'Point' is not Polygon or MultiPolygon"),
        ({"type": "Polygon"}, "has no coordinates"),
        (polygon(), "polygon coordinates must be a non-empty array of rings"),
        ({"type": "MultiPolygon", "coordinates": []}, "a non-empty array of polygons"),
        (polygon([[0, 0], [1, 0], [1, 1], [0, 1]]), "ring 1 is not closed"),
        (polygon([[0, 0], [1, 0], [0, 0]]), "ring 1 has 2 corners; a ring needs at least 3"),
        (polygon([[0, 0], [1, 0], [1, 0], [0, 0]]), "ring 1 has 2 corners"),
        (polygon([[0, 0], [1, "0"], [1, 1], [0, 0]]), "position 2: '0' is not a number"),
        (polygon([[0, 0], [1, True], [1, 1], [0, 0]]), "position 2: True is not a number"),
        (polygon([[0, 0], [1, math.nan], [1, 1], [0, 0]]), "nan is not a finite number"),
        (polygon([[0, 0], [1], [1, 1], [0, 0]]), "position 2: expected [longitude, latitude]"),
        (polygon([[0, 0], [181, 0], [1, 1], [0, 0]]), "longitude 181 is outside [-180, 180]"),
        (
            polygon([[-6.4, 106.8], [-6.4, 106.9], [-6.3, 106.9], [-6.4, 106.8]]),
            "latitude 106.8 is outside [-90, 90] (the position looks like [lat, lon]",
        ),
        (polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), "ring 1 crosses itself near (0.5"),
        (
            polygon([[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]]),
            "ring 1 crosses itself near (1.000000, 0.000000)",
        ),
        (polygon([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]), "ring 1 folds back on itself"),
        (polygon([[0, 0], [1, 0], [2, 0], [0, 0]]), "ring 1 folds back on itself at (0.0"),
        (
            polygon(SQUARE, [[0.5, 0.5], [1.5, 0.5], [1.5, 0.8], [0.5, 0.5]]),
            "rings 1 and 2 cross near",
        ),
        (
            polygon(SQUARE, [[2, 2], [3, 2], [3, 3], [2, 2]]),
            "ring 2 (a hole) lies outside the exterior ring",
        ),
        (
            polygon(
                [[0, 0], [9, 0], [9, 9], [0, 9], [0, 0]],
                [[1, 1], [8, 1], [8, 8], [1, 8], [1, 1]],
                [[2, 2], [3, 2], [3, 3], [2, 2]],
            ),
            "ring 3 (a hole) lies inside ring 2 (a hole)",
        ),
        (
            polygon(SQUARE, [[0, 0], [1, 0], [0.5, 0.5], [0, 0]]),
            "rings 1 and 2 share an edge",
        ),
        (
            {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[0, 0], [1, 1], [1, 0], [0, 1]]]]},
            "polygon 2, ring 1 is not closed",
        ),
    ],
)
def test_invalid_geometries_are_refused_with_the_reason(geometry: Any, message: str) -> None:
    with pytest.raises(geo.GeometryError) as caught:
        geo.parse_geometry(geometry)
    assert message in str(caught.value)


def test_valid_shapes_pass() -> None:
    # A hole touching the exterior at one corner, a third coordinate, a repeated position and a
    # clockwise exterior are all fine.
    geo.parse_geometry(polygon(SQUARE, [[0, 0], [0.5, 0.2], [0.2, 0.5], [0, 0]]))
    geo.parse_geometry(polygon([[0, 0, 10], [1, 0, 10], [1, 0], [1, 1], [0, 0]]))
    clockwise = geo.parse_geometry(polygon(SQUARE[::-1]))
    written = geo.to_geojson(clockwise)
    assert written == {"type": "Polygon", "coordinates": [SQUARE]}  # RFC 7946 winding


def test_rounding_keeps_six_decimals_and_drops_repeats() -> None:
    ring = [[0, 0], [1.0000001, 0], [1.0000002, 0], [1, 1], [0, 1], [0, 0]]
    out = geo.rounded(geo.parse_geometry(polygon(ring)), 6)
    assert out.polygons[0].exterior == ((0, 0), (1.0, 0), (1, 1), (0, 1), (0, 0))
    tiny = [[0, 0], [1e-7, 0], [1e-7, 1e-7], [0, 0]]
    with pytest.raises(geo.GeometryError, match="invalid once rounded to 6 decimals"):
        geo.rounded(geo.parse_geometry(polygon(tiny)), 6)


def test_multipolygon_round_trip() -> None:
    data = {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[3, 0], [4, 0], [4, 1], [3, 0]]]]}
    assert geo.to_geojson(geo.parse_geometry(data)) == data


# --------------------------------------------------------------------------- collections


def test_iter_features_reports_each_bad_feature() -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "a"}, "geometry": polygon(SQUARE)},
            {"type": "Feature", "properties": {"code": "b"}, "geometry": None},
            {"type": "Polygon", "coordinates": []},
            "x",
            {"type": "Feature", "properties": None, "geometry": polygon(SQUARE[:-1])},
        ],
    }
    features = list(geo.iter_features(document))
    assert [f.number for f in features] == [1, 2, 3, 4, 5]
    assert features[0].error is None and features[0].geometry is not None
    assert features[0].properties == {"code": "a"}
    assert features[1].error == "no geometry"
    assert features[2].error == "not a GeoJSON Feature (type 'Polygon')"
    assert features[3].error == "not a GeoJSON Feature (type 'a string')"
    assert features[4].error is not None
    assert features[4].error.startswith("invalid geometry: ring 1 is not closed")
    assert features[4].properties == {}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "the document is an array"),
        ({"type": "Feature"}, "its type is 'Feature' (give a collection of features)"),
        ({"type": "FeatureCollection"}, "has no 'features' array"),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
    ],
)
def test_iter_features_refuses_other_documents(document: Any, message: str) -> None:
    with pytest.raises(geo.FeatureCollectionError) as caught:
        list(geo.iter_features(document))
    assert message in str(caught.value)
