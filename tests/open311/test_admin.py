"""The admin side of federation: an external agency's Open311 server and key, and the list of
reports forwarded there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.agencies.models import Agency
from satupintu.core import audit, crypto
from satupintu.core.models import User
from satupintu.open311.models import RemoteForward
from tests.conftest import City
from tests.core.test_admin import agency_form, changes, entries_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_(client: Client, settings: Any) -> Client:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # as after collectstatic
    client.force_login(User.objects.create_superuser(username="root", password="x-Pass-12345"))
    return client


def pln_form(**overrides: Any) -> dict[str, Any]:
    fields = {
        "code": "pln-depok",
        "name": "PLN UP3 Depok",
        "short_name": "",
        "kind": "external",
        "external_type": "bumn",
        "open311_url": "https://lapor.pln.example.id/open311/v2",
        "open311_jurisdiction": "pln.example.id",
        "open311_service_code": "gangguan",
    }
    return agency_form(**{**fields, **overrides})


def test_the_key_is_stored_encrypted_never_shown_and_never_audited(
    admin_: Client, city: City
) -> None:
    page = url(Agency, "change", city.pln.pk)
    response = admin_.post(page, pln_form(open311_key="sp_kunci-rahasia-dari-pln"))
    assert response.status_code == 302, response.content.decode()[:2000]
    city.pln.refresh_from_db()
    assert city.pln.is_federated
    assert "sp_kunci" not in city.pln.open311_key_encrypted
    assert crypto.decrypt_text(city.pln.open311_key_encrypted) == "sp_kunci-rahasia-dari-pln"
    shown = admin_.get(page).content.decode()
    assert "sp_kunci-rahasia-dari-pln" not in shown
    assert city.pln.open311_key_encrypted not in shown
    (entry,) = entries_for(city.pln)
    assert "sp_kunci" not in entry.changes and city.pln.open311_key_encrypted not in entry.changes
    assert changes(entry)["after"]["open311_url"] == "https://lapor.pln.example.id/open311/v2"
    assert changes(entry)["after"]["open311_key"]  # a change of key is on the record

    # Saving without a key keeps it; clearing removes it.
    assert admin_.post(page, pln_form()).status_code == 302
    city.pln.refresh_from_db()
    assert crypto.decrypt_text(city.pln.open311_key_encrypted) == "sp_kunci-rahasia-dari-pln"
    assert admin_.post(page, pln_form(open311_key_clear="on")).status_code == 302
    city.pln.refresh_from_db()
    assert city.pln.open311_key_encrypted == ""
    assert audit.verify().ok


def test_only_external_agencies_with_a_service_code_get_a_server(
    admin_: Client, city: City
) -> None:
    response = admin_.post(
        url(Agency, "change", city.dpupr.pk),
        agency_form(
            code="dpupr",
            name="Dinas PUPR",
            short_name="",
            parent=city.pemda.pk,
            open311_url="https://lapor.example.id/open311/v2",
        ),
    )
    assert response.status_code == 200
    assert "Hanya instansi eksternal" in response.content.decode()
    response = admin_.post(url(Agency, "change", city.pln.pk), pln_form(open311_service_code=""))
    assert response.status_code == 200
    assert "kode layanan" in response.content.decode()
    city.dpupr.refresh_from_db()
    assert city.dpupr.open311_url == ""


def test_forwards_are_listed_read_only_with_a_try_now_action(admin_: Client, city: City) -> None:
    report = city.dispatched(category=city.power)
    later = timezone.now() + timezone.timedelta(hours=3)
    forward = RemoteForward.objects.create(
        disposition=report.dispositions.get(),
        report=report,
        agency=city.pln,
        next_attempt_at=later,
        created_at=timezone.now(),
        failures=4,
        last_error="HTTP 403: api_key tidak dikenal",
    )
    listing = admin_.get(url(RemoteForward, "changelist"))
    assert listing.status_code == 200 and "HTTP 403" in listing.content.decode()
    assert admin_.get(url(RemoteForward, "change", forward.pk)).status_code == 200
    assert admin_.get(url(RemoteForward, "add")).status_code == 403
    response = admin_.post(
        url(RemoteForward, "changelist"),
        {"action": "try_now", "_selected_action": [forward.pk]},
    )
    assert response.status_code == 302
    forward.refresh_from_db()
    assert forward.next_attempt_at <= timezone.now()
