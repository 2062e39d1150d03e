"""Background work on Django's Tasks API, on both backends (core/tasks.py).

The periodic jobs reach the queue through the scheduler and run in separate worker processes,
as in production: on the database backend (the default) and on RQ with Redis at
127.0.0.1:6379 (CI starts Debian's redis-server where none answers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus

from satupintu.core import tasks, worker
from tests.notifications.conftest import running_receiver

SATUPINTU = [sys.executable, "-m", "satupintu.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SATUPINTU_TASKS", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return env | {"SATUPINTU_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"} | extra


def _run(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [*SATUPINTU, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


FILE_THREE = """
from satupintu.complaints.actions import report_receive
from satupintu.complaints.models import Category
road = Category.objects.filter(is_active=True).order_by("pk").first()
for n in range(3):
    report_receive(actor=None, channel="web", title=f"Jalan rusak {n}",
                   description="Lubang besar di jalan depan sekolah, bahaya.", category=road)
"""


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_the_scheduler_and_a_worker_deliver_webhooks_on_each_backend(
    tmp_path: Path, backend: str, request: Any
) -> None:
    extra = {"SATUPINTU_TASKS": backend}
    if backend == "rq":
        extra["REDIS_URL"] = request.getfixturevalue("redis_db")
    env = _env(tmp_path, **extra)
    _run(env, "migrate", "-v", "0")
    _run(env, "seed-demo", "--reports", "0", "--seed", "1")
    _run(env, "shell", "-c", FILE_THREE)
    with running_receiver() as receiver:
        _run(env, "webhooks", "add", "kota-app", receiver.url, "--event", "created")
        out = _run(env, "scheduler", "--once")
        assert f"{len(worker.JOBS)} runs enqueued" in out
        _run(env, "worker", "--burst")
        events = sorted(json.loads(r.body)["id"] for r in receiver.requests)
    assert len(events) == 3 and len(set(events)) == 3


def test_an_unknown_queue_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [*SATUPINTU, "worker", "--queues", "default,bogus"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown queue bogus" in done.stderr


class _Result:
    def __init__(self, status: TaskResultStatus) -> None:
        self.status = status


class _Backend:
    def __init__(self) -> None:
        self.status: dict[str, TaskResultStatus] = {}

    def get_result(self, result_id: str) -> _Result:
        return _Result(self.status[result_id])


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_scheduler_keeps_at_most_one_run_of_a_job_waiting_in_the_queue() -> None:
    backend = _Backend()
    enqueued: list[str] = []

    class _Enqueued:
        def __init__(self, result_id: str) -> None:
            self.id = result_id

    def enqueue(name: str) -> _Enqueued:
        result_id = f"r{len(enqueued)}"
        enqueued.append(name)
        backend.status[result_id] = TaskResultStatus.READY
        return _Enqueued(result_id)

    class _Runner:
        def enqueue(self, name: str) -> _Enqueued:
            return enqueue(name)

        def get_backend(self) -> _Backend:
            return backend

    clock = _Clock()
    job = worker.Job("sweep", 60, "builtins.str")
    scheduler = tasks.Scheduler([job], log=print, clock=clock, runner=_Runner())
    next_run: dict[str, float] = {}
    scheduler.tick(next_run)
    clock.now += 61  # due again, but the first run still waits for a worker
    scheduler.tick(next_run)
    assert enqueued == ["sweep"]
    backend.status["r0"] = TaskResultStatus.RUNNING  # a worker took it: the next may wait
    scheduler.tick(next_run)
    assert enqueued == ["sweep", "sweep"]
    clock.now += 61  # due again; r0 still runs (or its worker was killed), r1 waits
    scheduler.tick(next_run)
    assert enqueued == ["sweep", "sweep"]
    backend.status["r1"] = TaskResultStatus.SUCCESSFUL
    scheduler.tick(next_run)
    assert enqueued == ["sweep", "sweep", "sweep"]
