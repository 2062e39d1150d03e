"""Region boundaries and population figures: reading, checking and storing them.

``satupintu regions load-boundaries`` and ``load-population`` (and the demo seed) call
:func:`boundaries_load` and :func:`population_load` here. A file is checked in full before
anything is written: :class:`ImportProblem` carries every wrong feature or line, and then
nothing is stored. Loading is idempotent: a region's boundary (or its population for a year)
is replaced by the new one, and an unchanged one is left alone.

Each load that changes something is audited as one ``import`` entry per kabupaten/kota on its
chain ``region:<code>`` (as ``regions load`` does), with the source and the counts.

The packaged boundaries (``satupintu/agencies/data/boundaries/``, see ``PROVENANCE.txt`` in
``data/``) are read from the installed package only.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from satupintu.agencies.models import Region, RegionBoundary, RegionPopulation
from satupintu.core import audit
from satupintu.domain import geo
from satupintu.domain import regions as packaged

DIGITS: Final = 6  # decimals kept of each coordinate (about 0.1 m)
MAX_LISTED: Final = 50  # wrong features or lines listed in one message

#: ``--level`` names → Region.Level.
LEVELS: Final[dict[str, int]] = {
    "provinsi": Region.Level.PROVINCE,
    "kabupaten": Region.Level.REGENCY,
    "kota": Region.Level.REGENCY,
    "kecamatan": Region.Level.DISTRICT,
    "kelurahan": Region.Level.VILLAGE,
    "desa": Region.Level.VILLAGE,
}

BOUNDARIES_PACKAGE: Final = "satupintu.agencies.data.boundaries"
DEPOK_SOURCE: Final = (
    "cahyadsn/wilayah_boundaries (polygons of 2024-11-30), MIT License, "
    "(c) 2024–2025 Cahya DSN; coverage cleaned"
)


@dataclass(frozen=True, slots=True)
class PackagedFile:
    name: str
    level: int
    code_property: str = "code"


#: Boundaries shipped with the package, by the kabupaten/kota they cover.
PACKAGED: Final[dict[str, tuple[tuple[PackagedFile, ...], str]]] = {
    "32.76": (
        (
            PackagedFile("depok_kecamatan.geojson.gz", Region.Level.DISTRICT),
            PackagedFile("depok_kelurahan.geojson.gz", Region.Level.VILLAGE),
        ),
        DEPOK_SOURCE,
    ),
}


class ImportProblem(Exception):
    """A file that is refused as a whole; ``str()`` is the message (one line per problem)."""


@dataclass
class Outcome:
    """Region codes by what the load did to them."""

    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.replaced) + len(self.unchanged)

    def counts(self, replaced: str = "replaced") -> str:
        return (
            f"{len(self.created)} created, {len(self.replaced)} {replaced}, "
            f"{len(self.unchanged)} unchanged"
        )


@dataclass(frozen=True, slots=True)
class CheckedBoundary:
    code: str
    geometry: geo.Geometry


# --------------------------------------------------------------------------- codes


_DOTTED = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_UNDOTTED_LENGTHS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


def normalise_code(value: object) -> str | None:
    """A Kemendagri code ``32.76.01.1006`` from its dotted or undotted (``3276011006``) form, or
    None when ``value`` is neither."""
    if isinstance(value, bool):
        return None
    text = str(value).strip().rstrip(".") if isinstance(value, str | int) else ""
    if _DOTTED.fullmatch(text):
        return text
    if text.isdigit() and text.isascii() and len(text) in _UNDOTTED_LENGTHS:
        parts, start = [], 0
        for width in _UNDOTTED_LENGTHS[len(text)]:
            parts.append(text[start : start + width])
            start += width
        return ".".join(parts)
    return None


def _chunks(codes: list[str], size: int = 900) -> list[list[str]]:
    """``codes`` in lists short enough for one ``IN (...)`` on every database."""
    return [codes[i : i + size] for i in range(0, len(codes), size)]


def _kabkota(code: str) -> str:
    """The kabupaten/kota of a code (``32.76`` for ``32.76.01.1006``; ``32`` for ``32``)."""
    return ".".join(code.split("/")[0].split(".")[:2])


def _not_loaded_hint(code: str) -> str:
    """Why a code is not a loaded region, and what to run."""
    try:
        packaged.region_by_code(code)
    except LookupError:
        return f"unknown region code {code!r}: not in the Kepmendagri list"
    return f"region {code} is not loaded: run `satupintu regions load {_kabkota(code)}`"


def _listing(problems: list[tuple[int, str]], what: str) -> str:
    problems.sort()
    lines = [f"  {what} {n}: {message}" for n, message in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  ... and {len(problems) - MAX_LISTED} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- boundaries: read


def read_geojson(path: Path) -> object:
    """The parsed JSON of ``path`` (gzip-compressed when its name ends in ``.gz``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ImportProblem(f"{path}: not a gzip file ({exc})") from None
    return parse_json(raw, str(path))


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in JSON")


def parse_json(raw: bytes, name: str) -> object:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{name} is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{name} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except ValueError as exc:
        raise ImportProblem(f"{name} is not JSON: {exc}") from None
    except RecursionError:
        raise ImportProblem(f"{name}: the JSON is nested too deeply") from None


def check_features(
    document: object, *, name: str, code_property: str, level: int | None = None
) -> list[CheckedBoundary]:
    """Every feature of a FeatureCollection, checked; :class:`ImportProblem` lists the wrong
    ones (feature numbers count from 1, in file order)."""
    try:
        features = list(geo.iter_features(document))
    except geo.FeatureCollectionError as exc:
        raise ImportProblem(f"{name}: {exc}") from None
    problems: list[tuple[int, str]] = []
    labels: dict[int, str] = {}
    wanted: list[tuple[int, str, geo.Geometry]] = []
    first_seen: dict[str, int] = {}
    for feature in features:
        number = feature.number
        code, problem = _feature_code(feature.properties, code_property)
        if code is None:
            problems.append((number, problem))
        else:
            labels[number] = f"{number} ({code})"
            if code in first_seen:
                problems.append((number, f"region {code} again (also feature {first_seen[code]})"))
            else:
                first_seen[code] = number
        if feature.error is not None:
            problems.append((number, feature.error))
            continue
        if code is None or feature.geometry is None:
            continue
        try:
            geometry = geo.rounded(feature.geometry, DIGITS)
        except geo.GeometryError as exc:
            problems.append((number, f"invalid geometry: {exc}"))
            continue
        wanted.append((number, code, geometry))
    regions = {
        code: region_level
        for chunk in _chunks([code for _, code, _ in wanted])
        for code, region_level in Region.objects.filter(code__in=chunk).values_list("code", "level")
    }
    for number, code, _ in wanted:
        if code not in regions:
            problems.append((number, _not_loaded_hint(code)))
        elif level is not None and regions[code] != level:
            have = packaged.LEVEL_NAMES[regions[code]]
            problems.append((number, f"region {code} is a {have}, not a {_level_name(level)}"))
    if problems:
        raise ImportProblem(_problem_message(name, problems, labels, len(features)))
    return [CheckedBoundary(code, geometry) for _, code, geometry in wanted]


def _problem_message(
    name: str, problems: list[tuple[int, str]], labels: dict[int, str], total: int
) -> str:
    """One header line, then one line per wrong feature (its problems joined by "; ")."""
    merged: dict[int, list[str]] = defaultdict(list)
    for number, message in problems:
        merged[number].append(message)
    lines = [
        f"  feature {labels.get(number, number)}: {'; '.join(merged[number])}"
        for number in sorted(merged)
    ]
    if len(lines) > MAX_LISTED:
        lines[MAX_LISTED:] = [f"  ... and {len(lines) - MAX_LISTED} more"]
    return (
        f"{name}: {len(merged)} of {total} features are wrong, nothing was stored:\n"
        + "\n".join(lines)
    )


def _level_name(level: int) -> str:
    return packaged.LEVEL_NAMES[level]


def _feature_code(properties: Mapping[str, object], code_property: str) -> tuple[str | None, str]:
    """The feature's region code, or None and what is wrong with it."""
    if code_property not in properties:
        present = ", ".join(sorted(properties)[:8]) or "none"
        return None, f"no property {code_property!r} (its properties: {present})"
    value = properties[code_property]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, f"property {code_property!r} is empty"
    code = normalise_code(value)
    if code is None:
        return None, (
            f"{value!r} in property {code_property!r} is not a Kemendagri region code "
            "(like 32.76.01.1006 or 3276011006)"
        )
    return code, ""


# --------------------------------------------------------------------------- boundaries: write


def _stored(item: CheckedBoundary, source: str, now: dt.datetime) -> RegionBoundary:
    area = round(geo.area_km2(item.geometry), 6)
    lon, lat = geo.centroid(item.geometry)
    return RegionBoundary(
        region_id=item.code,
        geometry=geo.to_geojson(item.geometry),
        area_km2=area,
        bbox=list(geo.bbox(item.geometry)),
        centroid=[round(lon, DIGITS), round(lat, DIGITS)],
        source=source[:300],
        loaded_at=now,
    )


def boundaries_load(*, actor: Any, items: Iterable[CheckedBoundary], source: str) -> Outcome:
    """Store checked boundaries, replacing a region's earlier one; in one transaction."""
    now = timezone.now()
    rows = [_stored(item, source, now) for item in items]
    outcome = Outcome()
    with transaction.atomic():
        existing = {
            b.region_id: b
            for chunk in _chunks([r.region_id for r in rows])
            for b in RegionBoundary.objects.select_for_update().filter(region_id__in=chunk)
        }
        changed: list[RegionBoundary] = []
        for row in rows:
            have = existing.get(row.region_id)
            if have is None:
                outcome.created.append(row.region_id)
                changed.append(row)
            elif (have.geometry, have.source) != (row.geometry, row.source):
                outcome.replaced.append(row.region_id)
                changed.append(row)
            else:
                outcome.unchanged.append(row.region_id)
        for chunk in _chunks(outcome.replaced):
            RegionBoundary.objects.filter(region_id__in=chunk).delete()
        RegionBoundary.objects.bulk_create(changed)
        _audit(actor, "regionboundary", outcome, source, replaced="replaced")
    return outcome


def _audit(actor: Any, object_type: str, outcome: Outcome, source: str, *, replaced: str) -> None:
    groups: dict[str, dict[str, int]] = defaultdict(lambda: {"created": 0, replaced: 0})
    for code in outcome.created:
        groups[_kabkota(code)]["created"] += 1
    for code in outcome.replaced:
        groups[_kabkota(code)][replaced] += 1
    for root, counts in sorted(groups.items()):
        audit.record(
            chain=f"region:{root}",
            actor=actor,
            action="import",
            object_type=object_type,
            object_id=root,
            after={"source": source, **counts},
        )


def packaged_codes() -> list[str]:
    return sorted(PACKAGED)


def load_packaged(code: str, *, actor: Any) -> list[tuple[PackagedFile, Outcome]]:
    """Load the packaged boundaries of the kabupaten/kota ``code`` (all files in one
    transaction). ``LookupError`` when none are packaged; :class:`ImportProblem` when the
    regions are not loaded."""
    try:
        packaged_files, source = PACKAGED[code]
    except KeyError:
        raise LookupError(code) from None
    checked = []
    for item in packaged_files:
        raw = files(BOUNDARIES_PACKAGE).joinpath(item.name).read_bytes()
        document = parse_json(gzip.decompress(raw), item.name)
        checked.append(
            (
                item,
                check_features(
                    document, name=item.name, code_property=item.code_property, level=item.level
                ),
            )
        )
    with transaction.atomic():
        return [
            (item, boundaries_load(actor=actor, items=boundaries, source=source))
            for item, boundaries in checked
        ]


# --------------------------------------------------------------------------- population

POPULATION_COLUMNS: Final = ("code", "population", "year", "source")
POPULATION_REQUIRED: Final = ("code", "population", "year")
EARLIEST_YEAR: Final = 1900


@dataclass(frozen=True, slots=True)
class PopulationRow:
    line: int
    code: str
    year: int
    population: int
    source: str


def read_population_csv(path: Path) -> list[PopulationRow]:
    """Read and check a population CSV (see docs/boundaries.md for its shape); every wrong
    line is reported at once in :class:`ImportProblem`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as “CSV UTF-8”"
        ) from None
    except OSError as exc:
        raise ImportProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    raw_rows: list[tuple[int, dict[str, str], str]] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = [cell.lower() for cell in cells]
                _check_population_header(header)
                continue
            problem = (
                f"expected {len(header)} fields, found {len(cells)}"
                if len(cells) != len(header)
                else ""
            )
            raw_rows.append((start, dict(zip(header, cells, strict=False)), problem))
    except csv.Error as exc:
        raise ImportProblem(f"{path}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportProblem(
            f"{path} is empty: expected a header row {','.join(POPULATION_COLUMNS)}"
        )
    if not raw_rows:
        raise ImportProblem(f"{path} has a header but no rows")
    return _check_population_rows(path, raw_rows)


def _check_population_header(header: list[str]) -> None:
    unknown = [c for c in header if c not in POPULATION_COLUMNS]
    missing = [c for c in POPULATION_REQUIRED if c not in header]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(c) for c in unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if repeated:
        problems.append(f"repeated column(s) {', '.join(repeated)}")
    if problems:
        raise ImportProblem(
            f"line 1 (header): {'; '.join(problems)}; "
            f"expected the columns {','.join(POPULATION_REQUIRED)}[,source]"
        )


def _whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _check_population_rows(
    path: Path, raw_rows: list[tuple[int, dict[str, str], str]]
) -> list[PopulationRow]:
    this_year = timezone.localdate().year
    problems: list[tuple[int, str]] = []
    rows: list[PopulationRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, values, shape_problem in raw_rows:
        errors = [shape_problem] if shape_problem else []
        raw_code = values.get("code", "")
        code = normalise_code(raw_code) if raw_code else None
        if not raw_code:
            errors.append("code is empty")
        elif code is None:
            errors.append(f"code {raw_code!r} is not a Kemendagri region code (like 32.76.01.1006)")
        raw_population = values.get("population", "")
        population = _whole(raw_population)
        if population is None:
            hint = " (write it without separators, e.g. 12345)" if raw_population else ""
            errors.append(f"population {raw_population!r} is not a whole number{hint}")
        elif population > 2_000_000_000:
            errors.append(f"population {population} is too large")
        raw_year = values.get("year", "")
        year = _whole(raw_year)
        if year is None or not EARLIEST_YEAR <= year <= this_year + 1:
            errors.append(
                f"year {raw_year!r} is not a year from {EARLIEST_YEAR} to {this_year + 1}"
            )
        if code is not None and year is not None and not errors:
            if (code, year) in seen:
                errors.append(f"{code} {year} again (also line {seen[code, year]})")
            else:
                seen[code, year] = line
        source = values.get("source", "")
        if len(source) > 300:
            errors.append("source is longer than 300 characters")
        if errors:
            problems.append((line, "; ".join(errors)))
            continue
        assert code is not None and year is not None and population is not None  # noqa: S101
        rows.append(PopulationRow(line, code, year, population, source))
    loaded = {
        code
        for chunk in _chunks(sorted({r.code for r in rows}))
        for code in Region.objects.filter(code__in=chunk).values_list("code", flat=True)
    }
    for row in rows:
        if row.code not in loaded:
            problems.append((row.line, _not_loaded_hint(row.code)))
    if problems:
        raise ImportProblem(
            f"{path}: {len(problems)} of {len(raw_rows)} rows are wrong, nothing was stored:\n"
            + _listing(problems, "line")
        )
    return rows


def population_load(*, actor: Any, rows: Iterable[PopulationRow], source: str) -> Outcome:
    """Store population figures (a row without a source gets ``source``), replacing the figure
    a region already has for that year; in one transaction."""
    now = timezone.now()
    wanted = list(rows)
    outcome = Outcome()
    with transaction.atomic():
        existing = {
            (p.region_id, p.year): p
            for chunk in _chunks(sorted({r.code for r in wanted}))
            for p in RegionPopulation.objects.select_for_update().filter(region_id__in=chunk)
        }
        new: list[RegionPopulation] = []
        changed: list[RegionPopulation] = []
        for row in wanted:
            label = f"{row.code}/{row.year}"
            row_source = (row.source or source)[:300]
            have = existing.get((row.code, row.year))
            if have is None:
                new.append(
                    RegionPopulation(
                        region_id=row.code,
                        year=row.year,
                        population=row.population,
                        source=row_source,
                        loaded_at=now,
                    )
                )
                outcome.created.append(label)
            elif (have.population, have.source) != (row.population, row_source):
                have.population, have.source, have.loaded_at = row.population, row_source, now
                changed.append(have)
                outcome.replaced.append(label)
            else:
                outcome.unchanged.append(label)
        RegionPopulation.objects.bulk_create(new)
        RegionPopulation.objects.bulk_update(changed, ["population", "source", "loaded_at"])
        _audit(actor, "regionpopulation", outcome, source, replaced="updated")
    return outcome
