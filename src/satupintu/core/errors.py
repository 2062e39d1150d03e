"""One error hierarchy for every door (web, API, Open311, CLI).

Each refused action raises a subclass of :class:`SatupintuError` with a stable ``code``, a message
a person can act on, and optional per-field messages. Adapters map ``http_status`` to their own
format; nothing stored is changed when one is raised inside a service's transaction.
"""

from __future__ import annotations


class SatupintuError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(SatupintuError):
    code = "invalid"
    http_status = 400


class NotPermitted(SatupintuError):
    code = "forbidden"
    http_status = 403


class NotFound(SatupintuError):
    code = "not_found"
    http_status = 404


class Conflict(SatupintuError):
    code = "conflict"
    http_status = 409


class InvalidTransition(Conflict):
    """The report's status does not allow the action (domain/lifecycle.py)."""

    code = "invalid_transition"


class StaleReport(Conflict):
    """Someone else changed the report since the actor loaded it."""

    code = "stale"


class WindowClosed(Conflict):
    """A time window (e.g. the appeal window) has passed."""

    code = "window_closed"
