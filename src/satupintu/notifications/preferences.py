"""An officer's own notification settings (the desk's profile page): which channels remind
them (e-mail, WhatsApp, SMS), the number for WhatsApp/SMS, the daily digest, the language."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.core import audit
from satupintu.core.errors import InvalidInput
from satupintu.core.models import User
from satupintu.notifications.models import MessageChannel, OfficerPreference

LANGUAGES = ("id", "en")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str:
    """An Indonesian mobile number as +62…: accepts 08…, 628… and +628…, with spaces,
    dashes, dots or brackets; 9 to 12 digits after the 62 and the 8 first (Kominfo's
    numbering for cellular). Raises InvalidInput otherwise; "" stays ""."""
    text = _SEPARATORS.sub("", (raw or "").strip())
    if not text:
        return ""
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("0"):
        text = "62" + text[1:]
    if not (text.isdigit() and text.startswith("628") and 9 <= len(text) - 2 <= 12):
        raise InvalidInput(
            _("Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890 atau +62 812 3456 7890."),
            fields={"phone": _("Nomor ponsel Indonesia tidak valid.")},
        )
    return "+" + text


def preference_of(user: User) -> OfficerPreference:
    """The stored settings, or the defaults (e-mail, daily digest on) unsaved."""
    found = OfficerPreference.objects.filter(user=user).first()
    return found or OfficerPreference(user=user, channels=[MessageChannel.EMAIL.value])


def officer_preference_set(
    *,
    actor: User,
    channels: Iterable[str],
    phone: str = "",
    daily_digest: bool = True,
    language: str = "id",
) -> OfficerPreference:
    """Save the signed-in officer's own settings (audited)."""
    chosen = [c for c in MessageChannel.values if c in set(channels)]
    unknown = set(channels) - set(MessageChannel.values)
    if unknown:
        raise InvalidInput(
            _("Kanal tidak dikenal."), fields={"channels": _("Pilih dari daftar kanal.")}
        )
    number = normalize_phone(phone)
    needs_phone = [c for c in chosen if c != MessageChannel.EMAIL]
    if needs_phone and not number:
        raise InvalidInput(
            _("WhatsApp dan SMS memerlukan nomor ponsel."),
            fields={"phone": _("Isi nomor ponsel untuk WhatsApp atau SMS.")},
        )
    if MessageChannel.EMAIL in chosen and not actor.email:
        raise InvalidInput(
            _("Akun Anda belum memiliki alamat surel; minta administrator mengisinya."),
            fields={"channels": _("Akun Anda belum memiliki alamat surel.")},
        )
    if language not in LANGUAGES:
        language = "id"
    with transaction.atomic():
        preference = OfficerPreference.objects.select_for_update().filter(user=actor).first()
        before = (
            {
                "channels": preference.channels,
                "phone": "set" if preference.phone else "",
                "daily_digest": preference.daily_digest,
                "language": preference.language,
            }
            if preference
            else {}
        )
        if preference is None:
            preference = OfficerPreference(user=actor)
        preference.channels = chosen
        preference.phone = number
        preference.daily_digest = bool(daily_digest)
        preference.language = language
        preference.save()
        audit.record(
            chain=f"officerpreference:{actor.pk}",
            actor=actor,
            action="update" if before else "create",
            object_type="officerpreference",
            object_id=actor.pk,
            before=before,
            after={
                "channels": chosen,
                "phone": "set" if number else "",
                "daily_digest": preference.daily_digest,
                "language": language,
            },
        )
    return preference
