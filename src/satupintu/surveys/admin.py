"""Admin for the SKM: periods are edited (audited), opened and closed through the services;
responses are a read-only list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from satupintu.core.admin import AuditedAdminMixin, ModelAdmin, ReadOnlyAdminMixin
from satupintu.surveys import services
from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(AuditedAdminMixin, ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_open")
    list_filter = ("is_open",)
    search_fields = ("name",)
    ordering = ("-starts_on",)
    fields = ("name", "starts_on", "ends_on", "is_open")
    actions = ("open_periods", "close_periods")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Opening and closing an existing period goes through the services (the actions below).
        return ("is_open",) if obj is not None else ()

    @admin.action(description=_("Buka periode survei terpilih"))
    def open_periods(self, request: HttpRequest, queryset: QuerySet[SurveyPeriod]) -> None:
        for period in queryset:
            services.period_open(actor=request.user, period=period)

    @admin.action(description=_("Tutup periode survei terpilih"))
    def close_periods(self, request: HttpRequest, queryset: QuerySet[SurveyPeriod]) -> None:
        for period in queryset:
            services.period_close(actor=request.user, period=period)


@admin.register(SkmResponse)
class SkmResponseAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("submitted_at", "period", "unit", *ANSWER_FIELDS, "channel")
    list_filter = ("period", "channel", "gender", "age_band", "education", "occupation", "unit")
    list_select_related = ("period", "unit")
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    ordering = ("-submitted_at",)
    fields = (
        "period",
        "unit",
        "submitted_at",
        *ANSWER_FIELDS,
        "gender",
        "age_band",
        "education",
        "occupation",
        "suggestion",
        "channel",
    )
    readonly_fields = fields
