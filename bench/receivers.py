"""Webhook receivers for bench/delivery.py, in a process of their own.

    python bench/receivers.py fast slow:delay=0.5 failing:hang_every=2

Starts one HTTP/1.1 server (keep-alive) per receiver on 127.0.0.1, prints their ports as one
JSON line and serves until stdin closes. Each answers a POST with ``200 ok``; ``delay`` waits
before answering, ``hang_every=N`` holds every Nth request for 3 s and then drops the
connection unanswered (past the senders' timeout). ``GET /count`` answers how many deliveries
it received; ``GET /dump`` everything it saw: each delivery id with how often it came, each
tracking number with when it first arrived (wall clock), and the arrival times (monotonic,
which on Linux is the same clock in every process).

An event loop answers thousands of requests a second on a fraction of a core, as a receiver on
another machine would: the benchmark measures the senders, not a thread per connection here.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from typing import Any


class Receiver:
    def __init__(self, name: str, *, delay: float = 0.0, hang_every: int = 0) -> None:
        self.name, self.delay, self.hang_every = name, delay, hang_every
        self.tried = 0
        self.times: list[float] = []
        self.ids: Counter[str] = Counter()
        self.arrived: dict[str, float] = {}

    def dump(self) -> dict[str, Any]:
        return {"times": self.times, "ids": self.ids, "arrived": self.arrived}

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                headers = {}
                for line in lines[1:]:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if method == "GET":
                    answer = (
                        json.dumps(self.dump()).encode()
                        if path == "/dump"
                        else str(sum(self.ids.values())).encode()
                    )
                    self._answer(writer, answer)
                    await writer.drain()
                    continue
                self.tried += 1
                if self.hang_every and self.tried % self.hang_every == 1:
                    self.times.append(time.monotonic())  # counted as tried, not received
                    await asyncio.sleep(3)
                    break
                at = time.time()
                try:
                    number = json.loads(body)["report"]["tracking_number"]
                except (ValueError, KeyError, TypeError):
                    number = ""
                self.arrived.setdefault(number, at)
                self.times.append(time.monotonic())
                self.ids[headers.get("x-satupintu-delivery", "")] += 1
                if self.delay:
                    await asyncio.sleep(self.delay)
                self._answer(writer, b"ok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass  # the sender went away (a killed worker) or closed its keep-alive connection
        finally:
            writer.close()

    @staticmethod
    def _answer(writer: asyncio.StreamWriter, body: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


def _parse(spec: str) -> Receiver:
    name, _, options = spec.partition(":")
    kwargs: dict[str, Any] = {}
    for option in filter(None, options.split(",")):
        key, _, value = option.partition("=")
        kwargs[key] = float(value) if key == "delay" else int(value)
    return Receiver(name, **kwargs)


async def main(specs: list[str]) -> None:
    ports = {}
    for spec in specs:
        receiver = _parse(spec)
        server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0, backlog=512)
        ports[receiver.name] = server.sockets[0].getsockname()[1]
    print(json.dumps(ports), flush=True)
    # Until the benchmark closes our stdin (or goes away); then at once, held requests and all.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
