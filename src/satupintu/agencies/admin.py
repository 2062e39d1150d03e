"""Admin for the agency tree, users and their memberships, regions (read-only) and the calendar.

Every change made here is written to the audit log (core.admin.AuditedAdminMixin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from satupintu.agencies.models import Agency, CalendarDay, Membership, Region, Role
from satupintu.core.admin import (
    AuditedAdminMixin,
    ModelAdmin,
    ReadOnlyAdminMixin,
    SysadminPermissionMixin,
    TabularInline,
    set_sysadmin_role,
)
from satupintu.core.models import User
from satupintu.domain.workdays import default_calendar

if TYPE_CHECKING:
    ModelForm = forms.ModelForm[Any]
    BaseUserAdmin = DjangoUserAdmin[User]
else:
    ModelForm = forms.ModelForm
    BaseUserAdmin = DjangoUserAdmin

# --------------------------------------------------------------------------- regions


@admin.register(Region)
class RegionAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Kepmendagri region codes, loaded from the bundled data file: not edited by hand."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)
    show_full_result_count = False
    fields = ("code", "name", "level", "parent")
    readonly_fields = fields


# --------------------------------------------------------------------------- agencies


class AgencyForm(ModelForm):
    open311_url = forms.URLField(
        label=capfirst(Agency._meta.get_field("open311_url").verbose_name),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=Agency._meta.get_field("open311_url").help_text,
    )
    #: Write-only: the stored key is never shown again; leave empty to keep it.
    open311_key = forms.CharField(
        label=_("Kunci API Open311"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Kunci yang diterbitkan server instansi itu untuk kita; disimpan terenkripsi. "
            "Kosongkan untuk mempertahankan kunci yang tersimpan."
        ),
    )
    open311_key_clear = forms.BooleanField(label=_("Hapus kunci API Open311"), required=False)

    class Meta:
        model = Agency
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "external_type",
            "parent",
            "region",
            "email",
            "phone",
            "is_active",
            "open311_url",
            "open311_jurisdiction",
            "open311_service_code",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("open311_url") and data.get("kind") != Agency.Kind.EXTERNAL:
            self.add_error(
                "open311_url", gettext("Hanya instansi eksternal yang memakai server Open311.")
            )
        if data.get("open311_url") and not data.get("open311_service_code"):
            self.add_error(
                "open311_service_code",
                gettext("Isi kode layanan tempat laporan terusan dicatat di server itu."),
            )
        return data

    def save(self, commit: bool = True) -> Agency:  # noqa: FBT001, FBT002 - Django's signature
        from satupintu.core import crypto

        agency: Agency = super().save(commit=False)
        if self.cleaned_data.get("open311_key_clear"):
            agency.open311_key_encrypted = ""
        elif self.cleaned_data.get("open311_key"):
            agency.open311_key_encrypted = crypto.encrypt_text(self.cleaned_data["open311_key"])
        if commit:
            agency.save()
        return agency

    def clean_parent(self) -> Agency | None:
        parent: Agency | None = self.cleaned_data.get("parent")
        own = self.instance.pk
        if parent is None or own is None:
            return parent
        seen: set[int] = set()
        node: Agency | None = parent
        while node is not None and node.pk not in seen:
            if node.pk == own:
                message = gettext("Induk tidak boleh instansi ini atau instansi bawahannya.")
                raise forms.ValidationError(message)
            seen.add(node.pk)
            node = node.parent
        return parent


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, ModelAdmin):
    form = AgencyForm
    list_display = ("name", "code", "short_name", "kind", "external_type", "hierarchy", "is_active")
    list_filter = ("kind", "external_type", "is_active")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent", "parent__parent")
    autocomplete_fields = ("parent", "region")
    readonly_fields = ("children_list", "open311_key_state")
    # The key is a secret: the audit log records that it changed, never the key.
    audit_exclude = ("open311_key_encrypted",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "external_type")}),
        (_("Kedudukan"), {"fields": ("parent", "region", "children_list")}),
        (_("Kontak"), {"fields": ("email", "phone", "is_active")}),
        (
            _("Federasi Open311 (instansi eksternal)"),
            {
                "fields": (
                    "open311_url",
                    "open311_jurisdiction",
                    "open311_service_code",
                    "open311_key",
                    "open311_key_clear",
                    "open311_key_state",
                ),
                "description": _(
                    "Laporan yang diteruskan ke instansi ini dicatat di server Open311-nya, "
                    "dan jawabannya masuk ke riwayat laporan (docs/open311.md)."
                ),
            },
        ),
    )

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        import hashlib

        data = super()._snapshot(obj)
        stored = getattr(obj, "open311_key_encrypted", "")
        # A digest of the ciphertext: a new key shows as a change, the key itself never does.
        data["open311_key"] = hashlib.sha256(stored.encode()).hexdigest()[:12] if stored else ""
        return data

    @admin.display(description=_("kunci API tersimpan"))
    def open311_key_state(self, obj: Agency) -> str:
        return gettext("ya") if obj.open311_key_encrypted else gettext("tidak")

    @admin.display(description=_("instansi bawahan"))
    def children_list(self, obj: Agency) -> str:
        if obj.pk is None:
            return "—"
        children = obj.children.order_by("name")
        if not children:
            return "—"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}">{}</a>',
            (
                (reverse("admin:agencies_agency_change", args=(child.pk,)), child.name)
                for child in children
            ),
        )

    @admin.display(description=_("induk"), ordering="parent__name")
    def hierarchy(self, obj: Agency) -> str:
        names: list[str] = []
        node = obj.parent
        while node is not None and len(names) < 3:
            names.append(str(node))
            node = node.parent
        return " › ".join(reversed(names)) or "—"

    def audit_cascade(self, obj: Any) -> Iterable[models.Model]:
        return list(obj.memberships.all())


# --------------------------------------------------------------------------- memberships


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, ModelAdmin):
    list_display = ("user", "agency", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "agency__kind")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__nip",
        "agency__code",
        "agency__name",
    )
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    readonly_fields = ("created_at",)


# --------------------------------------------------------------------------- users and their roles


class MembershipInline(SysadminPermissionMixin, TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("agency", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("agency",)
    verbose_name = _("keanggotaan")
    verbose_name_plural = _("keanggotaan (peran di instansi)")


def _holds_sysadmin_role(user: Any) -> bool:
    return Membership.objects.filter(
        user_id=user.pk, role=Role.SYSADMIN, is_active=True, agency__is_active=True
    ).exists()


set_sysadmin_role(_holds_sysadmin_role)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Officers and administrators, with the roles they hold in which agency (memberships)."""

    audit_exclude = ("password", "last_login")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Kepegawaian"), {"fields": ("nip", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Data pribadi dan kepegawaian"),
            {"fields": ("first_name", "last_name", "email", "nip", "phone")},
        ),
    )
    list_display = ("username", "first_name", "last_name", "nip", "email", "is_staff", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "nip")
    inlines = (MembershipInline,)

    def audit_cascade(self, obj: Any) -> Iterable[models.Model]:
        return list(obj.memberships.all())


# --------------------------------------------------------------------------- calendar


class CalendarDayForm(ModelForm):
    """A row must change something: a local holiday on a working day, or a working day on a
    date the national calendar (or the weekend) would close (domain.md §7)."""

    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name", "decree")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day = cleaned.get("date")
        kind = cleaned.get("kind")
        if day is None or not kind:
            return cleaned
        national = default_calendar()
        shown = day.strftime("%d-%m-%Y")
        if kind == CalendarDay.Kind.WORKDAY and national.is_working_day(day):
            self.add_error(
                "kind",
                gettext(
                    "%(date)s sudah hari kerja menurut kalender nasional. Baris “hari kerja” "
                    "hanya untuk koreksi: hari libur atau cuti bersama yang dibatalkan, atau "
                    "akhir pekan yang dijadikan hari kerja."
                )
                % {"date": shown},
            )
        elif kind == CalendarDay.Kind.HOLIDAY:
            national_holidays = {h.day: h.name for h in national.holidays_in(day.year)}
            if day in national_holidays:
                self.add_error(
                    "date",
                    gettext("%(date)s sudah hari libur nasional atau cuti bersama: %(name)s.")
                    % {"date": shown, "name": national_holidays[day]},
                )
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "decree", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "decree")
    date_hierarchy = "date"
    ordering = ("-date",)
    readonly_fields = ("updated_at",)

    @admin.display(description=_("hari"))
    def weekday(self, obj: CalendarDay) -> str:
        names = [
            _("Senin"),
            _("Selasa"),
            _("Rabu"),
            _("Kamis"),
            _("Jumat"),
            _("Sabtu"),
            _("Minggu"),
        ]
        return str(names[obj.date.weekday()])
