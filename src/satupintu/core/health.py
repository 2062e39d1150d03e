"""``/readyz``: whether this process can serve requests now, for a load balancer or an
orchestrator's readiness probe.

Ready means the database answers a query and, on PostgreSQL, accepts writes (a standby after a
failover is read-only: filing a report would fail). Otherwise 503 with ``Retry-After``, and
the connection that failed is discarded (core/outage.py) so that the next probe connects anew.
The answer is JSON, never cached: ``{"ready": true, "checks": {"database": "ok"}}``, or
``"unavailable"`` / ``"read_only"`` in place of ``"ok"``.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from satupintu.core import outage
from satupintu.core.errors import Unavailable


def database_state(alias: str = DEFAULT_DB_ALIAS) -> str:
    """``ok``, ``read_only`` or ``unavailable``."""
    db = connections[alias]
    try:
        with db.cursor() as cursor:
            if db.vendor == "postgresql":
                cursor.execute("SELECT current_setting('transaction_read_only')")
                row = cursor.fetchone()
                return "read_only" if row and row[0] == "on" else "ok"
            cursor.execute("SELECT 1")
            cursor.fetchone()
            return "ok"
    except Error:
        outage.discard_broken()
        return "unavailable"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    state = database_state()
    ready = state == "ok"
    response = JsonResponse(
        {"ready": ready, "checks": {"database": state}}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = str(Unavailable.retry_after)
    return response
