"""Forwarding between governments over Open311, with two real satupintu instances on loopback:
this test process is A (Kota Depok, its test database); B (Kabupaten B) runs in subprocesses."""

from __future__ import annotations

import datetime as dt
import io
import json
import signal
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from satupintu.agencies.models import Agency
from satupintu.complaints import services
from satupintu.complaints.models import CategoryAttribute, Report, ReportEvent
from satupintu.core import crypto
from satupintu.open311 import client, definitions, federation, present
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
    fields: dict[str, Any] = {
        "title": "Lampu jalan mati di Jl. Nusantara",
        "description": "Sudah seminggu lampu jalan di depan rumah nomor 12 mati total.",
        "address": "Jl. Nusantara 12",
        "latitude": "-6.391200",
        "longitude": "106.822100",
    }
    report = city.dispatched(**{**fields, **kwargs})
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


# --------------------------------------------------------------------------- answers and photos

ANSWERS = {
    "tiang": "T-17",
    "lebar": "45",
    "sejak": "2026-03-01T07:30",
    "rincian": "Aspal terkelupas\nsepanjang dua meter",
    "jenis": "retak",
    "dampak": ["macet", "banjir"],
}


def attributes_on_b(b: InstanceB, remote_id: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(b.stored(remote_id, "attributes"))
    return found


def test_answers_arrive_as_bs_attributes_and_the_rest_in_the_description(
    city: City, b: InstanceB, questions: list[CategoryAttribute]
) -> None:
    federate(city.pln, b.open311, b.key_for_a, service_code="jalan-kabupaten")
    report = forwarded_to_pln(city, attributes=ANSWERS)
    assert federation.push() == "1 filed"
    remote_id = RemoteForward.objects.get().remote_id

    # What B asks and A's reporter answered in a form B takes: B's own attributes.
    assert attributes_on_b(b, remote_id) == {
        "tiang": "T-17",
        "lebar": "45",
        "sejak": "2026-03-01T07:30:00+07:00",  # A's time zone made explicit
        "dampak": ["macet"],  # the one choice B lists
    }
    # The rest, in the description, by A's questions and choice names: a choice B does not
    # list, the other value of a multi-value answer, a text B asks as a list.
    description = b.request(remote_id)["description"]
    assert description.startswith("Lampu jalan mati di Jl. Nusantara\n\nSudah seminggu")
    assert (
        "\n\nJawaban pelapor atas pertanyaan kategori:\n"
        "- Rincian lain: Aspal terkelupas\n  sepanjang dua meter\n"
        "- Jenis kerusakan: Retak\n"
        "- Dampak: Genangan\n\n"
    ) in description
    assert description.endswith(
        f"Diteruskan dari {settings.SITE_NAME}, nomor laporan {report.tracking_number}.\n"
        "Keterangan: Jaringan listrik kewenangan PLN."
    )
    assert "T-17" not in description  # sent once, as the attribute


def test_a_service_without_questions_gets_every_answer_in_the_description(
    city: City, b: InstanceB, questions: list[CategoryAttribute]
) -> None:
    federate(city.pln, b.open311, b.key_for_a)  # pju: "metadata": false
    forwarded_to_pln(city, attributes={"tiang": "T-17", "dampak": ["celaka"]})
    assert federation.push() == "1 filed"
    remote_id = RemoteForward.objects.get().remote_id
    assert attributes_on_b(b, remote_id) == {}
    assert (
        "Jawaban pelapor atas pertanyaan kategori:\n"
        "- Nomor tiang terdekat: T-17\n"
        "- Dampak: Kecelakaan\n\nDiteruskan dari"
    ) in b.request(remote_id)["description"]


def test_the_remote_definition_is_read_once_per_lifetime(
    city: City, b: InstanceB, questions: list[CategoryAttribute], monkeypatch: Any
) -> None:
    calls: list[str] = []

    def counted(name: str) -> Any:
        real = getattr(client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    for name in ("services", "service_definition"):
        monkeypatch.setattr(client, name, counted(name))
    federate(city.pln, b.open311, b.key_for_a, service_code="jalan-kabupaten")
    now = timezone.now()
    forwarded_to_pln(city, attributes={"tiang": "T-1"})
    forwarded_to_pln(city, attributes={"tiang": "T-2"})
    assert federation.push(now=now) == "2 filed"
    assert calls == ["services", "service_definition"]  # once for both reports

    forwarded_to_pln(city, attributes={"tiang": "T-3"})
    city.dispatched(category=city.power)  # straight to PLN, no answers: no definition needed
    assert federation.push(now=now + definitions.LIFETIME / 2) == "2 filed"
    assert calls == ["services", "service_definition"]

    forwarded_to_pln(city, attributes={"tiang": "T-4"})
    later = now + definitions.LIFETIME + dt.timedelta(seconds=1)
    assert federation.push(now=later) == "1 filed"
    assert calls == ["services", "service_definition"] * 2  # read again once it grew old
    filed = RemoteForward.objects.exclude(remote_id="").values_list("remote_id", flat=True)
    assert sorted(attributes_on_b(b, r).get("tiang", "") for r in filed) == [
        "",
        "T-1",
        "T-2",
        "T-3",
        "T-4",
    ]


def test_a_required_attribute_the_remote_does_not_enforce_does_not_stop_the_push(
    city: City, b: InstanceB, questions: list[CategoryAttribute], monkeypatch: Any
) -> None:
    real = client.service_definition

    def stricter(*args: Any, **kwargs: Any) -> tuple[client.RemoteAttribute, ...]:
        wanted = client.RemoteAttribute(code="kode-ruas", datatype="string", required=True)
        return (*real(*args, **kwargs), wanted)

    monkeypatch.setattr(client, "service_definition", stricter)
    federate(city.pln, b.open311, b.key_for_a, service_code="jalan-kabupaten")
    forwarded_to_pln(city, attributes={"tiang": "T-17"})
    assert federation.push() == "1 filed"  # B takes it without: nothing holds it back


def test_a_refusal_over_a_required_attribute_is_recorded_and_not_retried_soon(
    city: City, b: InstanceB, questions: list[CategoryAttribute], monkeypatch: Any
) -> None:
    federate(city.pln, b.open311, b.key_for_a, service_code="trotoar")
    report = forwarded_to_pln(city, attributes={"tiang": "T-17"})
    now = timezone.now()
    assert federation.push(now=now) == "1 failed"
    forward = RemoteForward.objects.get()
    assert forward.state == RemoteForward.State.PENDING and forward.failures == 1
    assert forward.last_error.startswith(
        "the remote server requires attribute[ruas] (Nama ruas jalan), which this report does "
        "not answer (HTTP 400: "
    )
    assert forward.next_attempt_at == now + federation.REFUSED_RETRY
    assert federation.push(now=now + dt.timedelta(minutes=30)) == ""  # no retry storm
    key = definitions.cache_key(federation._endpoint(city.pln), "trotoar")
    assert cache.get(key) is None  # read afresh before the next attempt
    assert federation.push(now=now + federation.REFUSED_RETRY) == "1 failed"
    forward.refresh_from_db()
    assert forward.failures == 2 and "attribute[ruas]" in forward.last_error
    assert forward.next_attempt_at == now + 2 * federation.REFUSED_RETRY
    assert timeline(report)[-1].kind == "forwarded"  # nothing on A's timeline meanwhile


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 200)).save(out, format="JPEG")
    out.seek(0)
    return out


def test_a_public_photo_travels_as_media_url_but_never_an_anonymous_reporters(
    city: City, b: InstanceB, settings: Any
) -> None:
    settings.SITE_URL = "https://lapor.depok.go.id"
    federate(city.pln, b.open311, b.key_for_a)
    named = forwarded_to_pln(city, attachments=[("lampu.jpg", jpeg())])
    hidden = forwarded_to_pln(city, attachments=[("lampu.jpg", jpeg())], is_anonymous=True)
    secret = forwarded_to_pln(city, attachments=[("lampu.jpg", jpeg())], is_confidential=True)
    bare = forwarded_to_pln(city)
    assert federation.push() == "4 filed"
    remote = {f.report_id: f.remote_id for f in RemoteForward.objects.all()}

    photo = reverse("portal:attachment", args=[named.attachments.get().pk])
    shown = Client().get(photo)
    assert shown.status_code == 200  # the portal shows it to anyone
    assert b"".join(shown.streaming_content)  # read to its end, which closes the file
    assert b.request(remote[named.pk])["description"].endswith(
        f"\n\nMedia: https://lapor.depok.go.id{photo}"  # B keeps media_url with the text
    )
    for report in (hidden, secret):
        own = reverse("portal:attachment", args=[report.attachments.get().pk])
        assert Client().get(own).status_code == 404  # hidden on the portal too
    for report in (hidden, bare):
        assert "Media:" not in b.request(remote[report.pk])["description"]
    # The confidential one is confidential on B too: read from B's database.
    assert "Media:" not in b.stored(remote[secret.pk], "description")


def test_without_the_sites_address_no_photo_is_sent(city: City, b: InstanceB) -> None:
    federate(city.pln, b.open311, b.key_for_a)
    report = forwarded_to_pln(city, attachments=[("lampu.jpg", jpeg())])
    assert federation.photo_url(report) is None
    assert federation.push() == "1 filed"
    assert "Media:" not in b.request(RemoteForward.objects.get().remote_id)["description"]


def test_text_and_answers_share_the_specs_4000_characters(
    city: City, questions: list[CategoryAttribute]
) -> None:
    report = forwarded_to_pln(
        city, description="Panjang. " * 900, attributes={"tiang": "T-1", "rincian": "Rinci " * 800}
    )
    hop = report.dispositions.get(outcome="open")
    description = federation.outgoing(report, hop, "pju")["description"]
    assert isinstance(description, str) and len(description) == present.DESCRIPTION_MAX
    text, block, footer = description.rsplit("\n\n", 2)
    assert text.startswith("Lampu jalan mati") and text.endswith("…")
    assert block.startswith(
        "Jawaban pelapor atas pertanyaan kategori:\n- Nomor tiang terdekat: T-1\n"
    )
    assert block.endswith("…") and len(block) == (present.DESCRIPTION_MAX - len(footer) - 2) // 2
    assert footer.startswith("Diteruskan dari")

    short = forwarded_to_pln(city, attributes={"tiang": "T-1", "rincian": "Rinci " * 800})
    whole = federation.outgoing(short, short.dispositions.get(outcome="open"), "pju")
    assert "Sudah seminggu lampu jalan" in str(whole["description"])  # the short text whole
    assert len(str(whole["description"])) == present.DESCRIPTION_MAX  # the answers take the rest


def test_a_confidential_report_stays_confidential_on_b(city: City, b: InstanceB) -> None:
    federate(city.pln, b.open311, b.key_for_a)
    report = forwarded_to_pln(city, is_confidential=True)
    assert federation.push() == "1 filed"
    remote_id = RemoteForward.objects.get(report=report).remote_id
    assert b.stored(remote_id, "is_confidential") == 1
    # B never shows it to the public, by id or in its list ...
    assert httpx.get(f"{b.open311}/requests/{remote_id}.json", timeout=20).status_code == 404
    listed = httpx.get(f"{b.open311}/requests.json", timeout=20).json()
    assert remote_id not in {item["service_request_id"] for item in listed}
    # ... while A's key, which filed it, still follows it.
    b.api("POST", f"/officer/reports/{remote_id}/dispatch", {})
    assert federation.pull(now=timezone.now() + LATER) == "1 updated"
    report.refresh_from_db()
    assert report.status == "in_progress"
