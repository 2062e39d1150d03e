"""The operations room's pages: who may open them, filters, exports and drill-down links."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from satupintu.dashboard.exports import PANELS, XLSX
from satupintu.dashboard.rebuild import rebuild

ROOM = "/petugas/ruang-kendali/"


@pytest.fixture
def figures(city: Any) -> Any:
    city.resolved()
    city.dispatched()
    city.dispatched(category=city.waste, title="Sampah menumpuk di pasar Kemiri")
    rebuild()
    return city


def test_leader_sees_the_city(figures: Any, login: Any) -> None:
    response = login(figures.leader).get(ROOM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dinas PUPR" in body and "Dinas LHK" in body
    assert "Siti Aminah" not in body and "081234567890" not in body


def test_agency_head_sees_only_their_agency(figures: Any, login: Any) -> None:
    response = login(figures.head_a).get(ROOM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dinas PUPR" in body
    assert "Dinas LHK" not in body
    assert "/petugas/instansi/dpupr/" in body
    assert "/petugas/kota/" not in body


@pytest.mark.parametrize("who", ["officer_a", "outsider"])
def test_others_are_refused(figures: Any, login: Any, who: str) -> None:
    assert login(getattr(figures, who)).get(ROOM).status_code == 404
    assert login(getattr(figures, who)).get(ROOM + "ekspor/sla.csv").status_code == 404


def test_anonymous_is_sent_to_sign_in(figures: Any, client: Any) -> None:
    response = client.get(ROOM)
    assert response.status_code == 302
    assert "/petugas/masuk/" in response["Location"]


def test_filters_change_the_figures(figures: Any, login: Any) -> None:
    client = login(figures.leader)
    everything = client.get(ROOM + "ekspor/sla.csv").content.decode("utf-8-sig")
    only_road = client.get(ROOM + f"ekspor/sla.csv?kategori={figures.road.pk}").content.decode(
        "utf-8-sig"
    )
    assert "Dinas LHK" in everything
    assert "Dinas LHK" not in only_road


def test_exports_content_and_types(figures: Any, login: Any) -> None:
    client = login(figures.leader)
    for panel in PANELS:
        csv_response = client.get(ROOM + f"ekspor/{panel}.csv")
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"].startswith("text/csv")
        assert "attachment" in csv_response["Content-Disposition"]
        xlsx_response = client.get(ROOM + f"ekspor/{panel}.xlsx")
        assert xlsx_response["Content-Type"] == XLSX
        load_workbook(io.BytesIO(xlsx_response.content))
    rows = list(
        csv.reader(io.StringIO(client.get(ROOM + "ekspor/status.csv").content.decode("utf-8-sig")))
    )
    assert rows[0] == ["Status", "Laporan", "Terlambat"]
    assert rows[-1][0] == "Jumlah" and rows[-1][1] == "3"
    assert client.get(ROOM + "ekspor/nope.csv").status_code == 404


def test_drill_down_links_carry_the_filters(figures: Any, login: Any) -> None:
    client = login(figures.leader)
    body = client.get(
        ROOM
        + f"?periode=custom&sejak=2026-01-01&sampai=2026-12-31&kategori={figures.road.pk}&kanal=web"
    ).content.decode()
    assert (
        f"/petugas/kota/?instansi={figures.dpupr.pk}&amp;kategori={figures.road.pk}&amp;kanal=web&amp;sejak=2026-01-01&amp;sampai=2026-12-31"
        in body
    )
    listed = client.get(f"/petugas/kota/?kategori={figures.road.pk}&kanal=web&sejak=2026-01-01")
    assert listed.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?periode=custom&sejak=garbage&sampai=2025-01-01",
        "?instansi=999999",
        "?kanal=pigeon",
        "?periode=custom&sejak=2025-02-01&sampai=2025-01-01",
        "?kecamatan=nowhere",
    ],
)
def test_bad_filters_are_form_errors(figures: Any, login: Any, query: str) -> None:
    client = login(figures.leader)
    response = client.get(ROOM + query)
    assert response.status_code == 400
    assert client.get(ROOM + "ekspor/sla.csv" + query).status_code == 400


def test_live_partials(figures: Any, login: Any) -> None:
    client = login(figures.leader)
    page = client.get(ROOM).content.decode()
    assert 'hx-trigger="every 10s"' in page
    panels = client.get(ROOM + "panel/")
    assert panels.status_code == 200 and b"<html" not in panels.content
    assert client.get(ROOM + "peta/").status_code == 200
    assert client.get(ROOM + "peta/kelurahan.geojson").status_code == 200
