"""Filing a report through POST /api/v1/reports: who may, what is stored, what is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from satupintu.api import keys
from satupintu.complaints import services
from satupintu.complaints.models import CategoryAttribute, Report
from satupintu.core import crypto
from satupintu.core.errors import InvalidInput
from satupintu.core.models import AuditEntry
from tests.api.conftest import Api, Keys, report_body
from tests.conftest import City

IDENTITY = ("Siti Aminah", "siti@example.id", "081234567890")


def test_anyone_files_a_report_and_gets_a_working_secret(city: City) -> None:
    response = Api().post("/reports", report_body())
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(tracking_number=body["tracking_number"])
    assert report.channel == "api"
    assert report.status == "received"
    assert report.category == city.road
    assert crypto.decrypt_json(report.contact_encrypted)["email"] == "siti@example.id"
    # The identity is stored encrypted and never answered.
    for text in IDENTITY:
        assert text not in response.content.decode()
    assert body["next_due"] == report.verify_due.isoformat()
    assert (body["status"], body["status_label"]) == ("received", "Diterima")
    assert body["url"].endswith(f"/laporan/{report.tracking_number}/")
    assert f"kunci={body['secret']}" in body["reporter_url"]
    own = Api().get(
        f"/reporter/reports/{body['tracking_number']}", {"X-Report-Secret": body["secret"]}
    )
    assert own.status_code == 200
    assert own.json()["status"] == "received"


def test_a_retry_with_the_same_idempotency_key_files_once(city: City) -> None:
    api = Api()
    first = api.post("/reports", report_body(), {"Idempotency-Key": "hp-7f3a-1"})
    again = api.post("/reports", report_body(), {"Idempotency-Key": "hp-7f3a-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Report.objects.count() == 1
    # The same key for another report is refused, not silently answered with the first.
    other = api.post(
        "/reports", report_body(title="Sampah menumpuk"), {"Idempotency-Key": "hp-7f3a-1"}
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    assert Report.objects.count() == 1
    # A new key files a new report.
    assert api.post("/reports", report_body(), {"Idempotency-Key": "hp-7f3a-2"}).status_code == 201
    assert Report.objects.count() == 2


def test_a_refused_request_can_be_corrected_under_the_same_key(city: City) -> None:
    api = Api()
    refused = api.post("/reports", report_body(category="tidak-ada"), {"Idempotency-Key": "k1"})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {"category": "Kategori tidak dikenal."}
    fixed = api.post("/reports", report_body(), {"Idempotency-Key": "k1"})
    assert fixed.status_code == 201
    assert Report.objects.count() == 1


def test_the_stored_answer_keeps_the_secret_encrypted(city: City) -> None:
    from satupintu.api.models import IdempotencyRecord

    body = Api().post("/reports", report_body(), {"Idempotency-Key": "k"}).json()
    record = IdempotencyRecord.objects.get()
    assert body["secret"] not in record.body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": 5}, "title", "Harus berupa teks."),
        ({"description": None}, "description", "Harus berupa teks."),
        ({"report_type": "keluhan"}, "report_type", "Nilai tidak dikenal; pilih salah satu dari:"),
        ({"latitude": "utara"}, "latitude", "Harus berupa angka."),
        ({"latitude": 91}, "latitude", "Paling besar 90."),
        ({"anonymous": "mungkin"}, "anonymous", "Harus true atau false."),
        ({"reporter": {"name": "A", "hp": "1"}}, "reporter.hp", "Kolom ini tidak dikenal."),
        ({"title": "x" * 201}, "title", "Paling banyak 200 karakter."),
        ({"incident_date": "kemarin"}, "incident_date", "Harus berupa tanggal ISO 8601"),
        ({"channel": "fax"}, "channel", "Nilai tidak dikenal"),
        ({"judul": "x"}, "judul", "Kolom ini tidak dikenal."),
        ({"description": "pendek"}, "description", "Paling sedikit 10 karakter."),
        ({"region": "32.76.99.9999"}, "region_code", "Kelurahan/desa tidak dikenal."),
        ({"latitude": -6.4}, "longitude", "Garis lintang juga perlu diisi."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    city: City, changes: dict[str, Any], field: str, message: str
) -> None:
    response = Api().post("/reports", report_body(**changes))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"][field].startswith(message), error
    assert Report.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_malformed_json_and_a_body_that_is_not_an_object_are_400_and_422(city: City) -> None:
    api = Api()
    broken = api.post("/reports", raw='{"title": ')
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "malformed"
    listed = api.post("/reports", raw="[1, 2]")
    assert listed.status_code == 422
    assert Report.objects.count() == 0


def test_an_oversized_body_is_refused_before_it_is_read(city: City, settings: Any) -> None:
    settings.SATUPINTU_API_MAX_BODY_KB = 256
    response = Api().post("/reports", report_body(description="x" * 300_000))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Report.objects.count() == 0


def test_messages_follow_the_request_language(city: City) -> None:
    response = Api(**{"Accept-Language": "en"}).post("/reports", report_body(category="nope"))
    assert response.json()["error"]["message"] == 'Unknown category "nope".'
    assert response.json()["error"]["fields"] == {"category": "Unknown category."}


def test_channels_need_the_right_key(city: City, api_keys: Keys) -> None:
    anonymous = Api().post("/reports", report_body(channel="sms"))
    assert anonymous.status_code == 403
    gateway = Api(api_keys.gateway)
    by_sms = gateway.post("/reports", report_body(channel="sms", external_ref="SMS-1708-99"))
    assert by_sms.status_code == 201
    report = Report.objects.get(tracking_number=by_sms.json()["tracking_number"])
    assert (report.channel, report.external_ref) == ("sms", "SMS-1708-99")
    assert report.events.get().actor.username == "api.gateway-sms"
    # The counter, phone and 112 are officer channels: the intake scope records them.
    assert gateway.post("/reports", report_body(channel="call112")).status_code == 403
    taken = Api(api_keys.callcenter).post("/reports", report_body(channel="call112"))
    assert taken.status_code == 201
    assert Report.objects.filter(channel="call112").count() == 1
    # A key without submit or intake files nothing.
    assert Api(api_keys.verifier).post("/reports", report_body()).status_code == 403


def test_an_unknown_or_revoked_key_is_refused_even_where_anonymous_may(
    city: City, api_keys: Keys
) -> None:
    assert Api("sp_" + "x" * 40).post("/reports", report_body()).status_code == 401
    keys.apikey_revoke(actor="test", name="gateway-sms")
    refused = Api(api_keys.gateway).post("/reports", report_body())
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert Report.objects.count() == 0


def test_anonymous_filing_is_rate_limited_per_address(city: City, settings: Any) -> None:
    settings.SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT = 2
    api = Api()
    assert [api.post("/reports", report_body()).status_code for _ in range(2)] == [201, 201]
    refused = api.post("/reports", report_body())
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Report.objects.count() == 2


def test_a_key_has_its_own_rate_limit(city: City) -> None:
    raw = keys.apikey_create(actor="test", name="slow-app", rate_limit=1)[1]
    api = Api(raw)
    assert api.post("/reports", report_body()).status_code == 201
    refused = api.post("/reports", report_body())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 60


def test_answers_to_a_categorys_attributes_are_checked_and_kept(city: City) -> None:
    CategoryAttribute.objects.create(
        category=city.road,
        code="kerusakan",
        label="Jenis kerusakan",
        datatype="multivaluelist",
        values=[{"key": "lubang", "name": "Lubang"}, {"key": "retak", "name": "Retak"}],
    )
    CategoryAttribute.objects.create(
        category=city.road,
        code="lebar",
        label="Lebar lubang (cm)",
        datatype="number",
        required=True,
    )
    api = Api()
    missing = api.post("/reports", report_body(attributes={"kerusakan": ["lubang"]}))
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"] == {"attributes.lebar": "Wajib diisi."}
    wrong = api.post("/reports", report_body(attributes={"kerusakan": ["amblas"], "lebar": "x"}))
    assert wrong.json()["error"]["fields"] == {
        "attributes.kerusakan": "Pilih dari daftar pilihan yang tersedia.",
        "attributes.lebar": "Harus berupa angka.",
    }
    ok = api.post(
        "/reports", report_body(attributes={"kerusakan": ["retak", "lubang"], "lebar": 40})
    )
    assert ok.status_code == 201, ok.content
    report = Report.objects.get()
    assert report.attributes == {"kerusakan": ["retak", "lubang"], "lebar": "40"}


def test_the_api_files_through_the_same_service_as_the_portal(city: City) -> None:
    """The audit entry and timeline of an API report are those of any other report."""
    body = Api().post("/reports", report_body(anonymous=True, confidential=True)).json()
    report = Report.objects.get(tracking_number=body["tracking_number"])
    entry = AuditEntry.objects.get(chain=report.audit_chain)
    assert entry.action == "receive"
    assert json.loads(entry.changes)["after"]["channel"] == "api"
    assert report.is_anonymous and report.is_confidential
    dispatched = services.report_dispatch(actor=city.verifier, report_id=report.pk)
    assert dispatched.current_agency == city.dpupr


def test_stored_answers_are_forgotten_after_a_day(city: City, time_machine: Any) -> None:
    import datetime as dt

    from satupintu.api.jobs import purge_idempotency
    from satupintu.api.models import IdempotencyRecord

    time_machine.move_to(dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC), tick=False)
    Api().post("/reports", report_body(), {"Idempotency-Key": "old"})
    time_machine.move_to(dt.datetime(2025, 3, 6, 1, tzinfo=dt.UTC), tick=False)
    Api().post("/reports", report_body(), {"Idempotency-Key": "new"})
    assert purge_idempotency() == ""
    time_machine.move_to(dt.datetime(2025, 3, 6, 3, tzinfo=dt.UTC), tick=False)
    assert purge_idempotency() == "1 idempotency records purged"
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    # The old key files anew; the new one still replays.
    assert (
        Api()
        .post("/reports", report_body(), {"Idempotency-Key": "new"})
        .headers.get("Idempotent-Replayed")
        == "true"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Jalan\u0000rusak"}, "title"),
        ({"reporter": {"name": "Siti\u0000", "phone": "0812"}}, "reporter.name"),
        ({"attributes": {"kedalaman": "5\u0000"}}, "attributes.kedalaman"),
    ],
)
def test_text_with_a_nul_character_is_refused_and_nothing_is_stored(
    city: City, changes: dict[str, Any], field: str
) -> None:
    # No database column can hold NUL: it is a 422 naming the field, never a 500.
    response = Api().post("/reports", report_body(**changes), {"Idempotency-Key": "nul-1"})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {field: "Tidak boleh berisi karakter NUL."}
    assert not Report.objects.exists()
    # The message follows the caller's language.
    english = Api(**{"Accept-Language": "en"}).post("/reports", report_body(**changes))
    assert english.json()["error"]["fields"] == {field: "Must not contain the NUL character."}
    # The same report without it is filed.
    assert Api().post("/reports", report_body(), {"Idempotency-Key": "nul-1"}).status_code == 201


def test_a_nul_character_in_a_query_is_refused(city: City) -> None:
    for path, name in [("/agencies", "kind"), ("/reports", "q"), ("/regions", "parent")]:
        response = Api().get(path, **{name: "a\u0000"})
        assert response.status_code == 422, (path, response.content)
        assert response.json()["error"]["fields"] == {name: "Tidak boleh berisi karakter NUL."}


def test_a_nul_character_reaching_the_service_is_a_field_error(city: City) -> None:
    # Other doors (a multipart form, the desk) meet the same rule in the service.
    with pytest.raises(InvalidInput) as refused:
        city.file(description="Lubang besar\u0000 di depan sekolah dasar negeri.")
    assert refused.value.fields == {"description": "Tidak boleh berisi karakter NUL."}
    assert not Report.objects.exists()


def test_an_address_holding_a_nul_character_names_nothing(city: City) -> None:
    response = Api().get("/categories/jalan%00")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Client().get("/layanan/jalan%00/").status_code == 404  # a web page too
