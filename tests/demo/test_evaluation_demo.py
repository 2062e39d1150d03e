"""The demo city shows a filled service catalogue, a PEKPPP worksheet and the indicators."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.catalogue.models import Service
from satupintu.core import audit
from satupintu.demo import evaluation, seed
from satupintu.evaluation.models import ComplaintSnapshot, PekpppWorksheet

pytestmark = pytest.mark.django_db


def test_demo_evaluation_is_seeded_through_the_services(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    seed.seed_master()
    seed.seed_reports(300, seed=7, batch=300)
    evaluation.seed_evaluation()
    assert Service.objects.filter(is_published=True).count() >= 4
    assert Service.objects.filter(is_published=False).exists()
    sheet = PekpppWorksheet.objects.get(unit__code=evaluation.WORKSHEET_UNIT)
    assert sheet.scores.filter(score__isnull=False, from_system=True).exists()
    assert sheet.scores.filter(score__isnull=False, from_system=False).count() == len(
        evaluation.WORKSHEET_SCORES
    )
    total = ComplaintSnapshot.objects.filter(agency__isnull=True).order_by("-year").first()
    assert total is not None and total.hops > 0
    assert audit.verify().ok
    service = Service.objects.filter(is_published=True).select_related("unit").first()
    assert service is not None
    page = Client().get(reverse("catalogue:service", args=[service.unit.code, service.code]))
    assert page.status_code == 200
