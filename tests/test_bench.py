"""The benchmarks keep working: each runs end to end on a tiny data set and prints its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bench(script: str, tmp_path: Path, *args: str) -> str:
    """Run ``bench/<script>`` on a fresh SQLite database of its own; its output."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["SATUPINTU_DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_lifecycle_benchmark_runs_and_prints_figures(tmp_path: Path) -> None:
    out = run_bench("lifecycle.py", tmp_path, "--reports", "40")
    for label in ("receive", "verify+dispatch", "first follow-up", "resolve", "overdue query"):
        assert label in out
    assert "reports/s from one process" in out
    assert "a second sweep finds nothing: True" in out


def test_evaluation_benchmark_runs_and_prints_figures(tmp_path: Path) -> None:
    out = run_bench("evaluation.py", tmp_path, "--reports", "200", "--requests", "3")
    for label in ("indicators refresh", "evaluation overview", "PEKPPP worksheet", "queries"):
        assert label in out
    assert "answered" not in out


def test_api_benchmark_serves_under_gunicorn_and_prints_figures(tmp_path: Path) -> None:
    out = run_bench(
        "api.py",
        tmp_path,
        *("--db", "sqlite", "--reports", "100", "--seconds", "1", "--rate", "20"),
        *("--concurrency", "2"),
    )
    lines = {line.split("  ")[0].strip(): line for line in out.splitlines() if " req " in line}
    creates = [line for name, line in lines.items() if name.startswith("create")]
    assert len(creates) == 2
    for line in creates:
        assert "ok/s" in line and "p99" in line
        assert "other statuses" not in line  # every report was filed (201)
    for name in ("Open311 GET requests.json, filtered", "officer queue (API v1)"):
        assert name in lines and "other statuses" not in lines[name]
    # Where the CPU of a filing went (no database server on SQLite).
    [cpu] = [line for line in out.splitlines() if "CPU a request:" in line]
    assert "server " in cpu and "load generator " in cpu and "PostgreSQL" not in cpu
    assert "machine reference" in out


def test_channels_benchmark_runs_conversations_to_the_end_and_prints_figures(
    tmp_path: Path,
) -> None:
    out = run_bench(
        "channels.py",
        tmp_path,
        *("--db", "sqlite", "--backend", "database", "--conversations", "3", "--clients", "3"),
    )
    assert "processed 30 of 30 inbound messages" in out
    assert "3 reports filed" in out
    assert "0 reached someone twice" in out and "p99" in out
