"""``satupintu workdays``: add / between / holidays, in-process and as a real console script."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import CalendarDay

SATUPINTU = Path(sys.executable).with_name("satupintu")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    # CalendarDay rows vanish with the test's rollback, which sends no signal: drop the cache.
    workcal.invalidate()
    yield
    workcal.invalidate()


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script on a fresh install: an empty SQLite database with no tables."""
    env = {
        **os.environ,
        "SATUPINTU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "satupintu.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    return subprocess.run(  # noqa: S603 - fixed executable, test arguments
        [str(SATUPINTU), "workdays", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------- in-process


def test_add_across_lebaran_2024(db: Any) -> None:
    # Fri 5 April 2024; 8, 9, 12 and 15 April cuti bersama, 10-11 April Idul Fitri.
    assert run("add", "2024-04-05", "3") == "2024-04-18\n"


def test_add_zero_and_backwards(db: Any) -> None:
    assert run("add", "2024-04-06", "0") == "2024-04-06\n"
    assert run("add", "2024-04-18", "-3") == "2024-04-05\n"


def test_between(db: Any) -> None:
    assert run("between", "2024-04-05", "2024-04-18") == "3\n"
    assert run("between", "2024-04-18", "2024-04-05") == "-3\n"
    assert run("between", "2025-03-05", "2025-03-05") == "0\n"


def test_holidays_lists_date_kind_and_name(db: Any) -> None:
    lines = run("holidays", "2024").splitlines()
    assert any(
        line.startswith("2024-04-10") and "national" in line and "Idul Fitri" in line
        for line in lines
    )
    assert any(line.startswith("2024-04-08") and "cuti_bersama" in line for line in lines)
    assert lines == sorted(lines)


def test_local_holiday_row_shifts_add(db: Any) -> None:
    CalendarDay.objects.create(
        date=dt.date(2024, 4, 16), kind=CalendarDay.Kind.HOLIDAY, name="Hari Jadi Kota"
    )
    assert run("add", "2024-04-05", "3") == "2024-04-19\n"
    assert run("between", "2024-04-05", "2024-04-19") == "3\n"
    assert "2024-04-16  local         Hari Jadi Kota" in run("holidays", "2024")


def test_workday_correction_row_shifts_add(db: Any) -> None:
    # A decree moves the 8 April 2024 cuti bersama: it is a working day after all.
    CalendarDay.objects.create(
        date=dt.date(2024, 4, 8), kind=CalendarDay.Kind.WORKDAY, name="Cuti bersama dibatalkan"
    )
    assert run("add", "2024-04-05", "1") == "2024-04-08\n"
    assert "2024-04-08" not in run("holidays", "2024")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2024-02-30", "3"), "2024-02-30 does not exist"),
        (("add", "2024-13-01", "3"), "month 13 does not exist"),
        (("add", "5/4/2024", "3"), "expected YYYY-MM-DD"),
        (("add", "2024-04-05", "three"), "invalid number of working days 'three'"),
        (("between", "2024-04-05", "2024-04-31"), "2024-04-31 does not exist"),
        (("holidays", "twenty"), "invalid year 'twenty'"),
        (("holidays", "0"), "year 0 is outside"),
        (("add", "9999-12-30", "5"), "outside"),
    ],
)
def test_bad_input_exits_2(db: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 2


def test_missing_sub_command_is_an_error(db: Any) -> None:
    with pytest.raises(CommandError, match="required"):
        run()


# --------------------------------------------------------------------------- console script


def test_console_script_prints_the_date(tmp_path: Path) -> None:
    done = cli(tmp_path, "add", "2024-04-05", "3")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2024-04-18\n", "")


def test_console_script_bad_date_exits_2_without_traceback(tmp_path: Path) -> None:
    done = cli(tmp_path, "add", "2024-02-30", "3")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "2024-02-30 does not exist" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("add", "2024-04-05")])
def test_console_script_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = cli(tmp_path, *args)
    assert done.returncode == 2
    assert "usage: satupintu workdays" in done.stderr
    assert "Traceback" not in done.stderr
