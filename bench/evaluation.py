"""Evaluation benchmark: the complaint-indicator refresh over a large demo city, and the server
time of the evaluation pages that read its stored rows.

    .venv/bin/python bench/evaluation.py --reports 100000 --db postgres

Seeds the demo city (Kota Depok) with N reports and its service catalogue and PEKPPP worksheet
into a fresh database, times ``satupintu indicators refresh`` for this year and last, then
requests each evaluation page many times through Django's full request stack and prints p50/p95
server time and the number of SQL queries per page (the same whatever N: the pages read stored
rows, never the reports).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import parse_reports, report_parser, settle, setup_django, time_pages  # noqa: E402


def main() -> None:
    parser = report_parser(__doc__)
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    args = parse_reports(parser)
    where = setup_django(args.db)

    from django.test import Client

    from satupintu.agencies import calendar as workcal
    from satupintu.complaints.models import Disposition
    from satupintu.core.models import User
    from satupintu.demo import evaluation, seed
    from satupintu.evaluation.indicators import indicators_refresh

    print(f"evaluation benchmark: {args.reports} reports on {where}")
    started = time.perf_counter()
    seed.seed_master()
    seed.seed_reports(args.reports, seed=99)
    evaluation.seed_evaluation()
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    settle()
    this_year = workcal.today().year
    print(f"{Disposition.objects.count()} disposisi in the database")
    for year in (this_year - 1, this_year):
        result = indicators_refresh(year=year)
        print(
            f"indicators refresh {year}: {result.hops} disposisi, {result.agencies} agencies, "
            f"{result.seconds:.2f} s"
        )

    evaluator = Client()
    evaluator.force_login(User.objects.get(username=evaluation.EVALUATOR))
    unit = evaluation.WORKSHEET_UNIT
    pages = [
        ("evaluation overview", f"/petugas/evaluasi/?tahun={this_year}"),
        ("complaint indicators", f"/petugas/evaluasi/pengaduan/?tahun={this_year}"),
        ("PEKPPP worksheet", f"/petugas/evaluasi/pekppp/{unit}/{this_year}/"),
        ("Ombudsman readiness", f"/petugas/evaluasi/ombudsman/{unit}/?tahun={this_year}"),
    ]
    print()
    time_pages([(name, evaluator, url) for name, url in pages], args.requests)


if __name__ == "__main__":
    main()
