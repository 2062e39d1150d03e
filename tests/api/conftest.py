"""Fixtures for the open interfaces: API keys for each kind of caller, and a JSON client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from satupintu.api import keys
from tests.conftest import City


@pytest.fixture(autouse=True)
def _clean(settings: Any, tmp_path: Any) -> Any:
    """Uploads in a temporary folder; rate-limit counters and the key cache start empty."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    keys._cache.clear()
    yield
    cache.clear()
    keys._cache.clear()


class Api:
    """A JSON client for /api/v1 that sends an API key when given one."""

    def __init__(self, key: str | None = None, **headers: str) -> None:
        self.client = Client()
        self.headers = dict(headers)
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(
        self,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: str | None = None,
    ) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers(headers)
        )


@dataclass
class Keys:
    gateway: str  # submit
    callcenter: str  # intake
    verifier: str  # verify
    dpupr: str  # read + handle at DPUPR
    dlhk: str  # handle at DLHK
    watcher: str  # read, city-wide


@pytest.fixture
def api_keys(city: City) -> Keys:
    def make(name: str, **kwargs: Any) -> str:
        return keys.apikey_create(actor="test", name=name, **kwargs)[1]

    return Keys(
        gateway=make("gateway-sms"),
        callcenter=make("callcenter-112", scopes=["intake"]),
        verifier=make("verifikasi", scopes=["verify"]),
        dpupr=make("dpupr-app", agency=city.dpupr.code, scopes=["read", "handle"]),
        dlhk=make("dlhk-app", agency=city.dlhk.code, scopes=["handle"]),
        watcher=make("dasbor", scopes=["read"]),
    )


REPORT = {
    "title": "Jalan berlubang di depan sekolah",
    "description": "Lubang besar di Jl. Margonda Raya dekat halte, sudah dua minggu.",
    "category": "jalan-rusak",
    "reporter": {"name": "Siti Aminah", "email": "siti@example.id", "phone": "081234567890"},
}


def report_body(**changes: Any) -> dict[str, Any]:
    return {**REPORT, **changes}
