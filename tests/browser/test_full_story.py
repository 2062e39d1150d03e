"""One report's whole life, driven through the real pages: a citizen files it on a phone, the
verifier dispatches it, DPUPR forwards it to DLHK (No Wrong Door), DLHK answers, and the citizen
rates the answer, which closes the report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from satupintu.complaints.models import Report
from tests.browser.conftest import jpeg, screenshot, sign_in
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Jalan berlubang di depan SDN Pancoran Mas 3"
DESCRIPTION = (
    "Lubang selebar satu meter di Jl. Raya Pancoran Mas depan SDN 3, sudah dua minggu. "
    "Dua pengendara motor jatuh kemarin sore."
)
FORWARD_REASON = "Lubang akibat galian saluran sampah; ini wewenang DLHK."
FOLLOW_UP = "Petugas DLHK sudah meninjau lokasi dan memasang rambu."
ANSWER = "Lubang sudah ditutup dan saluran diperbaiki pada hari ini."
COMMENT = "Cepat dan jelas, terima kasih."


def test_a_report_from_phone_to_closed(
    page: Any, new_page: Any, city: City, tmp_path: Path
) -> None:
    base = page.base_url
    photo = jpeg(tmp_path)

    # --- the citizen files the report on a phone ------------------------------------------
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sampaikan pengaduan")
    screenshot(page, "01-home-mobile")
    page.get_by_role("link", name="Buat laporan").click()
    page.wait_for_url(base + "/lapor/")

    form = page.locator("form.report-form")
    expect(form.get_by_label("Pengaduan")).to_be_checked()  # the default type
    form.get_by_label("Kategori", exact=True).select_option(label="Jalan rusak")
    form.get_by_label("Judul laporan").fill(TITLE)
    form.get_by_label(re.compile(r"^Isi laporan")).fill(DESCRIPTION)

    # A tap on the map drops the pin and fills the hidden coordinates (tiles stay grey offline).
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    expect(latitude).to_have_value("")
    pick_map = page.locator("#pick-map.leaflet-container")
    expect(pick_map).to_be_visible()
    pick_map.click(position={"x": 120, "y": 90})
    expect(latitude).to_have_value(re.compile(r"^-?\d+\.\d{6}$"))
    expect(longitude).to_have_value(re.compile(r"^-?\d+\.\d{6}$"))
    expect(page.locator("[data-pin-status]")).to_have_text("Titik lokasi sudah ditandai.")
    expect(page.locator("#pick-map .leaflet-marker-icon")).to_have_count(1)
    # Where the map opens is checked in test_submit_form.py (it ignores SATUPINTU_MAP_CENTER).

    form.get_by_label("Alamat atau patokan lokasi").fill("Jl. Raya Pancoran Mas No. 3")
    # Choosing the kecamatan narrows the kelurahan list (htmx), then the kelurahan is picked.
    with page.expect_response(lambda r: "/wilayah/kelurahan/" in r.url):
        form.get_by_label("Kecamatan").select_option(label="Pancoran Mas")
    village = form.get_by_label("Kelurahan/desa")
    expect(village.locator("optgroup")).to_have_count(0)
    village.select_option(label="Pancoran Mas")
    form.get_by_label("Lampiran", exact=True).set_input_files(str(photo))
    form.get_by_label("Nama", exact=True).fill("Rina Wulandari")
    form.get_by_label("Nomor telepon/WhatsApp").fill("081298765432")
    screenshot(page, "02-submit-mobile")

    form.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(re.compile(r"/lapor/terkirim/[0-9A-Z]{10}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan Anda sudah kami terima")
    shown_number = page.locator("#tracking-number").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", shown_number), shown_number
    number = shown_number.replace("-", "")
    private_link = page.get_by_label("Tautan pribadi").input_value()
    assert private_link.startswith(f"{base}/lacak/{number}/?kunci=")
    assert page.get_by_label("Kode rahasia (untuk halaman Lacak)").input_value()
    screenshot(page, "03-receipt-mobile")

    report = Report.objects.get(tracking_number=number)
    assert (report.title, report.category, report.region) == (TITLE, city.road, city.village)
    assert report.latitude is not None and report.longitude is not None
    assert report.attachments.count() == 1

    # --- the verifier dispatches it to DPUPR from the verification queue -------------------
    verifier = new_page()
    sign_in(verifier, "verifier")
    verifier.get_by_role("link", name="Antrean verifikasi").click()
    verifier.wait_for_url(base + "/petugas/verifikasi/")
    item = verifier.locator("li.report-item").filter(has_text=TITLE)
    expect(item).to_contain_text(shown_number)
    expect(item).to_contain_text("Jalan rusak → Dinas PUPR")
    screenshot(verifier, "04-verify-queue-desktop")
    item.get_by_role("link", name="Telaah di sini").click()
    dispatch = item.locator("#aksi-dispatch")
    expect(dispatch).to_be_visible()
    dispatch.get_by_label("Instansi tujuan").select_option(label="Dinas PUPR")
    dispatch.get_by_label("Instruksi untuk instansi").fill("Mohon ditinjau minggu ini.")
    dispatch.get_by_role("button", name="Verifikasi dan disposisikan").click()
    # Back to the queue (the form's "#aksi-dispatch" fragment survives the redirect).
    verifier.wait_for_url(re.compile(r"/petugas/verifikasi/(#aksi-dispatch)?$"))
    expect(verifier.locator(".messages")).to_contain_text(
        "Laporan diverifikasi dan didisposisikan."
    )
    expect(verifier.locator("li.report-item").filter(has_text=TITLE)).to_have_count(0)

    # --- DPUPR forwards it to DLHK with a reason --------------------------------------------
    officer_a = new_page()
    sign_in(officer_a, "officer_a")
    officer_a.get_by_role("link", name="Kotak masuk Dinas PUPR").click()
    officer_a.get_by_role("link", name=TITLE).click()
    officer_a.wait_for_url(re.compile(r"/petugas/laporan/\d+/$"))
    expect(officer_a.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(officer_a.locator(".badge--status")).to_have_text("Terdisposisi")
    expect(officer_a.locator(".report-body")).to_contain_text("lubang.jpg")  # the photo came along
    screenshot(officer_a, "05-report-officer-desktop")
    forward = officer_a.locator("#aksi-forward")
    forward.get_by_text("Teruskan ke instansi lain").click()  # unfolds the form
    forward.get_by_label("Instansi tujuan").select_option(label="Dinas LHK")
    forward.get_by_label("Alasan diteruskan").fill(FORWARD_REASON)
    forward.get_by_role("button", name="Teruskan").click()
    expect(officer_a.locator(".messages")).to_contain_text("Laporan diteruskan.")
    expect(officer_a.locator(".hop-list")).to_contain_text(FORWARD_REASON)

    # --- DLHK finds it in its inbox, follows up and resolves it -----------------------------
    officer_b = new_page()
    sign_in(officer_b, "officer_b")
    officer_b.get_by_role("link", name="Kotak masuk Dinas LHK").click()
    officer_b.wait_for_url(base + "/petugas/instansi/dlhk/")
    row = officer_b.locator("table.reports-table tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("Terdisposisi")
    expect(row).to_contain_text("Dinas LHK")
    screenshot(officer_b, "06-inbox-desktop")
    row.get_by_role("link", name=TITLE).click()
    officer_b.wait_for_url(re.compile(r"/petugas/laporan/\d+/$"))
    follow_up = officer_b.locator("#aksi-follow_up")
    follow_up.get_by_label("Tindak lanjut").fill(FOLLOW_UP)
    follow_up.get_by_role("button", name="Kirim tindak lanjut").click()
    expect(officer_b.locator(".messages")).to_contain_text("Tindak lanjut dikirim.")
    expect(officer_b.locator(".badge--status")).to_have_text("Ditindaklanjuti")
    resolve = officer_b.locator("#aksi-resolve")
    resolve.get_by_label("Jawaban untuk pelapor").fill(ANSWER)
    resolve.get_by_role("button", name="Selesaikan laporan").click()
    expect(officer_b.locator(".messages")).to_contain_text("Laporan diselesaikan.")
    expect(officer_b.locator(".badge--status")).to_have_text("Selesai")

    # --- the citizen reads the answer through the private link and rates it -----------------
    page.goto(private_link)
    page.wait_for_url(f"{base}/lacak/{number}/")  # the secret leaves the address bar
    expect(page.locator(".status-card__status")).to_have_text("Selesai")
    answer = page.locator(".card--answer")
    expect(answer).to_contain_text("Dinas LHK")
    expect(answer).to_contain_text(ANSWER)
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.timeline__forwarded")).to_contain_text("Diteruskan")
    expect(timeline.locator("li.timeline__follow_up")).to_contain_text(FOLLOW_UP)
    expect(timeline.locator("li.timeline__resolved")).to_contain_text("Diselesaikan")
    expect(timeline).not_to_contain_text("Rina Wulandari")
    # The reporter sees her own photo (lazy-loaded: scroll to it so it loads).
    thumbnail = page.get_by_role("img", name="Foto: lubang.jpg")
    thumbnail.scroll_into_view_if_needed()
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    screenshot(page, "07-resolved-mobile")

    page.get_by_title("5 dari 5").click()  # the fifth star
    expect(page.get_by_role("radio", name="5 dari 5")).to_be_checked()
    page.get_by_label("Komentar (tidak wajib)").fill(COMMENT)
    page.get_by_role("button", name="Kirim penilaian dan tutup laporan").click()
    expect(page.locator("#reporter-panel .message--success")).to_contain_text(
        "Laporan ini sekarang ditutup."
    )
    expect(page.locator(".status-card__status")).to_have_text("Ditutup")
    confirmed = page.locator("li.timeline__confirmed")
    expect(confirmed).to_contain_text("Dikonfirmasi pelapor")
    expect(confirmed).to_contain_text(COMMENT)
    expect(confirmed.locator(".stars-static .on")).to_have_count(5)
    expect(page.get_by_role("button", name="Kirim penilaian dan tutup laporan")).to_have_count(0)
    screenshot(page, "08-closed-mobile")

    # The closed state is what a reload shows too.
    page.reload()
    expect(page.locator(".status-card__status")).to_have_text("Ditutup")
    report.refresh_from_db()
    assert (report.status, report.rating, report.current_agency) == ("closed", 5, city.dlhk)
    for actor in (page, verifier, officer_a, officer_b):
        assert actor.js_errors == [], actor.js_errors
