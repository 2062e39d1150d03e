"""``satupintu worker [--once]``: run the periodic jobs (core/worker.py) until stopped.

Jobs (each app registers its own in its apps.py): the SLA sweep every 60 s, the webhook outbox
fan-out and the due deliveries every 3 s, federation, indicators and purges.
``--once`` runs each job once and exits (status 1 if one failed), for cron or a timer.
SIGTERM or SIGINT stops the loop after the running job. README "Running the worker" shows a
systemd unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from satupintu.core.worker import JOBS, Job, run_until_signalled


class Command(BaseCommand):
    help = "Run the periodic jobs (SLA sweep, webhooks) until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run each job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        run_jobs(self, tuple(JOBS), once=options["once"])


def run_jobs(command: BaseCommand, jobs: Sequence[Job], *, once: bool) -> None:
    names = ", ".join(f"{job.name} every {job.every:g} s" for job in jobs)
    if not once:
        command.stdout.write(f"worker started: {names}")
    failures = run_until_signalled(jobs, once=once, log=command.stdout.write)
    if not once:
        command.stdout.write("worker stopped")
    if once and failures:
        raise SystemExit(1)
