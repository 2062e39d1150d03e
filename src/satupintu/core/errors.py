"""One error hierarchy for every door (web, API, Open311, CLI).

Each refused action raises a subclass of :class:`SatupintuError` with a stable ``code``, a message
a person can act on, and optional per-field messages. Adapters map ``http_status`` to their own
format; nothing stored is changed when one is raised inside a service's transaction.

``code`` is the contract: API clients and tests branch on it, and it never changes with the
language. ``message`` and the per-field messages are written in Bahasa Indonesia as gettext
msgids and translated when the error is raised, i.e. in the language active for the request
(English once the catalogue has it). ``detail`` may carry an untranslated technical explanation
(e.g. the lifecycle's own reason) for logs and API clients; it is never shown to citizens.
"""

from __future__ import annotations


class SatupintuError(Exception):
    code = "error"
    http_status = 400

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


class Stale(Conflict):
    """Someone else changed the object since the actor loaded it."""

    code = "stale"


class StaleReport(Stale):
    """Someone else changed the report since the actor loaded it."""


class WindowClosed(Conflict):
    """A time window (e.g. the appeal window) has passed."""

    code = "window_closed"
