"""``satupintu agencies``: import the agency tree from a CSV file and list it.

Examples::

    satupintu agencies import docs/examples/agencies.csv --dry-run   # check, write nothing
    satupintu agencies import docs/examples/agencies.csv
    satupintu agencies list                    # the tree, indented by depth, with codes
    satupintu agencies list --kind external

The file is UTF-8 CSV (comma- or semicolon-separated, as spreadsheets save it) with a header
row naming the columns ``code,name,short_name,kind,parent_code,external_type,region_code,email,
phone``; ``code``, ``name`` and ``kind`` are required, the others may be left out (a column left
out is not touched on existing agencies; an empty cell clears the value). A parent must be in the
database already or on an earlier line. The whole file is checked first: when any row is wrong,
every wrong row is reported with its line number and nothing is written. Otherwise the agencies
are created or updated (matched by code) in one transaction, each change audited like an admin
edit (chain ``agency:<id>``, before/after of the changed fields).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction

from satupintu.agencies.models import Agency, Region
from satupintu.core import audit
from satupintu.core.audit import cli_actor
from satupintu.core.cli import usage_error
from satupintu.domain import regions as packaged

COLUMNS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent_code",
    "external_type",
    "region_code",
    "email",
    "phone",
)
REQUIRED = ("code", "name", "kind")
# Kinds in tree order (the Pemda first, external agencies last).
KIND_ORDER: dict[str, int] = {
    Agency.Kind.PEMDA.value: 0,
    Agency.Kind.OPD.value: 1,
    Agency.Kind.UNIT.value: 2,
    Agency.Kind.EXTERNAL.value: 3,
}


def _max_length(name: str) -> int:
    length = getattr(Agency._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):  # pragma: no cover - every text field of Agency has one
        raise TypeError(f"Agency.{name} has no max_length")
    return length


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


class ImportFileError(Exception):
    """The file cannot be read as a CSV with the expected header."""


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The header and the non-empty rows of ``path``, each with the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as “CSV UTF-8”"
        ) from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[Row] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = [cell.lower() for cell in cells]
                _check_header(header)
                continue
            row = Row(line=start, values={})
            if len(cells) != len(header):
                row.errors.append(f"expected {len(header)} fields, found {len(cells)}")
            row.values = dict(zip(header, cells, strict=False))
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(f"{path}, line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportFileError(f"{path} is empty: expected a header row {','.join(COLUMNS)}")
    return header, rows


def _check_header(header: list[str]) -> None:
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(c) for c in unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if repeated:
        problems.append(f"repeated column(s) {', '.join(repeated)}")
    if problems:
        raise ImportFileError(
            f"line 1 (header): {'; '.join(problems)}; expected the columns {','.join(COLUMNS)}"
        )


def validate(header: list[str], rows: list[Row]) -> None:
    """Check every row; the problems go to ``row.errors``."""
    codes_in_file: dict[str, int] = {}
    for row in rows:
        code = row.get("code")
        if code and code not in codes_in_file:
            codes_in_file[code] = row.line
    referenced = {row.get("parent_code") for row in rows} - {""}
    in_db = set(Agency.objects.filter(code__in=sorted(referenced)).values_list("code", flat=True))
    region_codes = {row.get("region_code") for row in rows} - {""}
    regions = set(
        Region.objects.filter(code__in=sorted(region_codes)).values_list("code", flat=True)
    )
    seen: set[str] = set()
    for row in rows:
        errors = row.errors
        code = row.get("code")
        if not code:
            errors.append("code is empty")
        else:
            if len(code) > _max_length("code"):
                errors.append(f"code {code!r} is longer than {_max_length('code')} characters")
            try:
                validate_slug(code)
            except ValidationError:
                errors.append(
                    f"code {code!r} may contain only letters, digits, '-' and '_' (no spaces)"
                )
            if code in seen:
                errors.append(f"code {code!r} already used on line {codes_in_file[code]}")
        for column in ("name", "short_name", "phone"):
            value = row.get(column)
            if len(value) > _max_length(column):
                errors.append(f"{column} is longer than {_max_length(column)} characters")
        if not row.get("name"):
            errors.append("name is empty")
        kind = row.get("kind")
        if kind not in Agency.Kind.values:
            shown = repr(kind) if kind else "empty"
            errors.append(f"kind {shown} is not one of {', '.join(Agency.Kind.values)}")
        external_type = row.get("external_type")
        if external_type and external_type not in Agency.ExternalType.values:
            allowed = ", ".join(v for v in Agency.ExternalType.values if v)
            errors.append(f"external_type {external_type!r} is not one of {allowed}")
        elif external_type and kind in Agency.Kind.values and kind != Agency.Kind.EXTERNAL:
            errors.append(f"external_type is only for kind external, not {kind}")
        parent = row.get("parent_code")
        if parent:
            if parent == code:
                errors.append("an agency cannot be its own parent")
            elif parent not in seen and parent not in in_db:
                if parent in codes_in_file:
                    errors.append(
                        f"parent {parent!r} comes later in the file (line "
                        f"{codes_in_file[parent]}): put parents before their children"
                    )
                else:
                    errors.append(f"parent {parent!r} is neither in the database nor in the file")
            if kind == Agency.Kind.PEMDA:
                errors.append("a pemda is the root of its tree and has no parent")
        elif kind == Agency.Kind.UNIT and "parent_code" in header:
            errors.append("a unit needs a parent_code (its OPD)")
        region = row.get("region_code")
        if region and region not in regions:
            try:
                packaged.region_by_code(region)
            except LookupError:
                errors.append(f"region_code {region!r} is not a Kepmendagri region code")
            else:
                errors.append(
                    f"region {region} is not loaded: run `satupintu regions load {region}` first"
                )
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"email {email!r} is not a valid e-mail address")
        if code:
            seen.add(code)
    _check_cycles(header, rows)


def _check_cycles(header: list[str], rows: list[Row]) -> None:
    """A parent given here must not make an agency its own ancestor (through the database)."""
    if "parent_code" not in header:
        return
    parents: dict[str, str | None] = dict(
        Agency.objects.values_list("code", "parent__code").iterator(chunk_size=2000)
    )
    for row in rows:
        if row.get("code"):
            parents[row.get("code")] = row.get("parent_code") or None
    for row in rows:
        code = row.get("code")
        if not code or row.errors or not row.get("parent_code"):
            continue
        path = [code]
        node = parents.get(code)
        while node is not None and node not in path:
            path.append(node)
            node = parents.get(node)
        if node == code:
            chain = " → ".join([*path, code])
            row.errors.append(f"parent {row.get('parent_code')!r} makes a cycle: {chain}")


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def apply(header: list[str], rows: list[Row], *, actor: Any) -> Outcome:
    """Create or update the agencies of valid ``rows`` (in file order); call in a transaction."""
    codes = [row.get("code") for row in rows]
    existing = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    parent_codes = {row.get("parent_code") for row in rows} - {""}
    ids = dict(Agency.objects.filter(code__in=sorted(parent_codes)).values_list("code", "pk"))
    outcome = Outcome()
    for row in rows:
        code = row.get("code")
        agency = existing.get(code)
        before = audit.snapshot(agency) if agency is not None else None
        if agency is None:
            agency = Agency(code=code)
        for column in ("name", "short_name", "kind", "external_type", "email", "phone"):
            if column in header:
                setattr(agency, column, row.get(column))
        if "parent_code" in header:
            parent = row.get("parent_code")
            agency.parent_id = ids[parent] if parent else None
        if "region_code" in header:
            agency.region_id = row.get("region_code") or None
        if agency.kind != Agency.Kind.EXTERNAL:
            agency.external_type = ""
        after = audit.snapshot(agency)
        if before is not None and before == after:
            outcome.unchanged.append(code)
            ids[code] = agency.pk
            continue
        agency.save()
        ids[code] = agency.pk
        audit.record_change(actor=actor, obj=agency, before=before, after=audit.snapshot(agency))
        if before is None:
            outcome.created.append(code)
        else:
            outcome.updated.append((code, [k for k in after if before.get(k) != after[k]]))
    return outcome


# --------------------------------------------------------------------------- tree listing


def tree_lines(kind: str | None = None) -> Iterator[str]:
    """The agency tree, two spaces of indentation per level, one agency per line.

    With ``kind``, only agencies of that kind, each under its nearest listed ancestor; a listed
    agency whose parent is not listed names its parent.
    """
    agencies = list(Agency.objects.order_by())
    by_pk = {a.pk: a for a in agencies}
    listed = {a.pk for a in agencies if kind is None or a.kind == kind}

    def shown_parent(agency: Agency) -> int | None:
        seen: set[int] = set()
        node = agency.parent_id
        while node is not None and node not in listed and node not in seen and node in by_pk:
            seen.add(node)
            node = by_pk[node].parent_id
        return node if node in listed else None

    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:
        if agency.pk in listed:
            children.setdefault(shown_parent(agency), []).append(agency)
    for siblings in children.values():
        siblings.sort(key=lambda a: (KIND_ORDER.get(a.kind, 9), a.name.casefold(), a.code))
    ordered: list[tuple[Agency, int]] = []
    done: set[int] = set()
    stack: list[tuple[Agency, int]] = [(a, 0) for a in reversed(children.get(None, []))]
    while stack:
        agency, depth = stack.pop()
        if agency.pk in done:  # a cycle in the database: show each agency once
            continue
        done.add(agency.pk)
        ordered.append((agency, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(agency.pk, [])))
    width = max((2 * depth + len(a.code) for a, depth in ordered), default=0)
    for agency, depth in ordered:
        notes = [agency.get_kind_display()]
        if agency.external_type:
            notes[0] += f": {agency.get_external_type_display()}"
        if agency.region_id:
            notes.append(f"wilayah {agency.region_id}")
        if not agency.is_active:
            notes.append("inactive")
        if depth == 0 and agency.parent_id in by_pk:
            notes.append(f"under {by_pk[agency.parent_id].code}")
        label = agency.name + (f" ({agency.short_name})" if agency.short_name else "")
        code = ("  " * depth + agency.code).ljust(width)
        yield f"{code}  {label}  [{'; '.join(notes)}]"


# --------------------------------------------------------------------------- the command


class Command(BaseCommand):
    help = "Import the agency tree from CSV; list it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{import,list}")
        imp = sub.add_parser(
            "import",
            help="create or update agencies from a CSV file (all or nothing)",
            description="Create or update agencies (matched by code) from a CSV file with the "
            f"header {','.join(COLUMNS)}. Every row is checked first; if any is wrong, every "
            "wrong row is reported with its line number and nothing is written.",
        )
        imp.add_argument("file", metavar="FILE.csv", help="UTF-8 CSV file with a header row")
        imp.add_argument(
            "--dry-run", action="store_true", help="check and show what would change, write nothing"
        )
        lst = sub.add_parser(
            "list",
            help="print the agency tree with codes",
            description="Print the agency tree, indented by depth, with codes.",
        )
        lst.add_argument(
            "--kind", choices=Agency.Kind.values, metavar="KIND", help="pemda, opd, unit, external"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "import":
            self.import_file(Path(options["file"]), dry_run=options["dry_run"], options=options)
        else:
            for line in tree_lines(options["kind"]):
                self.stdout.write(line)

    def import_file(self, path: Path, *, dry_run: bool, options: dict[str, Any]) -> None:
        try:
            header, rows = read_rows(path)
        except ImportFileError as exc:
            raise usage_error(str(exc)) from None
        validate(header, rows)
        bad = [row for row in rows if row.errors]
        if bad:
            details = "\n".join(
                f"  line {row.line}: {'; '.join(row.errors)}"
                for row in sorted(bad, key=lambda r: r.line)
            )
            raise usage_error(
                f"{path}: {len(bad)} of {len(rows)} rows are wrong, nothing was written:\n{details}"
            )
        try:
            with transaction.atomic():
                outcome = apply(header, rows, actor=cli_actor())
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError as exc:  # another import or an admin edit at the same moment
            raise CommandError(
                f"{path}: nothing was written: the database changed during the import ({exc}); "
                "run it again"
            ) from None
        if dry_run or options["verbosity"] >= 2:
            for code in outcome.created:
                self.stdout.write(f"  create {code}")
            for code, fields in outcome.updated:
                self.stdout.write(f"  update {code}: {', '.join(fields)}")
        counts = (
            f"{len(outcome.created)} created, {len(outcome.updated)} updated, "
            f"{len(outcome.unchanged)} unchanged"
        )
        if dry_run:
            self.stdout.write(f"{path}: dry run, nothing written; would be {counts}")
        else:
            self.stdout.write(f"{path}: {len(rows)} rows: {counts}")
