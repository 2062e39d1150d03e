"""Who may see and do what with a report: one policy for every door (design.md §4, §5).

In the manner of wagtail's permission policies, one object answers both questions:

* ``report_policy.can(actor, verb, report)``: may this actor do this to this report now?
* ``report_policy.reports_for(actor, verb)``: which reports may they do it to (a queryset)?
* ``report_policy.get_for(actor, verb, report_id)``: the one report, or the same NotFound for
  "does not exist" and "not yours".

A verb is a lifecycle action (domain/lifecycle.py: the table decides the statuses and parties)
or a read (:class:`Read`). The two answers are built from the same facts (the actor's roles, the
report's holder, its dispositions, its status), and tests/complaints/test_policies.py checks that
they agree for every persona, verb and seeded report. Role look-ups are agencies/access.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeAlias

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.access import Access, access_for, with_units
from satupintu.complaints.actors import Actor, RemoteAgency, Reporter
from satupintu.complaints.models import OWES_WORK_Q, Disposition, Report
from satupintu.core.errors import NotFound, NotPermitted
from satupintu.domain.lifecycle import TRANSITIONS, Action, Party, Status

__all__ = [
    "Access",
    "RemoteAgency",
    "Reporter",
    "Read",
    "ReportPolicy",
    "access_for",
    "report_policy",
    "with_units",
]


class Read(StrEnum):
    """What an actor may read of a report besides acting on it."""

    VIEW = "view"  # the report, its whole timeline and files (officers: internal notes too)
    IDENTITY = "read_identity"  # the reporter's identity and contact (audited, domain.md §1.8)


Verb: TypeAlias = Action | Read

_NOTHING = Q(pk__in=[])
_EVERYTHING = Q()


def _not_found() -> NotFound:
    return NotFound(_("Laporan tidak ditemukan."))


class ReportPolicy:
    """The one answer to "may" and "which" for reports."""

    # ------------------------------------------------------------------ parties

    def party(self, actor: Actor, action: Action, report: Report) -> Party:
        """The party ``actor`` acts as for ``action`` on ``report``; NotFound when the report
        is not theirs to see, NotPermitted when they see it but may not do this. The status is
        the lifecycle table's to judge (domain.lifecycle.next_status)."""
        allowed = TRANSITIONS[action].parties
        if actor is None:
            if Party.SYSTEM in allowed:
                return Party.SYSTEM
            raise NotPermitted(
                _("Tindakan ini hanya dapat dilakukan oleh petugas yang sudah masuk.")
            )
        if isinstance(actor, Reporter):
            if actor.report_id != report.pk:
                raise _not_found()
            if Party.REPORTER in allowed:
                return Party.REPORTER
            raise NotPermitted(_("Hanya petugas yang dapat melakukan tindakan ini."))
        if isinstance(actor, RemoteAgency):
            if Party.REMOTE in allowed and report.current_agency_id == actor.agency_id:
                return Party.REMOTE
            raise NotPermitted(
                _("Sistem instansi tujuan hanya dapat melaporkan laporan yang sedang dipegangnya.")
            )
        access = access_for(actor)
        if not self._views(access, report):
            raise _not_found()
        party = self._officer_party(access, action, report)
        if party is not None:
            return party
        if Party.AGENCY in allowed:
            raise NotPermitted(
                _(
                    "Hanya petugas instansi yang sedang menangani laporan ini yang dapat "
                    "melakukan tindakan ini."
                )
            )
        if Party.VERIFIER in allowed:
            raise NotPermitted(_("Hanya petugas verifikasi yang dapat melakukan tindakan ini."))
        raise NotPermitted(_("Tindakan ini tidak tersedia bagi petugas."))

    @staticmethod
    def _officer_party(access: Access, action: Action, report: Report) -> Party | None:
        allowed = TRANSITIONS[action].parties
        holds = report.current_agency_id is not None and report.current_agency_id in access.agencies
        if Party.AGENCY in allowed and (
            holds or (access.sysadmin and Party.VERIFIER not in allowed)
        ):
            return Party.AGENCY
        if Party.VERIFIER in allowed and (access.verifier or access.sysadmin):
            return Party.VERIFIER
        return None

    # ------------------------------------------------------------------ "may I"

    def can(self, actor: Actor, verb: Verb, report: Report) -> bool:
        """May ``actor`` do ``verb`` to ``report`` now (its status included)?"""
        if isinstance(verb, Read):
            return self._can_read(actor, verb, report)
        if Status(report.status) not in TRANSITIONS[verb].sources:
            return False
        try:
            self.party(actor, verb, report)
        except (NotFound, NotPermitted):
            return False
        return True

    def actions_for(self, actor: Actor, report: Report, among: Iterable[Action]) -> set[Action]:
        """The actions of ``among`` that ``actor`` may take on ``report`` now: ``can`` for each,
        with the visibility check made once."""
        candidates = [a for a in among if Status(report.status) in TRANSITIONS[a].sources]
        if not candidates:
            return set()
        if actor is not None and not isinstance(actor, Reporter | RemoteAgency):
            access = access_for(actor)
            if not self._views(access, report):
                return set()
            return {a for a in candidates if self._officer_party(access, a, report) is not None}
        return {a for a in candidates if self.can(actor, a, report)}

    def require_read(self, actor: Actor, verb: Read, report: Report) -> None:
        """``can`` for a read, as errors: NotFound when the report is not the actor's to see
        (asked first, so a refusal never tells that a report exists or how it is flagged),
        NotPermitted when they see it and the reporter chose to stay anonymous; NotFound for
        the other refusals (a role without identity reads)."""
        if not self._can_read(actor, Read.VIEW, report):
            raise _not_found()
        if verb is Read.VIEW or self._can_read(actor, verb, report):
            return
        if report.is_anonymous:
            raise NotPermitted(
                _("Pelapor memilih untuk anonim; identitasnya tidak dapat ditampilkan.")
            )
        raise _not_found()

    def _can_read(self, actor: Actor, verb: Read, report: Report) -> bool:
        if actor is None:
            return verb is Read.VIEW
        if isinstance(actor, Reporter):
            return verb is Read.VIEW and actor.report_id == report.pk
        if isinstance(actor, RemoteAgency):
            return verb is Read.VIEW and self._held_by(report, frozenset({actor.agency_id}))
        access = access_for(actor)
        if not self._views(access, report):
            return False
        if verb is Read.VIEW:
            return True
        # domain.md §1.8: an anonymous reporter's identity never reaches an agency.
        if report.is_anonymous:
            return access.sysadmin
        return access.sysadmin or access.verifier or bool(access.agencies)

    def _views(self, access: Access, report: Report) -> bool:
        if access.sees_everything:
            return True
        visible = access.visible_agencies
        if not visible:
            return False
        return report.current_agency_id in visible or self._held_by(report, visible)

    @staticmethod
    def _held_by(report: Report, agencies: frozenset[int]) -> bool:
        return Disposition.objects.filter(report_id=report.pk, to_agency_id__in=agencies).exists()

    # ------------------------------------------------------------------ "which ones"

    def scope(self, actor: Actor, verb: Verb) -> Q:
        """The condition on reports that ``can`` checks, as one ``Q`` (for ``reports_for``)."""
        if isinstance(verb, Read):
            return self._read_scope(actor, verb)
        transition = TRANSITIONS[verb]
        status = Q(status__in=[s.value for s in transition.sources])
        allowed = transition.parties
        if actor is None:
            return status if Party.SYSTEM in allowed else _NOTHING
        if isinstance(actor, Reporter):
            return status & Q(pk=actor.report_id) if Party.REPORTER in allowed else _NOTHING
        if isinstance(actor, RemoteAgency):
            if Party.REMOTE not in allowed:
                return _NOTHING
            return status & Q(current_agency_id=actor.agency_id)
        access = access_for(actor)
        party = _NOTHING
        if Party.AGENCY in allowed:
            if access.sysadmin and Party.VERIFIER not in allowed:
                party = _EVERYTHING
            elif access.agencies:
                party = Q(current_agency_id__in=access.agencies)
        if Party.VERIFIER in allowed and (access.verifier or access.sysadmin):
            party = _EVERYTHING
        if party is _NOTHING:
            return _NOTHING
        return status & party & self._view_scope(access)

    def _read_scope(self, actor: Actor, verb: Read) -> Q:
        if actor is None:
            return _EVERYTHING if verb is Read.VIEW else _NOTHING
        if isinstance(actor, Reporter):
            return Q(pk=actor.report_id) if verb is Read.VIEW else _NOTHING
        if isinstance(actor, RemoteAgency):
            if verb is not Read.VIEW:
                return _NOTHING
            return Q(Exists(_dispositions_to(frozenset({actor.agency_id}))))
        access = access_for(actor)
        view = self._view_scope(access)
        if verb is Read.VIEW:
            return view
        if access.sysadmin:
            return view
        if access.verifier or access.agencies:
            return view & Q(is_anonymous=False)
        return _NOTHING

    @staticmethod
    def _view_scope(access: Access) -> Q:
        """Officers see what their agency holds or held (design.md §4); verifiers, leaders and
        system administrators see everything."""
        if access.sees_everything:
            return _EVERYTHING
        visible = access.visible_agencies
        if not visible:
            return _NOTHING
        return Q(current_agency_id__in=visible) | Q(Exists(_dispositions_to(visible)))

    def reports_for(
        self, actor: Actor, verb: Verb, queryset: QuerySet[Report] | None = None
    ) -> QuerySet[Report]:
        """The reports ``actor`` may do ``verb`` to (``queryset`` narrowed, or all reports)."""
        return self.reports_for_scope(self.scope(actor, verb), queryset)

    @staticmethod
    def reports_for_scope(scope: Q, queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
        """``queryset`` (or all reports) narrowed to ``scope``, one of this policy's answers."""
        qs = queryset if queryset is not None else Report.objects.all()
        if scope is _NOTHING:
            return qs.none()
        return qs if scope is _EVERYTHING else qs.filter(scope)

    # ------------------------------------------------------------------ queues

    def held_by(self, actor: Actor, agency_ids: Iterable[int]) -> Q:
        """Reports that owe work and are held by ``agency_ids``, as far as ``actor`` may see
        them: an agency's inbox (only agencies the actor works for or watches, unless they
        see everything)."""
        access = access_for(actor)
        ids = set(agency_ids)
        if not access.sees_everything:
            ids &= access.visible_agencies
        return Q(OWES_WORK_Q, current_agency_id__in=sorted(ids)) if ids else _NOTHING

    def queue_scope(self, actor: Actor) -> Q:
        """What ``actor`` owes work on or watches: reports to verify (verifiers: the ones they
        may dispatch), reports their agencies hold, and for leaders and read-only keys the
        owed work they watch."""
        access = access_for(actor)
        scope = self.scope(actor, Action.DISPATCH)
        if access.agencies or access.watches:
            scope = scope | self.held_by(actor, access.agencies | access.watches)
        if access.leader:
            scope = scope | OWES_WORK_Q
        return scope

    def get_for(
        self, actor: Actor, verb: Verb, report_id: int, queryset: QuerySet[Report] | None = None
    ) -> Report:
        """The report ``report_id`` if ``actor`` may do ``verb`` to it; one NotFound otherwise,
        whether it does not exist or is not theirs."""
        found = self.reports_for(actor, verb, queryset).filter(pk=report_id).first()
        if found is None:
            raise _not_found()
        return found


def _dispositions_to(agencies: frozenset[int]) -> QuerySet[Disposition]:
    return Disposition.objects.filter(report_id=OuterRef("pk"), to_agency_id__in=agencies)


report_policy = ReportPolicy()


# ----------------------------------------------------------------------------- shorthands


def party_for(actor: Any, report: Report, action: Action) -> Party:
    return report_policy.party(actor, action, report)


def visible_reports(user: Any, queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports ``user`` may see as an officer: their agency holds or held it (design.md §4).
    For nobody signed in: none (the public's rule is complaints/public.py)."""
    if user is None:
        return (queryset if queryset is not None else Report.objects.all()).none()
    return report_policy.reports_for(user, Read.VIEW, queryset)


def may_read_identity(user: Any, report: Report) -> bool:
    """domain.md §1.8: an anonymous reporter's identity never reaches an agency."""
    return report_policy.can(user, Read.IDENTITY, report)
