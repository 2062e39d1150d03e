"""Admin: the reports forwarded to other governments' Open311 servers (read-only, with a
"try now" action), for the system administrators who configure those servers on the agency."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satupintu.core.admin import ModelAdmin, ReadOnlyAdminMixin
from satupintu.open311 import federation
from satupintu.open311.models import RemoteForward


@admin.register(RemoteForward)
class RemoteForwardAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "report",
        "agency",
        "state",
        "remote_id",
        "remote_status",
        "failures",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("state", "agency")
    search_fields = ("report__tracking_number", "remote_id")
    list_select_related = ("report", "agency")
    actions = ["try_now"]
    fields = (
        "report",
        "agency",
        "disposition",
        "state",
        "remote_id",
        "remote_token",
        "remote_status",
        "remote_notes",
        "failures",
        "last_error",
        "next_attempt_at",
        "created_at",
        "filed_at",
        "checked_at",
    )
    readonly_fields = fields

    @admin.action(description=_("Kirim atau periksa sekarang"))
    def try_now(self, request: HttpRequest, queryset: QuerySet[RemoteForward]) -> None:
        count = federation.retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s penerusan dijadwalkan ulang.",
                "%(count)s penerusan dijadwalkan ulang.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
