"""The monthly PDF of the operations room: valid A4 bytes with the agencies and figures, and
the command's exit 2 for a bad month or an unknown agency."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from satupintu.agencies import calendar as workcal
from satupintu.dashboard import rebuild, selectors
from satupintu.dashboard.monthly_pdf import month_name, monthly_pdf
from satupintu.dashboard.selectors import CITY, Filters
from satupintu.demo import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    seed.seed_master()
    seed.seed_reports(200, seed=7, batch=200)
    rebuild.rebuild()


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_agencies_and_figures(seeded: None) -> None:
    month = workcal.today().replace(day=1)
    data = monthly_pdf(month, CITY)
    assert data.startswith(b"%PDF-")
    text = " ".join(text_of(data).split())
    assert month_name(month) in text
    assert "Halaman 1 dari" in text
    sla = [r for r in selectors.sla_by_agency(Filters.month(month)) if r.received]
    assert sla
    for row in sla[:3]:
        assert row.name.split()[0] in text
    trend = selectors.monthly_trend(Filters.month(month), months=1)[0]
    assert str(trend.reports) in text


def test_the_command_writes_a_file_and_refuses_bad_input(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    month = workcal.today().strftime("%Y-%m")
    call_command("dashboard_pdf", "--month", month, "-o", str(target), stdout=StringIO())
    assert target.read_bytes().startswith(b"%PDF-")
    for args, message in (
        (("--month", "2026-13"), "invalid month"),
        (("--month", "november"), "invalid month"),
        (("--month", month, "--agency", "no-such"), "unknown agency"),
    ):
        with pytest.raises(CommandError, match=message) as caught:
            call_command("dashboard_pdf", *args, stdout=StringIO())
        assert caught.value.returncode == 2
