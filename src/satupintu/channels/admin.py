"""Admin for the message doors: conversations and inbound messages, read-only, never with the
sender's address (encrypted; an anonymous reporter's number must not reach anyone). The
conversation list says which channels are switched on (channels/registry.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from satupintu.channels import registry
from satupintu.channels.models import Conversation, InboundMessage
from satupintu.core.admin import ModelAdmin, ReadOnlyAdminMixin

CHANNEL_NAMES = {"whatsapp": "WhatsApp", "sms": "SMS", "email": _("Surel")}


def channels_switched_on() -> str:
    """One line: which channels are on and which are off."""
    on: list[str] = []
    off: list[str] = []
    for channel in registry.ENABLED:
        try:
            enabled = registry.is_enabled(channel)
        except ImportError:  # an adapter not installed in this build
            enabled = False
        (on if enabled else off).append(str(CHANNEL_NAMES.get(channel, channel)))
    return gettext("Kanal aktif: %(on)s. Tidak aktif: %(off)s.") % {
        "on": ", ".join(on) or "—",
        "off": ", ".join(off) or "—",
    }


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("id", "channel", "language", "step", "report", "last_inbound_at", "updated_at")
    list_filter = ("channel", "language")
    list_select_related = ("report",)
    search_fields = ("=id", "report__tracking_number")
    ordering = ("-updated_at",)
    fields = ("channel", "language", "state", "report", "last_inbound_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("langkah"))
    def step(self, obj: Conversation) -> str:
        state = obj.state if isinstance(obj.state, dict) else {}
        return str(state.get("step", ""))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "subtitle": channels_switched_on()}
        return super().changelist_view(request, extra_context)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "id",
        "channel",
        "kind",
        "status",
        "attempts",
        "received_at",
        "processed_at",
        "report",
        "error",
    )
    list_filter = ("status", "channel", "kind")
    list_select_related = ("report",)
    search_fields = ("=id", "provider_id", "report__tracking_number")
    ordering = ("-id",)
    fields = (
        "channel",
        "provider_id",
        "kind",
        "content",
        "status",
        "attempts",
        "lease_until",
        "received_at",
        "processed_at",
        "report",
        "error",
    )
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("isi"))
    def content(self, obj: InboundMessage) -> str:
        """What the message said, without the sender's (encrypted) profile name."""
        data = obj.payload if isinstance(obj.payload, dict) else {}
        return ", ".join(f"{k}: {v}" for k, v in data.items() if k != "name")
