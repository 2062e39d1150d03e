"""Browser tests: Playwright (Python) driving Debian's Chromium against a live test server.

Screenshots of the main pages land in ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

CHROMIUM = Path(os.environ.get("SATUPINTU_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/setup --dev installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's async-safety check
    # must not mistake the test's own ORM calls for calls from async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


PASSWORD = "x-Pass-12345"  # every user of the ``city`` fixture (tests/conftest.py)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(autouse=True)
def _browser_isolation(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Uploads in a temporary folder; rate limits, sign-in lockouts and cached figures, regions
    and map centre (all in the cache, which outlives the flushed database) start empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _new_page(browser: Any, base_url: str, viewport: dict[str, int]) -> Any:
    """A page in a fresh context (its own cookies: one person). Only the live server is
    reachable: map tiles and anything else on the internet are refused at once, as offline."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.route(
        lambda url: not url.startswith(base_url),
        lambda route: route.abort("internetdisconnected"),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url  # type: ignore[attr-defined]
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """The citizen: a phone-sized page in its own context."""
    page = _new_page(browser, live_server.url, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Another person: ``new_page()`` opens a desktop-sized page in a new context."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        page = _new_page(browser, live_server.url, viewport or DESKTOP)
        contexts.append(page.context)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, username: str) -> None:
    """Sign in at the desk's login page; lands on the officer's desk home."""
    page.goto(page.base_url + "/petugas/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(page.base_url + "/petugas/")


def jpeg(folder: Path, name: str = "lubang.jpg") -> Path:
    """A small photo, as a phone camera would save it."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 110, 95)).save(out, format="JPEG")
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
