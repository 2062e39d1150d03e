"""Operations-room benchmark: the full rebuild and every panel's selector over a large city.

    BENCH_DB_NAME=bench_dash .venv/bin/python bench/dashboard.py --reports 1000000

Seeds the demo city (Kota Depok) with N reports into a fresh database (PostgreSQL by default),
times ``satupintu dashboard rebuild``, then calls each selector of dashboard/selectors.py many
times with varied filters (periods from a week to a year, an agency, a category, a kecamatan,
a channel, an agency head's scope) and prints p50/p95. Last, it files and moves reports through
the services and times the incremental upkeep per outbox event. Targets (issue 14): the rebuild
under 60 s and every panel's p95 under 150 ms at 1,000,000 reports on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, machine_speed, parse_reports, report_parser, settle, setup_django  # noqa: E402


def _existing() -> str:
    """Point Django at the already seeded database BENCH_DB_NAME and migrate it."""
    import os
    import secrets
    import tempfile
    import urllib.parse

    os.environ["SATUPINTU_DATA_DIR"] = tempfile.mkdtemp(prefix="satupintu-bench-")
    os.environ.setdefault("SATUPINTU_DEBUG", "0")
    for name in ("SECRET_KEY", "SATUPINTU_FIELD_KEY", "SATUPINTU_AUDIT_KEY"):
        os.environ.setdefault(name, secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    name = os.environ.get("BENCH_DB_NAME", "satupintu_bench")
    parts = urllib.parse.urlparse(admin_url)
    os.environ["DATABASE_URL"] = urllib.parse.urlunparse(parts._replace(path=f"/{name}"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return f"postgres ({os.environ['DATABASE_URL']})"


def main() -> None:
    parser = report_parser(__doc__, db="postgres")
    parser.set_defaults(reports=1_000_000)
    parser.add_argument("--calls", type=int, default=60, help="calls per selector")
    parser.add_argument("--transitions", type=int, default=300, help="reports filed for upkeep")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="use the PostgreSQL database BENCH_DB_NAME as it is (seeded before): no seeding",
    )
    args = parse_reports(parser)
    where = _existing() if args.existing else setup_django(args.db)

    from django.db import connection, transaction

    from satupintu.agencies import calendar as workcal
    from satupintu.agencies.models import Agency, Membership, Region
    from satupintu.complaints import services
    from satupintu.complaints.models import Category, Report
    from satupintu.dashboard import rebuild, selectors, upkeep
    from satupintu.dashboard.models import (
        AreaRollup,
        BacklogRollup,
        BacklogSummary,
        DailyArea,
        DailyRollup,
        DailySummary,
        DurationHistogram,
        HopFact,
        MonthlyRollup,
        MonthlySummary,
        ReportFact,
        WrongDoorRollup,
    )
    from satupintu.dashboard.selectors import CITY, Filters, Scope
    from satupintu.demo import seed

    if not args.existing:
        print(f"dashboard benchmark: {args.reports} reports on {where}")
    print(f"machine reference: {machine_speed():.2f} s of CPU for a fixed Python loop")
    if args.existing:
        print(f"dashboard benchmark: {Report.objects.count()} reports already in {where}")
    else:
        started = time.perf_counter()
        seed.seed_master()
        seed.seed_reports(args.reports, seed=99)
        print(f"seeded in {time.perf_counter() - started:.1f} s")
    settle()

    result = rebuild.rebuild()
    print(
        f"rebuild: {result.seconds:.1f} s ({result.reports} facts, {result.hops} wrong-door "
        f"hops, {result.rows} rollup rows; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.phases.items())
        + ")"
    )
    for model in (
        ReportFact,
        HopFact,
        DailyRollup,
        MonthlyRollup,
        DailySummary,
        MonthlySummary,
        AreaRollup,
        DailyArea,
        BacklogRollup,
        BacklogSummary,
        DurationHistogram,
        WrongDoorRollup,
    ):
        print(f"  {model._meta.db_table:<32} {model.objects.count():>9} rows")
    settle()
    again = rebuild.rebuild()
    print(
        f"rebuild again (replacing the stored figures): {again.seconds:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in again.phases.items())
        + ")"
    )
    settle()

    rng = random.Random(5)
    today = workcal.today()
    agencies = list(
        Agency.objects.exclude(kind=Agency.Kind.PEMDA).values_list("pk", flat=True).order_by("pk")
    )
    categories = list(Category.objects.values_list("pk", flat=True))
    kecamatan = list(Region.objects.filter(level=3).values_list("code", flat=True))
    channels = list(seed.CHANNEL_WEIGHTS)
    periods = [
        Filters.last_days(7, today=today),
        Filters.last_days(30, today=today),
        Filters.last_days(90, today=today),
        Filters.last_days(365, today=today),
        Filters(start=today.replace(day=1), end=today),
        Filters.month(today.replace(day=1) - dt.timedelta(days=1)),
    ]
    head_agency = (
        Membership.objects.filter(role="agency_head").values_list("agency_id", flat=True).first()
    )
    head_scope = Scope(frozenset({head_agency})) if head_agency else CITY

    def varied() -> tuple[Filters, Scope]:
        base = rng.choice(periods)
        pick = rng.random()
        kw: dict[str, Any] = {}
        if pick < 0.2:
            kw["agency_id"] = rng.choice(agencies)
        elif pick < 0.35:
            kw["category_id"] = rng.choice(categories)
        elif pick < 0.45:
            kw["kecamatan"] = rng.choice(kecamatan)
        elif pick < 0.55:
            kw["channel"] = rng.choice(channels)
        scope = head_scope if rng.random() < 0.15 else CITY
        return Filters(base.start, base.end, **kw), scope

    panels: list[tuple[str, Any]] = [
        ("headline", lambda f, s: selectors.headline(f, s, today=today)),
        ("backlog by status", lambda f, s: selectors.backlog(f, s, today=today)),
        ("SLA + overdue per agency", lambda f, s: selectors.sla_by_agency(f, s, today=today)),
        ("durations per agency", selectors.durations_by_agency),
        ("wrong doors per agency", selectors.wrong_doors_by_agency),
        ("reports per kelurahan", selectors.reports_by_kelurahan),
        ("12-month trend", selectors.monthly_trend),
        ("weekly per category", selectors.weekly_by_category),
        ("ratings per agency", selectors.ratings_by_agency),
    ]
    print()
    worst = 0.0
    for name, call in panels:
        timer = Timer(name)
        call(*varied())  # warm
        for _ in range(args.calls):
            f, s = varied()
            timer.call(lambda f=f, s=s, call=call: call(f, s))
        worst = max(worst, timer.quantile(0.95))
        print(timer.line())
    print(f"slowest panel p95: {worst * 1000:.1f} ms")

    # Incremental upkeep: reports filed and dispatched through the services, then rolled up.
    verifier = Membership.objects.filter(role="verifier").values_list("user", flat=True).first()
    from satupintu.core.models import User

    actor = User.objects.get(pk=verifier)
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    upkeep.upkeep(batch=10_000)  # nothing waits yet
    filed = time.perf_counter()
    for _ in range(args.transitions):
        report, _secret = services.report_receive(
            actor=None,
            channel="web",
            title="Jalan berlubang",
            description="Lubang besar di depan sekolah.",
            category=category,
        )
        services.report_dispatch(actor=actor, report_id=report.pk)
    filed = time.perf_counter() - filed
    ran = time.perf_counter()
    events = 0
    while True:
        with transaction.atomic():
            done = upkeep.upkeep()
        events += done.events
        if not done.events:
            break
    ran = time.perf_counter() - ran
    per_event = ran / events * 1000 if events else float("nan")
    print()
    print(
        f"upkeep: {events} outbox events ({args.transitions} reports filed and dispatched in "
        f"{filed:.1f} s) rolled up in {ran:.2f} s: {per_event:.2f} ms per event, in the worker "
        "(nothing is added to the transition itself)"
    )
    connection.close()


if __name__ == "__main__":
    main()
