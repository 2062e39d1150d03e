"""Admin for the PEKPPP instrument (aspects, indicators, weights: edited by system
administrators and audited), and read-only lists of worksheets and complaint indicators."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from satupintu.core.admin import (
    AuditedAdminMixin,
    ModelAdmin,
    ReadOnlyAdminMixin,
    SysadminPermissionMixin,
)
from satupintu.core.admin import TabularInline as BaseTabularInline
from satupintu.evaluation.models import (
    ComplaintSnapshot,
    PekpppAspect,
    PekpppIndicator,
    PekpppInstrument,
    PekpppWorksheet,
)

if TYPE_CHECKING:
    BaseInlineFormSet = forms.BaseInlineFormSet[Any, Any, Any]
else:
    BaseInlineFormSet = forms.BaseInlineFormSet


class HundredPercent(BaseInlineFormSet):
    """The weights of the rows kept must total exactly 100 % (domain.md §4.1)."""

    def clean(self) -> None:
        super().clean()
        total = Decimal(0)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data and not data.get("DELETE"):
                total += data.get("weight") or Decimal(0)
        if self.forms and total != 100:
            raise forms.ValidationError(
                _("Bobot harus berjumlah 100%%; sekarang %(total)s%%.") % {"total": total}
            )


class AspectInline(SysadminPermissionMixin, BaseTabularInline):
    model = PekpppAspect
    formset = HundredPercent
    extra = 0
    fields = ("position", "code", "name", "weight")
    show_change_link = True


class IndicatorInline(SysadminPermissionMixin, BaseTabularInline):
    model = PekpppIndicator
    formset = HundredPercent
    extra = 0
    fields = ("position", "code", "name", "weight", "prefill", "rubric")


@admin.register(PekpppInstrument)
class InstrumentAdmin(AuditedAdminMixin, ModelAdmin):
    list_display = ("name", "code", "is_active", "created_at")
    fields = ("code", "name", "source", "is_active")
    inlines = (AspectInline,)


@admin.register(PekpppAspect)
class AspectAdmin(AuditedAdminMixin, ModelAdmin):
    list_display = ("code", "name", "weight", "instrument")
    list_filter = ("instrument",)
    list_select_related = ("instrument",)
    fields = ("instrument", "position", "code", "name", "weight")
    inlines = (IndicatorInline,)


@admin.register(PekpppWorksheet)
class WorksheetAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("unit", "year", "instrument", "updated_at", "updated_by")
    list_filter = ("year", "instrument")
    list_select_related = ("unit", "instrument", "updated_by")
    fields = ("unit", "year", "instrument", "version", "updated_at", "updated_by")
    readonly_fields = fields


@admin.register(ComplaintSnapshot)
class ComplaintSnapshotAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "year",
        "agency",
        "hops",
        "followup_on_time",
        "followup_due",
        "overdue",
        "wrong_door",
        "computed_at",
    )
    list_filter = ("year",)
    list_select_related = ("agency",)
    show_full_result_count = False
