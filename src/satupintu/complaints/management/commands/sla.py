"""``satupintu sla``: the deadline sweep and the overdue list (domain.md §1.6, design.md §3).

``satupintu sla sweep`` auto-closes resolved reports nobody answered, archives holds that ran
out and escalates what is overdue; it is idempotent, so cron may run it every few minutes.
``satupintu sla overdue`` lists the reports whose running deadline has passed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency
from satupintu.complaints import services
from satupintu.core.cli import date_arg, positive_number, usage_error

DEFAULT_LIMIT = 100


def _today(text: str | None) -> date:
    if not text:
        return workcal.today()
    return date_arg(text, option="--today")


class Command(BaseCommand):
    help = "Deadline sweep (auto-close, hold expiry, escalation) and the overdue list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{sweep,overdue}")
        sweep = sub.add_parser(
            "sweep",
            help="auto-close, expire holds and escalate overdue reports (idempotent)",
            description="Auto-close resolved reports past their auto-close date, archive "
            "reports whose hold ran out and escalate overdue reports. Safe to run often.",
        )
        sweep.add_argument("--today", metavar="YYYY-MM-DD", help="run as if today were this date")
        sweep.add_argument(
            "--batch",
            metavar="N",
            default="1000",
            help="at most N reports of each kind per run (default 1000)",
        )
        overdue = sub.add_parser(
            "overdue",
            help="list reports whose running deadline has passed",
            description="List the reports whose running deadline has passed and that still "
            "owe work, most overdue first.",
        )
        overdue.add_argument("--agency", metavar="CODE", help="only reports this agency holds")
        overdue.add_argument(
            "--limit",
            metavar="N",
            default=str(DEFAULT_LIMIT),
            help=f"show at most N reports (default {DEFAULT_LIMIT})",
        )
        overdue.add_argument("--today", metavar="YYYY-MM-DD", help="as if today were this date")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cmd"] == "sweep":
            self.sweep(options)
        elif options["cmd"] == "overdue":
            self.overdue(options)

    def sweep(self, options: dict[str, Any]) -> None:
        today = _today(options["today"])
        batch = positive_number(options["batch"], "--batch")
        result = services.sla_sweep(today=today, batch=batch)
        self.stdout.write(
            f"SLA sweep for {today.isoformat()}: {result.auto_closed} auto-closed, "
            f"{result.hold_expired} hold expired, {result.escalated} escalated"
        )

    def overdue(self, options: dict[str, Any]) -> None:
        today = _today(options["today"])
        limit = positive_number(options["limit"], "--limit")
        reports = services.overdue_queryset(today)
        code = options["agency"]
        if code:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise usage_error(f"unknown agency code {code!r}")
            reports = reports.filter(current_agency=agency)
        rows = list(
            reports.select_related("current_agency")
            .order_by("next_due", "pk")
            .only("tracking_number", "status", "next_due", "current_agency__code")[: limit + 1]
        )
        more = len(rows) > limit
        rows = rows[:limit]
        if not rows:
            self.stdout.write(f"no overdue reports on {today.isoformat()}")
            return
        cal = workcal.calendar()
        table = [("TRACKING", "STATUS", "AGENCY", "DUE", "DAYS LATE")]
        for report in rows:
            due = report.next_due
            if due is None:  # pragma: no cover - excluded by overdue_queryset
                continue
            agency = report.current_agency
            table.append(
                (
                    report.tracking_number,
                    report.status,
                    agency.code if agency else "-",
                    due.isoformat(),
                    str(cal.between(due, today)),
                )
            )
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1].rjust(widths[-1])]))
        if more:
            total = reports.count()
            self.stdout.write(f"… {total - limit} more (showing {limit} of {total}; use --limit)")
