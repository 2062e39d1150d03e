"""Who may see and do what with a report: one policy for every door (design.md §4, §5).

The same rules answer "may this user act on this report?" (``party_for``) and "which reports may
this user see?" (``visible_reports``), so a refused page and a filtered list never disagree.
"Does not exist" and "not yours" are the same NotFound.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency, Membership, Role
from satupintu.complaints.models import Disposition, Report
from satupintu.core.errors import NotFound, NotPermitted
from satupintu.domain.lifecycle import TRANSITIONS, Action, Party


@dataclass(frozen=True)
class Reporter:
    """The reporter of one report, authenticated by tracking number + secret (selectors)."""

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


@dataclass
class Access:
    """A user's roles, resolved once: which agencies (with their sub-units) they act for."""

    user_id: int | None
    sysadmin: bool = False
    verifier: bool = False
    leader: bool = False
    evaluator: bool = False
    #: agency ids where the user is liaison or head, including every unit below them.
    agencies: frozenset[int] = frozenset()
    heads: frozenset[int] = frozenset()
    #: agency ids where the user is evaluator, including every unit below them.
    evaluated: frozenset[int] = frozenset()
    roles: dict[int, set[str]] = field(default_factory=dict)
    #: agency ids whose reports the user may read without acting on them (an API key's
    #: ``read`` scope), including every unit below them.
    watches: frozenset[int] = frozenset()
    #: may record reports taken by an officer (counter, phone, 112): an API key's ``intake``.
    intake: bool = False

    @property
    def sees_everything(self) -> bool:
        return self.sysadmin or self.verifier or self.leader

    @property
    def visible_agencies(self) -> frozenset[int]:
        return self.agencies | self.watches

    @property
    def is_officer(self) -> bool:
        return bool(self.sees_everything or self.visible_agencies or self.evaluator or self.intake)


def with_units(roots: set[int]) -> set[int]:
    """The agencies ``roots`` and every unit below them (one query)."""
    if not roots:
        return set()
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Agency.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    out: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in out:
            continue
        out.add(pk)
        stack.extend(children.get(pk, ()))
    return out


def access_for(user: Any) -> Access:
    """Roles of ``user`` (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Access(user_id=None)
    cached = getattr(user, "_satupintu_access", None)
    if isinstance(cached, Access):
        return cached
    roles: dict[int, set[str]] = defaultdict(set)
    for agency_id, role in Membership.objects.filter(
        user_id=user.pk, is_active=True, agency__is_active=True
    ).values_list("agency_id", "role"):
        roles[agency_id].add(role)
    all_roles = {r for rs in roles.values() for r in rs}
    working = {a for a, rs in roles.items() if rs & {Role.LIAISON, Role.AGENCY_HEAD}}
    heads = {a for a, rs in roles.items() if Role.AGENCY_HEAD in rs}
    evaluated = {a for a, rs in roles.items() if Role.EVALUATOR in rs}
    access = Access(
        user_id=user.pk,
        sysadmin=Role.SYSADMIN in all_roles or bool(user.is_superuser),
        verifier=Role.VERIFIER in all_roles,
        leader=Role.LEADER in all_roles,
        evaluator=Role.EVALUATOR in all_roles,
        agencies=frozenset(with_units(working)),
        heads=frozenset(with_units(heads)),
        evaluated=frozenset(with_units(evaluated)),
        roles=dict(roles),
    )
    user._satupintu_access = access
    return access


def party_for(actor: Any, report: Report, action: Action) -> Party:
    """The party ``actor`` acts as for ``action`` on ``report``; NotPermitted/NotFound otherwise."""
    allowed = TRANSITIONS[action].parties
    if actor is None:
        if Party.SYSTEM in allowed:
            return Party.SYSTEM
        raise NotPermitted(_("Tindakan ini hanya dapat dilakukan oleh petugas yang sudah masuk."))
    if isinstance(actor, Reporter):
        if actor.report_id != report.pk:
            raise NotFound(_("Laporan tidak ditemukan."))
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
    if not can_view(access, report):
        raise NotFound(_("Laporan tidak ditemukan."))
    holds = report.current_agency_id is not None and report.current_agency_id in access.agencies
    if Party.AGENCY in allowed and (holds or (access.sysadmin and Party.VERIFIER not in allowed)):
        return Party.AGENCY
    if Party.VERIFIER in allowed and (access.verifier or access.sysadmin):
        return Party.VERIFIER
    if Party.AGENCY in allowed:
        raise NotPermitted(
            _(
                "Hanya petugas instansi yang sedang menangani laporan ini yang dapat melakukan "
                "tindakan ini."
            )
        )
    if Party.VERIFIER in allowed:
        raise NotPermitted(_("Hanya petugas verifikasi yang dapat melakukan tindakan ini."))
    raise NotPermitted(_("Tindakan ini tidak tersedia bagi petugas."))


def can_view(access: Access, report: Report) -> bool:
    if access.sees_everything:
        return True
    visible = access.visible_agencies
    if not visible:
        return False
    if report.current_agency_id in visible:
        return True
    return Disposition.objects.filter(report_id=report.pk, to_agency_id__in=visible).exists()


def visible_reports(user: Any, queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports ``user`` may see as an officer: their agency holds or held it (design.md §4)."""
    qs = queryset if queryset is not None else Report.objects.all()
    access = access_for(user)
    if access.sees_everything:
        return qs
    visible = access.visible_agencies
    if not visible:
        return qs.none()
    held = Disposition.objects.filter(report_id=OuterRef("pk"), to_agency_id__in=visible)
    return qs.filter(Exists(held))


def may_read_identity(access: Access, report: Report) -> bool:
    """domain.md §1.8: an anonymous reporter's identity never reaches an agency."""
    if report.is_anonymous:
        return access.sysadmin
    return access.sysadmin or access.verifier or can_view(access, report) and bool(access.agencies)
