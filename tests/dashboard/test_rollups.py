"""The operations room's figures against the SQL over the raw tables (docs/dashboard.md).

A generated city (the demo seed) plus explicit scenarios, each through the services: a new
report, a forward, a *bukan wewenang* return, a reopening after a rated closure, a report whose
category changed, one whose agency changed (returned, then dispatched elsewhere), a report made
confidential. After incremental upkeep and again after a full rebuild, every selector's figures
equal those of dashboard/reference_sql.py, and the rollups of the two roads are the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Membership
from satupintu.complaints import services
from satupintu.complaints.models import Category, Report
from satupintu.core.models import User
from satupintu.dashboard import rebuild, reference_sql, selectors, upkeep
from satupintu.dashboard.models import (
    AreaRollup,
    BacklogRollup,
    BacklogSummary,
    DailyArea,
    DailyRollup,
    DailySummary,
    DurationHistogram,
    MonthlyRollup,
    MonthlySummary,
    ReportFact,
    WrongDoorRollup,
)
from satupintu.dashboard.selectors import CITY, Filters, Scope
from satupintu.demo import seed
from satupintu.notifications.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=False)

ROLLUPS = (
    DailyRollup,
    MonthlyRollup,
    DailySummary,
    MonthlySummary,
    BacklogSummary,
    DailyArea,
    AreaRollup,
    BacklogRollup,
    DurationHistogram,
    WrongDoorRollup,
)


@dataclass
class Demo:
    verifier: User
    liaison: dict[int, User]
    categories: list[Category]
    scenarios: dict[str, int]

    def officer(self, report_id: int) -> User:
        holder = Report.objects.get(pk=report_id).current_agency_id
        assert holder is not None
        return self.liaison[holder]


def _liaisons() -> dict[int, User]:
    out: dict[int, User] = {}
    for membership in Membership.objects.filter(role="liaison").select_related("user"):
        out.setdefault(membership.agency_id, membership.user)
    return out


def _ensure_liaison(agency: Agency, liaison: dict[int, User]) -> User:
    if agency.pk not in liaison:
        user = User.objects.create_user(username=f"liaison-{agency.code}", password="x-Pass-1")
        Membership.objects.create(user=user, agency=agency, role="liaison")
        liaison[agency.pk] = user
    return liaison[agency.pk]


def _file(category: Category, **kw: Any) -> Report:
    report, _secret = services.report_receive(
        actor=None,
        channel=kw.pop("channel", "web"),
        title="Jalan berlubang",
        description="Lubang besar di depan sekolah.",
        category=category,
        contact=services.Contact(name="Siti", email="siti@example.id", phone="081234567890"),
        region_code=kw.pop("region_code", None),
        **kw,
    )
    return report


def _scenarios(verifier: User, liaison: dict[int, User], cats: list[Category]) -> dict[str, int]:
    road, other = cats[0], next(c for c in cats if c.default_agency_id != cats[0].default_agency_id)
    a, b = road.default_agency, other.default_agency
    for agency in (a, b):
        _ensure_liaison(agency, liaison)
    village = "32.76.01.1008"
    out: dict[str, int] = {}

    out["new"] = _file(road, region_code=village).pk

    forwarded = _file(road, region_code=village)
    services.report_dispatch(actor=verifier, report_id=forwarded.pk)
    services.report_forward(
        actor=liaison[a.pk], report_id=forwarded.pk, to_agency=b, reason="Bukan jalan kota."
    )
    out["forwarded"] = forwarded.pk

    returned = _file(road, channel="whatsapp")
    services.report_dispatch(actor=verifier, report_id=returned.pk)
    services.report_return(actor=liaison[a.pk], report_id=returned.pk, reason="Bukan wewenang.")
    out["returned"] = returned.pk

    reopened = _file(road, region_code=village)
    services.report_dispatch(actor=verifier, report_id=reopened.pk)
    services.report_follow_up(actor=liaison[a.pk], report_id=reopened.pk, body="Ditinjau.")
    services.report_resolve(actor=liaison[a.pk], report_id=reopened.pk, answer="Ditambal.")
    services.report_confirm(
        actor=services.Reporter(report_id=reopened.pk), report_id=reopened.pk, rating=2
    )
    services.report_appeal(
        actor=services.Reporter(report_id=reopened.pk), report_id=reopened.pk, reason="Belum."
    )
    out["reopened"] = reopened.pk

    rated = _file(other)
    services.report_dispatch(actor=verifier, report_id=rated.pk)
    services.report_resolve(actor=liaison[b.pk], report_id=rated.pk, answer="Selesai.")
    services.report_confirm(
        actor=services.Reporter(report_id=rated.pk), report_id=rated.pk, rating=5
    )
    out["rated"] = rated.pk

    recategorised = _file(road, region_code=village)
    services.report_dispatch(actor=verifier, report_id=recategorised.pk, category=other)
    out["recategorised"] = recategorised.pk

    moved = _file(road)
    services.report_dispatch(actor=verifier, report_id=moved.pk)
    services.report_return(actor=liaison[a.pk], report_id=moved.pk, reason="Salah instansi.")
    services.report_dispatch(actor=verifier, report_id=moved.pk, agency=b)
    services.report_follow_up(actor=liaison[b.pk], report_id=moved.pk, body="Diterima.")
    out["moved"] = moved.pk

    secret = _file(other)
    services.report_set_privacy(actor=verifier, report_id=secret.pk, is_confidential=True)
    out["confidential"] = secret.pk
    return out


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> Demo:
    settings.MEDIA_ROOT = tmp_path
    seed.seed_master()
    seed.seed_reports(300, seed=7, batch=300)
    rebuild.rebuild()  # as seed-demo does
    verifier = User.objects.filter(memberships__role="verifier").order_by("pk").first()
    assert verifier is not None
    liaison = _liaisons()
    cats = list(Category.objects.filter(is_active=True).order_by("pk"))
    scenarios = _scenarios(verifier, liaison, cats)
    return Demo(verifier, liaison, cats, scenarios)


def _upkeep_all() -> None:
    for _ in range(50):
        if upkeep.upkeep().events == 0:
            break
    assert not OutboxEvent.objects.filter(rolled_up_at__isnull=True).exists()


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    rebuild.fill_workdays(*rebuild.data_dates())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _rollup_rows() -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for model in ROLLUPS:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = set(model.objects.values_list(*fields))
    return out


def _periods(today: dt.date) -> list[Filters]:
    first = today.replace(day=1)
    return [
        Filters(start=today - dt.timedelta(days=400), end=today),  # months and days
        Filters(start=first, end=today),  # days only
        Filters.month(first - dt.timedelta(days=40)),  # one whole month
        Filters(start=today - dt.timedelta(days=75), end=today - dt.timedelta(days=3)),
    ]


def check_figures(scope: Scope = CITY) -> None:
    """Every selector's figures equal the reference SQL's (city-wide scope)."""
    today = workcal.today()
    for f in _periods(today):
        # SLA per agency
        ref = {
            row[0]: tuple(int(v or 0) for v in row[1:])
            for row in _run(reference_sql.sla_by_agency(), [today, f.start, f.end])
        }
        got = {
            a.agency_id: (
                a.received,
                a.resolved,
                a.resolved_on_time,
                a.followed_up,
                a.followed_up_on_time,
                a.open,
                a.overdue,
            )
            for a in selectors.sla_by_agency(f, scope, today=today)
        }
        ref = {k: v for k, v in ref.items() if any(v)}
        assert got == ref, f
        assert len(got) > 3
        # map
        ref_area = {
            row[0]: (int(row[1]), int(row[2]))
            for row in _run(reference_sql.reports_by_kelurahan(), [f.start, f.end])
        }
        got_area = {a.kelurahan: (a.reports, a.open) for a in selectors.reports_by_kelurahan(f)}
        assert got_area == ref_area, f
        assert got_area
        # ratings
        ref_rating = {
            row[0]: (int(row[1]), int(row[2]))
            for row in _run(reference_sql.ratings_by_agency(), [f.start, f.end])
        }
        got_rating = {a.agency_id: (a.rated, a.rating_sum) for a in selectors.ratings_by_agency(f)}
        assert got_rating == ref_rating, f
        # durations and wrong doors (whole months of the period)
        first_month, last_month = selectors.months_of(f)
        for kind, column in (("followup", "followup_days"), ("resolution", "resolution_days")):
            hist: dict[int, dict[int, int]] = defaultdict(dict)
            sql = reference_sql.duration_histogram().format(days=column)
            for agency_id, days, n in _run(sql, [first_month, last_month]):
                hist[agency_id][int(days)] = int(n)
            want = {pk: selectors.durations(h) for pk, h in hist.items()}
            got_d = {a.agency_id: getattr(a, kind) for a in selectors.durations_by_agency(f)}
            got_d = {k: v for k, v in got_d.items() if v.count}
            assert got_d == want, (f, kind)
        ref_wd = {
            row[0]: tuple(int(v or 0) for v in row[1:])
            for row in _run(reference_sql.wrong_doors_by_agency(), [first_month, last_month])
        }
        got_wd = {
            a.agency_id: (a.tally.hops, a.tally.returned, a.tally.forwarded, a.tally.days_lost)
            for a in selectors.wrong_doors_by_agency(f)
        }
        assert got_wd == ref_wd, f
        ref_wc = {
            row[0]: tuple(int(v or 0) for v in row[1:])
            for row in _run(reference_sql.wrong_doors_by_category(), [first_month, last_month])
        }
        got_wc = {
            pk: (t.hops, t.returned, t.forwarded, t.days_lost)
            for pk, t in selectors.wrong_door_tallies(f, by="category_id").items()
        }
        assert got_wc == ref_wc, f
    # headline
    head = selectors.headline(Filters.last_days(1), today=today)
    for span in (head.today, head.week, head.month):
        (current,) = _run(reference_sql.reports_received(), [span.start, span.end])[0]
        (previous,) = _run(
            reference_sql.reports_received(), [span.previous_start, span.previous_end]
        )[0]
        assert (span.current, span.previous) == (current, previous)
    # backlog
    ref_backlog = {row[0]: int(row[1]) for row in _run(reference_sql.backlog_by_status(), [])}
    got_backlog = selectors.backlog(Filters.last_days(1), today=today)
    assert {s.status: s.reports for s in got_backlog.statuses} == ref_backlog
    overdue = sum(
        int(row[7] or 0) for row in _run(reference_sql.sla_by_agency(), [today, today, today])
    )
    assert got_backlog.overdue == overdue
    assert got_backlog.total and overdue
    # trend
    trend = selectors.monthly_trend(Filters.last_days(1, today=today))
    ref_trend = {
        _day(row[0]): tuple(int(v or 0) for v in row[1:])
        for row in _run(reference_sql.monthly_trend(), [trend[0].month, trend[-1].month])
    }
    got_trend = {
        p.month: (
            p.reports,
            p.resolved,
            p.resolved_on_time,
            p.followed_up,
            p.followed_up_on_time,
            p.rated,
            p.rating_sum,
        )
        for p in trend
        if p.reports
    }
    assert got_trend == ref_trend
    assert len(got_trend) >= 6
    # weekly per category
    weekly = selectors.weekly_by_category(Filters.last_days(1, today=today))
    ref_weeks: dict[int, list[int]] = defaultdict(lambda: [0] * len(weekly.weeks))
    for day, category_id, n in _run(
        reference_sql.daily_by_category(), [weekly.weeks[0], weekly.end]
    ):
        ref_weeks[category_id][(_day(day) - weekly.weeks[0]).days // 7] += int(n)
    assert {c.category_id: list(c.counts) for c in weekly.categories} == dict(ref_weeks)
    # rising categories' counts: this week so far against the same weekdays of 8 weeks before
    from satupintu.domain.dashboard import rising_windows

    current, baseline = rising_windows(today, 8)
    ref_now: dict[str, int] = defaultdict(int)
    ref_before: dict[str, int] = defaultdict(int)
    for day, category_id, n in _run(reference_sql.daily_by_category(), [baseline[-1].start, today]):
        if _day(day) in current:
            ref_now[str(category_id)] += int(n)
        elif any(_day(day) in span for span in baseline):
            ref_before[str(category_id)] += int(n)
    rising = selectors.rising_counts(Filters.last_days(1), today=today)
    assert {
        c.key: (c.current, c.baseline_total) for c in rising if c.current or c.baseline_total
    } == {
        key: (ref_now.get(key, 0), ref_before.get(key, 0)) for key in set(ref_now) | set(ref_before)
    }


def test_figures_match_the_raw_sql_after_upkeep_and_after_a_rebuild(demo: Demo) -> None:
    _upkeep_all()
    check_figures()
    incremental = _rollup_rows()
    assert sum(r.tally.hops for r in selectors.wrong_doors_by_agency(_periods(workcal.today())[0]))
    result = rebuild.rebuild()
    assert result.reports == Report.objects.count()
    check_figures()
    assert _rollup_rows() == incremental


def test_the_scenarios_land_where_they_should(demo: Demo) -> None:
    _upkeep_all()
    facts = {f.report_id: f for f in ReportFact.objects.filter(pk__in=demo.scenarios.values())}
    s = demo.scenarios
    assert facts[s["new"]].status == "received" and facts[s["new"]].agency_id == 0
    forwarded = Report.objects.get(pk=s["forwarded"])
    assert facts[s["forwarded"]].agency_id == forwarded.current_agency_id
    # the return wrote no outbox event: the timeline's side scan found it
    assert facts[s["returned"]].status == "received" and facts[s["returned"]].agency_id == 0
    reopened = facts[s["reopened"]]
    assert reopened.status == "reopened" and reopened.rating is None
    assert reopened.resolution_days is None and reopened.followup_days is not None
    assert facts[s["rated"]].rating == 5 and facts[s["rated"]].resolution_days is not None
    recategorised = Report.objects.get(pk=s["recategorised"])
    assert facts[s["recategorised"]].category_id == recategorised.category_id
    moved = Report.objects.get(pk=s["moved"])
    assert facts[s["moved"]].agency_id == moved.current_agency_id
    assert facts[s["confidential"]].is_confidential
    # refreshing everything again changes nothing: the upkeep is idempotent
    from django.db import transaction

    with transaction.atomic():
        assert upkeep.refresh(list(Report.objects.values_list("pk", flat=True))) == (0, 0)


def test_a_new_report_counts_after_one_run_and_no_text_is_read(demo: Demo) -> None:
    _upkeep_all()
    today = workcal.today()
    before = selectors.headline(Filters.last_days(1), today=today).today.current
    _file(demo.categories[0], is_confidential=True)
    with CaptureQueriesContext(connection) as queries:
        result = upkeep.upkeep()
    assert result.events == 1
    _file(demo.categories[0])
    assert upkeep.upkeep_job() == "1 events rolled up, 1 reports changed"
    assert upkeep.upkeep_job() == ""
    before += 1
    assert selectors.headline(Filters.last_days(1), today=today).today.current == before + 1
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    for column in ("title", "description", "contact", "address", "payload"):
        assert f'."{column}"' not in sql and f" {column}," not in sql, column


def test_an_agency_head_sees_their_agencies_and_their_wrong_doors(demo: Demo) -> None:
    _upkeep_all()
    road = demo.categories[0]
    a = road.default_agency
    head = User.objects.create_user(username="kepala", password="x-Pass-1")
    Membership.objects.create(user=head, agency=a, role="agency_head")
    scope = selectors.scope_for(head)
    assert scope.agencies is not None and a.pk in scope.agencies
    f = _periods(workcal.today())[0]
    rows = selectors.sla_by_agency(f, scope)
    assert rows and {r.agency_id for r in rows} <= scope.agencies
    wrong = selectors.wrong_doors_by_agency(f, scope)
    assert [w.agency_id for w in wrong] == [a.pk]  # the forward and the returns it made
    assert wrong[0].tally.returned >= 2 and wrong[0].tally.forwarded >= 1
    other = next(
        pk for pk in Agency.objects.values_list("pk", flat=True) if pk not in scope.agencies
    )
    assert selectors.sla_by_agency(Filters(f.start, f.end, agency_id=other), scope) == []
    assert selectors.scope_for(demo.verifier) == CITY


def test_filters_narrow_the_figures(demo: Demo) -> None:
    _upkeep_all()
    today = workcal.today()
    f = _periods(today)[0]
    everything = sum(a.received for a in selectors.sla_by_agency(f))
    by_channel = {
        channel: sum(
            a.received for a in selectors.sla_by_agency(Filters(f.start, f.end, channel=channel))
        )
        for channel in Report.objects.values_list("channel", flat=True).distinct()
    }
    assert sum(by_channel.values()) == everything
    kecamatan = "32.76.01"
    (count,) = _run(
        reference_sql.reports_received().replace(
            "WHERE day BETWEEN", f"WHERE kecamatan = '{kecamatan}' AND day BETWEEN"
        ),
        [f.start, f.end],
    )[0]
    got = sum(
        a.reports
        for a in selectors.reports_by_kelurahan(Filters(f.start, f.end, kecamatan=kecamatan))
    )
    assert got == count > 0


def test_the_job_is_registered_and_summarises() -> None:
    from satupintu.core import worker

    job = next(j for j in worker.JOBS if j.name == "dashboard-rollup")
    assert job.every == 2 and job.target == "satupintu.dashboard.upkeep.upkeep_job"


def test_durations_and_the_ranking_use_the_dashboards_statistics() -> None:
    summary = selectors.durations({1: 8, 10: 2, 4: 0})
    assert (summary.count, summary.median, summary.p90, summary.maximum) == (10, 1, 10, 10)
    assert selectors.durations({}).median is None
    small = selectors.AgencySla(1, "a", 2, 2, 2, 0, 0, 0, 0)
    large = selectors.AgencySla(2, "b", 100, 100, 95, 0, 0, 0, 0)
    assert (small.ranking_score or 0) < (large.ranking_score or 0)
    assert selectors.AgencySla(3, "c", 0, 0, 0, 0, 0, 0, 0).ranking_score is None


def test_split_period() -> None:
    d = dt.date
    assert selectors.split_period(d(2025, 1, 1), d(2025, 3, 31)) == (
        (d(2025, 1, 1), d(2025, 3, 1)),
        [],
    )
    assert selectors.split_period(d(2025, 1, 15), d(2025, 3, 10)) == (
        (d(2025, 2, 1), d(2025, 2, 1)),
        [(d(2025, 1, 15), d(2025, 1, 31)), (d(2025, 3, 1), d(2025, 3, 10))],
    )
    assert selectors.split_period(d(2025, 1, 15), d(2025, 2, 10)) == (
        None,
        [(d(2025, 1, 15), d(2025, 2, 10))],
    )


def test_seed_demo_leaves_the_figures_current(db: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", "--reports", "40", "--seed", "3", stdout=out)
    assert "operations room" in out.getvalue()
    assert ReportFact.objects.count() == Report.objects.count() == 40
    assert sum(DailyRollup.objects.values_list("reports", flat=True)) == 40


def test_the_docs_show_the_sql_the_tests_run() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "dashboard.md").read_text("utf-8")
    marker = "<!-- reference-sql: generated by `satupintu dashboard sql` -->\n\n"
    assert marker in docs
    assert docs.split(marker, 1)[1] == reference_sql.markdown("postgresql"), (
        "docs/dashboard.md is stale: regenerate its last section with `satupintu dashboard sql`"
    )


def test_the_rebuild_takes_in_the_waiting_events_and_upkeep_goes_on_after_it(demo: Demo) -> None:
    waiting = OutboxEvent.objects.filter(rolled_up_at__isnull=True).count()
    assert waiting > 0  # the scenarios' events
    result = rebuild.rebuild()
    assert result.events == waiting
    assert not OutboxEvent.objects.filter(rolled_up_at__isnull=True).exists()
    check_figures()
    later = _file(demo.categories[0])
    assert not ReportFact.objects.filter(pk=later.pk).exists()
    assert upkeep.upkeep().events == 1
    assert ReportFact.objects.filter(pk=later.pk).exists()
    check_figures()
