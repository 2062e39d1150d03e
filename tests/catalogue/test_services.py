"""Service catalogue writes: who may change what, publishing rules, the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from satupintu.catalogue import services
from satupintu.catalogue.models import Service, UnitProfile
from satupintu.core.errors import InvalidInput, NotFound, NotPermitted, Stale
from satupintu.core.models import AuditEntry, User
from tests.catalogue.conftest import ALL_COMPONENTS, DELIVERY, make_service
from tests.conftest import City

pytestmark = pytest.mark.django_db


def test_evaluator_creates_and_fills_a_service(city: City, evaluator: User) -> None:
    service = make_service(city, evaluator)
    assert service.code == "pembuatan-kia"
    assert service.filled_count == 14
    assert not service.is_published
    assert service.version == 2
    entries = AuditEntry.objects.filter(chain=f"service:{service.pk}").order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert "Kartu Identitas Anak" in entries.last().changes


def test_units_own_officers_may_edit_others_may_not(city: City) -> None:
    # officer_health is liaison of the Dinas Kesehatan, above the Puskesmas.
    service = services.service_create(actor=city.officer_health, unit=city.puskesmas, name="KIA")
    with pytest.raises(NotPermitted):
        services.service_update(actor=city.officer_a, service_id=service.pk, values={"cost": "x"})
    with pytest.raises(NotPermitted):
        services.service_create(actor=city.leader, unit=city.puskesmas, name="Imunisasi")
    with pytest.raises(NotFound):
        services.service_create(actor=city.sysadmin, unit=city.pln, name="Pasang baru")


def test_codes_stay_unique_within_a_unit(city: City, evaluator: User) -> None:
    first = services.service_create(actor=evaluator, unit=city.puskesmas, name="Imunisasi")
    services.service_update(actor=evaluator, service_id=first.pk, values={"name": "Imunisasi anak"})
    second = services.service_create(actor=evaluator, unit=city.puskesmas, name="Imunisasi")
    assert (first.code, second.code) == ("imunisasi", "imunisasi-2")
    with pytest.raises(InvalidInput) as refused:
        services.service_create(actor=evaluator, unit=city.puskesmas, name=" imunisasi ")
    assert "name" in refused.value.fields


def test_publishing_needs_the_six_service_delivery_components(city: City, evaluator: User) -> None:
    service = make_service(city, evaluator, **{"requirements": "KTP", "cost": "Gratis"})
    with pytest.raises(InvalidInput) as refused:
        services.service_set_published(actor=evaluator, service_id=service.pk, published=True)
    assert set(refused.value.fields) == {"procedure", "duration", "product", "complaint_handling"}
    assert not Service.objects.get(pk=service.pk).is_published

    service = services.service_update(actor=evaluator, service_id=service.pk, values=DELIVERY)
    service = services.service_set_published(actor=evaluator, service_id=service.pk, published=True)
    assert service.is_published and service.published_at is not None
    assert service.filled_count == 6


def test_a_published_service_keeps_its_delivery_components(city: City, evaluator: User) -> None:
    service = make_service(city, evaluator, publish=True)
    with pytest.raises(InvalidInput) as refused:
        services.service_update(actor=evaluator, service_id=service.pk, values={"cost": "  "})
    assert list(refused.value.fields) == ["cost"]
    # Internal components may be emptied; deactivating takes the service off the portal.
    service = services.service_update(
        actor=evaluator, service_id=service.pk, values={"staff_count": "", "is_active": False}
    )
    assert (service.filled_count, service.is_published) == (13, False)


def test_stale_and_invalid_edits_change_nothing(city: City, evaluator: User) -> None:
    service = make_service(city, evaluator)
    with pytest.raises(Stale):
        services.service_update(
            actor=evaluator, service_id=service.pk, values={"cost": "Rp 5.000"}, expected_version=1
        )
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput) as refused:
        services.service_update(
            actor=evaluator, service_id=service.pk, values={"reviewed_on": tomorrow}
        )
    assert "reviewed_on" in refused.value.fields
    with pytest.raises(InvalidInput):
        services.service_update(actor=evaluator, service_id=service.pk, values={"cost": "x" * 5001})
    with pytest.raises(InvalidInput):
        services.service_update(actor=evaluator, service_id=service.pk, values={"unit_id": 1})
    stored = Service.objects.get(pk=service.pk)
    assert (stored.cost, stored.version) == (ALL_COMPONENTS["cost"], 2)


def test_unit_profile_is_created_then_versioned(city: City, evaluator: User) -> None:
    profile = services.unit_profile_update(
        actor=evaluator,
        unit="pkm-pancoran-mas",
        maklumat="Kami siap melayani.",
        hours="",
        address="",
    )
    assert profile.version == 1
    with pytest.raises(Stale):
        services.unit_profile_update(
            actor=evaluator,
            unit=city.puskesmas,
            maklumat="x",
            hours="",
            address="",
            expected_version=7,
        )
    profile = services.unit_profile_update(
        actor=evaluator,
        unit=city.puskesmas,
        maklumat="Kami siap.",
        hours="08.00–15.00",
        address="",
        expected_version=1,
    )
    assert UnitProfile.objects.get().hours == "08.00–15.00"
    assert AuditEntry.objects.filter(chain=f"unitprofile:{city.puskesmas.pk}").count() == 2
