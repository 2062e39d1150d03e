"""A GeoReport v2 client for another government's Open311 server (httpx, JSON, timeouts).

Three calls: POST requests (answered with a service_request_id or a token), GET tokens/{token}
and GET requests/{id}. Every failure becomes :class:`RemoteError` with a one-line reason that the
federation jobs store and show in the admin; nothing here writes to our database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

USER_AGENT = "satupintu-federation/1 (Open311 GeoReport v2)"


class RemoteError(Exception):
    """The remote server could not be reached or refused the call."""


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


def _client() -> httpx.Client:
    seconds = settings.SATUPINTU_FEDERATION_TIMEOUT
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(seconds, 5)),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=False,
    )


def _describe(response: httpx.Response) -> str:
    try:
        errors = response.json()
        text = "; ".join(str(e.get("description", "")) for e in errors if isinstance(e, dict))
    except (ValueError, AttributeError, TypeError):
        text = response.text[:200]
    return f"HTTP {response.status_code}: {text.strip() or response.reason_phrase}"[:500]


def _first(response: httpx.Response) -> Mapping[str, Any]:
    if response.status_code >= 400:
        raise RemoteError(_describe(response))
    try:
        data = response.json()
    except ValueError:
        raise RemoteError(f"HTTP {response.status_code}: not JSON") from None
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        raise RemoteError(f"HTTP {response.status_code}: not a GeoReport v2 answer")
    return data[0]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        with _client() as client:
            return client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise RemoteError(f"{type(exc).__name__}: {exc}"[:500]) from None


def file_request(endpoint: Endpoint, form: Mapping[str, str], *, idempotency_key: str) -> Filed:
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
