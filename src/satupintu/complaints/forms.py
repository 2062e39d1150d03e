"""A category's extra questions (CategoryAttribute) on a web form, the same in every form that
files a report (the portal's /lapor/, the desk's counter): one field per question, the answers
collected for the service's ``attributes``, and the service's refusals put back at their
question. Whether a question must be answered, and what a valid answer is, the service decides
(domain/attributes.py); these forms only parse.

Templates: ``complaints/_category_questions.html`` is the place in a form where the questions
appear (with htmx they are swapped in as soon as the category changes), filled by
``complaints/_questions.html``; ``complaints/_questions_htmx.html`` is the htmx answer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext

from satupintu.complaints.models import CategoryAttribute
from satupintu.core.widgets import htmx_select
from satupintu.domain.attributes import STRING_MAX, TEXT_MAX, Datatype

#: Form field names of a category's questions: ``attr_<code>`` (the service names its errors
#: ``attributes.<code>``).
QUESTION_PREFIX = "attr_"
#: A single-choice question with more choices than this is a select, not radio buttons.
RADIO_MAX = 6
#: The element the questions are loaded into, and the live region that announces them.
QUESTIONS_TARGET = "category-questions"


def question_field_name(code: str) -> str:
    return f"{QUESTION_PREFIX}{code}"


def questions_select(url_name: str) -> forms.Select:
    """The category select: with htmx, a change loads the category's questions from
    ``url_name`` (a view answering ``complaints/_questions_htmx.html``) below it at once;
    without JavaScript they appear when the form comes back."""
    return htmx_select(url_name, f"#{QUESTIONS_TARGET}", {"hx-sync": "this:replace"})


def _question_field(question: CategoryAttribute) -> forms.Field:
    """The input for one question; every question is optional here: whether it must be
    answered, and what a valid answer is, the service decides (domain/attributes.py)."""
    datatype = Datatype(question.datatype)
    aria = {"aria-required": "true"} if question.required else {}
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help_text,
        "required": False,
    }
    if datatype is Datatype.STRING:
        return forms.CharField(
            max_length=STRING_MAX, widget=forms.TextInput(attrs={**aria}), **common
        )
    if datatype is Datatype.TEXT:
        return forms.CharField(
            max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3, **aria}), **common
        )
    if datatype is Datatype.NUMBER:
        return forms.DecimalField(
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", **aria}),
            **common,
        )
    if datatype is Datatype.DATETIME:
        # The browser's local date and time; it is the Pemda's (the current time zone).
        return forms.DateTimeField(
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local", **aria}, format="%Y-%m-%dT%H:%M"
            ),
            **common,
        )
    choices = question.choices()
    if datatype is Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if len(choices) > RADIO_MAX:
        empty = ("", gettext("— Pilih —"))
        return forms.ChoiceField(
            choices=[empty, *choices], widget=forms.Select(attrs={**aria}), **common
        )
    if not question.required:
        # A way back from a radio button chosen by mistake.
        choices = [*choices, ("", gettext("Tidak tahu"))]
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


class QuestionsMixin:
    """Adds a category's questions to a form as ``attr_<code>`` fields and collects the answers
    into the service's ``attributes`` argument. Informational questions get no field."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_questions(self, questions: list[CategoryAttribute]) -> None:
        self.questions = questions
        for question in questions:
            if question.variable:
                self.fields[question_field_name(question.code)] = _question_field(question)

    @property
    def question_rows(self) -> list[tuple[CategoryAttribute, forms.BoundField | None]]:
        """(question, its bound field or None when it only informs), in order."""
        form: Any = self
        return [
            (q, form[question_field_name(q.code)] if q.variable else None) for q in self.questions
        ]

    def service_field(self, name: str) -> str:
        """The field a service error's name stands for (core.forms.error_field):
        ``attributes.<code>`` is a question's field."""
        if name.startswith("attributes."):
            return question_field_name(name.removeprefix("attributes."))
        return name

    def answers(self) -> dict[str, str | list[str]]:
        """The answers given, by attribute code; unanswered questions are left out."""
        out: dict[str, str | list[str]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question.code))
            if value is None or value in ("", []):
                continue
            if isinstance(value, dt.datetime):
                out[question.code] = value.isoformat()
            elif isinstance(value, Decimal):
                out[question.code] = format(value, "f")
            else:
                out[question.code] = value
        return out


class QuestionsForm(QuestionsMixin, forms.Form):
    """A category's questions alone: what a report form loads with htmx."""

    def __init__(self, *args: Any, questions: list[CategoryAttribute], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.add_questions(questions)
