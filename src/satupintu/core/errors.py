"""One error hierarchy for every door (web, API, Open311, CLI).

Each refused action raises a subclass of :class:`SatupintuError` with a stable ``code``, a message
a person can act on, and optional per-field messages. Its HTTP status at each door (a web page,
the JSON API, Open311) is in one table, :data:`HTTP_STATUS`; each door renders the refusal in its
own format. Nothing stored is changed when one is raised inside a service's transaction.

``code`` is the contract: API clients and tests branch on it, and it never changes with the
language. ``message`` and the per-field messages are written in Bahasa Indonesia as gettext
msgids and translated when the error is raised, i.e. in the language active for the request
(English once the catalogue has it). ``detail`` may carry an untranslated technical explanation
(e.g. the lifecycle's own reason) for logs and API clients; it is never shown to citizens.
"""

from __future__ import annotations

import enum


class SatupintuError(Exception):
    code = "error"

    def __init__(
        self, message: str, *, fields: dict[str, str] | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.detail = detail

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "message": self.message,
            "fields": self.fields,
        }
        if self.detail:
            data["detail"] = self.detail
        return data


class InvalidInput(SatupintuError):
    code = "invalid"


class NotPermitted(SatupintuError):
    code = "forbidden"


class NotFound(SatupintuError):
    code = "not_found"


class Conflict(SatupintuError):
    code = "conflict"


class InvalidTransition(Conflict):
    """The report's status does not allow the action (domain/lifecycle.py)."""

    code = "invalid_transition"


class Stale(Conflict):
    """Someone else changed the object since the actor loaded it."""

    code = "stale"


class StaleReport(Stale):
    """Someone else changed the report since the actor loaded it."""


class WindowClosed(Conflict):
    """A time window (e.g. the appeal window) has passed."""

    code = "window_closed"


class Unavailable(SatupintuError):
    """The database cannot be reached now (refused, lost, read-only, a lock wait timed out):
    nothing was done, and the same request may succeed in a moment (core/outage.py).
    ``retry_after`` is the seconds every door sends as ``Retry-After``."""

    code = "unavailable"
    retry_after = 5


class Door(enum.Enum):
    """Where a refusal is answered; each door's contract fixes its own statuses."""

    #: A web page that shows the refusal next to its form again (the desk, the SKM desk, the
    #: catalogue, the evaluation worksheets: core.http.error_status). A view that finds nothing
    #: answers Django's 404 page before it gets here (core.http.or_404).
    PAGE = "page"
    #: ``/api/v1`` (api/errors.py): a refused value is unprocessable, as for the schema's checks.
    API = "api"
    #: Open311 GeoReport v2 (open311/views.py): 403, 404 and "basically 400 for any other error"
    #: (the spec).
    OPEN311 = "open311"


#: The HTTP status of each refusal at each door: an error takes the row of the nearest class it
#: derives from (the API's IdempotencyInUse is a Conflict, IdempotencyMismatch an InvalidInput).
HTTP_STATUS: dict[type[SatupintuError], dict[Door, int]] = {
    SatupintuError: {Door.PAGE: 400, Door.API: 400, Door.OPEN311: 400},
    InvalidInput: {Door.PAGE: 400, Door.API: 422, Door.OPEN311: 400},
    NotPermitted: {Door.PAGE: 403, Door.API: 403, Door.OPEN311: 403},
    NotFound: {Door.PAGE: 400, Door.API: 404, Door.OPEN311: 404},
    Conflict: {Door.PAGE: 400, Door.API: 409, Door.OPEN311: 400},
    InvalidTransition: {Door.PAGE: 409, Door.API: 409, Door.OPEN311: 400},
    Stale: {Door.PAGE: 409, Door.API: 409, Door.OPEN311: 400},
    Unavailable: {Door.PAGE: 503, Door.API: 503, Door.OPEN311: 503},
}


def http_status(exc: SatupintuError, door: Door) -> int:
    """The HTTP status of ``exc`` answered at ``door`` (:data:`HTTP_STATUS`)."""
    for cls in type(exc).__mro__:
        row = HTTP_STATUS.get(cls)
        if row is not None:
            return row[door]
    raise TypeError(f"{type(exc).__name__} is not a SatupintuError")
