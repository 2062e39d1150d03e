"""Fixtures for Open311: a category asking one question of every GeoReport v2 datatype, API
keys, and a client that speaks the spec (form-encoded POST, ``.json``/``.xml`` answers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from satupintu.api import keys
from satupintu.complaints.models import CategoryAttribute
from tests.api.conftest import _clean  # noqa: F401 - the same clean slate as the JSON API's
from tests.conftest import City


@pytest.fixture
def questions(city: City) -> list[CategoryAttribute]:
    """The road category asks one question of each datatype (order as the admin set it)."""
    road = city.road
    specs = [
        ("tiang", "Nomor tiang terdekat", "string", True, [], "Tertulis di tiang"),
        ("lebar", "Lebar lubang (cm)", "number", False, [], ""),
        ("sejak", "Sejak kapan", "datetime", False, [], ""),
        ("rincian", "Rincian lain", "text", False, [], ""),
        (
            "jenis",
            "Jenis kerusakan",
            "singlevaluelist",
            False,
            [{"key": "lubang", "name": "Berlubang"}, {"key": "retak", "name": "Retak"}],
            "",
        ),
        (
            "dampak",
            "Dampak",
            "multivaluelist",
            False,
            [
                {"key": "macet", "name": "Macet"},
                {"key": "celaka", "name": "Kecelakaan"},
                {"key": "banjir", "name": "Genangan"},
            ],
            "",
        ),
        ("info", "Perbaikan darurat dikerjakan malam hari.", "string", False, [], ""),
    ]
    made = []
    for order, (code, label, datatype, required, values, help_text) in enumerate(specs):
        made.append(
            CategoryAttribute.objects.create(
                category=road,
                code=code,
                label=label,
                datatype=datatype,
                required=required,
                values=values,
                help_text=help_text,
                order=order * 10,
                variable=code != "info",
            )
        )
    return made


@dataclass
class Keys:
    gateway: str  # submit
    watcher: str  # read only
    dpupr: str  # handle at DPUPR


@pytest.fixture
def api_keys(city: City) -> Keys:
    def make(name: str, **kwargs: Any) -> str:
        return keys.apikey_create(actor="test", name=name, **kwargs)[1]

    return Keys(
        gateway=make("aplikasi-warga"),
        watcher=make("dasbor", scopes=["read"]),
        dpupr=make("dpupr-app", agency=city.dpupr.code, scopes=["handle"]),
    )


class Open311:
    """A client of /open311/v2 as an Open311 app would use it."""

    def __init__(self) -> None:
        self.client = Client()

    def get(self, path: str, fmt: str = "json", **params: Any) -> Any:
        return self.client.get(f"/open311/v2/{path}.{fmt}", params)

    def post(self, fmt: str = "json", headers: dict[str, str] | None = None, **form: Any) -> Any:
        return self.client.post(
            f"/open311/v2/requests.{fmt}",
            _urlencode(form),
            content_type="application/x-www-form-urlencoded; charset=utf-8",
            headers=headers or {},
        )


def _urlencode(form: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    pairs: list[tuple[str, str]] = []
    for key, value in form.items():
        if isinstance(value, list):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs)


@pytest.fixture
def o311() -> Open311:
    return Open311()


def body(response: Any) -> Any:
    """A JSON answer, after checking its content type."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def xml(response: Any) -> ET.Element:
    """An XML answer, after checking its content type and declaration."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer
