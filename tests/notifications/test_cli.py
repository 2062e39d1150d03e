"""``satupintu webhooks``: add (secret shown once), list, enable/disable, deliveries, replay."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from satupintu.core.models import AuditEntry
from satupintu.notifications import delivery
from satupintu.notifications.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import City
from tests.notifications.conftest import Answer, Receiver, deliver_all, docs_verifier


def webhooks(*args: str) -> str:
    out = StringIO()
    call_command("webhooks", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_add_prints_the_secret_once_and_stores_it_encrypted(city: City, receiver: Receiver) -> None:
    out = webhooks(
        "add", "kota-app", receiver.url, "--event", "resolved", "--event", "created",
        "--agency", "dinkes",
    )  # fmt: skip
    assert f"webhook kota-app added: created, resolved → {receiver.url}" in out
    assert "reports of dinkes and its units" in out
    secret = re.search(r"signing secret \(shown only this once\): (whsec_\S+)", out)
    assert secret
    endpoint = WebhookEndpoint.objects.get()
    assert secret.group(1) not in endpoint.secret_encrypted
    assert delivery.endpoint_secret(endpoint) == secret.group(1)
    entry = AuditEntry.objects.get(chain=f"webhookendpoint:{endpoint.pk}")
    assert entry.action == "create" and entry.actor_label.startswith("cli:")
    assert secret.group(1) not in entry.changes and "secret" not in entry.changes
    assert json.loads(entry.changes)["after"]["event_types"] == ["created", "resolved"]
    # Never printed again.
    listing = webhooks("list")
    assert "kota-app" in listing and "created,resolved" in listing and "dinkes" in listing
    assert secret.group(1) not in listing


def test_rotate_prints_the_new_secret_once_and_keeps_the_old_one_for_the_overlap(
    city: City, receiver: Receiver, weekday: Any
) -> None:
    added = webhooks("add", "kota-app", receiver.url, "--event", "created")
    old = added.rsplit(": ", 1)[1].strip()
    out = webhooks("rotate", "kota-app")
    lines = out.splitlines()
    assert lines[0] == "webhook kota-app: signing secret rotated"
    secret = re.fullmatch(r"signing secret \(shown only this once\): (whsec_\S+)", lines[1])
    assert secret and secret.group(1) != old
    new = secret.group(1)
    assert out.count(new) == 1 and old not in out
    # 09:00 WIB on 2025-03-05 plus the default 24 hours.
    assert lines[2] == (
        "the previous secret also signs every delivery until 2025-03-06 09:00:00 (24 h): "
        "give the receiver the new secret before then"
    )
    endpoint = WebhookEndpoint.objects.get()
    assert new not in endpoint.secret_encrypted and old not in endpoint.previous_secret_encrypted
    assert delivery.endpoint_secret(endpoint) == new
    assert delivery.endpoint_previous_secret(endpoint, now=timezone.now()) == old
    listing = webhooks("list")
    assert re.search(r"OLD SECRET UNTIL\s+URL", listing)
    assert re.search(r"kota-app\s+yes\s+created\s+\(all\)\s+2025-03-06 09:00:00", listing)
    assert new not in listing and old not in listing

    entry = AuditEntry.objects.filter(chain=f"webhookendpoint:{endpoint.pk}").latest("seq")
    assert entry.action == "rotate_secret" and entry.actor_label.startswith("cli:")
    for secret_text in (new, old, endpoint.secret_encrypted, endpoint.previous_secret_encrypted):
        assert secret_text not in entry.changes
    assert "secret_encrypted" not in entry.changes
    changes = json.loads(entry.changes)
    assert changes["before"] == {"previous_secret_expires_at": None, "secret_rotated_at": None}
    assert changes["after"] == {
        "overlap_hours": 24,
        "previous_secret_expires_at": "2025-03-06T02:00:00+00:00",
        "secret_rotated_at": "2025-03-05T02:00:00+00:00",
    }

    city.file()
    webhooks("run", "--once")
    [got] = receiver.requests
    verify = docs_verifier()
    for valid in (new, old):
        assert verify(valid, got.headers["x-satupintu-signature"], got.body)

    out = webhooks("rotate", "kota-app", "--overlap", "0")
    assert out.splitlines()[2] == "the previous secret no longer signs deliveries"
    newest = out.splitlines()[1].rsplit(": ", 1)[1]
    assert re.search(r"kota-app\s+yes\s+created\s+\(all\)\s+-\s+http", webhooks("list"))
    city.file()
    webhooks("run", "--once")
    got = receiver.requests[-1]
    assert verify(newest, got.headers["x-satupintu-signature"], got.body)
    assert not verify(new, got.headers["x-satupintu-signature"], got.body)


def test_disable_enable_and_the_delivery_list(city: City, receiver: Receiver) -> None:
    out = webhooks("add", "kota-app", receiver.url, "--event", "created")
    secret = out.rsplit(": ", 1)[1].strip()
    receiver.answer(Answer(500, b"down"))
    report, _ = city.file()
    deliver_all()
    failed_first = webhooks("deliveries")
    assert re.search(
        rf"kota-app\s+created#\d+\s+{report.tracking_number}\s+pending\s+1\s+500", failed_first
    )
    assert "HTTP 500" in failed_first
    assert webhooks("deliveries", "--failed") == "no deliveries\n"

    assert "disabled" in webhooks("disable", "kota-app")
    assert re.search(r"kota-app\s+no\s+created", webhooks("list"))
    assert "enabled" in webhooks("enable", "kota-app")
    WebhookDelivery.objects.update(next_attempt_at=None)
    original = WebhookDelivery.objects.get()
    out = webhooks("replay", str(original.pk))
    assert f"event {original.event_id} again to kota-app" in out
    assert webhooks("run", "--once").count("webhooks-deliver: 1 delivered") == 1
    assert docs_verifier()(
        secret, receiver.requests[-1].headers["x-satupintu-signature"], receiver.requests[-1].body
    )
    listing = webhooks("deliveries", "--endpoint", "kota-app")
    assert f"(replay of {original.pk})" in listing


def test_replay_since_a_date(city: City, receiver: Receiver, weekday: Any) -> None:
    webhooks("add", "kota-app", receiver.url, "--event", "created", "--event", "dispatched")
    city.dispatched()
    deliver_all()
    assert "0 deliveries scheduled" in webhooks(
        "replay", "--endpoint", "kota-app", "--since", "2025-03-06"
    )
    out = webhooks("replay", "--endpoint", "kota-app", "--since", "2025-03-05")
    assert out == "2 deliveries scheduled to kota-app (events since 2025-03-05)\n"
    delivery.deliver_due()
    assert len(receiver.requests) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "x", "https://a.example/h"), "choose at least one --event"),
        (("add", "x", "ftp://a.example/h", "--event", "created"), "http:// or https://"),
        (("add", "x", "not a url", "--event", "created"), "http:// or https://"),
        (("add", "x", "https://a.example/h", "--event", "opened"), "created, dispatched"),
        (("add", "bad name", "https://a.example/h", "--event", "created"), "letters, digits"),
        (
            ("add", "x", "https://a.example/h", "--event", "created", "--agency", "nope"),
            '"nope"',
        ),
        (("add", "taken", "https://a.example/h", "--event", "created"), "already exists"),
        (("disable", "ghost"), 'no webhook named "ghost"'),
        (("deliveries", "--endpoint", "ghost"), 'no webhook named "ghost"'),
        (("deliveries", "--limit", "0"), "--limit"),
        (("replay", "abc"), "DELIVERY_ID must be a number"),
        (("replay", "4242"), "#4242"),
        (("replay",), "give DELIVERY_ID"),
        (("replay", "--endpoint", "taken", "--since", "2025-13-01"), "--since"),
        (("replay", "1", "--endpoint", "taken"), "not both"),
        (("rotate", "ghost"), 'no webhook named "ghost"'),
        (("rotate", "taken", "--overlap", "-1"), "--overlap must be a whole number"),
        (("rotate", "taken", "--overlap=-24"), "from 0 to 168, not '-24'"),
        (("rotate", "taken", "--overlap", "169"), "from 0 to 168, not '169'"),
        (("rotate", "taken", "--overlap", "99999999999999999999"), "--overlap"),
        (("rotate", "taken", "--overlap", "1.5"), "not '1.5'"),
        (("rotate", "taken", "--overlap", "abc"), "--overlap"),
        (("rotate", "taken", "--overlap", ""), "--overlap"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(
    city: City, args: tuple[str, ...], message: str
) -> None:
    webhooks("add", "taken", "https://a.example/h", "--event", "created")
    entries = AuditEntry.objects.count()
    stored = WebhookEndpoint.objects.values().get()
    with pytest.raises(CommandError) as error:
        webhooks(*args)
    assert error.value.returncode == 2
    assert message.lower() in str(error.value).lower()
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookEndpoint.objects.values().get() == stored
    assert AuditEntry.objects.count() == entries
