"""The officer's own notification settings: /petugas/profil/pemberitahuan/ (signed-in officers).

The view only parses the form, calls notifications.preferences and renders.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from satupintu.agencies.access import access_for
from satupintu.core import forms as core_forms
from satupintu.core.errors import InvalidInput
from satupintu.notifications import preferences
from satupintu.notifications.models import MessageChannel


class NotificationProfileForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Kirim pemberitahuan lewat"),
        choices=MessageChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(
        label=gettext_lazy("Nomor ponsel (WhatsApp/SMS)"),
        max_length=24,
        required=False,
        help_text=gettext_lazy("Nomor Indonesia, misalnya 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    daily_digest = forms.BooleanField(
        label=gettext_lazy("Kirim ringkasan harian lewat surel"), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Bahasa pesan"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
    )

    def clean_phone(self) -> str:
        try:
            return preferences.normalize_phone(self.cleaned_data.get("phone", ""))
        except InvalidInput as exc:
            raise forms.ValidationError(exc.fields.get("phone") or exc.message) from None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_profile(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).is_officer:
        raise PermissionDenied
    user: Any = request.user
    current = preferences.preference_of(user)
    if request.method == "POST":
        form = NotificationProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                preferences.officer_preference_set(
                    actor=user,
                    channels=data["channels"],
                    phone=data["phone"],
                    daily_digest=data["daily_digest"],
                    language=data["language"],
                )
            except InvalidInput as exc:
                core_forms.apply_error(form, exc)
            else:
                messages.success(request, _("Pengaturan pemberitahuan disimpan."))
                return redirect("desk:notification_profile")
    else:
        form = NotificationProfileForm(
            initial={
                "channels": current.channels,
                "phone": current.phone,
                "daily_digest": current.daily_digest,
                "language": current.language,
            }
        )
    status = 400 if form.errors else 200
    return render(
        request,
        "desk/notification_profile.html",
        {"form": form, "email": user.email},
        status=status,
    )
