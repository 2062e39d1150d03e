"""The desk's counter (/petugas/loket/) on a phone and on a desktop: an officer taking a call
chooses the category, its questions load at once, a missing required answer is shown at its
question and nothing is stored, and the report keeps the answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from satupintu.complaints.models import CategoryAttribute, Channel, Report
from tests.browser.conftest import DESKTOP, SCREENSHOTS, screenshot, sign_in
from tests.browser.test_submit_form import SMALL_PHONE, no_sideways_scrolling
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_asks_the_questions_of_the_category_chosen(
    new_page: Any, city: City, road_questions: dict[str, CategoryAttribute]
) -> None:
    page = new_page(SMALL_PHONE)
    sign_in(page, "officer_a")
    page.get_by_role("link", name="Loket", exact=True).click()
    page.wait_for_url(page.base_url + "/petugas/loket/")
    form = page.locator("form.counter-form")
    expect(form.locator("#category-questions input")).to_have_count(0)

    form.get_by_role("radio", name="Telepon").check()
    form.get_by_label(re.compile(r"^Judul laporan")).fill("Jalan amblas di Margonda")
    form.get_by_label(re.compile(r"^Isi laporan")).fill(
        "Penelepon melaporkan aspal amblas dua meter di lajur kiri dekat halte."
    )
    form.get_by_label(re.compile(r"^Kategori")).select_option(label="Jalan rusak")
    kind = form.get_by_role("group", name=re.compile(r"^Jenis kerusakan"))
    expect(kind).to_be_visible()
    expect(page.locator("#questions-status")).to_contain_text("7 pertanyaan tambahan")
    expect(form.get_by_text("Foto dari dua arah sangat membantu.")).to_be_visible()
    road = form.get_by_label("Nama ruas jalan")
    expect(road).to_have_accessible_description("Tertera di papan nama jalan.")
    road.fill("Jl. Margonda Raya")
    damage = form.get_by_role("group", name="Akibatnya")
    damage.get_by_role("checkbox", name="Macet").check()
    form.get_by_label("Sejak kapan?").fill("2025-02-10T07:45")
    form.get_by_label(re.compile(r"^Nama pelapor")).fill("Bapak Darmawan")
    no_sideways_scrolling(page)
    screenshot(page, "40-counter-questions-360")

    # The required kind of damage is skipped: the form comes back with the error at it.
    form.get_by_role("button", name="Simpan laporan dan buat tanda terima").click()
    expect(form.locator(".form-alert")).to_contain_text("Laporan belum disimpan.")
    kind = form.get_by_role("group", name=re.compile(r"^Jenis kerusakan"))
    expect(kind).to_have_class(re.compile(r"\bfield--error\b"))
    expect(kind).to_have_accessible_description("Wajib diisi.")
    assert not Report.objects.exists()
    expect(road).to_have_value("Jl. Margonda Raya")
    expect(damage.get_by_role("checkbox", name="Macet")).to_be_checked()
    expect(form.get_by_label(re.compile(r"^Nama pelapor"))).to_have_value("Bapak Darmawan")
    no_sideways_scrolling(page)
    screenshot(page, "41-counter-questions-error-360", full_page=False)  # the alert on top
    report_card = form.locator("fieldset.card").filter(has=page.locator("#category-questions"))
    report_card.screenshot(path=str(SCREENSHOTS / "42-counter-questions-error-card-360.png"))

    kind.get_by_role("radio", name="Amblas").check()
    form.get_by_role("button", name="Simpan laporan dan buat tanda terima").click()
    page.wait_for_url(page.base_url + "/petugas/loket/tanda-terima/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima laporan")
    report = Report.objects.get()
    assert report.channel == Channel.PHONE and report.category == city.road
    assert report.attributes == {
        "ruas": "Jl. Margonda Raya",
        "kerusakan": "amblas",
        "dampak": ["macet"],
        "sejak": "2025-02-10T07:45:00+07:00",
    }
    assert page.js_errors == [], page.js_errors


def test_the_counter_with_questions_on_a_desktop(
    new_page: Any, city: City, road_questions: dict[str, CategoryAttribute]
) -> None:
    page = new_page(DESKTOP)
    sign_in(page, "officer_a")
    page.goto(page.base_url + "/petugas/loket/")
    form = page.locator("form.counter-form")
    category = form.get_by_label(re.compile(r"^Kategori"))
    category.select_option(label="Jalan rusak")
    expect(form.get_by_label("Nama ruas jalan")).to_be_visible()
    # Two columns of answers from 48rem.
    boxes = form.get_by_role("group", name="Akibatnya").locator(".choice")
    first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
    assert first and second and first["y"] == second["y"] and first["x"] < second["x"]
    form.locator("#category-questions").scroll_into_view_if_needed()
    screenshot(page, "43-counter-questions-desktop", full_page=True)

    # Another category: its questions replace these (none here).
    category.select_option(label="Sampah")
    expect(form.locator("#category-questions input")).to_have_count(0)
    expect(page.locator("#questions-status")).to_have_text("")
    assert page.js_errors == [], page.js_errors
