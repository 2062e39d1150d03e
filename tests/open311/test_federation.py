"""Forwarding between governments over Open311, with two real satupintu instances on loopback:
this test process is A (Kota Depok, its test database); B (Kabupaten B) runs in subprocesses."""

from __future__ import annotations

import datetime as dt
import signal
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from satupintu.agencies.models import Agency
from satupintu.complaints import services
from satupintu.complaints.models import Report, ReportEvent
from satupintu.core import crypto
from satupintu.open311 import federation
from satupintu.open311.models import RemoteForward
from tests.conftest import City
from tests.open311 import instance
from tests.open311.instance import InstanceB

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=16)  # past the pull interval (15 minutes by default)


@pytest.fixture(scope="module")
def b(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InstanceB]:
    yield from instance.start(tmp_path_factory.mktemp("instance-b"))


def federate(agency: Agency, url: str, key: str, service_code: str = "pju") -> Agency:
    agency.open311_url = url
    agency.open311_service_code = service_code
    agency.open311_key_encrypted = crypto.encrypt_text(key)
    agency.save()
    return agency


def forwarded_to_pln(city: City, **kwargs: Any) -> Report:
    """A citizen of A reports to DPUPR, which forwards it to PLN (No Wrong Door)."""
    report = city.dispatched(
        title="Lampu jalan mati di Jl. Nusantara",
        description="Sudah seminggu lampu jalan di depan rumah nomor 12 mati total.",
        address="Jl. Nusantara 12",
        latitude="-6.391200",
        longitude="106.822100",
        **kwargs,
    )
    return services.report_forward(
        actor=city.officer_a,
        report_id=report.pk,
        to_agency=city.pln,
        reason="Jaringan listrik kewenangan PLN.",
    )


def timeline(report: Report) -> list[ReportEvent]:
    return list(report.events.select_related("agency").order_by("created_at", "pk"))


def test_a_forwarded_report_travels_to_b_and_bs_answers_come_back(city: City, b: InstanceB) -> None:
    federate(city.pln, b.open311, b.key_for_a)
    report = forwarded_to_pln(city)
    assert not RemoteForward.objects.exists()  # nothing happens inside the officer's request

    assert federation.push() == "1 filed"
    forward = RemoteForward.objects.get()
    assert forward.state == RemoteForward.State.FILED and forward.remote_id
    remote_id = forward.remote_id

    # B has it: the public text, the location, where it came from; never who reported it.
    seen = b.request(remote_id)
    assert seen["status"] == "open" and seen["service_code"] == "pju"
    assert seen["description"].startswith("Lampu jalan mati di Jl. Nusantara\n\nSudah seminggu")
    assert report.tracking_number in seen["description"]
    assert "Jaringan listrik kewenangan PLN." in seen["description"]
    assert (seen["lat"], seen["long"]) == (-6.3912, 106.8221)
    assert seen["address"] == "Jl. Nusantara 12"
    assert b.stored(remote_id, "contact_encrypted") == ""
    assert b.stored(remote_id, "channel") == "open311"

    # A's timeline: PLN's system accepted it under its own number.
    report.refresh_from_db()
    assert report.status == "dispatched"
    accepted = timeline(report)[-1]
    assert accepted.kind == "accepted" and accepted.agency == city.pln
    assert accepted.data == {"remote": True, "remote_id": remote_id}
    assert federation.push() == ""  # filed once

    # B's staff dispatch and follow up through B's API; A's pull brings it back.
    b.api("POST", f"/officer/reports/{remote_id}/dispatch", {})
    assert federation.pull() == ""  # not due before the pull interval
    assert federation.pull(now=timezone.now() + LATER) == "1 updated"
    report.refresh_from_db()
    assert report.status == "in_progress" and report.first_followup_at is not None
    update = timeline(report)[-1]
    assert update.kind == "remote_update" and update.agency == city.pln and update.is_public
    assert update.body == "Terdisposisi"
    b.api(
        "POST",
        f"/officer/reports/{remote_id}/follow-ups",
        {"body": "Petugas dijadwalkan memperbaiki besok pagi."},
    )
    assert federation.pull(now=timezone.now() + 2 * LATER) == "1 updated"
    news = timeline(report)[-1]
    assert news.body == "Ditindaklanjuti: Petugas dijadwalkan memperbaiki besok pagi."
    assert federation.pull(now=timezone.now() + 3 * LATER) == ""  # nothing new on B

    b.api("POST", f"/officer/reports/{remote_id}/resolve", {"answer": "Lampu sudah menyala."})
    assert federation.pull(now=timezone.now() + 4 * LATER) == "1 resolved"
    report.refresh_from_db()
    assert report.status == "resolved" and report.current_agency == city.pln
    resolved = timeline(report)[-1]
    assert (resolved.kind, resolved.agency, resolved.body) == (
        "resolved",
        city.pln,
        "Selesai: Lampu sudah menyala.",
    )
    assert RemoteForward.objects.get().state == RemoteForward.State.DONE
    assert federation.pull(now=timezone.now() + 5 * LATER) == ""
    # Officers and the public read where it went and what came back.
    desk = Client()
    desk.force_login(city.officer_a)
    page = desk.get(reverse("desk:report", args=[report.pk])).content.decode()
    assert "Kabar dari sistem instansi tujuan" in page and remote_id in page
    assert "Sistem instansi tujuan (Open311)" in page
    public = Client().get(reverse("portal:public_detail", args=[report.tracking_number]))
    assert remote_id in public.content.decode()
    # A's reporter closes it as usual.
    services.report_confirm(actor=city.reporter(report), report_id=report.pk, rating=5)


def test_a_refusal_or_an_unreachable_server_is_retried_with_backoff(
    city: City, b: InstanceB
) -> None:
    federate(city.pln, b.open311, "sp_bukan-kunci-yang-benar")
    forwarded_to_pln(city)
    now = timezone.now()
    assert federation.push(now=now) == "1 failed"
    forward = RemoteForward.objects.get()
    assert forward.state == RemoteForward.State.PENDING and forward.failures == 1
    assert "HTTP 403" in forward.last_error and "api_key" in forward.last_error
    assert forward.next_attempt_at == now + dt.timedelta(seconds=30)
    assert federation.push(now=now + dt.timedelta(seconds=10)) == ""  # waits its turn

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/open311/v2"
    federate(city.pln, dead, b.key_for_a)
    assert federation.push(now=now + dt.timedelta(seconds=31)) == "1 failed"
    forward.refresh_from_db()
    assert forward.failures == 2 and "ConnectError" in forward.last_error
    assert forward.next_attempt_at == now + dt.timedelta(seconds=31 + 60)

    federate(city.pln, b.open311, b.key_for_a)
    assert federation.push(now=now + dt.timedelta(seconds=100)) == "1 filed"
    forward.refresh_from_db()
    assert (forward.failures, forward.last_error) == (0, "")


def test_backoff_doubles_up_to_six_hours() -> None:
    assert [federation.backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert federation.backoff(30) == dt.timedelta(hours=6)


def test_a_report_forwarded_on_before_it_was_filed_or_answered_is_left_alone(
    city: City, b: InstanceB
) -> None:
    federate(city.pln, b.open311, b.key_for_a)
    early = forwarded_to_pln(city)
    federation.discover(now=timezone.now())
    services.report_return(actor=city.sysadmin, report_id=early.pk, reason="Salah kirim.")
    assert federation.push() == "1 stopped"  # never sent

    late = forwarded_to_pln(city)
    assert federation.push() == "1 filed"
    services.report_return(actor=city.sysadmin, report_id=late.pk, reason="Ternyata urusan kami.")
    assert federation.pull(now=timezone.now() + LATER) == "1 stopped"
    late.refresh_from_db()
    assert late.status == "received"  # nothing from B changed it


def test_agencies_without_a_server_are_not_federated(city: City) -> None:
    forwarded_to_pln(city)
    assert federation.push() == ""
    assert not RemoteForward.objects.exists()


def test_the_command_runs_one_pass(city: City, b: InstanceB, capsys: Any) -> None:
    federate(city.pln, b.open311, b.key_for_a)
    forwarded_to_pln(city)
    call_command("federation", "push", "--once")
    assert capsys.readouterr().out.strip().endswith("1 filed")
    call_command("federation", "sync", "--once")
    assert capsys.readouterr().out == ""


def test_the_loop_runs_until_sigterm(b: InstanceB) -> None:
    loop = subprocess.Popen(  # noqa: S603 - our own command, on instance B
        [*instance.SATUPINTU, "federation", "sync", "--every", "1"],
        env=instance.environment(b.database.parent),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert loop.stderr is not None
        assert "until stopped" in loop.stderr.readline()
        loop.send_signal(signal.SIGTERM)
        assert loop.wait(timeout=20) == 0
    finally:
        if loop.poll() is None:
            loop.kill()
        loop.communicate()


def test_a_server_that_answers_with_a_token_is_asked_for_the_id(city: City, b: InstanceB) -> None:
    # satupintu answers tokens/{token} for any of its ids, so B stands in for a batch server:
    # the row waits on a token that B resolves to a real request.
    federate(city.pln, b.open311, b.key_for_a)
    filed = httpx.post(
        f"{b.open311}/requests.json",
        data={"api_key": b.key_for_a, "service_code": "pju", "address_string": "Jl. Raya 1"},
        timeout=20,
    )
    token = filed.json()[0]["service_request_id"]
    report = forwarded_to_pln(city)
    federation.discover(now=timezone.now())
    RemoteForward.objects.update(state=RemoteForward.State.AWAITING_ID, remote_token=token)
    assert federation.push() == "1 filed"
    forward = RemoteForward.objects.get()
    assert (forward.state, forward.remote_id) == (RemoteForward.State.FILED, token)
    assert timeline(report)[-1].data == {"remote": True, "remote_id": token}
