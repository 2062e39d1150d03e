"""The demo city: master data, a year of reports in every status, consistent with the services."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from satupintu.agencies.models import Agency, Membership, Region, Role
from satupintu.complaints import services
from satupintu.complaints.models import Category, Disposition, Report, ReportEvent
from satupintu.core import audit, crypto
from satupintu.demo import seed
from satupintu.domain.lifecycle import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(db: Any) -> None:
    seed.seed_master()
    seed.seed_reports(1200, seed=42, batch=500)


def test_master_data_is_kota_depok(demo_city: None) -> None:
    assert Region.objects.filter(code__startswith="32.76.", level=3).count() == 11
    assert Region.objects.filter(code__startswith="32.76.", level=4).count() == 63
    assert Region.objects.get(code="32.76").name == "Kota Depok"
    assert Agency.objects.filter(kind="opd").count() >= 20
    assert Agency.objects.filter(kind="external").count() >= 6
    assert Category.objects.count() >= 40
    held_roles = set(Membership.objects.values_list("role", flat=True))
    assert held_roles == set(Role.values)
    multi = Membership.objects.values("user").annotate(n=Count("agency", distinct=True))
    assert multi.filter(n__gt=1).exists(), "one person holds roles in two agencies"


def test_reports_cover_every_status_and_the_hard_cases(demo_city: None) -> None:
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    assert Disposition.objects.filter(kind="forward").exists()
    assert Disposition.objects.filter(outcome="returned").exists()
    assert Report.objects.filter(escalation_level__gt=0).exists()
    assert Report.objects.filter(is_anonymous=True).exists()
    assert Report.objects.filter(is_confidential=True).exists()
    assert Report.objects.filter(current_agency__kind="external").exists()
    assert len(set(Report.objects.values_list("channel", flat=True))) >= 6
    descriptions = list(Report.objects.values_list("description", flat=True))
    assert len(set(descriptions)) > 0.9 * len(descriptions)
    assert ReportEvent.objects.filter(kind="note", is_public=False).exists()


def test_seeded_reports_are_consistent_with_the_lifecycle(demo_city: None) -> None:
    with_agency = Report.objects.filter(status__in=["dispatched", "in_progress", "reopened"])
    for report in with_agency[:200]:
        open_hop = report.dispositions.get(outcome="open")
        assert open_hop.to_agency_id == report.current_agency_id
        assert report.next_due is not None
    for report in Report.objects.filter(status__in=["closed", "archived"])[:200]:
        assert report.next_due is None and not report.dispositions.filter(outcome="open").exists()
    assert audit.verify().ok
    contact = crypto.decrypt_json(Report.objects.first().contact_encrypted)  # type: ignore[union-attr]
    assert contact["name"] and contact["phone"].startswith("08")


def test_a_seeded_report_can_be_worked_through_the_services(demo_city: None) -> None:
    report = Report.objects.filter(
        status="dispatched", current_agency__kind="opd", current_agency__memberships__role="liaison"
    ).first()
    assert report is not None
    liaison = Membership.objects.get(agency=report.current_agency, role="liaison").user
    report = services.report_follow_up(actor=liaison, report_id=report.pk, body="Kami tinjau.")
    report = services.report_resolve(actor=liaison, report_id=report.pk, answer="Sudah beres.")
    assert report.status == "resolved"
    assert audit.verify().ok


def test_seed_demo_command_adds_reports_and_rejects_bad_input(db: Any) -> None:
    out = StringIO()
    call_command("seed_demo", "--reports", "50", "--seed", "1", stdout=out)
    assert Report.objects.count() == 50
    assert "Added 50 reports" in out.getvalue()
    with pytest.raises(CommandError) as err:
        call_command("seed_demo", "--reports", "lots")
    assert err.value.returncode == 2
    assert Report.objects.count() == 50


def test_demo_command_sets_up_once_and_prints_logins(db: Any) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--reports", "30", stdout=out)
    text = out.getvalue()
    assert seed.DEMO_PASSWORD in text and "admin" in text and "verifier" in text
    assert Report.objects.count() == 30
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already seeded" in out.getvalue()
    assert Report.objects.count() == 30


def test_bad_port_exits_2_without_traceback(tmp_path: Any) -> None:
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "satupintu.cli", "demo", "--port", "http"],
        capture_output=True,
        text=True,
        env={"SATUPINTU_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "--port" in proc.stderr and "Traceback" not in proc.stderr
