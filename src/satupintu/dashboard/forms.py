"""The operations room's filter form: a period (preset or custom) and the dimension filters.

It cleans to the selectors' :class:`~satupintu.dashboard.selectors.Filters`; bad input (a date
that is no date, an agency that does not exist) is a form error, and the page then shows the
default period with the error next to the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Region
from satupintu.complaints.models import Category, Channel
from satupintu.dashboard.selectors import Filters

PRESETS = [
    ("month", _("Bulan ini")),
    ("30d", _("30 hari terakhir")),
    ("90d", _("90 hari terakhir")),
    ("year", _("Tahun ini")),
    ("custom", _("Pilih tanggal")),
]
#: The longest custom period (the rollups answer any, but a decade is a typing error).
MAX_DAYS = 3 * 366


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if preset == "30d":
        return today - dt.timedelta(days=29), today
    if preset == "90d":
        return today - dt.timedelta(days=89), today
    if preset == "year":
        return today.replace(month=1, day=1), today
    return today.replace(day=1), today


class NamedChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RoomFilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Periode"), choices=PRESETS, required=False)
    sejak = forms.DateField(
        label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    instansi = NamedChoice(
        queryset=Agency.objects.none(),
        label=_("Instansi"),
        required=False,
        empty_label=_("Semua instansi"),
    )
    kategori = NamedChoice(
        queryset=Category.objects.none(),
        label=_("Kategori"),
        required=False,
        empty_label=_("Semua kategori"),
    )
    kecamatan = NamedChoice(
        queryset=Region.objects.none(),
        label=_("Kecamatan"),
        required=False,
        empty_label=_("Semua kecamatan"),
        to_field_name="code",
    )
    kanal = forms.ChoiceField(label=_("Kanal"), required=False)

    def __init__(
        self,
        *args: Any,
        agencies: frozenset[int] | None = None,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or workcal.today()
        agency_qs = Agency.objects.filter(is_active=True).order_by("name")
        if agencies is not None:
            agency_qs = agency_qs.filter(pk__in=sorted(agencies))
        self.fields["instansi"].queryset = agency_qs  # type: ignore[attr-defined]
        self.fields["kategori"].queryset = Category.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["kecamatan"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            level=Region.Level.DISTRICT, code__startswith=f"{pemda_region() or '-'}."
        ).order_by("name")
        self.fields["kanal"].choices = [("", _("Semua kanal")), *Channel.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("periode") == "custom":
            start, end = data.get("sejak"), data.get("sampai")
            if not start or not end:
                raise ValidationError(_("Isi tanggal awal dan akhir periode."))
            if start > end:
                raise ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
            if (end - start).days > MAX_DAYS:
                raise ValidationError(_("Periode paling lama tiga tahun."))
        return data

    def filters(self) -> Filters:
        """The cleaned filters; the default period (this month) when the form is invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        preset = data.get("periode") or "month"
        if preset == "custom":
            start, end = data["sejak"], data["sampai"]
        else:
            start, end = preset_period(preset, self.today)
        agency = data.get("instansi")
        category = data.get("kategori")
        kecamatan = data.get("kecamatan")
        return Filters(
            start=start,
            end=end,
            agency_id=agency.pk if agency else None,
            category_id=category.pk if category else None,
            kecamatan=kecamatan.code if kecamatan else None,
            channel=data.get("kanal") or None,
        )

    def query(self) -> dict[str, str]:
        """The valid filters as GET parameters (for the panels' and exports' URLs)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        out: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, Region):
                out[name] = value.code
            elif hasattr(value, "pk"):
                out[name] = str(value.pk)
            elif isinstance(value, dt.date):
                if self.cleaned_data.get("periode") == "custom":
                    out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out


def pemda_region() -> str | None:
    """The Pemda's own region code (e.g. 32.76), from its root agency."""
    code: str | None = (
        Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None, region__isnull=False)
        .order_by("pk")
        .values_list("region_id", flat=True)
        .first()
    )
    return code
