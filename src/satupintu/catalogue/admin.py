"""The service catalogue in the admin: read-only lists. Services are edited in the desk
(/petugas/standar-pelayanan/), where the service functions keep the audit log."""

from __future__ import annotations

from django.contrib import admin

from satupintu.catalogue.models import Service, UnitProfile
from satupintu.core.admin import ModelAdmin, ReadOnlyAdminMixin


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("name", "unit", "is_published", "filled_count", "updated_at")
    list_filter = ("is_published", "is_active")
    list_select_related = ("unit",)
    search_fields = ("name", "unit__name")


@admin.register(UnitProfile)
class UnitProfileAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("unit", "updated_at")
    list_select_related = ("unit",)
