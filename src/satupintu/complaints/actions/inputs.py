"""What every door hands the actions, checked once (complaints/actions): text, coordinates,
the agency, category and report type named by code or id, the reporter's contact.

Messages are Indonesian msgids translated when raised (``gettext``), so they follow the language
of the request that caused them; the error ``code`` never changes with the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from satupintu.agencies.models import Agency, Region
from satupintu.complaints.models import (
    Category,
    CategoryAttribute,
    ReportTypeChoices,
    StatusChoices,
)
from satupintu.core.errors import InvalidInput
from satupintu.core.memo import RefreshedMap
from satupintu.domain.lifecycle import Action, Status

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TITLE_MAX = 200
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 10_000
BODY_MAX = 10_000


@dataclass(frozen=True)
class Contact:
    """A reporter's identity and contact details; stored encrypted (core/crypto.py)."""

    name: str = ""
    email: str = ""
    phone: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)


# --------------------------------------------------------------------------- messages

#: How each input is named in a message; marked for makemessages, translated when raised.
FIELD_LABELS = {
    "title": gettext_noop("Judul laporan"),
    "description": gettext_noop("Isi laporan"),
    "name": gettext_noop("Nama"),
    "email": gettext_noop("Surel"),
    "phone": gettext_noop("Nomor telepon"),
    "address": gettext_noop("Alamat"),
    "latitude": gettext_noop("Garis lintang"),
    "longitude": gettext_noop("Garis bujur"),
    "body": gettext_noop("Isi"),
    "message": gettext_noop("Pesan untuk pelapor"),
    "reason": gettext_noop("Alasan"),
    "answer": gettext_noop("Jawaban"),
    "instruction": gettext_noop("Instruksi"),
    "comment": gettext_noop("Komentar"),
    "purpose": gettext_noop("Keperluan"),
    "external_ref": gettext_noop("Rujukan kanal asal"),
}

#: What each action does to a report, as a passive verb that completes "Laporan berstatus ...
#: tidak dapat ..."; the context "report action" keeps these short words apart from the same
#: words elsewhere in the catalogue (xgettext needs it written out in every call).
ACTION_LABELS: dict[Action, _StrPromise] = {
    Action.RECEIVE: pgettext_lazy("report action", "diterima"),
    Action.HOLD: pgettext_lazy("report action", "ditunda"),
    Action.ARCHIVE: pgettext_lazy("report action", "diarsipkan"),
    Action.HOLD_EXPIRE: pgettext_lazy("report action", "diarsipkan karena batas tunda lewat"),
    Action.DISPATCH: pgettext_lazy("report action", "didisposisikan"),
    Action.ACCEPT: pgettext_lazy("report action", "diterima oleh instansi"),
    Action.FOLLOW_UP: pgettext_lazy("report action", "ditindaklanjuti"),
    Action.FORWARD: pgettext_lazy("report action", "diteruskan ke instansi lain"),
    Action.RETURN: pgettext_lazy("report action", "dikembalikan sebagai bukan wewenang"),
    Action.NOTE: pgettext_lazy("report action", "diberi catatan internal"),
    Action.PUBLIC_REPLY: pgettext_lazy("report action", "diberi tanggapan"),
    Action.RESOLVE: pgettext_lazy("report action", "diselesaikan"),
    Action.REPORTER_REPLY: pgettext_lazy("report action", "ditanggapi pelapor"),
    Action.CONFIRM: pgettext_lazy("report action", "dikonfirmasi selesai"),
    Action.APPEAL: pgettext_lazy("report action", "diajukan banding"),
    Action.AUTO_CLOSE: pgettext_lazy("report action", "ditutup otomatis"),
    Action.ESCALATE: pgettext_lazy("report action", "dieskalasi"),
    Action.SET_PRIVACY: pgettext_lazy("report action", "diubah pengaturan privasinya"),
    Action.ASSIGN: pgettext_lazy("report action", "ditugaskan kepada petugas"),
    Action.ATTACH: pgettext_lazy("report action", "diberi lampiran"),
    Action.REMOTE_UPDATE: pgettext_lazy("report action", "diberi kabar oleh instansi tujuan"),
}


def field_label(field: str) -> str:
    """The name of an input in the active language (the key itself when it has none)."""
    label = FIELD_LABELS.get(field)
    return _(label) if label else field


def action_label(action: Action) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label else action.value.replace("_", " ")


def status_label(status: Status | str) -> str:
    """A status as written inside a sentence ("diterima"), in the active language."""
    try:
        return str(StatusChoices(Status(status).value).label).lower()
    except ValueError:
        return str(status)


# --------------------------------------------------------------------------- helpers


def clean_text(
    value: str | None, field: str, *, required: bool = True, max_len: int = BODY_MAX
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            _("%(field)s wajib diisi.") % {"field": field_label(field)},
            fields={field: _("Wajib diisi.")},
        )
    if "\x00" in text:  # no database column can store it
        raise InvalidInput(
            _("%(field)s tidak boleh berisi karakter NUL.") % {"field": field_label(field)},
            fields={field: _("Tidak boleh berisi karakter NUL.")},
        )
    if len(text) > max_len:
        raise InvalidInput(
            _("%(field)s terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
            % {"field": field_label(field), "length": len(text), "max": max_len},
            fields={field: _("Paling banyak %(max)s karakter.") % {"max": max_len}},
        )
    return text


def clean_coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(
            _("%(field)s harus berupa angka.") % {"field": field_label(field)},
            fields={field: _("Harus berupa angka.")},
        ) from None
    if not number.is_finite() or not -limit <= number <= limit:
        values = {"field": field_label(field), "limit": limit}
        raise InvalidInput(
            _("%(field)s harus di antara -%(limit)s dan %(limit)s.") % values,
            fields={field: _("Antara -%(limit)s dan %(limit)s.") % values},
        )
    return number.quantize(Decimal("0.000001"))


def active_agency(agency: Agency | int | str, field: str = "agency") -> Agency:
    if isinstance(agency, Agency):
        found = agency
    else:
        lookup: dict[str, int | str] = (
            {"pk": agency} if isinstance(agency, int) else {"code": agency}
        )
        found_or_none = Agency.objects.filter(**lookup).first()
        if found_or_none is None:
            raise InvalidInput(
                _('Instansi "%(agency)s" tidak dikenal.') % {"agency": agency},
                fields={field: _("Instansi tidak dikenal.")},
            )
        found = found_or_none
    if not found.is_active:
        raise InvalidInput(
            _("Instansi %(agency)s sudah tidak aktif.") % {"agency": found},
            fields={field: _("Instansi tidak aktif.")},
        )
    return found


def _load_category(key: tuple[str, int | str]) -> Category | None:
    field, value = key
    found = Category.objects.filter(**{field: value}).select_related("default_agency").first()
    if found is not None:
        found.attribute_specs = tuple(  # type: ignore[attr-defined]
            attribute.spec()
            for attribute in CategoryAttribute.objects.filter(category=found, is_active=True)
        )
    return found


#: Categories by code or id, with their questions: read on nearly every new report.
_categories: RefreshedMap[tuple[str, int | str], Category] = RefreshedMap(_load_category)
_categories.watch(Category, CategoryAttribute, Agency)


def _village(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


villages: RefreshedMap[str, Region] = RefreshedMap(_village)
villages.watch(Region)


def active_category(category: Category | int | str | None) -> Category | None:
    if category is None or category == "":
        return None
    if isinstance(category, Category):
        found: Category | None = category
    else:
        found = _categories.get(
            ("pk", category) if isinstance(category, int) else ("code", category)
        )
    if found is None:
        raise InvalidInput(
            _('Kategori "%(category)s" tidak dikenal.') % {"category": category},
            fields={"category": _("Kategori tidak dikenal.")},
        )
    if not found.is_active:
        raise InvalidInput(
            _("Kategori %(category)s sudah tidak aktif.") % {"category": found},
            fields={"category": _("Kategori tidak aktif.")},
        )
    return found


REPORT_TYPES = frozenset(ReportTypeChoices.values)


def clean_report_type(value: str, field: str = "report_type") -> str:
    if value not in REPORT_TYPES:
        allowed = ", ".join(ReportTypeChoices.values)
        raise InvalidInput(
            _('Jenis laporan "%(value)s" tidak dikenal; pilih salah satu dari: %(allowed)s.')
            % {"value": value, "allowed": allowed},
            fields={field: _("Jenis laporan tidak dikenal.")},
        )
    return value


def clean_email(value: str | None, field: str = "email") -> str:
    """An e-mail address as every door accepts it (the portal's form uses the same validator),
    or the empty string."""
    email = clean_text(value, field, required=False, max_len=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("%(field)s bukan alamat surel yang sah: %(value)s")
                % {"field": field_label(field), "value": email},
                fields={field: _("Masukkan alamat surel yang sah.")},
            ) from None
    return email


def clean_contact(contact: Contact | None) -> Contact:
    contact = contact or Contact()
    return Contact(
        name=clean_text(contact.name, "name", required=False, max_len=150),
        email=clean_email(contact.email),
        phone=clean_text(contact.phone, "phone", required=False, max_len=32),
    )
