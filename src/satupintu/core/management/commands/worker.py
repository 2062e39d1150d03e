"""``satupintu worker [--queues Q,…] [--burst] [--once]``: run background tasks until stopped.

A task worker of the configured backend (``SATUPINTU_TASKS``, core/tasks.py): django-tasks-db's
worker on the database, or an RQ worker on Redis. Run as many as the load needs, on as many
machines; one ``satupintu scheduler`` enqueues the periodic jobs (the SLA sweep every 60 s, the
webhook fan-out and deliveries, message sends, federation, indicators, purges).

``--burst`` runs what is queued and exits. ``--once`` runs each periodic job once in this
process, without the queue, and exits (status 1 if one failed), for cron or a timer.
SIGTERM or SIGINT stops a worker after the task that is running. README "Running the worker"
shows the systemd units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.core.worker import JOBS, Job, run_until_signalled


class Command(BaseCommand):
    help = "Run background tasks (SLA sweep, webhooks, messages) until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default=",".join(settings.TASK_QUEUES),
            help="comma-separated queues to take tasks from (default: all)",
        )
        parser.add_argument("--burst", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument(
            "--once",
            action="store_true",
            help="run each periodic job once in this process (no queue) and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            run_jobs(self, tuple(JOBS), once=True)
            return
        queues = [q.strip() for q in options["queues"].split(",") if q.strip()]
        unknown = sorted(set(queues) - set(settings.TASK_QUEUES))
        if unknown or not queues:
            raise CommandError(
                f"unknown queue {', '.join(unknown) or '(none)'}; "
                f"the queues are {', '.join(settings.TASK_QUEUES)}",
                returncode=2,
            )
        self.stdout.write(
            f"worker started: {settings.TASK_BACKEND} backend, queues {', '.join(queues)}"
        )
        try:
            self._run(queues, burst=options["burst"], verbosity=options["verbosity"])
        except SystemExit as stop:
            # The database worker leaves its sleep on SIGTERM by sys.exit(0).
            if stop.code not in (0, None):
                raise
        self.stdout.write("worker stopped")

    def _run(self, queues: list[str], *, burst: bool, verbosity: int) -> None:
        if settings.TASK_BACKEND == "rq":
            call_command(
                "rqworker",
                *queues,
                burst=burst,
                with_scheduler=False,
                job_class="django_tasks_rq.backend.Job",
                # Tasks run in this process, as on the database backend: no fork per task (a
                # message's send takes milliseconds, a fork more), and the process's HTTP
                # clients keep their connections from one task to the next.
                worker_class="rq.worker.SimpleWorker",
                verbosity=verbosity,
            )
        else:
            call_command(
                "db_worker",
                queue_name=",".join(queues),
                interval=0.2,
                batch=burst,
                startup_delay=False,
                reload=False,
                verbosity=verbosity,
            )


def run_jobs(command: BaseCommand, jobs: Sequence[Job], *, once: bool) -> None:
    names = ", ".join(f"{job.name} every {job.every:g} s" for job in jobs)
    if not once:
        command.stdout.write(f"worker started: {names}")
    failures = run_until_signalled(jobs, once=once, log=command.stdout.write)
    if not once:
        command.stdout.write("worker stopped")
    if once and failures:
        raise SystemExit(1)
