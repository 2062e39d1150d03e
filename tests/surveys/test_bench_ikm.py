"""bench/ikm.py keeps working: it runs end to end on a tiny data set and both paths agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_ikm_benchmark_runs_and_paths_agree(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["SATUPINTU_DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "ikm.py"), "--responses", "500", "--units", "7"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ikm_for_period" in proc.stdout
    assert proc.stdout.count("agree: overall True, every unit True") == 2
