"""Home page figures, the language switch, and bounded query counts on every portal page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.complaints import services
from satupintu.complaints.models import Report, SlaPolicy
from satupintu.portal import selectors
from tests.conftest import City
from tests.portal.conftest import file_through_portal, jpeg

pytestmark = pytest.mark.django_db


def test_home_explains_the_steps_with_the_pemdas_deadlines(client: Client, city: City) -> None:
    SlaPolicy.objects.create(verify_days=2, followup_days=4, complaint_days=12)
    page = client.get("/").content.decode()
    assert "dalam 2 hari kerja" in page and "dalam 4 hari kerja" in page
    assert "pengaduan: 12 hari kerja" in page
    assert 'href="/lapor/"' in page and 'href="/lacak/"' in page
    for step in ("Lapor", "Verifikasi", "Disposisi", "Tindak lanjut", "Selesai"):
        assert step in page


def test_figures_are_aggregates_and_cached(city: City, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 12, 2, 0, tzinfo=dt.UTC), tick=False)
    now = timezone.now()
    a = city.resolved()  # resolved today: followed up and answered at once
    b = city.dispatched()
    c, _ = city.file()
    services.report_archive(actor=city.verifier, report_id=c.pk, reason="Spam.")
    # Backdate receipt to give known waits: 2 days for a, 4 days for b's follow-up.
    Report.objects.filter(pk=a.pk).update(received_at=now - dt.timedelta(days=2))
    Report.objects.filter(pk=b.pk).update(
        received_at=now - dt.timedelta(days=40), first_followup_at=now - dt.timedelta(days=36)
    )
    figures = selectors.home_figures()
    assert figures.reports_this_month == 2  # a and c; b arrived last month
    assert figures.resolved_share == 50.0  # a of {a, b}; the archived one is left out
    assert figures.median_days_to_followup == 3.0  # median of 2 and 4 days
    city.file()
    assert selectors.home_figures().reports_this_month == 2  # cached for 5 minutes
    time_machine.move_to(dt.datetime(2025, 3, 12, 2, 6, tzinfo=dt.UTC), tick=False)
    assert selectors.home_figures().reports_this_month == 3


def test_figures_with_no_reports(client: Client, db: Any) -> None:
    figures = selectors.home_figures()
    assert figures.reports_this_month == 0
    assert figures.resolved_share is None and figures.median_days_to_followup is None
    assert client.get("/").status_code == 200


def test_odd_number_of_waits_takes_the_middle(city: City) -> None:
    now = timezone.now()
    for days in (1, 5, 9):
        report = city.dispatched()
        Report.objects.filter(pk=report.pk).update(
            received_at=now - dt.timedelta(days=days + 1),
            first_followup_at=now - dt.timedelta(days=1),
        )
    assert selectors.home_figures().median_days_to_followup == 5.0


def test_language_switch_sets_the_cookie(client: Client, db: Any, settings: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/laporan/"})
    assert response.status_code == 302 and response["Location"] == "/laporan/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="id").status_code == 200


def test_every_page_has_a_bounded_number_of_queries(
    client: Client, city: City, django_assert_max_num_queries: Any
) -> None:
    filed = file_through_portal(client, city, attachments=[jpeg()])
    number = filed.report.tracking_number
    for n in range(30):
        report = city.dispatched(title=f"Laporan {n}", latitude="-6.4", longitude="106.8")
        services.report_follow_up(actor=city.officer_a, report_id=report.pk, body=f"Lanjut {n}")
    for _ in range(10):
        services.report_reporter_reply(
            actor=city.reporter(filed.report), report_id=filed.report.pk, body="Tambahan."
        )
    pages = {
        "/": 7,  # with the public figures per agency, read once and then cached
        "/lapor/": 5,
        "/lacak/": 3,
        f"/lacak/{number}/": 7,
        f"/lapor/terkirim/{number}/": 7,
        "/laporan/": 6,
        "/laporan/?q=laporan&status=dispatched&kecamatan=32.76.01&report_type=pengaduan": 6,
        f"/laporan/{number}/": 6,
        "/wilayah/kelurahan/?kecamatan=32.76.01": 3,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200, url
