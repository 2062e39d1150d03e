"""``satupintu federation``: exchange forwarded reports with other governments' Open311 servers.

Examples::

    satupintu federation push --once   # file newly forwarded reports on the remote servers
    satupintu federation pull --once   # bring remote status changes onto our timelines
    satupintu federation sync          # both, every 30 seconds until stopped (SIGTERM, Ctrl-C)

Each pass prints one line when it did something. Safe to run in several processes at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from satupintu.open311 import federation

JOBS: dict[str, Callable[[], str]] = {
    "push": federation.push,
    "pull": federation.pull,
    "sync": federation.sync,
}


class Command(BaseCommand):
    help = "File forwarded reports on other governments' Open311 servers and fetch their answers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=sorted(JOBS), help="push, pull, or sync (both)")
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--every", type=float, default=30.0, metavar="SECONDS", help="pause between passes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        job = JOBS[options["job"]]
        if options["once"]:
            self._pass(job)
            return
        stop = threading.Event()
        previous = {
            sig: signal.signal(sig, lambda *_: stop.set())
            for sig in (signal.SIGTERM, signal.SIGINT)
        }
        self.stderr.write(
            f"federation {options['job']}: every {options['every']:g} s until stopped"
        )
        self.stderr.flush()
        try:
            while not stop.is_set():
                close_old_connections()  # a long-running loop drops stale connections
                self._pass(job)
                stop.wait(max(options["every"], 1.0))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _pass(self, job: Callable[[], str]) -> None:
        summary = job()
        if summary:
            stamp = timezone.localtime().isoformat(timespec="seconds")
            self.stdout.write(f"{stamp} {summary}")
