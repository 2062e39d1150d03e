"""Shared set-up for the benchmarks: a fresh, migrated database of their own.

``--db sqlite`` (default) uses a temporary SQLite file; ``--db postgres`` drops and re-creates
the database ``satupintu_bench`` (or ``BENCH_DB_NAME``) on the server of ``BENCH_POSTGRES_URL``
(default ``postgres://postgres@127.0.0.1:5432/test``, used only to create it).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


def report_parser(doc: str | None, *, db: str = "sqlite") -> argparse.ArgumentParser:
    """The options every report benchmark takes: ``--reports N`` and ``--db``."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default=db)
    return parser


def parse_reports(parser: argparse.ArgumentParser, *, least: int = 100) -> argparse.Namespace:
    """The parsed options; fewer than ``least`` reports is a usage error (exit code 2)."""
    args = parser.parse_args()
    if args.reports < least:
        parser.error(f"--reports must be at least {least}")
    return args


def setup_django(db: str) -> str:
    """Point Django at a fresh benchmark database, migrate it, and return a description."""
    data_dir = tempfile.mkdtemp(prefix="satupintu-bench-")
    os.environ["SATUPINTU_DATA_DIR"] = data_dir
    # Measured as in production: no debug query log, secrets from the environment.
    os.environ.setdefault("SATUPINTU_DEBUG", "0")
    for name in ("SECRET_KEY", "SATUPINTU_FIELD_KEY", "SATUPINTU_AUDIT_KEY"):
        os.environ.setdefault(name, secrets.token_urlsafe(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    if db == "postgres":
        import psycopg

        admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
        name = os.environ.get("BENCH_DB_NAME", "satupintu_bench")
        if not name.replace("_", "").isalnum():
            raise SystemExit(f"BENCH_DB_NAME={name!r}: letters, digits and underscores only")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        parts = urllib.parse.urlparse(admin_url)
        os.environ["DATABASE_URL"] = urllib.parse.urlunparse(parts._replace(path=f"/{name}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return f"{db} ({os.environ['DATABASE_URL']})"


def settle() -> None:
    """After seeding, on PostgreSQL: fresh planner statistics, and the seeding's write-ahead log
    written out by a checkpoint now. Seeding 100,000 reports writes about half a gigabyte of
    it; left alone, the checkpoint it calls for runs during the measured minutes and the first
    change of every page after it logs the whole page (PostgreSQL does this after every
    checkpoint, but not with a backlog of that size on a steady server)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        cur.execute("CHECKPOINT")


@dataclass
class Timer:
    """Latencies of one kind of call, in seconds."""

    name: str
    samples: list[float] = field(default_factory=list)
    wall: float = 0.0

    @contextmanager
    def run(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.wall += time.perf_counter() - start

    def call(self, fn: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = fn()
        self.samples.append(time.perf_counter() - start)
        return result

    def quantile(self, q: float) -> float:
        if not self.samples:
            return float("nan")
        if len(self.samples) == 1:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[int(q * 100) - 1]

    def line(self) -> str:
        n = len(self.samples)
        total = self.wall or sum(self.samples)
        rate = n / total if total else float("nan")
        return (
            f"{self.name:<28} {n:>8} calls  {rate:>9.1f}/s  "
            f"p50 {self.quantile(0.50) * 1000:7.2f} ms  p95 {self.quantile(0.95) * 1000:7.2f} ms  "
            f"p99 {self.quantile(0.99) * 1000:7.2f} ms"
        )


def time_pages(pages: list[tuple[str, object, str]], requests: int) -> None:
    """Request each ``(name, test client, url)`` ``requests`` times through Django's full stack
    and print its p50/p95 server time and the SQL queries one request runs."""
    from django.db import connection

    for name, client, url in pages:
        get = client.get  # type: ignore[attr-defined]
        response = get(url)
        if response.status_code != 200:
            print(f"{name:<28} {url} answered {response.status_code}")
            continue
        count = [0]

        def counter(execute, sql, params, many, context, count=count):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            get(url)
        timer = Timer(name)
        for _ in range(requests):
            timer.call(lambda get=get, url=url: get(url))
        print(f"{timer.line()}  {count[0]:>3} queries")


def machine_speed() -> float:
    """Seconds of CPU a fixed pure-Python loop takes here (lower is faster): printed beside the
    figures, so that runs on machines (or moments) of different speed can be compared."""
    started = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i & 7
    return time.process_time() - started
