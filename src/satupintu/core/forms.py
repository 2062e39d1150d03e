"""What every officer-facing form shares: a service's refusal shown on the form, and a file field
that takes several files.

The services decide and raise core.errors; :func:`apply_error` puts the refusal next to the field
it names (or above the form), :func:`error_message` says it in one sentence for a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import (
    InvalidInput,
    InvalidTransition,
    NotPermitted,
    SatupintuError,
    StaleReport,
    WindowClosed,
)

STALE_MESSAGE = _(
    "Laporan ini telah diubah oleh orang lain sejak halaman ini dimuat, sehingga perubahan Anda "
    "tidak disimpan. Muat ulang halaman, periksa perubahannya, lalu coba lagi."
)
TRANSITION_MESSAGE = _(
    "Tindakan ini tidak dapat dilakukan pada status laporan saat ini. Muat ulang halaman untuk "
    "melihat statusnya."
)
FORBIDDEN_MESSAGE = _("Anda tidak berwenang melakukan tindakan ini pada laporan ini.")
INVALID_MESSAGE = _("Periksa kembali isian yang ditandai.")
WINDOW_MESSAGE = _("Batas waktu untuk tindakan ini sudah lewat.")


def error_message(exc: SatupintuError) -> str:
    """One sentence for a refused action, for a message or the top of a form.

    The services' messages are user-facing Indonesian msgids translated when raised
    (core/errors.py); a report changed meanwhile gets the advice to reload.
    """
    if isinstance(exc, StaleReport):
        return str(STALE_MESSAGE)
    if exc.message:
        return str(exc.message)
    if isinstance(exc, WindowClosed):
        return str(WINDOW_MESSAGE)
    if isinstance(exc, InvalidTransition):
        return str(TRANSITION_MESSAGE)
    if isinstance(exc, NotPermitted):
        return str(FORBIDDEN_MESSAGE)
    return str(INVALID_MESSAGE)


def error_field(form: forms.Form, name: str) -> str | None:
    """The field of ``form`` that a service error names, or None when it has none. A form whose
    fields are not named as the service's arguments maps the name in ``service_field(name)``
    (complaints.forms.QuestionsMixin: ``attributes.<code>`` is a question's field)."""
    own = getattr(form, "service_field", None)
    if own is not None:
        name = own(name)
    return name if name in form.fields else None


def apply_error(form: forms.Form, exc: SatupintuError) -> None:
    """Put a service's refusal on the form: next to the field when it names one."""
    placed = False
    if isinstance(exc, InvalidInput):
        for name, text in exc.fields.items():
            field = error_field(form, name)
            if field is not None:
                form.add_error(field, str(text) or error_message(exc))
                placed = True
    if not placed:
        form.add_error(None, error_message(exc))


# --------------------------------------------------------------------------- fields


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
