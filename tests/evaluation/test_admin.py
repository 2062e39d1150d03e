"""The PEKPPP instrument is edited in the admin by sysadmins: weights checked, audited."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.core.models import AuditEntry, User
from satupintu.evaluation.models import PekpppAspect, PekpppIndicator
from satupintu.evaluation.services import instrument_load_default
from tests.conftest import City

pytestmark = pytest.mark.django_db


def aspect_form(aspect: PekpppAspect, weights: dict[str, str]) -> dict[str, Any]:
    indicators = list(aspect.indicators.order_by("position"))
    data: dict[str, Any] = {
        "instrument": aspect.instrument_id,
        "position": aspect.position,
        "code": aspect.code,
        "name": aspect.name,
        "weight": aspect.weight,
        "indicators-TOTAL_FORMS": len(indicators),
        "indicators-INITIAL_FORMS": len(indicators),
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for n, indicator in enumerate(indicators):
        data |= {
            f"indicators-{n}-id": indicator.pk,
            f"indicators-{n}-aspect": aspect.pk,
            f"indicators-{n}-position": indicator.position,
            f"indicators-{n}-code": indicator.code,
            f"indicators-{n}-name": indicator.name,
            f"indicators-{n}-weight": weights.get(indicator.code, indicator.weight),
            f"indicators-{n}-prefill": indicator.prefill,
            f"indicators-{n}-rubric": indicator.rubric,
        }
    return data


def test_sysadmin_changes_weights_that_total_100(
    city: City, login: Callable[[User], Client]
) -> None:
    instrument_load_default(actor=city.sysadmin)
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    admin = login(city.sysadmin)
    aspect = PekpppAspect.objects.get(code="KP")
    url = reverse("admin:evaluation_pekpppaspect_change", args=[aspect.pk])
    refused = admin.post(url, aspect_form(aspect, {"KP1": "20"}))
    assert refused.status_code == 200
    assert "Bobot harus berjumlah 100%; sekarang 103.00%." in refused.content.decode()
    assert PekpppIndicator.objects.get(code="KP1").weight == 17
    saved = admin.post(url, aspect_form(aspect, {"KP1": "20", "KP2": "11"}))
    assert saved.status_code == 302
    assert PekpppIndicator.objects.get(code="KP1").weight == Decimal(20)
    entry = AuditEntry.objects.filter(object_type="pekpppindicator", action="update").first()
    assert entry is not None and '"after":{"weight":"20"}' in entry.changes
