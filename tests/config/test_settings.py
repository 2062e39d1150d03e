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


def test_postgresql_statements_are_prepared_unless_turned_off(monkeypatch: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://satupintu@db.example:5432/satupintu")
    monkeypatch.delenv("SATUPINTU_DB_PREPARED", raising=False)
    assert settings._database()["OPTIONS"]["prepare_threshold"] > 10**9
    monkeypatch.setenv("SATUPINTU_DB_PREPARED", "0")
    assert "prepare_threshold" not in settings._database().get("OPTIONS", {})
    monkeypatch.setenv("SATUPINTU_DB_PREPARED", "kadang")
    with pytest.raises(env.EnvError, match="SATUPINTU_DB_PREPARED='kadang': expected"):
        settings._database()


def test_sqlite_takes_no_prepared_statements(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    found = settings._database()
    assert found["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "prepare_threshold" not in found["OPTIONS"]
