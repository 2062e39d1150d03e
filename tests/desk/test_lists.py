"""Queues and lists: order, deadline badges, filters, paging without COUNT, the head's view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.complaints import services
from satupintu.core import paging
from satupintu.core.models import User
from satupintu.desk import selectors
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_deadline_states_count_working_days(city: City, weekday: dt.date) -> None:
    friday, monday, tuesday = dt.date(2025, 3, 7), dt.date(2025, 3, 10), dt.date(2025, 3, 11)
    assert selectors.deadline(monday, weekday).state == "ok"  # 3 working days left
    assert selectors.deadline(monday, friday).days == 1
    assert selectors.deadline(monday, friday).state == "soon"
    assert selectors.deadline(monday, monday).state == "soon"
    late = selectors.deadline(monday, tuesday)
    assert late.state == "overdue" and late.days_late == 1
    assert selectors.deadline(None).state == "none"


def test_verifier_queue_oldest_deadline_first_with_badges(
    city: City, login: Login, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 2, tzinfo=dt.UTC), tick=False)  # Monday
    oldest, _ = city.file(title="Paling lama")
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC), tick=False)  # Wednesday
    newer, _ = city.file(title="Lebih baru")
    held, _ = city.file(title="Ditunda")
    services.report_hold(actor=city.verifier, report_id=held.pk, message="Lengkapi foto.")
    city.dispatched(title="Sudah didisposisi")
    time_machine.move_to(dt.datetime(2025, 3, 7, 2, tzinfo=dt.UTC), tick=False)  # Friday
    response = login(city.verifier).get(reverse("desk:verify_queue"))
    titles = [r.title for r in response.context["page"].items]
    assert titles == ["Paling lama", "Lebih baru", "Ditunda"]
    html = response.content.decode()
    assert "badge--soon" in html  # the newer one: due Monday, one working day left
    time_machine.move_to(dt.datetime(2025, 3, 10, 2, tzinfo=dt.UTC), tick=False)  # Monday
    html = login(city.verifier).get(reverse("desk:verify_queue")).content.decode()
    assert "badge--overdue" in html and "terlambat 2 hari kerja" in html  # Thu 6 → Mon 10


def test_the_queue_loads_a_reports_verification_forms_in_place(city: City, login: Login) -> None:
    report, _ = city.file()
    client = login(city.verifier)
    url = reverse("desk:dispatch_form", args=[report.pk])
    fragment = client.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html
    assert 'id="aksi-dispatch"' in html and 'id="aksi-hold"' in html
    assert f'name="next" value="{reverse("desk:verify_queue")}"' in html
    # Without htmx the link leads to the report page.
    assert client.get(url)["Location"].startswith(reverse("desk:report", args=[report.pk]))
    response = client.post(
        reverse("desk:report_action", args=[report.pk, "dispatch"]),
        {
            "dispatch-expected_version": report.version,
            "dispatch-category": city.road.pk,
            "dispatch-report_type": "pengaduan",
            "next": reverse("desk:verify_queue"),
        },
    )
    assert response["Location"] == reverse("desk:verify_queue")
    # An open redirect is refused.
    other, _ = city.file()
    response = client.post(
        reverse("desk:report_action", args=[other.pk, "hold"]),
        {"hold-expected_version": other.version, "hold-message": "x", "next": "https://evil.test/"},
    )
    assert response["Location"] == reverse("desk:report", args=[other.pk])


def test_inbox_filters(city: City, login: Login, weekday: dt.date) -> None:
    road = city.dispatched(title="Jalan berlubang besar")
    other = city.dispatched(title="Trotoar rusak")
    services.report_follow_up(actor=city.officer_a, report_id=other.pk, body="Dicek.")
    services.report_assign(actor=city.head_a, report_id=road.pk, assignee=city.officer_a)
    client = login(city.officer_a)
    url = reverse("desk:inbox", args=["dpupr"])

    def listed(**query: str) -> list[int]:
        return [r.pk for r in client.get(url, query).context["page"].items]

    assert set(listed()) == {road.pk, other.pk}
    assert listed(status="in_progress") == [other.pk]
    assert listed(saya="on") == [road.pk]
    assert listed(q="berlubang") == [road.pk]
    assert listed(q=other.tracking_number[:5] + "-" + other.tracking_number[5:]) == [other.pk]
    assert listed(kategori=str(city.waste.pk)) == []
    assert listed(terlambat="on") == []
    partial = client.get(url, {"q": "x"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in partial.content.decode()


def test_inbox_pages_without_counting(city: City, login: Login, monkeypatch: Any) -> None:
    for i in range(7):
        city.dispatched(title=f"Laporan {i}")
    client = login(city.officer_a)
    url = reverse("desk:inbox", args=["dpupr"])
    monkeypatch.setattr(paging, "PER_PAGE", 3)
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url)
    second = client.get(url, {"page": 2})
    third = client.get(url, {"page": 3})
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert first.context["page"].has_next and not first.context["page"].has_previous
    assert len(third.context["page"].items) == 1 and not third.context["page"].has_next
    seen = [r.pk for p in (first, second, third) for r in p.context["page"].items]
    assert len(set(seen)) == 7
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("9223372036854775807", 3),  # past the end, and an offset past a bigint
        ("9223372036854775808", 3),
        ("1" + "0" * 40, 3),
        ("4", 3),  # just past the end: the last page
        ("3", 3),
        ("0", 1),
        ("-9223372036854775809", 1),
        ("abc", 1),
        ("2.5", 1),
        ("", 1),
    ],
)
def test_any_page_number_is_a_page_and_one_past_the_end_is_the_last(
    city: City, login: Login, monkeypatch: Any, asked: str, shown: int
) -> None:
    for i in range(7):
        city.dispatched(title=f"Laporan {i}")
    client = login(city.officer_a)
    monkeypatch.setattr(paging, "PER_PAGE", 3)
    response = client.get(reverse("desk:inbox", args=["dpupr"]), {"page": asked})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == shown
    assert len(page.items) == (1 if shown == 3 else 3)
    assert page.has_next == (shown == 1) and page.has_previous == (shown == 3)
    if shown == 3:
        assert "page=2" in response.content.decode()  # the way back


def test_a_page_past_the_end_of_an_empty_list_is_the_first(city: City, login: Login) -> None:
    response = login(city.officer_a).get(
        reverse("desk:inbox", args=["dpupr"]), {"page": "9223372036854775807"}
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert (page.number, page.items, page.has_next) == (1, [], False)


def test_head_sees_overdue_and_escalated_reports_with_days_late(
    city: City, login: Login, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 2, tzinfo=dt.UTC), tick=False)  # Monday
    late = city.dispatched(title="Sudah terlambat")  # first follow-up due Monday 10 March
    fresh = city.dispatched(title="Masih dalam tenggat", category=city.waste)
    time_machine.move_to(dt.datetime(2025, 3, 13, 2, tzinfo=dt.UTC), tick=False)  # Thursday
    fresh_dpupr = city.dispatched(title="Baru masuk")
    services.sla_sweep()
    response = login(city.head_a).get(reverse("desk:overdue", args=["dpupr"]))
    assert [r.pk for r in response.context["page"].items] == [late.pk]
    html = response.content.decode()
    assert "terlambat 3 hari kerja" in html and "eskalasi 1" in html
    assert fresh.title not in html and fresh_dpupr.title not in html
    # After a follow-up the escalated report is back within a deadline, still listed apart.
    services.report_follow_up(actor=city.officer_a, report_id=late.pk, body="Dikerjakan.")
    response = login(city.head_a).get(reverse("desk:overdue", args=["dpupr"]))
    assert response.context["page"].items == []
    assert [r.pk for r in response.context["escalated"]] == [late.pk]
    home = login(city.head_a).get(reverse("desk:home"))
    assert home.context["menu"].agencies[0].overdue == 0
