"""Who sees what (design.md §4): an officer sees what their agency holds or held; everything else
answers 404; an anonymous reporter's identity never reaches an officer's page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from satupintu.complaints import services
from satupintu.core.models import AuditEntry, User
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
SECRET_NAME = "Raden Ayu Kusumawardhani"


def test_officer_b_gets_404_for_a_report_only_agency_a_held(city: City, login: Login) -> None:
    report = city.dispatched()
    b = login(city.officer_b)
    for url in (
        reverse("desk:report", args=[report.pk]),
        reverse("desk:dispatch_form", args=[report.pk]),
    ):
        assert b.get(url).status_code == 404
    missing = b.get(reverse("desk:report", args=[report.pk + 1000]))
    assert missing.status_code == 404  # the same answer as "does not exist"
    posted = b.post(
        reverse("desk:report_action", args=[report.pk, "resolve"]),
        {"resolve-expected_version": report.version, "resolve-answer": "Bukan urusan kami."},
    )
    assert posted.status_code == 404
    identity = b.post(reverse("desk:identity", args=[report.pk]), {"purpose": "ingin tahu"})
    assert identity.status_code == 404
    report.refresh_from_db()
    assert report.status == "dispatched"
    assert not AuditEntry.objects.filter(action="identity_read").exists()


def test_a_parent_agency_sees_its_units_reports(city: City, login: Login) -> None:
    report = city.dispatched(category=city.road)
    services.report_forward(
        actor=city.officer_a, report_id=report.pk, to_agency=city.puskesmas, reason="Puskesmas."
    )
    client = login(city.officer_health)
    assert client.get(reverse("desk:report", args=[report.pk])).status_code == 200
    assert client.get(reverse("desk:inbox", args=["pkm-pancoran-mas"])).status_code == 200
    inbox = client.get(reverse("desk:inbox", args=["dinkes"]))
    assert [r.pk for r in inbox.context["page"].items] == [report.pk]


def test_inbox_and_overdue_pages_of_another_agency_are_404(city: City, login: Login) -> None:
    a = login(city.officer_a)
    assert a.get(reverse("desk:inbox", args=["dpupr"])).status_code == 200
    assert a.get(reverse("desk:inbox", args=["dlhk"])).status_code == 404
    assert a.get(reverse("desk:inbox", args=["no-such-agency"])).status_code == 404
    assert a.post(reverse("desk:inbox_assign", args=["dlhk"]), {}).status_code == 404
    assert a.get(reverse("desk:overdue", args=["dpupr"])).status_code == 404  # liaison only
    assert login(city.head_a).get(reverse("desk:overdue", args=["dlhk"])).status_code == 404
    assert login(city.head_a).get(reverse("desk:overdue", args=["dpupr"])).status_code == 200
    assert a.get(reverse("desk:verify_queue")).status_code == 404
    assert a.post(reverse("desk:verify_bulk"), {}).status_code == 404
    assert a.get(reverse("desk:city")).status_code == 404
    assert login(city.outsider).get(reverse("desk:inbox", args=["dpupr"])).status_code == 404


def test_anonymous_identity_is_absent_from_every_officer_page(city: City, login: Login) -> None:
    contact = services.Contact(name=SECRET_NAME, email="ayu@example.id", phone="0811223344")
    report, _ = city.file(contact=contact, is_anonymous=True)
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    urls = {
        "officer_a": [
            reverse("desk:home"),
            reverse("desk:inbox", args=["dpupr"]),
            reverse("desk:report", args=[report.pk]),
        ],
        "head_a": [
            reverse("desk:overdue", args=["dpupr"]),
            reverse("desk:report", args=[report.pk]),
        ],
        "verifier": [reverse("desk:city"), reverse("desk:report", args=[report.pk])],
        "leader": [reverse("desk:city"), reverse("desk:report", args=[report.pk])],
    }
    for persona, pages in urls.items():
        client = login(getattr(city, persona))
        for url in pages:
            html = client.get(url).content.decode()
            assert SECRET_NAME not in html and "ayu@example.id" not in html, (persona, url)
            assert "0811223344" not in html
    page = login(city.officer_a).get(reverse("desk:report", args=[report.pk])).content.decode()
    assert "Pelapor memilih anonim" in page
    assert "Lihat identitas pelapor" not in page


def test_the_identity_button_refuses_an_anonymous_reporter(city: City, login: Login) -> None:
    contact = services.Contact(name=SECRET_NAME, phone="0811223344")
    report, _ = city.file(contact=contact, is_anonymous=True)
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    for persona in ("officer_a", "verifier"):
        client = login(getattr(city, persona))
        url = reverse("desk:identity", args=[report.pk])
        response = client.post(url, {"purpose": "Konfirmasi lokasi"})
        assert response.status_code == 403
        html = response.content.decode()
        assert SECRET_NAME not in html and "Pelapor memilih anonim" in html
        htmx = client.post(url, {"purpose": "Konfirmasi lokasi"}, headers={"HX-Request": "true"})
        assert SECRET_NAME not in htmx.content.decode()
    assert not AuditEntry.objects.filter(action="identity_read").exists()


def test_reading_a_named_reporters_identity_is_audited(city: City, login: Login) -> None:
    contact = services.Contact(name=SECRET_NAME, email="ayu@example.id", phone="0811223344")
    report = city.dispatched(contact=contact)
    client = login(city.officer_a)
    url = reverse("desk:report", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Lihat identitas pelapor (tercatat di log audit)" in page
    assert SECRET_NAME not in page

    refused = client.post(reverse("desk:identity", args=[report.pk]), {"purpose": " "})
    assert refused.status_code == 400 and SECRET_NAME not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="identity_read").exists()

    shown = client.post(
        reverse("desk:identity", args=[report.pk]), {"purpose": "Konfirmasi alamat lokasi"}
    )
    assert shown.status_code == 200
    assert SECRET_NAME in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    entry = AuditEntry.objects.get(action="identity_read")
    assert entry.actor_id == city.officer_a.pk and entry.object_id == str(report.pk)
    assert "Konfirmasi alamat lokasi" in entry.changes
    assert SECRET_NAME not in client.get(url).content.decode()  # not kept on the page

    partial = client.post(
        reverse("desk:identity", args=[report.pk]),
        {"purpose": "Telepon balik"},
        headers={"HX-Request": "true"},
    )
    html = partial.content.decode()
    assert SECRET_NAME in html and "<html" not in html
    assert AuditEntry.objects.filter(action="identity_read").count() == 2


def test_leader_reads_city_wide_but_cannot_act_or_open_identities(city: City, login: Login) -> None:
    report = city.dispatched()
    client = login(city.leader)
    html = client.get(reverse("desk:report", args=[report.pk])).content.decode()
    assert 'id="aksi-' not in html
    assert "Lihat identitas pelapor" not in html
    response = client.post(
        reverse("desk:report_action", args=[report.pk, "resolve"]),
        {"resolve-expected_version": report.version, "resolve-answer": "Selesai."},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "dispatched"
    assert (
        client.post(reverse("desk:identity", args=[report.pk]), {"purpose": "x"}).status_code == 404
    )


def test_city_list_filters(city: City, login: Login) -> None:
    road = city.dispatched(title="Jalan amblas di Beji")
    waste = city.dispatched(title="Sampah menumpuk", category=city.waste)
    received, _ = city.file(title="Belum ditelaah")
    client = login(city.leader)

    def listed(**query: str) -> list[int]:
        return [r.pk for r in client.get(reverse("desk:city"), query).context["page"].items]

    assert set(listed()) == {road.pk, waste.pk, received.pk}
    assert listed(instansi=str(city.dlhk.pk)) == [waste.pk]
    assert listed(instansi=str(city.pemda.pk)) == [road.pk, waste.pk][::-1]  # units included
    assert listed(status="received") == [received.pk]
    assert listed(q="amblas") == [road.pk]
    assert listed(q=road.tracking_number.lower()) == [road.pk]
    assert listed(kategori=str(city.waste.pk)) == [waste.pk]
    assert listed(terlambat="on") == []
    partial = client.get(
        reverse("desk:city"),
        {"q": "amblas"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert "<html" not in partial.content.decode()
