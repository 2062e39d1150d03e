"""Who a signed-in person is in the Pemda: their roles, resolved once per request.

Roles are about people and agencies (design.md §5), not about complaints, so every app that
decides who may do what (complaints, surveys, evaluation, catalogue, the API's keys) starts from
:func:`access_for` here and keeps its own rules in its own ``policies`` module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from satupintu.agencies.models import Agency, Membership, Role


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
    """Roles of ``user`` (cached on the user object for the request); nobody's for anything
    that is not a signed-in user."""
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
