"""Evaluation pages: who opens them, what they show, and how many queries they need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from satupintu.agencies.models import Agency
from satupintu.catalogue import services as catalogue
from satupintu.core.models import User
from satupintu.evaluation import services
from satupintu.evaluation.indicators import indicators_refresh
from satupintu.evaluation.models import PekpppEvidence, PekpppScore
from tests.catalogue.conftest import make_service
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
CODES = ["KP1", "KP2", "KP3", "KP4", "KP5", "KP6", "KP7", "KP8", "KP9"]
OTHERS = ["SDM", "SARPRAS", "SIPP", "KONSULTASI", "INOVASI"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def worksheet_url(code: str = "pkm-pancoran-mas", year: int = 2025) -> str:
    return reverse("evaluation:worksheet", args=[code, year])


def test_evaluator_opens_fills_and_reads_the_index(
    city: City, evaluator: User, login: Login, weekday: dt.date
) -> None:
    client = login(evaluator)
    page = client.get(worksheet_url())
    assert page.status_code == 200
    assert "Buat lembar kerja" in page.content.decode()
    assert (
        client.post(
            reverse("evaluation:worksheet_open", args=["pkm-pancoran-mas", 2025])
        ).status_code
        == 302
    )
    form: dict[str, Any] = {"expected_version": 1}
    for code in CODES + OTHERS:
        form[f"score_{code}"] = "3"
        form[f"note_{code}"] = ""
    form["score_KP1"] = "4.5"
    form["evidence_KP1"] = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(worksheet_url(), form)
    assert response.status_code == 302
    text = client.get(worksheet_url()).content.decode()
    # 0.24 × (3 + 0.17 × 1.5) + 0.76 × 3 = 3.0612 -> 3.06, B- Baik (dengan catatan).
    assert 'data-testid="pekppp-index">3,06<' in text
    assert "Baik (dengan catatan)" in text
    evidence = PekpppEvidence.objects.get()
    download = client.get(
        reverse("evaluation:evidence", args=["pkm-pancoran-mas", 2025, evidence.pk])
    )
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_bad_input_comes_back_on_the_form(
    city: City, evaluator: User, login: Login, weekday: dt.date
) -> None:
    services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    client = login(evaluator)
    response = client.post(worksheet_url(), {"expected_version": 1, "score_KP1": "7"})
    assert response.status_code == 400
    assert "lebih kecil dari atau sama dengan 5" in response.content.decode()
    bad_file = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(worksheet_url(), {"expected_version": 1, "evidence_KP2": bad_file})
    assert response.status_code == 400
    assert "hanya JPEG, PNG, atau PDF" in response.content.decode()
    stale = client.post(worksheet_url(), {"expected_version": 0, "score_KP1": "2"})
    assert stale.status_code == 409
    assert not PekpppScore.objects.filter(indicator__code="KP1", score__isnull=False).exists()


def test_who_opens_the_evaluation(
    city: City, evaluator: User, login: Login, weekday: dt.date
) -> None:
    services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    overview = reverse("evaluation:overview")
    assert login(city.officer_a).get(overview).status_code == 404
    assert login(city.verifier).get(worksheet_url()).status_code == 404
    assert login(city.officer_a).get(reverse("evaluation:complaints")).status_code == 404
    leader = login(city.leader)
    assert leader.get(overview).status_code == 200
    page = leader.get(worksheet_url())
    assert page.status_code == 200 and "Simpan lembar kerja" not in page.content.decode()
    refused = leader.post(worksheet_url(), {"expected_version": 1, "score_KP1": "1"})
    assert refused.status_code == 403
    assert login(city.sysadmin).get(worksheet_url("pln-depok")).status_code == 404


def test_readiness_page_is_marked_as_an_estimate(
    city: City, evaluator: User, login: Login, weekday: dt.date
) -> None:
    make_service(city, evaluator, publish=True)
    catalogue.unit_profile_update(
        actor=evaluator, unit=city.puskesmas, maklumat="Siap.", hours="", address=""
    )
    response = login(evaluator).get(
        reverse("evaluation:readiness", args=["pkm-pancoran-mas"]), {"tahun": 2024}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ini perkiraan, bukan nilai Ombudsman" in text
    assert "Opini Ombudsman 2022–2024" in text
    assert "zona" in text


def busy(city: City, evaluator: User, start: int, end: int) -> None:
    """More units with published services and worksheets, more services and reports."""
    for i in range(start, end):
        unit = Agency.objects.create(
            code=f"pkm-{i}", name=f"Puskesmas {i}", kind="unit", parent=city.dinkes
        )
        # The system administrator sees new units at once (access is cached per user object).
        catalogue.service_create(actor=city.sysadmin, unit=unit, name="Imunisasi")
        services.worksheet_open(actor=city.sysadmin, unit=unit, year=2025)
        make_service(city, city.sysadmin, name=f"Layanan {i}", publish=True)
        city.dispatched(title=f"Laporan {i}")
    indicators_refresh(year=2025)
    services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)


@pytest.mark.parametrize(
    ("name", "args", "limit"),
    [
        ("evaluation:overview", [], 13),
        ("evaluation:complaints", [], 6),
        ("evaluation:readiness", ["pkm-pancoran-mas"], 9),
        ("evaluation:worksheet", ["pkm-pancoran-mas", 2025], 16),
    ],
)
def test_pages_need_the_same_few_queries_for_2_or_12_items(
    city: City,
    evaluator: User,
    login: Login,
    weekday: dt.date,
    django_assert_max_num_queries: Any,
    name: str,
    args: list[Any],
    limit: int,
) -> None:
    url = reverse(name, args=args)
    client = login(evaluator)
    busy(city, evaluator, 0, 2)
    client.get(url)  # warm the caches
    with django_assert_max_num_queries(limit) as few:
        assert client.get(url).status_code == 200
    busy(city, evaluator, 2, 12)
    with django_assert_max_num_queries(limit) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_complaint_indicators_page_shows_each_agency(
    city: City, evaluator: User, login: Login, weekday: dt.date
) -> None:
    city.dispatched()
    text = login(evaluator).get(reverse("evaluation:complaints")).content.decode()
    assert "belum dihitung" in text
    indicators_refresh(year=2025)
    text = (
        login(city.leader).get(reverse("evaluation:complaints"), {"tahun": "2025"}).content.decode()
    )
    assert "Dinas PUPR" in text
    # Agencies that received nothing this year are counted, not listed.
    assert "Dinas LHK" not in text and "PLN" not in text
    assert "4 instansi lain tidak menerima disposisi tahun ini." in text
