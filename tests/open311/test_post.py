"""POST requests: filing a report through Open311 (form-encoded, as the spec sends it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from satupintu.complaints.models import CategoryAttribute, Report, ReportEvent
from tests.conftest import City
from tests.open311 import schema
from tests.open311.conftest import Keys, Open311, body, xml
from tests.open311.test_services import error_list

pytestmark = pytest.mark.django_db

ROAD = {
    "service_code": "jalan-rusak",
    "lat": "-6.402500",
    "long": "106.818000",
    "description": "Lubang besar di Jl. Margonda Raya dekat halte\nSudah dua minggu dibiarkan.",
    "attribute[tiang]": "PJU-0142",
}


def road(key: str, **changes: Any) -> dict[str, Any]:
    return {"api_key": key, **ROAD, **changes}


def test_post_files_a_report_with_every_datatype_and_a_multi_value_list(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    response = o311.post(
        **road(
            api_keys.gateway,
            **{
                "attribute[lebar]": "45",
                "attribute[sejak]": "2025-03-01T07:30:00+07:00",
                "attribute[rincian]": "Dekat halte.\nSering ada motor jatuh.",
                "attribute[jenis]": "lubang",
                "attribute[dampak][]": ["macet", "celaka"],
            },
            first_name="Siti",
            last_name="Aminah",
            email="siti@example.id",
            phone="081234567890",
            device_id="android-123",
            account_id="akun-9",
        )
    )
    assert response.status_code == 200, response.content
    data = schema.validate(body(response), schema.CREATED)
    schema.check_order(data[0], schema.CREATED_FIELDS)
    number = data[0]["service_request_id"]
    assert data[0]["account_id"] is None
    assert "Dinas PUPR" in data[0]["service_notice"]

    report = Report.objects.get(tracking_number=number)
    assert report.channel == "open311" and report.category == city.road
    assert report.title == "Lubang besar di Jl. Margonda Raya dekat halte"
    assert report.attributes == {
        "tiang": "PJU-0142",
        "lebar": "45",
        "sejak": "2025-03-01T07:30:00+07:00",
        "rincian": "Dekat halte.\nSering ada motor jatuh.",
        "jenis": "lubang",
        "dampak": ["macet", "celaka"],
    }
    assert float(report.latitude or 0) == -6.4025
    assert report.received_by is not None and report.received_by.username == "api.aplikasi-warga"
    # The identity is stored encrypted, like at every other door.
    assert report.contact_encrypted and "Siti" not in report.contact_encrypted
    assert ReportEvent.objects.filter(report=report, kind="received").exists()


def test_post_answers_in_xml_and_accepts_multipart(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    items = schema.xml_items(
        xml(o311.post("xml", **road(api_keys.gateway))),
        "service_requests",
        "request",
        schema.CREATED_FIELDS,
    )
    assert items[0]["service_request_id"] and items[0]["account_id"] is None
    multipart = Client().post(
        "/open311/v2/requests.json",
        road(api_keys.gateway, **{"attribute[dampak][]": ["banjir"]}),
    )
    assert multipart.status_code == 200, multipart.content
    number = body(multipart)[0]["service_request_id"]
    assert Report.objects.get(tracking_number=number).attributes["dampak"] == ["banjir"]


def test_an_address_alone_or_a_kelurahan_code_is_a_location(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    by_address = o311.post(
        **road(api_keys.gateway, lat="", long="", address_string="Jl. Nusantara 5")
    )
    assert by_address.status_code == 200
    report = Report.objects.get(tracking_number=body(by_address)[0]["service_request_id"])
    assert report.address == "Jl. Nusantara 5" and report.latitude is None
    by_region = o311.post(**road(api_keys.gateway, lat="", long="", address_id=city.village.code))
    assert by_region.status_code == 200
    report = Report.objects.get(tracking_number=body(by_region)[0]["service_request_id"])
    assert report.region == city.village


def test_a_request_without_description_gets_one_from_its_service(
    city: City, api_keys: Keys, o311: Open311
) -> None:
    response = o311.post(api_key=api_keys.gateway, service_code="sampah", address_string="Pasar")
    assert response.status_code == 200
    report = Report.objects.get(tracking_number=body(response)[0]["service_request_id"])
    assert report.title == "Sampah" and "Sampah" in report.description


def test_media_url_is_kept_with_the_description(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    url = "https://foto.example.id/lubang/42.jpg"
    response = o311.post(**road(api_keys.gateway, media_url=url))
    report = Report.objects.get(tracking_number=body(response)[0]["service_request_id"])
    assert url in report.description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_wrong_key_is_403(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311, fmt: str
) -> None:
    form = dict(ROAD)
    missing = o311.post(fmt, **form)
    assert missing.status_code == 403
    assert "api_key" in error_list(missing, fmt)[0]["description"]
    wrong = o311.post(fmt, api_key="sp_tidak-ada", **form)
    assert wrong.status_code == 403
    read_only = o311.post(fmt, api_key=api_keys.watcher, **form)
    assert read_only.status_code == 403
    assert "submit" in error_list(read_only, fmt)[0]["description"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "tidak-ada"}, 404, "tidak-ada"),
        ({"lat": "", "long": ""}, 400, "address_string"),
        ({"long": ""}, 400, "address_string"),
        ({"lat": "95"}, 400, "lat"),
        ({"attribute[tiang]": ""}, 400, "attribute[tiang]"),
        ({"attribute[jenis]": "bolong"}, 400, "attribute[jenis]"),
        ({"attribute[dampak][]": ["macet", "tsunami"]}, 400, "attribute[dampak]"),
        ({"attribute[lebar]": "lebar sekali"}, 400, "attribute[lebar]"),
        ({"attribute[sejak]": "kemarin"}, 400, "attribute[sejak]"),
        ({"attribute[warna]": "merah"}, 400, "attribute[warna]"),
        ({"description": "x" * 4001}, 400, "4000"),
        ({"address_id": "99.99", "lat": "", "long": ""}, 400, "address_id"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_refusals_name_the_argument_and_store_nothing(
    city: City,
    questions: list[CategoryAttribute],
    api_keys: Keys,
    o311: Open311,
    changes: dict[str, Any],
    status: int,
    words: str,
) -> None:
    response = o311.post(**road(api_keys.gateway, **changes))
    assert response.status_code == status, response.content
    errors = error_list(response, "json")
    assert errors[0]["code"] == status
    assert any(words in e["description"] for e in errors), errors
    assert not Report.objects.exists()


def test_posts_are_rate_limited_per_key(
    city: City, api_keys: Keys, o311: Open311, settings: Any
) -> None:
    settings.SATUPINTU_API_KEY_RATE_LIMIT = 2
    form = {"api_key": api_keys.gateway, "service_code": "sampah", "address_string": "Pasar"}
    assert [o311.post(**form).status_code for _ in range(2)] == [200, 200]
    refused = o311.post("xml", **form)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert error_list(refused, "xml")[0]["code"] == 429
    assert Report.objects.count() == 2


def test_a_retry_with_the_same_idempotency_key_files_once(
    city: City, api_keys: Keys, o311: Open311
) -> None:
    form = {"api_key": api_keys.gateway, "service_code": "sampah", "address_string": "Pasar"}
    headers = {"Idempotency-Key": "penerusan-7"}
    first = o311.post(headers=headers, **form)
    again = o311.post("xml", headers=headers, **form)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    number = body(first)[0]["service_request_id"]
    assert xml(again).findtext("request/service_request_id") == number
    assert Report.objects.count() == 1


def test_an_oversized_body_is_refused_in_the_spec_shape(
    city: City, api_keys: Keys, o311: Open311
) -> None:
    form = {"api_key": api_keys.gateway, "service_code": "sampah", "address_string": "Pasar"}
    response = o311.post("xml", description="x" * 300_000, **form)
    assert response.status_code == 400
    [error] = error_list(response, "xml")
    assert error["code"] == 400 and "terlalu besar" in error["description"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_form_that_cannot_be_read_is_a_400_in_the_spec_shape(
    city: City, api_keys: Keys, fmt: str
) -> None:
    boundary = "b0undary"
    broken = f"--{boundary}\r\nX-Long: {'a' * 20_000}\r\n\r\nx\r\n"
    response = Client().post(
        f"/open311/v2/requests.{fmt}",
        broken,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert error_list(response, fmt)[0]["code"] == 400
    assert not Report.objects.exists()


def test_confidential_true_files_a_report_the_public_never_sees(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    response = o311.post(**road(api_keys.gateway, confidential="true"))
    assert response.status_code == 200, response.content
    number = body(response)[0]["service_request_id"]
    assert Report.objects.get(tracking_number=number).is_confidential
    assert o311.get(f"requests/{number}").status_code == 404
    assert number not in {i["service_request_id"] for i in body(o311.get("requests"))}
    # Not asked for, or false: an ordinary report.
    plain = body(o311.post(**road(api_keys.gateway, confidential="false")))[0]
    assert not Report.objects.get(tracking_number=plain["service_request_id"]).is_confidential


def test_a_confidential_value_other_than_true_or_false_is_400(
    city: City, questions: list[CategoryAttribute], api_keys: Keys, o311: Open311
) -> None:
    response = o311.post(**road(api_keys.gateway, confidential="mungkin"))
    assert response.status_code == 400
    assert error_list(response, "json") == [
        {"code": 400, "description": "confidential harus true atau false."}
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_nul_character_is_refused_in_the_spec_shape(
    city: City, api_keys: Keys, o311: Open311, fmt: str
) -> None:
    form = {"api_key": api_keys.gateway, "service_code": "sampah", "address_string": "Pasar"}
    response = o311.post(fmt, description="Sampah\u0000 menumpuk di pasar lama", **form)
    assert response.status_code == 400
    [error] = error_list(response, fmt)
    assert error["code"] == 400 and "description" in error["description"]
    assert "NUL" in error["description"]
    assert not Report.objects.exists()
    listed = o311.get("requests", fmt, service_code="sampah\u0000")
    assert listed.status_code == 400
    assert "service_code" in error_list(listed, fmt)[0]["description"]
    # In the address, it names nothing.
    definition = o311.get("services/sampah%00", fmt)
    assert definition.status_code == 404
    assert error_list(definition, fmt)[0]["code"] == 404
