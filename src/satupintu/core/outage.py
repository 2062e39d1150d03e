"""The database out of reach: 503 with ``Retry-After`` at every door, and no broken connection
kept for the next request.

When the database refuses connections, drops one, has become read-only (a standby after a
failover) or gives up waiting for a lock, the request cannot be served now but may be in a
moment. :func:`as_unavailable` turns such an error into :class:`~satupintu.core.errors.Unavailable`
(code ``unavailable``; its status at each door is in core/errors.py's one table), and each door
answers it in its own shape with ``Retry-After``: the JSON API (api/errors.py), Open311
(open311/views.py), web pages (:class:`Middleware`, templates/503.html) and ``/readyz``
(core/health.py).

What is a bug or bad input is not an outage and keeps its usual answer: IntegrityError,
DataError, ProgrammingError, NotSupportedError, and SQLite's generic error (``no such table``,
a syntax error), which Python's sqlite3 also raises as an OperationalError.

Nothing is half-written: services write inside ``transaction.atomic``, which rolls back (and
drops the connection when even the rollback fails). A persistent connection (``CONN_MAX_AGE``)
that the failure left broken is closed at once (:func:`discard_broken`), so the next request
connects afresh as soon as the database answers again, without a restart.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.db import (
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from satupintu.core.errors import Door, Unavailable, http_status
from satupintu.core.middleware import is_interface

logger = logging.getLogger("satupintu.outage")

#: SQLite's primary result code for a generic error: a bug (``no such table``, bad SQL), not
#: an outage. Busy, locked, read-only, I/O, full and cannot-open are the others it raises.
SQLITE_ERROR = 1
#: PostgreSQL: a read-only transaction (a hot standby, ``default_transaction_read_only``).
READ_ONLY_SQLSTATE = "25006"
#: PostgreSQL's class 54, "program limit exceeded" (too many columns, a statement too
#: complex): an OperationalError that retrying will not cure.
PROGRAM_LIMIT_CLASS = "54"


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code if isinstance(code, str) else None


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` (as Django's database layer raises it) says that the database cannot be
    reached or cannot take the work now, rather than that the request or the code is wrong."""
    if isinstance(exc, (IntegrityError, DataError, ProgrammingError, NotSupportedError)):
        return False
    if isinstance(exc, InterfaceError):
        return True  # the connection is closed or unusable
    if isinstance(exc, OperationalError):
        sqlite_code = getattr(exc.__cause__, "sqlite_errorcode", None)
        if isinstance(sqlite_code, int):
            return sqlite_code & 0xFF != SQLITE_ERROR
        state = _sqlstate(exc)
        return not (state and state.startswith(PROGRAM_LIMIT_CLASS))
    if isinstance(exc, InternalError):
        return _sqlstate(exc) == READ_ONLY_SQLSTATE
    return False


def message() -> str:
    return _("Layanan sedang tidak dapat menjangkau basis data; coba lagi sebentar lagi.")


def as_unavailable(exc: BaseException) -> Unavailable | None:
    """``exc`` as the ``unavailable`` refusal when it is an outage (logged once, its broken
    connection discarded); None otherwise."""
    if isinstance(exc, Unavailable):
        return exc
    if not isinstance(exc, Error) or not is_outage(exc):
        return None
    logger.warning("Database unavailable: %s: %s", type(exc).__name__, exc)
    discard_broken()
    return Unavailable(message())


def retry_headers(exc: object) -> dict[str, str]:
    """``Retry-After`` for an ``unavailable`` refusal, nothing for any other."""
    if isinstance(exc, Unavailable):
        return {"Retry-After": str(exc.retry_after)}
    return {}


def discard_broken() -> None:
    """Close each open connection that an error has left unusable, so that the next query
    connects anew instead of reusing it.

    Django checks this itself when a request starts and ends (``close_old_connections``);
    doing it at once also covers what runs before then. A connection inside a transaction is
    left to the transaction, which drops it if its rollback fails.
    """
    for db in connections.all(initialized_only=True):
        if db.connection is None or db.in_atomic_block or not db.errors_occurred:
            continue
        try:
            usable = db.is_usable()
        except Exception:
            usable = False
        if usable:
            db.errors_occurred = False
            continue
        with contextlib.suppress(Exception):
            db.close()
        db.connection = None


def page(request: HttpRequest | None = None) -> HttpResponse:
    """The web page for an outage: 503, ``Retry-After``, never cached.

    Rendered like the 500 page, without context processors (the signed-in user, the menus)
    that would ask the database again.
    """
    if request is not None and hasattr(request, "session"):
        request.session.modified = False  # saving it would fail and turn the 503 into a 500
    unavailable = Unavailable(message())
    body = loader.render_to_string("503.html", {"retry_after": unavailable.retry_after})
    response = HttpResponse(body, status=http_status(unavailable, Door.PAGE))
    for name, value in retry_headers(unavailable).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


class Middleware:
    """Web pages (the portal, the desks): a view that fails because the database is out of
    reach answers the 503 page instead of a 500, whatever ``DEBUG`` says. The open interfaces
    answer in their own shapes before this is reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_interface(request) or as_unavailable(exception) is None:
            return None
        return page(request)
