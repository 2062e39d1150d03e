"""Evaluation fixtures: reuse the catalogue's personas and helpers."""

from tests.catalogue.conftest import _clean_cache, evaluator, login  # noqa: F401
