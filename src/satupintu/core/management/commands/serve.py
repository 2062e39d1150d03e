"""``satupintu serve``: the production server (gunicorn).

Static files are collected when satupintu is set up (``scripts/setup``); a start only checks
that the collected files are current and collects them when they are missing or out of date
(core/static_collect.py), so a restart spends its time starting gunicorn, not copying files.
The system checks are not run here (``satupintu check --deploy`` runs them; ``migrate`` runs
them before every deployment's migrations): importing every view for them would double the
start's own work.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from satupintu.core import static_collect


class Command(BaseCommand):
    help = (
        "Serve satupintu with gunicorn. SATUPINTU_BIND: address (127.0.0.1:8000); "
        "SATUPINTU_WORKERS: worker processes (2); SATUPINTU_THREADS: threads per worker "
        "(1: sync workers; more: gthread workers with that many threads each)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("SATUPINTU_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SATUPINTU_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threads = os.environ.get("SATUPINTU_THREADS", "1").strip() or "1"
        if not threads.isdigit() or int(threads) < 1:
            raise CommandError(
                f"SATUPINTU_THREADS must be a whole number of 1 or more: {threads!r}"
            )
        static_collect.collect_if_stale()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "satupintu.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
        ]
        if int(threads) > 1:
            command += ["--worker-class", "gthread", "--threads", str(int(threads))]
        command += ["--access-logfile", "-"]
        os.execvp(sys.executable, command)  # noqa: S606 - replaces this process with the server
