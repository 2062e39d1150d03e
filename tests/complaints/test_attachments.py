"""Attachments: checked by content, images stripped of metadata, limits enforced; assignment."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from PIL import Image

from satupintu.complaints import services
from satupintu.complaints.models import Attachment, Report
from satupintu.core import audit
from satupintu.core.errors import InvalidInput, NotFound
from tests.complaints.images import ORIENTATION, huge_png, sideways_jpeg
from tests.conftest import City

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 24.0, 9.0), 3: "E", 4: (106.0, 49.0, 5.0)}  # GPSInfo
    exif[0x010F] = "KameraMerek"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_stored_without_its_gps_metadata(city: City) -> None:
    raw = jpeg_with_gps()
    assert b"KameraMerek" in raw
    report, _ = city.file(attachments=[("foto lubang.JPG", io.BytesIO(raw))])
    attachment = report.attachments.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.content_type == "image/jpeg" and attachment.by_reporter
    assert b"KameraMerek" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30) and not image.getexif()
    assert "foto" not in attachment.file.name  # stored under a random name
    assert audit.verify().ok


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20_000, 10_000),  # past twice Pillow's own limit: Pillow raises DecompressionBombError
        (10_000, 10_000),  # past Pillow's limit: Pillow warns (an error under pytest)
        (8_000, 6_000),  # within Pillow's limits, past ours
    ],
)
def test_an_image_claiming_huge_dimensions_is_refused_before_it_is_decoded(
    city: City, width: int, height: int
) -> None:
    raw = huge_png(width, height)
    assert len(raw) < 30_000
    with pytest.raises(InvalidInput) as err:
        city.file(attachments=[("peta.png", io.BytesIO(raw))])
    assert err.value.code == "invalid"
    assert err.value.message == (
        f"peta.png: gambar terlalu besar ({width}×{height} piksel); paling banyak 40 juta piksel."
    )
    assert err.value.fields == {"attachments": "peta.png: gambar terlalu besar."}
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        city.file(attachments=[("peta.png", io.BytesIO(raw))])
    assert err.value.message == (
        f"peta.png: the image is too large ({width}×{height} pixels); at most 40 million pixels."
    )


def test_a_portrait_photo_is_stored_upright_and_without_metadata(city: City) -> None:
    raw = sideways_jpeg(60, 40)
    with Image.open(io.BytesIO(raw)) as sent:
        assert sent.size == (60, 40) and sent.getexif()[ORIENTATION] == 6
    report, _ = city.file(attachments=[("potret.jpg", io.BytesIO(raw))])
    with report.attachments.get().file.open("rb") as handle:
        stored = handle.read()
    assert b"KameraMerek" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 60) and not image.getexif()
        red, green, blue = image.convert("RGB").getpixel((20, 3))  # type: ignore[misc]
        assert blue > 150 and red < 80  # the band that was on the left is now on top


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("surat.pdf", b"MZ\x90\x00 not a pdf", "JPEG, PNG, atau PDF"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "bukan gambar"),
        ("kosong.jpg", b"", "kosong"),
    ],
)
def test_files_are_judged_by_content_and_nothing_is_stored(
    city: City, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        city.file(attachments=[(name, io.BytesIO(content))])
    assert err.value.code == "invalid" and message in err.value.message
    assert err.value.message.startswith(f"{name}: ")  # the bad file is named
    assert name in err.value.fields["attachments"]
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_size_and_count_limits(city: City, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    big = b"%PDF-1.4\n" + b"0" * 2000
    with pytest.raises(InvalidInput, match="besar.pdf: ukuran berkas melebihi batas") as err:
        city.file(attachments=[("besar.pdf", io.BytesIO(big))])
    assert "besar.pdf" in err.value.fields["attachments"]
    settings.ATTACHMENT_MAX_BYTES = 5_000_000
    settings.ATTACHMENT_MAX_FILES = 2
    pdf = b"%PDF-1.4\n%%EOF"
    with pytest.raises(InvalidInput, match="Paling banyak 2 berkas") as err:
        city.file(attachments=[(f"{i}.pdf", io.BytesIO(pdf)) for i in range(3)])
    assert err.value.fields == {"attachments": "Paling banyak 2 berkas."}
    assert Report.objects.count() == 0


def test_reporter_and_agency_add_files_later_but_outsiders_cannot(city: City) -> None:
    report = city.dispatched()
    pdf = b"%PDF-1.4\n%%EOF"
    services.report_add_attachments(
        actor=city.reporter(report), report_id=report.pk, files=[("a.pdf", io.BytesIO(pdf))]
    )
    services.report_add_attachments(
        actor=city.officer_a, report_id=report.pk, files=[("b.pdf", io.BytesIO(pdf))]
    )
    with pytest.raises(NotFound):
        services.report_add_attachments(
            actor=city.officer_b, report_id=report.pk, files=[("c.pdf", io.BytesIO(pdf))]
        )
    assert report.attachments.count() == 2


def test_assign_to_an_officer_of_the_holding_agency_only(city: City) -> None:
    report = city.dispatched()
    report = services.report_assign(actor=city.head_a, report_id=report.pk, assignee=city.officer_a)
    assert report.assignee == city.officer_a
    assert report.events.filter(kind="assigned", is_public=False).exists()
    with pytest.raises(InvalidInput):
        services.report_assign(actor=city.head_a, report_id=report.pk, assignee=city.officer_b)
    report = services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency="dlhk", reason="Sampah, bukan jalan"
    )
    assert report.assignee is None
