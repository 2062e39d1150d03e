"""Property-based run of the OpenAPI schema (schemathesis): no request the schema allows or
forbids may get a server error or an answer the schema does not describe, and forbidden input
must be refused with a 4xx.

Bounded (``max_examples`` per operation) so it fits the test run; SCHEMATHESIS_EXAMPLES raises
it for a longer hunt.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from satupintu.api import keys
from tests.conftest import City

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes stale connections when a request starts and ends, as it should in
    production; inside the test's transaction on PostgreSQL that closes the test's connection.
    Django's test client disconnects the same handlers for its requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def full_key(city: City, settings: Any) -> str:
    """A key that may do everything, so that no operation stops at authentication."""
    settings.SATUPINTU_API_ANONYMOUS_SUBMIT_LIMIT = 10**6
    settings.SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT = 10**6
    city.file()
    city.resolved()
    keys._cache.clear()
    return keys.apikey_create(
        actor="test",
        name="fuzz",
        agency=city.pemda.code,
        scopes=list(keys.SCOPES),
        rate_limit=10**6,
    )[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@pytest.mark.django_db
def test_no_server_error_and_no_answer_outside_the_schema(case: Any, full_key: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {full_key}"}, checks=CHECKS)
