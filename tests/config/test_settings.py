"""Settings read from the environment: refused values name the variable and an example."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.config import env, settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("  ", ""),
        ("https://lapor.depok.go.id", "https://lapor.depok.go.id"),
        ("https://lapor.depok.go.id/", "https://lapor.depok.go.id"),
        ("http://127.0.0.1:8000/satupintu/", "http://127.0.0.1:8000/satupintu"),
    ],
)
def test_the_sites_address(monkeypatch: Any, raw: str, expected: str) -> None:
    monkeypatch.setenv("SATUPINTU_SITE_URL", raw)
    assert settings._site_url("SATUPINTU_SITE_URL") == expected


@pytest.mark.parametrize(
    "raw", ["lapor.depok.go.id", "ftp://lapor.depok.go.id", "https://", "https://x.id/?a=1"]
)
def test_a_sites_address_that_is_not_one_is_refused(monkeypatch: Any, raw: str) -> None:
    monkeypatch.setenv("SATUPINTU_SITE_URL", raw)
    with pytest.raises(env.EnvError, match="SATUPINTU_SITE_URL=.*https://lapor.depok.go.id"):
        settings._site_url("SATUPINTU_SITE_URL")
