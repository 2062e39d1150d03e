"""The evaluator's SKM pages at /petugas/skm/ and the published results on the portal."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from satupintu.core.models import AuditEntry, User
from satupintu.surveys.models import FollowUpAction, SurveyPeriod, SurveyTarget
from tests.surveys.conftest import Skm
from tests.surveys.test_evaluation import PKM_ROWS, PUPR_ROWS

Login = Callable[[User], Client]


def _text(response: Any) -> str:
    return response.content.decode()


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def results(skm: Skm) -> SurveyPeriod:
    """A closed period with answers in two units, targets, a suggestion and a follow-up."""
    city = skm.city
    period = skm.period("SKM 2025", is_open=False)
    SurveyTarget.objects.create(period=period, unit=city.dpupr, population=50)
    SurveyTarget.objects.create(period=period, unit=city.puskesmas, population=10)
    skm.answers(period, city.dpupr, PUPR_ROWS[:2], suggestion="Ruang tunggu & loket <panas>.")
    skm.answers(period, city.dpupr, PUPR_ROWS[2:], gender="P")
    skm.answers(period, city.puskesmas, PKM_ROWS)
    FollowUpAction.objects.create(
        period=period,
        unit=city.dpupr,
        element="u4",
        action="Umumkan tarif di loket.",
        owner="Sekretaris Dinas PUPR",
        due_on=dt.date(2025, 12, 1),
    )
    return period


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("who", ["officer_a", "verifier", "leader", "outsider"])
def test_pages_do_not_exist_for_non_evaluators(
    skm: Skm, login: Login, results: SurveyPeriod, who: str
) -> None:
    client = login(getattr(skm.city, who))
    for name in ("skm:periods", "skm:period", "skm:results", "skm:export_pdf", "skm:follow_ups"):
        args = [] if name == "skm:periods" else [results.pk]
        assert client.get(reverse(name, args=args)).status_code == 404
    assert "Survei Kepuasan Masyarakat" not in _text(client.get(reverse("desk:home")))


def test_signed_out_goes_to_login(results: SurveyPeriod) -> None:
    response = Client().get(reverse("skm:results", args=[results.pk]))
    assert response.status_code == 302 and "/petugas/masuk/" in response["Location"]


def test_home_offers_the_skm_to_evaluators(skm: Skm, login: Login) -> None:
    page = _text(login(skm.evaluator).get(reverse("desk:home")))
    assert reverse("skm:periods") in page


# --------------------------------------------------------------------------- periods


def test_evaluator_creates_a_period(skm: Skm, login: Login) -> None:
    client = login(skm.evaluator)
    response = client.post(
        reverse("skm:periods"),
        {"name": "SKM 2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    period = SurveyPeriod.objects.get(name="SKM 2026")
    assert response.status_code == 302 and response["Location"] == reverse(
        "skm:period", args=[period.pk]
    )
    assert period.state == SurveyPeriod.State.DRAFT
    page = _text(client.get(reverse("skm:periods")))
    assert "SKM 2026" in page and "disiapkan" in page


def test_period_with_end_before_start_is_refused_on_the_form(skm: Skm, login: Login) -> None:
    response = login(skm.evaluator).post(
        reverse("skm:periods"),
        {"name": "SKM 2026", "starts_on": "2026-12-31", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "Tidak boleh sebelum tanggal mulai." in _text(response)
    assert not SurveyPeriod.objects.exists()


def test_opd_evaluator_sees_periods_but_cannot_create(skm: Skm, login: Login) -> None:
    client = login(skm.health_evaluator)
    page = client.get(reverse("skm:periods"))
    assert page.status_code == 200 and 'id="periode-baru"' not in _text(page)
    response = client.post(
        reverse("skm:periods"),
        {"name": "x", "starts_on": "2026-01-01", "ends_on": "2026-01-02"},
    )
    assert response.status_code == 404


def test_open_close_publish_buttons(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    client = login(skm.evaluator)
    period_url = reverse("skm:period", args=[results.pk])
    response = client.post(reverse("skm:period_action", args=[results.pk, "publikasi"]))
    assert response.status_code == 302
    results.refresh_from_db()
    assert results.state == SurveyPeriod.State.PUBLISHED
    # Reopening a published period is refused with a message, nothing changes.
    response = client.post(reverse("skm:period_action", args=[results.pk, "buka"]), follow=True)
    assert "tidak dapat dibuka kembali" in _text(response)
    results.refresh_from_db()
    assert not results.is_open
    assert client.post(reverse("skm:period_action", args=[results.pk, "hapus"])).status_code == 404
    assert "Lihat di portal warga" in _text(client.get(period_url))
    assert client.get(reverse("skm:period_action", args=[results.pk, "buka"])).status_code == 405


# --------------------------------------------------------------------------- targets, progress


def test_targets_form_sets_populations_and_progress_shows_them(skm: Skm, login: Login) -> None:
    city = skm.city
    period = skm.period()
    skm.answers(period, city.dlhk, [(3,) * 9] * 5)
    client = login(skm.evaluator)
    data = {f"unit-{city.dlhk.pk}": "100", f"unit-{city.dpupr.pk}": "1000"}
    response = client.post(reverse("skm:targets", args=[period.pk]), data)
    assert response.status_code == 302
    assert SurveyTarget.objects.get(unit=city.dlhk).population == 100
    page = _text(client.get(reverse("skm:period", args=[period.pk])))
    # Dinas LHK: 5 of 80 (N=100), Dinas PUPR: 0 of 278 (N=1000), domain.md §3.4.
    assert re.search(r"Dinas LHK.*?80.*?>5<.*?6%", page, re.S)
    assert re.search(r"Dinas PUPR.*?278", page, re.S)
    assert f"/survei/{period.pk}/dlhk/qr.png" in page
    assert f"/survei/{period.pk}/dlhk/?kiosk=1" in page
    # The same form again with one unit cleared removes it; one audit entry per change.
    response = client.post(
        reverse("skm:targets", args=[period.pk]),
        {f"unit-{city.dlhk.pk}": "100", f"unit-{city.dpupr.pk}": ""},
    )
    assert list(SurveyTarget.objects.values_list("unit_id", flat=True)) == [city.dlhk.pk]
    assert (
        AuditEntry.objects.filter(chain=f"surveyperiod:{period.pk}", action="target").count() == 3
    )
    # A form that does not send a unit's field at all (another page, a script) leaves it alone.
    response = client.post(
        reverse("skm:targets", args=[period.pk]), {f"unit-{city.dpupr.pk}": "500"}
    )
    assert response.status_code == 302
    assert dict(SurveyTarget.objects.values_list("unit_id", "population")) == {
        city.dlhk.pk: 100,
        city.dpupr.pk: 500,
    }


def test_bad_population_is_shown_next_to_its_unit(skm: Skm, login: Login) -> None:
    period = skm.period()
    response = login(skm.evaluator).post(
        reverse("skm:targets", args=[period.pk]), {f"unit-{skm.city.dlhk.pk}": "-3"}
    )
    assert response.status_code == 400
    assert "field--error" in _text(response)
    assert not SurveyTarget.objects.exists()


def test_progress_partial_for_polling(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    response = login(skm.evaluator).get(
        reverse("skm:progress", args=[results.pk]), HTTP_HX_REQUEST="true"
    )
    page = _text(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'hx-trigger="every 20s"' in page and "Puskesmas Pancoran Mas" in page


def test_opd_evaluator_only_sees_and_sets_its_units(
    skm: Skm, login: Login, results: SurveyPeriod
) -> None:
    client = login(skm.health_evaluator)
    page = _text(client.get(reverse("skm:period", args=[results.pk])))
    assert "Puskesmas Pancoran Mas" in page and "Dinas PUPR" not in page
    response = client.post(
        reverse("skm:targets", args=[results.pk]), {f"unit-{skm.city.dpupr.pk}": "5"}
    )
    assert response.status_code == 302  # not a field of their form: ignored
    assert SurveyTarget.objects.get(unit=skm.city.dpupr).population == 50


def test_qr_sheet_has_one_page_per_unit(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    response = login(skm.evaluator).get(reverse("skm:qr_sheet", args=[results.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(response.content)
    assert pages == 2
    assert "Dinas PUPR" in text and "Puskesmas Pancoran Mas" in text
    assert f"http://testserver/survei/{results.pk}/dpupr/?via=qr" in text


def test_qr_sheet_needs_targets(skm: Skm, login: Login) -> None:
    period = skm.period()
    response = login(skm.evaluator).get(reverse("skm:qr_sheet", args=[period.pk]), follow=True)
    assert "Atur target sampel" in _text(response)


# --------------------------------------------------------------------------- results


def test_results_page_per_element_unit_and_u9_ratings(
    skm: Skm, login: Login, results: SurveyPeriod
) -> None:
    client = login(skm.evaluator)
    page = _text(client.get(reverse("skm:results", args=[results.pk])))
    assert "Seluruh unit (Pemda)" in page
    # Pooled IKM of the five respondents, and each unit's (test_evaluation.py).
    assert "84,26" in page and "77,78" in page
    assert "Pembanding: belum ada pengaduan selesai" in page
    unit_page = _text(client.get(reverse("skm:results", args=[results.pk]), {"unit": "dpupr"}))
    assert "3 responden" in unit_page
    assert "?unit=dpupr&amp;element=u4#baru" in unit_page  # weakest unsur of PUPR: U4


def test_results_page_in_english(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    client = login(skm.evaluator)
    client.cookies["django_language"] = "en"
    page = _text(client.get(reverse("skm:results", args=[results.pk])))
    assert "84.26" in page and "Good" in page


@pytest.mark.parametrize("units", [1, 5])
def test_results_page_query_count(
    skm: Skm, login: Login, units: int, django_assert_max_num_queries: Any
) -> None:
    from satupintu.agencies.models import Agency

    period = skm.period()
    for index in range(units):
        unit = Agency.objects.create(code=f"u{index}", name=f"U {index}", kind="unit")
        SurveyTarget.objects.create(period=period, unit=unit, population=20)
        skm.answers(period, unit, [(3,) * 9] * 3)
    client = login(skm.evaluator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("skm:results", args=[period.pk])).status_code == 200


def test_xlsx_export_reads_back(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    response = login(skm.evaluator).get(reverse("skm:export_xlsx", args=[results.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="skm-skm-2025-hasil.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Unsur",
        "Unit",
        "Tren",
        "Profil responden",
        "Tindak lanjut",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["IKM"] == pytest.approx(81.48) and summary["Mutu pelayanan"] == "B"
    assert summary["Responden"] == 5 and summary["Target sampel (Krejcie–Morgan)"] == 54
    elements = list(book["Unsur"].iter_rows(min_row=2, max_row=10, values_only=True))
    assert [row[0] for row in elements] == [f"U{i}" for i in range(1, 10)]
    assert elements[0][2:6] == (5, 17, pytest.approx(3.4), pytest.approx(85.0))
    units = {row[0]: row for row in book["Unit"].iter_rows(min_row=2, values_only=True)}
    assert units["dpupr"][2:5] == (50, 44, 3) and units["dpupr"][14] == pytest.approx(84.26)
    follow = list(book["Tindak lanjut"].iter_rows(min_row=2, values_only=True))
    assert follow[0][2] == "Umumkan tarif di loket." and follow[0][5] == "Direncanakan"


def test_pdf_report_reads_back(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    response = login(skm.evaluator).get(reverse("skm:export_pdf", args=[results.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(response.content)
    assert pages >= 2
    for section in (
        "Laporan Survei Kepuasan Masyarakat",
        "1. Metode",
        "2. Sampel dan responden",
        "3. Hasil per unsur",
        "4. IKM per unit layanan",
        "5. Ringkasan saran dan masukan",
        "6. Rencana tindak lanjut",
    ):
        assert section in text
    assert "84,26" in text and "77,78" in text and "Krejcie" in text
    assert "Ruang tunggu & loket <panas>." in text  # user text escaped, not markup
    assert "Umumkan tarif di loket." in text
    assert f"Halaman 1 dari {pages}" in text


def test_suggestions_page(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    client = login(skm.evaluator)
    page = _text(client.get(reverse("skm:suggestions", args=[results.pk])))
    assert page.count("Ruang tunggu &amp; loket &lt;panas&gt;.") == 2
    other = _text(
        client.get(reverse("skm:suggestions", args=[results.pk]), {"unit": "pkm-pancoran-mas"})
    )
    assert "Belum ada saran tertulis." in other


@pytest.mark.parametrize(
    "asked", ["9223372036854775807", "1" + "0" * 40, "2", "-1", "0", "abc", "1e3"]
)
def test_any_page_number_of_suggestions_is_a_page(
    skm: Skm, login: Login, results: SurveyPeriod, asked: str
) -> None:
    response = login(skm.evaluator).get(
        reverse("skm:suggestions", args=[results.pk]), {"page": asked}
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == 1  # one page of suggestions: past its end is that page
    assert _text(response).count("Ruang tunggu &amp; loket &lt;panas&gt;.") == 2


# --------------------------------------------------------------------------- follow-ups


def test_follow_up_recorded_and_completed_from_the_page(
    skm: Skm, login: Login, results: SurveyPeriod, weekday: dt.date
) -> None:
    client = login(skm.evaluator)
    url = reverse("skm:follow_ups", args=[results.pk])
    form = _text(client.get(url, {"unit": "dpupr", "element": "u3"}))
    assert '<option value="u3" selected>' in form
    response = client.post(
        url,
        {
            "unit": "dpupr",
            "element": "u3",
            "action": "Tambah petugas loket pada jam sibuk.",
            "owner": "Kepala Bidang",
            "due_on": "2025-06-30",
        },
    )
    assert response.status_code == 302
    item = FollowUpAction.objects.get(element="u3")
    status_url = reverse("skm:follow_up_status", args=[item.pk])
    refused = client.post(status_url, {"status": "done"}, follow=True)
    assert "Tuliskan hasil tindak lanjut" in _text(refused)
    client.post(status_url, {"status": "done", "result": "Dua petugas ditambah."})
    item.refresh_from_db()
    assert item.status == "done" and item.done_on == weekday
    page = _text(client.get(url))
    assert "1 dari 2 rencana tindak lanjut selesai." in page


def test_follow_up_form_errors(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    response = login(skm.evaluator).post(
        reverse("skm:follow_ups", args=[results.pk]),
        {"unit": "pln-depok", "element": "u3", "action": "", "owner": "x", "due_on": "x"},
    )
    assert response.status_code == 400
    assert FollowUpAction.objects.count() == 1


def test_another_opds_follow_up_is_not_found(skm: Skm, login: Login, results: SurveyPeriod) -> None:
    item = FollowUpAction.objects.get()
    response = login(skm.health_evaluator).post(
        reverse("skm:follow_up_status", args=[item.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 404


# --------------------------------------------------------------------------- portal


def test_published_results_on_the_portal(skm: Skm, results: SurveyPeriod) -> None:
    client = Client()
    assert client.get(reverse("surveys:published", args=[results.pk])).status_code == 404
    assert "SKM 2025" not in _text(client.get(reverse("surveys:published_list")))
    results.published_at = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    results.save()
    listing = _text(client.get(reverse("surveys:published_list")))
    assert "SKM 2025" in listing and "81,48" in listing  # all five answers pooled
    page = _text(client.get(reverse("surveys:published", args=[results.pk])))
    assert "Dinas PUPR" in page and "77,78" in page and "Umumkan tarif di loket." in page
    assert "Ruang tunggu" not in page  # suggestions stay with the evaluators
