"""Public reads: lists and pages of public reports, master data, the docs page."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.complaints import services
from satupintu.complaints.models import CategoryAttribute, Report
from tests.api.conftest import Api
from tests.conftest import City


def _file(city: City, n: int, **kwargs: Any) -> list[Report]:
    return [city.file(title=f"Laporan nomor {i}", **kwargs)[0] for i in range(n)]


def test_the_public_list_never_shows_confidential_or_archived_reports(city: City) -> None:
    shown = _file(city, 2)
    secret = city.file(is_confidential=True)[0]
    archived = city.file()[0]
    services.report_archive(actor=city.verifier, report_id=archived.pk, reason="Spam")
    body = Api().get("/reports").json()
    numbers = {item["tracking_number"] for item in body["items"]}
    assert numbers == {r.tracking_number for r in shown}
    assert Api().get(f"/reports/{secret.tracking_number}").status_code == 404
    assert Api().get(f"/reports/{archived.tracking_number}").status_code == 404
    assert (
        secret.tracking_number
        not in Api().get("/reports", q=secret.tracking_number).content.decode()
    )


def test_no_reporter_identity_in_any_public_answer(city: City) -> None:
    report = city.resolved(is_anonymous=True)
    for path in ("/reports", f"/reports/{report.tracking_number}"):
        text = Api().get(path).content.decode()
        for value in ("Siti Aminah", "siti@example.id", "081234567890"):
            assert value not in text


def test_the_cursor_walks_every_report_once_newest_first(city: City) -> None:
    reports = _file(city, 7)
    seen: list[str] = []
    cursor = None
    for _page in range(5):
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = Api().get("/reports", **params).json()
        seen += [item["tracking_number"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [r.tracking_number for r in reversed(reports)]
    bad = Api().get("/reports", cursor="not-a-cursor")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"cursor": "Kursor tidak sah."}


def test_filters(city: City) -> None:
    road = city.file(region_code=city.village.code)[0]
    waste = city.file(category=city.waste, title="Sampah menumpuk di pasar")[0]
    dispatched = city.dispatched()
    api = Api()

    def numbers(**params: Any) -> set[str]:
        response = api.get("/reports", **params)
        assert response.status_code == 200, response.content
        return {item["tracking_number"] for item in response.json()["items"]}

    assert numbers(category="sampah") == {waste.tracking_number}
    assert numbers(report_type="aspirasi") == {waste.tracking_number}
    assert numbers(region=city.village.parent_id) == {road.tracking_number}
    assert numbers(status="dispatched") == {dispatched.tracking_number}
    assert numbers(agency="dpupr") == {dispatched.tracking_number}
    assert numbers(q="pasar") == {waste.tracking_number}
    assert numbers(q=waste.tracking_number.lower()) == {waste.tracking_number}
    assert numbers(received_after="2999-01-01T00:00:00+07:00") == set()
    assert len(numbers(received_before="2999-01-01T00:00:00Z")) == 3
    unknown = api.get("/reports", status="selesai")
    assert unknown.status_code == 422
    assert "status" in unknown.json()["error"]["fields"]


def test_the_list_costs_the_same_queries_for_any_page_size(city: City) -> None:
    _file(city, 3)
    Api().get("/reports", limit=1)  # fills the copies of the master data (complaints/related)
    with CaptureQueriesContext(connection) as few:
        Api().get("/reports", limit=1)
    _file(city, 20)
    with CaptureQueriesContext(connection) as many:
        Api().get("/reports", limit=20)
    assert len(many) == len(few) <= 2


def test_a_public_page_has_the_public_timeline_and_the_answer(city: City) -> None:
    report = city.resolved()
    services.report_add_note(actor=city.officer_a, report_id=report.pk, body="Rahasia internal")
    body = Api().get(f"/reports/{report.tracking_number.lower()}").json()
    assert body["status"] == "resolved"
    assert body["answer"] == "Sudah ditambal."
    assert body["agency"] == {"code": "dpupr", "name": "Dinas PUPR"}
    kinds = [e["kind"] for e in body["timeline"]]
    assert kinds == ["received", "dispatched", "follow_up", "resolved"]
    assert "Rahasia internal" not in str(body)


def test_categories_with_their_attributes(city: City) -> None:
    CategoryAttribute.objects.create(
        category=city.road,
        code="ukuran",
        label="Ukuran lubang",
        datatype="singlevaluelist",
        values=[{"key": "kecil", "name": "Kecil"}, {"key": "besar", "name": "Besar"}],
        order=1,
    )
    CategoryAttribute.objects.create(
        category=city.road, code="lama", label="Tidak aktif", datatype="string", is_active=False
    )
    listed = Api().get("/categories").json()
    assert [c["code"] for c in listed] == ["jalan-rusak", "listrik", "sampah"]
    road = Api().get("/categories/jalan-rusak").json()
    assert road["agency"] == {"code": "dpupr", "name": "Dinas PUPR"}
    assert road["completion_days"] == 14
    assert road["attributes"] == [
        {
            "code": "ukuran",
            "label": "Ukuran lubang",
            "help_text": "",
            "datatype": "singlevaluelist",
            "required": False,
            "variable": True,
            "order": 1,
            "values": [{"key": "kecil", "name": "Kecil"}, {"key": "besar", "name": "Besar"}],
        }
    ]
    assert Api().get("/categories/nope").status_code == 404


def test_agencies_and_regions(city: City) -> None:
    agencies = {a["code"]: a for a in Api().get("/agencies").json()}
    assert agencies["pkm-pancoran-mas"]["parent"] == "dinkes"
    assert agencies["pln-depok"]["kind"] == "external"
    assert [a["code"] for a in Api().get("/agencies", kind="external").json()] == ["pln-depok"]
    assert [r["code"] for r in Api().get("/regions").json()] == ["32"]
    below = Api().get("/regions", parent="32.76.01").json()
    assert below == [
        {"code": "32.76.01.1001", "name": "Pancoran Mas", "level": 4, "parent": "32.76.01"}
    ]


def test_the_docs_page_renders_from_local_files(city: City) -> None:
    page = Api().client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    scripts = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert scripts and not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    schema = Api().client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "satupintu API"
    assert "/api/v1/reports" in schema["paths"]
