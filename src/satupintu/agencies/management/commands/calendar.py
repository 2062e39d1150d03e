"""``satupintu calendar``: the Pemda's local holidays and working-day corrections (domain.md §7).

Examples::

    satupintu calendar add-holiday 2025-08-19 "Hari Jadi Kabupaten" --decree "Perbup 12/2025"
    satupintu calendar add-workday 2025-12-26 "Cuti bersama dibatalkan" --decree "SKB 3 Menteri"
    satupintu calendar remove 2025-08-19
    satupintu calendar list 2025        # national, cuti bersama, local rows: one line each

National holidays and cuti bersama come from the ``holidays`` package; the rows kept here add a
local holiday on a working day (``add-holiday``) or make a date the national calendar (or the
weekend) closes a working day after all (``add-workday``). A row must change something: the rules
are those of the admin's CalendarDay form, which this command uses. Every change is audited like
an admin edit (chain ``calendarday:<id>``); the working-day calendar is rebuilt at once in this
process and within a minute in running servers.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import IntegrityError, transaction

from satupintu.agencies.admin import CalendarDayForm
from satupintu.agencies.models import CalendarDay
from satupintu.core import audit
from satupintu.core.audit import cli_actor
from satupintu.core.cli import date_arg, usage_error
from satupintu.domain.workdays import default_calendar

KIND_WORKDAY = "workday"  # as shown by `list`, next to national / cuti_bersama / local


def _year(text: str) -> int:
    try:
        year = int(text.strip(), 10)
    except ValueError:
        year = 0
    if not MINYEAR <= year <= MAXYEAR:
        raise usage_error(f"invalid year {text!r}: expected a year such as 2025")
    return year


class Command(BaseCommand):
    help = "Local holidays and working-day corrections of the Pemda's calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="cmd", required=True, metavar="{add-holiday,add-workday,remove,list}"
        )
        for name, text in (
            ("add-holiday", "add a local holiday on a date that is a working day nationally"),
            (
                "add-workday",
                "make a date a working day after all (a national holiday or cuti bersama "
                "moved or cancelled by decree, or a working Saturday)",
            ),
        ):
            cmd = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
            cmd.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
            cmd.add_argument("name", metavar="NAME", help="what the day is, e.g. Hari Jadi Kota")
            cmd.add_argument("--decree", default="", metavar="TEXT", help="legal basis")
        remove = sub.add_parser(
            "remove",
            help="remove the local row of DATE",
            description="Remove the local holiday or working-day correction of DATE.",
        )
        remove.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
        lst = sub.add_parser(
            "list",
            help="national holidays, cuti bersama and local rows of YEAR",
            description="List the national holidays, cuti bersama and local rows of YEAR, one "
            "line each: date, kind (national, cuti_bersama, local, workday), name.",
        )
        lst.add_argument("year", metavar="YEAR", help="e.g. 2025")

    def handle(self, *args: Any, **options: Any) -> None:
        cmd = options["cmd"]
        if cmd == "add-holiday":
            self.add(options, CalendarDay.Kind.HOLIDAY)
        elif cmd == "add-workday":
            self.add(options, CalendarDay.Kind.WORKDAY)
        elif cmd == "remove":
            self.remove(date_arg(options["date"]))
        else:
            self.list_year(_year(options["year"]))

    def add(self, options: dict[str, Any], kind: str) -> None:
        day = date_arg(options["date"])
        existing = CalendarDay.objects.filter(date=day).first()
        if existing is not None:
            raise usage_error(
                f"{day.isoformat()} already has a row ({existing.kind}: {existing.name}); "
                f"remove it first with `satupintu calendar remove {day.isoformat()}`"
            )
        form = CalendarDayForm(
            data={
                "date": day,
                "kind": kind,
                "name": options["name"].strip(),
                "decree": options["decree"].strip(),
            }
        )
        if not form.is_valid():
            problems = [
                (f"{field}: " if field != "__all__" else "") + str(message)
                for field, messages in form.errors.items()
                for message in messages
            ]
            raise usage_error(f"cannot add {day.isoformat()} as a {kind}: " + " ".join(problems))
        try:
            with transaction.atomic():
                row = form.save()
                audit.record_change(
                    actor=cli_actor(), obj=row, before=None, after=audit.snapshot(row)
                )
        except IntegrityError:  # the same date was added at the same moment
            raise usage_error(
                f"{day.isoformat()} already has a row: see `satupintu calendar list {day.year}`"
            ) from None
        what = "local holiday" if kind == CalendarDay.Kind.HOLIDAY else "working day (correction)"
        self.stdout.write(f"added {row.date.isoformat()} {what}: {row.name}")

    def remove(self, day: date) -> None:
        with transaction.atomic():
            row = CalendarDay.objects.select_for_update().filter(date=day).first()
            if row is None:
                raise usage_error(
                    f"no local row on {day.isoformat()}: national holidays cannot be removed, "
                    "only overridden with `satupintu calendar add-workday`"
                )
            pk, before = row.pk, audit.snapshot(row)
            row.delete()
            audit.record_change(actor=cli_actor(), obj=row, before=before, after=None, object_id=pk)
        self.stdout.write(f"removed {day.isoformat()} ({row.kind}: {row.name})")

    def list_year(self, year: int) -> None:
        rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
        lines: list[tuple[date, int, str, str]] = []
        for holiday in default_calendar().holidays_in(year):
            row = rows.get(holiday.day)
            note = ""
            if row is not None and row.kind == CalendarDay.Kind.WORKDAY:
                note = "  (overridden: working day)"
            lines.append((holiday.day, 0, holiday.kind, holiday.name + note))
        for row in rows.values():
            kind = "local" if row.kind == CalendarDay.Kind.HOLIDAY else KIND_WORKDAY
            decree = f"  ({row.decree})" if row.decree else ""
            lines.append((row.date, 1, kind, row.name + decree))
        lines.sort()
        if not lines:
            self.stdout.write(f"no holidays known for {year}")
        for day, _, kind, name in lines:
            self.stdout.write(f"{day.isoformat()}  {kind:<12}  {name}")
