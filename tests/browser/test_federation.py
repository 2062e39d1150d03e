"""Federation as people see it: the administrator sets up another government's Open311 server on
the external agency; the officer reads that government's answers on the report's timeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from satupintu.core.models import User
from satupintu.open311 import federation
from satupintu.open311.models import RemoteForward
from tests.browser.conftest import PASSWORD, screenshot, sign_in
from tests.conftest import City
from tests.open311 import instance
from tests.open311.instance import InstanceB
from tests.open311.test_federation import LATER, forwarded_to_pln


@pytest.fixture(scope="module")
def b(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstanceB]:
    yield from instance.start(tmp_path_factory.mktemp("instance-b"))


def test_the_administrator_connects_an_agency_and_the_officer_reads_its_answers(
    city: City, b: InstanceB, new_page: Callable[..., Any]
) -> None:
    User.objects.create_superuser(username="admin", password=PASSWORD)
    admin = new_page()
    admin.goto(f"{admin.base_url}/admin/login/")
    admin.locator("#id_username").fill("admin")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.goto(f"{admin.base_url}/admin/agencies/agency/{city.pln.pk}/change/")
    admin.locator("#id_open311_url").fill(b.open311)
    admin.locator("#id_open311_service_code").fill("pju")
    admin.locator("#id_open311_key").fill(b.key_for_a)
    screenshot(admin, "admin-agency-open311")
    admin.locator("input[name=_continue]").click()
    admin.locator(".messagelist .success").wait_for()
    assert admin.locator("#id_open311_key").input_value() == ""  # never shown again
    city.pln.refresh_from_db()
    assert city.pln.is_federated

    report = forwarded_to_pln(city)
    assert federation.push() == "1 filed"
    remote_id = RemoteForward.objects.get().remote_id
    b.api("POST", f"/officer/reports/{remote_id}/dispatch", {})
    b.api("POST", f"/officer/reports/{remote_id}/follow-ups", {"body": "Tim PLN meluncur."})
    assert federation.pull(now=timezone.now() + LATER) == "1 updated"

    officer = new_page()
    sign_in(officer, "officer_a")
    officer.goto(f"{officer.base_url}/petugas/laporan/{report.pk}/")
    news = officer.locator(".timeline li", has_text="Kabar dari sistem instansi tujuan")
    assert news.count() == 1
    assert "Tim PLN meluncur." in news.inner_text()
    assert "Sistem instansi tujuan (Open311)" in news.inner_text()
    accepted = officer.locator(".timeline li", has_text="Diterima instansi")
    assert remote_id in accepted.inner_text()
    screenshot(officer, "desk-report-federated")
    assert officer.js_errors == [] and admin.js_errors == []
