"""The language picker in the header switches the site to English and back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils.translation import reloader
from playwright.sync_api import expect

from satupintu.core.i18n_compile import PACKAGE_ROOT, compile_all
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

EN_CATALOGUE = PACKAGE_ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: Everyday Indonesian words: in English pages they point at a string left untranslated.
INDONESIAN = re.compile(r"\b(yang|dan|untuk|dengan|tidak|laporan|hari kerja|Anda)\b", re.I)


@pytest.fixture
def english() -> None:
    if not EN_CATALOGUE.exists():
        pytest.skip(f"no English catalogue yet ({EN_CATALOGUE.relative_to(PACKAGE_ROOT)})")
    compile_all(force=True)
    # The running server caches catalogues per process: drop them, as Django's autoreloader
    # does when a .mo file changes.
    reloader.translation_file_changed(sender=None, file_path=Path("django.mo"))


def untranslated(page: Any) -> list[str]:
    lines = page.locator("main").inner_text().splitlines()
    return [line for line in lines if INDONESIAN.search(line)]


def test_language_picker_switches_home_and_form_to_english(page: Any, english: None) -> None:
    page.goto(page.base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Buat laporan")).to_be_visible()

    page.get_by_label("Bahasa").select_option("en")  # submits itself, back to the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == page.base_url + "/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submit a complaint")
    expect(page.get_by_role("link", name="Make a report")).to_be_visible()
    expect(page.get_by_role("link", name="Track a report")).to_be_visible()
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main menu")
    expect(nav.get_by_role("link", name="Public reports")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    screenshot(page, "20-home-en-mobile")
    assert untranslated(page) == []

    # The choice sticks: the report form is in English too.
    page.get_by_role("link", name="Make a report").click()
    page.wait_for_url(page.base_url + "/lapor/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Report title")).to_be_visible()
    expect(page.get_by_role("button", name="Send report")).to_be_visible()
    screenshot(page, "21-submit-en-mobile")
    assert untranslated(page) == []

    # And back to Bahasa Indonesia.
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("button", name="Kirim laporan")).to_be_visible()
    assert page.js_errors == [], page.js_errors
