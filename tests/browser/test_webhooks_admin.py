"""A system administrator registers a webhook in the admin and copies its secret, shown once."""

from __future__ import annotations

from typing import Any

from satupintu.notifications import delivery
from satupintu.notifications.models import WebhookEndpoint
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import City


def test_sysadmin_registers_a_webhook_and_sees_the_secret_once(new_page: Any, city: City) -> None:
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    page = new_page()
    sign_in(page, "sysadmin")
    page.goto(page.base_url + "/admin/notifications/webhookendpoint/add/")
    page.get_by_label("Nama").fill("aplikasi-kota")
    page.get_by_label("Alamat URL").fill("https://app.kota.example/hooks/satupintu")
    page.get_by_label("Laporan masuk").check()
    page.get_by_label("Diselesaikan").check()
    page.get_by_role("button", name="Simpan", exact=True).click()

    secret = page.locator("#webhook-secret").inner_text().strip()
    assert secret.startswith("whsec_")
    assert "hanya ditampilkan sekali" in page.content()
    screenshot(page, "admin-webhook-secret")
    endpoint = WebhookEndpoint.objects.get(name="aplikasi-kota")
    assert delivery.endpoint_secret(endpoint) == secret
    assert endpoint.event_types == ["created", "resolved"]

    page.get_by_role("link", name="Selesai").click()
    page.wait_for_url("**/admin/notifications/webhookendpoint/")
    page.get_by_role("link", name="aplikasi-kota").wait_for()
    screenshot(page, "admin-webhook-list")
    page.get_by_role("link", name="aplikasi-kota").click()
    page.wait_for_url(f"**/webhookendpoint/{endpoint.pk}/change/")
    assert page.get_by_label("Alamat URL").input_value() == endpoint.url
    assert secret not in page.content()
