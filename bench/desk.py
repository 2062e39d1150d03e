"""Desk and portal page benchmark: server time of the busiest pages over a large demo city.

    .venv/bin/python bench/desk.py --reports 100000 --db postgres

Seeds the demo city (Kota Depok) with N reports into a fresh database, then requests each page
many times through Django's full request stack (middleware, sessions, templates) in-process and
prints p50/p95 server time and the number of SQL queries per page. Target (issue 3): p95 under
100 ms for each page at 100,000 reports.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import parse_reports, report_parser, settle, setup_django, time_pages  # noqa: E402


def main() -> None:
    parser = report_parser(__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    args = parse_reports(parser)
    where = setup_django(args.db)

    from django.test import Client

    from satupintu.agencies.models import Membership
    from satupintu.complaints.models import Report
    from satupintu.demo import seed

    print(f"desk benchmark: {args.reports} reports on {where}")
    started = time.perf_counter()
    seed.seed_master()
    seed.seed_reports(args.reports, seed=99)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    settle()

    busiest = (
        Report.objects.exclude(current_agency=None)
        .values_list("current_agency__code", flat=True)
        .order_by("current_agency__code")
    )
    counts: dict[str, int] = {}
    for code in busiest.iterator():
        counts[code] = counts.get(code, 0) + 1
    agency_code = max(
        (c for c in counts if Membership.objects.filter(agency__code=c, role="liaison").exists()),
        key=counts.__getitem__,
    )
    liaison = Membership.objects.get(agency__code=agency_code, role="liaison").user
    report = (
        Report.objects.filter(current_agency__code=agency_code, status="in_progress")
        .order_by("-pk")
        .first()
    )
    assert report is not None
    public = Report.objects.filter(is_confidential=False, status="closed").order_by("-pk").first()
    assert public is not None

    officer = Client()
    officer.force_login(liaison)
    visitor = Client()
    pages = [
        ("agency inbox, first page", officer, f"/petugas/instansi/{agency_code}/"),
        (
            "agency inbox, filtered",
            officer,
            f"/petugas/instansi/{agency_code}/?status=in_progress&terlambat=1&q=jalan",
        ),
        ("report page (officer)", officer, f"/petugas/laporan/{report.pk}/"),
        ("public list, first page", visitor, "/laporan/"),
        ("public list, search", visitor, "/laporan/?q=sampah"),
        ("public report page", visitor, f"/laporan/{public.tracking_number}/"),
    ]
    print(f"agency {agency_code}: {counts[agency_code]} reports held; officer {liaison}")
    print()
    time_pages(pages, args.requests)


if __name__ == "__main__":
    main()
