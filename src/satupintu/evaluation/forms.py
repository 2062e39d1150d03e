"""The PEKPPP worksheet form: a score (0–5), a note and evidence files per indicator.
It parses what the evaluator typed; evaluation/services.py decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.forms import VersionedForm
from satupintu.catalogue.services import TEXT_MAX
from satupintu.core.forms import MultipleFileField, MultipleFileInput
from satupintu.evaluation.selectors import Block, Line, WorksheetPage
from satupintu.evaluation.services import Entry

ACCEPT = "image/jpeg,image/png,application/pdf"


class WorksheetForm(VersionedForm):
    def __init__(self, *args: Any, page: WorksheetPage, **kwargs: Any) -> None:
        self.page = page
        lines = [line for block in page.blocks for line in block.lines]
        if not args and "data" not in kwargs and page.worksheet is not None:
            initial: dict[str, Any] = {"expected_version": page.worksheet.version}
            for line in lines:
                if line.score is not None:
                    score = line.score.score
                    # 3.00 is shown as 3, 4.50 as 4.5.
                    initial[f"score_{line.indicator.code}"] = (
                        None
                        if score is None
                        else score.quantize(Decimal(1))
                        if score == score.to_integral()
                        else score.normalize()
                    )
                    initial[f"note_{line.indicator.code}"] = line.score.note
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for line in lines:
            code = line.indicator.code
            self.fields[f"score_{code}"] = forms.DecimalField(
                label=_("Nilai %(code)s (0–5)") % {"code": code},
                required=False,
                min_value=0,
                max_value=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{code}"] = MultipleFileField(
                label=_("Tambah bukti dukung (JPEG, PNG, atau PDF)"),
                required=False,
                widget=MultipleFileInput(attrs={"accept": ACCEPT}),
            )

    def blocks(self) -> list[tuple[Block, list[tuple[Line, Any, Any, Any]]]]:
        """Each aspect with its indicators' lines and their three bound fields."""
        return [
            (
                block,
                [
                    (
                        line,
                        self[f"score_{line.indicator.code}"],
                        self[f"note_{line.indicator.code}"],
                        self[f"evidence_{line.indicator.code}"],
                    )
                    for line in block.lines
                ],
            )
            for block in self.page.blocks
        ]

    def entries(self) -> dict[str, Entry]:
        data = self.cleaned_data
        return {
            line.indicator.code: Entry(
                score=data[f"score_{line.indicator.code}"],
                note=data[f"note_{line.indicator.code}"],
                files=[(f.name, f) for f in data[f"evidence_{line.indicator.code}"]],
            )
            for block in self.page.blocks
            for line in block.lines
        }
