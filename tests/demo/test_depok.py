"""The demo Pemda's plain data (satupintu.demo.depok) is complete and consistent."""

from __future__ import annotations

import random
import re
from collections import Counter

from satupintu.demo import depok
from satupintu.domain.regions import DISTRICT, load_regions

SLUG = re.compile(r"^[-A-Za-z0-9_]+$")  # Django SlugField


def test_sizes() -> None:
    assert len(depok.OPDS) >= 24
    assert len(depok.EXTERNAL_AGENCIES) >= 8
    assert len(depok.CATEGORIES) >= 40
    assert len(depok.KECAMATAN_OFFICES) == 11
    assert any(
        u.parent_code == "DINKES" and u.name.startswith("UPTD Puskesmas") for u in depok.UNITS
    )
    assert any(u.parent_code == "DLHK" for u in depok.UNITS)


def test_agency_codes_unique_slugs_and_parents_first() -> None:
    codes = [a.code for a in depok.AGENCIES]
    assert len(codes) == len(set(codes))
    seen: set[str] = set()
    for agency in depok.AGENCIES:
        assert SLUG.match(agency.code) and len(agency.code) <= 32
        assert len(agency.name) <= 200 and len(agency.short_name) <= 40
        assert agency.parent_code is None or agency.parent_code in seen
        seen.add(agency.code)
    assert depok.AGENCIES[0] is depok.PEMDA
    assert depok.PEMDA.code == depok.PEMDA_CODE
    assert depok.PEMDA.region_code == depok.REGION_CODE == "32.76"


def test_internal_agencies_hang_off_the_pemda() -> None:
    for agency in (*depok.OPDS, *depok.KECAMATAN_OFFICES):
        assert agency.parent_code == depok.PEMDA_CODE
        assert not agency.is_external
    for unit in depok.UNITS:
        assert depok.AGENCY_BY_CODE[unit.parent_code or ""].kind == "opd"


def test_brief_opds_present() -> None:
    required = """DINKES DISDIK DPUPR DISHUB DLHK DISDUKCAPIL DPMPTSP SATPOLPP DINSOS DISKOMINFO
    DISRUMKIM DAMKAR BPBD DISNAKER DKP3 DKUM DISDAGIN DISPORYATA DP3AP2KB BAPENDA BKPSDM BAPPEDA
    INSPEKTORAT RSUD""".split()
    missing = [code for code in required if code not in depok.AGENCY_BY_CODE]
    assert not missing
    assert depok.AGENCY_BY_CODE["DLHK"].name == "Dinas Lingkungan Hidup dan Kebersihan"
    assert depok.AGENCY_BY_CODE["DAMKAR"].name == "Dinas Pemadam Kebakaran dan Penyelamatan"


def test_external_agencies_and_their_kinds() -> None:
    kinds = {a.code: a.kind for a in depok.EXTERNAL_AGENCIES}
    assert {
        "PROV-JABAR": "provinsi",
        "PLN": "bumn",
        "BPJS-KES": "vertikal",
        "BPN": "vertikal",
        "POLRES": "polri",
        "PDAM": "bumd",
        "BBWS-CC": "kementerian",
        "KCI": "bumn",
    }.items() <= kinds.items()
    for agency in depok.EXTERNAL_AGENCIES:
        assert agency.is_external
        assert agency.kind in depok.EXTERNAL_KINDS
        assert agency.parent_code is None


def test_kecamatan_offices_match_the_region_data() -> None:
    kecamatan = {r.code: r.name for r in load_regions("32.76") if r.level == DISTRICT}
    offices = {a.region_code: a.name for a in depok.KECAMATAN_OFFICES}
    assert offices == {code: f"Kecamatan {name}" for code, name in kecamatan.items()}
    assert {d.code: d.name for d in depok.DISTRICTS} == kecamatan


def test_categories_valid_and_routed_to_existing_agencies() -> None:
    codes = [c.code for c in depok.CATEGORIES]
    assert len(codes) == len(set(codes))
    for cat in depok.CATEGORIES:
        assert SLUG.match(cat.code) and len(cat.code) <= 40
        assert len(cat.name) <= 120
        assert cat.report_type in depok.REPORT_TYPES
        assert cat.agency_code in depok.AGENCY_BY_CODE, cat.code
        assert cat.topic and cat.keywords and all(cat.keywords)
        if cat.deadline_days is None:
            assert cat.completion_days == depok.DEFAULT_COMPLETION_DAYS[cat.report_type]
        else:
            assert 1 <= cat.completion_days <= 60
    assert set(depok.DEFAULT_COMPLETION_DAYS.values()) == {5, 14, 60}  # domain.md §1.6


def test_brief_routing_examples() -> None:
    by_code = depok.CATEGORY_BY_CODE
    expected = {
        "jalan_rusak": "DPUPR", "banjir_drainase": "DPUPR", "sampah": "DLHK",
        "ktp_kk": "DISDUKCAPIL", "perizinan": "DPMPTSP", "puskesmas": "DINKES", "ppdb": "DISDIK",
        "pju": "DISHUB", "parkir_liar": "DISHUB", "pkl": "SATPOLPP", "bansos": "DINSOS",
        "listrik": "PLN", "bpjs_kesehatan": "BPJS-KES", "sertifikat_tanah": "BPN",
        "air_pdam": "PDAM", "pungli": "INSPEKTORAT",
    }  # fmt: skip
    assert {code: by_code[code].agency_code for code in expected} == expected
    assert by_code["pungli"].report_type == "pengaduan_pengawasan"
    assert by_code["pungli"].completion_days == 60
    assert by_code["jalan_rusak"].completion_days == 14
    assert Counter(c.report_type for c in depok.CATEGORIES).keys() == set(depok.REPORT_TYPES)
    assert any(depok.AGENCY_BY_CODE[c.agency_code].is_external for c in depok.CATEGORIES)


def test_officers() -> None:
    usernames = [o.username for o in depok.OFFICERS]
    assert len(usernames) == len(set(usernames))
    assert len({o.name for o in depok.OFFICERS}) == len(depok.OFFICERS)
    grants = [(g.role, g.agency_code) for o in depok.OFFICERS for g in o.roles]
    for officer in depok.OFFICERS:
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)?", officer.username)
        assert officer.username == depok.username_for(officer.name)
        assert officer.email.endswith("@" + depok.EMAIL_DOMAIN)
        assert officer.agency_code in depok.AGENCY_BY_CODE
        assert officer.roles
        for grant in officer.roles:
            assert grant.role in depok.ROLES
            assert grant.agency_code in depok.AGENCY_BY_CODE
            assert not depok.AGENCY_BY_CODE[grant.agency_code].is_external
    per_role = Counter(role for role, _ in grants)
    assert grants.count(("verifier", depok.PEMDA_CODE)) >= 2
    assert per_role["leader"] == 2 and per_role["evaluator"] == 1 and per_role["sysadmin"] == 1
    # One liaison and one head for every internal agency that receives reports by default.
    handling = {c.agency_code for c in depok.CATEGORIES}
    for code in handling - {a.code for a in depok.EXTERNAL_AGENCIES}:
        assert grants.count(("liaison", code)) == 1, code
        assert grants.count(("agency_head", code)) == 1, code
    # Someone holds roles in two agencies.
    assert any(len({g.agency_code for g in o.roles}) >= 2 for o in depok.OFFICERS)


def test_geography() -> None:
    south, west, north, east = depok.CITY_BOUNDS
    assert south < depok.CITY_CENTRE[0] < north and west < depok.CITY_CENTRE[1] < east
    for district in depok.DISTRICTS:
        assert south < district.lat < north and west < district.lon < east
        assert len(district.streets) >= 4 and district.landmarks
        assert all(s.startswith(("Jl. ", "Gg. ")) for s in district.streets)
    wanted = """Jl. Margonda Raya|Jl. Raya Sawangan|Jl. Juanda|Jl. Nusantara|Jl. Tole Iskandar|
    Jl. Raya Bogor|Jl. Siliwangi|Jl. Cinere Raya|Jl. Raya Citayam|Jl. Arif Rahman Hakim|
    Jl. Akses UI|Jl. Raya Kartini|Jl. Raya Muchtar|Jl. Pitara|Jl. Raya Krukut"""
    assert {s.strip() for s in wanted.split("|")} <= set(depok.STREETS)
    assert len(depok.LOCAL_STREETS) >= 10


def test_jitter_point_stays_in_the_city_and_is_deterministic() -> None:
    rng = random.Random(5)
    points = [depok.jitter_point(rng, d) for d in depok.DISTRICTS for _ in range(200)]
    points += [depok.jitter_point(rng) for _ in range(200)]
    south, west, north, east = depok.CITY_BOUNDS
    assert all(south <= lat <= north and west <= lon <= east for lat, lon in points)
    assert len(set(points)) > 2000
    again = random.Random(5)
    assert depok.jitter_point(again, depok.DISTRICTS[0]) == points[0]


def test_field_teams_and_name_groups() -> None:
    assert set(depok.FIELD_TEAMS) <= set(depok.AGENCY_BY_CODE)
    assert all(teams and all(teams) for teams in depok.FIELD_TEAMS.values())
    origins = {g.origin for g in depok.NAME_GROUPS}
    assert {"Sunda", "Jawa", "Betawi", "Batak", "Minang"} <= origins
    for group in depok.NAME_GROUPS:
        assert group.weight > 0
        assert group.male and group.female and group.male_surnames and group.female_surnames


def test_demo_categories_ask_questions_of_every_datatype() -> None:
    datatypes = {row[3] for row in depok.CATEGORY_ATTRIBUTES}
    assert datatypes == {
        "string",
        "text",
        "number",
        "datetime",
        "singlevaluelist",
        "multivaluelist",
    }
    for code, _attr, _label, datatype, _required, choices in depok.CATEGORY_ATTRIBUTES:
        assert code in depok.CATEGORY_BY_CODE
        assert bool(choices) == datatype.endswith("valuelist")
