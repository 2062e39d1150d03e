"""``satupintu seed-demo [--reports N] [--seed S]``: add N demo reports quickly (bulk inserts)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from satupintu.core.cli import usage_error
from satupintu.dashboard.rebuild import rebuild
from satupintu.demo import seed


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise usage_error(f"--reports: {text!r} is not a whole number") from None
    if value < 0:
        raise usage_error("--reports must be 0 or more")
    return value


class Command(BaseCommand):
    help = "Add N simulated demo reports (and the demo city's master data if it is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", default="3500", help="how many reports (default 3500)")
        parser.add_argument("--seed", type=int, default=None, help="random seed (repeatable data)")
        parser.add_argument("--batch", type=int, default=5000, help="reports per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        n = positive_int(str(options["reports"]))
        if options["batch"] < 1:
            raise usage_error("--batch must be at least 1")
        if "complaints_report" not in connection.introspection.table_names():
            raise usage_error("the database is not migrated: run `satupintu migrate`")
        if not seed.is_seeded():
            self.stdout.write("Seeding the demo city's master data (Kota Depok)...")
            seed.seed_master()
        started = time.perf_counter()
        show = sys.stdout.isatty() and options["verbosity"] > 0
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("laporan", total=n)
            result = seed.seed_reports(
                n,
                seed=options["seed"],
                batch=options["batch"],
                progress=lambda k: bar.advance(task, k),
            )
        elapsed = time.perf_counter() - started
        rate = result.reports / elapsed if elapsed else 0.0
        self.stdout.write(
            f"Added {result.reports} reports in {elapsed:.1f} s ({rate:,.0f} reports/s)."
        )
        # The operations room's figures are left current (seeding writes no outbox events).
        rebuilt = rebuild()
        self.stdout.write(f"Rebuilt the operations room's figures in {rebuilt.seconds:.1f} s.")
