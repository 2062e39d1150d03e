"""WhatsApp door benchmark: inbound webhook messages through whole conversations, answered.

    .venv/bin/python bench/channels.py --conversations 1000 --backend both

For each task backend (``database``, ``rq``, or ``both`` one after the other), on a fresh
PostgreSQL database with the demo city's master data: ``satupintu serve`` (gunicorn, 2
workers), 2 ``satupintu worker`` processes and the scheduler, and a local server that speaks the
WhatsApp Cloud API (``/{phone-number-id}/messages``, as tests/channels/providers.py). Each of
``--conversations`` residents sends 10 signed webhook messages, waiting for the answer to each
before the next, as a person does: a greeting, the report type, the category, the description,
a shared location, "kirim" (the report is filed and the tracking number comes back), then four
more messages that join the report's timeline.

Prints the webhook answer times (p50/p99: the Cloud API gives up on a slow webhook), the inbound
messages processed per second end to end, and whether every answer reached the resident exactly
once (by each message's idempotency key). Targets (issue 13): webhook p99 < 50 ms; all messages
processed; every notification delivered exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.channels import providers  # noqa: E402

from bench.common import machine_speed, setup_django  # noqa: E402

MESSAGES_PER_CONVERSATION = 10


class CountingGraph(providers.FakeGraph):
    """The fake Cloud API, counting the answers to each resident and each idempotency key."""

    def __init__(self) -> None:
        super().__init__()
        self.to: Counter[str] = Counter()
        self.keys: Counter[str] = Counter()
        self.arrived = threading.Condition(self.lock)

    def _send(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        super()._send(request, body)
        try:
            data = json.loads(body)
        except ValueError:
            return
        with self.arrived:
            self.to[data.get("to", "")] += 1
            self.keys[data.get("biz_opaque_callback_data", "")] += 1
            self.arrived.notify_all()

    def wait_for(self, wa_id: str, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while self.to[wa_id] < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.arrived.wait(left)
        return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _script(n: int) -> list[providers.WaMessage]:
    wa_id = f"62812{n:07d}"
    return [
        providers.text(wa_id, "Halo, saya mau lapor"),
        providers.text(wa_id, "1"),
        providers.text(wa_id, "1"),
        providers.text(
            wa_id, f"Jalan berlubang besar di depan rumah nomor {n}, sudah dua minggu, bahaya."
        ),
        providers.location(wa_id, -6.4025 + n * 1e-5, 106.8180, name=f"Gang Melati {n}"),
        providers.text(wa_id, "kirim"),
        *(providers.text(wa_id, f"Tambahan informasi ke-{k}: makin parah.") for k in range(4)),
    ]


def _conversation(
    n: int, port: int, graph: CountingGraph, latencies: list[float], failures: list[str]
) -> None:
    import httpx

    url = f"http://127.0.0.1:{port}/channels/whatsapp/webhook"
    with httpx.Client(timeout=10) as client:
        for message in _script(n):
            body = json.dumps(providers.notification(message)).encode()
            before = graph.to[message.sender]
            started = time.perf_counter()
            response = client.post(
                url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": providers.sign(body),
                },
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                failures.append(f"{message.sender}: HTTP {response.status_code}")
                return
            if not graph.wait_for(message.sender, before + 1, timeout=120):
                failures.append(f"{message.sender}: no answer within 120 s")
                return


def _start(args: list[str], env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "satupintu"), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def run(backend: str, conversations: int, clients: int, db: str) -> None:
    if backend == "rq":
        import redis

        os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    os.environ["SATUPINTU_TASKS"] = backend
    os.environ |= {
        "SATUPINTU_WHATSAPP_VERIFY_TOKEN": providers.VERIFY_TOKEN,
        "SATUPINTU_WHATSAPP_APP_SECRET": providers.APP_SECRET,
        "SATUPINTU_WHATSAPP_TOKEN": providers.GRAPH_TOKEN,
        "SATUPINTU_WHATSAPP_PHONE_NUMBER_ID": providers.PHONE_NUMBER_ID,
    }
    graph = CountingGraph()
    graph.thread.start()
    os.environ["SATUPINTU_WHATSAPP_API_BASE"] = graph.url
    where = setup_django(db)

    from django.db import connection

    from satupintu.channels.models import InboundMessage
    from satupintu.complaints.models import Report
    from satupintu.demo import seed
    from satupintu.notifications.models import Message

    print(f"== {backend} backend: {conversations} conversations on {where}")
    seed.seed_master()
    connection.close()
    port = _free_port()
    env = dict(os.environ) | {"SATUPINTU_BIND": f"127.0.0.1:{port}", "SATUPINTU_WORKERS": "2"}
    log = open(os.environ.get("BENCH_WORKER_LOG", os.devnull), "ab")  # noqa: SIM115
    processes = [
        _start(["serve"], env, log),
        _start(["scheduler"], env, log),
        _start(["worker"], env, log),
        _start(["worker"], env, log),
    ]
    latencies: list[float] = []
    failures: list[str] = []
    try:
        import httpx

        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        started = time.monotonic()
        with ThreadPoolExecutor(clients) as pool:
            for n in range(conversations):
                pool.submit(_conversation, n, port, graph, latencies, failures)
        elapsed = time.monotonic() - started
        # The last messages and answers may still be on their way (a resident moves on at
        # the first answer of a turn that has two).
        total = conversations * MESSAGES_PER_CONVERSATION
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            waiting = InboundMessage.objects.filter(status="pending").count()
            waiting += InboundMessage.objects.count() < total
            if not waiting and not Message.objects.filter(status="pending").exists():
                break
            time.sleep(0.5)
        processed = InboundMessage.objects.filter(status="done").count()
        messages = Message.objects.filter(channel="whatsapp").count()
        sent = Message.objects.filter(channel="whatsapp", status="sent").count()
        reports = Report.objects.filter(channel="whatsapp").count()
        connection.close()
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        graph.server.shutdown()
        graph.server.server_close()
        log.close()
    total = conversations * MESSAGES_PER_CONVERSATION
    twice = sum(1 for count in graph.keys.values() if count > 1)
    print(
        f"webhook answers: {len(latencies)} posts, p50 {_quantile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {_quantile(latencies, 0.99) * 1000:.1f} ms"
    )
    print(
        f"processed {processed} of {total} inbound messages in {elapsed:.1f} s: "
        f"{processed / elapsed:.0f} messages/s end to end ({clients} residents at a time); "
        f"{reports} reports filed"
    )
    print(
        f"answers: {messages} queued, {sent} sent, {len(graph.keys)} reached the residents, "
        f"{twice} reached someone twice"
    )
    if failures:
        print(f"{len(failures)} conversations stopped early, e.g. {failures[0]}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50, help="residents writing at once")
    parser.add_argument("--backend", choices=["database", "rq", "both"], default="both")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args()
    if args.conversations < 1 or args.clients < 1:
        parser.error("--conversations and --clients must be at least 1")
    if args.backend == "both":
        print(f"machine reference (pure-Python loop, lower is faster): {machine_speed():.2f} s")
        for backend in ("database", "rq"):
            subprocess.run(  # noqa: S603 - this script again, one backend each
                [
                    sys.executable,
                    __file__,
                    "--conversations",
                    str(args.conversations),
                    "--clients",
                    str(args.clients),
                    "--backend",
                    backend,
                    "--db",
                    args.db,
                ],
                check=True,
            )
        return
    run(args.backend, args.conversations, args.clients, args.db)


if __name__ == "__main__":
    main()
