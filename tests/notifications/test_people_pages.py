"""The pages of messages to people: the opt-out link, the officer's notification settings, the
messages on the desk's report page (never an address) and templates in the admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.complaints import services
from satupintu.core.models import User
from satupintu.notifications import people
from satupintu.notifications.models import (
    Message,
    MessageTemplate,
    OfficerPreference,
    Subscription,
)
from tests.conftest import City


def channel_on() -> bool:
    return True


@pytest.fixture(autouse=True)
def _channels_on(monkeypatch: Any) -> None:
    """Every channel switched on (a message for a channel that is off stores nothing)."""
    from satupintu.channels import registry

    for channel in ("whatsapp", "sms", "email"):
        monkeypatch.setitem(registry.ENABLED, channel, f"{__name__}.channel_on")


@pytest.fixture(autouse=True)
def _static_root(settings: Any) -> None:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


# --------------------------------------------------------------------------- opt-out


def test_opt_out_page_asks_then_stops(city: City, weekday: dt.date, client: Client) -> None:
    report, _ = city.file()
    people.fan_out()
    subscription = Subscription.objects.get(report=report)
    url = reverse("portal:opt_out", kwargs={"token": subscription.token})
    assert url == f"/berhenti/{subscription.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Ya, berhenti" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    subscription.refresh_from_db()
    assert subscription.opted_out_at is None  # a GET (a link preview) changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "tidak akan menerima kabar" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.opted_out_at is not None
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    people.fan_out()
    assert not Message.objects.filter(report=report, purpose="dispatched").exists()


def test_unknown_opt_out_token_is_a_404_page(db: Any, client: Client) -> None:
    page = client.get("/berhenti/no-such-token/")
    assert page.status_code == 404
    assert "Tautan tidak dikenal" in page.content.decode()
    assert client.post("/berhenti/no-such-token/").status_code == 404


# --------------------------------------------------------------------------- profile


PROFILE = "/petugas/profil/pemberitahuan/"


def test_profile_page_saves_channels_phone_and_digest(
    city: City, login: Callable[[User], Client]
) -> None:
    city.officer_a.email = "officer_a@pemda.example.id"
    city.officer_a.save(update_fields=["email"])
    client = login(city.officer_a)
    home = client.get(reverse("desk:home"))
    assert PROFILE in home.content.decode()  # linked from the desk's navigation
    page = client.get(PROFILE)
    assert page.status_code == 200 and "officer_a@pemda.example.id" in page.content.decode()
    saved = client.post(
        PROFILE,
        {"channels": ["email", "whatsapp"], "phone": "0812-3456 7890", "language": "en"},
    )
    assert saved.status_code == 302
    preference = OfficerPreference.objects.get(user=city.officer_a)
    assert preference.channels == ["whatsapp", "email"] or preference.channels == [
        "email",
        "whatsapp",
    ]
    assert preference.phone == "+6281234567890"
    assert preference.daily_digest is False and preference.language == "en"
    assert people.officer_addresses(city.officer_a) == [
        ("whatsapp", "+6281234567890"),
        ("email", "officer_a@pemda.example.id"),
    ] or people.officer_addresses(city.officer_a) == [
        ("email", "officer_a@pemda.example.id"),
        ("whatsapp", "+6281234567890"),
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"channels": ["sms"], "phone": "12345", "language": "id"}, "tidak valid"),
        ({"channels": ["sms"], "phone": "", "language": "id"}, "Isi nomor ponsel"),
        ({"channels": ["email"], "phone": "", "language": "id"}, "belum memiliki alamat surel"),
    ],
)
def test_profile_page_refuses_what_cannot_reach_the_officer(
    city: City, login: Callable[[User], Client], data: dict[str, Any], error: str
) -> None:
    page = login(city.officer_a).post(PROFILE, data)
    assert page.status_code == 400
    assert error in page.content.decode()
    assert not OfficerPreference.objects.filter(user=city.officer_a).exists()


def test_profile_page_needs_an_officer(city: City, login: Callable[[User], Client]) -> None:
    assert login(city.outsider).get(PROFILE).status_code == 403
    assert Client().get(PROFILE).status_code == 302  # to the sign-in page


# --------------------------------------------------------------------------- desk timeline


def test_desk_shows_messages_but_never_the_anonymous_reporters_address(
    city: City, weekday: dt.date, login: Callable[[User], Client]
) -> None:
    report = city.dispatched(is_anonymous=True)
    people.fan_out()
    Message.objects.filter(report=report, purpose="dispatched").update(
        status=Message.Status.FAILED, attempts=8, error="refused siti@example.id 081234567890"
    )
    for officer in (city.officer_a, city.verifier, city.head_a):
        page = login(officer).get(reverse("desk:report", args=[report.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Pesan terkirim" in html and "Didisposisikan" in html
        assert "badge--overdue" in html and "Gagal" in html  # the failure is visible
        for secret in ("siti@example.id", "081234567890", "Siti Aminah"):
            assert secret not in html, (officer.username, secret)


# --------------------------------------------------------------------------- admin


@pytest.fixture
def sysadmin(client: Client, city: City) -> Client:
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    client.force_login(city.sysadmin)
    return client


def _template_form(**changes: Any) -> dict[str, Any]:
    data = {
        "purpose": "dispatched",
        "channel": "email",
        "language": "id",
        "subject": "Kabar {{ tracking_number }}",
        "body": "Laporan Anda kini di {{ agency }}. {{ opt_out_url }}",
        "wa_template": "",
        "wa_parameters": "[]",
        "is_active": "on",
    }
    return data | changes


def test_admin_saves_and_previews_a_template(sysadmin: Client) -> None:
    added = sysadmin.post(reverse("admin:notifications_messagetemplate_add"), _template_form())
    assert added.status_code == 302, added.content.decode()[:2000]
    row = MessageTemplate.objects.get()
    page = sysadmin.get(reverse("admin:notifications_messagetemplate_change", args=[row.pk]))
    html = page.content.decode()
    assert "Laporan Anda kini di Dinas PUPR." in html  # rendered against the sample report
    assert "Kabar K7Q2M-4XR9P" in html


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("body", "{% if %}rusak"),
        ("body", "{{ agency|no_such_filter }}"),
        ("subject", "{% for x in %}"),
        ("body", "{% if False %}x{% endif %}"),
        ("wa_parameters", '["no_such_key"]'),
    ],
)
def test_admin_refuses_a_template_that_does_not_render(
    sysadmin: Client, field: str, text: str
) -> None:
    page = sysadmin.post(
        reverse("admin:notifications_messagetemplate_add"), _template_form(**{field: text})
    )
    assert page.status_code == 200
    assert "errorlist" in page.content.decode()
    assert not MessageTemplate.objects.exists()
