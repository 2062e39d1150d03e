"""Fixtures for the citizen portal: uploads in a temporary folder, fresh caches, a city with
two kecamatan, and helpers that drive the portal like a browser would."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from satupintu.agencies.models import Region
from satupintu.complaints.models import Report
from tests.conftest import City


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    """Rate-limit counters, home figures and region lists live in the cache."""
    cache.clear()
    yield
    cache.clear()


def jpeg(name: str = "foto.jpg", gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraMerek"
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass
class Area:
    """Two kecamatan of the city with their kelurahan."""

    first: Region  # Pancoran Mas (from the city fixture)
    second: Region  # Beji
    first_villages: list[Region]
    second_villages: list[Region]


@pytest.fixture
def area(city: City) -> Area:
    first = city.village.parent
    assert first is not None
    depok = first.parent
    extra = Region.objects.create(code="32.76.01.1002", name="Depok Jaya", level=4, parent=first)
    beji = Region.objects.create(code="32.76.05", name="Beji", level=3, parent=depok)
    kukusan = Region.objects.create(code="32.76.05.1001", name="Kukusan", level=4, parent=beji)
    tanah_baru = Region.objects.create(
        code="32.76.05.1002", name="Tanah Baru", level=4, parent=beji
    )
    return Area(first, beji, [city.village, extra], [kukusan, tanah_baru])


def report_data(city: City, **overrides: Any) -> dict[str, Any]:
    """What a citizen types into /lapor/ (files go in ``attachments``)."""
    data: dict[str, Any] = {
        "report_type": "pengaduan",
        "category": city.road.code,
        "title": "Jalan berlubang di depan SDN 3",
        "description": "Lubang besar di Jl. Margonda Raya dekat halte, sudah dua minggu.",
        "latitude": "-6.402100",
        "longitude": "106.818300",
        "address": "Jl. Margonda Raya No. 10",
        "kecamatan": "",
        "region_code": city.village.code,
        "incident_date": "",
        "name": "",
        "email": "",
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


LINK = re.compile(r"https?://testserver/lacak/([0-9A-Z]{10})/\?kunci=([A-Za-z0-9_\-%]+)")


@dataclass
class Filed:
    report: Report
    secret: str
    link: str


def file_through_portal(client: Client, city: City, **overrides: Any) -> Filed:
    """Submit the form, follow the redirect to the receipt, read the private link from it."""
    response = client.post("/lapor/", report_data(city, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    match = LINK.search(receipt.content.decode())
    assert match, "the receipt shows the private link"
    report = Report.objects.get(tracking_number=match.group(1))
    return Filed(report=report, secret=match.group(2), link=match.group(0))
