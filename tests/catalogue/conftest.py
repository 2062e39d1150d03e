"""Catalogue fixtures: an empty cache and a helper that makes a filled service standard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from satupintu.catalogue import services
from satupintu.catalogue.models import Service
from satupintu.core.models import User
from satupintu.domain.evaluation.standard import COMPONENT_KEYS, DELIVERY_KEYS
from tests.conftest import City

DELIVERY = {
    "requirements": "KTP-el asli dan fotokopi Kartu Keluarga.",
    "procedure": "1. Ambil antrean. 2. Serahkan berkas di loket. 3. Tunggu panggilan.",
    "duration": "1 hari kerja setelah berkas lengkap.",
    "cost": "Gratis (tidak dipungut biaya).",
    "product": "Kartu Identitas Anak (KIA).",
    "complaint_handling": "Lewat portal satupintu, kotak saran, atau telepon 021-000.",
}
ALL_COMPONENTS = {key: f"Isi komponen {key}." for key in COMPONENT_KEYS} | DELIVERY
assert set(DELIVERY) == set(DELIVERY_KEYS)


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def make_service(city: City, actor: User, *, publish: bool = False, **values: Any) -> Service:
    """A service of the Puskesmas with the given component texts (all 14 by default)."""
    service = services.service_create(
        actor=actor, unit=city.puskesmas, name=values.pop("name", "Pembuatan KIA")
    )
    texts = ALL_COMPONENTS if not values else values
    service = services.service_update(actor=actor, service_id=service.pk, values=texts)
    if publish:
        service = services.service_set_published(actor=actor, service_id=service.pk, published=True)
    return service
