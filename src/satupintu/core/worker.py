"""The periodic jobs: each app's list of what to run, and how often.

Each app registers its own jobs in its ``AppConfig.ready`` (its apps.py), one line each, with
:func:`register`: a name, how often (seconds) and the dotted path of a function that takes no
arguments and returns a one-line summary of what it did ("" when there was nothing to do).
:data:`JOBS` lists them in the order they run when due together: the apps' order in
INSTALLED_APPS, then the order each app registers them (complaints' SLA sweep, whose escalations
are outbox events, comes before the webhooks' fan-out and deliveries). Every job is safe to run
in several workers at once (each claims its rows with a lock or a compare-and-set), so workers
may run on more than one machine.

In service, ``satupintu scheduler`` enqueues each job as a task when it is due and the task
workers run it (core/tasks.py). :class:`Worker` runs them in one process without a queue, for
``satupintu worker --once`` (cron). A job that raises is logged and tried again at its next
turn; the others go on. SIGTERM or SIGINT stops the loop after the job that is running.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    target: str

    def function(self) -> Callable[[], str]:
        func: Callable[[], str] = import_string(self.target)
        return func


#: The periodic jobs every app registered, in the order they run when due together.
JOBS: list[Job] = []


def register(name: str, every: float, target: str) -> Job:
    """Run the function at the dotted path ``target`` every ``every`` seconds, as job ``name``.

    Called from an app's ``AppConfig.ready``; the target is imported when the job first runs, so
    registering costs nothing for the processes that never run jobs. Registering a name again
    replaces that job in its place (``ready`` may run twice in tests).
    """
    job = Job(name, every, target)
    for index, known in enumerate(JOBS):
        if known.name == name:
            JOBS[index] = job
            return job
    JOBS.append(job)
    return job


def jobs_named(prefix: str) -> tuple[Job, ...]:
    return tuple(job for job in JOBS if job.name.startswith(prefix))


def tidy_connections() -> None:
    """Drop broken or expired database connections between jobs, so that a database restart
    costs one failed run, not the worker. Never inside a transaction (only tests run jobs so)."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()


class Worker:
    """Runs ``jobs`` until :meth:`stop` (or once each, with ``once=True``)."""

    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        log: Callable[[str], Any],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jobs = list(jobs)
        self.log = log
        self.clock = clock
        self._stop = threading.Event()
        self.failures = 0

    def stop(self, *_: Any) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_job(self, job: Job) -> bool:
        """Run one job now; False when it raised (logged, never re-raised)."""
        tidy_connections()
        try:
            summary = job.function()()
        except Exception as exc:
            logger.exception("job %s failed", job.name)
            self.log(f"{job.name} failed: {type(exc).__name__}: {exc}")
            self.failures += 1
            return False
        finally:
            tidy_connections()
        if summary:
            self.log(f"{job.name}: {summary}")
        return True

    def run(self, *, once: bool = False) -> None:
        next_run = {job.name: 0.0 for job in self.jobs}
        while not self.stopping:
            for job in self.jobs:
                if self.stopping:
                    return
                if next_run[job.name] <= self.clock():
                    self.run_job(job)
                    next_run[job.name] = self.clock() + job.every
            if once or not self.jobs:
                return
            self._stop.wait(max(0.0, min(next_run.values()) - self.clock()))


def run_until_signalled(jobs: Sequence[Job], *, once: bool, log: Callable[[str], Any]) -> int:
    """Run a worker with SIGTERM and SIGINT stopping it; returns the number of failed runs."""
    import signal

    from django.utils import timezone

    def stamped(line: str) -> None:
        log(f"{timezone.localtime().isoformat(timespec='seconds')} {line}")

    worker = Worker(jobs, log=stamped)
    previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        worker.run(once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return worker.failures
