"""``satupintu worker``: the job registry, the loop, failures, --once and a graceful stop."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from satupintu.core import worker
from satupintu.core.worker import JOBS, Job, Worker
from satupintu.notifications.models import WebhookDelivery
from tests.conftest import City
from tests.notifications.conftest import make_endpoint, running_receiver

calls: list[str] = []


def job_a() -> str:
    calls.append("a")
    return "did a"


def job_idle() -> str:
    calls.append("idle")
    return ""


def job_broken() -> str:
    calls.append("broken")
    raise RuntimeError("database went away")


HERE = __name__


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    calls.clear()


def test_registry_lists_importable_jobs() -> None:
    assert {job.name: job.every for job in JOBS} == {
        "sla-sweep": 60,
        "webhooks-fan-out": 1,
        "webhooks-deliver": 1,
        "webhooks-purge": 3600,
        "messages-send": 5,
        "messages-fan-out": 2,
        "messages-closing-soon": 3600,
        "messages-due-tomorrow": 3600,
        "messages-digest": 3600,
        "channels-inbound": 5,
        "email-poll": 30,
        "federation-push": 10,
        "federation-pull": 60,
        "indicators-refresh": 3600,
        "idempotency-purge": 3600,
        "dashboard-rollup": 2,
    }
    for job in JOBS:
        assert callable(job.function())
    assert [j.name for j in worker.jobs_named("webhooks-")] == [
        "webhooks-fan-out",
        "webhooks-deliver",
        "webhooks-purge",
    ]


def test_once_runs_each_job_and_a_failure_does_not_stop_the_others(db: Any) -> None:
    lines: list[str] = []
    jobs = [Job("a", 60, f"{HERE}.job_a"), Job("broken", 60, f"{HERE}.job_broken")]
    jobs.append(Job("idle", 60, f"{HERE}.job_idle"))
    w = Worker(jobs, log=lines.append)
    w.run(once=True)
    assert calls == ["a", "broken", "idle"]
    assert lines == ["a: did a", "broken failed: RuntimeError: database went away"]
    assert w.failures == 1


def test_loop_runs_each_job_at_its_interval_until_stopped(db: Any) -> None:
    lines: list[str] = []
    w = Worker(
        [Job("a", 0.05, f"{HERE}.job_a"), Job("idle", 10, f"{HERE}.job_idle")], log=lines.append
    )
    timer = threading.Timer(0.5, w.stop)
    timer.start()
    started = time.monotonic()
    w.run()
    assert time.monotonic() - started < 2
    assert calls.count("idle") == 1  # every 10 s: once in half a second
    assert 4 <= calls.count("a") <= 12  # every 50 ms


def test_worker_once_sweeps_and_delivers(city: City, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    report = city.dispatched()
    time_machine.move_to(dt.datetime(2025, 3, 24, 2, 0, tzinfo=dt.UTC), tick=False)
    out = StringIO()
    with running_receiver() as receiver:
        make_endpoint(receiver.url, "overdue")
        call_command("worker", "--once", stdout=out)
    text = out.getvalue()
    assert "sla-sweep: 0 auto-closed, 0 hold expired, 1 escalated" in text
    assert "webhooks-fan-out: 3 events, 1 deliveries created" in text
    assert "webhooks-deliver: 1 delivered, 0 to retry, 0 failed" in text
    [got] = receiver.requests
    assert got.json()["type"] == "overdue"
    assert got.json()["report"]["tracking_number"] == report.tracking_number
    assert WebhookDelivery.objects.get().status == "succeeded"


@pytest.mark.parametrize(
    ("command", "started", "stopped"),
    [
        ("worker", "worker started: database backend, queues default, periodic", "worker stopped"),
        ("scheduler", "scheduler started: sla-sweep every 60 s", "runs enqueued"),
    ],
)
def test_sigterm_stops_the_worker_and_scheduler_cleanly(
    tmp_path: Path, command: str, started: str, stopped: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SATUPINTU_TASKS"}}
    env |= {"SATUPINTU_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    satupintu = [sys.executable, "-m", "satupintu.cli"]
    subprocess.run([*satupintu, "migrate", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    proc = subprocess.Popen(  # noqa: S603
        [*satupintu, command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith(started)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out.strip().endswith(stopped)
