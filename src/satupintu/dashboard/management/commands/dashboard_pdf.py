"""``satupintu dashboard-pdf --month 2026-11 [--agency CODE] [-o FILE]``: the operations
room's monthly report for the leadership meeting as an A4 PDF (dashboard/monthly_pdf.py).

Without ``-o`` the PDF is written to ``ruang-kendali-2026-11[-CODE].pdf`` in the current
folder (``-o -`` writes it to standard output). A bad month or an unknown agency exits 2.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.agencies.models import Agency
from satupintu.dashboard.monthly_pdf import agency_scope, monthly_pdf
from satupintu.dashboard.selectors import CITY

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> dt.date:
    """``2026-11`` → 1 November 2026; ValueError with a readable message otherwise."""
    found = MONTH.match(value.strip())
    if not found:
        raise ValueError(f"invalid month {value!r}: expected YYYY-MM, e.g. 2026-11")
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"invalid month {value!r}: expected YYYY-MM, e.g. 2026-11")
    return dt.date(year, month, 1)


class Command(BaseCommand):
    help = "Operations room: the monthly report (A4 PDF) for a month, the Pemda or one agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="the month, YYYY-MM (e.g. 2026-11)")
        parser.add_argument("--agency", help="an agency's code: that agency with its units")
        parser.add_argument("-o", "--output", help="the PDF file to write ('-': standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        scope, name, code = CITY, "", options.get("agency")
        if code:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise CommandError(f"unknown agency {code!r}", returncode=2)
            scope, name = agency_scope(agency), agency.name
        data = monthly_pdf(month, scope, scope_name=name)
        target = (
            options.get("output") or f"ruang-kendali-{month:%Y-%m}{f'-{code}' if code else ''}.pdf"
        )
        if target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        Path(target).write_bytes(data)
        self.stdout.write(f"Wrote {target} ({len(data)} bytes)")
