"""Remote service definitions: read through the client, kept per target for a bounded time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from django.utils import timezone

from satupintu.open311 import client, definitions
from satupintu.open311.client import RemoteAttribute

HERE = client.Endpoint(url="https://b.example.id/open311/v2/", api_key="k", jurisdiction="b")
THERE = client.Endpoint(url="https://c.example.id/open311/v2", api_key="k")


class Server:
    """A stand-in Open311 server that records what it was asked."""

    def __init__(self, answers: dict[str, tuple[int, Any]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(f"{request.url.host}{request.url.path}?{request.url.query.decode()}")
        status, body = self.answers.get(request.url.path, (404, [{"code": 404}]))
        return httpx.Response(status, content=json.dumps(body).encode())


@pytest.fixture
def server(monkeypatch: Any) -> Iterator[Server]:
    cache.clear()
    found = Server({})

    def fake() -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(found))

    monkeypatch.setattr(client, "_client", fake)
    yield found
    cache.clear()


DEFINITION = {
    "service_code": "jalan",
    "attributes": [
        {
            "code": "jenis",
            "datatype": "singlevaluelist",
            "required": "true",
            "order": 2,
            "description": "Jenis",
            "values": [{"key": "lubang", "name": "Lubang"}, {"name": "?"}],
        },
        {"code": "tiang", "datatype": "String", "order": 1, "description": "Nomor tiang"},
        {"code": "", "datatype": "string"},
        {"code": "info", "datatype": "string", "variable": False},
    ],
}


def test_a_definition_is_read_once_per_target_and_lifetime(server: Server) -> None:
    server.answers = {
        "/open311/v2/services.json": (200, [{"service_code": "jalan", "metadata": "true"}]),
        "/open311/v2/services/jalan.json": (200, [DEFINITION]),  # wrapped in an array: fine
    }
    now = timezone.now()
    found = definitions.remote_attributes(HERE, "jalan", now=now)
    assert found == (
        RemoteAttribute(code="tiang", datatype="string", description="Nomor tiang"),
        RemoteAttribute(
            code="jenis",
            datatype="singlevaluelist",
            required=True,
            description="Jenis",
            keys=("lubang",),
        ),
        RemoteAttribute(code="info", datatype="string", variable=False),
    )
    assert server.asked == [
        "b.example.id/open311/v2/services.json?jurisdiction_id=b",
        "b.example.id/open311/v2/services/jalan.json?jurisdiction_id=b",
    ]
    assert definitions.remote_attributes(HERE, "jalan", now=now + dt.timedelta(minutes=59)) == found
    assert len(server.asked) == 2
    # Another server, or the same one after the lifetime, is asked again.
    assert definitions.remote_attributes(THERE, "jalan", now=now) == found
    assert server.asked[2:] == [
        "c.example.id/open311/v2/services.json?",
        "c.example.id/open311/v2/services/jalan.json?",
    ]
    later = now + definitions.LIFETIME
    assert definitions.remote_attributes(HERE, "jalan", now=later) == found
    assert len(server.asked) == 6
    definitions.forget(HERE, "jalan")  # after a refusal
    assert definitions.remote_attributes(HERE, "jalan", now=later) == found
    assert len(server.asked) == 8


def test_a_service_without_metadata_has_no_definition_to_read(server: Server) -> None:
    server.answers = {
        "/open311/v2/services.json": (200, [{"service_code": "jalan", "metadata": False}]),
    }
    assert definitions.remote_attributes(HERE, "jalan", now=timezone.now()) == ()
    assert len(server.asked) == 1


@pytest.mark.parametrize(
    "answers",
    [
        {},  # services.json is not there
        {"/open311/v2/services.json": (200, {"not": "a list"})},
        {
            "/open311/v2/services.json": (200, [{"service_code": "jalan", "metadata": True}]),
            "/open311/v2/services/jalan.json": (500, "oops"),
        },
        {
            "/open311/v2/services.json": (200, [{"service_code": "jalan", "metadata": True}]),
            "/open311/v2/services/jalan.json": (200, {"attributes": "none"}),
        },
    ],
)
def test_an_unreadable_definition_asks_nothing_and_is_tried_again_soon(
    server: Server, answers: dict[str, tuple[int, Any]]
) -> None:
    server.answers = answers
    now = timezone.now()
    assert definitions.remote_attributes(HERE, "jalan", now=now) == ()
    asked = len(server.asked)
    soon = now + definitions.UNREADABLE_LIFETIME - dt.timedelta(seconds=1)
    assert definitions.remote_attributes(HERE, "jalan", now=soon) == ()
    assert len(server.asked) == asked
    definitions.remote_attributes(HERE, "jalan", now=now + definitions.UNREADABLE_LIFETIME)
    assert len(server.asked) == 2 * asked
