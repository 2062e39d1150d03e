"""The site renders in a real browser, in Bahasa Indonesia by default."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_renders_in_chromium_with_working_assets(page: Any) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    response = page.goto(page.base_url + "/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("link", name="Lapor").first.is_visible()
    assert page.evaluate("typeof window.htmx") == "object"  # htmx served by the app itself
    assert not [url for url in failed if url.startswith(page.base_url)]
    assert screenshot(page, "home-mobile").stat().st_size > 1000
