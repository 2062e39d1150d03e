"""Admin for complaint master data (categories, the SLA policy) and a read-only view of reports.

Reports change only through ``complaints.actions`` (one door per change, with a timeline event
and an audit entry), so the admin shows them read-only. The reporter's encrypted contact, its
blind index and the secret hash are never shown here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from satupintu.agencies.access import access_for
from satupintu.complaints.models import (
    Category,
    CategoryAttribute,
    Disposition,
    Report,
    ReportEvent,
    SlaPolicy,
)
from satupintu.core.admin import (
    AuditedAdminMixin,
    ModelAdmin,
    ReadOnlyAdminMixin,
    SysadminPermissionMixin,
    TabularInline,
)

# --------------------------------------------------------------------------- master data


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdminMixin, ModelAdmin):
    """One row per Pemda; without a row the defaults of domain.md §1.6 apply."""

    list_display = (
        "__str__",
        "verify_days",
        "followup_days",
        "autoclose_days",
        "complaint_days",
        "updated_at",
    )
    readonly_fields = ("updated_at",)
    fieldsets = (
        (
            _("Tahapan (hari kerja)"),
            {
                "fields": (
                    "verify_days",
                    "followup_days",
                    "autoclose_days",
                    "hold_days",
                    "appeal_days",
                )
            },
        ),
        (
            _("Penyelesaian menurut jenis laporan (hari kerja)"),
            {
                "fields": (
                    "aspiration_days",
                    "information_days",
                    "complaint_days",
                    "supervisory_complaint_days",
                )
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A singleton: once the row exists it is edited, never duplicated.
        return super().has_add_permission(request) and not SlaPolicy.objects.exists()


class CategoryAttributeInline(SysadminPermissionMixin, TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = (
        "order",
        "code",
        "label",
        "help_text",
        "datatype",
        "required",
        "variable",
        "values",
        "is_active",
    )


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, ModelAdmin):
    inlines = (CategoryAttributeInline,)
    list_display = ("name", "code", "default_agency", "report_type", "completion_days", "is_active")
    list_filter = ("is_active", "report_type", "default_agency__kind")
    search_fields = ("code", "name", "default_agency__name", "default_agency__code")
    list_select_related = ("default_agency",)
    autocomplete_fields = ("default_agency",)


# --------------------------------------------------------------------------- reports (read-only)


class DispositionInline(ReadOnlyAdminMixin, TabularInline):
    model = Disposition
    extra = 0
    fields = (
        "seq",
        "kind",
        "from_agency",
        "to_agency",
        "by",
        "created_at",
        "reason",
        "followup_due",
        "complete_due",
        "accepted_at",
        "ended_at",
        "outcome",
        "outcome_reason",
    )
    readonly_fields = fields
    ordering = ("seq",)


class ReportEventInline(ReadOnlyAdminMixin, TabularInline):
    model = ReportEvent
    extra = 0
    fields = ("created_at", "kind", "actor", "agency", "is_public", "body", "data")
    readonly_fields = fields
    ordering = ("created_at", "pk")


#: Everything shown about a report. Never add contact_encrypted, contact_index or secret_hash.
REPORT_FIELDSETS: Any = (
    (
        None,
        {
            "fields": (
                "tracking_number",
                "status",
                "report_type",
                "category",
                "channel",
                "title",
                "description",
                "is_anonymous",
                "is_confidential",
            )
        },
    ),
    (
        _("Lokasi"),
        {"fields": ("region", "address", "latitude", "longitude", "incident_date")},
    ),
    (
        _("Penanganan"),
        {
            "fields": (
                "received_at",
                "received_by",
                "external_ref",
                "current_agency",
                "dispatched_at",
                "first_followup_at",
                "resolved_at",
                "closed_at",
                "hop_count",
                "appeal_count",
            )
        },
    ),
    (
        _("Tenggat (hari kerja)"),
        {
            "fields": (
                "next_due",
                "verify_due",
                "hold_due",
                "followup_due",
                "complete_due",
                "autoclose_due",
                "appeal_until",
                "escalated_due",
                "escalation_level",
            )
        },
    ),
    (_("Penilaian"), {"fields": ("rating", "rating_comment")}),
    (None, {"fields": ("version", "updated_at")}),
)
_REPORT_FIELDS = tuple(name for _title, opts in REPORT_FIELDSETS for name in opts["fields"])
HIDDEN_REPORT_FIELDS = frozenset({"contact_encrypted", "contact_index", "secret_hash"})


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Read-only: state changes go through complaints.actions only."""

    list_display = (
        "tracking_number",
        "title",
        "status",
        "report_type",
        "channel",
        "current_agency",
        "received_at",
        "next_due",
    )
    list_filter = ("status", "channel", "report_type", "current_agency")
    search_fields = ("tracking_number", "title")
    list_select_related = ("current_agency",)
    ordering = ("-received_at",)
    show_full_result_count = False
    fieldsets = REPORT_FIELDSETS
    readonly_fields = _REPORT_FIELDS
    inlines = (DispositionInline, ReportEventInline)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Keep the secrets out of memory too, not only out of the page.
        return super().get_queryset(request).defer(*sorted(HIDDEN_REPORT_FIELDS))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Confidential reports and internal notes: system administrators only (design.md §4);
        # officers work reports through the desk, which applies the agency policy.
        return access_for(request.user).sysadmin

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access_for(request.user).sysadmin
