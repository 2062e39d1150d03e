"""In a real browser: an evaluator fills a PEKPPP worksheet and reads the index and category;
a citizen finds a unit's published service standard with every component."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from satupintu.catalogue import services as catalogue
from satupintu.core.models import User
from satupintu.evaluation.models import PekpppEvidence, PekpppScore
from tests.browser.conftest import screenshot, sign_in
from tests.catalogue.conftest import ALL_COMPONENTS
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)

SCORES = {
    "KP1": "5",
    "KP2": "4",
    "KP3": "5",
    "KP4": "4",
    "KP5": "5",
    "KP6": "4",
    "KP7": "4",
    "KP8": "3",
    "KP9": "3",
    "SDM": "4",
    "SARPRAS": "4,5",
    "SIPP": "5",
    "KONSULTASI": "4",
    "INOVASI": "3",
}


def test_evaluator_fills_a_pekppp_worksheet(
    new_page: Any, city: City, evaluator: User, tmp_path: Path
) -> None:
    evidence = tmp_path / "sk-standar-pelayanan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

    page = new_page()
    sign_in(page, evaluator.username)
    page.get_by_role("link", name="Evaluasi pelayanan publik").click()
    page.get_by_role("link", name="Puskesmas Pancoran Mas").click()  # "Unit lain"
    page.get_by_role("button", name="Buat lembar kerja").click()
    expect(page.get_by_text("Lembar kerja dibuat.")).to_be_visible()
    for code, score in SCORES.items():
        # Chromium's number input takes the decimal point whatever the page's language.
        page.get_by_label(f"Nilai {code} (0–5)").fill(score.replace(",", "."))
    page.locator("#id_note_KP1").fill("14 komponen lengkap, ditetapkan dengan SK Kepala Dinkes.")
    page.locator("#id_evidence_KP1").set_input_files(str(evidence))
    page.get_by_role("button", name="Simpan lembar kerja").click()
    expect(page.get_by_text("Lembar kerja disimpan.")).to_be_visible()

    # 0.24 × (5·.17 + 4·.14 + 5·.07 + 4·.14 + 5·.10 + 4·.17 + 4·.07 + 3·.07 + 3·.07)
    # + 0.25 × 4 + 0.18 × 4.5 + 0.11 × 5 + 0.10 × 4 + 0.12 × 3 = 0.24 × 4.2 + 3.12 = 4.128 -> 4.13
    assert page.get_by_test_id("pekppp-index").inner_text() == "4,13"
    assert page.get_by_test_id("pekppp-category").inner_text() == "A-"
    assert page.get_by_text("Sangat Baik").is_visible()
    assert page.get_by_role("link", name="sk-standar-pelayanan.pdf").is_visible()
    assert PekpppEvidence.objects.get().indicator.code == "KP1"
    assert PekpppScore.objects.filter(score__isnull=False).count() == len(SCORES)
    screenshot(page, "pekppp-worksheet")
    assert not page.js_errors


def test_citizen_reads_a_published_service_standard(page: Any, city: City) -> None:
    service = catalogue.service_create(
        actor=city.sysadmin, unit=city.puskesmas, name="Pembuatan KIA"
    )
    catalogue.service_update(actor=city.sysadmin, service_id=service.pk, values=ALL_COMPONENTS)
    catalogue.service_set_published(actor=city.sysadmin, service_id=service.pk, published=True)
    catalogue.unit_profile_update(
        actor=city.sysadmin,
        unit=city.puskesmas,
        maklumat="Kami sanggup melayani sesuai standar pelayanan.",
        hours="Senin–Jumat 07.30–14.00",
        address="Jl. Pancoran Mas No. 1",
    )
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Standar pelayanan").click()
    page.get_by_role("link", name="Puskesmas Pancoran Mas").click()
    # Each click loads a page: wait for it before reading.
    expect(page.get_by_text("Kami sanggup melayani sesuai standar pelayanan.")).to_be_visible()
    page.get_by_role("link", name="Pembuatan KIA").click()
    expect(page.get_by_role("heading", name="Pembuatan KIA")).to_be_visible()
    for text in ALL_COMPONENTS.values():
        assert page.get_by_text(text, exact=True).is_visible()
    assert page.get_by_text("n. Evaluasi kinerja pelaksana").is_visible()
    screenshot(page, "service-standard-mobile")
    assert not page.js_errors
