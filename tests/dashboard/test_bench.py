"""bench/dashboard.py keeps working: end to end on a tiny SQLite city, printing its figures."""

from __future__ import annotations

from pathlib import Path

from tests.test_bench import run_bench


def test_dashboard_benchmark_runs_and_prints_figures(tmp_path: Path) -> None:
    out = run_bench(
        "dashboard.py",
        tmp_path,
        *("--db", "sqlite", "--reports", "200", "--calls", "3", "--transitions", "5"),
    )
    assert "rebuild:" in out and "dashboard_dailyrollup" in out
    for label in ("headline", "backlog by status", "wrong doors per agency", "12-month trend"):
        assert label in out
    assert "slowest panel p95" in out
    assert "upkeep: 10 outbox events" in out
