"""Webhooks in the admin: system administrators register endpoints (secret shown once, audited)
and replay deliveries; nobody else gets in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from satupintu.core.models import AuditEntry
from satupintu.notifications import delivery
from satupintu.notifications.models import OutboxEvent, WebhookDelivery, WebhookEndpoint
from tests.conftest import City
from tests.notifications.conftest import Receiver, deliver_all, docs_verifier, make_endpoint


@pytest.fixture(autouse=True)
def _static_root(settings: Any) -> None:
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, as before `collectstatic`.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def sysadmin(client: Client, city: City) -> Client:
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    client.force_login(city.sysadmin)
    return client


def admin_url(model: type[Any], view: str, *args: Any) -> str:
    return reverse(f"admin:notifications_{model._meta.model_name}_{view}", args=args)


def test_sysadmin_adds_an_endpoint_and_sees_its_secret_once(
    sysadmin: Client, city: City, receiver: Receiver
) -> None:
    form = {
        "name": "kota-app",
        "url": receiver.url,
        "event_types": ["created", "resolved"],
        "agency": str(city.dinkes.pk),
        "is_active": "on",
    }
    page = sysadmin.post(admin_url(WebhookEndpoint, "add"), form)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    secret = re.search(r'id="webhook-secret"[^>]*>(whsec_[^<]+)<', html)
    assert secret, html
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["created", "resolved"] and endpoint.agency == city.dinkes
    assert delivery.endpoint_secret(endpoint) == secret.group(1)
    # Never shown again, never in the audit log.
    change = sysadmin.get(admin_url(WebhookEndpoint, "change", endpoint.pk)).content.decode()
    assert secret.group(1) not in change and endpoint.secret_encrypted[:20] not in change
    entry = AuditEntry.objects.get(chain=f"webhookendpoint:{endpoint.pk}")
    assert entry.actor_label == "sysadmin" and entry.action == "create"
    assert "secret" not in entry.changes
    assert json.loads(entry.changes)["after"]["url"] == receiver.url


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "ftp://files.example/h", "http:// atau https://"),
        ("event_types", [], ""),
        ("event_types", ["opened"], "opened"),
        ("name", "nama dengan spasi", "slug"),
    ],
)
def test_bad_input_is_a_form_error(sysadmin: Client, field: str, value: Any, message: str) -> None:
    form: dict[str, Any] = {
        "name": "kota-app",
        "url": "https://app.kota.example/h",
        "event_types": ["created"],
    }
    form[field] = value
    page = sysadmin.post(admin_url(WebhookEndpoint, "add"), form)
    assert page.status_code == 200
    errors = page.context_data["adminform"].form.errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not WebhookEndpoint.objects.exists()


def test_deliveries_pages_and_the_replay_action(
    sysadmin: Client, city: City, receiver: Receiver
) -> None:
    _endpoint, secret = make_endpoint(receiver.url, "created")
    report, _ = city.file()
    deliver_all()
    original = WebhookDelivery.objects.get()
    listing = sysadmin.get(admin_url(WebhookDelivery, "changelist")).content.decode()
    assert report.tracking_number in listing
    detail = sysadmin.get(admin_url(WebhookDelivery, "change", original.pk)).content.decode()
    assert "{&quot;ok&quot;: true}" in detail  # the receiver's answer, from the attempt log
    event = OutboxEvent.objects.get()
    assert sysadmin.get(admin_url(OutboxEvent, "change", event.pk)).status_code == 200
    response = sysadmin.post(
        admin_url(WebhookDelivery, "changelist"),
        {"action": "replay", "_selected_action": [str(original.pk)]},
    )
    assert response.status_code == 302
    assert WebhookDelivery.objects.filter(replay_of=original).count() == 1
    assert delivery.deliver_due().succeeded == 1
    assert docs_verifier()(
        secret, receiver.requests[-1].headers["x-satupintu-signature"], receiver.requests[-1].body
    )


def test_disable_action_and_others_are_kept_out(
    client: Client, sysadmin: Client, city: City
) -> None:
    endpoint, _ = make_endpoint("https://app.kota.example/h", "created")
    sysadmin.post(
        admin_url(WebhookEndpoint, "changelist"),
        {"action": "disable", "_selected_action": [str(endpoint.pk)]},
    )
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert AuditEntry.objects.filter(chain=f"webhookendpoint:{endpoint.pk}").count() == 2
    city.officer_a.is_staff = True
    city.officer_a.save()
    client.force_login(city.officer_a)
    for model in (WebhookEndpoint, WebhookDelivery, OutboxEvent):
        assert client.get(admin_url(model, "changelist")).status_code == 403
    rotate = {"action": "rotate_secret", "_selected_action": [str(endpoint.pk)]}
    assert client.post(admin_url(WebhookEndpoint, "changelist"), rotate).status_code == 403
    stored = WebhookEndpoint.objects.get()
    assert stored.secret_encrypted == endpoint.secret_encrypted
    assert stored.secret_rotated_at is None


def test_rotate_action_shows_the_new_secrets_once_and_audits_without_them(
    sysadmin: Client, city: City, receiver: Receiver
) -> None:
    endpoint, old = make_endpoint(receiver.url, "created")
    other, other_old = make_endpoint("https://bot.example/h", "created", name="bot")
    untouched, _ = make_endpoint("https://else.example/h", "created", name="else")
    page = sysadmin.post(
        admin_url(WebhookEndpoint, "changelist"),
        {"action": "rotate_secret", "_selected_action": [str(endpoint.pk), str(other.pk)]},
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert not page.cookies.get("messages")  # the secrets are in the page, nowhere else
    html = page.content.decode()
    shown = dict(re.findall(r'data-endpoint="([\w-]+)"[^>]*>(whsec_[^<]+)<', html))
    assert sorted(shown) == ["bot", "kota-app"]
    assert all(html.count(secret) == 1 for secret in shown.values()) and old not in html
    assert "sudah diganti" in html and "24 jam" in html
    for stored in (endpoint, other):
        stored.refresh_from_db()
        assert delivery.endpoint_secret(stored) == shown[stored.name]
        assert stored.previous_secret_expires_at is not None
    assert delivery.endpoint_previous_secret(endpoint, now=timezone.now()) == old
    assert delivery.endpoint_previous_secret(other, now=timezone.now()) == other_old
    assert WebhookEndpoint.objects.get(pk=untouched.pk).secret_rotated_at is None

    # Never shown again: not on the list, not on the endpoint's page (which says until when the
    # previous secret signs).
    listing = sysadmin.get(admin_url(WebhookEndpoint, "changelist")).content.decode()
    change = sysadmin.get(admin_url(WebhookEndpoint, "change", endpoint.pk)).content.decode()
    for text in (*shown.values(), old, endpoint.previous_secret_encrypted[:20]):
        assert text not in listing and text not in change
    assert "rahasia lama berlaku sampai" in change.lower()

    entry = AuditEntry.objects.filter(chain=f"webhookendpoint:{endpoint.pk}").latest("seq")
    assert (entry.action, entry.actor_label) == ("rotate_secret", "sysadmin")
    for text in (shown["kota-app"], old, endpoint.secret_encrypted[:20]):
        assert text not in entry.changes
    assert json.loads(entry.changes)["after"]["overlap_hours"] == 24
    assert AuditEntry.objects.filter(action="rotate_secret").count() == 2

    city.file()
    deliver_all()
    [got] = receiver.requests
    for secret in (shown["kota-app"], old):
        assert docs_verifier()(secret, got.headers["x-satupintu-signature"], got.body)


def test_deliveries_list_query_count_does_not_grow_with_rows(
    sysadmin: Client, city: City, receiver: Receiver
) -> None:
    make_endpoint(receiver.url, "created", "dispatched")
    city.dispatched()
    deliver_all()
    # Once before counting: the first page of a process fills caches of master data.
    assert sysadmin.get(admin_url(WebhookDelivery, "changelist")).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert sysadmin.get(admin_url(WebhookDelivery, "changelist")).status_code == 200
    for _ in range(10):
        city.dispatched()
    deliver_all()
    assert WebhookDelivery.objects.count() == 22
    with CaptureQueriesContext(connection) as many:
        assert sysadmin.get(admin_url(WebhookDelivery, "changelist")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
