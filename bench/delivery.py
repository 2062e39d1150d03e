"""Webhook delivery benchmark: a backlog of events to three receivers, two workers, one killed.

    .venv/bin/python bench/delivery.py --events 20000 --db postgres

Seeds the demo city's master data and ``--events`` reports, each with its ``created`` outbox
event, into a fresh database; starts three receivers on 127.0.0.1 (one that answers at once,
one that answers in 500 ms, one that lets half its requests time out) and two
``satupintu worker`` processes beside ``satupintu scheduler`` (the task queue on the database
backend, or on RQ with ``SATUPINTU_TASKS=rq REDIS_URL=…``), which fan the events out and deliver
them. Prints deliveries per
second to the fast receiver, how far the slow and failing ones got meanwhile, and, after one
worker is killed with SIGKILL during the run and another started: deliveries the fast receiver
got twice (at most those in flight at the kill) and its longest wait between two deliveries.

Targets (issue 18): at least 500 deliveries/s to the fast receiver; a re-send only of what was
in flight; no stall longer than 15 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine_speed, setup_django  # noqa: E402


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class Receiver:
    """Counts each delivery (by its id) and when it arrived; ``delay`` before answering, or,
    with ``timeout_every``, every second request is held past the senders' timeout."""

    def __init__(self, name: str, *, delay: float = 0.0, hang_every: int = 0) -> None:
        self.name = name
        self.times: list[float] = []
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the senders' client wants

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    n = len(receiver.times)
                    hang = hang_every and n % hang_every == 0
                    if not hang:
                        receiver.times.append(time.monotonic())
                        receiver.ids[self.headers.get("X-Satupintu-Delivery", "")] += 1
                if hang:
                    receiver.times.append(time.monotonic())  # counted as tried, not received
                    time.sleep(3)
                    return
                if delay:
                    time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    @property
    def received(self) -> int:
        return sum(self.ids.values())


def _worker(env: dict[str, str], command: str = "worker") -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "satupintu"), command],
        env=env,
        stdout=open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "ab"),  # noqa: SIM115
        start_new_session=True,
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--kill-after", type=float, default=5.0, help="seconds into the run")
    args = parser.parse_args()
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
    fast, slow, failing = (
        Receiver("fast"),
        Receiver("slow", delay=0.5),
        Receiver("failing", hang_every=2),
    )
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
    try:
        while fast.received < args.events:
            time.sleep(0.2)
            elapsed = time.monotonic() - started
            if not killed and elapsed >= args.kill_after:
                os.killpg(workers[0].pid, signal.SIGKILL)
                workers[0].wait()
                workers[0] = _worker(env)
                killed, killed_at = True, elapsed
            if elapsed > 600:
                print("gave up after 600 s")
                break
    finally:
        for worker in [scheduler, *workers]:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in [scheduler, *workers]:
            worker.wait(timeout=30)
    times = sorted(fast.times)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    twice = sum(n - 1 for n in fast.ids.values() if n > 1)
    print(
        f"fast receiver: {fast.received} of {args.events} deliveries in {span:.1f} s: "
        f"{fast.received / span:.0f}/s"
    )
    print(f"slow receiver (500 ms): {slow.received} delivered meanwhile")
    print(f"failing receiver (every second request held past the timeout): {failing.received}")
    if killed:
        print(
            f"one worker killed (SIGKILL) {killed_at:.1f} s in: {twice} deliveries received "
            f"twice; longest wait between two deliveries {max(gaps):.2f} s"
        )
    pending = WebhookDelivery.objects.filter(endpoint__name="fast", status="pending").count()
    print(f"fast receiver's deliveries still pending: {pending}")


if __name__ == "__main__":
    main()
