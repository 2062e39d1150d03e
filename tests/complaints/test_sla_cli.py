"""``satupintu sla sweep`` and ``satupintu sla overdue`` (domain.md §1.6), with frozen time."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.complaints import services
from satupintu.complaints.models import ReportEvent
from satupintu.core import audit
from satupintu.domain.lifecycle import Status


def at(time_machine: Any, day: dt.date) -> None:
    """Move the frozen clock to 09:00 WIB on ``day``."""
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC), tick=False)


def sla(*args: str) -> str:
    out = StringIO()
    call_command("sla", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_overdue_dispatch_is_escalated_once(city: Any, weekday: dt.date, time_machine: Any) -> None:
    report = city.dispatched()
    # First follow-up due 5 working days after the disposisi on Wed 5 March 2025.
    assert report.next_due == dt.date(2025, 3, 12)
    assert sla("sweep") == (
        "SLA sweep for 2025-03-05: 0 auto-closed, 0 hold expired, 0 escalated\n"
    )

    at(time_machine, dt.date(2025, 3, 14))  # 7 working days after the disposisi
    assert sla("sweep") == (
        "SLA sweep for 2025-03-14: 0 auto-closed, 0 hold expired, 1 escalated\n"
    )
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.escalation_level == 1
    assert report.escalated_due == dt.date(2025, 3, 12)
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.ESCALATED)
    assert event.data["working_days_late"] == 2
    assert event.agency == city.dpupr

    # Idempotent: the same lapsed deadline is escalated only once.
    assert sla("sweep").endswith("0 escalated\n")
    report.refresh_from_db()
    assert report.escalation_level == 1
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.ESCALATED).count() == 1
    assert audit.verify().ok


def test_resolved_report_past_auto_close_is_closed(
    city: Any, weekday: dt.date, time_machine: Any
) -> None:
    report = city.resolved()
    assert report.autoclose_due == dt.date(2025, 3, 19)  # 10 working days

    at(time_machine, dt.date(2025, 3, 19))
    assert sla("sweep").endswith(": 0 auto-closed, 0 hold expired, 0 escalated\n")

    at(time_machine, dt.date(2025, 3, 20))
    assert sla("sweep") == (
        "SLA sweep for 2025-03-20: 1 auto-closed, 0 hold expired, 0 escalated\n"
    )
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.next_due is None
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.AUTO_CLOSED).exists()
    assert sla("sweep").endswith(": 0 auto-closed, 0 hold expired, 0 escalated\n")


def test_hold_expiry_with_the_today_option(city: Any, weekday: dt.date) -> None:
    report, _secret = city.file()
    services.report_hold(actor=city.verifier, report_id=report.pk, message="Mohon lampirkan foto.")
    report.refresh_from_db()
    assert report.hold_due == dt.date(2025, 3, 19)

    out = sla("sweep", "--today", "2025-03-20")
    assert out == "SLA sweep for 2025-03-20: 0 auto-closed, 1 hold expired, 0 escalated\n"
    report.refresh_from_db()
    assert report.status == Status.ARCHIVED


def test_overdue_lists_reports(city: Any, weekday: dt.date, time_machine: Any) -> None:
    late = city.dispatched()
    waste = city.dispatched(category=city.waste, title="Sampah menumpuk di pasar")
    unverified, _secret = city.file(title="Lampu jalan mati")
    assert sla("overdue") == "no overdue reports on 2025-03-05\n"

    at(time_machine, dt.date(2025, 3, 14))
    lines = sla("overdue").splitlines()
    assert lines[0].split() == ["TRACKING", "STATUS", "AGENCY", "DUE", "DAYS", "LATE"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows == {
        late.tracking_number: ["dispatched", "dpupr", "2025-03-12", "2"],
        waste.tracking_number: ["dispatched", "dlhk", "2025-03-12", "2"],
        unverified.tracking_number: ["received", "-", "2025-03-10", "4"],
    }
    # Most overdue first.
    assert lines[1].startswith(unverified.tracking_number)

    only_dpupr = sla("overdue", "--agency", "dpupr").splitlines()
    assert [line.split()[0] for line in only_dpupr[1:]] == [late.tracking_number]
    assert sla("overdue", "--agency", "pln-depok") == "no overdue reports on 2025-03-14\n"

    limited = sla("overdue", "--limit", "1").splitlines()
    assert len(limited) == 3
    assert limited[-1].startswith("… 2 more (showing 1 of 3")

    assert sla("overdue", "--today", "2025-03-11").count("\n") == 2  # only the unverified one


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("overdue", "--agency", "no-such-agency"), "unknown agency code 'no-such-agency'"),
        (("overdue", "--limit", "0"), "--limit must be a whole number of at least 1"),
        (("overdue", "--limit", "ten"), "--limit must be a whole number"),
        (("overdue", "--today", "2025-02-29"), "2025-02-29 does not exist"),
        (("sweep", "--today", "yesterday"), "expected YYYY-MM-DD"),
        (("sweep", "--batch", "-1"), "--batch must be a whole number"),
    ],
)
def test_bad_input_exits_2(city: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        sla(*args)
    assert caught.value.returncode == 2


def test_missing_sub_command_is_an_error(db: Any) -> None:
    with pytest.raises(CommandError, match="required"):
        sla()
