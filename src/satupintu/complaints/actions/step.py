"""One step of a report's life, framed once: every action that changes a report, or what hangs
off it, runs inside :func:`lifecycle_step`.

    with lifecycle_step(actor, report_id, Action.RESOLVE, expected_version) as step:
        step.report.resolved_at = step.now
        step.record(ReportEvent.Kind.RESOLVED, body=answer, public=True)
        step.audit["answer"] = answer
    return step.report

On entry the report row is locked (with its audit chain's head read alongside), the stale
version refused, the policy asked who the actor is for this action (complaints/policies.py)
and the lifecycle table asked where the report goes (domain/lifecycle.py); every field is
snapshotted. On a clean exit the new status and the deadline that now runs (domain.md §1.6)
are set, the fields that changed are saved (found by comparing with the snapshot, never listed
by hand), the version and ``updated_at`` move on, the timeline event and its outbox row are
written and the audit entry records the old and new values. An exit by exception writes
nothing (the transaction rolls back); a step that changed nothing, recorded no event and put
nothing on the audit record writes nothing either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.complaints.actions.inputs import action_label, status_label
from satupintu.complaints.actors import Actor, audit_label, user_of
from satupintu.complaints.models import Report, ReportEvent
from satupintu.complaints.policies import Read, report_policy
from satupintu.core import audit
from satupintu.core.errors import InvalidTransition, NotFound, StaleReport
from satupintu.core.models import AuditHead
from satupintu.domain.lifecycle import (
    RUNNING_DEADLINE,
    TRANSITIONS,
    Action,
    Party,
    Status,
    TransitionError,
    next_status,
)
from satupintu.notifications import outbox

_REPORT_TABLE = Report._meta.db_table
_HEAD_TABLE = AuditHead._meta.db_table

#: Every stored field of a report by attribute name, and the field name ``save`` wants.
_FIELDS: dict[str, str] = {
    f.attname: f.name
    for f in Report._meta.concrete_fields
    if f.attname not in {"id", "version", "updated_at"}
}
#: Changed, but never written out in the audit log: the entry says that they changed.
_UNSPOKEN = frozenset({"secret_hash", "contact_encrypted", "contact_index"})


#: The audit log's name for each read that is recorded.
_READ_AUDIT = {Read.IDENTITY: "identity_read", Read.VIEW: "view"}


class Skipped(Exception):
    """The step does not apply any more (``when`` said so, or another worker holds the row
    under ``skip_locked``): nothing was done."""


def transition_refused(exc: TransitionError) -> InvalidTransition:
    """The Indonesian message for a refusal of domain/lifecycle.py (its reason stays English)."""
    transition = TRANSITIONS.get(exc.action)
    if transition is not None and exc.status not in transition.sources:
        message = _("Laporan berstatus %(status)s tidak dapat %(action)s.") % {
            "status": status_label(exc.status),
            "action": action_label(exc.action),
        }
    else:
        message = _("Tindakan ini tidak tersedia bagi Anda untuk laporan ini.")
    return InvalidTransition(message, detail=exc.reason)


def lock(report_id: int, expected_version: int | None, *, skip_locked: bool = False) -> Report:
    """The report, row-locked for this transaction, with its audit chain's head read alongside.

    Every append to a report's audit chain happens under this lock, so the head read here stays
    valid for the whole transaction and audit.record need not read it again. It is one plain
    SQL statement because it runs on every change, and building it through the ORM cost more
    than running it. Under ``skip_locked`` a row another transaction holds is Skipped.
    """
    features = connection.features
    clause = ""
    if features.has_select_for_update:
        clause = " FOR UPDATE OF r" if features.has_select_for_update_of else " FOR UPDATE"
        if skip_locked and features.has_select_for_update_skip_locked:
            clause += " SKIP LOCKED"
    sql = (
        f"SELECT r.*, h.seq AS _audit_seq, h.hash AS _audit_hash "  # noqa: S608
        f"FROM {_REPORT_TABLE} r LEFT JOIN {_HEAD_TABLE} h ON h.chain = %s "
        f"WHERE r.id = %s{clause}"
    )
    found: list[Report] = list(Report.objects.raw(sql, [f"report:{report_id}", report_id]))
    if not found:
        if skip_locked:
            raise Skipped(report_id)
        raise NotFound(_("Laporan tidak ditemukan."))
    report = found[0]
    if expected_version is not None and report.version != expected_version:
        raise StaleReport(
            _("Laporan ini sudah diubah oleh petugas lain; muat ulang halaman lalu coba lagi.")
        )
    return report


def _known_head(report: Report) -> tuple[int, str] | None:
    seq, last = getattr(report, "_audit_seq", None), getattr(report, "_audit_hash", None)
    return (seq, last) if seq is not None and last is not None else None


def snapshot(report: Report) -> dict[str, Any]:
    return {attname: getattr(report, attname) for attname in _FIELDS}


def new_event(
    kind: str,
    actor: Actor,
    *,
    at: dt.datetime,
    body: str = "",
    public: bool,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    """A timeline event, not yet saved."""
    return ReportEvent(
        kind=kind,
        actor=user_of(actor),
        agency_id=agency_id,
        body=body,
        is_public=public,
        created_at=at,
        data=data or {},
    )


@dataclass
class Step:
    """The report being changed and what the step will write when it ends."""

    report: Report
    actor: Actor
    action: Action | Read
    #: who the actor is for this action (None for a read)
    party: Party | None
    #: where the lifecycle table sends the report (None: a read keeps it where it is)
    target: Status | None
    now: dt.datetime
    before: dict[str, Any]
    event: ReportEvent | None = None
    #: what the audit entry records besides the fields that changed (the text the actor wrote)
    audit: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def today(self) -> dt.date:
        return workcal.today()

    @property
    def status(self) -> Status:
        """The status the report had when the step began."""
        return Status(self.before["status"])

    def record(
        self,
        kind: str,
        *,
        body: str = "",
        public: bool,
        agency_id: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> ReportEvent:
        """The step's timeline event (one per step), written when the step ends."""
        if self.event is not None:
            raise RuntimeError("a step records one timeline event")
        self.event = new_event(
            kind,
            self.actor,
            at=self.now,
            body=body,
            public=public,
            agency_id=agency_id,
            data=data,
        )
        return self.event

    def finish(self) -> None:
        report = self.report
        if isinstance(self.action, Read):
            # A read changes nothing of the report: its version stays, so nobody's open
            # form goes stale; the audit chain records who read what and why.
            self._write_audit(_READ_AUDIT[self.action], {}, {})
            return
        if self.target is not None:
            report.status = self.target.value
        running = RUNNING_DEADLINE[Status(report.status)]
        report.next_due = getattr(report, running.value) if running else None
        after = snapshot(report)
        changed = [name for name, value in after.items() if self.before[name] != value]
        if not changed and self.event is None and not self.audit:
            return
        report.version += 1
        report.save(update_fields=[*(_FIELDS[name] for name in changed), "version", "updated_at"])
        if self.event is not None:
            self.event.report = report
            self.event.save(force_insert=True)
            outbox.record(
                report,
                self.action,
                self.event,
                previous_agency_id=self.before["current_agency_id"],
            )
        spoken = [name for name in changed if name not in _UNSPOKEN]
        old = {name: self.before[name] for name in spoken}
        new = {name: after[name] for name in spoken} | self.audit
        self._write_audit(self.action.value, old, new)

    def _write_audit(self, action: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        report = self.report
        if isinstance(self.action, Read):
            new = new | self.audit
        entry = audit.record(
            chain=report.audit_chain,
            actor=audit_label(self.actor),
            action=action,
            object_type="report",
            object_id=report.pk,
            before=old,
            after=new,
            head=_known_head(report),
        )
        report._audit_seq, report._audit_hash = entry.seq, entry.hash  # type: ignore[attr-defined]


@contextmanager
def lifecycle_step(
    actor: Actor,
    report_id: int,
    action: Action | Read,
    expected_version: int | None = None,
    *,
    skip_locked: bool = False,
    when: Callable[[Report], bool] | None = None,
) -> Iterator[Step]:
    """Lock, check, snapshot; on a clean exit save what changed, the event, its outbox row and
    the audit entry, all in one transaction (see the module's docstring).

    ``when`` is checked on the locked row before the policy: a report that no longer
    qualifies (the SLA sweep's race with an officer) raises :class:`Skipped`, as does a row
    another transaction holds under ``skip_locked``.
    """
    with transaction.atomic():
        report = lock(report_id, expected_version, skip_locked=skip_locked)
        if when is not None and not when(report):
            raise Skipped(report_id)
        party: Party | None
        target: Status | None
        if isinstance(action, Read):
            report_policy.require_read(actor, action, report)
            party, target = None, None
        else:
            party = report_policy.party(actor, action, report)
            try:
                target = next_status(Status(report.status), action, party)
            except TransitionError as exc:
                raise transition_refused(exc) from None
        step = Step(
            report=report,
            actor=actor,
            action=action,
            party=party,
            target=target,
            now=timezone.now(),
            before=snapshot(report),
        )
        yield step
        step.finish()
