"""A task worker killed with SIGKILL in the middle of a send loses nothing and sends nothing
twice: the message it had in flight is taken again once its lease runs out, and the SMS gateway
gets the same idempotency id, so the phone receives each message once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

SATUPINTU = [sys.executable, "-m", "satupintu.cli"]
COUNT = 12

QUEUE = f"""
from django.db import transaction
from satupintu.notifications import messages
with transaction.atomic():
    for n in range({COUNT}):
        messages.queue(channel="sms", address="+628123456{{:04d}}".format(n), purpose="reply",
                       body=f"Pesan nomor {{n}}", dedupe_key=f"crash:{{n}}")
"""

COUNTS = """
from satupintu.notifications.models import Message
print(sorted(Message.objects.values_list("status", flat=True)))
"""


class Gateway:
    """An SMS gateway that keeps each id once (as real gateways do) and holds the first
    ``slow`` requests for a while, so a worker can be killed in the middle of one."""

    def __init__(self, slow: int) -> None:
        self.posts: list[str] = []
        self.phone: dict[str, str] = {}  # id → text, what reached the phones
        self.slow = slow
        self.lock = threading.Lock()
        self.holding = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert self.headers["Authorization"] == "Bearer send-secret"
                with gateway.lock:
                    gateway.posts.append(body["id"])
                    hold = len(gateway.posts) <= gateway.slow
                    gateway.phone.setdefault(body["id"], body["text"])
                if hold:
                    gateway.holding.set()
                    time.sleep(4)
                answer = json.dumps({"id": "gw-" + body["id"]}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender was killed

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [*SATUPINTU, *args], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _start(env: dict[str, str], command: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(  # noqa: S603
            [*SATUPINTU, command], env=env, stdout=sink, stderr=subprocess.STDOUT
        )


@pytest.mark.parametrize("backend", ["database", "rq"])
def test_a_worker_killed_mid_send_loses_nothing_and_the_phone_gets_each_message_once(
    tmp_path: Path, backend: str, request: Any
) -> None:
    gateway = Gateway(slow=1)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SATUPINTU_TASKS", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "SATUPINTU_DATA_DIR": str(tmp_path),
        "SATUPINTU_SMS_SEND_URL": gateway.url,
        "SATUPINTU_SMS_SEND_TOKEN": "send-secret",
        "SATUPINTU_SMS_INBOUND_TOKEN": "in-secret",
        "SATUPINTU_MESSAGE_LEASE": "3",
        "PYTHONUNBUFFERED": "1",
        "SATUPINTU_TASKS": backend,
    }
    if backend == "rq":
        env["REDIS_URL"] = request.getfixturevalue("redis_db")
    _run(env, "migrate", "-v", "0")
    _run(env, "shell", "-c", QUEUE)
    log = tmp_path / "worker.log"
    first = _start(env, "worker", log)
    processes = [first]
    try:
        assert gateway.holding.wait(60), log.read_text()
        first.send_signal(signal.SIGKILL)  # in the middle of the first send
        first.wait(timeout=10)
        processes += [_start(env, "worker", log), _start(env, "scheduler", log)]
        deadline = time.monotonic() + 120
        while len(gateway.phone) < COUNT and time.monotonic() < deadline:
            time.sleep(0.3)
        statuses = _run(env, "shell", "-v", "0", "-c", COUNTS)
        while "pending" in statuses and time.monotonic() < deadline:
            time.sleep(0.5)
            statuses = _run(env, "shell", "-v", "0", "-c", COUNTS)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:  # (a worker finishes its running task first; on a loaded machine, slowly)
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        gateway.server.shutdown()
        gateway.server.server_close()
    # Nothing lost: every message reached its phone and is recorded as sent.
    assert len(gateway.phone) == COUNT
    assert statuses.strip() == str(["sent"] * COUNT)
    # Nothing twice beyond what was in flight: one message posted again, same id.
    assert len(gateway.posts) <= COUNT + 1
    assert sorted(set(gateway.posts)) == sorted(gateway.phone)
