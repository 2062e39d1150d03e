"""GET requests, requests/{id} and tokens/{token}: what a report looks like as a service request,
the filters, and what never leaves the server."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from satupintu.complaints import services
from satupintu.complaints.models import Attachment, Category, Report, ReportEvent
from tests.conftest import City
from tests.open311 import schema
from tests.open311.conftest import Keys, Open311, body, xml
from tests.open311.test_services import error_list

pytestmark = pytest.mark.django_db


def requests_json(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    data = schema.validate(body(response), schema.REQUESTS)
    for item in data:
        schema.check_order(item, schema.REQUEST_FIELDS)
    return data


def requests_xml(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return schema.xml_items(xml(response), "service_requests", "request", schema.REQUEST_FIELDS)


def ids(items: list[dict[str, Any]]) -> set[str]:
    return {i["service_request_id"] for i in items}


def test_a_report_as_a_service_request_in_json_and_xml(
    city: City, o311: Open311, weekday: dt.date
) -> None:
    report, _ = city.file(address="Jl. Margonda Raya 12", latitude="-6.4025", longitude="106.818")
    report.region = city.village
    report.save(update_fields=["region"])
    [item] = requests_json(o311.get(f"requests/{report.tracking_number}"))
    assert item["service_request_id"] == report.tracking_number
    assert item["status"] == "open" and item["status_notes"] == "Diterima"
    assert (item["service_code"], item["service_name"]) == ("jalan-rusak", "Jalan rusak")
    assert item["description"].startswith("Jalan berlubang di depan sekolah\n\nLubang besar")
    assert item["agency_responsible"] is None  # not dispatched yet
    assert "Dinas PUPR" in item["service_notice"]
    assert item["requested_datetime"] == "2025-03-05T09:00:00+07:00"
    # Verification takes 3 working days (domain.md §1.6): Monday 10 March, end of day.
    assert item["expected_datetime"] == "2025-03-10T23:59:59+07:00"
    assert item["address"] == "Jl. Margonda Raya 12, Pancoran Mas, Pancoran Mas"
    assert item["address_id"] == city.village.code
    assert item["zipcode"] is None and item["media_url"] is None
    assert (item["lat"], item["long"]) == (-6.4025, 106.818)

    [row] = requests_xml(o311.get(f"requests/{report.tracking_number}", "xml"))
    assert row["service_request_id"] == report.tracking_number
    assert row["status"] == "open" and row["lat"] == "-6.4025"
    assert row["zipcode"] is None  # an empty element
    assert row["requested_datetime"] == item["requested_datetime"]


def test_status_is_open_or_closed_with_our_status_and_the_answer_in_the_notes(
    city: City, o311: Open311
) -> None:
    report = city.dispatched()
    number = report.tracking_number

    def state() -> tuple[str, str]:
        [item] = requests_json(o311.get(f"requests/{number}"))
        return item["status"], item["status_notes"]

    assert state() == ("open", "Terdisposisi")
    assert requests_json(o311.get(f"requests/{number}"))[0]["agency_responsible"] == "Dinas PUPR"
    services.report_follow_up(actor=city.officer_a, report_id=report.pk, body="Tim meninjau.")
    assert state() == ("open", "Ditindaklanjuti: Tim meninjau.")
    services.report_add_note(actor=city.officer_a, report_id=report.pk, body="Rahasia dapur.")
    assert state() == ("open", "Ditindaklanjuti: Tim meninjau.")  # internal notes stay inside
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah ditambal.")
    assert state() == ("closed", "Selesai: Sudah ditambal.")
    [item] = requests_json(o311.get(f"requests/{number}"))
    assert item["expected_datetime"] is None
    services.report_appeal(actor=city.reporter(report), report_id=report.pk, reason="Belum rata.")
    assert state() == ("open", "Dibuka kembali")
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah diaspal.")
    services.report_confirm(actor=city.reporter(report), report_id=report.pk, rating=5)
    assert state() == ("closed", "Ditutup: Sudah diaspal.")


def test_an_archived_report_is_not_public_but_its_filer_learns_it_was_closed(
    city: City, api_keys: Keys, o311: Open311
) -> None:
    # As on the portal and /api/v1 (complaints/public.py): an archived report is not found by
    # a caller without a key, whether asked by id, in a list of ids or as a token.
    report, _ = city.file()
    services.report_archive(actor=city.verifier, report_id=report.pk, reason="Iklan, bukan aduan.")
    number = report.tracking_number
    for fmt in ("json", "xml"):
        assert o311.get(f"requests/{number}", fmt).status_code == 404
        assert o311.get(f"tokens/{number}", fmt).status_code == 404
    assert requests_json(o311.get("requests", service_request_id=number)) == []
    assert number not in ids(requests_json(o311.get("requests")))
    # The key that filed a report learns that it was closed, and why.
    filed = o311.post(
        api_key=api_keys.gateway, service_code="sampah", address_string="Pasar Kemiri"
    )
    mine = Report.objects.get(tracking_number=body(filed)[0]["service_request_id"])
    services.report_archive(actor=city.verifier, report_id=mine.pk, reason="Iklan, bukan aduan.")
    assert o311.get(f"requests/{mine.tracking_number}").status_code == 404
    [item] = requests_json(o311.get(f"requests/{mine.tracking_number}", api_key=api_keys.gateway))
    assert (item["status"], item["status_notes"]) == ("closed", "Diarsipkan: Iklan, bukan aduan.")
    assert o311.get(f"requests/{number}", api_key=api_keys.gateway).status_code == 404


def test_confidential_reports_are_never_listed_nor_found_except_by_the_key_that_filed_them(
    city: City, api_keys: Keys, o311: Open311
) -> None:
    secret, _ = city.file(is_confidential=True)
    public, _ = city.file()
    listed = ids(requests_json(o311.get("requests")))
    assert public.tracking_number in listed and secret.tracking_number not in listed
    for path in (f"requests/{secret.tracking_number}", f"tokens/{secret.tracking_number}"):
        assert o311.get(path).status_code == 404
    both = f"{public.tracking_number},{secret.tracking_number}"
    assert ids(requests_json(o311.get("requests", service_request_id=both))) == {
        public.tracking_number
    }
    # A report filed through Open311 and then made confidential stays visible to its filer.
    filed = o311.post(
        api_key=api_keys.gateway, service_code="sampah", address_string="Pasar Kemiri"
    )
    number = body(filed)[0]["service_request_id"]
    report = Report.objects.get(tracking_number=number)
    services.report_set_privacy(actor=city.verifier, report_id=report.pk, is_confidential=True)
    assert o311.get(f"requests/{number}").status_code == 404
    assert number not in ids(requests_json(o311.get("requests", api_key=api_keys.gateway)))
    [item] = requests_json(o311.get(f"requests/{number}", api_key=api_keys.gateway))
    assert item["service_request_id"] == number


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("lubang.jpg", out.getvalue(), content_type="image/jpeg")


def test_anonymous_reporters_data_never_leaves_in_any_format(city: City, o311: Open311) -> None:
    named, _ = city.file(attachments=[("lubang.jpg", _photo())])
    anonymous, _ = city.file(
        is_anonymous=True,
        contact=services.Contact(name="Budi Rahasia", email="budi@rahasia.id", phone="0899"),
        attachments=[("wajah.jpg", _photo())],
    )
    pages = [o311.get("requests", fmt) for fmt in ("json", "xml")] + [
        o311.get(f"requests/{anonymous.tracking_number}", fmt) for fmt in ("json", "xml")
    ]
    for page in pages:
        text = page.content.decode()
        for secret in ("Budi Rahasia", "budi@rahasia.id", "0899", "Siti Aminah", "081234567890"):
            assert secret not in text
    items = {i["service_request_id"]: i for i in requests_json(o311.get("requests"))}
    # A named reporter's photo is public on the portal; an anonymous one's is not (it may
    # show who they are), so Open311 links only the former.
    assert items[named.tracking_number]["media_url"].startswith("http://testserver/lampiran/")
    assert items[anonymous.tracking_number]["media_url"] is None


def test_only_photos_the_portal_shows_get_a_media_url(city: City, o311: Open311) -> None:
    named, _ = city.file()
    anonymous, _ = city.file(is_anonymous=True)
    answer, internal = (
        ReportEvent.objects.create(
            report=report, kind=kind, body=body, is_public=public, created_at=timezone.now()
        )
        for report, kind, body, public in (
            (anonymous, ReportEvent.Kind.FOLLOW_UP, "Sudah ditambal.", True),
            (named, ReportEvent.Kind.NOTE, "Cek lokasi.", False),
        )
    )

    uploaded = [timezone.now()]

    def photo(report: Report, *, by_reporter: bool, event: Any = None) -> Attachment:
        upload = _photo()
        uploaded[0] += dt.timedelta(minutes=1)
        return Attachment.objects.create(
            uploaded_at=uploaded[0],
            report=report,
            event=event,
            file=upload,
            original_name=upload.name,
            content_type="image/jpeg",
            extension="jpg",
            size=upload.size,
            sha256="0" * 64,
            by_reporter=by_reporter,
        )

    photo(named, by_reporter=False, event=internal)  # an officer's, on an internal note
    photo(anonymous, by_reporter=True)  # may show who the reporter is
    officers = photo(anonymous, by_reporter=False, event=answer)  # posted with a public answer
    reporters = photo(named, by_reporter=True)
    photo(named, by_reporter=True)  # a later one: the first is linked
    items = {i["service_request_id"]: i for i in requests_json(o311.get("requests"))}
    assert items[named.tracking_number]["media_url"].endswith(f"/lampiran/{reporters.pk}/")
    assert items[anonymous.tracking_number]["media_url"].endswith(f"/lampiran/{officers.pk}/")


def test_filters_by_id_code_status_and_dates_with_z_or_an_offset(
    city: City, o311: Open311, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC), tick=False)  # 08:00 WIB
    early, _ = city.file()
    time_machine.move_to(dt.datetime(2025, 3, 5, 1, 0, tzinfo=dt.UTC), tick=False)
    waste, _ = city.file(category=city.waste)
    resolved = city.resolved()
    time_machine.move_to(dt.datetime(2025, 3, 6, 1, 0, tzinfo=dt.UTC), tick=False)

    def listed(fmt: str = "json", **params: str) -> set[str]:
        response = o311.get("requests", fmt, **params)
        return ids(requests_json(response) if fmt == "json" else requests_xml(response))

    everyone = {early.tracking_number, waste.tracking_number, resolved.tracking_number}
    assert listed() == everyone
    assert listed(service_code="sampah") == {waste.tracking_number}
    assert listed(service_code="sampah,jalan-rusak") == everyone
    assert listed(status="closed") == {resolved.tracking_number}
    assert listed("xml", status="open") == {early.tracking_number, waste.tracking_number}
    assert listed(status="open,closed") == everyone
    # 2025-03-04T00:00:00Z is 07:00 WIB on the 4th: only the two reports of the 5th.
    assert listed(start_date="2025-03-04T00:00:00Z") == {
        waste.tracking_number,
        resolved.tracking_number,
    }
    assert listed(end_date="2025-03-03T08:00:00+07:00") == {early.tracking_number}
    assert listed(end_date="2025-03-03T07:59:59+07:00") == set()
    # Any offset W3C allows, even one PostgreSQL would not take as it is.
    assert listed(end_date="2025-03-02T04:00:00-21:00") == {early.tracking_number}
    assert listed(start_date="2025-03-03T00:00:00+07:00", end_date="2025-03-04T00:00:00Z") == {
        early.tracking_number
    }
    assert listed(service_request_id=f"{early.tracking_number},{waste.tracking_number}") == {
        early.tracking_number,
        waste.tracking_number,
    }
    # service_request_id overrides every other argument; unknown arguments are ignored.
    assert listed(service_request_id=early.tracking_number, status="closed") == {
        early.tracking_number
    }
    assert listed(page_size="5", sort="desc", q="sampah") == everyone


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "kemarin"}, "start_date"),
        ({"end_date": "2025-13-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"start_date": "0001-01-01T00:00:00+05:00"}, "start_date"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date"),
        ({"end_date": "0001-03-01T00:00:00Z"}, "end_date"),
        ({"start_date": "9999-12-01T00:00:00Z"}, "start_date"),
        ({"start_date": "9999-10-15T00:00:00+14:00"}, "start_date"),
        ({"end_date": "9999-12-31T23:59:59-12:00"}, "end_date"),
        (
            {"start_date": "9999-12-31T23:59:59-12:00", "end_date": "9999-12-31T23:59:59Z"},
            "start_date",
        ),
        ({"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2024-02-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"}, "end_date"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filter_values_are_400(
    city: City, o311: Open311, params: dict[str, str], words: str, fmt: str
) -> None:
    response = o311.get("requests", fmt, **params)
    assert response.status_code == 400
    assert words in error_list(response, fmt)[0]["description"]


def test_the_last_90_days_by_default(city: City, o311: Open311, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 1, 2, 1, 0, tzinfo=dt.UTC), tick=False)
    old, _ = city.file()
    time_machine.move_to(dt.datetime(2025, 4, 7, 1, 0, tzinfo=dt.UTC), tick=False)
    new, _ = city.file()
    assert ids(requests_json(o311.get("requests"))) == {new.tracking_number}
    assert ids(requests_json(o311.get("requests", start_date="2025-01-01T00:00:00Z"))) == {
        old.tracking_number
    }


def test_the_newest_page_by_default_and_more_pages_on_request(
    city: City, o311: Open311, settings: Any, monkeypatch: Any
) -> None:
    from satupintu.open311 import params, selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(params, "PAGE_SIZE", 3)
    reports = [city.file(title=f"Laporan {i}")[0] for i in range(7)]
    newest = [r.tracking_number for r in reversed(reports)]
    assert [i["service_request_id"] for i in requests_json(o311.get("requests"))] == newest[:3]
    pages = [
        [
            i["service_request_id"]
            for i in requests_json(o311.get("requests", page_size="5", page=p))
        ]
        for p in ("1", "2", "3")
    ]
    assert pages == [newest[:5], newest[5:], []]
    for bad in ({"page": "0"}, {"page_size": "1001"}, {"page_size": "x"}):
        response = o311.get("requests", **bad)
        assert response.status_code == 400
        assert next(iter(bad)) in error_list(response, "json")[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_ids_and_tokens_are_404(city: City, o311: Open311, fmt: str) -> None:
    for path in ("requests/ZZZZZZZZZZ", "tokens/ZZZZZZZZZZ"):
        response = o311.get(path, fmt)
        assert response.status_code == 404
        assert error_list(response, fmt)[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_leads_to_its_request(city: City, o311: Open311, fmt: str) -> None:
    report, _ = city.file()
    response = o311.get(f"tokens/{report.tracking_number.lower()}", fmt)
    assert response.status_code == 200
    if fmt == "json":
        [item] = schema.validate(body(response), schema.TOKEN)
    else:
        [item] = schema.xml_items(xml(response), "service_requests", "request", schema.TOKEN_FIELDS)
    assert item["service_request_id"] == report.tracking_number


def test_the_list_costs_the_same_queries_for_one_report_or_many(city: City, o311: Open311) -> None:
    city.resolved()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert o311.get("requests").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the SLA policy and calendar caches
    one = count()
    for _ in range(6):
        city.resolved(attachments=[("lubang.jpg", _photo())])
    assert count() == one <= 4


def test_control_characters_never_break_the_xml(city: City, o311: Open311) -> None:
    report, _ = city.file(description="Lubang besar\x0b di depan sekolah,\x1b sudah lama sekali.")
    [row] = requests_xml(o311.get(f"requests/{report.tracking_number}", "xml"))
    assert "Lubang besar di depan sekolah, sudah lama sekali." in (row["description"] or "")
    [item] = requests_json(o311.get(f"requests/{report.tracking_number}"))
    assert "\x0b" in item["description"]  # JSON escapes it; nothing is lost there


def test_a_long_description_is_cut_to_the_spec_limit(city: City, o311: Open311) -> None:
    report, _ = city.file(description="Jalan rusak parah. " * 400)
    [item] = requests_json(o311.get(f"requests/{report.tracking_number}"))
    assert len(item["description"]) == 4000 and item["description"].endswith("…")


def test_master_data_changed_by_another_process_shows_at_once(city: City, o311: Open311) -> None:
    # The list reads categories, agencies and regions from per-process copies; rows written by
    # another process (no signal here: a queryset update or bulk_create) must still show.
    city.file()
    requests_json(o311.get("requests"))  # the copies are filled
    [noise] = Category.objects.bulk_create(
        [Category(code="kebisingan", name="Kebisingan", default_agency=city.dlhk)]
    )
    report, _ = city.file(category=noise)
    Report.objects.filter(pk=report.pk).update(region=city.village)
    [item] = requests_json(o311.get(f"requests/{report.tracking_number}"))
    assert (item["service_code"], item["service_name"]) == ("kebisingan", "Kebisingan")
    assert "Dinas LHK" in item["service_notice"]
    assert item["address"] == "Pancoran Mas, Pancoran Mas"
    listed = {i["service_request_id"]: i for i in requests_json(o311.get("requests"))}
    assert listed[report.tracking_number]["service_code"] == "kebisingan"
