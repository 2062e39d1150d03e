"""Each desk page runs a bounded number of queries, whatever the number of reports (style.md 9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satupintu.complaints import services
from satupintu.core.models import User
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def count_queries(client: Client, url: str, **query: Any) -> int:
    client.get(url, query)  # warm the per-process caches (calendar, SLA policy, site name)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def busy_city(city: City, n: int) -> None:
    for i in range(n):
        report = city.dispatched(title=f"Laporan nomor {i}")
        if i % 3 == 0:
            services.report_assign(actor=city.head_a, report_id=report.pk, assignee=city.officer_a)
        city.file(title=f"Belum ditelaah {i}", category=city.waste if i % 2 else city.road)


@pytest.mark.parametrize(
    ("persona", "name", "args", "limit"),
    [
        ("officer_a", "desk:inbox", ["dpupr"], 12),
        ("head_a", "desk:overdue", ["dpupr"], 12),
        ("verifier", "desk:verify_queue", [], 12),
        ("leader", "desk:city", [], 12),
        ("head_a", "desk:home", [], 12),
        ("verifier", "desk:home", [], 10),
    ],
)
def test_list_pages_need_the_same_few_queries_for_5_or_50_reports(
    city: City,
    login: Login,
    django_assert_max_num_queries: Any,
    persona: str,
    name: str,
    args: list[str],
    limit: int,
) -> None:
    url = reverse(name, args=args)
    busy_city(city, 5)
    few = count_queries(login(getattr(city, persona)), url)
    busy_city(city, 45)
    client = login(getattr(city, persona))
    client.get(url)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    if name != "desk:home" and name != "desk:overdue":
        assert len(response.context["page"].items) == 50
    assert count_queries(client, url) == few


def test_inbox_with_filters_stays_bounded(
    city: City, login: Login, django_assert_max_num_queries: Any
) -> None:
    busy_city(city, 50)
    client = login(city.officer_a)
    url = reverse("desk:inbox", args=["dpupr"])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url, {"q": "nomor", "status": "dispatched", "saya": "on", "terlambat": ""})


def test_report_page_is_bounded_however_long_its_history(
    city: City, login: Login, django_assert_max_num_queries: Any
) -> None:
    report = city.dispatched()
    client = login(city.officer_a)
    url = reverse("desk:report", args=[report.pk])
    few = count_queries(client, url)
    for i in range(30):
        services.report_add_note(actor=city.officer_a, report_id=report.pk, body=f"Catatan {i}")
        services.report_add_note(
            actor=city.head_a, report_id=report.pk, body=f"Balasan {i}", public=True
        )
    services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency=city.dlhk, reason="Sampah."
    )
    services.report_return(actor=city.officer_b, report_id=report.pk, reason="Bukan kami.")
    services.report_dispatch(actor=city.verifier, report_id=report.pk, agency=city.dpupr)
    with django_assert_max_num_queries(14):
        client.get(url)
    assert count_queries(client, url) == few


def test_verifier_report_page_is_bounded(
    city: City, login: Login, django_assert_max_num_queries: Any
) -> None:
    report, _ = city.file()
    client = login(city.verifier)
    client.get(reverse("desk:report", args=[report.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("desk:report", args=[report.pk]))


def test_answers_to_the_categorys_questions_cost_one_query(
    city: City, login: Login, road_questions: dict[str, Any]
) -> None:
    plain, _ = city.file(category=city.waste)
    services.report_dispatch(actor=city.verifier, report_id=plain.pk, agency=city.dpupr)
    answered = city.dispatched(
        attributes={"kerusakan": "lubang", "dampak": ["macet"], "ruas": "Jl. Raya"}
    )
    client = login(city.officer_a)
    without = count_queries(client, reverse("desk:report", args=[plain.pk]))
    assert count_queries(client, reverse("desk:report", args=[answered.pk])) == without + 1
