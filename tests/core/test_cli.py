"""core/cli.py: what every management command refuses the same way (exit status 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management.base import CommandError

from satupintu.core.cli import USAGE_ERROR, date_arg, positive_number, usage_error, whole_number


def test_a_usage_error_exits_with_status_2() -> None:
    assert USAGE_ERROR == 2
    assert usage_error("bad").returncode == 2


def test_dates() -> None:
    assert date_arg("2025-03-11") == dt.date(2025, 3, 11)
    with pytest.raises(CommandError, match="^--since: ") as caught:
        date_arg("11-03-2025", option="--since")
    assert caught.value.returncode == USAGE_ERROR
    with pytest.raises(CommandError) as bare:
        date_arg("2025-02-30")
    assert not str(bare.value).startswith(":")


def test_numbers() -> None:
    assert whole_number(" -3 ", "N") == -3
    with pytest.raises(CommandError, match=r"^invalid N 'x': expected a whole number$"):
        whole_number("x", "N")
    assert positive_number("5", "--limit") == 5
    for text in ("0", "-1", "ten", ""):
        with pytest.raises(CommandError, match="^--limit must be a whole number of at least 1"):
            positive_number(text, "--limit")
