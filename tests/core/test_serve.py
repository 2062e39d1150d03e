"""``satupintu serve``: the real server answers, and answers again soon after a hard restart.

The server runs as its own process group (gunicorn's master and workers) on a free port, with
its own data folder and SQLite there, or on PostgreSQL (``DATABASE_URL``) the test database,
migrated first. Static files are collected on the first start only; a restart finds them current.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

STATIC_FILE = "/static/satupintu/app.css"
SOURCE_FILE = Path(__file__).parents[2] / "src/satupintu/static/satupintu/app.css"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes] | None:
    """The status and body of a GET, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local URL
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return None


class Server:
    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "serve.log"
        self.env = {
            **os.environ,
            "SATUPINTU_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "satupintu.config.settings",
            "SATUPINTU_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SATUPINTU_FIELD_KEY": secrets.token_urlsafe(48),
            "SATUPINTU_AUDIT_KEY": secrets.token_urlsafe(48),
            "SATUPINTU_BIND": f"127.0.0.1:{self.port}",
            "SATUPINTU_WORKERS": "1",
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "satupintu.cli", *args]

    def start(self, **env: str) -> float:
        """Start ``satupintu serve``; the seconds until it answered."""
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                self.command("serve"),
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.monotonic() - started < 10:
            if get(self.url + STATIC_FILE) is not None:
                return time.monotonic() - started
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            time.sleep(0.02)
        pytest.fail("the server did not answer within 10 s:\n" + self.log.read_text())

    def kill(self) -> None:
        """SIGKILL the whole process group: gunicorn's master and its workers."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        # The workers die with the master's group; wait until none holds the port.
        deadline = time.monotonic() + 5
        while get(self.url + STATIC_FILE) is not None and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    database_url = None
    if connection.vendor == "postgresql":
        # The database pytest-django created for this run, not the one DATABASE_URL names.
        url = urlsplit(os.environ["DATABASE_URL"])
        database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    served = Server(tmp_path, database_url)
    subprocess.run(  # noqa: S603 - our own command
        served.command("migrate", "--no-input", "-v0"), env=served.env, check=True, timeout=120
    )
    yield served
    served.kill()


@pytest.mark.django_db(transaction=True)
def test_serve_answers_again_within_two_seconds_of_a_hard_restart(server: Server) -> None:
    first = server.start()
    status, body = get(server.url + STATIC_FILE) or (0, b"")
    assert status == 200
    assert body == SOURCE_FILE.read_bytes()
    stamp = Path(server.env["SATUPINTU_DATA_DIR"]) / "static.collected"
    assert (Path(server.env["SATUPINTU_DATA_DIR"]) / "static/satupintu/app.css").exists()
    collected_at = stamp.stat().st_mtime_ns

    server.kill()
    assert server.process is not None and server.process.returncode == -signal.SIGKILL
    again = server.start(SATUPINTU_THREADS="2")

    assert again < 2, f"answered {again:.2f} s after the restart (first start: {first:.2f} s)"
    assert stamp.stat().st_mtime_ns == collected_at  # nothing collected again
    status, body = get(server.url + STATIC_FILE) or (0, b"")
    assert status == 200
    assert body == SOURCE_FILE.read_bytes()
    status, _ = get(server.url + "/") or (0, b"")
    assert status == 200
    print(f"first start answered in {first:.2f} s, the restart in {again:.2f} s")  # noqa: T201
