"""PEKPPP worksheets: the instrument as data, scores with evidence, pre-fill, the index."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image

from satupintu.catalogue import services as catalogue
from satupintu.core.errors import InvalidInput, NotPermitted, Stale
from satupintu.core.models import AuditEntry, User
from satupintu.evaluation import services
from satupintu.evaluation.indicators import indicators_refresh
from satupintu.evaluation.models import (
    PekpppEvidence,
    PekpppIndicator,
    PekpppInstrument,
    PekpppScore,
    PekpppWorksheet,
)
from satupintu.evaluation.selectors import worksheet_page
from satupintu.surveys.models import FollowUpAction, SkmResponse, SurveyPeriod
from tests.catalogue.conftest import make_service
from tests.conftest import City

pytestmark = pytest.mark.django_db

CODES = ["KP1", "KP2", "KP3", "KP4", "KP5", "KP6", "KP7", "KP8", "KP9"]
OTHERS = ["SDM", "SARPRAS", "SIPP", "KONSULTASI", "INOVASI"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def scores(worksheet: PekpppWorksheet) -> dict[str, tuple[Decimal | None, bool]]:
    return {
        row.indicator.code: (row.score, row.from_system)
        for row in PekpppScore.objects.filter(worksheet=worksheet).select_related("indicator")
    }


def pdf(name: str = "sk.pdf") -> tuple[str, io.BytesIO]:
    return name, io.BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


def answer(period: SurveyPeriod, city: City) -> None:
    """One respondent of the Puskesmas answers all nine unsur."""
    SkmResponse.objects.create(
        period=period, unit=city.puskesmas, channel="link", **{f"u{i}": 3 for i in range(1, 10)}
    )


def test_skm_results_published_and_followed_up(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    period = SurveyPeriod.objects.create(
        name="SKM semester I",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 2, 28),
        published_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
    )
    answer(period, city)
    for status, done_on in (
        ("done", dt.date(2025, 3, 1)),
        ("done", dt.date(2025, 3, 4)),
        ("planned", None),
    ):
        FollowUpAction.objects.create(
            period=period,
            unit=city.puskesmas,
            element="U3",
            action="Tambah loket pendaftaran pagi.",
            owner="Kepala TU",
            due_on=dt.date(2025, 3, 3),
            status=status,
            done_on=done_on,
        )
    got = scores(services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025))
    assert got["KP6"] == got["KP7"] == (Decimal(5), True)
    assert got["KP8"] == (Decimal(3), True)  # 2 of 3 actions done: 3.33 -> 3
    assert got["KP9"] == (Decimal(2), True)  # 1 of the 2 done by its due date: 2.5 -> 2


def test_default_instrument_is_domain_md_4_1(db: Any, capsys: Any) -> None:
    call_command("pekppp", "load-instrument")
    call_command("pekppp", "load-instrument")  # once only
    assert PekpppInstrument.objects.count() == 1
    call_command("pekppp", "show")
    out = capsys.readouterr().out
    assert "already stored" in out and "KP1" in out and "[standard]" in out
    weights = dict(PekpppIndicator.objects.values_list("code", "weight"))
    assert [weights[c] for c in CODES] == [17, 14, 7, 14, 10, 17, 7, 7, 7]
    assert weights["KONSULTASI"] == 100
    prefill = dict(PekpppIndicator.objects.exclude(prefill="").values_list("code", "prefill"))
    assert prefill == {
        "KP1": "standard",
        "KP3": "standard_published",
        "KP5": "maklumat",
        "KP6": "skm_done",
        "KP7": "skm_published",
        "KP8": "skm_followup",
        "KP9": "skm_followup_speed",
        "KONSULTASI": "complaints",
    }
    assert AuditEntry.objects.filter(object_type="pekpppinstrument", action="create").count() == 1


def test_worksheet_is_prefilled_from_what_the_system_knows(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    # Two services, both published with all 14 components, one stipulated and reviewed.
    first = make_service(city, evaluator, publish=True)
    catalogue.service_update(
        actor=evaluator,
        service_id=first.pk,
        values={"decree": "Keputusan Kepala Puskesmas 1/2025", "participation": "FKP Januari"},
    )
    make_service(city, evaluator, name="Imunisasi", publish=True)
    catalogue.unit_profile_update(
        actor=evaluator, unit=city.puskesmas, maklumat="Siap melayani.", hours="", address=""
    )
    period = SurveyPeriod.objects.create(
        name="SKM 2025", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30)
    )
    answer(period, city)
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    got = scores(sheet)
    # KP1: services score 4 and 2 -> mean 3; KP3: all published; KP5: maklumat; KP6: SKM held.
    assert got["KP1"] == (Decimal(3), True)
    assert got["KP3"] == (Decimal(5), True)
    assert got["KP5"] == (Decimal(5), True)
    assert got["KP6"] == (Decimal(5), True)
    # The SKM's results are not published; no follow-up recorded; no complaint indicators yet.
    assert got["KP7"] == (Decimal(0), True)
    assert got["KP8"] == got["KP9"] == got["KONSULTASI"] == (None, False)
    assert got["KP2"] == (None, False)
    # Opening again returns the same worksheet.
    assert services.worksheet_open(actor=evaluator, unit="pkm-pancoran-mas", year=2025) == sheet


def test_complaint_indicators_prefill_konsultasi(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    report = city.dispatched()
    from satupintu.complaints import services as complaints

    complaints.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    indicators_refresh(year=2025)
    sheet = services.worksheet_open(actor=city.sysadmin, unit=city.dpupr, year=2025)
    assert scores(sheet)["KONSULTASI"] == (Decimal(5), True)  # followed up in time, none late


def test_evaluator_scores_with_evidence_and_sees_the_index(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    entries = {code: services.Entry(score=Decimal(4)) for code in CODES + OTHERS}
    entries["KP1"] = services.Entry(score=Decimal(5), note="14 komponen, SK, FKP.", files=[pdf()])
    sheet = services.worksheet_save(
        actor=evaluator, worksheet_id=sheet.pk, entries=entries, expected_version=1
    )
    page = worksheet_page(evaluator, "pkm-pancoran-mas", 2025)
    assert page.computed is not None and page.computed.complete
    result = page.computed.result
    assert result is not None
    # 0.24 × (4 + 0.17 × 1) + 0.76 × 4 = 4.0408 -> 4.04, A- Sangat Baik.
    assert (result.rounded, result.grade.code, result.grade.label) == (
        Decimal("4.04"),
        "A-",
        "Sangat Baik",
    )
    evidence = PekpppEvidence.objects.get()
    assert (evidence.indicator.code, evidence.content_type) == ("KP1", "application/pdf")
    entry = AuditEntry.objects.filter(chain=f"pekpppworksheet:{sheet.pk}").last()
    assert entry is not None and entry.action == "score"
    assert "sk.pdf" in entry.changes and "14 komponen" in entry.changes
    # Saving the same values again changes nothing and writes nothing.
    again = services.worksheet_save(
        actor=evaluator, worksheet_id=sheet.pk, entries={"KP2": services.Entry(score=Decimal(4))}
    )
    assert again.version == sheet.version


def test_a_kept_suggestion_stays_marked_a_changed_one_does_not(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    catalogue.unit_profile_update(
        actor=evaluator, unit=city.puskesmas, maklumat="Siap.", hours="", address=""
    )
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    services.worksheet_save(
        actor=evaluator,
        worksheet_id=sheet.pk,
        entries={"KP5": services.Entry(score=Decimal(5)), "KP6": services.Entry(score=Decimal(2))},
    )
    got = scores(sheet)
    assert got["KP5"] == (Decimal(5), True)
    assert got["KP6"] == (Decimal(2), False)
    # Later the SKM is held: refreshing suggestions keeps the evaluator's own KP6.
    period = SurveyPeriod.objects.create(
        name="SKM", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)
    )
    answer(period, city)
    _sheet, changed = services.worksheet_prefill(actor=evaluator, worksheet_id=sheet.pk)
    assert changed == 0
    assert scores(sheet)["KP6"] == (Decimal(2), False)
    services.worksheet_save(
        actor=evaluator, worksheet_id=sheet.pk, entries={"KP6": services.Entry(score=None)}
    )
    _sheet, changed = services.worksheet_prefill(actor=evaluator, worksheet_id=sheet.pk)
    assert changed == 1
    assert scores(sheet)["KP6"] == (Decimal(5), True)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (services.Entry(score=Decimal("5.5")), "score_KP1"),
        (services.Entry(score=Decimal("-1")), "score_KP1"),
        (services.Entry(score=Decimal("3.333")), "score_KP1"),
        (services.Entry(note="x" * 5001), "note_KP1"),
        (services.Entry(files=[("surat.docx", io.BytesIO(b"PK\x03\x04 word"))]), "evidence_KP1"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_stored(
    city: City, evaluator: User, weekday: dt.date, entry: services.Entry, field: str
) -> None:
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    with pytest.raises(InvalidInput) as refused:
        services.worksheet_save(
            actor=evaluator,
            worksheet_id=sheet.pk,
            entries={"KP2": services.Entry(score=Decimal(3)), "KP1": entry},
        )
    assert field in refused.value.fields
    assert scores(sheet)["KP2"] == (None, False)
    assert not PekpppEvidence.objects.exists()


def test_images_are_re_encoded_like_report_attachments(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(out, format="JPEG")
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    services.worksheet_save(
        actor=evaluator,
        worksheet_id=sheet.pk,
        entries={
            "SARPRAS": services.Entry(
                score=Decimal(3), files=[("ruang-tunggu.jpg", io.BytesIO(out.getvalue()))]
            )
        },
    )
    evidence = PekpppEvidence.objects.get()
    assert evidence.content_type == "image/jpeg"
    assert evidence.file.name.startswith(f"evaluasi/{sheet.pk}/")
    services.evidence_delete(actor=evaluator, worksheet_id=sheet.pk, evidence_id=evidence.pk)
    assert not PekpppEvidence.objects.exists()


def test_only_evaluators_of_the_unit_may_score(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    with pytest.raises(NotPermitted):
        services.worksheet_open(actor=city.leader, unit=city.puskesmas, year=2025)
    with pytest.raises(NotPermitted):
        services.worksheet_open(actor=city.head_a, unit=city.dpupr, year=2025)
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    with pytest.raises(NotPermitted):
        services.worksheet_save(actor=city.officer_health, worksheet_id=sheet.pk, entries={})
    with pytest.raises(Stale):
        services.worksheet_save(
            actor=evaluator, worksheet_id=sheet.pk, entries={}, expected_version=9
        )
    with pytest.raises(InvalidInput) as refused:
        services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2016)
    assert "year" in refused.value.fields
    with pytest.raises(InvalidInput):
        services.worksheet_save(
            actor=evaluator, worksheet_id=sheet.pk, entries={"KP99": services.Entry()}
        )


def test_broken_weights_are_reported_not_crashed(
    city: City, evaluator: User, weekday: dt.date
) -> None:
    sheet = services.worksheet_open(actor=evaluator, unit=city.puskesmas, year=2025)
    PekpppIndicator.objects.filter(code="KP1").update(weight=Decimal(20))
    page = worksheet_page(evaluator, "pkm-pancoran-mas", 2025)
    assert page.computed is not None and page.computed.result is None
    assert "100%" in page.computed.problem
    assert sheet.pk
