"""The reporter's own endpoints: tracking number plus secret, no account."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.complaints.models import Attachment, Report
from tests.api.conftest import Api, report_body
from tests.complaints.images import huge_png
from tests.conftest import City
from tests.portal.conftest import jpeg


def _filed(**changes: Any) -> tuple[str, str]:
    body = Api().post("/reports", report_body(**changes)).json()
    return body["tracking_number"], body["secret"]


def test_the_reporter_reads_a_confidential_report_the_public_cannot(city: City) -> None:
    number, secret = _filed(confidential=True)
    assert Api().get(f"/reports/{number}").status_code == 404
    own = Api().get(f"/reporter/reports/{number}", {"X-Report-Secret": secret}).json()
    assert own["confidential"] is True
    assert own["actions"] == ["attach", "reporter_reply"]


def test_a_wrong_secret_and_an_unknown_number_get_the_same_answer(
    city: City, settings: Any
) -> None:
    number, _secret = _filed()
    wrong = Api().get(f"/reporter/reports/{number}", {"X-Report-Secret": "tebakan"})
    unknown = Api().get("/reporter/reports/ZZZZZZZZZZ", {"X-Report-Secret": "tebakan"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    missing = Api().get(f"/reporter/reports/{number}")
    assert missing.status_code == 422
    assert "X-Report-Secret" in missing.json()["error"]["fields"]


def test_failed_checks_are_limited_per_address(city: City, settings: Any) -> None:
    settings.SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT = 3
    number, secret = _filed()
    for _ in range(3):
        Api().get(f"/reporter/reports/{number}", {"X-Report-Secret": "salah"})
    blocked = Api().get(f"/reporter/reports/{number}", {"X-Report-Secret": secret})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0


def test_reply_rate_and_appeal(city: City) -> None:
    number, secret = _filed()
    report = Report.objects.get(tracking_number=number)
    from satupintu.complaints import services

    services.report_hold(actor=city.verifier, report_id=report.pk, message="Lokasi tepatnya?")
    api = Api(**{"X-Report-Secret": secret})
    replied = api.post(f"/reporter/reports/{number}/replies", {"body": "Depan SDN 1, tiang 42"})
    assert replied.status_code == 200
    assert replied.json()["status"] == "received"
    services.report_dispatch(actor=city.verifier, report_id=report.pk)
    services.report_resolve(actor=city.officer_a, report_id=report.pk, answer="Sudah ditambal.")
    own = api.get(f"/reporter/reports/{number}").json()
    assert own["answer"] == "Sudah ditambal."
    assert set(own["actions"]) >= {"confirm", "appeal"}
    stale = api.post(f"/reporter/reports/{number}/rating", {"rating": 5, "expected_version": 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    bad = api.post(f"/reporter/reports/{number}/rating", {"rating": 6})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"rating": "Paling besar 5."}
    rated = api.post(f"/reporter/reports/{number}/rating", {"rating": 4, "comment": "Cepat"})
    assert rated.json()["status"] == "closed"
    assert rated.json()["rating"] == 4
    appealed = api.post(f"/reporter/reports/{number}/appeal", {"reason": "Lubang muncul lagi"})
    assert appealed.status_code == 200
    assert appealed.json()["status"] == "reopened"
    again = api.post(f"/reporter/reports/{number}/rating", {"rating": 4})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_photos_are_added_as_multipart(city: City) -> None:
    number, secret = _filed()
    api = Api(**{"X-Report-Secret": secret})
    response = api.client.post(
        f"/api/v1/reporter/reports/{number}/attachments",
        {"files": [jpeg("lubang.jpg")]},
        headers=api.headers,
    )
    assert response.status_code == 200, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == "lubang.jpg" and attachment.by_reporter
    refused = api.client.post(
        f"/api/v1/reporter/reports/{number}/attachments",
        {"files": [jpeg("bukan.jpg", gps=False).__class__("x.exe", b"MZ\x90\x00", "image/jpeg")]},
        headers=api.headers,
    )
    assert refused.status_code == 422
    assert Attachment.objects.count() == 1


def test_a_photo_claiming_huge_dimensions_is_a_field_error(city: City) -> None:
    number, secret = _filed()
    api = Api(**{"X-Report-Secret": secret, "Accept-Language": "en"})
    response = api.client.post(
        f"/api/v1/reporter/reports/{number}/attachments",
        {"files": [SimpleUploadedFile("peta.png", huge_png(), content_type="image/png")]},
        headers=api.headers,
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"attachments": "peta.png: image too large."}
    assert "20000×10000 pixels" in error["message"]
    assert not Attachment.objects.exists()


def test_a_broken_multipart_body_is_a_clear_400(city: City) -> None:
    number, secret = _filed()
    boundary = "b0undary"
    broken = f"--{boundary}\r\n" + "X-Long: " + "a" * 20_000 + "\r\n\r\nx\r\n"
    response = Api().client.post(
        f"/api/v1/reporter/reports/{number}/attachments",
        broken,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"X-Report-Secret": secret},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert not Attachment.objects.exists()
