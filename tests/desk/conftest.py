"""Desk fixtures: signed-in clients per persona, an empty cache, uploads in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from satupintu.core.models import User


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Sign-in throttling and the site context live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def login(db: Any) -> Callable[[User], Client]:
    """A test client signed in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
