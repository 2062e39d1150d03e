"""The home page's "Kinerja instansi" section on a phone (390 × 844)."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.dashboard import rebuild
from satupintu.demo import seed

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_performance_on_a_phone(page: Any) -> None:
    seed.seed_master()
    seed.seed_reports(200, seed=7, batch=200)
    rebuild.rebuild()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/")
    section = page.locator("section.performance")
    section.scroll_into_view_if_needed()
    assert section.get_by_role("heading", name="Kinerja instansi").is_visible()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    section.screenshot(path="/tmp/portal-performance.png")  # noqa: S108 - asked for there
    assert not page.js_errors
