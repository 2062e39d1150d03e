"""Admin for webhooks and messages to people.

Webhooks: endpoints (audited, system administrators only; an action rotates their
signing secrets), deliveries with their attempts (read-only, with a replay action) and the
outbox (read-only).

A new endpoint's signing secret is generated on save and shown once, on the page that follows
(rendered directly, never put in a message cookie or the session); only its encrypted form is
stored and the audit log never holds it. The rotate action shows the new secrets the same way.

Messages to people: templates (a row overrides the default in notifications/templates_default.py;
one that does not render against a sample report is refused, and the change form previews it)
and the messages sent (read-only, never their address).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from satupintu.core.admin import AuditedAdminMixin, ModelAdmin, ReadOnlyAdminMixin, TabularInline
from satupintu.core.errors import InvalidInput, SatupintuError
from satupintu.notifications import services, signing, templates_default
from satupintu.notifications.models import (
    DeliveryAttempt,
    EventType,
    Message,
    MessageTemplate,
    OutboxEvent,
    WebhookDelivery,
    WebhookEndpoint,
)

if TYPE_CHECKING:
    ModelForm = forms.ModelForm[Any]
else:
    ModelForm = forms.ModelForm

_SHOWN_ONCE = "_satupintu_new_webhook"  # request attribute for response_add


class WebhookEndpointForm(ModelForm):
    url = forms.URLField(label=_("alamat URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("jenis peristiwa"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "event_types", "agency", "is_active")

    def _checked(self, check: Any, value: Any) -> Any:
        try:
            return check(value)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_url(self) -> str:
        return str(self._checked(services.clean_url, self.cleaned_data.get("url", "")))

    def clean_event_types(self) -> list[str]:
        return list(
            self._checked(services.clean_event_types, self.cleaned_data.get("event_types", []))
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedAdminMixin, ModelAdmin):
    form = WebhookEndpointForm
    audit_exclude = services.AUDIT_EXCLUDE
    list_display = ("name", "is_active", "events", "agency", "url")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    readonly_fields = (
        "secret_rotated_at",
        "previous_secret_expires_at",
        "created_at",
        "updated_at",
    )
    actions = ("enable", "disable", "rotate_secret")

    @admin.display(description=_("jenis peristiwa"))
    def events(self, obj: WebhookEndpoint) -> str:
        labels = dict(EventType.choices)
        return ", ".join(str(labels.get(v, v)) for v in obj.event_types)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:  # noqa: FBT001
        if not change:
            secret = signing.new_secret()
            obj.secret_encrypted = services.encrypt_secret(secret)
            setattr(request, _SHOWN_ONCE, secret)
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        secret = getattr(request, _SHOWN_ONCE, None)
        if secret is None:  # pragma: no cover - every add goes through save_model
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Rahasia webhook %(name)s") % {"name": obj.name},
            "endpoint": obj,
            "secret": secret,
            "opts": self.model._meta,
            "done_url": reverse("admin:notifications_webhookendpoint_changelist"),
        }
        # The admin's views are never cached (Cache-Control: no-store), this page with them.
        return TemplateResponse(request, "admin/notifications/webhook_secret.html", context)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Any], *, active: bool) -> None:
        for endpoint in queryset:
            services.endpoint_set_active(actor=request.user, name=endpoint.name, active=active)
        self.message_user(
            request,
            ngettext("%(count)d webhook diubah.", "%(count)d webhook diubah.", queryset.count())
            % {"count": queryset.count()},
        )

    @admin.action(description=_("Aktifkan webhook terpilih"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_active(request, queryset, active=True)

    @admin.action(description=_("Nonaktifkan webhook terpilih"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(
        description=_("Ganti rahasia penanda tangan webhook terpilih"), permissions=["change"]
    )
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """New secrets with the default overlap, shown once on the page this action returns."""
        rotated = []
        for endpoint in queryset.order_by("name"):
            try:
                changed, secret = services.endpoint_rotate_secret(
                    actor=request.user, name=endpoint.name
                )
            except SatupintuError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                rotated.append((changed, secret))
        if not rotated:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Rahasia webhook diganti"),
            "rotated": rotated,
            "overlap_hours": services.DEFAULT_OVERLAP_HOURS,
            "opts": self.model._meta,
            "done_url": reverse("admin:notifications_webhookendpoint_changelist"),
        }
        # Like the page after an add: rendered directly, never stored; not cached (no-store).
        return TemplateResponse(request, "admin/notifications/webhook_secret_rotated.html", context)


class DeliveryAttemptInline(ReadOnlyAdminMixin, TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ("number", "started_at", "duration_ms", "response_status", "error", "response_body")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "id",
        "endpoint",
        "event_type",
        "tracking_number",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
        "error",
    )
    list_filter = ("status", "endpoint")
    search_fields = ("=id", "endpoint__name")
    list_select_related = ("endpoint", "event")
    ordering = ("-id",)
    show_full_result_count = False
    fields = (
        "endpoint",
        "event",
        "replay_of",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "response_status",
        "error",
    )
    readonly_fields = fields
    inlines = (DeliveryAttemptInline,)
    actions = ("replay",)

    @admin.display(description=_("jenis peristiwa"))
    def event_type(self, obj: WebhookDelivery) -> str:
        return obj.event.get_event_type_display()

    @admin.display(description=_("nomor pelacakan"))
    def tracking_number(self, obj: WebhookDelivery) -> str:
        return str(obj.event.payload.get("report", {}).get("tracking_number", ""))

    @admin.action(description=_("Kirim ulang peristiwa terpilih"))
    def replay(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = 0
        for delivery in queryset:
            try:
                services.delivery_replay(actor=request.user, delivery_id=delivery.pk)
            except SatupintuError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d pengiriman ulang dijadwalkan.",
                    "%(count)d pengiriman ulang dijadwalkan.",
                    done,
                )
                % {"count": done},
            )


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = (
        "id",
        "event_type",
        "occurred_at",
        "agency_code",
        "category_code",
        "processed_at",
    )
    list_filter = ("event_type",)
    search_fields = ("=id", "agency_code")
    ordering = ("-id",)
    show_full_result_count = False
    fields = (
        "event_type",
        "report",
        "agency",
        "previous_agency",
        "agency_code",
        "category_code",
        "occurred_at",
        "processed_at",
        "payload",
    )
    readonly_fields = fields


# --------------------------------------------------------------------------- messages to people


class MessageTemplateForm(ModelForm):
    purpose = forms.ChoiceField(
        label=_("keperluan"), choices=[(p, p) for p in templates_default.PURPOSES]
    )
    language = forms.ChoiceField(
        label=_("bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )

    class Meta:
        model = MessageTemplate
        fields = (
            "purpose",
            "channel",
            "language",
            "subject",
            "body",
            "wa_template",
            "wa_parameters",
            "is_active",
        )

    def _check(self, name: str, text: str, context: dict[str, Any]) -> str:
        try:
            return templates_default.render(text, context)
        except Exception as exc:  # noqa: BLE001 - any failure to render refuses the template
            self.add_error(
                name,
                gettext("Templat tidak dapat ditampilkan: %(error)s") % {"error": exc},
            )
            return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        context = templates_default.sample_context(str(data.get("language") or "id"))
        if data.get("subject"):
            self._check("subject", data["subject"], context)
        if data.get("body") and not self._check("body", data["body"], context).strip():
            if "body" not in self.errors:
                self.add_error("body", gettext("Templat ini menghasilkan pesan kosong."))
        parameters = data.get("wa_parameters")
        if parameters not in (None, ""):
            if not isinstance(parameters, list) or not all(
                isinstance(p, str) and p in context for p in parameters
            ):
                self.add_error(
                    "wa_parameters",
                    gettext("Tulis daftar nama isian, misalnya %(example)s.")
                    % {"example": '["tracking_number", "agency"]'},
                )
        return data


def preview_of(template: MessageTemplate) -> tuple[str, str]:
    """The template's subject and body rendered against the sample report."""
    context = templates_default.sample_context(template.language)
    subject = templates_default.render(template.subject, context) if template.subject else ""
    return subject, templates_default.render(template.body, context)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdminMixin, ModelAdmin):
    form = MessageTemplateForm
    list_display = ("purpose", "channel", "language", "is_active", "updated_at")
    list_filter = ("channel", "language", "is_active", "purpose")
    search_fields = ("purpose", "body", "subject")
    readonly_fields = ("preview", "default_text", "updated_at")
    fieldsets = (
        (None, {"fields": ("purpose", "channel", "language", "is_active")}),
        (_("Isi"), {"fields": ("subject", "body")}),
        (_("WhatsApp di luar jendela 24 jam"), {"fields": ("wa_template", "wa_parameters")}),
        (_("Pratinjau"), {"fields": ("preview", "default_text", "updated_at")}),
    )

    @admin.display(description=_("pratinjau (laporan contoh)"))
    def preview(self, obj: MessageTemplate) -> str:
        if obj is None or not obj.pk:
            return gettext("Simpan dulu untuk melihat pratinjau.")
        try:
            subject, body = preview_of(obj)
        except Exception as exc:  # noqa: BLE001 - shown to the administrator who wrote it
            return gettext("Templat tidak dapat ditampilkan: %(error)s") % {"error": exc}
        return format_html(
            '<div class="message-preview"><strong>{}</strong><pre style="white-space: pre-wrap">'
            "{}</pre></div>",
            subject,
            body,
        )

    @admin.display(description=_("teks bawaan"))
    def default_text(self, obj: MessageTemplate) -> str:
        if obj is None or not obj.purpose:
            return ""
        found = templates_default.default(obj.purpose, obj.channel, obj.language)
        return format_html(
            '<pre style="white-space: pre-wrap">{}\n\n{}</pre>', found.subject, found.body
        )


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """What was sent to whom, never where: the address stays encrypted and unshown."""

    list_display = (
        "id",
        "created_at",
        "channel",
        "purpose",
        "report",
        "user",
        "status",
        "attempts",
        "error",
    )
    list_filter = ("status", "channel", "purpose")
    search_fields = ("=id", "=report__tracking_number", "provider_id")
    list_select_related = ("report", "user")
    ordering = ("-id",)
    show_full_result_count = False
    fields = (
        "channel",
        "purpose",
        "language",
        "report",
        "user",
        "event",
        "subject",
        "body",
        "template",
        "status",
        "attempts",
        "next_attempt_at",
        "provider_id",
        "error",
        "created_at",
        "sent_at",
        "delivered_at",
    )
    readonly_fields = fields
