"""An SKM run end to end in the browser: the evaluator opens a period and sets targets, citizens
answer by the QR link on a phone and at a kiosk, the evaluator reads the results, downloads the
XLSX and the PDF report, records a follow-up action and completes it, then publishes."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from satupintu.agencies.models import Membership, Role
from satupintu.core.models import User
from satupintu.surveys.models import FollowUpAction, SkmResponse, SurveyPeriod
from tests.browser.conftest import PASSWORD, screenshot, sign_in
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)


def answer(page: Any, scores: list[int], suggestion: str = "") -> None:
    """Tap one answer per question (1–4) and send the form."""
    for number, score in enumerate(scores, 1):
        page.locator(f"#q-u{number} label.choice").nth(score - 1).click()
    if suggestion:
        page.locator("#id_suggestion").fill(suggestion)
    page.get_by_role("button", name="Kirim jawaban").click()


def test_an_skm_from_period_to_published_results(page: Any, new_page: Any, city: City) -> None:
    evaluator = User.objects.create_user(
        username="benny", password=PASSWORD, first_name="Benny", last_name="Harahap"
    )
    Membership.objects.create(user=evaluator, agency=city.pemda, role=Role.EVALUATOR)
    today = dt.date.today()
    desk = new_page()
    base = desk.base_url

    # --- the evaluator opens a period and sets the sample targets -------------------------
    sign_in(desk, "benny")
    desk.get_by_role("link", name=re.compile("Survei Kepuasan Masyarakat")).click()
    desk.wait_for_url(base + "/petugas/skm/")
    form = desk.locator("#periode-baru")
    form.get_by_label("Nama periode").fill("SKM Uji Coba")
    form.get_by_label("Mulai").fill((today - dt.timedelta(days=10)).isoformat())
    form.get_by_label("Selesai").fill((today + dt.timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Buat periode").click()
    desk.wait_for_url(re.compile(r"/petugas/skm/\d+/$"))
    period = SurveyPeriod.objects.get(name="SKM Uji Coba")
    expect(desk.locator("h1")).to_contain_text("disiapkan")

    desk.get_by_text("Atur populasi dan target sampel per unit").click()
    desk.get_by_label("Dinas PUPR").fill("100")
    desk.get_by_label("Puskesmas Pancoran Mas").fill("10")
    desk.get_by_role("button", name="Simpan target").click()
    expect(desk.locator(".messages")).to_contain_text("2 target sampel disimpan.")
    desk.get_by_role("button", name="Buka periode").click()
    expect(desk.locator("h1")).to_contain_text("dibuka")
    progress = desk.locator("#progress")
    expect(progress.locator("tr", has_text="Dinas PUPR")).to_contain_text("80")  # N=100 → 80
    with desk.expect_download() as qr_download:
        desk.get_by_role("link", name="Lembar kode QR (PDF)").click()
    qr_pdf = PdfReader(io.BytesIO(qr_download.value.path().read_bytes()))
    assert len(qr_pdf.pages) == 2

    # --- a citizen answers on a phone through the QR code ---------------------------------
    page.goto(f"{base}/survei/{period.pk}/dpupr/?via=qr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan masyarakat")
    answer(page, [4, 3, 2, 4, 3, 3, 4, 2, 3], "Ruang tunggu panas, mohon tambah kipas.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")

    # --- two visitors at the kiosk of the Puskesmas: the form resets after each ------------
    kiosk = new_page()
    kiosk.goto(f"{base}/survei/{period.pk}/pkm-pancoran-mas/?kiosk=1")
    answer(kiosk, [4, 4, 3, 4, 4, 4, 4, 3, 4])
    expect(kiosk.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    kiosk.wait_for_url(re.compile(r"/pkm-pancoran-mas/\?kiosk=1$"), timeout=15_000)
    expect(kiosk.locator("input[type=radio]:checked")).to_have_count(0)
    answer(kiosk, [3, 3, 2, 4, 3, 3, 3, 3, 2])
    expect(kiosk.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    assert SkmResponse.objects.filter(period=period).count() == 3
    assert set(SkmResponse.objects.values_list("channel", flat=True)) == {"qr", "kiosk"}

    # --- the evaluator follows progress, closes the period and reads the results -----------
    desk.reload()
    expect(progress.locator("tr", has_text="Puskesmas Pancoran Mas")).to_contain_text("20%")
    screenshot(desk, "skm-01-period")
    desk.get_by_role("button", name="Tutup periode").click()
    expect(desk.locator("h1")).to_contain_text("ditutup")
    desk.get_by_role("link", name="Hasil", exact=True).click()
    expect(desk.locator(".figures .card").first).to_contain_text("IKM seluruh unit")
    elements = desk.locator(".elements-table")
    expect(elements.locator("tbody tr")).to_have_count(9)
    expect(elements).to_contain_text("Pembanding")
    screenshot(desk, "skm-02-results")

    with desk.expect_download() as xlsx_download:
        desk.get_by_role("link", name="Unduh XLSX").click()
    book = openpyxl.load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Responden"] == 3 and summary["Target sampel (Krejcie–Morgan)"] == 90
    with desk.expect_download() as pdf_download:
        desk.get_by_role("link", name="Unduh laporan PDF").click()
    report = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in report.pages)
    assert "3. Hasil per unsur" in text and "Ruang tunggu panas, mohon tambah kipas." in text

    # --- a follow-up action on PUPR's weakest unsur, tracked to done -----------------------
    desk.locator(".units-table tr", has_text="Dinas PUPR").locator("a", has_text="U3").click()
    desk.wait_for_url(re.compile(r"/tindak-lanjut/\?unit=dpupr&element=u3#baru$"))
    new = desk.locator("#baru")
    expect(new.get_by_label("Unsur")).to_have_value("u3")
    new.get_by_label("Rencana tindak lanjut").fill("Tambah satu loket pada jam sibuk pagi.")
    new.get_by_label("Penanggung jawab").fill("Sekretaris Dinas PUPR")
    new.get_by_label("Target selesai").fill((today + dt.timedelta(days=60)).isoformat())
    new.get_by_role("button", name="Catat tindak lanjut").click()
    expect(desk.locator(".messages")).to_contain_text("Rencana tindak lanjut dicatat.")
    item = desk.locator(".follow-up").first
    item.get_by_text("Ubah status").click()
    item.get_by_label("Status baru").select_option("done")
    item.get_by_label("Hasil tindak lanjut").fill("Loket ketiga dibuka sejak Senin.")
    item.get_by_role("button", name="Simpan status").click()
    expect(desk.locator(".follow-up").first).to_contain_text("Loket ketiga dibuka sejak Senin.")
    assert FollowUpAction.objects.get().status == "done"
    screenshot(desk, "skm-03-follow-up")

    # --- published: the citizen portal shows the results ---------------------------------
    desk.locator(".crumbs a", has_text="SKM Uji Coba").click()
    desk.get_by_role("button", name="Publikasikan hasil").click()
    expect(desk.locator("h1")).to_contain_text("dipublikasikan")
    page.goto(base + "/survei/hasil/")
    page.get_by_role("link", name="SKM Uji Coba").click()
    expect(page.locator("main")).to_contain_text("Tambah satu loket pada jam sibuk pagi.")
    expect(page.locator("main")).to_contain_text("Puskesmas Pancoran Mas")
    screenshot(page, "skm-04-published-mobile")
    assert not desk.js_errors and not page.js_errors and not kiosk.js_errors
