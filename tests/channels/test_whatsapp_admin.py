"""The doors in the admin: read-only lists of conversations and inbound messages that never
show a sender's number or name, and which channels are switched on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.channels import inbound
from satupintu.channels.models import Conversation, InboundMessage
from tests.channels import providers as p
from tests.conftest import City

pytestmark = pytest.mark.django_db

BUDI = "6281234567890"


@pytest.fixture(autouse=True)
def _static_root(settings: Any) -> None:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def sysadmin(client: Client, city: City, settings: Any) -> Client:
    settings.WHATSAPP_VERIFY_TOKEN = p.VERIFY_TOKEN
    settings.WHATSAPP_APP_SECRET = p.APP_SECRET
    settings.WHATSAPP_TOKEN = p.GRAPH_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = p.PHONE_NUMBER_ID
    settings.SMS_INBOUND_TOKEN = ""
    city.sysadmin.is_staff = True
    city.sysadmin.save()
    client.force_login(city.sysadmin)
    return client


def _a_conversation(client: Client) -> None:
    body = json.dumps(p.notification(p.text(BUDI, "halo"), name="Budi Santoso")).encode()
    answer = client.post(
        "/channels/whatsapp/webhook",
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=p.sign(body),
    )
    assert answer.status_code == 200
    inbound.process_due()


def test_the_conversation_list_says_which_channels_are_on_and_hides_the_number(
    sysadmin: Client,
) -> None:
    _a_conversation(sysadmin)
    page = sysadmin.get(reverse("admin:channels_conversation_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kanal aktif: WhatsApp. Tidak aktif: SMS" in text
    assert BUDI not in text
    chat = Conversation.objects.get()
    detail = sysadmin.get(reverse("admin:channels_conversation_change", args=[chat.pk]))
    assert detail.status_code == 200
    assert BUDI not in detail.content.decode()
    assert "Simpan" not in detail.content.decode() and "Save" not in detail.content.decode()


def test_inbound_messages_are_listed_read_only_without_number_or_name(sysadmin: Client) -> None:
    _a_conversation(sysadmin)
    row = InboundMessage.objects.get()
    page = sysadmin.get(reverse("admin:channels_inboundmessage_changelist"))
    assert page.status_code == 200
    assert BUDI not in page.content.decode()
    detail = sysadmin.get(reverse("admin:channels_inboundmessage_change", args=[row.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "halo" in text
    assert BUDI not in text and "Budi" not in text
    assert (
        sysadmin.post(reverse("admin:channels_inboundmessage_delete", args=[row.pk])).status_code
        == 403
    )


def test_an_officer_does_not_get_in(client: Client, city: City) -> None:
    city.officer_a.is_staff = True
    city.officer_a.save()
    client.force_login(city.officer_a)
    page = client.get(reverse("admin:channels_conversation_changelist"))
    assert page.status_code in (302, 403)
