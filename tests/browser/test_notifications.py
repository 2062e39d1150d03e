"""Officers choose how they are reminded; a resident stops the messages from a link."""

from __future__ import annotations

from typing import Any

from satupintu.notifications import messages
from satupintu.notifications.models import OfficerPreference, Subscription
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import City


def test_an_officer_chooses_whatsapp_and_a_bad_number_is_refused_first(
    new_page: Any, city: City
) -> None:
    city.officer_a.email = "officer.a@depok.go.id"
    city.officer_a.save()
    page = new_page()
    sign_in(page, "officer_a")
    page.get_by_role("link", name="Pemberitahuan").first.click()
    page.wait_for_url("**/petugas/profil/pemberitahuan/")
    assert "officer.a@depok.go.id" in page.content()
    page.get_by_role("checkbox", name="WhatsApp").check()
    page.get_by_label("Nomor ponsel (WhatsApp/SMS)").fill("12345")
    page.get_by_role("button", name="Simpan").click()
    page.locator(".errorlist").first.wait_for()
    assert not OfficerPreference.objects.filter(user=city.officer_a, phone__gt="").exists()
    page.get_by_label("Nomor ponsel (WhatsApp/SMS)").fill("0812-3456-7890")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    preference = OfficerPreference.objects.get(user=city.officer_a)
    assert "whatsapp" in preference.channels and preference.phone == "+6281234567890"
    screenshot(page, "desk-notification-profile")


def test_a_resident_stops_the_messages_from_the_link_on_a_phone(page: Any, city: City) -> None:
    report, _ = city.file()
    subscription = messages.subscribe(report, channel="sms", address="+6281234567890")
    page.goto(page.base_url + f"/berhenti/{subscription.token}/")
    assert "Hentikan semua kabar" in page.content()
    screenshot(page, "portal-opt-out-confirm")
    page.get_by_role("button", name="Ya, berhenti").click()
    page.get_by_text("Anda tidak akan menerima kabar laporan lagi").wait_for()
    assert Subscription.objects.get(pk=subscription.pk).opted_out_at is not None
    screenshot(page, "portal-opt-out-done")
    page.goto(page.base_url + "/berhenti/not-a-token/")
    assert page.title() and "Berhenti" not in page.locator("h1").inner_text()
