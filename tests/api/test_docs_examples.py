"""The examples of docs/api.md and docs/open311.md hold against the demo city (Kota Depok):
its region codes, agencies, categories and their questions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.test import Client

from satupintu.api import keys
from satupintu.complaints.models import Channel
from satupintu.demo import depok, seed
from satupintu.domain.regions import VILLAGE, load_regions

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _filing_example() -> tuple[dict[str, str], dict[str, Any]]:
    """The headers and the JSON body of the ``curl`` that files a report in docs/api.md."""
    found = re.search(r"curl -X POST \S+/api/v1/reports \\\n(.*?)\n```", _doc("api.md"), re.S)
    assert found is not None
    example = found.group(1)
    headers = dict(re.findall(r'-H "([^:"]+): ([^"]+)"', example))
    body = re.search(r"-d '(.*)'", example, re.S)
    assert body is not None
    return headers, json.loads(body.group(1))


def test_every_region_code_in_the_docs_is_a_kelurahan_of_the_demo_city() -> None:
    text = _doc("api.md") + _doc("open311.md")
    codes = set(re.findall(r"\b\d{2}\.\d{2}\.\d{2}\.\d{4}\b", text))
    assert codes
    villages = {r.code for r in load_regions(depok.REGION_CODE) if r.level == VILLAGE}
    assert codes <= villages


def test_the_agencies_and_channels_named_in_the_api_docs_exist_in_the_demo() -> None:
    text = _doc("api.md")
    agencies = set(re.findall(r"--agency (\S+)", text))
    assert agencies and agencies <= {a.code for a in depok.AGENCIES}
    _headers, body = _filing_example()
    assert body["channel"] in Channel.values
    assert body["category"] in depok.CATEGORY_BY_CODE


def test_the_filing_example_files_a_report_in_the_demo_city(db: Any) -> None:
    seed.seed_master()
    key = keys.apikey_create(actor="test", name="gateway-sms")[1]  # scope submit
    headers, body = _filing_example()
    headers["Authorization"] = headers["Authorization"].replace("$KEY", key)
    content_type = headers.pop("Content-Type")
    response = Client().post(
        "/api/v1/reports", json.dumps(body), content_type=content_type, headers=headers
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "received"


def test_the_error_example_is_what_the_api_answers(db: Any) -> None:
    found = re.search(r"## Errors\n.*?```json\n(.*?)\n```", _doc("api.md"), re.S)
    assert found is not None
    shown = json.loads(found.group(1))
    seed.seed_master()
    _headers, body = _filing_example()
    body |= {"title": 5, "reporter": {"name": "Budi", "email": "b" * 250 + "@depok.example"}}
    response = Client().post("/api/v1/reports", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json() == shown
