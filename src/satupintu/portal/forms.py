"""Portal forms: they parse what a citizen typed (types, required, lengths); every rule about
reports is the service's (complaints/actions/), whose errors are put back next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from satupintu.complaints import services
from satupintu.complaints.forms import QuestionsMixin, questions_select
from satupintu.complaints.models import CategoryAttribute, ReportTypeChoices
from satupintu.core.errors import SatupintuError
from satupintu.core.forms import error_field
from satupintu.core.widgets import htmx_select
from satupintu.portal.selectors import District

ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"

#: The three report classes a citizen chooses from (domain.md §1.3); whether a complaint is
#: "berkadar pengawasan" is decided by the verifier.
CITIZEN_REPORT_TYPES = [
    ReportTypeChoices.COMPLAINT,
    ReportTypeChoices.ASPIRATION,
    ReportTypeChoices.INFORMATION,
]


class PortalForm(forms.Form):
    """Labels without Django's trailing colon (the portal's labels sit above their fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
            if self.required and not files:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return files
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


def attachment_help() -> str:
    max_files = settings.ATTACHMENT_MAX_FILES
    max_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return gettext(
        "Foto (JPEG, PNG) atau dokumen PDF, paling banyak %(files)d berkas, masing-masing paling "
        "besar %(mb)d MB. Data tersembunyi di foto (misalnya lokasi GPS dan merek kamera) "
        "dihapus otomatis."
    ) % {"files": max_files, "mb": max_mb}


def apply_service_error(form: forms.Form, error: SatupintuError) -> None:
    """Put a service's InvalidInput next to the fields it names (the rest above the form)."""
    unplaced = not error.fields
    for name, message in error.fields.items():
        # The service's messages are plain strings; gettext finds them once they are in the
        # catalogue, and shows them as they are until then.
        text = gettext(message) if message else gettext("Periksa isian ini.")
        field = error_field(form, name)
        if field is not None:
            form.add_error(field, text)
        else:
            unplaced = True
    if unplaced:
        form.add_error(None, gettext(error.message))


class ReportForm(QuestionsMixin, PortalForm):
    required_css_class = "required"

    report_type = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=[(c.value, c.label) for c in CITIZEN_REPORT_TYPES],
        initial=ReportTypeChoices.COMPLAINT.value,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        help_text=_("Tidak yakin? Biarkan kosong; petugas verifikasi akan memilihkannya."),
        widget=questions_select("portal:questions"),
    )
    title = forms.CharField(
        label=_("Judul laporan"),
        max_length=services.TITLE_MAX,
        help_text=_("Singkat dan jelas, misalnya “Lampu jalan mati di Jl. Melati”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Isi laporan"),
        min_length=services.DESCRIPTION_MIN,
        max_length=services.DESCRIPTION_MAX,
        help_text=_(
            "Ceritakan apa yang terjadi, sejak kapan, dan apa akibatnya. Jangan menuliskan data "
            "pribadi orang lain (misalnya NIK atau nomor telepon)."
        ),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Alamat atau patokan lokasi"),
        required=False,
        help_text=_("Nama jalan, nomor rumah, RT/RW, atau bangunan terdekat."),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    kecamatan = forms.ChoiceField(
        label=_("Kecamatan"),
        required=False,
        # With htmx the kelurahan list narrows to the chosen kecamatan; without it, the
        # kelurahan list shows every kelurahan grouped by kecamatan.
        widget=htmx_select("portal:villages", "#id_region_code", {"hx-include": "#id_region_code"}),
    )
    region_code = forms.ChoiceField(
        label=_("Kelurahan/desa"),
        required=False,
        help_text=_("Pilih kecamatan dulu agar daftarnya lebih pendek."),
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        help_text=_("Tidak wajib. Kosongkan bila tidak ingat."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attachments = MultipleFileField(label=_("Lampiran"), required=False)
    name = forms.CharField(
        label=_("Nama"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Surel (e-mail)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    is_anonymous = forms.BooleanField(label=_("Anonim"), required=False)
    is_confidential = forms.BooleanField(label=_("Rahasia"), required=False)
    # Honeypot: hidden from people (and from screen readers); bots fill every field.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[str, list[Any]]],
        districts: list[District],
        questions: list[CategoryAttribute] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help()
        # The questions of the category chosen (with htmx they are loaded at once; without
        # JavaScript they appear when the form comes back).
        self.add_questions(questions or [])
        empty = ("", gettext("— Belum tahu —"))
        category_field: Any = self.fields["category"]
        category_field.choices = [empty] + [
            (topic or gettext("Lainnya"), [(c.code, c.name) for c in items])
            for topic, items in categories
        ]
        district_field: Any = self.fields["kecamatan"]
        district_field.choices = [("", gettext("— Pilih kecamatan —"))] + [
            (d.code, d.name) for d in districts
        ]
        village_field: Any = self.fields["region_code"]
        village_field.choices = [("", gettext("— Pilih kelurahan/desa —"))] + [
            (d.name, d.villages) for d in districts
        ]

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(
                gettext("Formulir ini tidak dapat diproses."), code="honeypot"
            )
        return value

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        files: list[UploadedFile] = data.get("attachments") or []
        return {
            "report_type": data["report_type"],
            "category": data.get("category") or None,
            "title": data["title"],
            "description": data["description"],
            "latitude": data.get("latitude") or None,
            "longitude": data.get("longitude") or None,
            "address": data.get("address", ""),
            "region_code": data.get("region_code") or None,
            "incident_date": data.get("incident_date"),
            "attributes": self.answers(),
            "attachments": [(f.name or "", f) for f in files],
            "contact": services.Contact(
                name=data.get("name", ""), email=data.get("email", ""), phone=data.get("phone", "")
            ),
            "is_anonymous": bool(data.get("is_anonymous")),
            "is_confidential": bool(data.get("is_confidential")),
        }


class TrackForm(PortalForm):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXXX-XXXXX",
            }
        ),
    )
    secret = forms.CharField(
        label=_("Kode rahasia"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReplyForm(PortalForm):
    body = forms.CharField(
        label=_("Tanggapan Anda"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConfirmForm(PortalForm):
    rating = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AppealForm(PortalForm):
    reason = forms.CharField(
        label=_("Alasan banding"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AttachForm(PortalForm):
    attachments = MultipleFileField(label=_("Tambah lampiran"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help()


class PublicFilterForm(PortalForm):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    report_type = forms.ChoiceField(label=_("Jenis"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(
        self,
        *args: Any,
        statuses: list[tuple[str, str]],
        categories: list[tuple[str, list[Any]]],
        districts: list[District],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [("", gettext("Semua status"))] + statuses
        fields["category"].choices = [("", gettext("Semua kategori"))] + [
            (topic or gettext("Lainnya"), [(c.code, c.name) for c in items])
            for topic, items in categories
        ]
        fields["kecamatan"].choices = [("", gettext("Semua kecamatan"))] + [
            (d.code, d.name) for d in districts
        ]
        fields["report_type"].choices = [("", gettext("Semua jenis"))] + [
            (c.value, c.label) for c in ReportTypeChoices
        ]
