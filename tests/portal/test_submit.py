"""/lapor/: the form, the receipt (PRG), errors next to fields, honeypot, rate limit, regions."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from satupintu.agencies.models import Agency, Region
from satupintu.complaints import tracking
from satupintu.complaints.models import Attachment, Report
from tests.complaints.images import huge_png
from tests.conftest import City
from tests.portal.conftest import Area, file_through_portal, jpeg, report_data

pytestmark = pytest.mark.django_db


def test_form_offers_types_categories_regions_and_limits(
    client: Client, city: City, area: Area, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_FILES = 4
    settings.ATTACHMENT_MAX_BYTES = 3 * 1024 * 1024
    page = client.get("/lapor/").content.decode()
    for value in ("pengaduan", "aspirasi", "informasi"):
        assert f'value="{value}"' in page
    assert "Saran, usulan, atau gagasan" in page  # plain explanation of aspirasi
    assert city.road.name in page and "<optgroup" in page
    # Without JS every kelurahan is listed, grouped by kecamatan; htmx narrows the list.
    assert '<optgroup label="Beji">' in page and "Kukusan" in page and "Depok Jaya" in page
    assert 'hx-get="/wilayah/kelurahan/"' in page
    assert "paling banyak 4 berkas" in page and "3 MB" in page
    assert 'accept="image/jpeg,image/png,application/pdf' in page and "multiple" in page
    assert "Identitas Anda disembunyikan dari instansi" in page  # anonim explained
    assert "Laporan tidak ditampilkan kepada publik" in page  # rahasia explained
    assert 'name="website"' in page  # honeypot
    assert "csrfmiddlewaretoken" in page
    assert 'data-tiles="https://' in page and "vendor/leaflet/leaflet.js" in page


def test_submit_redirects_to_a_receipt_that_shows_the_secret_once(
    client: Client, city: City
) -> None:
    response = client.post("/lapor/", report_data(city), follow=False)
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/lapor/terkirim/{report.tracking_number}/"
    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert tracking.format_tracking_number(report.tracking_number) in page
    assert f"http://testserver/lacak/{report.tracking_number}/?kunci=" in page
    assert "Salin tautan" in page
    assert report.verify_due is not None
    assert str(report.verify_due.year) in page  # verification due date shown
    assert receipt["Cache-Control"].startswith("max-age=0")
    # Reloading the receipt no longer shows the secret, but the browser keeps access.
    again = client.get(response["Location"]).content.decode()
    assert "?kunci=" not in again
    assert client.get(f"/lacak/{report.tracking_number}/").status_code == 200
    # Another browser cannot open the receipt.
    assert Client().get(response["Location"]).status_code == 404


def test_submission_reaches_the_service_with_everything_typed(client: Client, city: City) -> None:
    filed = file_through_portal(
        client,
        city,
        report_type="aspirasi",
        incident_date="2025-01-15",
        attachments=[jpeg("lubang.jpg", gps=True)],
        name="Budi",
        email="budi@example.id",
        phone="0812",
        is_confidential="on",
    )
    report = filed.report
    assert report.channel == "web" and report.report_type == "aspirasi"
    assert report.category == city.road and report.region_id == city.village.code
    assert str(report.latitude) == "-6.402100" and str(report.longitude) == "106.818300"
    assert report.incident_date == dt.date(2025, 1, 15)
    assert report.is_confidential and not report.is_anonymous
    assert report.contact_encrypted and "Budi" not in report.contact_encrypted
    attachment = Attachment.objects.get(report=report)
    with attachment.file.open("rb") as handle:
        assert b"KameraMerek" not in handle.read()


def test_bad_input_keeps_what_was_typed_and_shows_the_error_at_the_field(
    client: Client, city: City
) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    data = report_data(
        city,
        title="Lampu <b>mati</b> di gang",
        incident_date=future,
        address="Gang Melati",
        is_anonymous="on",
        attachments=[jpeg()],
    )
    response = client.post("/lapor/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert not Report.objects.exists()
    # The service's error sits in the incident date's field block.
    start = page.rindex('<div class="field', 0, page.index('for="id_incident_date"'))
    block = page[start : page.index("</div>", start)]
    assert "field--error" in block and 'id="id_incident_date_error"' in block
    # Everything typed is still there, escaped; files must be chosen again (and we say so).
    assert 'value="Lampu &lt;b&gt;mati&lt;/b&gt; di gang"' in page
    assert "<b>mati</b>" not in page
    assert html.escape(data["description"], quote=False) in page
    assert 'value="Gang Melati"' in page
    assert f'value="{future}"' in page
    assert 'name="is_anonymous" id="id_is_anonymous" checked' in page
    assert f'<option value="{city.village.code}" selected>' in page
    assert 'value="-6.402100"' in page
    assert "perlu dipilih ulang" in page


def test_missing_title_and_short_description_are_caught_by_the_form(
    client: Client, city: City
) -> None:
    response = client.post("/lapor/", report_data(city, title="", description="pendek"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title_error"' in page and 'id="id_description_error"' in page
    assert 'aria-invalid="true"' in page
    assert "perlu dipilih ulang" not in page  # no file was chosen
    assert not Report.objects.exists()


def test_service_errors_on_hidden_fields_and_files_are_shown(client: Client, city: City) -> None:
    response = client.post("/lapor/", report_data(city, latitude="-6.4", longitude=""))
    assert response.status_code == 400
    assert 'id="id_latitude_error"' in response.content.decode()
    bad = client.post(
        "/lapor/",
        report_data(city, attachments=[_file("virus.pdf", b"MZ\x90\x00 not a pdf")]),
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'id="id_attachments_error"' in page and "virus.pdf" in page
    assert not Report.objects.exists()


def test_a_photo_claiming_huge_dimensions_is_shown_at_its_field(client: Client, city: City) -> None:
    photo = SimpleUploadedFile("peta.png", huge_png(), content_type="image/png")
    response = client.post("/lapor/", report_data(city, attachments=[photo]))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_attachments_error"' in page and "peta.png: gambar terlalu besar." in page
    assert not Report.objects.exists()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_honeypot_refuses_without_filing(client: Client, city: City) -> None:
    response = client.post("/lapor/", report_data(city, website="http://spam.example"))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_rate_limit_per_client_address(client: Client, city: City) -> None:
    for _ in range(10):
        assert client.post("/lapor/", report_data(city, title="")).status_code == 400
    blocked = client.post("/lapor/", report_data(city))
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in blocked.content.decode()
    assert not Report.objects.exists()
    # Another address still gets through.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post("/lapor/", report_data(city)).status_code == 302


def test_kelurahan_endpoint_returns_only_that_kecamatans_options(
    client: Client, area: Area
) -> None:
    response = client.get(
        "/wilayah/kelurahan/", {"kecamatan": area.second.code}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<optgroup" not in page
    for village in area.second_villages:
        assert f'<option value="{village.code}"' in page
    for village in area.first_villages:
        assert village.code not in page
    # Keeps the current choice when it still belongs to the kecamatan.
    kept = client.get(
        "/wilayah/kelurahan/",
        {"kecamatan": area.second.code, "region_code": area.second_villages[1].code},
    ).content.decode()
    assert f'<option value="{area.second_villages[1].code}" selected>' in kept
    # No kecamatan: every kelurahan, grouped.
    everything = client.get("/wilayah/kelurahan/").content.decode()
    assert everything.count("<optgroup") == 2
    assert (
        client.get("/wilayah/kelurahan/", {"kecamatan": "99"}).content.decode().count("<option")
        == 1
    )


def test_regions_are_limited_to_the_pemdas_own_city(client: Client, city: City, area: Area) -> None:
    other_city = Region.objects.create(code="32.75", name="KOTA BEKASI", level=2)
    bekasi = Region.objects.create(code="32.75.01", name="Bekasi Timur", level=3, parent=other_city)
    Region.objects.create(code="32.75.01.1001", name="Aren Jaya", level=4, parent=bekasi)
    Agency.objects.filter(pk=city.pemda.pk).update(region_id="32.76")
    page = client.get("/lapor/").content.decode()
    assert "Beji" in page and "Aren Jaya" not in page and "Bekasi Timur" not in page
