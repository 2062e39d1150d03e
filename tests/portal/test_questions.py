"""/lapor/: a category's extra questions (CategoryAttribute) on the report form: loaded with htmx,
shown when the form comes back without JavaScript, answers stored, errors beside the question."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from satupintu.complaints.models import Category, CategoryAttribute, Report
from satupintu.demo import seed
from tests.conftest import City
from tests.portal.conftest import file_through_portal, report_data

pytestmark = pytest.mark.django_db

Questions = dict[str, CategoryAttribute]

ANSWERS = {
    "attr_ruas": "Jl. Margonda Raya",
    "attr_kerusakan": "amblas",
    "attr_dampak": ["macet", "genangan"],
    "attr_lebar_cm": "120.50",
    "attr_sejak": "2025-02-10T07:45",
    "attr_catatan": "Paling parah di lajur kiri.",
}


def field_block(page: str, marker: str) -> str:
    """The ``.field`` block (a div, or a fieldset for a group of choices) around ``marker``."""
    at = page.index(marker)
    start = max(page.rfind('<div class="field', 0, at), page.rfind('<fieldset class="field', 0, at))
    closing = "</fieldset>" if page.startswith("<fieldset", start) else "</div>"
    return page[start : page.index(closing, at) + len(closing)]


def test_questions_endpoint_gives_an_input_per_datatype(
    client: Client, city: City, road_questions: Questions, django_assert_max_num_queries: Any
) -> None:
    client.get("/lapor/pertanyaan/", {"category": city.waste.code})  # site name now cached
    with django_assert_max_num_queries(1):
        response = client.get("/lapor/pertanyaan/", {"category": city.road.code})
    assert response.status_code == 200
    page = response.content.decode()

    ruas = field_block(page, 'id="id_attr_ruas"')
    assert '<label for="id_attr_ruas">Nama ruas jalan</label>' in ruas
    assert 'type="text"' in ruas and 'maxlength="255"' in ruas
    assert 'id="id_attr_ruas_helptext">Tertera di papan nama jalan.' in ruas
    assert 'aria-describedby="id_attr_ruas_helptext"' in ruas

    # One choice among few: radio buttons in a fieldset whose legend says it must be answered.
    kerusakan = field_block(page, 'name="attr_kerusakan"')
    assert kerusakan.startswith("<fieldset")
    assert '<legend class="required">Jenis kerusakan' in kerusakan and "wajib diisi" in kerusakan
    assert kerusakan.count('type="radio"') == 3
    assert '<label class="choice" for="id_attr_kerusakan_2">' in kerusakan
    assert "Tidak tahu" not in kerusakan  # required: no way out

    dampak = field_block(page, 'name="attr_dampak"')
    assert dampak.startswith("<fieldset") and "<legend>Akibatnya</legend>" in dampak
    assert dampak.count('type="checkbox"') == 3
    assert 'aria-describedby="id_attr_dampak_helptext"' in dampak  # on the fieldset
    assert 'id="id_attr_dampak_helptext">Pilih semua yang sesuai.' in dampak

    lebar = field_block(page, 'id="id_attr_lebar_cm"')
    assert 'type="number"' in lebar and 'step="any"' in lebar and 'inputmode="decimal"' in lebar
    assert 'type="datetime-local"' in field_block(page, 'id="id_attr_sejak"')
    assert "<textarea" in field_block(page, 'id="id_attr_catatan"')

    # Informational: text, nothing to answer; a question no longer asked is not shown.
    assert "Foto dari dua arah sangat membantu." in page and 'name="attr_info"' not in page
    assert "Pertanyaan lama" not in page
    # In the order the administrator set.
    assert page.index("Nama ruas jalan") < page.index("Jenis kerusakan") < page.index("Sejak")
    # A screen reader hears that questions arrived (out of band, into the live region).
    assert '<span id="questions-status" hx-swap-oob="innerHTML">' in page
    assert "Kategori ini punya 7 pertanyaan tambahan" in page


@pytest.mark.parametrize("code", ["", "tidak-ada", "sampah", "nonaktif"])
def test_categories_without_questions_give_an_empty_answer(
    client: Client, city: City, road_questions: Questions, code: str
) -> None:
    Category.objects.create(
        code="nonaktif", name="Lama", default_agency=city.dpupr, is_active=False
    )
    CategoryAttribute.objects.create(
        category=Category.objects.get(code="nonaktif"), code="x", label="X", datatype="string"
    )
    page = client.get("/lapor/pertanyaan/", {"category": code}).content.decode()
    assert "<input" not in page and "questions__title" not in page
    assert '<span id="questions-status" hx-swap-oob="innerHTML"></span>' in page


def test_many_choices_make_a_select_and_optional_radios_can_be_undone(
    client: Client, city: City
) -> None:
    many = [{"key": f"k{i}", "name": f"Pilihan {i}"} for i in range(9)]
    CategoryAttribute.objects.create(
        category=city.waste, code="banyak", label="Banyak", datatype="singlevaluelist", values=many
    )
    CategoryAttribute.objects.create(
        category=city.waste,
        code="sedikit",
        label="Sedikit",
        datatype="singlevaluelist",
        values=many[:2],
        order=1,
    )
    page = client.get("/lapor/pertanyaan/", {"category": city.waste.code}).content.decode()
    banyak = field_block(page, 'id="id_attr_banyak"')
    assert '<label for="id_attr_banyak">Banyak</label>' in banyak
    assert "<select" in banyak and banyak.count("<option") == 10  # with "— Pilih —"
    sedikit = field_block(page, 'name="attr_sedikit"')
    assert sedikit.count('type="radio"') == 3 and "Tidak tahu" in sedikit


def test_the_form_loads_the_questions_with_htmx_and_has_none_before_a_choice(
    client: Client, city: City, road_questions: Questions
) -> None:
    page = client.get("/lapor/").content.decode()
    select = page[page.index('<select name="category"') :]
    select = select[: select.index(">")]
    assert 'hx-get="/lapor/pertanyaan/"' in select
    assert 'hx-target="#category-questions"' in select and 'hx-trigger="change"' in select
    assert '<div id="category-questions">' in page
    assert 'id="questions-status" aria-live="polite"' in page
    assert 'name="attr_' not in page


def test_answers_are_stored_with_the_report(
    client: Client, city: City, road_questions: Questions
) -> None:
    filed = file_through_portal(client, city, **ANSWERS, attr_info="diabaikan")
    assert filed.report.attributes == {
        "ruas": "Jl. Margonda Raya",
        "kerusakan": "amblas",
        "dampak": ["macet", "genangan"],
        "lebar_cm": "120.5",
        # The browser's local time is the Pemda's (Asia/Jakarta).
        "sejak": "2025-02-10T07:45:00+07:00",
        "catatan": "Paling parah di lajur kiri.",
    }


def test_unanswered_optional_questions_are_left_out(
    client: Client, city: City, road_questions: Questions
) -> None:
    filed = file_through_portal(
        client, city, attr_kerusakan="retak", attr_ruas="  ", attr_lebar_cm=""
    )
    assert filed.report.attributes == {"kerusakan": "retak"}


def test_refused_answers_stay_and_each_error_sits_at_its_question(
    client: Client, city: City, road_questions: Questions
) -> None:
    # No kind of damage (required), and a width too long for a number (refused by the service).
    data = {**ANSWERS, "attr_kerusakan": "", "attr_lebar_cm": "1e50"}
    response = client.post("/lapor/", report_data(city, **data))
    assert response.status_code == 400
    assert not Report.objects.exists()
    page = response.content.decode()
    assert "Laporan belum terkirim" in page

    kerusakan = field_block(page, 'name="attr_kerusakan"')
    assert kerusakan.startswith('<fieldset class="field field--error"')
    assert 'aria-describedby="id_attr_kerusakan_error"' in kerusakan
    assert '<ul class="errorlist" id="id_attr_kerusakan_error"><li>Wajib diisi.</li>' in kerusakan
    lebar = field_block(page, 'id="id_attr_lebar_cm"')
    assert "field--error" in lebar and 'aria-invalid="true"' in lebar
    assert 'id="id_attr_lebar_cm_error"><li>Terlalu panjang.</li>' in lebar
    assert page.count('class="errorlist"') == 2  # not repeated above the form

    # Every answer given is still there.
    assert 'value="Jl. Margonda Raya"' in field_block(page, 'id="id_attr_ruas"')
    dampak = field_block(page, 'name="attr_dampak"')
    assert 'value="macet" id="id_attr_dampak_0" checked' in dampak
    assert 'value="kecelakaan" id="id_attr_dampak_1">' in dampak
    assert 'value="genangan" id="id_attr_dampak_2" checked' in dampak
    assert 'value="1e50"' in lebar
    assert 'value="2025-02-10T07:45"' in field_block(page, 'id="id_attr_sejak"')
    assert "Paling parah di lajur kiri.</textarea>" in page


def test_a_choice_not_offered_is_refused_at_the_question(
    client: Client, city: City, road_questions: Questions
) -> None:
    data = {"attr_kerusakan": "retak", "attr_dampak": ["macet", "banjir"]}
    response = client.post("/lapor/", report_data(city, **data))
    assert response.status_code == 400
    dampak = field_block(response.content.decode(), 'name="attr_dampak"')
    assert "field--error" in dampak and 'id="id_attr_dampak_error"' in dampak
    assert 'value="retak" id="id_attr_kerusakan_1" checked' in response.content.decode()


def test_without_javascript_the_questions_appear_when_the_form_comes_back(
    client: Client, city: City, road_questions: Questions
) -> None:
    # The citizen chose "Jalan rusak" without seeing its questions: the required one stops
    # the report, and the form comes back asking all of them, with what was typed.
    response = client.post("/lapor/", report_data(city, address="Depan SDN 3"))
    assert response.status_code == 400
    assert not Report.objects.exists()
    page = response.content.decode()
    assert "Jenis kerusakan" in page and 'name="attr_ruas"' in page
    assert 'id="id_attr_kerusakan_error"' in page
    assert 'value="Depan SDN 3"' in page
    assert f'<option value="{city.road.code}" selected>' in page

    filed = file_through_portal(client, city, address="Depan SDN 3", attr_kerusakan="lubang")
    assert filed.report.attributes == {"kerusakan": "lubang"}


def test_answers_to_another_categorys_questions_are_dropped(
    client: Client, city: City, road_questions: Questions
) -> None:
    # Questions answered, then the category changed without JavaScript: the answers no longer
    # belong to the report and do not stop it.
    filed = file_through_portal(client, city, category=city.waste.code, **ANSWERS)
    assert filed.report.category == city.waste
    assert filed.report.attributes == {}


def test_the_demo_citys_street_lights_need_the_lamps_condition(client: Client) -> None:
    seed.seed_master()
    data = {
        "report_type": "pengaduan",
        "category": "pju",
        "title": "Lampu jalan di Jl. Nusantara",
        "description": "Lampu penerangan jalan di depan masjid tidak menyala sejak Senin.",
        "attr_nomor_tiang": "PJU-0042",
    }
    page = client.get("/lapor/pertanyaan/", {"category": "pju"}).content.decode()
    assert '<legend class="required">Kondisi lampu' in page
    refused = client.post("/lapor/", data)
    assert refused.status_code == 400
    assert 'id="id_attr_kondisi_error"' in field_block(refused.content.decode(), "Kondisi lampu")
    assert client.post("/lapor/", {**data, "attr_kondisi": "berkedip"}).status_code == 302
    report = Report.objects.get()
    assert report.attributes == {"nomor_tiang": "PJU-0042", "kondisi": "berkedip"}
