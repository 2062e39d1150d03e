"""A small HTTP load generator for the API benchmark, run as its own process.

Reads a JSON plan on standard input and prints JSON results. Two modes:

* ``closed``: ``concurrency`` clients each send their next request when the previous answer
  arrived, for ``seconds`` (the highest throughput the server sustains);
* ``open``: requests start on a fixed schedule of ``rate`` per second for ``seconds``, whatever
  the server does; latency counts from the scheduled start, so a server that falls behind
  shows it (no coordinated omission).

Each request is one HTTP/1.1 exchange on a fresh loopback connection (gunicorn's sync workers
close connections after each answer). Requests are rendered to bytes before the clock starts,
so that the generator, which shares the machine with the server, spends its time on sending.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from typing import Any


async def _exchange(host: str, port: int, raw: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await reader.readexactly(length)
        else:
            await reader.read()
        return status
    finally:
        writer.close()


def _request(plan: dict[str, Any], i: int) -> bytes:
    template = random.choice(plan["requests"])
    body = template.get("body")
    data = b""
    if body is not None:
        text = json.dumps(body).replace("{i}", str(i)).replace("{r}", f"{random.random():.9f}")
        data = text.encode()
    headers = {
        "Host": f"{plan['host']}:{plan['port']}",
        "Connection": "close",
        **{
            k: v.replace("{i}", str(i)).replace("{r}", f"{random.random():.9f}")
            for k, v in template.get("headers", {}).items()
        },
    }
    if data:
        headers["Content-Type"] = "application/json"
        headers["Content-Length"] = str(len(data))
    head = f"{template['method']} {template['path']} HTTP/1.1\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    return head.encode() + b"\r\n" + data


class _Rendered:
    """Requests numbered from 0, the first ``ahead`` rendered in advance."""

    def __init__(self, plan: dict[str, Any], ahead: int) -> None:
        self.plan = plan
        self.ready = [_request(plan, i) for i in range(ahead)]

    def __getitem__(self, i: int) -> bytes:
        return self.ready[i] if i < len(self.ready) else _request(self.plan, i)


async def _closed(plan: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    # Enough for 2,000 requests a second; more are rendered as they go.
    requests = _Rendered(plan, int(plan["seconds"] * plan.get("ahead_rate", 2000)))
    deadline = time.perf_counter() + plan["seconds"]
    counter = iter(range(10**9))

    async def client() -> None:
        while time.perf_counter() < deadline:
            raw = requests[next(counter)]
            start = time.perf_counter()
            try:
                status = await _exchange(plan["host"], plan["port"], raw)
            except OSError:
                status = 0
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(plan["concurrency"])))
    return {"wall": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}


async def _open(plan: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    rate, total = plan["rate"], int(plan["rate"] * plan["seconds"])
    limit = asyncio.Semaphore(plan.get("max_in_flight", 512))
    requests = _Rendered(plan, total)

    async def one(i: int, scheduled: float) -> None:
        async with limit:
            try:
                status = await _exchange(plan["host"], plan["port"], requests[i])
            except OSError:
                status = 0
        latencies.append(time.perf_counter() - scheduled)
        statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    tasks = []
    for i in range(total):
        scheduled = started + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    await asyncio.gather(*tasks)
    return {"wall": time.perf_counter() - started, "latencies": latencies, "statuses": statuses}


def main() -> None:
    plan = json.load(sys.stdin)
    # A fresh seed per run unless the plan fixes one: the bodies' "{r}" feeds the
    # Idempotency-Key, and two runs must not send the same keys (they would be replays).
    random.seed(plan.get("seed"))
    runner = _closed if plan["mode"] == "closed" else _open
    result = asyncio.run(runner(plan))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
