"""Forms of the evaluator's SKM pages: they parse what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.agencies.models import Agency
from satupintu.domain.indices import sample_size
from satupintu.surveys.models import Element, FollowUpAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    name = forms.CharField(
        label=_("Nama periode"),
        max_length=120,
        help_text=_("Misalnya: SKM 2026 atau SKM 2026 Triwulan I."),
    )
    starts_on = forms.DateField(label=_("Mulai"), widget=DATE)
    ends_on = forms.DateField(label=pgettext_lazy("tanggal", "Selesai"), widget=DATE)


class TargetsForm(forms.Form):
    """One population field per service unit (``unit-<pk>``); blank = not in this period."""

    def __init__(
        self,
        *args: Any,
        units: Iterable[Agency],
        current: Mapping[int, int],
        previous: Mapping[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.current = current
        for unit in self.units:
            attrs = {"inputmode": "numeric", "min": "1"}
            if unit.pk in previous:
                attrs["placeholder"] = str(previous[unit.pk])
            self.fields[f"unit-{unit.pk}"] = forms.IntegerField(
                label=unit.name,
                required=False,
                min_value=1,
                initial=current.get(unit.pk),
                widget=forms.NumberInput(attrs=attrs),
            )

    def rows(self) -> list[tuple[Agency, forms.BoundField, int | None]]:
        """(unit, its field, its current sample target) in display order."""
        out = []
        for unit in self.units:
            population = self.current.get(unit.pk)
            out.append(
                (unit, self[f"unit-{unit.pk}"], sample_size(population) if population else None)
            )
        return out

    def populations(self) -> dict[int, int | None]:
        """Only the units whose value differs from what is stored (a blank field removes the
        unit; a field that was not sent at all leaves it as it is)."""
        out: dict[int, int | None] = {}
        for unit in self.units:
            if self.add_prefix(f"unit-{unit.pk}") not in self.data:
                continue
            value = self.cleaned_data.get(f"unit-{unit.pk}")
            if value != self.current.get(unit.pk):
                out[unit.pk] = value
        return out


class FollowUpForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit layanan"), queryset=Agency.objects.none(), to_field_name="code"
    )
    element = forms.ChoiceField(label=_("Unsur"), choices=Element.choices)
    action = forms.CharField(
        label=_("Rencana tindak lanjut"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.CharField(
        label=_("Penanggung jawab"),
        max_length=200,
        help_text=_("Jabatan atau nama pejabat yang bertanggung jawab."),
    )
    due_on = forms.DateField(label=_("Target selesai"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=FollowUpAction.Status.choices)
    result = forms.CharField(
        label=_("Hasil tindak lanjut"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila status Selesai: apa yang sudah dilakukan dan buktinya."),
    )
    done_on = forms.DateField(
        label=_("Tanggal selesai"),
        required=False,
        widget=DATE,
        help_text=_("Kosongkan untuk hari ini."),
    )


class UnitFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit layanan"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Seluruh unit (Pemda)"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def chosen(self) -> Agency | None:
        if self.is_valid():
            unit: Agency | None = self.cleaned_data.get("unit")
            return unit
        return None
