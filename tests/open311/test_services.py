"""Discovery, the service list and service definitions, in JSON and XML."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from satupintu.api.middleware import BodyLimitMiddleware
from satupintu.complaints.models import CategoryAttribute
from satupintu.open311 import render, selectors
from tests.conftest import City
from tests.open311 import schema
from tests.open311.conftest import Open311, body, xml

pytestmark = pytest.mark.django_db


def test_discovery_names_the_v2_endpoint_in_both_formats(city: City) -> None:
    client = Client()
    data = schema.validate(body(client.get("/open311/discovery.json")), schema.DISCOVERY)
    endpoint = data["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get("/open311/discovery.xml"))
    assert root.tag == "discovery"
    assert schema.children(root) == list(schema.DISCOVERY_FIELDS)
    endpoint_xml = root.find("endpoints/endpoint")
    assert endpoint_xml is not None
    assert schema.children(endpoint_xml) == list(schema.ENDPOINT_FIELDS)
    assert [f.text for f in endpoint_xml.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]
    assert endpoint_xml.findtext("url") == endpoint["url"]
    # The endpoint's root serves the same document (XML), as the spec suggests.
    assert xml(client.get("/open311/v2/")).tag == "discovery"


def test_services_list_categories_with_group_type_and_a_boolean_metadata(
    city: City, questions: list[CategoryAttribute], o311: Open311
) -> None:
    city.waste.description = "Lingkungan"
    city.waste.save()
    data = schema.validate(body(o311.get("services")), schema.SERVICES)
    for item in data:
        schema.check_order(item, schema.SERVICE_FIELDS)
    by_code = {s["service_code"]: s for s in data}
    assert set(by_code) == {"jalan-rusak", "sampah", "listrik"}
    assert by_code["jalan-rusak"]["metadata"] is True  # it asks questions
    assert by_code["sampah"]["metadata"] is False
    assert by_code["sampah"]["group"] == "Lingkungan"
    assert by_code["jalan-rusak"]["type"] == "realtime"
    assert "Dinas PUPR" in by_code["jalan-rusak"]["description"]

    items = schema.xml_items(
        xml(o311.get("services", "xml")), "services", "service", schema.SERVICE_FIELDS
    )
    road = next(i for i in items if i["service_code"] == "jalan-rusak")
    assert road["metadata"] == "true" and road["type"] == "realtime"
    assert next(i for i in items if i["service_code"] == "sampah")["metadata"] == "false"


def test_an_inactive_category_is_no_service(city: City, o311: Open311) -> None:
    city.power.is_active = False
    city.power.save()
    codes = [s["service_code"] for s in body(o311.get("services"))]
    assert "listrik" not in codes
    assert o311.get("services/listrik").status_code == 404


def test_a_definition_lists_every_datatype_with_values_and_order(
    city: City, questions: list[CategoryAttribute], o311: Open311
) -> None:
    data = schema.validate(body(o311.get("services/jalan-rusak")), schema.DEFINITION)
    assert data["service_code"] == "jalan-rusak"
    attributes = data["attributes"]
    for attribute in attributes:
        schema.check_order(attribute, schema.ATTRIBUTE_FIELDS)
    assert [a["datatype"] for a in attributes] == [
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
        "string",
    ]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5, 6, 7]
    first = attributes[0]
    assert first["code"] == "tiang" and first["required"] is True and first["variable"] is True
    assert first["description"] == "Nomor tiang terdekat"
    assert first["datatype_description"] == "Tertulis di tiang"
    assert attributes[2]["datatype_description"]  # a date-time says which format
    assert attributes[4]["values"] == [
        {"key": "lubang", "name": "Berlubang"},
        {"key": "retak", "name": "Retak"},
    ]
    assert [v["key"] for v in attributes[5]["values"]] == ["macet", "celaka", "banjir"]
    assert attributes[6]["variable"] is False  # information for the reporter only
    assert attributes[0]["values"] == []

    rows = schema.xml_definition(xml(o311.get("services/jalan-rusak", "xml")))
    assert [r["datatype"] for r in rows] == [a["datatype"] for a in attributes]
    assert rows[0]["required"] == "true" and rows[6]["variable"] == "false"
    assert rows[0]["order"] == "1"
    assert rows[5]["values"][1] == {"key": "celaka", "name": "Kecelakaan"}
    assert rows[1]["values"] == []


def test_a_category_without_questions_has_an_empty_definition(city: City, o311: Open311) -> None:
    data = schema.validate(body(o311.get("services/sampah")), schema.DEFINITION)
    assert data == {"service_code": "sampah", "attributes": []}
    root = xml(o311.get("services/sampah", "xml"))
    assert schema.children(root) == ["service_code", "attributes"]
    assert len(root.find("attributes") or []) == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404_in_the_spec_error_shape(
    city: City, o311: Open311, fmt: str
) -> None:
    response = o311.get("services/tidak-ada", fmt)
    assert response.status_code == 404
    errors = error_list(response, fmt)
    assert errors[0]["code"] == 404 and "tidak-ada" in errors[0]["description"]


def error_list(response: Any, fmt: str) -> list[dict[str, Any]]:
    """The spec's errors from either format, validated."""
    if fmt == "json":
        return schema.validate(body(response), schema.ERRORS)
    root = xml(response)
    items = schema.xml_items(root, "errors", "error", schema.ERROR_FIELDS)
    return [{"code": int(i["code"] or 0), "description": i["description"]} for i in items]


@pytest.mark.parametrize(
    "path",
    ["/open311/v2/nothing.json", "/open311/v2/services.html", "/open311/v3/services.xml"],
)
def test_any_other_address_is_404_in_the_spec_error_shape(city: City, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    fmt = "json" if path.endswith(".json") else "xml"
    assert error_list(response, fmt)[0]["code"] == 404


def test_a_wrong_method_is_400_and_says_which_are_allowed(city: City) -> None:
    response = Client().post("/open311/v2/services.json")
    assert response.status_code == 400
    assert "GET" in response["Allow"]
    assert error_list(response, "json")[0]["code"] == 400


SECRET = "kata-sandi-basis-data di /srv/satupintu/settings.py"


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(SECRET)


def _a_500_in_the_spec_shape(response: Any, fmt: str) -> None:
    assert response.status_code == 500
    assert response["Content-Type"] == render.CONTENT_TYPES[fmt]
    text = response.content.decode()
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert error_list(response, fmt) == [
        {
            "code": 500,
            "description": "Maaf, permintaan Anda tidak dapat diproses karena ada gangguan "
            "di sisi kami. Silakan coba lagi beberapa menit lagi.",
        }
    ]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_failure_of_ours_is_a_500_in_the_spec_error_shape_without_its_details(
    city: City,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fmt: str,
    debug: bool,  # noqa: FBT001
) -> None:
    settings.DEBUG = debug
    monkeypatch.setattr(selectors, "request_list", _fail)
    response = Client(raise_request_exception=False).get(f"/open311/v2/requests.{fmt}")
    _a_500_in_the_spec_shape(response, fmt)
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in logged] == ["ERROR"]  # reported once, with the traceback
    assert logged[0].exc_info is not None and SECRET in str(logged[0].exc_info[1])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_failure_before_the_view_is_a_500_in_the_spec_error_shape(
    city: City, settings: Any, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    settings.DEBUG = False
    monkeypatch.setattr(BodyLimitMiddleware, "__call__", _fail)
    client = Client(raise_request_exception=False)
    _a_500_in_the_spec_shape(client.get(f"/open311/v2/services.{fmt}"), fmt)
    page = client.get("/")  # elsewhere, the site's own 500 page
    assert page.status_code == 500 and "text/html" in page["Content-Type"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_form_with_too_many_fields_is_400_not_a_failure_of_ours(
    city: City, settings: Any, fmt: str
) -> None:
    form = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client(raise_request_exception=False).post(
        f"/open311/v2/requests.{fmt}", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert error_list(response, fmt) == [
        {"code": 400, "description": "Isi permintaan tidak dapat dibaca sebagai formulir."}
    ]


def test_jurisdiction_id_is_checked_when_one_is_configured(
    city: City, o311: Open311, settings: Any
) -> None:
    assert o311.get("services", jurisdiction_id="kota-lain.go.id").status_code == 200  # ignored
    settings.SATUPINTU_OPEN311_JURISDICTION_ID = "depok.go.id"
    assert o311.get("services", jurisdiction_id="depok.go.id").status_code == 200
    assert o311.get("services", jurisdiction_id="").status_code == 200  # empty = not given
    assert o311.get("services").status_code == 200
    response = o311.get("services", "xml", jurisdiction_id="kota-lain.go.id")
    assert response.status_code == 404
    assert "kota-lain.go.id" in error_list(response, "xml")[0]["description"]
