"""/petugas/loket/: the counter asks a category's extra questions as the portal's /lapor/ does:
loaded with htmx when the category is chosen (or when the form comes back), a required one
unanswered stops the report with the error at the question, and the answers are stored and shown
as a citizen's own."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.complaints.models import CategoryAttribute, Channel, Report
from satupintu.core.models import User
from tests.conftest import City
from tests.portal.conftest import file_through_portal
from tests.portal.test_questions import ANSWERS, field_block

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
Questions = dict[str, CategoryAttribute]

QUESTIONS_URL = "/petugas/loket/pertanyaan/"


def counter_data(city: City, **overrides: Any) -> dict[str, Any]:
    """What an officer types into the counter form for a caller."""
    data: dict[str, Any] = {
        "channel": "phone",
        "title": "Jalan amblas di Jl. Margonda",
        "description": "Penelepon melaporkan aspal amblas di lajur kiri dekat halte.",
        "category": city.road.code,
        "name": "Bapak Darmawan",
        "phone": "08129999000",
        "address": "Jl. Margonda Raya dekat halte",
    }
    data.update(overrides)
    return data


def test_the_counter_loads_the_questions_with_htmx_and_has_none_before_a_choice(
    city: City, login: Login, road_questions: Questions
) -> None:
    page = login(city.officer_a).get(reverse("desk:counter")).content.decode()
    select = page[page.index('<select name="category"') :]
    select = select[: select.index(">")]
    assert f'hx-get="{QUESTIONS_URL}"' in select
    assert 'hx-target="#category-questions"' in select and 'hx-trigger="change"' in select
    assert f'<option value="{city.road.code}">Jalan rusak</option>' in page
    assert '<div id="category-questions">' in page
    assert 'id="questions-status" aria-live="polite"' in page
    assert 'name="attr_' not in page


def test_the_counter_shows_the_questions_of_the_category_chosen(
    city: City, login: Login, road_questions: Questions
) -> None:
    client = login(city.officer_a)
    response = client.get(QUESTIONS_URL, {"category": city.road.code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pertanyaan tentang kategori ini" in page
    ruas = field_block(page, 'id="id_attr_ruas"')
    assert '<label for="id_attr_ruas">Nama ruas jalan</label>' in ruas
    assert 'id="id_attr_ruas_helptext">Tertera di papan nama jalan.' in ruas
    kerusakan = field_block(page, 'name="attr_kerusakan"')
    assert '<legend class="required">Jenis kerusakan' in kerusakan and "wajib diisi" in kerusakan
    assert kerusakan.count('type="radio"') == 3
    assert field_block(page, 'name="attr_dampak"').count('type="checkbox"') == 3
    assert 'type="datetime-local"' in field_block(page, 'id="id_attr_sejak"')
    assert "Foto dari dua arah sangat membantu." in page
    assert "Pertanyaan lama" not in page
    assert "Kategori ini punya 7 pertanyaan tambahan" in page

    # Another category: nothing to ask, and the announcement is emptied.
    page = client.get(QUESTIONS_URL, {"category": city.waste.code}).content.decode()
    assert "<input" not in page and "questions__title" not in page
    assert '<span id="questions-status" hx-swap-oob="innerHTML"></span>' in page


def test_the_questions_are_for_officers_only(
    city: City, login: Login, road_questions: Questions
) -> None:
    query = {"category": city.road.code}
    assert login(city.outsider).get(QUESTIONS_URL, query).status_code == 404
    anonymous = Client().get(QUESTIONS_URL, query)
    assert anonymous.status_code == 302 and "/petugas/masuk/" in anonymous["Location"]


def test_a_missing_required_answer_is_a_form_error_and_stores_nothing(
    city: City, login: Login, road_questions: Questions
) -> None:
    # The officer chose "Jalan rusak" (without JavaScript: no questions seen yet) and skipped
    # the required kind of damage.
    data = counter_data(city, attr_ruas="Jl. Margonda Raya", attr_dampak=["macet"])
    response = login(city.officer_a).post(reverse("desk:counter"), data)
    assert response.status_code == 400
    assert not Report.objects.exists()
    page = response.content.decode()
    assert "Laporan belum disimpan. Periksa kembali isian yang ditandai." in page

    kerusakan = field_block(page, 'name="attr_kerusakan"')
    assert kerusakan.startswith('<fieldset class="field field--error"')
    assert '<legend class="required">Jenis kerusakan' in kerusakan
    assert '<ul class="errorlist" id="id_attr_kerusakan_error"><li>Wajib diisi.</li>' in kerusakan
    # The questions are asked, with what was typed kept.
    assert 'value="Jl. Margonda Raya"' in field_block(page, 'id="id_attr_ruas"')
    assert 'value="macet" id="id_attr_dampak_0" checked' in page
    assert 'value="Jalan amblas di Jl. Margonda"' in page
    assert f'<option value="{city.road.code}" selected>' in page


def test_a_refused_answer_is_shown_at_its_question(
    city: City, login: Login, road_questions: Questions
) -> None:
    data = counter_data(city, attr_kerusakan="retak", attr_lebar_cm="1e50")
    response = login(city.officer_a).post(reverse("desk:counter"), data)
    assert response.status_code == 400
    assert not Report.objects.exists()
    lebar = field_block(response.content.decode(), 'id="id_attr_lebar_cm"')
    assert "field--error" in lebar and 'id="id_attr_lebar_cm_error"><li>Terlalu panjang.' in lebar


def test_answers_are_stored_as_through_the_portal_and_shown_on_the_report_page(
    city: City, login: Login, road_questions: Questions
) -> None:
    client = login(city.officer_a)
    response = client.post(reverse("desk:counter"), counter_data(city, **ANSWERS))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.PHONE and report.category == city.road
    assert report.attributes == {
        "ruas": "Jl. Margonda Raya",
        "kerusakan": "amblas",
        "dampak": ["macet", "genangan"],
        "lebar_cm": "120.5",
        "sejak": "2025-02-10T07:45:00+07:00",
        "catatan": "Paling parah di lajur kiri.",
    }
    # The same answers typed by a citizen at /lapor/ are stored alike.
    citizen = file_through_portal(Client(), city, **ANSWERS)
    assert citizen.report.attributes == report.attributes

    # The verifier's report page lists them as for a citizen's report.
    assert client.get(response["Location"]).status_code == 200  # the receipt
    verifier = login(city.verifier)
    for filed in (report, citizen.report):
        page = verifier.get(reverse("desk:report", args=[filed.pk])).content.decode()
        start = page.index("Jawaban pertanyaan kategori")
        answers = page[page.index('<dl class="facts answers">', start) : page.index("</dl>", start)]
        rows = re.findall(r"<dt>(.*?)</dt><dd>", answers)
        assert rows == [
            "Nama ruas jalan",
            "Jenis kerusakan",
            "Akibatnya",
            "Perkiraan lebar (cm)",
            "Sejak kapan?",
            "Catatan untuk petugas",
        ]
        assert "<dd>Macet, Genangan</dd>" in answers and "<dd>Amblas</dd>" in answers


def test_answers_to_another_categorys_questions_are_dropped(
    city: City, login: Login, road_questions: Questions
) -> None:
    # Answered for "Jalan rusak", then the category changed to "Sampah" before saving.
    data = counter_data(city, category=city.waste.code, **ANSWERS)
    response = login(city.officer_a).post(reverse("desk:counter"), data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.category == city.waste and report.attributes == {}
