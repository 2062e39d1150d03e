"""Service catalogue pages: the portal shows published standards only; the desk edits them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.catalogue import services
from satupintu.catalogue.models import Service
from satupintu.core.models import User
from tests.catalogue.conftest import ALL_COMPONENTS, make_service
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_citizen_sees_a_published_standard_with_every_component(
    city: City, evaluator: User, client: Client
) -> None:
    service = make_service(city, evaluator, publish=True)
    services.unit_profile_update(
        actor=evaluator,
        unit=city.puskesmas,
        maklumat="Kami melayani sepenuh hati.",
        hours="",
        address="",
    )
    units = client.get(reverse("catalogue:units"))
    assert units.status_code == 200
    assert "Puskesmas Pancoran Mas" in units.content.decode()
    unit = client.get(reverse("catalogue:unit", args=["pkm-pancoran-mas"]))
    assert "Kami melayani sepenuh hati." in unit.content.decode()
    page = client.get(reverse("catalogue:service", args=["pkm-pancoran-mas", service.code]))
    text = page.content.decode()
    assert page.status_code == 200
    for label in ("Dasar hukum", "Persyaratan", "Biaya/tarif", "Evaluasi kinerja pelaksana"):
        assert label in text
    for value in ALL_COMPONENTS.values():
        assert value in text


def test_drafts_and_inactive_services_are_not_public(
    city: City, evaluator: User, client: Client
) -> None:
    draft = make_service(city, evaluator)
    assert (
        client.get(reverse("catalogue:service", args=["pkm-pancoran-mas", draft.code])).status_code
        == 404
    )
    assert client.get(reverse("catalogue:unit", args=["pkm-pancoran-mas"])).status_code == 404
    assert "Puskesmas" not in client.get(reverse("catalogue:units")).content.decode()
    published = make_service(city, evaluator, name="Imunisasi", publish=True)
    services.service_update(actor=evaluator, service_id=published.pk, values={"is_active": False})
    assert (
        client.get(reverse("catalogue:service", args=["pkm-pancoran-mas", "imunisasi"])).status_code
        == 404
    )


def test_officer_fills_and_publishes_through_the_desk(city: City, login: Login) -> None:
    client = login(city.officer_health)
    unit_url = reverse("catalogue:desk_unit", args=["pkm-pancoran-mas"])
    response = client.post(unit_url, {"name": "Pembuatan KIA", "summary": ""})
    service = Service.objects.get()
    assert response.url == reverse("catalogue:desk_service", args=["pkm-pancoran-mas", service.pk])
    edit_url = response.url
    form = {"name": "Pembuatan KIA", "expected_version": 1, "is_active": "on"} | ALL_COMPONENTS
    assert client.post(edit_url, form).status_code == 302
    publish_url = reverse("catalogue:desk_service_publish", args=["pkm-pancoran-mas", service.pk])
    assert client.post(publish_url, {"expected_version": 2, "publish": "True"}).status_code == 302
    service.refresh_from_db()
    assert service.is_published and service.filled_count == 14
    page = client.get(edit_url).content.decode()
    assert "Ke-14 komponen terisi." in page


def test_refusals_are_shown_next_to_the_field(city: City, evaluator: User, login: Login) -> None:
    service = make_service(city, evaluator, requirements="KTP")
    client = login(evaluator)
    publish_url = reverse("catalogue:desk_service_publish", args=["pkm-pancoran-mas", service.pk])
    response = client.post(publish_url, {"expected_version": service.version, "publish": "True"})
    assert response.status_code == 400
    assert "Wajib diisi sebelum dipublikasikan." in response.content.decode()
    edit_url = reverse("catalogue:desk_service", args=["pkm-pancoran-mas", service.pk])
    stale = client.post(edit_url, {"name": "KIA", "expected_version": 1, "is_active": "on"})
    assert stale.status_code == 409
    assert "sudah diubah orang lain" in stale.content.decode()


def test_who_opens_which_unit(city: City, evaluator: User, login: Login) -> None:
    make_service(city, evaluator)
    url = reverse("catalogue:desk_unit", args=["pkm-pancoran-mas"])
    assert login(city.officer_a).get(url).status_code == 404  # DPUPR's liaison
    assert login(city.outsider).get(reverse("catalogue:desk_units")).status_code == 404
    leader = login(city.leader).get(url)
    assert leader.status_code == 200
    assert "Hanya baca" in leader.content.decode()
    service = Service.objects.get()
    edit = reverse("catalogue:desk_service", args=["pkm-pancoran-mas", service.pk])
    refused = login(city.leader).post(edit, {"name": "x", "expected_version": 2, "is_active": "on"})
    assert refused.status_code == 403
    assert Service.objects.get().name == "Pembuatan KIA"
    # A service of another unit is not found under this unit's address.
    other = reverse("catalogue:desk_service", args=["dpupr", service.pk])
    assert login(city.sysadmin).get(other).status_code == 404


@pytest.mark.parametrize(
    ("name", "args", "desk", "limit"),
    [
        ("catalogue:desk_units", [], True, 8),
        ("catalogue:desk_unit", ["pkm-pancoran-mas"], True, 10),
        ("catalogue:units", [], False, 3),
        ("catalogue:unit", ["pkm-pancoran-mas"], False, 4),
    ],
)
def test_catalogue_pages_need_the_same_few_queries_for_1_or_7_services(
    city: City,
    evaluator: User,
    login: Login,
    client: Client,
    django_assert_max_num_queries: Any,
    name: str,
    args: list[str],
    desk: bool,
    limit: int,
) -> None:
    url = reverse(name, args=args)
    browser = login(evaluator) if desk else client
    make_service(city, evaluator, name="Layanan 0", publish=True)
    browser.get(url)  # warm the caches
    with django_assert_max_num_queries(limit) as few:
        assert browser.get(url).status_code == 200
    for n in range(1, 7):
        make_service(city, evaluator, name=f"Layanan {n}", publish=True)
    with django_assert_max_num_queries(limit) as many:
        assert browser.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
