"""``satupintu demo`` runs a task worker and the scheduler beside its server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_demo_serves_and_runs_the_periodic_jobs_then_stops_them(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SATUPINTU_TASKS", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"SATUPINTU_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    out = tmp_path / "demo-out.txt"
    with out.open("wb") as sink:
        demo = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "satupintu.cli", "demo", "--port", str(port), "--reports", "20"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    log = tmp_path / "demo-worker.log"
    try:
        deadline = time.monotonic() + 240
        answered = ran = False
        while time.monotonic() < deadline and not (answered and ran):
            assert demo.poll() is None, out.read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:  # noqa: S310
                    answered = r.status == 200
            except OSError:
                pass
            text = log.read_text(encoding="utf-8") if log.exists() else ""
            # The scheduler enqueued the SLA sweep and the worker ran it.
            ran = "run_job state=SUCCESSFUL" in text
            time.sleep(0.5)
        assert answered, "the demo server never answered"
        assert ran, log.read_text(encoding="utf-8") if log.exists() else "no worker log"
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=30)
        finally:
            if demo.poll() is None:
                demo.kill()
    text = log.read_text(encoding="utf-8")
    assert "worker stopped" in text and "scheduler stopped" in text
