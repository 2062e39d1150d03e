"""GeoReport v2 answers in XML and JSON, and its error shape.

Both formats come from one plain structure (dicts in field order, lists, strings, numbers,
booleans, None), mapped the way the spec's "Spark convention" maps XML to JSON: a list is an
element holding one child per item (``<services><service>``), a dict is an element per key, None
is an empty element, booleans are ``true``/``false``. XML is built with ``xml.etree`` and starts
with the declaration the spec asks for; JSON keeps the field order and writes UTF-8 as is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
#: The element of each item of a list, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
#: Characters XML 1.0 cannot carry at all (a pasted control character would break the answer).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def format_of(path: str) -> str:
    """The format an address under /open311/ asks for: JSON if it ends in ``.json``, else XML
    (the spec's default)."""
    return "json" if path.endswith(".json") else "xml"


def respond(
    fmt: str, root: str, data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """``data`` as a response in ``fmt``; ``root`` names the XML root element."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors(
    fmt: str, status: int, *descriptions: str, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """The spec's error answer: ``[{"code": status, "description": ...}, ...]``."""
    items = [{"code": status, "description": text} for text in descriptions]
    return respond(fmt, "errors", items, status=status, headers=headers)
