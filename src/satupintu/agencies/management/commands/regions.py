"""``satupintu regions``: load the packaged Kepmendagri region list into the database.

Examples::

    satupintu regions load 32.76            # Kota Depok, with Jawa Barat, its kecamatan, kelurahan
    satupintu regions load 33.74 33.22      # several at once
    satupintu regions load --all            # all 91,599 regions (a few seconds)
    satupintu regions show 32.76            # the region, its parents and its children count
    satupintu regions load-boundaries --packaged 32.76          # the packaged Depok polygons
    satupintu regions load-boundaries kel.geojson --code-property kode --level kelurahan
    satupintu regions load-population penduduk.csv              # code,population,year[,source]

Loading is idempotent: rows that exist are updated when the packaged name, level or parent
differ, nothing is duplicated and nothing is deleted. Names are title-cased (``display_name``).

Regions are reference data (the admin shows them read-only), so a load is audited as one
``import`` entry per loaded region on its chain ``region:<code>`` with the counts, and every
existing row whose values changed gets its own ``update`` entry with before/after.

Boundaries and population figures (docs/boundaries.md) are checked in full first: when any
feature or line is wrong, each is reported on its own line, the exit status is 2 and nothing is
stored. Loading them again replaces what changed (satupintu.agencies.boundaries).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import Q

from satupintu.agencies import boundaries
from satupintu.agencies.models import Region, RegionBoundary, RegionPopulation
from satupintu.core import audit, bulk
from satupintu.core.audit import cli_actor
from satupintu.core.cli import usage_error
from satupintu.domain import regions as packaged

SOURCE = f"{packaged.DATA_FILE} (Kepmendagri 300.2.2-2138/2025)"
_FIELDS = ("name", "level", "parent_id")
TOTAL = "*"  # key of the overall counts returned by _sync


def _normalise(code: str) -> str:
    return code.strip().rstrip(".")


def _wanted(region: packaged.Region) -> tuple[str, int, str | None]:
    return region.display_name, region.level, region.parent_code


class Command(BaseCommand):
    help = (
        "Load Kepmendagri regions (provinsi → kelurahan/desa) from the packaged list; their "
        "boundary polygons and population figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="cmd",
            required=True,
            metavar="{load,show,load-boundaries,load-population}",
        )
        load = sub.add_parser(
            "load",
            help="load regions with their ancestors and all descendants (idempotent)",
            description="Load each PREFIX region (e.g. 32.76 for Kota Depok) with its "
            "ancestors and all its descendants from the packaged Kepmendagri list, or every "
            "region with --all. Existing rows are updated, never duplicated.",
        )
        load.add_argument("prefixes", nargs="*", metavar="PREFIX", help="region code, e.g. 32.76")
        load.add_argument("--all", action="store_true", help="load all 91,599 regions")
        show = sub.add_parser(
            "show",
            help="print a loaded region, its parents and its number of children",
            description="Print a region from the database with its parents and children count.",
        )
        show.add_argument("code", metavar="CODE", help="region code, e.g. 32.76")
        bounds = sub.add_parser(
            "load-boundaries",
            help="load region boundary polygons from GeoJSON (all or nothing)",
            description="Load the Polygon or MultiPolygon of each feature of a GeoJSON "
            "FeatureCollection (WGS84 lon/lat, optionally gzipped) as the boundary of the "
            "region whose Kemendagri code is in the property NAME, or the boundaries packaged "
            f"for a kabupaten/kota with --packaged ({', '.join(boundaries.packaged_codes())}). "
            "Every feature is checked first; if any is wrong, each is reported and nothing is "
            "stored. Loading again replaces a region's boundary.",
        )
        bounds.add_argument("file", nargs="?", metavar="FILE.geojson", help="GeoJSON file")
        bounds.add_argument(
            "--code-property", metavar="NAME", help="the feature property holding the code"
        )
        bounds.add_argument(
            "--level",
            choices=sorted(boundaries.LEVELS),
            metavar="LEVEL",
            help=f"every feature must be a region of this level ({', '.join(boundaries.LEVELS)})",
        )
        bounds.add_argument(
            "--source", metavar="TEXT", help="where the polygons come from and their licence"
        )
        bounds.add_argument(
            "--packaged", metavar="CODE", help="load the packaged boundaries of CODE, e.g. 32.76"
        )
        people = sub.add_parser(
            "load-population",
            help="load population figures per region from CSV (all or nothing)",
            description="Load population figures from a UTF-8 CSV file with the header "
            "code,population,year[,source] (comma- or semicolon-separated). Every line is "
            "checked first; if any is wrong, each is reported with its line number and nothing "
            "is stored. A region's figure for a year is replaced by a new one.",
        )
        people.add_argument("file", metavar="FILE.csv", help="UTF-8 CSV file with a header row")
        people.add_argument(
            "--source", metavar="TEXT", help="source of rows without one (default: the file name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "load":
            self.load(options["prefixes"], load_all=options["all"])
        elif options["cmd"] == "load-boundaries":
            self.load_boundaries(options)
        elif options["cmd"] == "load-population":
            self.load_population(Path(options["file"]), source=options["source"])
        else:
            self.show(options["code"])

    # ----------------------------------------------------------------------------- boundaries

    def load_boundaries(self, options: dict[str, Any]) -> None:
        file, code = options["file"], options["packaged"]
        if (file is None) == (code is None):
            raise usage_error("give either FILE.geojson or --packaged CODE (e.g. 32.76)")
        actor = cli_actor()
        try:
            if code is not None:
                if options["code_property"] or options["level"] or options["source"]:
                    raise usage_error(
                        "--packaged takes no --code-property, --level or --source: "
                        "the packaged files carry their own"
                    )
                try:
                    results = boundaries.load_packaged(_normalise(code), actor=actor)
                except LookupError:
                    raise usage_error(
                        f"no packaged boundaries for {code!r}; packaged: "
                        f"{', '.join(boundaries.packaged_codes())}"
                    ) from None
                for item, outcome in results:
                    self._boundaries_done(item.name, outcome)
                return
            if not options["code_property"]:
                raise usage_error(
                    "give --code-property NAME: the feature property that holds the "
                    "Kemendagri code (e.g. --code-property kode)"
                )
            path = Path(file)
            level = boundaries.LEVELS[options["level"]] if options["level"] else None
            checked = boundaries.check_features(
                boundaries.read_geojson(path),
                name=str(path),
                code_property=options["code_property"],
                level=level,
            )
            source = options["source"] or path.name
            self._boundaries_done(
                str(path), boundaries.boundaries_load(actor=actor, items=checked, source=source)
            )
        except boundaries.ImportProblem as exc:
            raise usage_error(str(exc)) from None
        except IntegrityError as exc:  # another load at the same moment
            raise CommandError(f"nothing was stored ({exc}); run the command again") from None

    def _boundaries_done(self, name: str, outcome: boundaries.Outcome) -> None:
        self.stdout.write(f"{name}: {outcome.total} boundaries ({outcome.counts()})")

    def load_population(self, path: Path, *, source: str | None) -> None:
        try:
            rows = boundaries.read_population_csv(path)
            outcome = boundaries.population_load(
                actor=cli_actor(), rows=rows, source=source or path.name
            )
        except boundaries.ImportProblem as exc:
            raise usage_error(str(exc)) from None
        except IntegrityError as exc:  # another load at the same moment
            raise CommandError(f"nothing was stored ({exc}); run the command again") from None
        self.stdout.write(f"{path}: {outcome.total} rows ({outcome.counts('updated')})")

    # ----------------------------------------------------------------------------- load

    def load(self, prefixes: list[str], *, load_all: bool) -> None:
        if load_all and prefixes:
            raise usage_error("give either PREFIX codes or --all, not both")
        if not load_all and not prefixes:
            raise usage_error("give at least one PREFIX (e.g. 32.76) or --all")
        if load_all:
            roots = sorted(
                {r.code for r in packaged.load_regions() if r.level == packaged.PROVINCE}
            )
            selected = packaged.load_regions()
            scope = Q()
        else:
            roots = list(dict.fromkeys(_normalise(p) for p in prefixes))
            unknown = [p for p in roots if not _exists(p)]
            if unknown:
                listed = ", ".join(repr(p) for p in unknown)
                raise usage_error(
                    f"unknown region code {listed}: not in the packaged Kepmendagri list "
                    "(codes look like 32 (provinsi), 32.76 (kab/kota), 32.76.01 (kecamatan))"
                )
            by_code: dict[str, packaged.Region] = {}
            for root in roots:
                by_code.update((r.code, r) for r in packaged.load_regions(root))
            selected = list(by_code.values())
            scope = Q(code__in=sorted(by_code.keys() - _descendant_codes(roots, by_code)))
            for root in roots:
                scope |= Q(code__startswith=root + ".")
        try:
            with transaction.atomic():
                counts = _sync(selected, scope, roots)
        except IntegrityError as exc:  # another load inserted the same rows meanwhile
            raise CommandError(
                f"could not load regions ({exc}); another load may have run at the same time: "
                "run the command again"
            ) from None
        lines = [] if load_all else roots
        for root in lines:
            created, updated, unchanged = counts[root]
            name = packaged.region_by_code(root).display_name
            self.stdout.write(
                f"{root} {name}: {created + updated + unchanged} regions "
                f"({created} created, {updated} updated, {unchanged} unchanged)"
            )
        if len(lines) != 1:
            created, updated, unchanged = counts[TOTAL]
            self.stdout.write(
                f"total: {created + updated + unchanged} regions "
                f"({created} created, {updated} updated, {unchanged} unchanged)"
            )

    # ----------------------------------------------------------------------------- show

    def show(self, text: str) -> None:
        code = _normalise(text)
        region = Region.objects.select_related("parent").filter(code=code).first()
        if region is None:
            if _exists(code):
                raise usage_error(
                    f"region {code} is not loaded: run `satupintu regions load {code}`"
                )
            raise usage_error(f"unknown region code {text!r}: not in the packaged Kepmendagri list")
        level = Region.Level(region.level)
        self.stdout.write(f"{region.code}  {region.name}  ({packaged.LEVEL_NAMES[level]})")
        ancestors: list[Region] = []
        node = region.parent
        while node is not None and len(ancestors) < 4:
            ancestors.append(node)
            node = node.parent
        if ancestors:
            path = " › ".join(f"{a.code} {a.name}" for a in reversed(ancestors))
            self.stdout.write(f"in: {path}")
        boundary = RegionBoundary.objects.filter(region=region).only("area_km2", "source").first()
        if boundary is not None:
            self.stdout.write(f"boundary: {boundary.area_km2:,.3f} km² ({boundary.source})")
        people = RegionPopulation.objects.filter(region=region).order_by("-year").first()
        if people is not None:
            note = f"{people.year}, {people.source}" if people.source else str(people.year)
            self.stdout.write(f"population: {people.population:,} ({note})")
        children = region.children.count()
        if level == Region.Level.VILLAGE:
            return
        child_level = packaged.LEVEL_NAMES[level + 1]
        self.stdout.write(f"children: {children} {child_level}")
        if children == 0 and level < Region.Level.VILLAGE:
            self.stdout.write(f"(none loaded: `satupintu regions load {region.code}` loads them)")


def _exists(code: str) -> bool:
    try:
        packaged.region_by_code(code)
    except LookupError:
        return False
    return True


def _descendant_codes(roots: Iterable[str], by_code: dict[str, packaged.Region]) -> set[str]:
    """Codes under one of ``roots``: matched by prefix in SQL rather than listed one by one."""
    below = tuple(root + "." for root in roots)
    return {code for code in by_code if code.startswith(below)}


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _sync(
    selected: list[packaged.Region], scope: Q, roots: list[str]
) -> dict[str, tuple[int, int, int]]:
    """Insert the missing rows, update the changed ones; counts (created, updated, unchanged)."""
    existing = {
        code: (name, level, parent)
        for code, name, level, parent in Region.objects.filter(scope).values_list(
            "code", "name", "level", "parent_id"
        )
    }
    actor = cli_actor()
    new_rows: list[tuple[str, str, int, str | None]] = []
    changed: list[tuple[Region, dict[str, Any], dict[str, Any]]] = []
    status: dict[str, str] = {}
    for region in sorted(selected, key=lambda r: (r.level, r.code)):
        wanted = _wanted(region)
        have = existing.get(region.code)
        if have is None:
            new_rows.append((region.code, *wanted))
            status[region.code] = "created"
        elif have != wanted:
            before = {f: v for f, v, w in zip(_FIELDS, have, wanted, strict=True) if v != w}
            after = {f: w for f, v, w in zip(_FIELDS, have, wanted, strict=True) if v != w}
            row = Region(code=region.code, name=wanted[0], level=wanted[1], parent_id=wanted[2])
            changed.append((row, before, after))
            status[region.code] = "updated"
        else:
            status[region.code] = "unchanged"
    bulk.insert_rows(Region._meta.db_table, ("code", "name", "level", "parent_id"), new_rows)
    if changed:
        Region.objects.bulk_update([row for row, _, _ in changed], ["name", "level", "parent"])
    for row, before, after in changed:
        audit.record(
            chain=f"region:{row.code}",
            actor=actor,
            action="update",
            object_type="region",
            object_id=row.code,
            before=before,
            after=after,
        )
    root_set = set(roots)
    tallies = {root: {"created": 0, "updated": 0, "unchanged": 0} for root in roots}
    for code, state in status.items():
        parts = code.split(".")
        for n in range(1, len(parts) + 1):
            prefix = ".".join(parts[:n])
            if prefix in root_set:
                tallies[prefix][state] += 1
    for root in roots:
        tally = tallies[root]
        for ancestor in _ancestors(root):  # loaded with it
            tally[status[ancestor]] += 1
        if tally["created"] or tally["updated"]:
            audit.record(
                chain=f"region:{root}",
                actor=actor,
                action="import",
                object_type="region",
                object_id=root,
                after={"source": SOURCE, "created": tally["created"], "updated": tally["updated"]},
            )
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    for state in status.values():
        totals[state] += 1
    counts = {root: (t["created"], t["updated"], t["unchanged"]) for root, t in tallies.items()}
    counts[TOTAL] = (totals["created"], totals["updated"], totals["unchanged"])
    return counts
