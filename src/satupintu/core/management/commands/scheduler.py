"""``satupintu scheduler [--once]``: enqueue each periodic job when it is due (core/tasks.py).

Run one beside the workers (a second does no harm: every job is safe to run twice). It holds
no state worth keeping: restart it at will. ``--once`` enqueues every job once and exits.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from satupintu.core.tasks import schedule_forever
from satupintu.core.worker import JOBS


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (SLA sweep, webhooks, messages) when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue each job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        def log(line: str) -> None:
            self.stdout.write(f"{timezone.localtime().isoformat(timespec='seconds')} {line}")

        if not options["once"]:
            names = ", ".join(f"{job.name} every {job.every:g} s" for job in JOBS)
            self.stdout.write(f"scheduler started: {names}")
        count = schedule_forever(log=log, once=options["once"])
        self.stdout.write(f"scheduler stopped: {count} runs enqueued")
