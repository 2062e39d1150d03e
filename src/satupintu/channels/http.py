"""What the HTTP providers' adapters share: one keep-alive client per process and one reading
of a send's answer.

:func:`post` turns what the network and the provider did into an :class:`Outcome` the same way
for every provider: a timeout, a broken connection, 429 or a 5xx is retried later; any other 4xx
is not (the request itself is wrong: a bad token, an unknown number). A 2xx answer is handed
back for the adapter to read its provider id from.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from satupintu.channels.registry import Outcome

#: Connect quickly, answer within a few seconds: a provider slower than this is retried.
TIMEOUT = httpx.Timeout(5.0, connect=3.0)

_client: httpx.Client | None = None
_client_lock = threading.Lock()


def client() -> httpx.Client:
    """The one keep-alive client of this process (thread-safe; redirects never followed)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        return _client


def post(
    url: str,
    *,
    json: Mapping[str, Any],
    headers: Mapping[str, str],
    refusal: Callable[[httpx.Response], str],
    timeout: httpx.Timeout | float | None = None,
) -> httpx.Response | Outcome:
    """POST ``json``; the 2xx response, or the failed :class:`Outcome` (``refusal`` describes
    a provider's error answer)."""
    try:
        response = client().post(
            url, json=json, headers=dict(headers), timeout=TIMEOUT if timeout is None else timeout
        )
    except httpx.TimeoutException:
        return Outcome(ok=False, error="timeout")
    except httpx.HTTPError as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    if response.status_code == 429 or response.status_code >= 500:
        return Outcome(ok=False, error=refusal(response))
    if response.status_code >= 400:
        return Outcome(ok=False, retry=False, error=refusal(response))
    return response
