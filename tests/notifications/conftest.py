"""A real HTTP receiver on loopback (http.server in a thread) and endpoints that point at it."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from satupintu.notifications import delivery, services
from satupintu.notifications.models import WebhookEndpoint

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def docs_verifier() -> Any:
    """``verify_signature`` exactly as docs/webhooks.md shows it to receivers."""
    text = DOCS.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code, "docs/webhooks.md lost its Python example"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace["verify_signature"]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"ok": true}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # several workers post at once; the default backlog of 5 drops some


class Receiver:
    """Records every POST and answers from a script (then with ``default``)."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: list[Answer] = []
        self.default = Answer()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    answer = receiver.script.pop(0) if receiver.script else receiver.default
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def answer(self, *answers: Answer) -> None:
        self.script.extend(answers)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as server:
        yield server


@pytest.fixture(autouse=True)
def _webhook_settings(settings: Any) -> None:
    settings.WEBHOOK_TIMEOUT = 1
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE = 10
    settings.WEBHOOK_RETRY_CAP = 3600


def make_endpoint(
    url: str, *events: str, name: str = "kota-app", agency: str | None = None
) -> tuple[WebhookEndpoint, str]:
    return services.endpoint_create(
        actor="test",
        name=name,
        url=url,
        event_types=events
        or ("created", "dispatched", "forwarded", "resolved", "closed", "overdue"),
        agency=agency,
    )


def deliver_all() -> delivery.DeliveryRun:
    """What the worker does on one turn: fan out new events, post what is due."""
    delivery.fan_out()
    return delivery.deliver_due()
