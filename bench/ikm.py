"""IKM benchmark: the SKM index of one period over N responses, in SQL and from a CSV file.

    .venv/bin/python bench/ikm.py --responses 1000000 --units 200 --db postgres
    .venv/bin/python bench/ikm.py --responses 1000000 --units 200 --db sqlite

A fresh database gets ``--units`` service units and ``--responses`` SKM responses (bulk inserts:
COPY on PostgreSQL), each unit with its own quality level and about 10 % blank answers. Then:

* SQL path: ``surveys.selectors.ikm_for_period`` (one aggregate query grouped by unit, exact
  arithmetic in Python) over all units;
* CSV path: the same responses written to a CSV file, read back with ``csv.reader`` and fed to
  the pure ``domain.indices.ikm_by_unit``.

Both print their time and the overall IKM, which must agree exactly. Target: under 2 s each.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import random
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django  # noqa: E402

BATCH = 100_000
BLANK_SHARE = 0.10  # about 10 % of answers left blank
POOL = 512  # distinct answer rows drawn per unit


def _answer_pool(rng: random.Random, quality: float) -> list[tuple[int | None, ...]]:
    """Plausible answer rows for a unit of the given quality (mean score roughly 2.4–3.7)."""
    weights = [
        max(0.02, 0.30 - 0.25 * quality),
        max(0.05, 0.40 - 0.30 * quality),
        0.45,
        0.10 + 0.50 * quality,
    ]
    rows = []
    for _ in range(POOL):
        row = tuple(
            None if rng.random() < BLANK_SHARE else rng.choices((1, 2, 3, 4), weights)[0]
            for _ in range(9)
        )
        if all(v is None for v in row):
            row = (3, *row[1:])  # at least one answer, as response_submit requires
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each path")
    args = parser.parse_args()
    if args.responses < 1 or args.units < 1:
        parser.error("--responses and --units must be positive")
    where = setup_django(args.db)

    from django.db import connection, transaction

    from satupintu.agencies.models import Agency
    from satupintu.core import bulk
    from satupintu.domain.indices import IkmSummary, IkmTally, ikm_by_unit
    from satupintu.surveys import selectors
    from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod

    n, n_units = args.responses, args.units
    print(f"IKM benchmark: {n} responses over {n_units} units on {where}")
    rng = random.Random(14_2017)
    pemda = Agency.objects.create(code="pemda", name="Pemerintah Kota Bench", kind="pemda")
    units = Agency.objects.bulk_create(
        [
            Agency(code=f"unit-{i:04d}", name=f"Unit layanan {i:04d}", kind="unit", parent=pemda)
            for i in range(n_units)
        ]
    )
    period = SurveyPeriod.objects.create(
        name="SKM bench",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        is_open=True,
    )
    pools = {unit.pk: _answer_pool(rng, 0.4 + 0.6 * rng.random()) for unit in units}
    unit_ids = [unit.pk for unit in units]
    code_of = {unit.pk: unit.code for unit in units}
    channels = [c.value for c in SkmResponse.Channel]
    start_at = dt.datetime(2025, 1, 2, 1, 0, tzinfo=dt.UTC)
    step = dt.timedelta(seconds=30)

    table = SkmResponse._meta.db_table
    columns = ["period_id", "unit_id", "submitted_at", *ANSWER_FIELDS]
    columns += ["gender", "age_band", "education", "occupation", "suggestion", "channel"]

    csv_dir = Path(tempfile.mkdtemp(prefix="satupintu-ikm-"))
    csv_path = csv_dir / "skm.csv"
    started = time.perf_counter()
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", *ANSWER_FIELDS])
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            picks = rng.choices(unit_ids, k=size)
            rows = []
            for offset, unit_id in enumerate(picks):
                answers = rng.choice(pools[unit_id])
                rows.append(
                    (
                        period.pk,
                        unit_id,
                        start_at + step * (done + offset),
                        *answers,
                        "",
                        "",
                        "",
                        "",
                        "",
                        channels[offset % 4],
                    )
                )
                writer.writerow((code_of[unit_id], *("" if a is None else a for a in answers)))
            with transaction.atomic():
                bulk.insert_rows(table, columns, rows)
            done += size
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded {SkmResponse.objects.count()} responses and {csv_path.stat().st_size / 1e6:.0f} MB"
        f" of CSV in {time.perf_counter() - started:.1f} s"
    )

    sql_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        got = selectors.ikm_for_period(period)
        sql_times.append(time.perf_counter() - t0)
    assert got.overall is not None

    def by_unit() -> IkmSummary:
        """``ikm_by_unit`` fed ``(unit, answers)`` rows straight from ``csv.reader``."""
        gc.disable()  # as in by_columns: the rows are lists of strings, never cycles
        try:
            with csv_path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                return ikm_by_unit((row[0], row[1:]) for row in reader)
        finally:
            gc.enable()

    def by_columns() -> IkmSummary:
        """As ``satupintu index ikm`` reads a file: column batches into an ``IkmTally``, with the
        cyclic garbage collector paused (the batches are lists of strings, never cycles)."""
        tally = IkmTally()
        gc.disable()
        try:
            with csv_path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                while batch := list(islice(reader, 16_384)):
                    cols = list(zip(*batch, strict=True))
                    tally.add_columns(cols[0], cols[1:])
        finally:
            gc.enable()
        return tally.summary()

    csv_times: dict[str, list[float]] = {"ikm_by_unit": [], "IkmTally columns": []}
    results: dict[str, IkmSummary] = {}
    for name, reader in (("ikm_by_unit", by_unit), ("IkmTally columns", by_columns)):
        for _ in range(args.repeat):
            gc.collect()
            t0 = time.perf_counter()
            results[name] = reader()
            csv_times[name].append(time.perf_counter() - t0)

    print()
    print(
        f"SQL  {'ikm_for_period':<17}: best {min(sql_times):.3f} s of {args.repeat} "
        f"({', '.join(f'{t:.3f}' for t in sql_times)}); {len(got.units)} units, "
        f"{got.respondents} respondents; overall IKM {got.overall.rounded} "
        f"({got.overall.grade.code}, {got.overall.grade.label})"
    )
    same = True
    for name, summary in results.items():
        times = csv_times[name]
        overall = summary.overall
        print(
            f"CSV  {name:<17}: best {min(times):.3f} s of {args.repeat} "
            f"({', '.join(f'{t:.3f}' for t in times)}); {len(summary.units)} units, "
            f"{overall.respondents} respondents; overall IKM {overall.rounded} "
            f"({overall.grade.code}, {overall.grade.label})"
        )
        same_overall = overall == got.overall
        same_units = all(unit.result == summary.units[code_of[unit.unit_id]] for unit in got.units)
        print(f"     SQL and CSV ({name}) agree: overall {same_overall}, every unit {same_units}")
        same = same and same_overall and same_units
    csv_path.unlink()
    csv_dir.rmdir()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
