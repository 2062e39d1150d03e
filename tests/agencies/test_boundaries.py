"""Region boundaries and population figures: ``satupintu regions load-boundaries`` and
``load-population``, ``regions show``, and the map's selector."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from satupintu.agencies import boundaries
from satupintu.agencies.models import Region, RegionBoundary, RegionPopulation
from satupintu.agencies.selectors import boundaries_geojson
from satupintu.core import audit
from satupintu.core.models import AuditEntry
from tests.agencies.test_cli import fails, run

KELURAHAN_DEPOK = "32.76.01.1006"
KELURAHAN_BEJI = "32.76.03.1001"


def square(lon: float, lat: float, side: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: Any, geometry: Any = None, **extra: Any) -> dict[str, Any]:
    properties = {"kode": code, **extra} if code is not None else extra
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else square(106.8, -6.4),
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def write(tmp_path: Path, document: Any, name: str = "kel.geojson") -> str:
    path = tmp_path / name
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def depok(db: Any) -> None:
    run("regions", "load", "32.76")


def load(path: str, *extra: str) -> str:
    return run("regions", "load-boundaries", path, "--code-property", "kode", *extra)


def refused(path: str, *extra: str) -> str:
    return fails("regions", "load-boundaries", path, "--code-property", "kode", *extra)


# --------------------------------------------------------------------------- a good file


def test_load_a_file_then_again(depok: None, tmp_path: Path) -> None:
    document = collection(
        feature(KELURAHAN_DEPOK, square(106.81, -6.40)),
        feature("3276031001", square(106.82, -6.37)),  # undotted codes are read too
    )
    path = write(tmp_path, document)
    out = load(path, "--level", "kelurahan", "--source", "Pemkot Depok 2025, CC-BY 4.0")
    assert out == f"{path}: 2 boundaries (2 created, 0 replaced, 0 unchanged)\n"
    depok_kel = RegionBoundary.objects.get(region=KELURAHAN_DEPOK)
    assert depok_kel.source == "Pemkot Depok 2025, CC-BY 4.0"
    assert depok_kel.area_km2 == pytest.approx(1.23, rel=0.01)  # 0.01° × 0.01° here
    assert depok_kel.bbox == pytest.approx([106.81, -6.40, 106.82, -6.39])
    assert depok_kel.centroid == pytest.approx([106.815, -6.395])
    assert depok_kel.geometry["type"] == "Polygon"
    assert RegionBoundary.objects.filter(region=KELURAHAN_BEJI).exists()
    (entry,) = AuditEntry.objects.filter(chain="region:32.76", object_type="regionboundary")
    assert entry.action == "import"
    assert json.loads(entry.changes)["after"] == {
        "source": "Pemkot Depok 2025, CC-BY 4.0",
        "created": 2,
        "replaced": 0,
    }

    again = load(path, "--source", "Pemkot Depok 2025, CC-BY 4.0")
    assert again.endswith("(0 created, 0 replaced, 2 unchanged)\n")
    moved = collection(feature(KELURAHAN_DEPOK, square(106.81, -6.40, 0.02)))
    out = load(write(tmp_path, moved, "moved.geojson"))
    assert out.endswith("1 boundaries (0 created, 1 replaced, 0 unchanged)\n")
    depok_kel = RegionBoundary.objects.get(region=KELURAHAN_DEPOK)
    assert depok_kel.area_km2 == pytest.approx(4.92, rel=0.01)
    assert depok_kel.source == "moved.geojson"  # the file name without --source
    assert RegionBoundary.objects.count() == 2  # Beji kept its boundary
    assert AuditEntry.objects.filter(object_type="regionboundary").count() == 2
    assert audit.verify().ok


def test_coordinates_are_rounded_to_six_decimals(depok: None, tmp_path: Path) -> None:
    ring = [[106.81234567, -6.4], [106.82, -6.4], [106.82, -6.39], [106.81234567, -6.4]]
    path = write(
        tmp_path, collection(feature(KELURAHAN_DEPOK, {"type": "Polygon", "coordinates": [ring]}))
    )
    load(path)
    stored = RegionBoundary.objects.get(region=KELURAHAN_DEPOK).geometry
    assert stored["coordinates"][0][0] == [106.812346, -6.4]


def test_multipolygon_and_gzipped_file(depok: None, tmp_path: Path) -> None:
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(106.8, -6.4)["coordinates"], square(106.9, -6.4)["coordinates"]],
    }
    path = tmp_path / "kec.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(collection(feature("32.76.01", multi))).encode()))
    assert "1 created" in load(str(path), "--level", "kecamatan")
    boundary = RegionBoundary.objects.get(region="32.76.01")
    assert boundary.geometry["type"] == "MultiPolygon"
    assert boundary.area_km2 == pytest.approx(2 * 1.23, rel=0.01)


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "is not JSON: Expecting property name enclosed in double quotes at line 1"),
        ('{"type": "FeatureCollection", "features": [NaN]}', "is not JSON: NaN is not allowed"),
        ("[" * 100_000, "the JSON is nested too deeply"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection: its type is 'Feature'"),
        ([1, 2], "not a GeoJSON FeatureCollection: the document is an array"),
        ({"type": "FeatureCollection", "features": []}, "the FeatureCollection has no features"),
    ],
)
def test_refuses_documents_that_are_not_feature_collections(
    depok: None, tmp_path: Path, document: Any, message: str
) -> None:
    assert message in refused(write(tmp_path, document))
    assert not RegionBoundary.objects.exists()


def test_refuses_every_bad_feature_and_stores_nothing(depok: None, tmp_path: Path) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    open_ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    document = collection(
        feature(KELURAHAN_DEPOK),  # 1: fine
        feature(None, nama="Beji"),  # 2: no code property
        feature("32.76.99.1001"),  # 3: no such region
        feature("33.74.01.1001"),  # 4: a region that is not loaded
        feature("32.76.03.1001", bowtie),  # 5: crosses itself
        feature("32.76.03.1002", open_ring),  # 6: not closed
        feature("32.76.03.1003", {"type": "Point", "coordinates": [106.8, -6.4]}),  # 7
        feature(KELURAHAN_DEPOK),  # 8: again
        feature("Beji"),  # 9: not a code
        feature("32.76.01"),  # 10: a kecamatan, with --level kelurahan
        feature(""),  # 11: empty
    )
    path = write(tmp_path, document)
    message = refused(path, "--level", "kelurahan")
    lines = message.splitlines()
    assert lines[0] == f"{path}: 10 of 11 features are wrong, nothing was stored:"
    assert lines[1:] == [
        "  feature 2: no property 'kode' (its properties: nama)",
        "  feature 3 (32.76.99.1001): unknown region code '32.76.99.1001': "
        "not in the Kepmendagri list",
        "  feature 4 (33.74.01.1001): region 33.74.01.1001 is not loaded: "
        "run `satupintu regions load 33.74`",
        "  feature 5 (32.76.03.1001): invalid geometry: ring 1 crosses itself near "
        "(0.500000, 0.500000) (edges 1 and 3)",
        "  feature 6 (32.76.03.1002): invalid geometry: ring 1 is not closed: its last position "
        "(0.000000, 1.000000) differs from its first (0.000000, 0.000000)",
        "  feature 7 (32.76.03.1003): invalid geometry: geometry type 'Point' is not Polygon "
        "or MultiPolygon",
        f"  feature 8 ({KELURAHAN_DEPOK}): region {KELURAHAN_DEPOK} again (also feature 1)",
        "  feature 9: 'Beji' in property 'kode' is not a Kemendagri region code "
        "(like 32.76.01.1006 or 3276011006)",
        "  feature 10 (32.76.01): region 32.76.01 is a kecamatan, not a desa/kelurahan",
        "  feature 11: property 'kode' is empty",
    ]
    assert not RegionBoundary.objects.exists()
    assert not AuditEntry.objects.filter(object_type="regionboundary").exists()


def test_a_bad_feature_keeps_the_earlier_boundaries(depok: None, tmp_path: Path) -> None:
    load(write(tmp_path, collection(feature(KELURAHAN_DEPOK, square(106.81, -6.40)))))
    before = RegionBoundary.objects.get(region=KELURAHAN_DEPOK).geometry
    bad = collection(feature(KELURAHAN_DEPOK, square(106.9, -6.4)), feature("32.76.99.1001"))
    assert "1 of 2 features are wrong" in refused(write(tmp_path, bad, "bad.geojson"))
    assert RegionBoundary.objects.get(region=KELURAHAN_DEPOK).geometry == before


def test_refuses_wrong_arguments(depok: None, tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature(KELURAHAN_DEPOK)))
    assert "give --code-property NAME" in fails("regions", "load-boundaries", path)
    assert "either FILE.geojson or --packaged" in fails("regions", "load-boundaries")
    assert "either FILE.geojson or --packaged" in fails(
        "regions", "load-boundaries", path, "--packaged", "32.76"
    )
    assert "no packaged boundaries for '33.74'; packaged: 32.76" in fails(
        "regions", "load-boundaries", "--packaged", "33.74"
    )
    assert "--packaged takes no --code-property" in fails(
        "regions", "load-boundaries", "--packaged", "32.76", "--level", "kelurahan"
    )
    assert "cannot read" in refused(str(tmp_path / "missing.geojson"))
    latin = tmp_path / "latin.geojson"
    latin.write_bytes('{"name": "Bantèn"}'.encode("latin-1"))
    assert "is not UTF-8 text" in refused(str(latin))
    assert not RegionBoundary.objects.exists()


# --------------------------------------------------------------------------- packaged


def test_packaged_depok_boundaries(depok: None, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = boundaries._chunks
    monkeypatch.setattr(boundaries, "_chunks", lambda codes: chunks(codes, 7))  # a long IN
    out = run("regions", "load-boundaries", "--packaged", "32.76")
    assert out.splitlines() == [
        "depok_kecamatan.geojson.gz: 11 boundaries (11 created, 0 replaced, 0 unchanged)",
        "depok_kelurahan.geojson.gz: 63 boundaries (63 created, 0 replaced, 0 unchanged)",
    ]
    kelurahan = RegionBoundary.objects.filter(region__level=Region.Level.VILLAGE)
    kecamatan = RegionBoundary.objects.filter(region__level=Region.Level.DISTRICT)
    assert (kelurahan.count(), kecamatan.count()) == (63, 11)
    total_kel = sum(kelurahan.values_list("area_km2", flat=True))
    total_kec = sum(kecamatan.values_list("area_km2", flat=True))
    assert total_kel == pytest.approx(199.9, rel=0.02)  # Kota Depok: 199.91 km²
    assert total_kec == pytest.approx(total_kel, rel=1e-3)
    areas = list(kelurahan.values_list("area_km2", flat=True))
    assert 0.5 < min(areas) and max(areas) < 15
    depok_kel = RegionBoundary.objects.get(region=KELURAHAN_DEPOK)
    assert depok_kel.area_km2 == pytest.approx(3.68, rel=0.01)
    assert "MIT License" in depok_kel.source and "Cahya DSN" in depok_kel.source
    lon, lat = depok_kel.centroid
    assert 106.7 < lon < 106.95 and -6.5 < lat < -6.3

    again = run("regions", "load-boundaries", "--packaged", "32.76.")
    assert "(0 created, 0 replaced, 63 unchanged)" in again
    assert RegionBoundary.objects.count() == 74
    assert audit.verify().ok


def test_packaged_needs_the_regions(db: Any) -> None:
    message = fails("regions", "load-boundaries", "--packaged", "32.76")
    assert "depok_kecamatan.geojson.gz: 11 of 11 features are wrong" in message
    assert "run `satupintu regions load 32.76`" in message
    assert not RegionBoundary.objects.exists()


# --------------------------------------------------------------------------- population


POPULATION_HEADER = "code,population,year,source\n"


def test_load_population_then_show(depok: None, tmp_path: Path) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text(
        POPULATION_HEADER
        + f"{KELURAHAN_DEPOK},51234,2024,Dukcapil Depok 2024\n"
        + f"{KELURAHAN_DEPOK},52000,2025,\n"
        + "\n"
        + "3276031001,40100,2025,\n",
        encoding="utf-8",
    )
    out = run("regions", "load-population", str(path))
    assert out == f"{path}: 3 rows (3 created, 0 updated, 0 unchanged)\n"
    latest = RegionPopulation.objects.get(region=KELURAHAN_DEPOK, year=2025)
    assert (latest.population, latest.source) == (52000, "penduduk.csv")
    assert RegionPopulation.objects.get(year=2024).source == "Dukcapil Depok 2024"
    (entry,) = AuditEntry.objects.filter(object_type="regionpopulation")
    assert entry.chain == "region:32.76"

    path.write_text(
        "code;population;year\n"  # semicolons, as Indonesian spreadsheets save
        f"{KELURAHAN_DEPOK};52500;2025\n"
        f"{KELURAHAN_BEJI};40100;2025\n",
        encoding="utf-8",
    )
    again = run("regions", "load-population", str(path), "--source", "BPS")
    assert again.endswith("2 rows (0 created, 2 updated, 0 unchanged)\n")
    assert RegionPopulation.objects.get(region=KELURAHAN_DEPOK, year=2025).population == 52500
    assert RegionPopulation.objects.count() == 3

    run("regions", "load-boundaries", "--packaged", "32.76")
    shown = run("regions", "show", KELURAHAN_DEPOK).splitlines()
    assert shown[0] == f"{KELURAHAN_DEPOK}  Depok  (desa/kelurahan)"
    assert shown[2].startswith("boundary: 3.6")
    assert shown[2].endswith(f"km² ({boundaries.DEPOK_SOURCE})")
    assert shown[3] == "population: 52,500 (2025, BPS)"
    assert audit.verify().ok


def test_load_population_reports_every_bad_line(depok: None, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        POPULATION_HEADER
        + f"{KELURAHAN_DEPOK},51234,2024,\n"  # line 2: fine
        + f"{KELURAHAN_DEPOK},51.234,2024,\n"  # line 3: separator, and again
        + "32.76.99.1001,100,2024,\n"  # line 4: unknown code
        + "33.74.01.1001,100,2024,\n"  # line 5: not loaded
        + f"{KELURAHAN_BEJI},-5,20x4,\n"  # line 6
        + ",100,2024,\n"  # line 7: no code
        + f"{KELURAHAN_BEJI},100,1850\n"  # line 8: three fields, too early
        + "Beji,100,2024,\n",  # line 9
        encoding="utf-8",
    )
    message = fails("regions", "load-population", str(path))
    lines = message.splitlines()
    latest = timezone.localdate().year + 1
    assert lines[0] == f"{path}: 7 of 8 rows are wrong, nothing was stored:"
    assert lines[1:] == [
        "  line 3: population '51.234' is not a whole number (write it without separators, "
        "e.g. 12345)",
        "  line 4: unknown region code '32.76.99.1001': not in the Kepmendagri list",
        "  line 5: region 33.74.01.1001 is not loaded: run `satupintu regions load 33.74`",
        "  line 6: population '-5' is not a whole number (write it without separators, e.g. "
        "12345); year '20x4' is not a year from 1900 to "
        f"{latest}",
        "  line 7: code is empty",
        f"  line 8: expected 4 fields, found 3; year '1850' is not a year from 1900 to {latest}",
        "  line 9: code 'Beji' is not a Kemendagri region code (like 32.76.01.1006)",
    ]
    assert not RegionPopulation.objects.exists()

    dup = tmp_path / "dup.csv"
    dup.write_text(
        POPULATION_HEADER + f"{KELURAHAN_DEPOK},1,2024,\n{KELURAHAN_DEPOK},2,2024,\n",
        encoding="utf-8",
    )
    assert f"line 3: {KELURAHAN_DEPOK} 2024 again (also line 2)" in fails(
        "regions", "load-population", str(dup)
    )
    assert not RegionPopulation.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: expected a header row code,population,year,source"),
        ("kode,jumlah,tahun\n", "line 1 (header): unknown column(s) 'kode', 'jumlah', 'tahun'"),
        ("code,year\n", "line 1 (header): missing column(s) population"),
        ("code,population,year\n", "has a header but no rows"),
        ('code,population,year\n"32.76,1,2024\n', "not valid CSV"),
    ],
)
def test_load_population_file_problems(
    depok: None, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    assert message in fails("regions", "load-population", str(path))
    assert "cannot read" in fails("regions", "load-population", str(tmp_path / "nope.csv"))
    assert not RegionPopulation.objects.exists()


# --------------------------------------------------------------------------- selector


def test_boundaries_geojson_for_the_map(depok: None, tmp_path: Path) -> None:
    assert boundaries_geojson("32.76", Region.Level.VILLAGE) == {
        "type": "FeatureCollection",
        "features": [],
    }
    run("regions", "load-boundaries", "--packaged", "32.76")
    kelurahan = boundaries_geojson("32.76", Region.Level.VILLAGE)
    assert kelurahan["type"] == "FeatureCollection"
    assert len(kelurahan["features"]) == 63
    codes = [f["properties"]["code"] for f in kelurahan["features"]]
    assert codes == sorted(codes)
    first = kelurahan["features"][0]
    assert first["id"] == first["properties"]["code"] == KELURAHAN_DEPOK
    assert first["properties"] == {
        "code": KELURAHAN_DEPOK,
        "name": first["properties"]["name"],
        "area_km2": first["properties"]["area_km2"],
        "population": None,
        "population_year": None,
    }
    assert first["geometry"]["type"] == "Polygon"
    assert len(boundaries_geojson("32.76", Region.Level.DISTRICT)["features"]) == 11
    assert len(boundaries_geojson("32.76.01", Region.Level.VILLAGE)["features"]) == 6

    # Cached: two small queries tell nothing changed.
    with CaptureQueriesContext(connection) as queries:
        assert boundaries_geojson("32.76", Region.Level.VILLAGE) is kelurahan
    assert len(queries) == 2

    path = tmp_path / "p.csv"
    path.write_text(f"code,population,year\n{KELURAHAN_DEPOK},51234,2024\n", encoding="utf-8")
    run("regions", "load-population", str(path))
    fresh = boundaries_geojson("32.76", Region.Level.VILLAGE)
    by_code = {f["properties"]["code"]: f["properties"] for f in fresh["features"]}
    assert by_code[KELURAHAN_DEPOK]["population"] == 51234
    assert by_code[KELURAHAN_DEPOK]["population_year"] == 2024
    assert by_code[KELURAHAN_DEPOK]["name"] == "Depok"
    assert by_code[KELURAHAN_DEPOK]["area_km2"] == pytest.approx(3.68, rel=0.01)
    assert sum(p["area_km2"] for p in by_code.values()) == pytest.approx(199.9, rel=0.01)


def test_the_demo_seed_loads_the_packaged_boundaries(db: Any) -> None:
    from satupintu.demo import seed

    seed.seed_master()
    assert RegionBoundary.objects.filter(region__level=Region.Level.VILLAGE).count() == 63
    assert RegionBoundary.objects.filter(region__level=Region.Level.DISTRICT).count() == 11
    assert audit.verify().ok
