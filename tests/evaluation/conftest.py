"""Evaluation fixtures: an empty cache, as for the catalogue."""

from tests.catalogue.conftest import _clean_cache  # noqa: F401
