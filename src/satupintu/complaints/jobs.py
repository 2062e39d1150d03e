"""Periodic jobs of the complaints app, run by ``satupintu worker`` (core/worker.py)."""

from __future__ import annotations

from satupintu.complaints import services


def sla_sweep() -> str:
    result = services.sla_sweep()
    if not (result.auto_closed or result.hold_expired or result.escalated):
        return ""
    return (
        f"{result.auto_closed} auto-closed, {result.hold_expired} hold expired, "
        f"{result.escalated} escalated"
    )
