"""A GeoReport v2 client for another government's Open311 server (httpx, JSON, timeouts).

Five calls: GET services and GET services/{code} (what a service asks), POST requests
(answered with a service_request_id or a token), GET tokens/{token} and GET requests/{id}. Every
failure becomes :class:`RemoteError` with a one-line reason that the federation jobs store and
show in the admin; nothing here writes to our database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

USER_AGENT = "satupintu-federation/1 (Open311 GeoReport v2)"


class RemoteError(Exception):
    """The remote server could not be reached or refused the call: ``status`` is its HTTP
    status (None when it did not answer) and ``descriptions`` its error descriptions."""

    def __init__(
        self, message: str, *, status: int | None = None, descriptions: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.descriptions = tuple(descriptions)


@dataclass(frozen=True)
class Endpoint:
    url: str
    api_key: str
    jurisdiction: str = ""

    def address(self, resource: str) -> str:
        return f"{self.url.rstrip('/')}/{resource}.json"

    def base(self) -> dict[str, str]:
        return {"jurisdiction_id": self.jurisdiction} if self.jurisdiction else {}


@dataclass(frozen=True)
class Filed:
    remote_id: str
    token: str


@dataclass(frozen=True)
class RemoteStatus:
    status: str  # open or closed
    notes: str


@dataclass(frozen=True)
class RemoteAttribute:
    """One attribute of a remote service definition, in the spec's words."""

    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool = False
    variable: bool = True
    description: str = ""
    keys: tuple[str, ...] = ()  # the keys of a list datatype


def _client() -> httpx.Client:
    seconds = settings.SATUPINTU_FEDERATION_TIMEOUT
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(seconds, 5)),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
    )


def _refused(response: httpx.Response) -> RemoteError:
    descriptions: list[str] = []
    try:
        errors = response.json()
        descriptions = [str(e.get("description", "")) for e in errors if isinstance(e, dict)]
        text = "; ".join(descriptions)
    except (ValueError, AttributeError, TypeError):
        text = response.text[:200]
    message = f"HTTP {response.status_code}: {text.strip() or response.reason_phrase}"[:500]
    return RemoteError(message, status=response.status_code, descriptions=descriptions)


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise _refused(response)
    try:
        return response.json()
    except ValueError:
        raise RemoteError(f"HTTP {response.status_code}: not JSON") from None


def _first(response: httpx.Response) -> Mapping[str, Any]:
    data = _json(response)
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        raise RemoteError(f"HTTP {response.status_code}: not a GeoReport v2 answer")
    return data[0]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: Any, *, default: bool) -> bool:
    """A spec boolean: JSON ``true``/``false``, or the words (servers that convert from XML)."""
    if isinstance(value, bool):
        return value
    word = _text(value).lower()
    return default if word not in {"true", "false"} else word == "true"


def _call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        with _client() as client:
            return client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise RemoteError(f"{type(exc).__name__}: {exc}"[:500]) from None


def services(endpoint: Endpoint) -> dict[str, bool]:
    """GET services: each service_code with its ``metadata`` (True: it has a definition)."""
    response = _call("GET", endpoint.address("services"), params=endpoint.base())
    data = _json(response)
    if not isinstance(data, list):
        raise RemoteError(f"HTTP {response.status_code}: not a GeoReport v2 service list")
    return {
        _text(item.get("service_code")): _flag(item.get("metadata"), default=False)
        for item in data
        if isinstance(item, dict) and _text(item.get("service_code"))
    }


def _attribute(item: Mapping[str, Any]) -> RemoteAttribute | None:
    code = _text(item.get("code"))
    if not code:
        return None
    values = item.get("values")
    keys = (
        tuple(_text(v.get("key")) for v in values if isinstance(v, dict) and _text(v.get("key")))
        if isinstance(values, list)
        else ()
    )
    return RemoteAttribute(
        code=code,
        datatype=_text(item.get("datatype")).lower(),
        required=_flag(item.get("required"), default=False),
        variable=_flag(item.get("variable"), default=True),
        description=_text(item.get("description")),
        keys=keys,
    )


def service_definition(endpoint: Endpoint, service_code: str) -> tuple[RemoteAttribute, ...]:
    """GET services/{code}: the attributes the service asks, in the server's order."""
    response = _call(
        "GET",
        endpoint.address(f"services/{quote(service_code, safe='')}"),
        params=endpoint.base(),
    )
    data = _json(response)
    if isinstance(data, list) and len(data) == 1:  # some servers wrap it in an array
        data = data[0]
    listed = (data.get("attributes") or []) if isinstance(data, dict) else None
    if not isinstance(listed, list):
        raise RemoteError(f"HTTP {response.status_code}: not a GeoReport v2 service definition")
    items = [a for a in listed if isinstance(a, dict)]

    def order(item: Mapping[str, Any]) -> tuple[int, int]:
        raw = item.get("order")
        return (0, raw) if isinstance(raw, int) and not isinstance(raw, bool) else (1, 0)

    found = (_attribute(item) for item in sorted(items, key=order))
    return tuple(a for a in found if a is not None)


def file_request(
    endpoint: Endpoint, form: Mapping[str, str | list[str]], *, idempotency_key: str
) -> Filed:
    """POST requests; a retry with the same ``idempotency_key`` files nothing twice on a
    server that honours the header (satupintu does)."""
    data = {**endpoint.base(), **form, "api_key": endpoint.api_key}
    response = _call(
        "POST",
        endpoint.address("requests"),
        data=data,
        headers={"Idempotency-Key": idempotency_key},
    )
    item = _first(response)
    filed = Filed(_text(item.get("service_request_id")), _text(item.get("token")))
    if not filed.remote_id and not filed.token:
        raise RemoteError(f"HTTP {response.status_code}: neither service_request_id nor token")
    return filed


def request_for_token(endpoint: Endpoint, token: str) -> str:
    """The service_request_id of a token ("" while the server has none yet)."""
    response = _call(
        "GET", endpoint.address(f"tokens/{quote(token, safe='')}"), params=endpoint.base()
    )
    return _text(_first(response).get("service_request_id"))


def request_status(endpoint: Endpoint, remote_id: str) -> RemoteStatus:
    params = {**endpoint.base(), "api_key": endpoint.api_key}
    response = _call(
        "GET", endpoint.address(f"requests/{quote(remote_id, safe='')}"), params=params
    )
    item = _first(response)
    status = _text(item.get("status")).lower()
    if status not in {"open", "closed"}:
        raise RemoteError(f"HTTP {response.status_code}: status {status!r} is not open or closed")
    return RemoteStatus(status=status, notes=_text(item.get("status_notes")))
