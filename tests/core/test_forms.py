"""core/forms.py: a service's refusal on a form, next to the field it names."""

from __future__ import annotations

from django import forms

from satupintu.core.errors import InvalidInput, NotPermitted, StaleReport
from satupintu.core.forms import STALE_MESSAGE, apply_error, error_field, error_message


class Plain(forms.Form):
    title = forms.CharField()


class Mapped(Plain):
    def service_field(self, name: str) -> str:
        return "title" if name == "summary" else name


def test_error_field_asks_the_form_to_map_a_service_name() -> None:
    assert error_field(Plain(), "title") == "title"
    assert error_field(Plain(), "summary") is None
    assert error_field(Mapped(), "summary") == "title"


def test_a_field_error_goes_next_to_its_field_and_the_rest_above_the_form() -> None:
    form = Mapped({"title": "x"})
    form.is_valid()
    apply_error(form, InvalidInput("Periksa.", fields={"summary": "Terlalu pendek."}))
    assert form.errors == {"title": ["Terlalu pendek."]}
    form = Plain({"title": "x"})
    form.is_valid()
    apply_error(form, NotPermitted("Tidak boleh."))
    assert form.non_field_errors() == ["Tidak boleh."]


def test_a_stale_report_gets_the_advice_to_reload() -> None:
    assert error_message(StaleReport("changed")) == str(STALE_MESSAGE)
