"""``satupintu dashboard rebuild``: rebuild the operations room's facts and rollups in full;
``satupintu dashboard sql [--sqlite]``: print the SQL over the raw tables behind each figure.

Run it once after installing or upgrading (the rollups then follow every change by themselves,
job ``dashboard-rollup``), after the working-day calendar changed (durations are counted in
working days), or whenever the figures are in doubt: it reads only the raw tables.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from satupintu.dashboard.rebuild import rebuild
from satupintu.dashboard.reference_sql import markdown


class Command(BaseCommand):
    help = "Operations room: rebuild the stored figures (facts and rollups) from the raw tables."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{rebuild,sql}")
        sub.add_parser(
            "rebuild",
            help="rebuild every fact and rollup from the reports and their disposisi",
            description="Rebuild the operations room's facts and rollups from the raw tables, "
            "in one transaction; incremental upkeep continues from the events after it.",
        )
        sql = sub.add_parser(
            "sql",
            help="print the SQL over the raw tables that reproduces each figure",
            description="Print, as Markdown, the SQL over the raw tables behind every figure "
            "of the operations room (the section of docs/dashboard.md).",
        )
        sql.add_argument("--sqlite", action="store_true", help="the SQLite dialect")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "sql":
            self.stdout.write(markdown("sqlite" if options["sqlite"] else "postgresql"), ending="")
            return
        show = sys.stdout.isatty() and options["verbosity"] > 0
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("fakta laporan", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = rebuild(progress=progress)
        self.stdout.write(
            f"Rebuilt {result.reports} report facts, {result.hops} wrong-door hops and "
            f"{result.rows} rollup rows in {result.seconds:.1f} s "
            f"({result.events} outbox events marked as rolled up)."
        )
