"""API keys in the admin: listed for system administrators, revoked with an action.

Keys are created with ``satupintu apikey create`` (the key is printed once); the admin never
shows a key or its hash.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from satupintu.api import keys
from satupintu.api.models import ApiKey
from satupintu.core.admin import ModelAdmin, is_sysadmin


@admin.register(ApiKey)
class ApiKeyAdmin(ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "agency",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "description", "prefix")
    fields = (
        "name",
        "description",
        "prefix",
        "agency",
        "scopes",
        "rate_limit",
        "user",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ("revoke",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Cabut kunci API terpilih"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        names = list(queryset.filter(revoked_at__isnull=True).values_list("name", flat=True))
        for name in names:
            keys.apikey_revoke(actor=request.user, name=name)
        count = len(names)
        self.message_user(
            request,
            ngettext("%(count)s kunci dicabut.", "%(count)s kunci dicabut.", count)
            % {"count": count},
            messages.SUCCESS,
        )
