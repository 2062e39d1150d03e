"""A category's extra questions on a small phone: they load as soon as the category is chosen,
every answer is labelled, a missing required answer is shown at its question, and the stored
report carries the answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from satupintu.complaints.models import CategoryAttribute, Report
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.test_submit_form import SMALL_PHONE, no_sideways_scrolling
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_answers_the_questions_of_the_category_chosen(
    new_page: Any, city: City, road_questions: dict[str, CategoryAttribute]
) -> None:
    page = new_page(SMALL_PHONE)
    page.goto(page.base_url + "/lapor/")
    form = page.locator("form.report-form")
    expect(page.locator("#pick-map.leaflet-container")).to_be_visible()  # scripts have run
    expect(form.locator("#category-questions input")).to_have_count(0)

    # Narrowing the category list to one entry chooses it, and its questions load at once.
    page.get_by_label("Saring kategori").fill("jalan")
    expect(form.get_by_label("Kategori", exact=True)).to_have_value(city.road.code)
    kind = form.get_by_role("group", name=re.compile(r"^Jenis kerusakan"))
    expect(kind).to_be_visible()
    expect(page.locator("#questions-status")).to_contain_text("7 pertanyaan tambahan")
    expect(form.get_by_text("Foto dari dua arah sangat membantu.")).to_be_visible()

    # Each question is reached through its label (or its group's legend).
    road = form.get_by_label("Nama ruas jalan")
    expect(road).to_have_attribute("maxlength", "255")
    expect(road).to_have_accessible_description("Tertera di papan nama jalan.")
    damage = form.get_by_role("group", name="Akibatnya")
    expect(damage).to_have_accessible_description("Pilih semua yang sesuai.")
    expect(damage.get_by_role("checkbox")).to_have_count(3)
    expect(kind.get_by_role("radio")).to_have_count(3)
    width = form.get_by_label("Perkiraan lebar (cm)")
    expect(width).to_have_attribute("type", "number")
    expect(width).to_have_attribute("inputmode", "decimal")
    since = form.get_by_label("Sejak kapan?")
    expect(since).to_have_attribute("type", "datetime-local")

    form.get_by_label(re.compile(r"^Judul laporan")).fill("Jalan amblas di Margonda")
    form.get_by_label(re.compile(r"^Isi laporan")).fill(
        "Aspal amblas sepanjang dua meter di lajur kiri, membahayakan pengendara motor."
    )
    road.fill("Jl. Margonda Raya")
    damage.get_by_role("checkbox", name="Macet").check()
    damage.get_by_role("checkbox", name="Genangan").check()
    width.fill("120.5")
    since.fill("2025-02-10T07:45")
    form.get_by_label("Catatan untuk petugas").fill("Paling parah dekat halte.")
    no_sideways_scrolling(page)
    form.locator("#category-questions").scroll_into_view_if_needed()
    screenshot(page, "31-submit-questions-360", full_page=False)

    # The required kind of damage is left out: the form comes back with the error at it.
    form.get_by_role("button", name="Kirim laporan").click()
    expect(page.locator("#form-errors")).to_be_focused()
    kind = form.get_by_role("group", name=re.compile(r"^Jenis kerusakan"))
    expect(kind).to_have_class(re.compile(r"\bfield--error\b"))
    expect(kind).to_have_accessible_description("Wajib diisi.")
    expect(kind.locator("#id_attr_kerusakan_error")).to_have_text("Wajib diisi.")
    assert not Report.objects.exists()
    # What was answered is still there.
    expect(road).to_have_value("Jl. Margonda Raya")
    expect(damage.get_by_role("checkbox", name="Macet")).to_be_checked()
    expect(damage.get_by_role("checkbox", name="Kecelakaan")).not_to_be_checked()
    expect(width).to_have_value("120.5")
    expect(since).to_have_value("2025-02-10T07:45")
    no_sideways_scrolling(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    what_happened = form.locator("fieldset.card").filter(has=page.locator("#category-questions"))
    what_happened.screenshot(path=str(SCREENSHOTS / "32-submit-questions-error-360.png"))

    kind.get_by_role("radio", name="Amblas").check()
    form.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(re.compile(r"/lapor/terkirim/"))
    report = Report.objects.get()
    assert report.category == city.road
    assert report.attributes == {
        "ruas": "Jl. Margonda Raya",
        "kerusakan": "amblas",
        "dampak": ["macet", "genangan"],
        "lebar_cm": "120.5",
        "sejak": "2025-02-10T07:45:00+07:00",
        "catatan": "Paling parah dekat halte.",
    }

    # Another category: its questions replace these (none here).
    page.goto(page.base_url + "/lapor/")
    page.get_by_label("Kategori", exact=True).select_option(label="Jalan rusak")
    expect(form.get_by_label("Nama ruas jalan")).to_be_visible()
    page.get_by_label("Kategori", exact=True).select_option(label="Sampah")
    expect(form.locator("#category-questions input")).to_have_count(0)
    expect(page.locator("#questions-status")).to_have_text("")
    assert page.js_errors == [], page.js_errors
