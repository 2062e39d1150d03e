"""Vendored JavaScript (Chart.js) and the desk's charts.js: found by the static file finders,
served by WhiteNoise, shipped in the package, with the licence and a provenance that matches."""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src/satupintu"
CHARTJS = "satupintu/vendor/chartjs"
SCRIPT = "satupintu/vendor/chartjs/chart.umd.min.js"
LICENCE = "satupintu/vendor/chartjs/LICENSE.md"
PROVENANCE = "satupintu/vendor/chartjs/PROVENANCE.md"
CHARTS = "satupintu/desk/charts.js"


def _found(name: str) -> Path:
    path = finders.find(name)
    assert path, f"{name} is not found by the static file finders"
    return Path(str(path))


@pytest.mark.parametrize("name", [SCRIPT, LICENCE, PROVENANCE, CHARTS])
def test_found_in_the_package_static_folder(name: str) -> None:
    assert _found(name).resolve() == (PACKAGE / "static" / name).resolve()


def test_leaflet_keeps_its_own_path() -> None:
    # django-leaflet's files are mounted at vendor/ (settings.STATICFILES_DIRS); ours live under
    # satupintu/vendor/, so neither hides the other.
    leaflet = finders.find("vendor/leaflet/leaflet.js")
    assert leaflet
    assert "satupintu" not in Path(str(leaflet)).parts[-3:]
    assert finders.find("vendor/chartjs/chart.umd.min.js") is None


def test_licence_is_beside_the_library() -> None:
    licence = _found(LICENCE).read_text(encoding="utf-8")
    assert "MIT License" in licence
    assert "Chart.js Contributors" in licence
    assert "Permission is hereby granted, free of charge" in licence
    header = _found(SCRIPT).read_text(encoding="utf-8")[:300]
    assert "Released under the MIT License" in header


def test_provenance_matches_the_files_and_the_script() -> None:
    provenance = _found(PROVENANCE).read_text(encoding="utf-8")
    version = re.search(r"\| Version \| (\d+\.\d+\.\d+) \|", provenance)
    assert version
    assert f"Chart.js v{version[1]}" in _found(SCRIPT).read_text(encoding="utf-8")[:100]
    assert f"https://registry.npmjs.org/chart.js/-/chart.js-{version[1]}.tgz" in provenance
    integrity = re.search(r"`(sha512-[A-Za-z0-9+/=]+)`", provenance)
    assert integrity
    script = (ROOT / "scripts/vendor-js").read_text(encoding="utf-8")
    assert f"VERSION={version[1]}\n" in script
    assert f"INTEGRITY={integrity[1]}\n" in script
    sums = dict(re.findall(r"\| `([\w.]+)` \|[^|]*\| `([0-9a-f]{64})` \|", provenance))
    assert set(sums) == {"chart.umd.min.js", "LICENSE.md"}
    for name, digest in sums.items():
        data = (PACKAGE / "static" / CHARTJS / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} differs from PROVENANCE.md"


def test_package_data_ships_the_files() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for name in (SCRIPT, LICENCE, PROVENANCE, CHARTS):
        filename = Path(name).name
        assert any(fnmatch.fnmatch(filename, p) for p in patterns), f"{name} is not package data"


@pytest.mark.parametrize("name", [SCRIPT, CHARTS])
def test_served_by_whitenoise(client: Client, name: str) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body == (PACKAGE / "static" / name).read_bytes()


def test_no_source_map_is_required() -> None:
    # The UMD file names a map that is not shipped: fine for CompressedStaticFilesStorage, which
    # does not rewrite references; a manifest storage would need it (or the line removed).
    from django.conf import settings

    assert "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]
