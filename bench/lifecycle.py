"""Lifecycle benchmark: N reports through receive → dispatch → follow-up → resolve → close.

    .venv/bin/python bench/lifecycle.py --reports 100000 --db postgres
    .venv/bin/python bench/lifecycle.py --reports 100000 --db sqlite

Every step is a real service call (row lock, lifecycle check, deadline, timeline event, audit
entry). A share of reports stops at each step, so the end state is a realistic mix; then the
overdue query is timed at 100 % of the data, 30 working days later, and ``sla sweep`` runs over
the result until nothing is left to do. Targets (issue 2): one transition p95 < 10 ms,
≥ 100 reports/s through the whole lifecycle, overdue query < 20 ms at 100,000 reports.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, parse_reports, report_parser, settle, setup_django  # noqa: E402


def make_city() -> dict[str, object]:
    from satupintu.agencies.models import Agency, Membership, Role
    from satupintu.complaints.models import Category
    from satupintu.core.models import User

    pemda = Agency.objects.create(code="pemda", name="Pemerintah Kota Bench", kind="pemda")
    agencies = [
        Agency.objects.create(code=f"opd-{i}", name=f"Dinas {i}", kind="opd", parent=pemda)
        for i in range(20)
    ]
    categories = [
        Category.objects.create(
            code=f"cat-{i}",
            name=f"Kategori {i}",
            default_agency=agencies[i % len(agencies)],
            report_type=["pengaduan", "aspirasi", "informasi"][i % 3],
        )
        for i in range(40)
    ]
    verifier = User.objects.create(username="verifier")
    Membership.objects.create(user=verifier, agency=pemda, role=Role.VERIFIER)
    officers = {}
    for agency in agencies:
        officer = User.objects.create(username=f"liaison-{agency.code}")
        Membership.objects.create(user=officer, agency=agency, role=Role.LIAISON)
        officers[agency.pk] = officer
    return {"verifier": verifier, "officers": officers, "categories": categories}


def main() -> None:
    parser = report_parser(__doc__)
    args = parse_reports(parser, least=10)
    where = setup_django(args.db)

    from satupintu.agencies import calendar as workcal
    from satupintu.complaints import selectors, services
    from satupintu.complaints.models import Report
    from satupintu.complaints.policies import Reporter

    rng = random.Random(7)
    city = make_city()
    verifier = city["verifier"]
    officers = city["officers"]
    categories = city["categories"]
    n = args.reports
    print(f"lifecycle benchmark: {n} reports on {where}")

    t_receive = Timer("receive")
    t_dispatch = Timer("verify+dispatch")
    t_follow = Timer("first follow-up")
    t_resolve = Timer("resolve")
    t_close = Timer("confirm+rate (close)")
    whole = time.perf_counter()
    ids: list[int] = []
    with t_receive.run():
        for i in range(n):
            report, _secret = t_receive.call(  # type: ignore[misc]
                lambda i=i: services.report_receive(
                    actor=None,
                    channel="web",
                    title=f"Laporan nomor {i}",
                    description="Jalan rusak berlubang di dekat pasar, mohon segera diperbaiki.",
                    category=categories[i % len(categories)],
                    contact=services.Contact(name="Warga", phone=f"0812{i:08d}"),
                    is_anonymous=i % 10 == 0,
                )
            )
            ids.append(report.pk)
    # A share stops at each step so the data ends as a realistic mix (90/80/70/50 %).
    dispatched = ids[: int(n * 0.9)]
    followed = dispatched[: int(n * 0.8)]
    resolved = followed[: int(n * 0.7)]
    closed = resolved[: int(n * 0.5)]
    agency_of: dict[int, int] = {}
    with t_dispatch.run():
        for pk in dispatched:
            r = t_dispatch.call(
                lambda pk=pk: services.report_dispatch(actor=verifier, report_id=pk)
            )
            agency_of[pk] = r.current_agency_id  # type: ignore[attr-defined]
    with t_follow.run():
        for pk in followed:
            t_follow.call(
                lambda pk=pk: services.report_follow_up(
                    actor=officers[agency_of[pk]], report_id=pk, body="Sedang kami tinjau."
                )
            )
    with t_resolve.run():
        for pk in resolved:
            t_resolve.call(
                lambda pk=pk: services.report_resolve(
                    actor=officers[agency_of[pk]], report_id=pk, answer="Sudah diperbaiki."
                )
            )
    with t_close.run():
        for pk in closed:
            t_close.call(
                lambda pk=pk: services.report_confirm(
                    actor=Reporter(pk), report_id=pk, rating=rng.randint(1, 5)
                )
            )
    whole = time.perf_counter() - whole
    steps = len(ids) + len(dispatched) + len(followed) + len(resolved) + len(closed)
    print()
    for timer in (t_receive, t_dispatch, t_follow, t_resolve, t_close):
        print(timer.line())
    all_calls = Timer("any transition")
    for timer in (t_receive, t_dispatch, t_follow, t_resolve, t_close):
        all_calls.samples.extend(timer.samples)
    all_calls.wall = whole
    print(all_calls.line())
    per_report = sum(
        t.wall / len(t.samples) for t in (t_receive, t_dispatch, t_follow, t_resolve, t_close)
    )
    print(
        f"whole lifecycle: {steps} service calls in {whole:.1f} s; one report through all five "
        f"steps takes {per_report * 1000:.1f} ms: {1 / per_report:.1f} reports/s from one process"
    )

    settle()
    later = workcal.calendar().add(workcal.today(), 30)
    t_overdue = Timer("overdue query (count+page)")
    t_overdue_agency = Timer("overdue query, one agency")
    some_agency = next(iter(officers))
    for _ in range(50):
        t_overdue.call(
            lambda: (
                selectors.overdue_reports(today=later).count(),
                list(selectors.overdue_reports(today=later)[:50]),
            )
        )
        t_overdue_agency.call(
            lambda: list(selectors.overdue_reports(today=later, agency_ids=[some_agency])[:50])
        )
    overdue_count = selectors.overdue_reports(today=later).count()
    print()
    print(f"{Report.objects.count()} reports, {overdue_count} overdue on {later}")
    print(t_overdue.line())
    print(t_overdue_agency.line())

    t_sweep = Timer("sla sweep (per report acted)")
    acted = 0
    start = time.perf_counter()
    while True:
        result = services.sla_sweep(today=later)
        done = result.auto_closed + result.hold_expired + result.escalated
        if not done:
            break
        acted += done
    elapsed = time.perf_counter() - start
    t_sweep.wall = elapsed
    print(
        f"sla sweep: {acted} reports escalated or closed in {elapsed:.1f} s "
        f"({acted / elapsed if elapsed else 0:.1f}/s); a second sweep finds nothing: "
        f"{services.sla_sweep(today=later) == services.SweepResult()}"
    )


if __name__ == "__main__":
    main()
