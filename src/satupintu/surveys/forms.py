"""The citizen SKM questionnaire (domain.md §3.1: U1..U9, answers 1→4) as a Django form.

Every unsur is optional on its own (a blank answer is stored as NULL); ``services.response_submit``
refuses a response with no answer at all, and the view shows that refusal on the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Question:
    field: str
    code: str
    topic: _StrPromise
    text: _StrPromise
    #: Answer labels for scores 1, 2, 3, 4 (domain.md §3.1).
    labels: tuple[_StrPromise, _StrPromise, _StrPromise, _StrPromise]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "u1",
        "U1",
        _("Persyaratan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
            "jenis pelayanannya?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Question(
        "u2",
        "U2",
        _("Sistem, mekanisme, dan prosedur"),
        _("Bagaimana pendapat Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    Question(
        "u3",
        "U3",
        _("Waktu penyelesaian"),
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    Question(
        "u4",
        "U4",
        _("Biaya/tarif"),
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    Question(
        "u5",
        "U5",
        _("Produk spesifikasi jenis pelayanan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Question(
        "u6",
        "U6",
        _("Kompetensi pelaksana"),
        _("Bagaimana pendapat Saudara tentang kemampuan petugas dalam memberikan pelayanan?"),
        (_("Tidak mampu"), _("Kurang mampu"), _("Mampu"), _("Sangat mampu")),
    ),
    Question(
        "u7",
        "U7",
        _("Perilaku pelaksana"),
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    Question(
        "u8",
        "U8",
        _("Sarana dan prasarana"),
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana pelayanan?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
    Question(
        "u9",
        "U9",
        _("Penanganan pengaduan, saran, dan masukan"),
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
)

if tuple(q.field for q in QUESTIONS) != ANSWER_FIELDS:  # pragma: no cover
    raise ImportError("QUESTIONS must follow ANSWER_FIELDS")

PROFILE_FIELDS = ("gender", "age_band", "education", "occupation")


def _profile_field(label: _StrPromise, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", _("Tidak ingin menjawab")), *choices],
    )


class SurveyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    gender = _profile_field(_("Jenis kelamin"), SkmResponse.Gender.choices)
    age_band = _profile_field(_("Usia"), SkmResponse.AgeBand.choices)
    education = _profile_field(_("Pendidikan terakhir"), SkmResponse.Education.choices)
    occupation = _profile_field(_("Pekerjaan"), SkmResponse.Occupation.choices)
    suggestion = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tidak wajib. Jangan tuliskan nama, nomor telepon, atau alamat Anda."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.field] = forms.TypedChoiceField(
                label=question.text,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(str(score), label) for score, label in enumerate(question.labels, 1)],
                widget=forms.RadioSelect,
            )

    def questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[question.field]) for question in QUESTIONS]

    def answers(self) -> dict[str, int | None]:
        return {field: self.cleaned_data.get(field) for field in ANSWER_FIELDS}

    def profile(self) -> dict[str, str | None]:
        return {field: self.cleaned_data.get(field) or "" for field in PROFILE_FIELDS}
