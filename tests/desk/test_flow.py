"""The desk as officers use it: verify and dispatch, forward (No Wrong Door), resolve; bulk
actions; counter entry; conflicts and refused forms."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from satupintu.agencies.models import Agency
from satupintu.complaints import services
from satupintu.complaints.models import Channel, Disposition, Report, ReportEvent
from satupintu.core.models import AuditEntry, User
from tests.complaints.images import huge_png
from tests.conftest import City

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def action_url(report: Report, action: str) -> str:
    return reverse("desk:report_action", args=[report.pk, action])


def page_url(report: Report) -> str:
    return reverse("desk:report", args=[report.pk])


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_verifier_verifies_and_dispatches_to_the_category_default(
    city: City, login: Login, weekday: dt.date
) -> None:
    report, _ = city.file()
    client = login(city.verifier)
    page = client.get(page_url(report))
    html = page.content.decode()
    assert 'id="aksi-dispatch"' in html and 'id="aksi-hold"' in html and 'id="aksi-archive"' in html
    assert "Dinas PUPR" in html  # the category's default agency is named
    response = client.post(
        action_url(report, "dispatch"),
        {
            "dispatch-expected_version": report.version,
            "dispatch-category": city.road.pk,
            "dispatch-agency": "",
            "dispatch-report_type": "pengaduan",
            "dispatch-instruction": "Mohon segera ditinjau.",
            "dispatch-is_confidential": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Laporan diverifikasi dan didisposisikan." in messages_of(response)
    report.refresh_from_db()
    assert report.status == "dispatched"
    assert report.current_agency == city.dpupr
    assert report.is_confidential and not report.is_anonymous
    hop = Disposition.objects.get(report=report)
    assert hop.by == city.verifier and hop.reason == "Mohon segera ditinjau."


def test_verifier_dispatches_to_a_chosen_agency_and_a_new_category(
    city: City, login: Login
) -> None:
    report, _ = city.file()
    response = login(city.verifier).post(
        action_url(report, "dispatch"),
        {
            "dispatch-expected_version": report.version,
            "dispatch-category": city.waste.pk,
            "dispatch-agency": city.puskesmas.pk,
            "dispatch-report_type": "aspirasi",
            "dispatch-is_anonymous": "on",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.current_agency == city.puskesmas
    assert report.category == city.waste and report.report_type == "aspirasi"
    assert report.is_anonymous


def test_privacy_checkboxes_can_only_be_turned_on(city: City, login: Login) -> None:
    report, _ = city.file(is_anonymous=True)
    client = login(city.verifier)
    html = client.get(page_url(report)).content.decode()
    assert 'name="dispatch-is_anonymous"' in html
    assert "tidak dapat dicabut" in html  # shown ticked and disabled
    # A forged post without the box does not lift anonymity.
    client.post(
        action_url(report, "dispatch"),
        {
            "dispatch-expected_version": report.version,
            "dispatch-category": city.road.pk,
            "dispatch-report_type": "pengaduan",
        },
    )
    report.refresh_from_db()
    assert report.status == "dispatched" and report.is_anonymous


def test_verifier_holds_and_archives_with_their_reasons(city: City, login: Login) -> None:
    held, _ = city.file()
    archived, _ = city.file()
    client = login(city.verifier)
    client.post(
        action_url(held, "hold"),
        {"hold-expected_version": held.version, "hold-message": "Mohon lampirkan foto."},
    )
    client.post(
        action_url(archived, "archive"),
        {"archive-expected_version": archived.version, "archive-reason": "Bukan keluhan."},
    )
    held.refresh_from_db()
    archived.refresh_from_db()
    assert held.status == "on_hold"
    assert archived.status == "archived"
    assert ReportEvent.objects.get(report=held, kind="held").body == "Mohon lampirkan foto."


def test_agency_a_forwards_to_agency_b_which_resolves(
    city: City, login: Login, weekday: dt.date
) -> None:
    report = city.dispatched()
    a = login(city.officer_a)
    b = login(city.officer_b)
    assert b.get(page_url(report)).status_code == 404  # not B's yet

    html = a.get(page_url(report)).content.decode()
    for form in ("accept", "follow_up", "resolve", "assign", "forward", "return", "note"):
        assert f'id="aksi-{form}"' in html
    assert "PLN UP3 Depok" in html  # external agencies are offered (No Wrong Door)

    a.post(action_url(report, "accept"), {"accept-expected_version": report.version})
    report.refresh_from_db()
    response = a.post(
        action_url(report, "forward"),
        {
            "forward-expected_version": report.version,
            "forward-to_agency": city.dlhk.pk,
            "forward-reason": "Tumpukan sampah, bukan jalan rusak.",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.current_agency == city.dlhk and report.status == "dispatched"

    # B sees the whole route; A still sees the report it held, but can no longer act.
    html = b.get(page_url(report)).content.decode()
    assert "Dinas PUPR → <strong>Dinas LHK</strong>" in html
    assert "Tumpukan sampah, bukan jalan rusak." in html
    assert "Diteruskan ke instansi lain" in html
    a_html = a.get(page_url(report)).content.decode()
    assert 'id="aksi-resolve"' not in a_html and 'id="aksi-forward"' not in a_html

    b.post(
        action_url(report, "follow_up"),
        {"follow_up-expected_version": report.version, "follow_up-body": "Petugas meluncur."},
    )
    report.refresh_from_db()
    response = b.post(
        action_url(report, "resolve"),
        {"resolve-expected_version": report.version, "resolve-answer": "Sampah diangkut."},
        follow=True,
    )
    assert "Laporan diselesaikan." in messages_of(response)
    report.refresh_from_db()
    assert report.status == "resolved"
    hops = list(Disposition.objects.filter(report=report).order_by("seq"))
    assert [(h.to_agency_id, h.outcome) for h in hops] == [
        (city.dpupr.pk, "forwarded"),
        (city.dlhk.pk, "resolved"),
    ]


def test_agency_returns_a_report_as_bukan_wewenang(city: City, login: Login) -> None:
    report = city.dispatched()
    response = login(city.officer_a).post(
        action_url(report, "return"),
        {"return-expected_version": report.version, "return-reason": "Wewenang PLN."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "received" and report.current_agency is None
    queue = login(city.verifier).get(reverse("desk:verify_queue")).content.decode()
    assert report.title in queue


def test_internal_note_and_public_reply_are_told_apart(city: City, login: Login) -> None:
    report = city.dispatched()
    client = login(city.officer_a)
    for visibility, body in (("internal", "Cek anggaran dulu."), ("public", "Sedang kami cek.")):
        client.post(
            action_url(report, "note"),
            {
                "note-expected_version": report.version,
                "note-body": body,
                "note-visibility": visibility,
            },
        )
    events = {e.body: e.is_public for e in ReportEvent.objects.filter(report=report)}
    assert events["Cek anggaran dulu."] is False and events["Sedang kami cek."] is True
    html = client.get(page_url(report)).content.decode()
    internal = html.index("Cek anggaran dulu.")
    assert html.rfind('<li class="internal">', 0, internal) > html.rfind(
        '<li class="public">', 0, internal
    )


def test_assign_from_the_report_page_and_in_bulk(city: City, login: Login) -> None:
    first = city.dispatched()
    second = city.dispatched()
    client = login(city.head_a)
    client.post(
        action_url(first, "assign"),
        {"assign-expected_version": first.version, "assign-assignee": city.officer_a.pk},
    )
    first.refresh_from_db()
    assert first.assignee == city.officer_a

    response = client.post(
        reverse("desk:inbox_assign", args=["dpupr"]),
        {
            "report": [first.pk, second.pk],
            f"v{first.pk}": first.version,
            f"v{second.pk}": second.version,
            "assignee": city.head_a.pk,
        },
        follow=True,
    )
    assert "2 laporan ditugaskan kepada head_a." in messages_of(response)
    assert set(Report.objects.values_list("assignee_id", flat=True)) == {city.head_a.pk}
    mine = client.get(reverse("desk:inbox", args=["dpupr"]), {"saya": "1"})
    assert len(mine.context["page"].items) == 2


def test_bulk_dispatch_reports_each_failure_and_dispatches_the_rest(
    city: City, login: Login
) -> None:
    good = [city.file()[0] for _ in range(2)]
    power, _ = city.file(category=city.power)
    bad, _ = city.file(category=None)  # no category: nothing to dispatch to
    chosen = [*good, power, bad]
    response = login(city.verifier).post(
        reverse("desk:verify_bulk"),
        {"report": [r.pk for r in chosen], **{f"v{r.pk}": r.version for r in chosen}},
        follow=True,
    )
    shown = messages_of(response)
    assert "3 laporan didisposisikan." in shown
    failures = [m for m in shown if "tidak didisposisikan" in m]
    assert len(failures) == 1
    assert bad.tracking_number[:5] in failures[0] and "kategori" in failures[0]
    for report in good:
        report.refresh_from_db()
        assert report.status == "dispatched" and report.current_agency == city.dpupr
    power.refresh_from_db()
    assert power.current_agency == city.pln  # each to its own category's default agency
    bad.refresh_from_db()
    assert bad.status == "received"


def test_bulk_dispatch_to_one_chosen_agency(city: City, login: Login) -> None:
    reports = [city.file()[0] for _ in range(2)]
    login(city.verifier).post(
        reverse("desk:verify_bulk"),
        {"report": [r.pk for r in reports], "agency": city.dlhk.pk},
    )
    assert {r.current_agency_id for r in Report.objects.all()} == {city.dlhk.pk}


def test_stale_version_shows_the_conflict_and_changes_nothing(city: City, login: Login) -> None:
    report = city.dispatched()
    seen_version = report.version
    # Someone else posts a follow-up after officer A opened the page.
    services.report_follow_up(actor=city.head_a, report_id=report.pk, body="Sudah ditinjau.")
    response = login(city.officer_a).post(
        action_url(report, "resolve"),
        {"resolve-expected_version": seen_version, "resolve-answer": "Sudah ditambal."},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "telah diubah oleh orang lain" in html
    assert "Sudah ditambal." in html  # what was typed is kept
    report.refresh_from_db()
    assert report.status == "in_progress" and report.resolved_at is None
    assert not ReportEvent.objects.filter(report=report, kind="resolved").exists()


def test_a_bad_form_keeps_what_was_typed_and_marks_the_field(city: City, login: Login) -> None:
    report = city.dispatched()
    client = login(city.officer_a)
    response = client.post(
        action_url(report, "forward"),
        {
            "forward-expected_version": report.version,
            "forward-to_agency": city.dlhk.pk,
            "forward-reason": "   ",
        },
    )
    assert response.status_code == 400
    form = response.context["action_forms"][
        [f.action for f in response.context["action_forms"]].index("forward")
    ]
    assert "reason" in form.errors and "to_agency" not in form.errors
    html = response.content.decode()
    field = html[html.index('id="id_forward-reason-field"') :]
    field = field[: field.index("</div>")]
    assert "field--error" in html[html.index('id="id_forward-reason-field"') - 40 :][:80]
    assert "errorlist" in field
    chosen = f'<option value="{city.dlhk.pk}" selected>'
    assert chosen in html  # the chosen agency is kept

    response = client.post(
        action_url(report, "return"),
        {"return-expected_version": report.version, "return-reason": ""},
    )
    assert response.status_code == 400
    response = client.post(
        action_url(report, "resolve"),
        {"resolve-expected_version": report.version, "resolve-answer": "", "x": "y"},
    )
    assert response.status_code == 400
    response = client.post(
        action_url(report, "follow_up"),
        {"follow_up-expected_version": report.version, "follow_up-body": "x" * 10_001},
    )
    assert response.status_code == 400 and "x" * 10_001 in response.content.decode()
    report.refresh_from_db()
    assert report.status == "dispatched" and report.version == 2


def test_an_action_the_status_no_longer_allows_is_explained(city: City, login: Login) -> None:
    report = city.resolved()
    response = login(city.officer_a).post(
        action_url(report, "follow_up"),
        {"follow_up-expected_version": report.version, "follow_up-body": "Lagi."},
    )
    assert response.status_code == 409
    assert "tidak dapat" in response.content.decode()
    assert len(messages_of(response)) == 1  # said at the top: the form is no longer offered
    (bound,) = [f for f in response.context["action_forms"] if f.is_bound]
    assert bound.non_field_errors() and bound["body"].value() == "Lagi."


def test_counter_entry_records_channel_and_officer_and_prints_the_receipt(
    city: City, login: Login
) -> None:
    Agency.objects.filter(pk=city.pemda.pk).update(region_id="32.76")  # Kota Depok
    client = login(city.officer_a)
    form = client.get(reverse("desk:counter")).content.decode()
    assert "Pancoran Mas" in form  # the city's kelurahan are offered
    assert 'value="call112"' in form and 'value="web"' not in form
    response = client.post(
        reverse("desk:counter"),
        {
            "channel": "call112",
            "title": "Pohon tumbang menutup jalan",
            "description": "Pohon besar tumbang di Jl. Nusantara, menutup dua lajur.",
            "category": city.road.code,
            "name": "Bapak Darmawan",
            "phone": "08129999000",
            "address": "Jl. Nusantara depan SD",
            "region": city.village.pk,
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.CALL_112
    assert report.received_by == city.officer_a
    assert report.region == city.village
    assert "Darmawan" not in report.contact_encrypted
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert report.tracking_number[:5] in html and "Kode rahasia" in html
    secret = receipt.context["r"]["secret"]
    assert services.reporter_authenticate(report.tracking_number, secret).report_id == report.pk
    assert (
        receipt["Cache-Control"].startswith("max-age=0") or "no-cache" in receipt["Cache-Control"]
    )
    # Shown once only.
    assert client.get(response["Location"]).status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(report.pk), action="receive").get()
    assert entry.actor_id == city.officer_a.pk


def test_counter_form_errors_keep_the_input(city: City, login: Login) -> None:
    response = login(city.officer_a).post(
        reverse("desk:counter"),
        {"channel": "phone", "title": "Lampu jalan mati", "description": "pendek"},
    )
    assert response.status_code == 400
    assert "description" in response.context["form"].errors
    assert 'value="Lampu jalan mati"' in response.content.decode()
    assert not Report.objects.exists()


def test_counter_is_only_for_officers(city: City, login: Login) -> None:
    assert login(city.outsider).get(reverse("desk:counter")).status_code == 404


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_claiming_huge_dimensions_is_refused_at_the_upload_field(
    city: City, login: Login
) -> None:
    report = city.dispatched()
    upload = io.BytesIO(huge_png())
    upload.name = "peta.png"
    response = login(city.officer_a).post(
        action_url(report, "attach"),
        {"attach-expected_version": report.version, "attach-attachments": [upload]},
    )
    assert response.status_code == 400
    assert "peta.png: gambar terlalu besar." in response.content.decode()
    assert not report.attachments.exists()


def test_attachments_are_uploaded_and_served_only_to_who_may_see(city: City, login: Login) -> None:
    report = city.dispatched()
    client = login(city.officer_a)
    upload = io.BytesIO(png())
    upload.name = "bukti.png"
    response = client.post(
        action_url(report, "attach"),
        {"attach-expected_version": report.version, "attach-attachments": [upload]},
    )
    assert response.status_code == 302
    attachment = report.attachments.get()
    url = reverse("desk:attachment", args=[report.pk, attachment.pk])
    assert url in client.get(page_url(report)).content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    with attachment.file.open("rb") as stored:  # reading the stream to its end closes it
        assert b"".join(served.streaming_content) == stored.read()  # type: ignore[attr-defined]
    assert login(city.officer_b).get(url).status_code == 404
    other = city.dispatched()
    assert client.get(reverse("desk:attachment", args=[other.pk, attachment.pk])).status_code == 404
