"""Admin of the audit log, and the mixins every app's admin uses: audited edits, sysadmin access.

Master data (agencies, memberships, categories, the calendar, the SLA policy) is edited here by
system administrators; every create, update and delete made through the admin is appended to the
tamper-evident audit log (core/audit.py) on the chain ``<model_name>:<pk>``, in the same
transaction as the change. The audit log itself is read-only everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from satupintu.core import audit
from satupintu.core.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    # django-stubs makes these generic; Django itself cannot subscript them at run time.
    ModelAdmin = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline

# --------------------------------------------------------------------------- audited edits

_BEFORE = "_satupintu_audit_before"


#: Whether a user holds the system-administrator role. Roles are the agencies app's (design.md
#: §5): agencies/admin.py sets this with :func:`set_sysadmin_role`; until then only superusers.
_sysadmin_role: Callable[[Any], bool] | None = None


def set_sysadmin_role(check: Callable[[Any], bool]) -> None:
    """Tell the admin who holds the system-administrator role (called by the agencies app)."""
    global _sysadmin_role  # set once, when the admin modules load
    _sysadmin_role = check


def is_sysadmin(request: HttpRequest) -> bool:
    """A superuser, or someone holding the system-administrator role (design.md §5)."""
    user: Any = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(request, "_satupintu_sysadmin", None)
    if cached is None:
        cached = _sysadmin_role is not None and _sysadmin_role(user)
        request._satupintu_sysadmin = cached  # type: ignore[attr-defined]
    return bool(cached)


class SysadminPermissionMixin:
    """Master data is the system administrators' job: their role grants the admin pages."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_sysadmin(request) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request) or super().has_delete_permission(request, obj)  # type: ignore[misc]


class AuditedAdminMixin(SysadminPermissionMixin):
    """Write every admin create/update/delete of the model (and of its inlines) to the audit log.

    ``audit_exclude`` names fields never written to the log (secrets, password hashes).
    ``audit_cascade(obj)`` returns the audited objects that a delete of ``obj`` removes too
    (``on_delete=CASCADE``), so they get their own delete entries.
    """

    audit_exclude: tuple[str, ...] = ()

    def audit_cascade(self, obj: Any) -> Iterable[models.Model]:
        return ()

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        return audit.snapshot(obj, exclude=self.audit_exclude)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:  # noqa: FBT001
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = self._snapshot(stored) if stored is not None else None
        setattr(form, _BEFORE, before)
        with transaction.atomic(savepoint=False):
            super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:  # noqa: FBT001
        # Recorded after the many-to-many fields and the inlines are saved, so ``after`` is final.
        with transaction.atomic(savepoint=False):
            super().save_related(request, form, formsets, change)  # type: ignore[misc]
            obj = form.instance
            audit.record_change(
                actor=request.user,
                obj=obj,
                before=getattr(form, _BEFORE, None),
                after=self._snapshot(obj),
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseFormSet[Any],
        change: bool,  # noqa: FBT001 (Django's signature)
    ) -> None:
        inline: Any = formset
        with transaction.atomic(savepoint=False):
            instances = inline.save(commit=False)
            for obj in inline.deleted_objects:
                self._delete_one(request, obj, inline=True)
            for obj in instances:
                before = None
                if obj.pk is not None:
                    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
                    before = audit.snapshot(stored) if stored is not None else None
                obj.save()
                audit.record_change(
                    actor=request.user, obj=obj, before=before, after=audit.snapshot(obj)
                )
            inline.save_m2m()

    def _delete_one(self, request: HttpRequest, obj: models.Model, *, inline: bool = False) -> None:
        """Delete ``obj`` (of this admin's model, or of an inline) and audit it."""
        pk = obj.pk
        before = audit.snapshot(obj) if inline else self._snapshot(obj)
        cascade = () if inline else self.audit_cascade(obj)
        cascaded = [(item, item.pk, audit.snapshot(item)) for item in cascade]
        obj.delete()
        for item, item_pk, item_before in cascaded:
            audit.record_change(
                actor=request.user, obj=item, before=item_before, after=None, object_id=item_pk
            )
        audit.record_change(actor=request.user, obj=obj, before=before, after=None, object_id=pk)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic(savepoint=False):
            self._delete_one(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # One by one (not a bulk DELETE) so each object gets its audit entry.
        with transaction.atomic(savepoint=False):
            for obj in queryset:
                self._delete_one(request, obj)


class ReadOnlyAdminMixin:
    """View-only admin: nothing can be added, changed or deleted through it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --------------------------------------------------------------------------- audit log


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "chain",
        "seq",
        "action",
        "object_type",
        "object_id",
        "actor_label",
    )
    list_filter = ("object_type", "action")
    search_fields = ("=chain", "=object_id", "actor_label")
    ordering = ("-id",)
    show_full_result_count = False
    fields = (
        "chain",
        "seq",
        "created_at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "changes",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("chain", "seq", "hash")
    search_fields = ("=chain",)
    ordering = ("chain",)
    show_full_result_count = False
    fields = ("chain", "seq", "hash", "mac")
    readonly_fields = fields
