"""Public pages: the list (search, filters, paging, map), the detail, privacy, attachments."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from satupintu.complaints import public, services
from satupintu.complaints.models import Report
from satupintu.portal import selectors
from tests.conftest import City
from tests.portal.conftest import Area, file_through_portal, jpeg

pytestmark = pytest.mark.django_db

IDENTITY = ("Siti Aminah", "siti@example.id", "081234567890")


def titles(page: str) -> list[str]:
    return re.findall(r'<a href="/laporan/[0-9A-Z]{10}/">([^<]*)</a>', page)


def test_list_search_and_filters(client: Client, city: City, area: Area) -> None:
    road, _ = city.file(title="Jalan rusak di Kukusan", region_code=area.second_villages[0].code)
    waste, _ = city.file(
        title="Sampah menumpuk",
        description="Sampah tidak diangkut tiga hari di dekat pasar.",
        category=city.waste,
    )
    info, _ = city.file(
        title="Jadwal posyandu",
        description="Mohon informasi jadwal posyandu di Pancoran Mas.",
        report_type="informasi",
        category=None,
        region_code=city.village.code,
    )
    services.report_dispatch(actor=city.verifier, report_id=road.pk)
    page = client.get("/laporan/").content.decode()
    assert set(titles(page)) == {road.title, waste.title, info.title}
    assert titles(client.get("/laporan/", {"q": "menumpuk"}).content.decode()) == [waste.title]
    # Searching in the description, case-insensitively.
    assert titles(client.get("/laporan/", {"q": "POSYANDU"}).content.decode()) == [info.title]
    # A tracking number as people write it.
    typed = f"{road.tracking_number[:5].lower()}-{road.tracking_number[5:]}"
    assert titles(client.get("/laporan/", {"q": typed}).content.decode()) == [road.title]
    by_status = client.get("/laporan/", {"status": "dispatched"}).content.decode()
    assert titles(by_status) == [road.title]
    by_category = client.get("/laporan/", {"category": city.waste.code}).content.decode()
    assert titles(by_category) == [waste.title]
    by_district = client.get("/laporan/", {"kecamatan": area.second.code}).content.decode()
    assert titles(by_district) == [road.title]
    by_type = client.get("/laporan/", {"report_type": "informasi"}).content.decode()
    assert titles(by_type) == [info.title]
    combined = client.get("/laporan/", {"q": "sampah", "report_type": "informasi"})
    assert titles(combined.content.decode()) == []
    assert "Tidak ada laporan yang cocok" in combined.content.decode()
    # A bad filter value is ignored instead of failing the page.
    assert client.get("/laporan/", {"status": "nonsense", "page": "x"}).status_code == 200


def test_list_pages_by_25_without_counting(
    client: Client, city: City, django_assert_max_num_queries: Any
) -> None:
    for n in range(27):
        city.file(title=f"Laporan nomor {n:02d}")
    first = client.get("/laporan/").content.decode()
    assert len(titles(first)) == 25
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    second = client.get("/laporan/", {"page": 2}).content.decode()
    assert len(titles(second)) == 2 and 'rel="next"' not in second
    assert 'rel="prev" href="?page=1"' in second
    assert set(titles(first)).isdisjoint(titles(second))
    filtered = client.get("/laporan/", {"q": "nomor", "page": 1}).content.decode()
    assert "q=nomor&amp;page=2" in filtered
    with django_assert_max_num_queries(6) as captured:
        client.get("/laporan/")
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_list_map_has_the_points_of_the_page(client: Client, city: City) -> None:
    located, _ = city.file(latitude="-6.40", longitude="106.81", title="Ada titik <i>")
    city.file(title="Tanpa titik")
    page = client.get("/laporan/").content.decode()
    data = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', page)
    assert data is not None
    points = json.loads(data.group(1))
    assert points == [
        {
            "lat": -6.4,
            "lon": 106.81,
            "tracking": f"{located.tracking_number[:5]}-{located.tracking_number[5:]}",
            "number": located.tracking_number,
            "title": "Ada titik <i>",
            "status": "Diterima",
        }
    ]
    assert "Ada titik <i>" not in page.replace(data.group(1), "")  # escaped everywhere else


def test_confidential_reports_are_404_on_public_pages(client: Client, city: City) -> None:
    filed = file_through_portal(
        client,
        city,
        title="Pungli di kantor kelurahan",
        is_confidential="on",
        attachments=[jpeg()],
    )
    number = filed.report.tracking_number
    visitor = Client()
    detail = visitor.get(f"/laporan/{number}/")
    assert detail.status_code == 404
    assert "Pungli" not in detail.content.decode()
    assert "Pungli" not in visitor.get("/laporan/").content.decode()
    assert "Pungli" not in visitor.get("/laporan/", {"q": number}).content.decode()
    photo = filed.report.attachments.get()
    assert visitor.get(f"/lampiran/{photo.pk}/").status_code == 404
    # The reporter still sees their own report and file.
    assert client.get(f"/lacak/{number}/").status_code == 200
    own = client.get(f"/lampiran/{photo.pk}/")
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    b"".join(own.streaming_content)


def test_archived_and_unknown_reports_are_404(client: Client, city: City) -> None:
    report, _ = city.file()
    services.report_archive(actor=city.verifier, report_id=report.pk, reason="Spam.")
    assert client.get(f"/laporan/{report.tracking_number}/").status_code == 404
    assert client.get("/laporan/0000000000/").status_code == 404
    assert client.get("/laporan/-/").status_code == 404


def test_anonymous_reporter_identity_appears_nowhere(client: Client, city: City) -> None:
    filed = file_through_portal(
        client,
        city,
        name=IDENTITY[0],
        email=IDENTITY[1],
        phone=IDENTITY[2],
        is_anonymous="on",
        attachments=[jpeg("ktp-siti.jpg")],
    )
    report = filed.report
    assert report.is_anonymous
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah ditangani.")
    visitor = Client()
    pages = [
        client.get(f"/lapor/terkirim/{report.tracking_number}/"),
        client.get(f"/lacak/{report.tracking_number}/"),
        visitor.get("/"),
        visitor.get("/laporan/"),
        visitor.get("/laporan/", {"q": "Siti"}),
        visitor.get(f"/laporan/{report.tracking_number}/"),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        for value in IDENTITY:
            assert value not in page
    # The anonymous reporter's own file is not offered to the public (it may name them).
    public = pages[-1].content.decode()
    assert "ktp-siti.jpg" not in public
    photo = report.attachments.get()
    assert visitor.get(f"/lampiran/{photo.pk}/").status_code == 404


def test_public_detail_shows_the_public_timeline_only(client: Client, city: City) -> None:
    report = city.dispatched(
        title="Lampu <script>alert(1)</script>", attachments=[("lampu.jpg", jpeg("lampu.jpg"))]
    )
    services.report_add_note(actor=city.officer_a, report_id=report.pk, body="CATATAN INTERNAL")
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Teknisi meluncur.")
    response = client.get(f"/laporan/{report.tracking_number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Teknisi meluncur." in page and "CATATAN INTERNAL" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert city.dpupr.name in page
    for value in IDENTITY:
        assert value not in page
    # A named reporter's own photo is public with the report; files go through the check.
    photo = report.attachments.get()
    assert f"/lampiran/{photo.pk}/" in page
    served = client.get(f"/lampiran/{photo.pk}/")
    assert served.status_code == 200
    assert "sandbox" in served["Content-Security-Policy"]
    b"".join(served.streaming_content)  # consuming it closes the file
    assert response["X-Frame-Options"] == "DENY"
    # The formatted number redirects to the canonical address.
    formatted = f"/laporan/{report.tracking_number[:5]}-{report.tracking_number[5:]}/"
    assert client.get(formatted)["Location"] == f"/laporan/{report.tracking_number}/"


def test_media_is_not_served_directly(client: Client, city: City) -> None:
    report, _ = city.file(attachments=[("foto.jpg", jpeg())])
    photo = report.attachments.get()
    assert client.get(f"/media/{photo.file.name}").status_code == 404
    assert client.get("/lampiran/999999/").status_code == 404


def test_public_selector_hides_confidential(city: City) -> None:
    hidden, _ = city.file(is_confidential=True)
    assert selectors.public_report(hidden.tracking_number) is None
    assert not public.reports().filter(pk=hidden.pk).exists()
    assert Report.objects.filter(pk=hidden.pk).exists()
