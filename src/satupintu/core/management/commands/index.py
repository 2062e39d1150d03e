"""``satupintu index``: service-quality indices from the command line (domain.md §2–§5).

Examples::

    satupintu index ikm survei.csv                        # IKM per unit and overall (§3)
    satupintu index category ikm 89.13                    # A, Sangat Baik (§3.3)
    satupintu index category pekppp 4.48                  # A-, Sangat Baik (§4.2)
    satupintu index category ombudsman 70.07 --year 2021  # kuning (§2.1)
    satupintu index category sakip 80.01                  # A (§5)
    satupintu index sample 500                            # 217 respondents (§3.4)

``ikm`` reads a CSV file with a header row: columns ``u1`` .. ``u9`` (any case) and optionally
``unit``; one row per respondent; a blank cell is an unanswered unsur. Comma, semicolon and tab
separated files are recognised from the header. Bad input exits with status 2 and a message.
Tables use ``rich`` on a terminal and plain aligned text otherwise.
"""

from __future__ import annotations

import csv
import gc
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser
from rich import box
from rich.console import Console
from rich.table import Table

from satupintu.core.cli import usage_error, whole_number
from satupintu.domain.indices import (
    SKM_2017,
    Grade,
    IkmGrade,
    IkmResult,
    IkmSummary,
    IkmTally,
    ScoreError,
    ikm_category,
    ombudsman_category,
    pekppp_category,
    round2,
    sakip_category,
    sample_size,
)

KINDS = ("ikm", "pekppp", "ombudsman", "sakip")
#: Rows handed to the tally at a time: memory stays flat however long the file.
BATCH = 16_384
DELIMITERS = (",", ";", "\t")
UNIT_COLUMN = "unit"
OVERALL = "overall"
NO_UNIT = "(no unit)"


def _number(text: str) -> Decimal:
    cleaned = text.strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".", 1)  # Indonesian decimal comma: 89,13
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise usage_error(f"invalid VALUE {text!r}: expected a number such as 89.13") from None
    if not value.is_finite():
        raise usage_error(f"invalid VALUE {text!r}: expected a finite number")
    return value


def _fmt(value: Fraction | Decimal) -> str:
    return str(round2(Fraction(value)))


# --------------------------------------------------------------------------- CSV reading


class _Csv:
    """The layout of an SKM CSV file, found from its header line."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        first = handle.readline()
        if not first.strip():
            raise usage_error(f"{path}: the file is empty; expected a header row with u1..u9")
        self.delimiter = self._delimiter(first)
        header = next(csv.reader([first], delimiter=self.delimiter))
        names = [name.strip().casefold() for name in header]
        self.width = len(names)
        wanted = [code.casefold() for code in SKM_2017.codes]
        duplicated = sorted({name for name in names if name and names.count(name) > 1})
        if duplicated:
            raise usage_error(f"{path}: duplicate column(s) {', '.join(duplicated)}")
        missing = [name for name in wanted if name not in names]
        if missing:
            found = ", ".join(name or "''" for name in names[:12])
            raise usage_error(
                f"{path}: missing column(s) {', '.join(missing)} (found: {found}); expected a "
                "CSV with a header row u1..u9 and optionally unit"
            )
        self.answer_indexes = [names.index(name) for name in wanted]
        self.unit_index = names.index(UNIT_COLUMN) if UNIT_COLUMN in names else None

    @staticmethod
    def _delimiter(line: str) -> str:
        wanted = {code.casefold() for code in SKM_2017.codes}
        for delimiter in DELIMITERS:
            names = {name.strip().strip('"').casefold() for name in line.split(delimiter)}
            if wanted <= names:
                return delimiter
        return ","  # let the missing-column message explain what was found

    def rows(self, handle: IO[str]) -> tuple[Any, Iterator[list[str]]]:
        """A reader over the data rows and the rows that count: lines with any non-empty cell."""
        reader = csv.reader(handle, delimiter=self.delimiter)
        return reader, filter(any, reader)

    def line_of(self, wanted: int) -> tuple[int, list[str]]:
        """Physical line number and fields of data row ``wanted`` (1-based): the error path."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            handle.readline()
            reader, rows = self.rows(handle)
            for number, row in enumerate(rows, 1):
                if number == wanted:
                    return reader.line_num + 1, row  # +1: the header line was read apart
        raise AssertionError(f"row {wanted} not found")  # pragma: no cover


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: batches are lists of strings, never cycles, and the
    collector's passes over a million fresh lists cost about a third of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tally_csv(path: Path) -> IkmTally:
    tally = IkmTally(SKM_2017)
    try:
        with _without_cyclic_gc(), path.open(encoding="utf-8-sig", newline="") as handle:
            layout = _Csv(path, handle)
            _, rows = layout.rows(handle)
            unit_index, answer_indexes = layout.unit_index, layout.answer_indexes
            while batch := list(islice(rows, BATCH)):
                if set(map(len, batch)) != {layout.width}:
                    first = next(
                        offset for offset, row in enumerate(batch) if len(row) != layout.width
                    )
                    line, row = layout.line_of(tally.respondents + first + 1)
                    raise usage_error(
                        f"{path}, line {line}: expected {layout.width} fields as in the header, "
                        f"found {len(row)}"
                    )
                columns = list(zip(*batch, strict=True))
                units = "" if unit_index is None else columns[unit_index]
                try:
                    tally.add_columns(units, [columns[index] for index in answer_indexes])
                except ScoreError as exc:
                    line, _ = layout.line_of(exc.row)
                    raise usage_error(
                        f"{path}, line {line}, column {exc.element.lower()}: {exc.value!r} is "
                        "not a score 1–4 (leave the cell blank when not answered)"
                    ) from None
    except OSError as exc:
        raise usage_error(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise usage_error(f"{path}: not a CSV text file (not UTF-8 text)") from None
    except csv.Error as exc:
        raise usage_error(f"{path}: not a valid CSV file ({exc})") from None
    if tally.respondents == 0:
        raise usage_error(f"{path}: no respondents (the file has a header row but no data rows)")
    return tally


def _summary(path: Path) -> tuple[IkmSummary, bool]:
    tally = _tally_csv(path)
    try:
        return tally.summary(), tally.units != [""]
    except ValueError as exc:
        raise usage_error(f"{path}: {exc}") from None


# --------------------------------------------------------------------------- output


class Command(BaseCommand):
    help = "Service-quality indices: IKM from an SKM CSV, index categories, SKM sample size."
    # Pure arithmetic: no system checks, no database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{ikm,category,sample}")
        ikm = sub.add_parser(
            "ikm",
            help="IKM per unit and overall from an SKM CSV file (PermenPANRB 14/2017)",
            description="Compute the IKM from a CSV with a header row: columns u1..u9 (any "
            "case) and optionally unit; one row per respondent; a blank cell is not answered.",
        )
        ikm.add_argument("file", metavar="FILE", help="CSV file, UTF-8")
        category = sub.add_parser(
            "category",
            help="category of a value: ikm, pekppp, ombudsman (needs --year) or sakip",
            description="Print the code, label (and zone) of VALUE for an index KIND.",
        )
        category.add_argument("kind", metavar="KIND", help="ikm, pekppp, ombudsman or sakip")
        category.add_argument("value", metavar="VALUE", help="the index value, e.g. 89.13")
        category.add_argument(
            "--year", metavar="Y", help="assessment year (ombudsman only; chooses the scheme)"
        )
        sample = sub.add_parser(
            "sample",
            help="Krejcie-Morgan SKM sample size for a population of N",
            description="Print the SKM sample size for a population of N service recipients "
            "(Krejcie & Morgan, domain.md §3.4).",
        )
        sample.add_argument("population", metavar="N", help="population, a whole number >= 1")

    def handle(self, *args: Any, **options: Any) -> None:
        cmd = options["cmd"]
        if cmd == "ikm":
            self._ikm(Path(options["file"]))
        elif cmd == "category":
            self._category(options["kind"], options["value"], options["year"])
        elif cmd == "sample":
            population = whole_number(options["population"], "population N")
            try:
                self.stdout.write(str(sample_size(population)))
            except ValueError as exc:
                raise usage_error(str(exc)) from None
        else:  # pragma: no cover - argparse refuses unknown sub-commands
            raise usage_error(f"unknown sub-command {cmd!r}")

    def _ikm(self, path: Path) -> None:
        summary, by_unit = _summary(path)
        codes = SKM_2017.codes
        headers = ["unit", "respondents", *codes, "IKM", "mutu", "kinerja"]

        def row(name: str, result: IkmResult) -> list[str]:
            nrr = [_fmt(element.nrr) for element in result.elements]
            grade = result.grade
            return [name, str(result.respondents), *nrr, str(grade.value), grade.code, grade.label]

        units = summary.units.items() if by_unit else ()
        rows = [row(unit or NO_UNIT, result) for unit, result in units]
        rows.append(row(OVERALL, summary.overall))
        self._table(headers, rows, right=set(range(1, len(codes) + 3)), header=True)

    def _category(self, kind_text: str, value_text: str, year_text: str | None) -> None:
        kind = kind_text.strip().casefold()
        if kind not in KINDS:
            raise usage_error(f"unknown KIND {kind_text!r}: expected one of {', '.join(KINDS)}")
        if year_text is not None and kind != "ombudsman":
            raise usage_error(f"--year applies only to ombudsman, not to {kind}")
        value = _number(value_text)
        try:
            if kind == "ikm":
                grade: Grade = ikm_category(value)
            elif kind == "pekppp":
                grade = pekppp_category(value)
            elif kind == "sakip":
                grade = sakip_category(value)
            else:
                if year_text is None:
                    raise usage_error(
                        "ombudsman needs --year: the scheme changed in 2022 and 2025 "
                        "(domain.md §2), e.g. --year 2024"
                    )
                grade = ombudsman_category(value, year=whole_number(year_text, "year"))
        except ValueError as exc:
            raise usage_error(str(exc)) from None
        pairs = [("value", str(grade.value)), ("code", grade.code), ("label", grade.label)]
        if grade.zone is not None:
            pairs.append(("zone", grade.zone))
        if isinstance(grade, IkmGrade):
            pairs.append(("perception", str(grade.perception)))
        pairs.append(("scheme", grade.scheme))
        pairs.append(("source", grade.source))
        if grade.unconfirmed:
            pairs.append(("note", f"default, {grade.unconfirmed}"))
        self._table(["", ""], [list(pair) for pair in pairs], right=set(), header=False)

    def _table(
        self, headers: list[str], rows: Sequence[list[str]], *, right: set[int], header: bool
    ) -> None:
        """Rich table on a terminal; plain text aligned with two spaces otherwise."""
        lines = [headers, *rows] if header else list(rows)
        widths = [max(len(cells[index]) for cells in lines) for index in range(len(headers))]
        if self.stdout.isatty():
            table = Table(show_header=header, box=box.SIMPLE_HEAD if header else None)
            for index, name in enumerate(headers):
                table.add_column(name, justify="right" if index in right else "left", no_wrap=True)
            for cells in rows:
                table.add_row(*cells)
            # Never squeeze figures into ellipses: a table wider than the terminal wraps instead.
            needed = sum(widths) + 3 * len(widths) + 1
            console = Console(
                force_terminal=True, width=max(shutil.get_terminal_size().columns, needed)
            )
            with console.capture() as captured:
                console.print(table)
            self.stdout.write(captured.get(), ending="")
            return
        for cells in lines:
            padded = [
                cell.rjust(widths[index]) if index in right else cell.ljust(widths[index])
                for index, cell in enumerate(cells)
            ]
            self.stdout.write("  ".join(padded).rstrip())
