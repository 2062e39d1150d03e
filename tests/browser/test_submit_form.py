"""The report form on a small phone: labelled fields, keyboard order, errors beside the fields
with what was typed kept, and no sideways scrolling at 360 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from satupintu.complaints.models import Report
from tests.browser.conftest import jpeg, screenshot
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 360, "height": 740}

#: Every field a citizen can fill in, by the label a screen reader announces.
LABELS: dict[str, Any] = {
    "id_report_type_0": re.compile(r"^\s*Pengaduan"),
    "id_report_type_1": "Aspirasi",
    "id_report_type_2": "Permintaan informasi",
    "category-filter": "Saring kategori",
    "id_category": re.compile(r"^Kategori$"),
    "id_title": re.compile(r"^Judul laporan"),
    "id_description": re.compile(r"^Isi laporan"),
    "id_incident_date": "Tanggal kejadian",
    "id_address": "Alamat atau patokan lokasi",
    "id_kecamatan": "Kecamatan",
    "id_region_code": "Kelurahan/desa",
    "id_attachments": re.compile(r"^Lampiran$"),
    "id_name": re.compile(r"^Nama$"),
    "id_email": "Surel (e-mail)",
    "id_phone": "Nomor telepon/WhatsApp",
    "id_is_anonymous": re.compile(r"^\s*Anonim"),
    "id_is_confidential": re.compile(r"^\s*Rahasia"),
}

#: The form's own controls a person uses (not hidden inputs, not the honeypot, not buttons).
CONTROLS_JS = """() => Array.from(document.querySelectorAll(
    'form.report-form input, form.report-form select, form.report-form textarea'))
  .filter(e => e.type !== 'hidden' && !e.closest('.hp') && !e.closest('[hidden]'))
  .map(e => e.id)"""


def no_sideways_scrolling(page: Any) -> None:
    # Measured once the style sheets are in: the DOM can be there before them (a busy machine),
    # and a page laid out without its styles is wider.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"page is {width}px wide at {SMALL_PHONE['width']}px"


def test_every_field_has_a_label_and_is_reached_by_keyboard(new_page: Any, city: City) -> None:
    page = new_page(SMALL_PHONE)
    page.goto(page.base_url + "/lapor/")
    expect(page.locator("#pick-map.leaflet-container")).to_be_visible()  # scripts have run
    controls = page.evaluate(CONTROLS_JS)
    assert sorted(controls) == sorted(LABELS), "a field without an expected label"
    for element_id, label in LABELS.items():
        field = page.get_by_label(label)
        expect(field).to_have_count(1)
        expect(field).to_have_id(element_id)
    no_sideways_scrolling(page)

    # Tab from the top of the page: the skip link first, then through the whole form.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Langsung ke isi")).to_be_focused()
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " const r = e.getBoundingClientRect();"
            " return {id: e.id, text: e.textContent.trim(), w: r.width, h: r.height}; }"
        )
        assert focused["w"] > 0 and focused["h"] > 0, f"focus on something unseen: {focused}"
        reached.append(focused["id"] or focused["text"])
        if focused["text"] == "Kirim laporan":
            break
    else:
        pytest.fail(f"the submit button is never reached by Tab: {reached}")
    assert "id_website" not in reached  # the honeypot is out of the tab order
    # One stop per radio group (arrow keys move inside it): the checked type, "Pengaduan".
    expected = set(LABELS) - {"id_report_type_1", "id_report_type_2"}
    assert expected <= set(reached), expected - set(reached)
    assert "pick-map" in reached  # the map takes the keyboard too
    assert page.js_errors == [], page.js_errors


def test_errors_are_shown_at_the_fields_and_typed_values_are_kept(
    new_page: Any, city: City, tmp_path: Path
) -> None:
    page = new_page(SMALL_PHONE)
    page.goto(page.base_url + "/lapor/")
    form = page.locator("form.report-form")
    form.get_by_label("Kategori", exact=True).select_option(label="Jalan rusak")
    page.locator("#pick-map.leaflet-container").click(position={"x": 100, "y": 80})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    form.get_by_label("Alamat atau patokan lokasi").fill("Gang Melati 2, RT 03/RW 05")
    form.get_by_label("Nama", exact=True).fill("Dewi Lestari")
    form.get_by_label("Surel (e-mail)").fill("dewi@example.id")
    form.get_by_role("checkbox", name=re.compile(r"^Anonim")).check()
    form.get_by_label("Lampiran", exact=True).set_input_files(str(jpeg(tmp_path)))

    # Empty title and description: the browser itself stops at the first required field.
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    form.get_by_role("button", name="Kirim laporan").click()
    expect(form.get_by_label(re.compile(r"^Judul laporan"))).to_be_focused()
    assert page.evaluate("document.getElementById('id_title').validity.valueMissing")
    assert posts == [] and page.url == page.base_url + "/lapor/"

    # Only spaces get past the browser; the server answers with errors beside the fields.
    form.get_by_label(re.compile(r"^Judul laporan")).fill("   ")
    form.get_by_label(re.compile(r"^Isi laporan")).fill(" " * 12)
    form.get_by_label("Tanggal kejadian").fill("2025-03-01")
    form.get_by_role("button", name="Kirim laporan").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()  # read out first by a screen reader
    expect(summary).to_contain_text("Laporan belum terkirim.")
    expect(summary).to_contain_text("perlu dipilih ulang")  # the photo must be chosen again
    assert not Report.objects.exists()

    for element_id in ("id_title", "id_description"):
        field = page.locator(f"#{element_id}")
        block = page.locator(".field").filter(has=field)
        expect(block).to_have_class(re.compile(r"\bfield--error\b"))
        error = block.locator(f"#{element_id}_error")
        expect(error).to_be_visible()
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{element_id}_error\b"))
    expect(page.locator("#id_title_error")).to_contain_text("tidak boleh kosong")
    expect(page.locator(".field--error")).to_have_count(2)

    # What was typed is still there, pin included.
    expect(form.get_by_label("Kategori", exact=True)).to_have_value("jalan-rusak")
    expect(form.get_by_label("Alamat atau patokan lokasi")).to_have_value(
        "Gang Melati 2, RT 03/RW 05"
    )
    expect(form.get_by_label("Nama", exact=True)).to_have_value("Dewi Lestari")
    expect(form.get_by_label("Surel (e-mail)")).to_have_value("dewi@example.id")
    expect(form.get_by_label("Tanggal kejadian")).to_have_value("2025-03-01")
    expect(form.get_by_role("checkbox", name=re.compile(r"^Anonim"))).to_be_checked()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    expect(page.locator("#pick-map .leaflet-marker-icon")).to_have_count(1)
    no_sideways_scrolling(page)
    screenshot(page, "30-submit-errors-360")
    assert page.js_errors == [], page.js_errors


def test_pick_map_opens_on_the_configured_city(new_page: Any, city: City) -> None:
    page = new_page(SMALL_PHONE)
    page.goto(page.base_url + "/lapor/")
    centre = page.locator("#pick-map").get_attribute("data-centre") or ""
    lat, lon, zoom = (float(part) for part in centre.split(","))
    assert (lat, lon, zoom) == pytest.approx(settings.MAP_CENTER)
