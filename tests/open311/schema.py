"""The GeoReport v2 answers as JSON Schemas and XML element orders, written from the spec
(wiki.open311.org/GeoReport_v2 and its Service Discovery page).

Stricter than the spec where our promise is: every field of a request present (None when
unknown), ids and codes strings, ``metadata``/``variable``/``required`` real booleans,
``status`` exactly open or closed, ``address`` always a string, W3C date-times with an offset.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from jsonschema import Draft202012Validator, FormatChecker

W3C = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$"


def _nullable(kind: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [kind, {"type": "null"}]}


STRING = {"type": "string"}
TEXT = _nullable(STRING)
W3C_DATETIME = {"type": "string", "pattern": W3C}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SERVICE_FIELDS = {
    "service_code": STRING,
    "service_name": STRING,
    "description": TEXT,
    "metadata": {"type": "boolean"},
    "type": {"enum": ["realtime", "batch", "blackbox"]},
    "keywords": TEXT,
    "group": TEXT,
}
SERVICES = {"type": "array", "items": _object(SERVICE_FIELDS)}

VALUE_FIELDS = {"key": STRING, "name": STRING}
ATTRIBUTE_FIELDS = {
    "variable": {"type": "boolean"},
    "code": STRING,
    "datatype": {
        "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    },
    "required": {"type": "boolean"},
    "datatype_description": TEXT,
    "order": {"type": "integer", "minimum": 1},
    "description": STRING,
    "values": {"type": "array", "items": _object(VALUE_FIELDS)},
}
DEFINITION_FIELDS = {
    "service_code": STRING,
    "attributes": {"type": "array", "items": _object(ATTRIBUTE_FIELDS)},
}
DEFINITION = _object(DEFINITION_FIELDS)

REQUEST_FIELDS = {
    "service_request_id": STRING,
    "status": {"enum": ["open", "closed"]},
    "status_notes": TEXT,
    "service_name": TEXT,
    "service_code": TEXT,
    "description": {"anyOf": [{"type": "string", "maxLength": 4000}, {"type": "null"}]},
    "agency_responsible": TEXT,
    "service_notice": TEXT,
    "requested_datetime": W3C_DATETIME,
    "updated_datetime": _nullable(W3C_DATETIME),
    "expected_datetime": _nullable(W3C_DATETIME),
    "address": STRING,
    "address_id": TEXT,
    "zipcode": TEXT,
    "lat": _nullable({"type": "number", "minimum": -90, "maximum": 90}),
    "long": _nullable({"type": "number", "minimum": -180, "maximum": 180}),
    "media_url": _nullable({"type": "string", "format": "uri"}),
}
REQUESTS = {"type": "array", "items": _object(REQUEST_FIELDS)}

CREATED_FIELDS = {"service_request_id": STRING, "service_notice": TEXT, "account_id": TEXT}
CREATED = {"type": "array", "minItems": 1, "maxItems": 1, "items": _object(CREATED_FIELDS)}

TOKEN_FIELDS = {"service_request_id": STRING, "token": STRING}
TOKEN = {"type": "array", "minItems": 1, "maxItems": 1, "items": _object(TOKEN_FIELDS)}

ERROR_FIELDS = {"code": {"type": "integer"}, "description": STRING}
ERRORS = {"type": "array", "minItems": 1, "items": _object(ERROR_FIELDS)}

ENDPOINT_FIELDS = {
    "specification": {"const": "http://wiki.open311.org/GeoReport_v2"},
    "url": {"type": "string", "format": "uri"},
    "changeset": STRING,
    "type": {"enum": ["production", "test"]},
    "formats": {"type": "array", "items": {"enum": ["text/xml", "application/json"]}},
}
DISCOVERY_FIELDS = {
    "changeset": STRING,
    "contact": STRING,
    "key_service": STRING,
    "endpoints": {"type": "array", "minItems": 1, "items": _object(ENDPOINT_FIELDS)},
}
DISCOVERY = _object(DISCOVERY_FIELDS)


def validate(data: Any, schema: dict[str, Any]) -> Any:
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return data


def check_order(data: Any, fields: dict[str, Any]) -> None:
    """JSON objects keep the spec's field order too (it is the XML order)."""
    assert list(data) == list(fields)


# --------------------------------------------------------------------------- XML


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def xml_items(
    root: ET.Element, root_tag: str, item_tag: str, fields: dict[str, Any]
) -> list[dict[str, str | None]]:
    """The items of an XML list answer, checking every element name and its order."""
    assert root.tag == root_tag
    assert set(children(root)) <= {item_tag}
    out = []
    for item in root:
        assert children(item) == list(fields), children(item)
        out.append({child.tag: child.text for child in item})
    return out


def xml_definition(root: ET.Element) -> list[dict[str, Any]]:
    assert root.tag == "service_definition"
    assert children(root) == list(DEFINITION_FIELDS)
    attributes = []
    for attribute in root.find("attributes") or []:
        assert attribute.tag == "attribute"
        assert children(attribute) == list(ATTRIBUTE_FIELDS)
        values = []
        for value in attribute.find("values") or []:
            assert value.tag == "value" and children(value) == list(VALUE_FIELDS)
            values.append({child.tag: child.text for child in value})
        row: dict[str, Any] = {c.tag: c.text for c in attribute if c.tag != "values"}
        row["values"] = values
        attributes.append(row)
    return attributes
