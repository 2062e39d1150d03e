"""SKM storage and the database-side IKM (domain.md §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from satupintu.core.errors import InvalidInput
from satupintu.core.models import AuditEntry
from satupintu.domain.indices import ikm_by_unit
from satupintu.surveys import selectors, services
from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod

# Hand-computed example, two units.
# Dinas PUPR, 3 respondents:
#   (4,4,3,3,4,4,4,3,3)  (3,3,3,2,3,3,4,3,None)  (4,3,None,3,4,4,4,4,3)
#   NRR: U1 11/3, U2 10/3, U3 6/2, U4 8/3, U5 11/3, U6 11/3, U7 12/3, U8 10/3, U9 6/2
#   Σ NRR = 11/3+10/3+3+8/3+11/3+11/3+4+10/3+3 = 61/3 + 10 = 91/3
#   IKM = 91/3 × 1/9 × 25 = 2275/27 = 84.259... → 84.26, B (76.61 ≤ · < 88.31)
# Puskesmas, 2 respondents: all 4 and all 2 except U9 blank on the second
#   NRR 3 for U1..U8, 4 for U9: Σ = 28; IKM = 28/9 × 25 = 700/9 = 77.78, B
PUPR_ROWS: list[tuple[int | None, ...]] = [
    (4, 4, 3, 3, 4, 4, 4, 3, 3),
    (3, 3, 3, 2, 3, 3, 4, 3, None),
    (4, 3, None, 3, 4, 4, 4, 4, 3),
]
PKM_ROWS: list[tuple[int | None, ...]] = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (2, 2, 2, 2, 2, 2, 2, 2, None),
]


@pytest.fixture
def period(db: Any) -> SurveyPeriod:
    return SurveyPeriod.objects.create(
        name="SKM 2025 semester I",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 6, 30),
        is_open=True,
    )


def _store(period: SurveyPeriod, unit: Any, rows: list[tuple[int | None, ...]]) -> None:
    SkmResponse.objects.bulk_create(
        [
            SkmResponse(
                period=period,
                unit=unit,
                channel="link",
                **dict(zip(ANSWER_FIELDS, row, strict=True)),
            )
            for row in rows
        ]
    )


def _submit(period: SurveyPeriod, unit: Any, **overrides: Any) -> SkmResponse:
    fields: dict[str, Any] = {
        "period": period,
        "unit": unit,
        "answers": {"u1": 4, "u2": 3},
        "profile": {"gender": "P", "age_band": "30-39"},
        "suggestion": "  Antrean lebih cepat.  ",
        "channel": "qr",
    }
    fields.update(overrides)
    return services.response_submit(**fields)


def test_hand_computed_example_matches_pure_calculator(city: Any, period: SurveyPeriod) -> None:
    _store(period, city.dpupr, PUPR_ROWS)
    _store(period, city.puskesmas, PKM_ROWS)

    got = selectors.ikm_for_period(period)

    pupr = got.for_unit(city.dpupr.pk)
    pkm = got.for_unit(city.puskesmas.pk)
    assert pupr is not None and pupr.result is not None
    assert pkm is not None and pkm.result is not None
    assert pupr.result.value == Fraction(2275, 27)
    assert pupr.result.rounded == Decimal("84.26")
    assert pupr.result.grade.code == "B"
    assert pkm.result.value == Fraction(700, 9)
    assert pkm.result.rounded == Decimal("77.78")
    assert [u.unit_name for u in got.units] == ["Dinas PUPR", "Puskesmas Pancoran Mas"]

    pure = ikm_by_unit(
        [("Dinas PUPR", row) for row in PUPR_ROWS]
        + [("Puskesmas Pancoran Mas", row) for row in PKM_ROWS]
    )
    assert pure.units["Dinas PUPR"] == pupr.result
    assert pure.units["Puskesmas Pancoran Mas"] == pkm.result
    # Overall pools every answer, as the domain does.
    assert got.overall == pure.overall
    assert got.respondents == 5


def test_unit_filter_limits_units_and_overall(city: Any, period: SurveyPeriod) -> None:
    _store(period, city.dpupr, PUPR_ROWS)
    _store(period, city.puskesmas, PKM_ROWS)
    other = SurveyPeriod.objects.create(
        name="lain", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31)
    )
    _store(other, city.dpupr, [(1,) * 9])

    got = selectors.ikm_for_period(period, unit_ids=[city.puskesmas.pk])

    assert [u.unit_id for u in got.units] == [city.puskesmas.pk]
    assert got.overall == ikm_by_unit([("", row) for row in PKM_ROWS]).overall


def test_unit_with_unanswered_unsur_has_no_ikm_but_overall_has(
    city: Any, period: SurveyPeriod
) -> None:
    _store(period, city.dpupr, PUPR_ROWS)
    _store(period, city.dlhk, [(3, 3, 3, 3, 3, 3, 3, 3, None)])

    got = selectors.ikm_for_period(period)

    dlhk = got.for_unit(city.dlhk.pk)
    assert dlhk is not None and dlhk.result is None
    assert "U9" in dlhk.problem
    assert got.overall is not None


def test_empty_period(period: SurveyPeriod) -> None:
    got = selectors.ikm_for_period(period)
    assert got.units == () and got.overall is None and "no respondents" in got.overall_problem


@pytest.mark.parametrize("count", [10, 100])
def test_query_count_is_constant(
    city: Any, period: SurveyPeriod, count: int, django_assert_max_num_queries: Any
) -> None:
    units = [city.dpupr, city.dlhk, city.puskesmas, city.dinkes]
    for i in range(count):
        _store(period, units[i % len(units)], [tuple((i + k) % 4 + 1 for k in range(9))])
    with django_assert_max_num_queries(3):
        got = selectors.ikm_for_period(period)
    assert got.respondents == count


# --------------------------------------------------------------------------- response_submit


@pytest.fixture
def in_period(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)


@pytest.mark.usefixtures("in_period")
def test_submit_stores_anonymous_response_without_audit(city: Any, period: SurveyPeriod) -> None:
    entries = AuditEntry.objects.count()
    response = _submit(period, city.puskesmas)
    response.refresh_from_db()
    assert response.answers() == (4, 3, None, None, None, None, None, None, None)
    assert response.suggestion == "Antrean lebih cepat."
    assert (response.gender, response.age_band, response.education) == ("P", "30-39", "")
    assert AuditEntry.objects.count() == entries


@pytest.mark.usefixtures("in_period")
@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"u1": 5}, "u1"),
        ({"u1": 4, "u3": 0}, "u3"),
        ({"u2": "3"}, "u2"),
        ({"u1": True}, "u1"),
        ({"u10": 3}, "u10"),
        ({}, "answers"),
        ({"u1": None, "u9": None}, "answers"),
    ],
)
def test_submit_refuses_bad_answers(
    city: Any, period: SurveyPeriod, answers: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _submit(period, city.puskesmas, answers=answers)
    assert field in caught.value.fields
    assert not SkmResponse.objects.exists()


@pytest.mark.usefixtures("in_period")
def test_submit_refuses_closed_period(city: Any, period: SurveyPeriod) -> None:
    services.period_close(actor=city.sysadmin, period=period)
    with pytest.raises(InvalidInput) as caught:
        _submit(period, city.puskesmas)  # the caller's copy still says open
    assert caught.value.fields == {"period": "Periode ditutup."}
    assert caught.value.message == "Periode survei sudah ditutup."


@pytest.mark.usefixtures("in_period")
def test_submit_refuses_date_outside_period(city: Any) -> None:
    later = SurveyPeriod.objects.create(
        name="SKM semester II",
        starts_on=dt.date(2025, 7, 1),
        ends_on=dt.date(2025, 12, 31),
        is_open=True,
    )
    with pytest.raises(InvalidInput) as caught:
        _submit(later, city.puskesmas)
    assert "period" in caught.value.fields


@pytest.mark.usefixtures("in_period")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"profile": {"gender": "X"}}, "gender"),
        ({"profile": {"hobby": "x"}}, "hobby"),
        ({"channel": "fax"}, "channel"),
        ({"suggestion": "x" * 4001}, "suggestion"),
    ],
)
def test_submit_refuses_bad_profile_channel_suggestion(
    city: Any, period: SurveyPeriod, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _submit(period, city.puskesmas, **overrides)
    assert field in caught.value.fields


@pytest.mark.usefixtures("in_period")
def test_submit_refuses_inactive_or_external_unit(city: Any, period: SurveyPeriod) -> None:
    city.dlhk.is_active = False
    city.dlhk.save()
    for unit in (city.dlhk, city.pln):
        with pytest.raises(InvalidInput) as caught:
            _submit(period, unit)
        assert "unit" in caught.value.fields


def test_open_and_close_are_audited_once(city: Any) -> None:
    period = services.period_create(
        actor=city.sysadmin,
        name="SKM 2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    services.period_open(actor=city.sysadmin, period=period)
    services.period_open(actor=city.sysadmin, period=period)  # no change: no entry
    services.period_close(actor=city.sysadmin, period=period)
    actions = list(
        AuditEntry.objects.filter(chain=f"surveyperiod:{period.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "open", "close"]


def test_period_create_refuses_end_before_start(city: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.period_create(
            actor=city.sysadmin,
            name="x",
            starts_on=dt.date(2026, 2, 1),
            ends_on=dt.date(2026, 1, 1),
        )
    assert "ends_on" in caught.value.fields


def test_database_refuses_score_out_of_range(city: Any, period: SurveyPeriod) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SkmResponse.objects.create(period=period, unit=city.dpupr, channel="link", u4=5)
