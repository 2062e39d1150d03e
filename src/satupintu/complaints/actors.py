"""Who acts on a report. Every action in ``complaints.actions`` takes one of these as ``actor``:

* an **officer**: a signed-in user (a person at the desk, or the service account of an API key:
  an *integration*, whose roles come from the key's scopes, api/keys.py);
* the **reporter** of one report, proven by its tracking number and secret (no account);
* a **remote agency**: another government's complaint system reporting back through Open311
  federation on a report it holds;
* the **system** (``SYSTEM``, i.e. ``None``): the SLA sweep and other background work;
* nobody signed in (``AnonymousUser``): a citizen filing through the portal may act as that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from satupintu.core.models import User


@dataclass(frozen=True)
class Reporter:
    """The reporter of one report, authenticated by tracking number + secret."""

    report_id: int


@dataclass(frozen=True)
class RemoteAgency:
    """An external agency's own complaint system, reporting back on a report it holds through
    Open311 federation (open311/federation): it acts as that agency, never as a person."""

    agency_id: int
    code: str

    @property
    def audit_label(self) -> str:
        return f"remote:{self.code}"


#: Background work acts as the system.
SYSTEM = None

Actor: TypeAlias = "User | AnonymousUser | Reporter | RemoteAgency | None"


class ActorKind(StrEnum):
    OFFICER = "officer"
    INTEGRATION = "integration"
    REPORTER = "reporter"
    REMOTE = "remote"
    SYSTEM = "system"
    PUBLIC = "public"


def kind_of(actor: Actor) -> ActorKind:
    if actor is None:
        return ActorKind.SYSTEM
    if isinstance(actor, Reporter):
        return ActorKind.REPORTER
    if isinstance(actor, RemoteAgency):
        return ActorKind.REMOTE
    if not getattr(actor, "is_authenticated", False):
        return ActorKind.PUBLIC
    if getattr(actor, "_satupintu_key", None) is not None:  # set by api/keys.authenticate
        return ActorKind.INTEGRATION
    return ActorKind.OFFICER


def user_of(actor: Actor) -> User | None:
    """The user to name on a timeline event or an upload (none for a reporter, a remote
    agency, the system or nobody signed in)."""
    if actor is None or isinstance(actor, Reporter | RemoteAgency):
        return None
    if not getattr(actor, "is_authenticated", False):
        return None
    return actor  # type: ignore[return-value]


def audit_label(actor: Actor) -> object:
    """What the audit log records as the actor (core/audit.py takes a user or a label)."""
    if isinstance(actor, RemoteAgency):
        return actor.audit_label
    if isinstance(actor, Reporter):
        return "reporter"
    return user_of(actor)
