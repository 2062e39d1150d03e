"""``satupintu indicators refresh [--year Y]``: recompute the complaint-management indicators.

Stores one row per agency (and one for the whole Pemda) for the year, computed with SQL
aggregates (evaluation/indicators.py); the evaluation pages read those rows. Run it from cron
or a systemd timer, e.g. hourly; it replaces the year's rows in one transaction.
Exit status 2 on a usage error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.agencies import calendar as workcal
from satupintu.core.cli import usage_error
from satupintu.evaluation.indicators import indicators_refresh
from satupintu.evaluation.services import FIRST_YEAR


class Command(BaseCommand):
    help = "Complaint-management indicators per agency (SP4N): refresh the stored figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{refresh}")
        refresh = sub.add_parser(
            "refresh",
            help="recompute the indicators of a year (default: this year)",
            description="Recompute the complaint-management indicators of every agency for a "
            "year and store them for the evaluation pages.",
        )
        refresh.add_argument("--year", type=str, default="", help="the year (default: this year)")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = workcal.today().year
        raw = str(options["year"] or this_year)
        try:
            year = int(raw)
        except ValueError:
            raise usage_error(f"--year: {raw!r} is not a year") from None
        if not FIRST_YEAR <= year <= this_year:
            raise usage_error(f"--year must be between {FIRST_YEAR} and {this_year}, got {year}")
        result = indicators_refresh(year=year)
        self.stdout.write(
            f"{result.year}: {result.agencies} agencies, {result.hops} disposisi, "
            f"{result.seconds:.2f} s"
        )
