"""Open-interface benchmark: the API served by gunicorn, loaded from a second process.

    .venv/bin/python bench/api.py --reports 100000 --db postgres

Seeds the demo city with N reports into a fresh database, starts gunicorn (2 sync workers, as
``satupintu serve``) on 127.0.0.1 and drives it from a separate load-generator process
(bench/loadgen.py) over loopback:

* report creation through ``POST /api/v1/reports`` with an API key and an ``Idempotency-Key``
  (as a gateway sends them): the highest sustained rate (closed loop), then a fixed rate
  (open loop, ``--rate``, latency counted from the scheduled start);
* ``GET /open311/v2/requests.json`` with filters, the officer work queue
  (``GET /api/v1/officer/queue``) and the public list (``GET /api/v1/reports``).

Targets (issue 4): at least 400 creates/s with p99 under 100 ms at that rate; list p95 under
50 ms at 100,000 reports. The load generator shares the machine's cores with the server and
the database, so the figures are a floor for a server with a separate client.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from resource import RUSAGE_CHILDREN
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine_speed, parse_reports, report_parser, settle, setup_django  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _quantile(samples: list[float], q: float) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=1000, method="inclusive")[int(q * 1000) - 1]


def _load(plan: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "loadgen.py")],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _line(name: str, result: dict[str, Any]) -> str:
    lat = result["latencies"]
    ok = sum(n for s, n in result["statuses"].items() if str(s).startswith("2"))
    others = {s: n for s, n in result["statuses"].items() if not str(s).startswith("2")}
    return (
        f"{name:<44} {len(lat):>6} req {ok / result['wall']:>8.1f} ok/s  "
        f"p50 {_quantile(lat, 0.50) * 1000:7.2f}  p95 {_quantile(lat, 0.95) * 1000:7.2f}  "
        f"p99 {_quantile(lat, 0.99) * 1000:7.2f} ms"
        + (f"  other statuses {others}" if others else "")
    )


def _cpu_seconds(pids: list[int]) -> float | None:
    """User and system CPU seconds of these processes so far (Linux /proc); None if unreadable
    (another machine's database, another user's processes)."""
    ticks = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _database_backends() -> list[int]:
    """The PostgreSQL server processes serving the benchmark database (none on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cur.fetchall()]
    connection.close()
    return pids


def _measured_load(plan: dict[str, Any], server: int) -> tuple[dict[str, Any], str]:
    """``_load(plan)`` and where its CPU went: per successful request, in the server's workers,
    the database's processes and the load generator (this machine only)."""
    workers, backends = _children(server), _database_backends()
    before = (_cpu_seconds(workers), _cpu_seconds(backends), resource.getrusage(RUSAGE_CHILDREN))
    result = _load(plan)
    after = (_cpu_seconds(workers), _cpu_seconds(backends), resource.getrusage(RUSAGE_CHILDREN))
    ok = sum(n for s, n in result["statuses"].items() if str(s).startswith("2")) or 1
    parts = []
    total = 0.0
    names = ("server", "PostgreSQL", "load generator")
    spent = [
        None if after[0] is None or before[0] is None else after[0] - before[0],
        None if not backends or after[1] is None or before[1] is None else after[1] - before[1],
        (after[2].ru_utime + after[2].ru_stime) - (before[2].ru_utime + before[2].ru_stime),
    ]
    for name, seconds in zip(names, spent, strict=True):
        if seconds is not None:
            parts.append(f"{name} {seconds / ok * 1000:.2f} ms")
            total += seconds
    cores = os.cpu_count() or 1
    busy = total / (result["wall"] * cores) * 100
    return result, f"{'':<4}CPU a request: {', '.join(parts)} ({busy:.0f} % of {cores} cores)"


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/categories", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = report_parser(__doc__, db="postgres")
    parser.add_argument("--rate", type=float, default=400, help="creates per second, open loop")
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--concurrency", type=int, default=8, help="closed-loop clients")
    args = parse_reports(parser)
    where = setup_django(args.db)

    from django.db import connection

    from satupintu.agencies.models import Region
    from satupintu.api import keys
    from satupintu.complaints.models import Category, CategoryAttribute, Report
    from satupintu.demo import seed

    print(f"API benchmark: {args.reports} reports on {where}")
    print(f"machine reference (pure-Python loop, lower is faster): {machine_speed():.2f} s")
    started = time.perf_counter()
    seed.seed_master()
    seed.seed_reports(args.reports, seed=7)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    settle()
    gateway = keys.apikey_create(actor="bench", name="bench-gateway", rate_limit=10**7)[1]
    busiest = (
        Report.objects.exclude(current_agency=None)
        .filter(status__in=["dispatched", "in_progress", "reopened"])
        .values_list("current_agency__code", flat=True)
    )
    counts: dict[str, int] = {}
    for code in busiest.iterator():
        counts[code] = counts.get(code, 0) + 1
    agency = max(counts, key=counts.__getitem__)
    officer = keys.apikey_create(
        actor="bench",
        name="bench-officer",
        agency=agency,
        scopes=["read", "handle"],
        rate_limit=10**7,
    )[1]
    categories = list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    # A required question is answered as a citizen would (the first choice, or a number).
    answers: dict[str, dict[str, str]] = {}
    for attribute in CategoryAttribute.objects.filter(required=True, is_active=True):
        choices = attribute.choices()
        answers.setdefault(attribute.category.code, {})[attribute.code] = (
            choices[0][0] if choices else "1"
        )
    villages = list(
        Region.objects.filter(level=4, parent__parent__code="32.76").values_list("code", flat=True)
    )
    connection.close()

    port = _free_port()
    env = dict(os.environ)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "satupintu.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            *(
                ["--worker-class", "gthread", "--threads", str(args.threads)]
                if args.threads > 1
                else []
            ),
        ],
        env=env,
    )
    try:
        _wait_until_up(port, server)
        print(
            f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; busiest agency {agency} "
            f"({counts[agency]} reports owing work)"
        )
        print()
        base = {"host": "127.0.0.1", "port": port}
        creates = [
            {
                "method": "POST",
                "path": "/api/v1/reports",
                "headers": {
                    "Authorization": f"Bearer {gateway}",
                    "Idempotency-Key": "bench-{i}-{r}",
                },
                "body": {
                    "title": "Laporan uji beban nomor {i}",
                    "description": "Uraian laporan uji beban {r}: jalan berlubang dekat halte.",
                    "category": code,
                    "region": village,
                    "latitude": -6.4,
                    "longitude": 106.8,
                    "channel": "sms",
                    "reporter": {"name": "Warga Uji", "phone": "0812000{i}"},
                    "attributes": answers.get(code, {}),
                },
            }
            for code, village in zip(categories, villages * 10, strict=False)
        ]
        _load({**base, "mode": "closed", "concurrency": 4, "seconds": 3, "requests": creates})
        result, cpu = _measured_load(
            {
                **base,
                "mode": "closed",
                "concurrency": args.concurrency,
                "seconds": args.seconds,
                "requests": creates,
            },
            server.pid,
        )
        print(_line(f"create, highest rate ({args.concurrency} clients)", result))
        print(cpu)
        result = _load(
            {
                **base,
                "mode": "open",
                "rate": args.rate,
                "seconds": args.seconds,
                "requests": creates,
            }
        )
        print(_line(f"create at {args.rate:.0f}/s (open loop)", result))

        # The last 60 days, with a Z and with an offset (W3C date-times, Open311).
        now = dt.datetime.now(dt.UTC)
        start = (now - dt.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = (now + dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S") + "%2B07:00"
        reads = [
            (
                "Open311 GET requests.json, filtered",
                [
                    {"method": "GET", "path": path}
                    for path in (
                        "/open311/v2/requests.json?status=open",
                        f"/open311/v2/requests.json?service_code={categories[0]}",
                        f"/open311/v2/requests.json?start_date={start}&end_date={end}",
                    )
                ],
            ),
            (
                "officer queue (API v1)",
                [
                    {
                        "method": "GET",
                        "path": path,
                        "headers": {"Authorization": f"Bearer {officer}"},
                    }
                    for path in ("/api/v1/officer/queue", "/api/v1/officer/queue?overdue=true")
                ],
            ),
            (
                "public list (API v1), filtered",
                [
                    {"method": "GET", "path": path}
                    for path in (
                        "/api/v1/reports",
                        "/api/v1/reports?status=closed",
                        f"/api/v1/reports?category={categories[1]}",
                    )
                ],
            ),
        ]
        for name, requests in reads:
            result = _load(
                {
                    **base,
                    "mode": "closed",
                    "concurrency": 4,
                    "seconds": args.seconds / 2,
                    "requests": requests,
                }
            )
            if set(result["statuses"]) == {"404"}:
                print(f"{name:<44} not served (404)")
                continue
            print(_line(name, result))
        print(f"machine reference after the run: {machine_speed():.2f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
