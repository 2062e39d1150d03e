"""Background work as tasks of Django's Tasks API (the ``django-tasks`` backport).

Every periodic job an app registers (core/worker.py: the SLA sweep, webhook fan-out and
delivery, message sends, federation, indicators, purges) runs as :data:`run_job` with the job's
name; the scheduler (:func:`schedule_forever`, ``satupintu scheduler``) enqueues each one when
it is due, and any number of ``satupintu worker`` processes on any number of machines run them.
Work that follows an event (an inbound message, a message to send) is enqueued by the code that
caused it, after its transaction commits (:func:`enqueue_on_commit`).

Every task is safe to run twice and to be lost: its durable state is in the app's own rows
(claimed with a lease or a compare-and-set), and the periodic job of the same app picks up
whatever a killed worker left behind. So neither backend needs to recover a task itself.

The backend is one setting, ``SATUPINTU_TASKS``: ``database`` (django-tasks-db, the default,
nothing to install) or ``rq`` (django-tasks-rq on the Redis at ``REDIS_URL``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus, task

from satupintu.core import worker

logger = logging.getLogger(__name__)

#: Queue of the periodic jobs, apart from the sends and receives on ``default`` so that a long
#: webhook drain never holds up a resident's answer when workers listen to both.
PERIODIC_QUEUE = "periodic"


@task(queue_name=PERIODIC_QUEUE)
def run_job(name: str) -> str:
    """Run the registered periodic job ``name`` once; its one-line summary is the result."""
    for job in worker.JOBS:
        if job.name == name:
            worker.tidy_connections()
            try:
                return job.function()()
            finally:
                worker.tidy_connections()
    logger.warning("no periodic job named %s", name)
    return ""


def enqueue_on_commit(task_obj: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task_obj(*args, **kwargs)`` once the current transaction commits (at once
    outside one). A failure to enqueue is logged, never raised: the periodic job of the same
    work picks it up a moment later."""

    def enqueue() -> None:
        try:
            task_obj.enqueue(*args, **kwargs)
        except Exception:
            logger.exception("could not enqueue %s", getattr(task_obj, "name", task_obj))

    transaction.on_commit(enqueue)


@dataclass
class Scheduler:
    """Enqueues each periodic job when it is due, unless a run of it still waits in the queue.

    Only a *waiting* run holds the job back, not a running one: while one worker drains the
    webhook deliveries, the next run waits for the next free worker, so the work spreads over
    as many workers as there are, and a job never piles up more than one run in the queue (nor
    stays blocked by a run whose worker was killed: jobs are safe to run twice).
    """

    jobs: list[worker.Job]
    log: Callable[[str], Any]
    clock: Callable[[], float] = time.monotonic
    #: The task that runs a job by name (tests pass a stand-in).
    runner: Any = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _last: dict[str, str] = field(default_factory=dict)
    enqueued: int = 0

    def stop(self, *_: Any) -> None:
        self._stop.set()

    @property
    def _runner(self) -> Any:
        return self.runner if self.runner is not None else run_job

    def _waiting(self, job: worker.Job) -> bool:
        result_id = self._last.get(job.name)
        if result_id is None:
            return False
        try:
            status = self._runner.get_backend().get_result(result_id).status
        except Exception:
            return False
        return bool(status == TaskResultStatus.READY)

    def tick(self, next_run: dict[str, float]) -> None:
        for job in self.jobs:
            now = self.clock()
            if next_run.get(job.name, 0.0) > now or self._waiting(job):
                continue
            try:
                result = self._runner.enqueue(job.name)
            except Exception as exc:
                logger.exception("could not enqueue job %s", job.name)
                self.log(f"{job.name}: could not enqueue: {type(exc).__name__}: {exc}")
                worker.tidy_connections()
                continue
            self._last[job.name] = result.id
            next_run[job.name] = now + job.every
            self.enqueued += 1

    def run(self, *, once: bool = False) -> None:
        next_run: dict[str, float] = {}
        while not self._stop.is_set():
            self.tick(next_run)
            if once or not self.jobs:
                return
            # Wake at least every second: a finished run frees its job for the next turn.
            wait = min(1.0, max(0.05, min(next_run.values(), default=1.0) - self.clock()))
            self._stop.wait(wait)


def schedule_forever(*, log: Callable[[str], Any], once: bool = False) -> int:
    """The scheduler process: SIGTERM/SIGINT stop it; returns how many runs it enqueued."""
    import signal

    scheduler = Scheduler(list(worker.JOBS), log=log)
    previous = {sig: signal.signal(sig, scheduler.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        scheduler.run(once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return scheduler.enqueued
