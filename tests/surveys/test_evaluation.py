"""Running an SKM: period lifecycle, sample targets, results, follow-up actions, skm_status."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from satupintu.complaints import services as complaints
from satupintu.complaints.selectors import Ratings
from satupintu.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from satupintu.core.models import AuditEntry
from satupintu.domain.indices import ikm
from satupintu.surveys import policies, selectors, services
from satupintu.surveys.models import FollowUpAction, SurveyPeriod, SurveyTarget
from tests.surveys.conftest import Skm

# Hand-computed (tests/surveys/test_ikm.py): Dinas PUPR IKM 2275/27 = 84.26 (B);
# Puskesmas 700/9 = 77.78 (B).
PUPR_ROWS: list[tuple[int | None, ...]] = [
    (4, 4, 3, 3, 4, 4, 4, 3, 3),
    (3, 3, 3, 2, 3, 3, 4, 3, None),
    (4, 3, None, 3, 4, 4, 4, 4, 3),
]
PKM_ROWS: list[tuple[int | None, ...]] = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (2, 2, 2, 2, 2, 2, 2, 2, None),
]


def _actions(chain: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(chain=chain).order_by("seq").values_list("action", flat=True)
    )


# --------------------------------------------------------------------------- periods


def test_period_goes_from_draft_to_published_and_is_audited(skm: Skm) -> None:
    actor = skm.evaluator
    period = services.period_create(
        actor=actor, name="SKM 2025", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)
    )
    assert period.state == SurveyPeriod.State.DRAFT
    period = services.period_open(actor=actor, period=period)
    assert period.state == SurveyPeriod.State.OPEN and period.opened_at is not None
    with pytest.raises(Conflict, match="Tutup periode"):
        services.period_publish(actor=actor, period=period)
    period = services.period_close(actor=actor, period=period)
    assert period.state == SurveyPeriod.State.CLOSED
    with pytest.raises(Conflict, match="belum memiliki jawaban"):
        services.period_publish(actor=actor, period=period)
    skm.answers(period, skm.city.dpupr, PUPR_ROWS)
    period = services.period_publish(actor=actor, period=period)
    assert period.state == SurveyPeriod.State.PUBLISHED
    with pytest.raises(Conflict, match="tidak dapat dibuka kembali"):
        services.period_open(actor=actor, period=period)
    assert _actions(f"surveyperiod:{period.pk}") == ["create", "open", "close", "publish"]


@pytest.mark.parametrize("who", ["health_evaluator", "officer_a", "leader", "outsider"])
def test_only_pemda_evaluators_and_sysadmins_manage_periods(skm: Skm, who: str) -> None:
    user = getattr(skm, who, None) or getattr(skm.city, who)
    with pytest.raises(NotPermitted):
        services.period_create(
            actor=user, name="x", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 2, 1)
        )
    period = skm.period(is_open=False, opened_at=None)
    with pytest.raises(NotPermitted):
        services.period_open(actor=user, period=period)
    assert not AuditEntry.objects.filter(chain=f"surveyperiod:{period.pk}").exists()


def test_scope_of_an_opd_evaluator(skm: Skm) -> None:
    access = policies.skm_access(skm.health_evaluator)
    city = skm.city
    assert access.may_evaluate and not access.manages_periods
    assert access.covers(city.dinkes.pk) and access.covers(city.puskesmas.pk)
    assert not access.covers(city.dpupr.pk)
    assert set(policies.units_in_scope(access)) == {city.dinkes, city.puskesmas}
    assert policies.skm_access(city.officer_a).may_evaluate is False
    assert policies.skm_access(city.sysadmin).manages_periods


# --------------------------------------------------------------------------- targets


def test_targets_are_set_changed_and_removed_with_audit(skm: Skm) -> None:
    city, period = skm.city, skm.period()
    changed = services.targets_set(
        actor=skm.evaluator,
        period=period,
        populations={city.dpupr.pk: 1000, city.puskesmas.pk: 100, city.dlhk.pk: None},
    )
    assert changed == 2
    assert dict(SurveyTarget.objects.values_list("unit_id", "population")) == {
        city.dpupr.pk: 1000,
        city.puskesmas.pk: 100,
    }
    # Unchanged values write nothing; a change and a removal are one entry each.
    changed = services.targets_set(
        actor=skm.evaluator,
        period=period,
        populations={city.dpupr.pk: 1000, city.puskesmas.pk: 120, city.dlhk.pk: None},
    )
    assert changed == 1
    services.targets_set(actor=skm.evaluator, period=period, populations={city.dpupr.pk: None})
    assert list(SurveyTarget.objects.values_list("unit_id", flat=True)) == [city.puskesmas.pk]
    entries = AuditEntry.objects.filter(chain=f"surveyperiod:{period.pk}", action="target")
    assert entries.count() == 4
    last = entries.order_by("-seq").first()
    assert last is not None and "dpupr" in last.changes


@pytest.mark.parametrize("bad", [0, -5, "12", 2.5, True])
def test_a_bad_population_changes_nothing(skm: Skm, bad: object) -> None:
    city, period = skm.city, skm.period()
    with pytest.raises(InvalidInput) as caught:
        services.targets_set(
            actor=skm.evaluator,
            period=period,
            populations={city.dlhk.pk: 50, city.dpupr.pk: bad},  # type: ignore[dict-item]
        )
    assert f"unit-{city.dpupr.pk}" in caught.value.fields
    assert not SurveyTarget.objects.exists()


def test_targets_only_for_units_in_scope_and_not_after_publishing(skm: Skm) -> None:
    city, period = skm.city, skm.period()
    with pytest.raises(NotFound):
        services.targets_set(
            actor=skm.health_evaluator, period=period, populations={city.dpupr.pk: 10}
        )
    with pytest.raises(NotFound):  # external agencies take no survey
        services.targets_set(actor=skm.evaluator, period=period, populations={city.pln.pk: 10})
    services.targets_set(
        actor=skm.health_evaluator, period=period, populations={city.puskesmas.pk: 10}
    )
    published = skm.period(
        "old", is_open=False, published_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    )
    with pytest.raises(Conflict):
        services.targets_set(actor=skm.evaluator, period=published, populations={city.dpupr.pk: 9})


def test_progress_counts_against_krejcie_morgan_targets(skm: Skm) -> None:
    city, period = skm.city, skm.period()
    services.targets_set(
        actor=skm.evaluator,
        period=period,
        populations={city.dpupr.pk: 10, city.puskesmas.pk: 100},  # targets 10 and 80 (§3.4)
    )
    skm.answers(period, city.dpupr, [(4,) * 9] * 12)
    skm.answers(period, city.puskesmas, [(3,) * 9] * 20)
    skm.answers(period, city.dlhk, [(2,) * 9] * 3)  # no target

    got = selectors.progress(period, policies.skm_access(skm.evaluator))

    rows = {row.code: row for row in got.rows}
    assert (rows["dpupr"].target, rows["dpupr"].collected, rows["dpupr"].percent) == (10, 12, 120)
    assert rows["dpupr"].reached and rows["dpupr"].bar == 100
    assert (rows["pkm-pancoran-mas"].target, rows["pkm-pancoran-mas"].percent) == (80, 25)
    assert rows["dlhk"].target is None and rows["dlhk"].percent is None
    assert [row.code for row in got.rows][-1] == "dlhk"  # units without a target last
    # A unit's surplus does not fill another's gap: (10 + 20) / 90.
    assert (got.target, got.collected, got.percent) == (90, 35, 33)
    assert got.units_reached == 1

    scoped = selectors.progress(period, policies.skm_access(skm.health_evaluator))
    assert [row.code for row in scoped.rows] == ["pkm-pancoran-mas"]


# --------------------------------------------------------------------------- results


def _close_with_rating(skm: Skm, rating: int) -> None:
    report = skm.city.resolved()
    complaints.report_confirm(actor=skm.city.reporter(report), report_id=report.pk, rating=rating)


@pytest.mark.usefixtures("weekday")
def test_period_report_per_unit_element_and_overall(skm: Skm) -> None:
    city = skm.city
    period = skm.period()
    services.targets_set(
        actor=skm.evaluator, period=period, populations={city.dpupr.pk: 50, city.dlhk.pk: 20}
    )
    skm.answers(period, city.dpupr, PUPR_ROWS, suggestion="Ruang tunggu panas.", gender="P")
    skm.answers(period, city.puskesmas, PKM_ROWS, gender="L", age_band="30-39")
    _close_with_rating(skm, 5)
    _close_with_rating(skm, 2)

    report = selectors.period_report(period, policies.skm_access(skm.evaluator))

    pupr = next(u for u in report.units if u.code == "dpupr")
    pkm = next(u for u in report.units if u.code == "pkm-pancoran-mas")
    dlhk = next(u for u in report.units if u.code == "dlhk")
    assert pupr.result is not None and pupr.result.value == Fraction(2275, 27)
    assert pupr.result.grade.code == "B" and pupr.target == 44  # N=50 → 44 (§3.4)
    assert pkm.result is not None and pkm.result.rounded == Decimal("77.78")
    assert dlhk.respondents == 0 and dlhk.result is None and dlhk.target == 19
    # The weakest unsur of PUPR: U4 (8/3) then U3 and U9 (3, questionnaire order).
    assert [e.code for e in pupr.weakest] == ["U4", "U3", "U9"]
    # Ratings of PUPR's complaints closed in the period, shown beside U9.
    assert pupr.ratings == Ratings(count=2, total=7)
    assert pupr.ratings.mean == Fraction(7, 2)
    assert pkm.ratings == Ratings()
    assert report.ratings == Ratings(count=2, total=7)
    assert report.respondents == 5 and report.suggestions == 3
    assert report.overall is not None
    u1 = report.overall.elements[0]
    assert (u1.answered, u1.total) == (5, 17)
    gender = report.profile[0]
    assert [(row.label, row.count) for row in gender.rows] == [
        ("Laki-laki", 2),
        ("Perempuan", 3),
    ]
    assert [(row.label, row.count) for row in report.profile[1].rows][-1] == (
        "tidak menjawab",
        3,
    )
    assert [(row.label, row.count) for row in report.channels] == [("Tautan", 5)]


def test_ratings_outside_the_period_are_not_counted(skm: Skm, time_machine: Any) -> None:
    period = skm.period(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 31))
    time_machine.move_to(dt.datetime(2025, 2, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    _close_with_rating(skm, 4)
    skm.answers(period, skm.city.dpupr, PUPR_ROWS)
    report = selectors.period_report(period, policies.skm_access(skm.evaluator))
    assert report.ratings == Ratings()


def test_trend_across_periods_oldest_first(skm: Skm) -> None:
    city = skm.city
    old = skm.period("SKM 2024", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31))
    skm.period(  # never opened: not part of the trend
        "Draf", starts_on=dt.date(2024, 6, 1), ends_on=dt.date(2024, 6, 30), opened_at=None
    )
    now = skm.period("SKM 2025")
    skm.answers(old, city.dpupr, [(2,) * 9] * 4)
    skm.answers(now, city.dpupr, [(4,) * 9] * 2)
    skm.answers(now, city.dlhk, [(3,) * 9] * 2)

    report = selectors.period_report(now, policies.skm_access(skm.evaluator))

    assert [(p.name, p.respondents, p.value) for p in report.trend] == [
        ("SKM 2024", 4, Decimal("50.00")),
        ("SKM 2025", 4, Decimal("87.50")),
    ]
    trends = {t.name: [r.rounded if r else None for r in t.points] for t in report.unit_trends}
    assert trends == {
        "Dinas LHK": [None, Decimal("75.00")],
        "Dinas PUPR": [Decimal("50.00"), Decimal("100.00")],
    }


@pytest.mark.parametrize("units", [2, 6])
def test_report_query_count_does_not_grow(
    skm: Skm, units: int, django_assert_max_num_queries: Any
) -> None:
    from satupintu.agencies.models import Agency

    period = skm.period()
    older = skm.period("lama", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31))
    for index in range(units):
        unit = Agency.objects.create(
            code=f"unit-{index}", name=f"Unit {index}", kind="unit", parent=skm.city.pemda
        )
        SurveyTarget.objects.create(period=period, unit=unit, population=100 + index)
        skm.answers(period, unit, [(3,) * 9] * (index + 1), suggestion="Baik.")
        skm.answers(older, unit, [(2,) * 9] * 2)
        FollowUpAction.objects.create(
            period=period, unit=unit, element="u3", action="x", owner="y", due_on=period.ends_on
        )
    access = policies.skm_access(skm.evaluator)
    with django_assert_max_num_queries(13):
        report = selectors.period_report(period, access)
        assert len(report.follow_ups) == units
        [unit.weakest for unit in report.units]
    assert len(report.units) == units


# --------------------------------------------------------------------------- follow-ups


@pytest.mark.usefixtures("weekday")
def test_follow_up_is_tracked_to_done_with_audit(skm: Skm) -> None:
    city, period = skm.city, skm.period()
    item = services.follow_up_create(
        actor=skm.evaluator,
        period=period,
        unit=city.dpupr,
        element="u3",
        action="Tambah loket pada jam sibuk.",
        owner="Kepala Bidang Pelayanan",
        due_on=dt.date(2025, 4, 30),
    )
    assert item.status == FollowUpAction.Status.PLANNED and item.created_by == skm.evaluator
    item = services.follow_up_set_status(
        actor=skm.evaluator, follow_up_id=item.pk, status="in_progress"
    )
    with pytest.raises(InvalidInput) as caught:
        services.follow_up_set_status(actor=skm.evaluator, follow_up_id=item.pk, status="done")
    assert "result" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        services.follow_up_set_status(
            actor=skm.evaluator,
            follow_up_id=item.pk,
            status="done",
            result="Dua loket dibuka.",
            done_on=dt.date(2025, 3, 6),
        )
    assert "done_on" in caught.value.fields
    item = services.follow_up_set_status(
        actor=skm.evaluator, follow_up_id=item.pk, status="done", result="Dua loket dibuka."
    )
    assert item.done_on == dt.date(2025, 3, 5) and item.on_time
    with pytest.raises(Conflict):
        services.follow_up_set_status(actor=skm.evaluator, follow_up_id=item.pk, status="planned")
    assert _actions(item.audit_chain) == ["create", "status", "status"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"element": "u10"}, "element"),
        ({"action": "   "}, "action"),
        ({"owner": ""}, "owner"),
        ({"owner": "x" * 201}, "owner"),
    ],
)
def test_follow_up_refuses_bad_input(skm: Skm, overrides: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "actor": skm.evaluator,
        "period": skm.period(),
        "unit": skm.city.dpupr,
        "element": "u1",
        "action": "Sederhanakan persyaratan.",
        "owner": "Sekretaris",
        "due_on": dt.date(2025, 6, 30),
    }
    values.update(overrides)
    with pytest.raises(InvalidInput) as caught:
        services.follow_up_create(**values)
    assert field in caught.value.fields
    assert not FollowUpAction.objects.exists()


def test_follow_up_scope_and_draft_period(skm: Skm) -> None:
    city = skm.city
    values: dict[str, Any] = {
        "element": "u1",
        "action": "a",
        "owner": "b",
        "due_on": dt.date(2025, 6, 30),
    }
    with pytest.raises(NotPermitted):
        services.follow_up_create(
            actor=skm.health_evaluator, period=skm.period(), unit=city.dpupr, **values
        )
    draft = skm.period("draf", is_open=False, opened_at=None)
    with pytest.raises(Conflict):
        services.follow_up_create(actor=skm.evaluator, period=draft, unit=city.dpupr, **values)
    item = services.follow_up_create(
        actor=skm.evaluator, period=skm.period(), unit=city.dpupr, **values
    )
    with pytest.raises(NotFound):  # another OPD's action is not there for this evaluator
        services.follow_up_set_status(
            actor=skm.health_evaluator, follow_up_id=item.pk, status="in_progress"
        )


# --------------------------------------------------------------------------- skm_status


def test_skm_status_for_a_unit_and_year(skm: Skm, django_assert_num_queries: Any) -> None:
    city = skm.city
    q1 = skm.period("Triwulan I", ends_on=dt.date(2025, 3, 31), is_open=False)
    q2 = skm.period(
        "Triwulan II",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 6, 30),
        is_open=False,
        published_at=dt.datetime(2025, 7, 10, tzinfo=dt.UTC),
    )
    older = skm.period("2024", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 12, 31))
    skm.answers(q1, city.dpupr, PUPR_ROWS)
    skm.answers(q2, city.dpupr, [(4,) * 9])
    skm.answers(older, city.dpupr, [(1,) * 9])
    skm.answers(q2, city.dlhk, [(1,) * 9])
    for due, done in ((dt.date(2025, 8, 1), dt.date(2025, 7, 20)), (dt.date(2025, 8, 1), None)):
        FollowUpAction.objects.create(
            period=q2,
            unit=city.dpupr,
            element="u4",
            action="a",
            owner="b",
            due_on=due,
            status="done" if done else "planned",
            done_on=done,
        )
    FollowUpAction.objects.create(
        period=q1,
        unit=city.dpupr,
        element="u3",
        action="a",
        owner="b",
        due_on=dt.date(2025, 5, 1),
        status="done",
        done_on=dt.date(2025, 6, 1),
    )

    with django_assert_num_queries(2):
        status = selectors.skm_status(city.dpupr.pk, 2025)

    assert (status.periods, status.respondents, status.published) == (2, 4, True)
    assert status.surveyed
    # Pooled over both quarters' answers, not an average of the quarters (domain.md §3.2).
    assert status.ikm == ikm([*PUPR_ROWS, (4,) * 9])
    assert (status.follow_ups, status.follow_ups_done, status.follow_ups_done_on_time) == (3, 2, 1)
    assert status.follow_up_share == Fraction(2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.published = False  # type: ignore[misc]

    nothing = selectors.skm_status(city.dinkes.pk, 2025)
    assert not nothing.surveyed and not nothing.published and nothing.ikm is None
    assert nothing.follow_up_share is None
    unpublished = selectors.skm_status(city.dpupr.pk, 2024)
    assert unpublished.surveyed and not unpublished.published
