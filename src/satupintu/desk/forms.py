"""Forms of the officer desk: they parse what an officer typed; the services decide.

Every action form carries the report's ``expected_version``, so a change someone else made in
the meantime is refused (StaleReport) instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.agencies.models import Agency, Region
from satupintu.complaints.forms import QuestionsMixin, questions_select
from satupintu.complaints.models import (
    Category,
    CategoryAttribute,
    Channel,
    Report,
    ReportTypeChoices,
    StatusChoices,
)
from satupintu.complaints.services import BODY_MAX, DESCRIPTION_MIN, TITLE_MAX
from satupintu.core.forms import MultipleFileField, MultipleFileInput
from satupintu.core.models import User
from satupintu.desk import selectors
from satupintu.domain.lifecycle import OWES_WORK, Action

# --------------------------------------------------------------------------- widgets


class CategorySelect(forms.Select):
    """Each option names its category's default agency (data-agency) for the hint next to the
    agency picker."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if isinstance(instance, Category):
            option["attrs"]["data-agency"] = str(instance.default_agency)
        return option


def agency_choices(agencies: Iterable[Agency], empty: str) -> list[Any]:
    """Agencies grouped: the Pemda's own, then external ones (No Wrong Door, domain.md §1.7)."""
    internal: list[tuple[str, str]] = []
    external: list[tuple[str, str]] = []
    for agency in agencies:
        label = agency.name
        if agency.parent_id and agency.kind == Agency.Kind.UNIT and agency.parent:
            label = f"{agency.name} ({agency.parent})"
        (external if agency.is_external else internal).append((str(agency.pk), label))
    return [
        ("", empty),
        (str(_("Perangkat daerah")), internal),
        (str(_("Instansi eksternal")), external),
    ]


class AgencyField(forms.ChoiceField):
    """A grouped agency picker that cleans to an Agency."""

    def __init__(self, agencies: Iterable[Agency], *, empty: str, **kwargs: Any) -> None:
        self._agencies = {str(a.pk): a for a in agencies}
        super().__init__(choices=agency_choices(self._agencies.values(), empty), **kwargs)

    def clean(self, value: Any) -> Agency | None:
        key = super().clean(value)
        if not key:
            return None
        return self._agencies[key]


class OfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class RegionField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name).title()


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --------------------------------------------------------------------------- report actions


class ActionForm(forms.Form):
    """Base of every form that changes a report: the version the officer saw."""

    action: Action
    title: Any = ""
    submit: Any = _("Simpan")
    #: shown open on the report page (the others fold away until needed)
    primary = False
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, report: Report, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action.value)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", report.version)
        super().__init__(*args, **kwargs)
        self.report = report


class DispatchForm(ActionForm):
    primary = True
    action = Action.DISPATCH
    title = _("Verifikasi dan disposisi")
    submit = _("Verifikasi dan disposisikan")
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Kategori"),
        widget=CategorySelect,
        empty_label=_("— Pilih kategori —"),
    )
    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportTypeChoices.choices)
    instruction = forms.CharField(
        label=_("Instruksi untuk instansi"),
        required=False,
        max_length=BODY_MAX,
        widget=_textarea(3),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas pelapor dari instansi"), required=False
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: sembunyikan laporan dari publik"), required=False
    )

    field_order = ["category", "agency", "report_type", "instruction"]

    def __init__(
        self,
        report: Report,
        *args: Any,
        agencies: Iterable[Agency] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("category", report.category_id)
        kwargs["initial"].setdefault("report_type", report.report_type)
        kwargs["initial"].setdefault("is_anonymous", report.is_anonymous)
        kwargs["initial"].setdefault("is_confidential", report.is_confidential)
        super().__init__(report, *args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ModelChoiceField)  # noqa: S101
        category_field.queryset = selectors.active_categories()
        default = report.category.default_agency if report.category is not None else None
        self.fields["agency"] = AgencyField(
            agencies,
            empty=str(_("Instansi penanggung jawab kategori")),
            label=_("Instansi tujuan"),
            required=False,
        )
        self.fields["agency"].help_text = (
            _("Bawaan untuk kategori ini: %(agency)s") % {"agency": default}
            if default
            else _("Kosongkan untuk memakai instansi penanggung jawab kategori.")
        )
        self.order_fields(self.field_order)
        category_field.widget.attrs.update(
            {
                "data-agency-hint": f"{self['agency'].auto_id}_helptext",
                "data-hint-prefix": str(_("Bawaan untuk kategori ini:")),
            }
        )
        # domain.md §1.8: a verifier may turn privacy on, never off.
        for name in ("is_anonymous", "is_confidential"):
            if getattr(report, name):
                self.fields[name].disabled = True

    def privacy(self, name: str) -> bool | None:
        """True to turn the flag on; None leaves it as it is."""
        return True if self.cleaned_data.get(name) and not getattr(self.report, name) else None


class HoldForm(ActionForm):
    action = Action.HOLD
    title = _("Tunda: minta pelapor melengkapi")
    submit = _("Tunda laporan")
    message = forms.CharField(
        label=_("Pesan untuk pelapor"),
        max_length=BODY_MAX,
        widget=_textarea(3),
        help_text=_("Sebutkan apa yang perlu dilengkapi. Pesan ini dapat dibaca pelapor."),
    )


class ArchiveForm(ActionForm):
    action = Action.ARCHIVE
    title = _("Arsipkan")
    submit = _("Arsipkan laporan")
    reason = forms.CharField(
        label=_("Alasan pengarsipan"),
        max_length=BODY_MAX,
        widget=_textarea(3),
        help_text=_(
            "Misalnya tidak jelas, terlalu umum, atau di luar kinerja pemerintah. "
            "Alasan ini ditampilkan kepada pelapor."
        ),
    )


class AcceptForm(ActionForm):
    primary = True
    action = Action.ACCEPT
    title = _("Terima disposisi")
    submit = _("Terima disposisi")


class FollowUpForm(ActionForm):
    primary = True
    action = Action.FOLLOW_UP
    title = _("Tindak lanjut")
    submit = _("Kirim tindak lanjut")
    body = forms.CharField(
        label=_("Tindak lanjut"),
        max_length=BODY_MAX,
        widget=_textarea(4),
        help_text=_("Tampil untuk pelapor dan publik."),
    )


class ForwardForm(ActionForm):
    action = Action.FORWARD
    title = _("Teruskan ke instansi lain")
    submit = _("Teruskan")
    reason = forms.CharField(label=_("Alasan diteruskan"), max_length=BODY_MAX, widget=_textarea(3))

    def __init__(
        self, report: Report, *args: Any, agencies: Iterable[Agency] = (), **kwargs: Any
    ) -> None:
        super().__init__(report, *args, **kwargs)
        self.fields["to_agency"] = AgencyField(
            [a for a in agencies if a.pk != report.current_agency_id],
            empty=str(_("— Pilih instansi —")),
            label=_("Instansi tujuan"),
            help_text=_("Termasuk instansi di luar Pemda (No Wrong Door)."),
        )
        self.order_fields(["to_agency", "reason"])


class ReturnForm(ActionForm):
    action = Action.RETURN
    title = _("Kembalikan: bukan wewenang")
    submit = _("Kembalikan ke verifikator")
    reason = forms.CharField(
        label=_("Alasan bukan wewenang"),
        max_length=BODY_MAX,
        widget=_textarea(3),
        help_text=_("Sebutkan instansi yang menurut Anda berwenang, bila tahu."),
    )


class NoteForm(ActionForm):
    action = Action.NOTE
    title = _("Catatan internal atau tanggapan publik")
    submit = _("Kirim")
    VISIBILITY = [
        ("internal", _("Catatan internal (hanya petugas)")),
        ("public", _("Tanggapan publik (dibaca pelapor)")),
    ]
    body = forms.CharField(label=_("Isi"), max_length=BODY_MAX, widget=_textarea(3))
    visibility = forms.ChoiceField(
        label=_("Terlihat oleh"), choices=VISIBILITY, initial="internal", widget=forms.RadioSelect
    )

    def __init__(self, report: Report, *args: Any, public_allowed: bool = True, **kw: Any) -> None:
        super().__init__(report, *args, **kw)
        if not public_allowed:
            field = self.fields["visibility"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101
            field.choices = self.VISIBILITY[:1]

    @property
    def public(self) -> bool:
        return self.cleaned_data.get("visibility") == "public"


class ResolveForm(ActionForm):
    primary = True
    action = Action.RESOLVE
    title = _("Selesaikan dengan jawaban")
    submit = _("Selesaikan laporan")
    answer = forms.CharField(
        label=_("Jawaban untuk pelapor"),
        max_length=BODY_MAX,
        widget=_textarea(4),
        help_text=_("Pelapor dapat mengonfirmasi, menanggapi, atau mengajukan banding."),
    )


class AssignForm(ActionForm):
    action = Action.ASSIGN
    title = _("Tugaskan ke petugas")
    submit = _("Tugaskan")
    assignee = OfficerField(
        queryset=User.objects.none(),
        label=_("Petugas"),
        required=False,
        empty_label=_("— Tidak ada (lepaskan penugasan) —"),
    )

    def __init__(self, report: Report, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("assignee", report.assignee_id)
        super().__init__(report, *args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = selectors.assignable_officers(report)


class AttachForm(ActionForm):
    action = Action.ATTACH
    title = _("Tambah lampiran")
    submit = _("Unggah")
    attachments = MultipleFileField(
        label=_("Berkas (JPEG, PNG, atau PDF)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class PrivacyForm(ActionForm):
    action = Action.SET_PRIVACY
    title = _("Privasi laporan")
    submit = _("Simpan privasi")
    is_anonymous = DispatchForm.base_fields["is_anonymous"]
    is_confidential = DispatchForm.base_fields["is_confidential"]

    def __init__(self, report: Report, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("is_anonymous", report.is_anonymous)
        kwargs["initial"].setdefault("is_confidential", report.is_confidential)
        super().__init__(report, *args, **kwargs)
        for name in ("is_anonymous", "is_confidential"):
            if getattr(report, name):
                self.fields[name].disabled = True

    privacy = DispatchForm.privacy


#: The action forms in the order the report page shows them.
ACTION_FORMS: dict[Action, type[ActionForm]] = {
    f.action: f
    for f in (
        DispatchForm,
        AcceptForm,
        FollowUpForm,
        ResolveForm,
        AssignForm,
        ForwardForm,
        ReturnForm,
        NoteForm,
        HoldForm,
        ArchiveForm,
        PrivacyForm,
        AttachForm,
    )
}
#: Actions served by another form (a public reply is the note form's "public" choice).
FORM_FOR_ACTION = {Action.PUBLIC_REPLY: Action.NOTE}


class IdentityForm(forms.Form):
    purpose = forms.CharField(
        label=_("Keperluan membuka identitas"),
        max_length=500,
        widget=_textarea(2),
        help_text=_("Wajib diisi. Keperluan, nama Anda, dan waktunya dicatat di log audit."),
    )


# --------------------------------------------------------------------------- bulk actions


class BulkDispatchForm(forms.Form):
    def __init__(self, *args: Any, agencies: Iterable[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = AgencyField(
            agencies,
            empty=str(_("Masing-masing ke instansi penanggung jawab kategorinya")),
            label=_("Disposisikan yang dipilih ke"),
            required=False,
        )


class BulkAssignForm(forms.Form):
    assignee = OfficerField(
        queryset=User.objects.none(),
        label=_("Tugaskan yang dipilih ke"),
        empty_label=_("— Pilih petugas —"),
    )

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = officers if officers is not None else User.objects.none()


def selected_reports(data: Any) -> list[tuple[int, int | None]]:
    """The report ids ticked in a bulk form, each with the version shown (``v<id>``)."""
    out: list[tuple[int, int | None]] = []
    seen: set[int] = set()
    for raw in data.getlist("report"):
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            continue
        if pk in seen or pk < 1:
            continue
        seen.add(pk)
        try:
            version: int | None = int(data.get(f"v{pk}", ""))
        except ValueError:
            version = None
        out.append((pk, version))
    return out


# --------------------------------------------------------------------------- counter


class CounterForm(QuestionsMixin, forms.Form):
    """A report taken down for a citizen; it asks the chosen category's questions as the
    portal's form does (complaints/forms.py)."""

    CHANNELS = [(c.value, c.label) for c in (Channel.COUNTER, Channel.PHONE, Channel.CALL_112)]
    channel = forms.ChoiceField(
        label=_("Kanal"), choices=CHANNELS, initial=Channel.COUNTER, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Judul laporan"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Isi laporan"),
        min_length=DESCRIPTION_MIN,
        max_length=10_000,
        widget=_textarea(6),
        help_text=_("Apa, di mana, sejak kapan: tulis sesuai yang disampaikan pelapor."),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        # By code, as the portal's form: the questions follow the category chosen.
        to_field_name="code",
        label=_("Kategori"),
        required=False,
        empty_label=_("— Belum ditentukan (diisi verifikator) —"),
        widget=questions_select("desk:counter_questions"),
    )
    report_type = forms.ChoiceField(
        label=_("Jenis laporan"),
        required=False,
        choices=[("", _("— Sesuai kategori —")), *ReportTypeChoices.choices],
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = RegionField(
        queryset=Region.objects.none(),
        label=_("Kelurahan/desa"),
        required=False,
        empty_label=_("— Tidak diketahui —"),
    )
    address = forms.CharField(label=_("Alamat atau patokan lokasi"), required=False, max_length=255)
    name = forms.CharField(label=_("Nama pelapor"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Surel"), required=False, max_length=254)
    is_anonymous = forms.BooleanField(
        label=_("Pelapor meminta anonim (identitas tidak diteruskan ke instansi)"), required=False
    )
    is_confidential = forms.BooleanField(
        label=_("Pelapor meminta rahasia (laporan tidak tampil untuk publik)"), required=False
    )
    attachments = MultipleFileField(
        label=_("Lampiran (JPEG, PNG, atau PDF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(
        self,
        *args: Any,
        regions: Any = None,
        questions: list[CategoryAttribute] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The questions of the category posted (with htmx they are loaded as soon as it is
        # chosen; without JavaScript they appear when the form comes back).
        self.add_questions(questions or [])
        category = self.fields["category"]
        region = self.fields["region"]
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(region, forms.ModelChoiceField)  # noqa: S101
        category.queryset = selectors.active_categories()
        if regions is not None and regions.exists():
            region.queryset = regions
        else:
            del self.fields["region"]


# --------------------------------------------------------------------------- filters


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nomor pelacakan atau judul"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kategori = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Kategori"),
        required=False,
        empty_label=_("Semua kategori"),
    )
    terlambat = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)
    saya = forms.BooleanField(label=_("Ditugaskan kepada saya"), required=False)

    statuses: Iterable[str] = sorted(s.value for s in OWES_WORK)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        category = self.fields["kategori"]
        assert isinstance(status, forms.ChoiceField)  # noqa: S101
        assert isinstance(category, forms.ModelChoiceField)  # noqa: S101
        labels = dict(StatusChoices.choices)
        status.choices = [("", _("Semua status"))] + [(s, labels[s]) for s in self.statuses]
        category.queryset = Category.objects.order_by("name")

    def filters(self) -> selectors.ListFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.ListFilter(
            status=data.get("status") or "",
            category=data.get("kategori"),
            agency=data.get("instansi"),
            overdue=bool(data.get("terlambat")),
            mine=bool(data.get("saya")),
            q=data.get("q") or "",
            received_from=data.get("sejak"),
            received_to=data.get("sampai"),
            kecamatan=data.get("kecamatan") or "",
            kelurahan=data.get("kelurahan") or "",
            channel=data.get("kanal") or "",
        )


class CityFilterForm(InboxFilterForm):
    statuses = [s for s, _label in StatusChoices.choices]
    instansi = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label=_("Instansi pemegang"),
        required=False,
        empty_label=_("Semua instansi"),
    )
    sejak = forms.DateField(
        label=_("Diterima sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Diterima sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    kanal = forms.ChoiceField(label=_("Kanal"), required=False)

    field_order = [
        "q",
        "status",
        "kategori",
        "instansi",
        "kecamatan",
        "kelurahan",
        "kanal",
        "sejak",
        "sampai",
        "terlambat",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["saya"]
        agency = self.fields["instansi"]
        assert isinstance(agency, forms.ModelChoiceField)  # noqa: S101
        agency.queryset = Agency.objects.order_by("name")
        # The operations room's drill-downs name a kecamatan or kelurahan by its region code.
        places = Region.objects.filter(
            level__in=[Region.Level.DISTRICT, Region.Level.VILLAGE]
        ).order_by("name")
        districts: list[tuple[str, str]] = [("", str(_("Semua kecamatan")))]
        villages: list[tuple[str, str]] = [("", str(_("Semua kelurahan")))]
        for code, name, level in places.values_list("code", "name", "level"):
            (districts if level == Region.Level.DISTRICT else villages).append((code, name))
        self.fields["kecamatan"].choices = districts  # type: ignore[attr-defined]
        self.fields["kelurahan"].choices = villages  # type: ignore[attr-defined]
        self.fields["kanal"].choices = [("", _("Semua kanal")), *Channel.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("sejak"), data.get("sampai")
        if start and end and start > end:
            raise ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data
