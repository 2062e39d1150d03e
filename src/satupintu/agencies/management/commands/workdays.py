"""``satupintu workdays``: working-day arithmetic on the Pemda's calendar (domain.md §7).

Examples::

    satupintu workdays add 2024-04-05 3          # 2024-04-18 (Lebaran 2024 and cuti bersama)
    satupintu workdays between 2024-04-05 2024-04-18   # 3: working days in (D1, D2]
    satupintu workdays holidays 2024             # date, kind, name of each holiday

The calendar is the national one (``holidays`` package) plus the administrators' CalendarDay rows.
On a fresh install whose database has no tables yet, the national calendar alone is used.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection

from satupintu.agencies.calendar import calendar
from satupintu.agencies.models import CalendarDay
from satupintu.core.cli import date_arg, usage_error, whole_number
from satupintu.domain.workdays import WorkdayCalendar, default_calendar


def current_calendar() -> WorkdayCalendar:
    """The database-aware calendar, or the national one when the tables do not exist yet."""
    try:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
    except DatabaseError:
        return default_calendar()
    if CalendarDay._meta.db_table not in tables:
        return default_calendar()
    return calendar()


class Command(BaseCommand):
    help = "Working-day arithmetic on the Pemda's calendar (national holidays + local rows)."
    # Pure arithmetic: no need to run the system checks (and it must work before `migrate`).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{add,between,holidays}")
        add = sub.add_parser(
            "add",
            help="print the date N working days after DATE (DATE itself is day 0)",
            description="Print the date N working days after DATE (DATE itself is day 0; "
            "a negative N counts backwards).",
        )
        add.add_argument("date", metavar="DATE", help="start date, YYYY-MM-DD")
        add.add_argument("n", metavar="N", help="number of working days (may be negative)")
        between = sub.add_parser(
            "between",
            help="print the number of working days in (D1, D2]",
            description="Print the number of working days after D1 up to and including D2.",
        )
        between.add_argument("start", metavar="D1", help="YYYY-MM-DD")
        between.add_argument("end", metavar="D2", help="YYYY-MM-DD")
        holidays = sub.add_parser(
            "holidays",
            help="list the holidays of YEAR (date, kind, name)",
            description="List the non-working holidays of YEAR: national holidays, cuti "
            "bersama and local holidays; weekends are not listed.",
        )
        holidays.add_argument("year", metavar="YEAR", help="e.g. 2024")

    def handle(self, *args: Any, **options: Any) -> None:
        cmd = options["cmd"]
        if cmd == "add":
            start = date_arg(options["date"])
            n = whole_number(options["n"], "number of working days")
            try:
                result = current_calendar().add(start, n)
            except OverflowError as exc:
                raise usage_error(str(exc)) from None
            self.stdout.write(result.isoformat())
        elif cmd == "between":
            start = date_arg(options["start"])
            end = date_arg(options["end"])
            self.stdout.write(str(current_calendar().between(start, end)))
        elif cmd == "holidays":
            year = whole_number(options["year"], "year")
            try:
                found = current_calendar().holidays_in(year)
            except ValueError as exc:
                raise usage_error(str(exc)) from None
            for holiday in found:
                self.stdout.write(f"{holiday.day.isoformat()}  {holiday.kind:<12}  {holiday.name}")
        else:  # pragma: no cover - argparse refuses unknown sub-commands
            raise usage_error(f"unknown sub-command {cmd!r}")
