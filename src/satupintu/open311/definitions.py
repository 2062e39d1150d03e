"""What another government's Open311 server asks of the service we file our reports under.

Before a report with answers to its category's questions is pushed (open311/federation.py),
the push needs the remote service's attributes: ``services.json`` says whether the service has
a definition (``metadata``), ``services/{code}.json`` lists its attributes. Both are read at
most once per LIFETIME for each target (server address, jurisdiction, service_code), kept in
Django's cache (shared by every process when REDIS_URL is set). A server whose list or
definition cannot be read is taken to ask nothing, and asked again after UNREADABLE_LIFETIME:
the answers then travel in the description, so nothing the reporter said is lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.cache import cache

from satupintu.open311 import client

logger = logging.getLogger(__name__)

#: How long a remote definition is trusted before it is read again.
LIFETIME = dt.timedelta(hours=1)
#: How long a server whose definition could not be read is left alone.
UNREADABLE_LIFETIME = dt.timedelta(minutes=5)
_PREFIX = "open311-federation-definition:v1:"


def cache_key(endpoint: client.Endpoint, service_code: str) -> str:
    target = f"{endpoint.url.rstrip('/')}\n{endpoint.jurisdiction}\n{service_code}"
    return _PREFIX + hashlib.sha256(target.encode()).hexdigest()


def _fetch(endpoint: client.Endpoint, service_code: str) -> tuple[client.RemoteAttribute, ...]:
    if not client.services(endpoint).get(service_code):
        return ()  # unknown there, or "metadata": false: the service asks nothing
    return client.service_definition(endpoint, service_code)


def remote_attributes(
    endpoint: client.Endpoint, service_code: str, *, now: dt.datetime
) -> tuple[client.RemoteAttribute, ...]:
    """The attributes the remote service asks (none when it has no definition), from the cache
    while it is younger than LIFETIME at ``now``."""
    key = cache_key(endpoint, service_code)
    kept: Any = cache.get(key)
    if isinstance(kept, dict) and kept.get("from", 0) <= now.timestamp() < kept.get("until", 0):
        try:
            return tuple(
                client.RemoteAttribute(**{**item, "keys": tuple(item.get("keys") or ())})
                for item in kept["attributes"]
            )
        except (KeyError, TypeError):  # written by another version: read it again
            pass
    lifetime = LIFETIME
    try:
        attributes = _fetch(endpoint, service_code)
    except client.RemoteError as exc:
        logger.warning(
            "federation: no service definition of %s from %s: %s", service_code, endpoint.url, exc
        )
        attributes, lifetime = (), UNREADABLE_LIFETIME
    cache.set(
        key,
        {
            "from": now.timestamp(),
            "until": (now + lifetime).timestamp(),
            "attributes": [dataclasses.asdict(a) for a in attributes],
        },
        timeout=int(lifetime.total_seconds()),
    )
    return attributes


def forget(endpoint: client.Endpoint, service_code: str) -> None:
    """Read the definition afresh next time (the server refused what we sent by it)."""
    cache.delete(cache_key(endpoint, service_code))
