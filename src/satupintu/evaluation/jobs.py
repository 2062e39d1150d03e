"""Periodic jobs of the evaluation app, run by ``satupintu worker`` (core/worker.py)."""

from __future__ import annotations

from satupintu.agencies import calendar as workcal
from satupintu.evaluation.indicators import indicators_refresh


def refresh_indicators() -> str:
    """This year's complaint indicators per agency, for the evaluation pages."""
    result = indicators_refresh(year=workcal.today().year)
    return f"indicators {result.year}: {result.agencies} agencies in {result.seconds:.1f} s"
