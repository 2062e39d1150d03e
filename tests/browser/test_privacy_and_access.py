"""Privacy in the browser: an anonymous reporter's name reaches no agency and no public page; an
officer of another agency gets the plain 404 page; reading a named reporter's identity needs a
stated purpose and is written to the audit log."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from satupintu.complaints import services
from satupintu.complaints.models import Report
from satupintu.core.models import AuditEntry
from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.conftest import City

pytestmark = pytest.mark.django_db(transaction=True)

ANON_NAME = "Siti Aminah"
ANON_TITLE = "Warga dipungut uang untuk tambal jalan"
NAMED_NAME = "Budi Santoso"
NAMED_TITLE = "Lampu jalan mati di Jl. Melati"


def file_anonymously(page: Any) -> Report:
    """The citizen types her name but switches anonymity on."""
    page.goto(page.base_url + "/lapor/")
    form = page.locator("form.report-form")
    form.get_by_label("Kategori", exact=True).select_option(label="Jalan rusak")
    form.get_by_label("Judul laporan").fill(ANON_TITLE)
    form.get_by_label(re.compile(r"^Isi laporan")).fill(
        "Pekerja penambal jalan di gang kami meminta Rp50.000 per rumah, tanpa kuitansi."
    )
    form.get_by_label("Nama", exact=True).fill(ANON_NAME)
    form.get_by_label("Surel (e-mail)").fill("siti@example.id")
    anonymous = form.get_by_role("checkbox", name=re.compile(r"^Anonim"))
    anonymous.check()
    expect(anonymous).to_be_checked()
    form.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(re.compile(r"/lapor/terkirim/[0-9A-Z]{10}/$"))
    number = page.locator("#tracking-number").inner_text().strip().replace("-", "")
    report = Report.objects.get(tracking_number=number)
    assert report.is_anonymous and not report.is_confidential
    return report


def test_anonymous_reporter_stays_hidden_and_other_agencies_get_404(
    page: Any, new_page: Any, city: City
) -> None:
    report = file_anonymously(page)
    # Setup, not the story under test: the verifier sends it to DPUPR.
    services.report_dispatch(actor=city.verifier, report_id=report.pk, agency=city.dpupr)
    report_path = f"/petugas/laporan/{report.pk}/"

    officer_a = new_page()
    sign_in(officer_a, "officer_a")
    officer_a.get_by_role("link", name="Kotak masuk Dinas PUPR").click()
    officer_a.get_by_role("link", name=ANON_TITLE).click()
    officer_a.wait_for_url(officer_a.base_url + report_path)
    identity = officer_a.locator("#identitas")
    expect(identity).to_contain_text("Pelapor memilih anonim")
    expect(identity).to_contain_text("Identitas pelapor anonim tidak diteruskan kepada instansi.")
    expect(officer_a.locator(".report-head__badges")).to_contain_text("anonim")
    expect(officer_a.get_by_text("Lihat identitas pelapor")).to_have_count(0)
    expect(officer_a.get_by_role("button", name="Buka identitas")).to_have_count(0)
    assert ANON_NAME not in officer_a.content()
    assert "siti@example.id" not in officer_a.content()
    screenshot(officer_a, "10-anonymous-report-desktop")

    # The public list and page show the report, never the name.
    stranger = new_page(PHONE)
    stranger.goto(stranger.base_url + "/laporan/")
    stranger.get_by_role("link", name=ANON_TITLE).click()
    stranger.wait_for_url(re.compile(rf"/laporan/{report.tracking_number}/$"))
    expect(stranger.get_by_role("heading", level=1)).to_have_text(ANON_TITLE)
    assert ANON_NAME not in stranger.content()
    stranger.go_back()
    expect(stranger.get_by_role("link", name=ANON_TITLE)).to_be_visible()
    assert ANON_NAME not in stranger.content()

    # DLHK never held it: its officer gets the same 404 page as for a report that does not exist.
    officer_b = new_page()
    sign_in(officer_b, "officer_b")
    response = officer_b.goto(officer_b.base_url + report_path)
    assert response is not None and response.status == 404
    expect(officer_b.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    assert ANON_TITLE not in officer_b.content()
    screenshot(officer_b, "11-not-found-desktop")
    missing = officer_b.goto(officer_b.base_url + f"/petugas/laporan/{report.pk + 1000}/")
    assert missing is not None and missing.status == 404
    expect(officer_b.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")

    for actor in (page, officer_a, stranger, officer_b):
        assert actor.js_errors == [], actor.js_errors


def test_named_reporter_identity_needs_a_purpose_and_is_audited(new_page: Any, city: City) -> None:
    report, _secret = city.file(
        title=NAMED_TITLE,
        contact=services.Contact(name=NAMED_NAME, email="budi@example.id", phone="081311112222"),
    )
    services.report_dispatch(actor=city.verifier, report_id=report.pk)

    officer_a = new_page()
    sign_in(officer_a, "officer_a")
    officer_a.goto(officer_a.base_url + f"/petugas/laporan/{report.pk}/")
    identity = officer_a.locator("#identitas")
    assert NAMED_NAME not in officer_a.content()
    identity.get_by_text("Lihat identitas pelapor (tercatat di log audit)").click()
    purpose = identity.get_by_label("Keperluan membuka identitas")
    expect(purpose).to_be_visible()

    # Without a purpose nothing is opened.
    identity.get_by_role("button", name="Buka identitas").click()
    identity = officer_a.locator("#identitas")  # swapped by htmx
    expect(identity.locator(".errorlist")).to_be_visible()
    expect(identity.get_by_label("Keperluan membuka identitas")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert NAMED_NAME not in officer_a.content()
    assert not AuditEntry.objects.filter(action="identity_read").exists()

    identity.get_by_label("Keperluan membuka identitas").fill(
        "Menghubungi pelapor untuk memastikan letak tiang lampu."
    )
    identity.get_by_role("button", name="Buka identitas").click()
    identity = officer_a.locator("#identitas")
    expect(identity).to_contain_text(NAMED_NAME)
    expect(identity).to_contain_text("081311112222")
    expect(identity).to_contain_text("Pembukaan ini telah dicatat di log audit.")

    entry = AuditEntry.objects.get(action="identity_read")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "report",
        str(report.pk),
        city.officer_a.pk,
    )
    assert "memastikan letak tiang lampu" in json.loads(entry.changes)["after"]["purpose"]
    assert officer_a.js_errors == [], officer_a.js_errors
