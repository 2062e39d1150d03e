"""Desk fixtures: an empty cache, uploads in a temporary folder (``login``: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Sign-in throttling and the site context live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
