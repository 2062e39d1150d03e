"""A second satupintu (instance B) on loopback for the federation tests.

The test process is instance A, on its own test database (SQLite or PostgreSQL). B is a real
satupintu in subprocesses: its own data directory and SQLite file, set up with its own CLI
(``satupintu migrate``, ``loaddata``, ``apikey create``) and served by gunicorn on a free port.
Tests act on B through its JSON API and Open311, as another government's staff would.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
SATUPINTU = [sys.executable, "-m", "satupintu.cli"]


@dataclass
class InstanceB:
    url: str
    database: Path
    key_for_a: str  # scope submit: what A files with
    officer_key: str  # verify, read and handle at dishub-b: B's own staff

    @property
    def open311(self) -> str:
        return f"{self.url}/open311/v2"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(
            method,
            f"{self.url}/api/v1{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.officer_key}"},
            timeout=20,
        )
        assert response.status_code < 300, response.text
        return response.json()

    def request(self, remote_id: str) -> dict[str, Any]:
        response = httpx.get(f"{self.open311}/requests/{remote_id}.json", timeout=20)
        assert response.status_code == 200, response.text
        item: dict[str, Any] = response.json()[0]
        return item

    def stored(self, remote_id: str, column: str) -> Any:
        """One column of B's report, read straight from B's database file."""
        with sqlite3.connect(self.database) as db:
            row = db.execute(
                f"SELECT {column} FROM complaints_report WHERE tracking_number = ?",  # noqa: S608
                (remote_id,),
            ).fetchone()
        return row[0] if row else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SATUPINTU_", "DATABASE_URL", "PYTEST", "REDIS_URL"))
    }
    env.update(
        SATUPINTU_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'b.sqlite3'}",
        DJANGO_SETTINGS_MODULE="satupintu.config.settings",
        SATUPINTU_DEBUG="1",
        SATUPINTU_SITE_NAME="Kabupaten B",
        SATUPINTU_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [*SATUPINTU, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, f"{proc.args}: {err}"
    return out.strip()


def start(data_dir: Path) -> Iterator[InstanceB]:
    """Set B up and serve it until the generator is closed."""
    env = environment(data_dir)
    _finish(_run(["migrate", "--noinput"], env))
    port = _free_port()
    log = (data_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            sys.executable,
            "-m",
            "gunicorn",
            "satupintu.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Master data and keys through B's own CLI, while the server boots.
        _finish(_run(["loaddata", str(HERE / "instance_b.json")], env))
        jobs = [
            _run(["apikey", "create", "pemkab-a"], env),
            _run(
                [
                    "apikey",
                    "create",
                    "dishub-b-app",
                    "--agency",
                    "dishub-b",
                    "--scope",
                    "verify",
                    "--scope",
                    "read",
                    "--scope",
                    "handle",
                ],
                env,
            ),
        ]
        key_for_a, officer_key = (_finish(job) for job in jobs)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (data_dir / "gunicorn.log").read_text()
            try:
                if httpx.get(f"{url}/open311/discovery.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "instance B did not start"
            time.sleep(0.2)
        yield InstanceB(
            url=url,
            database=data_dir / "b.sqlite3",
            key_for_a=key_for_a,
            officer_key=officer_key,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
