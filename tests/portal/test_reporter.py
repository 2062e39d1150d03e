"""The reporter's own pages: access by link or code, the clean URL, replies, rating, appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from satupintu.complaints import services
from satupintu.complaints.models import Report
from tests.conftest import City
from tests.portal.conftest import Filed, file_through_portal, jpeg

pytestmark = pytest.mark.django_db

NOT_FOUND = "Laporan tidak ditemukan."


def open_link(filed: Filed) -> Client:
    """A fresh browser that opens the private link (and is redirected to the clean URL)."""
    browser = Client()
    response = browser.get(filed.link)
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{filed.report.tracking_number}/"
    assert "kunci" not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    return browser


def test_the_whole_citizen_flow(client: Client, city: City) -> None:
    # File with a photo and a pin.
    filed = file_through_portal(client, city, attachments=[jpeg("lubang.jpg")])
    report = filed.report
    assert report.latitude is not None and report.attachments.count() == 1
    # Later, on another device, through the private link.
    browser = open_link(filed)
    page = browser.get(f"/lacak/{report.tracking_number}/").content.decode()
    assert report.title in page and "Diterima" in page
    assert "Batas verifikasi oleh petugas" in page
    photo = report.attachments.get()
    assert f"/lampiran/{photo.pk}/" in page
    served = browser.get(f"/lampiran/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    # An officer verifies, dispatches, follows up and resolves through the services.
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Kami tinjau.")
    services.report_resolve(
        actor=city.officer_a, report_id=report.pk, answer="Lubang sudah ditambal aspal."
    )
    page = browser.get(f"/lacak/{report.tracking_number}/").content.decode()
    assert "Jawaban instansi" in page and "Lubang sudah ditambal aspal." in page
    assert "Kami tinjau." in page and city.dpupr.name in page
    assert 'name="rating"' in page and "Ajukan banding" in page
    # The citizen rates the answer; the report closes.
    response = browser.post(
        f"/lacak/{report.tracking_number}/penilaian/",
        {"rating": "5", "comment": "Cepat, terima kasih.", "expected_version": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed" and report.rating == 5
    assert report.rating_comment == "Cepat, terima kasih."
    page = browser.get(f"/lacak/{report.tracking_number}/").content.decode()
    assert "Terima kasih atas penilaian Anda" in page
    assert "Ditutup" in page and 'name="rating"' not in page
    assert "Penilaian 5 dari 5" in page


def test_wrong_secret_unknown_number_and_no_access_look_the_same(
    client: Client, city: City
) -> None:
    report, secret = city.file()
    answers = [
        client.get(f"/lacak/{report.tracking_number}/?kunci=salah"),
        client.get(f"/lacak/ZZZZZZZZZZ/?kunci={secret}"),
        client.get(f"/lacak/{report.tracking_number}/"),
        client.post("/lacak/", {"tracking_number": report.tracking_number, "secret": "salah"}),
        client.post("/lacak/", {"tracking_number": "ZZZZZ-ZZZZZ", "secret": secret}),
    ]
    for response in answers:
        assert response.status_code == 404
        page = response.content.decode()
        assert NOT_FOUND in page
        assert report.title not in page
    # Actions need access too.
    reply = client.post(f"/lacak/{report.tracking_number}/tanggapan/", {"body": "Halo"})
    assert reply.status_code == 404
    assert report.events.count() == 1


def test_track_form_accepts_what_people_type(client: Client, city: City) -> None:
    report, secret = city.file()
    typed = f"{report.tracking_number[:5].lower()} - {report.tracking_number[5:].lower()}"
    response = client.post("/lacak/", {"tracking_number": typed, "secret": f" {secret} "})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{report.tracking_number}/"
    assert client.get(response["Location"]).status_code == 200
    # The formatted number in the address works too (and leads to the canonical one).
    formatted = f"/lacak/{report.tracking_number[:5]}-{report.tracking_number[5:]}/"
    assert client.get(formatted)["Location"] == f"/lacak/{report.tracking_number}/"


def test_reply_with_htmx_returns_the_panel_and_without_it_redirects(
    client: Client, city: City
) -> None:
    filed = file_through_portal(client, city)
    number = filed.report.tracking_number
    browser = open_link(filed)
    response = browser.post(
        f"/lacak/{number}/tanggapan/", {"body": "Lokasinya di sisi kiri."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="reporter-panel"') and "<html" not in page
    assert "Tanggapan Anda sudah terkirim." in page and "Lokasinya di sisi kiri." in page
    plain = browser.post(f"/lacak/{number}/tanggapan/", {"body": "Tambahan: dekat halte."})
    assert plain.status_code == 302
    page = browser.get(plain["Location"]).content.decode()
    assert "Tanggapan Anda sudah terkirim." in page and "Tambahan: dekat halte." in page
    # An empty reply is shown next to the field, in the panel for htmx.
    empty = browser.post(f"/lacak/{number}/tanggapan/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and 'id="id_body_error"' in empty.content.decode()
    empty_plain = browser.post(f"/lacak/{number}/tanggapan/", {"body": "  "})
    assert empty_plain.status_code == 400 and 'id="id_body_error"' in empty_plain.content.decode()


def test_appeal_sends_the_report_back(client: Client, city: City) -> None:
    filed = file_through_portal(client, city)
    report = filed.report
    browser = open_link(filed)
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah.")
    missing = browser.post(f"/lacak/{report.tracking_number}/banding/", {"reason": ""})
    assert missing.status_code == 400 and 'id="id_reason_error"' in missing.content.decode()
    response = browser.post(
        f"/lacak/{report.tracking_number}/banding/",
        {"reason": "Lubangnya masih ada.", "expected_version": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Banding Anda sudah terkirim" in page
    # The summary beside the panel is refreshed out of band with the new status.
    aside = page[page.index('<div id="report-aside" hx-swap-oob="true">') :]
    assert "Dibuka kembali" in aside
    report.refresh_from_db()
    assert report.status == "reopened"


def test_conflicts_are_shown_as_a_message(client: Client, city: City) -> None:
    filed = file_through_portal(client, city)
    report = filed.report
    browser = open_link(filed)
    # Rating before any answer: the lifecycle refuses; the page explains.
    response = browser.post(f"/lacak/{report.tracking_number}/penilaian/", {"rating": "4"})
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Tindakan ini tidak tersedia untuk status laporan saat ini." in page
    # A stale version (the officer acted in between).
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    resolved = services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="x")
    stale = browser.post(
        f"/lacak/{report.tracking_number}/penilaian/",
        {"rating": "4", "expected_version": str(resolved.version - 1)},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 200
    assert "Laporan ini baru saja berubah" in stale.content.decode()
    report.refresh_from_db()
    assert report.status == "resolved"


def test_appeal_window_closed(client: Client, city: City, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    filed = file_through_portal(client, city)
    report = filed.report
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah.")
    time_machine.move_to(dt.datetime(2025, 5, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    browser = open_link(filed)  # sessions end after two weeks; the link still works
    page = browser.get(f"/lacak/{report.tracking_number}/").content.decode()
    # The window has passed: no appeal form is offered.
    assert "Sudah." in page and "Ajukan banding" not in page
    response = browser.post(f"/lacak/{report.tracking_number}/banding/", {"reason": "Belum."})
    assert response.status_code == 302
    assert (
        "Masa banding untuk laporan ini sudah berakhir."
        in browser.get(response["Location"]).content.decode()
    )
    assert Report.objects.get(pk=report.pk).status == "resolved"


def test_reporter_adds_attachments(client: Client, city: City) -> None:
    filed = file_through_portal(client, city)
    browser = open_link(filed)
    number = filed.report.tracking_number
    response = browser.post(f"/lacak/{number}/lampiran/", {"attachments": [jpeg("dua.jpg")]})
    assert response.status_code == 302
    assert filed.report.attachments.filter(original_name="dua.jpg", by_reporter=True).exists()
    nothing = browser.post(f"/lacak/{number}/lampiran/", {})
    assert nothing.status_code == 400 and 'id="id_attachments_error"' in nothing.content.decode()


def test_reporter_pages_never_show_contact_data(client: Client, city: City) -> None:
    filed = file_through_portal(
        client, city, name="Siti Aminah", email="siti@example.id", phone="081234567890"
    )
    browser = open_link(filed)
    page = browser.get(f"/lacak/{filed.report.tracking_number}/").content.decode()
    for secret in ("Siti Aminah", "siti@example.id", "081234567890"):
        assert secret not in page
    assert filed.secret not in page


def test_repeated_wrong_secrets_are_slowed_down(
    client: Client, city: City, monkeypatch: Any
) -> None:
    from satupintu.portal import views

    monkeypatch.setattr(views, "TRACK_FAILURE_LIMIT", 2)
    report, secret = city.file()
    for _ in range(2):
        wrong = {"tracking_number": report.tracking_number, "secret": "salah"}
        assert client.post("/lacak/", wrong).status_code == 404
    right = {"tracking_number": report.tracking_number, "secret": secret}
    assert client.post("/lacak/", right).status_code == 429
    assert client.get(f"/lacak/{report.tracking_number}/?kunci={secret}").status_code == 429
    assert Client(REMOTE_ADDR="10.9.9.9").post("/lacak/", right).status_code == 302
