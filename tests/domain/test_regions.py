"""The packaged Kepmendagri 2025 region list (satupintu.domain.regions)."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files

import pytest

from satupintu.domain import regions
from satupintu.domain.regions import Region, load_regions, region_by_code, title_case_name

DEPOK_KECAMATAN = {
    "Pancoran Mas", "Cimanggis", "Sawangan", "Limo", "Sukmajaya", "Beji", "Cipayung", "Cilodong",
    "Cinere", "Tapos", "Bojongsari",
}  # fmt: skip


@pytest.fixture(scope="module")
def depok() -> list[Region]:
    return load_regions("32.76")


def test_depok_has_11_kecamatan_and_63_kelurahan(depok: list[Region]) -> None:
    levels = Counter(r.level for r in depok)
    assert levels == {1: 1, 2: 1, 3: 11, 4: 63}
    assert {r.name for r in depok if r.level == regions.DISTRICT} == DEPOK_KECAMATAN
    # A kota has kelurahan only, no desa.
    assert all(r.is_kelurahan for r in depok if r.level == regions.VILLAGE)


def test_depok_chains_up_to_jawa_barat(depok: list[Region]) -> None:
    by_code = {r.code: r for r in depok}
    assert by_code["32.76"].name == "Kota Depok"
    assert by_code["32"].name == "Jawa Barat"
    assert by_code["32"].parent_code is None
    for region in depok:
        node, hops = region, 0
        while node.parent_code is not None:
            node = by_code[node.parent_code]
            hops += 1
        assert node.code == "32"
        assert hops == region.level - 1


def test_prefix_gives_ancestors_region_and_descendants_only(depok: list[Region]) -> None:
    codes = [r.code for r in depok]
    assert codes[:3] == ["32", "32.76", "32.76.01"]
    assert all(c in ("32", "32.76") or c.startswith("32.76.") for c in codes)
    assert "32.01" not in codes  # a sibling kabupaten
    kecamatan = load_regions("32.76.06")
    assert [r.code for r in kecamatan[:3]] == ["32", "32.76", "32.76.06"]
    assert {r.name for r in kecamatan if r.level == 4} == {
        "Beji", "Kukusan", "Tanah Baru", "Kemiri Muka", "Pondok Cina", "Beji Timur",
    }  # fmt: skip


def test_all_regions_parents_first() -> None:
    everything = load_regions()
    assert len(everything) == 91_599
    assert Counter(r.level for r in everything) == {1: 38, 2: 514, 3: 7285, 4: 83_762}
    seen: set[str] = set()
    for region in everything:
        assert region.parent_code is None or region.parent_code in seen
        assert region.name == region.name.strip()
        seen.add(region.code)
    assert len(seen) == len(everything)


def test_unknown_code() -> None:
    with pytest.raises(LookupError):
        load_regions("32.99")
    with pytest.raises(LookupError):
        region_by_code("99")
    assert region_by_code("32.76.06").name == "Beji"
    assert region_by_code("32.76").level_name == "kabupaten/kota"


def test_load_returns_a_fresh_list() -> None:
    first = load_regions("32.76")
    first.clear()
    assert len(load_regions("32.76")) == 76


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kota Depok", "Kota Depok"),
        ("KOTA DEPOK", "Kota Depok"),
        ("Dama pulo", "Dama Pulo"),
        ("lamuk", "Lamuk"),
        ("KI'E", "Ki'e"),
        ("Lubuk Pakam I,II", "Lubuk Pakam I,II"),
        ("Kuta Buloh II", "Kuta Buloh II"),
        ("Meunasah Alue Drien LB", "Meunasah Alue Drien LB"),
        ("2 x 11 Kayu Tanam", "2 x 11 Kayu Tanam"),
        ("KAMPUNG BARU II", "Kampung Baru II"),
        ("Kota Administrasi Jakarta Utara ", "Kota Administrasi Jakarta Utara"),
        ("", ""),
    ],
)
def test_title_case_name(name: str, expected: str) -> None:
    assert title_case_name(name) == expected


def test_display_name_is_stable_for_every_region() -> None:
    for region in load_regions():
        shown = region.display_name
        assert shown
        assert title_case_name(shown) == shown
        assert shown.lower() == " ".join(region.name.split()).lower()


def test_data_ships_inside_the_package_with_provenance() -> None:
    data = files(regions.DATA_PACKAGE)
    assert data.joinpath(regions.DATA_FILE).read_bytes()[:2] == b"\x1f\x8b"  # gzip
    provenance = data.joinpath("PROVENANCE.txt").read_text(encoding="utf-8")
    assert "cahyadsn/wilayah (MIT)" in provenance
    assert "Kepmendagri No 300.2.2-2138/2025" in provenance
    assert "Permission is hereby granted" in provenance
