"""Webhook delivery benchmark: a backlog of events to three receivers, two workers, one killed.

    .venv/bin/python bench/delivery.py --events 20000 --db postgres

Seeds the demo city's master data and ``--events`` reports, each with its ``created`` outbox
event, into a fresh database; starts three receivers on 127.0.0.1 in a process of their own
(bench/receivers.py: one that answers at once, one that answers in 500 ms, one that lets half
its requests time out) and two ``satupintu worker`` processes beside ``satupintu scheduler``
(the task queue on the database backend, or on RQ with ``SATUPINTU_TASKS=rq REDIS_URL=…``),
which fan the events out and deliver them. Prints deliveries per second to the fast receiver,
the CPU each part spent per delivery made, how far the slow and failing ones got meanwhile,
and, after one worker is killed with SIGKILL during the run and another started: deliveries
the fast receiver got twice (at most those in flight at the kill) and its longest wait between
two deliveries.

Then, with the workers still running, two processes file ``--rate`` reports per second for
``--seconds`` through the intake service (as every door does), and the lag from each report's
commit to its ``created`` event reaching the fast receiver is printed (p50, p95, max).

Targets (issue 18): at least 500 deliveries/s to the fast receiver; a re-send only of what was
in flight; no stall longer than 15 s; lag p95 under 2 s while filing at 300 reports/s.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine_speed, setup_django  # noqa: E402


class Receivers:
    """The three receivers, served by bench/receivers.py in a process of its own."""

    def __init__(self, *specs: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(ROOT / "bench" / "receivers.py"), *specs],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        ports = json.loads(self.process.stdout.readline())
        self.receivers = {name: Receiver(name, port) for name, port in ports.items()}

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)

    def cpu(self) -> float:
        return _cpu(self.process.pid)


class Receiver:
    """One receiver's address and what it saw (``load`` reads it all)."""

    def __init__(self, name: str, port: int) -> None:
        self.name, self.port = name, port
        self.times: list[float] = []
        self.ids: Counter[str] = Counter()
        #: tracking number → wall-clock arrival (the lag phase compares it with the commit)
        self.arrived: dict[str, float] = {}
        self._http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _get(self, path: str) -> bytes:
        self._http.request("GET", path)
        return self._http.getresponse().read()

    @property
    def received(self) -> int:
        return int(self._get("/count"))

    def load(self) -> Receiver:
        seen = json.loads(self._get("/dump"))
        self.times, self.ids, self.arrived = seen["times"], Counter(seen["ids"]), seen["arrived"]
        return self


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_pids() -> list[int]:
    """The server processes of the benchmark's database connections (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _worker(env: dict[str, str], command: str = "worker") -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "satupintu"), command],
        env=env,
        stdout=open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "ab"),  # noqa: SIM115
        start_new_session=True,
    )


def _file_at(rate: float, seconds: float, out: Path) -> None:
    """Filer mode: file reports at ``rate`` per second for ``seconds``, through the one intake
    service as every door does; write each tracking number with its commit time."""
    setup_django_existing()
    from satupintu.complaints.actions import report_receive
    from satupintu.complaints.models import Category

    road = Category.objects.filter(is_active=True).order_by("pk").first()
    lines = []
    started = time.monotonic()
    n = 0
    while (elapsed := time.monotonic() - started) < seconds:
        due = int(elapsed * rate)
        while n < due:
            report, _secret = report_receive(
                actor=None,
                channel="web",
                title=f"Jalan berlubang {n}",
                description="Lubang besar di depan sekolah, sudah dua minggu, bahaya.",
                category=road,
            )
            lines.append(f"{report.tracking_number} {time.time():.6f}")
            n += 1
        time.sleep(0.002)
    out.write_text("\n".join(lines) + "\n")


def setup_django_existing() -> None:
    """The filer runs against the benchmark's database, as set up by the parent."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
    django.setup()


def _lag_phase(fast: Receiver, rate: float, seconds: float, tmp: Path) -> None:
    """File at ``rate`` reports/s (two filer processes) while the workers deliver; the lag from
    each report's commit to its event reaching the fast receiver."""
    filers = []
    for k in range(2):
        out = tmp / f"filed-{k}.txt"
        filers.append(
            (
                out,
                subprocess.Popen(  # noqa: S603 - this script, in filer mode
                    [
                        sys.executable,
                        __file__,
                        "--filer",
                        str(out),
                        "--rate",
                        str(rate / 2),
                        "--seconds",
                        str(seconds),
                    ],
                    env=dict(os.environ),
                ),
            )
        )
    committed: dict[str, float] = {}
    for out, proc in filers:
        proc.wait(timeout=seconds + 120)
        for row in out.read_text().splitlines():
            number, at = row.split()
            committed[number] = float(at)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(n in fast.load().arrived for n in committed):
        time.sleep(0.5)
    lags = sorted(fast.arrived[n] - at for n, at in committed.items() if n in fast.arrived)
    missing = len(committed) - len(lags)

    def q(p: float) -> float:
        return lags[min(len(lags) - 1, int(p * len(lags)))] if lags else float("nan")

    print(
        f"lag while filing at {len(committed) / seconds:.0f} reports/s for {seconds:.0f} s: "
        f"commit to the fast receiver p50 {q(0.5):.2f} s, p95 {q(0.95):.2f} s, "
        f"max {lags[-1] if lags else float('nan'):.2f} s; {missing} not received within 60 s"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--kill-after", type=float, default=5.0, help="seconds into the run")
    parser.add_argument("--rate", type=float, default=300, help="reports/s in the lag phase")
    parser.add_argument("--seconds", type=float, default=20, help="length of the lag phase")
    parser.add_argument("--filer", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.filer:
        _file_at(args.rate, args.seconds, args.filer)
        return
    if args.events < 100:
        parser.error("--events must be at least 100")
    os.environ["SATUPINTU_WEBHOOK_TIMEOUT"] = "1"
    where = setup_django(args.db)

    from django.db import connection
    from django.utils import timezone

    from satupintu.complaints.models import Report
    from satupintu.demo import seed
    from satupintu.notifications import services
    from satupintu.notifications.models import OutboxEvent, WebhookDelivery

    print(f"delivery benchmark: {args.events} events on {where}")
    print(f"machine reference (pure-Python loop, lower is faster): {machine_speed():.2f} s")
    seed.seed_master()
    seed.seed_reports(args.events, seed=7)
    OutboxEvent.objects.all().delete()
    now = timezone.now()
    OutboxEvent.objects.bulk_create(
        OutboxEvent(
            event_type="created",
            report_id=pk,
            agency_id=agency,
            occurred_at=now,
            payload={"report": {"tracking_number": number}, "step": {"action": "receive"}},
        )
        for pk, agency, number in Report.objects.values_list(
            "pk", "current_agency_id", "tracking_number"
        ).iterator()
    )
    served = Receivers("fast", "slow:delay=0.5", "failing:hang_every=2")
    fast, slow, failing = (served.receivers[n] for n in ("fast", "slow", "failing"))
    for receiver in (fast, slow, failing):
        services.endpoint_create(
            actor="bench", name=receiver.name, url=receiver.url, event_types=["created"]
        )
    connection.close()

    env = dict(os.environ)
    scheduler = _worker(env, "scheduler")
    workers = [_worker(env), _worker(env)]
    started = time.monotonic()
    killed = False
    own_cpu = time.process_time() + served.cpu()
    worker_cpu = 0.0  # of the killed worker, read just before the kill
    database_cpu: dict[int, float] = {}
    try:
        while fast.received < args.events:
            time.sleep(0.2)
            elapsed = time.monotonic() - started
            for pid in _database_pids():  # connections come and go: keep each one's latest
                database_cpu[pid] = max(database_cpu.get(pid, 0.0), _cpu(pid))
            if not killed and elapsed >= args.kill_after:
                worker_cpu += _cpu(workers[0].pid)
                os.killpg(workers[0].pid, signal.SIGKILL)
                workers[0].wait()
                workers[0] = _worker(env)
                killed, killed_at = True, elapsed
            if elapsed > 600:
                print("gave up after 600 s")
                break
        fast.load()
        backlog_times, backlog_ids = list(fast.times), Counter(fast.ids)
        slow_got, failing_got = slow.received, failing.received
        worker_cpu += sum(_cpu(w.pid) for w in [scheduler, *workers])
        own_cpu = time.process_time() + served.cpu() - own_cpu
        if args.seconds > 0:
            _lag_phase(fast, args.rate, args.seconds, Path(os.environ["SATUPINTU_DATA_DIR"]))
    finally:
        for worker in [scheduler, *workers]:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in [scheduler, *workers]:
            worker.wait(timeout=30)
    times = sorted(backlog_times)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    twice = sum(n - 1 for n in backlog_ids.values() if n > 1)
    received = sum(backlog_ids.values())
    print(
        f"fast receiver: {received} of {args.events} deliveries in {span:.1f} s: "
        f"{received / span:.0f}/s"
    )
    print(f"slow receiver (500 ms): {slow_got} delivered meanwhile")
    sent = received + slow_got + failing_got
    per = 1000 / sent
    print(
        f"CPU per delivery made (all {sent} receivers' requests): workers and scheduler "
        f"{worker_cpu * per:.2f} ms, database server {sum(database_cpu.values()) * per:.2f} ms, "
        f"the three receivers and this script {own_cpu * per:.2f} ms"
    )
    print(f"failing receiver (every second request held past the timeout): {failing_got}")
    if killed:
        print(
            f"one worker killed (SIGKILL) {killed_at:.1f} s in: {twice} deliveries received "
            f"twice; longest wait between two deliveries {max(gaps):.2f} s "
            f"(from {times[gaps.index(max(gaps))] - started:.1f} s into the run)"
        )
    pending = WebhookDelivery.objects.filter(endpoint__name="fast", status="pending").count()
    print(f"fast receiver's deliveries still pending: {pending}")
    served.close()


if __name__ == "__main__":
    main()
