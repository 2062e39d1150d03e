"""The report policy's two answers agree: for every persona, every verb and every seeded
report, ``can`` says yes exactly when ``reports_for`` lists the report; ``get_for`` refuses
"missing" and "not yours" alike; the queues derive from the same rule."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.complaints import actions
from satupintu.complaints.actors import RemoteAgency, Reporter
from satupintu.complaints.models import Report
from satupintu.complaints.policies import Read, report_policy
from satupintu.core.errors import NotFound, NotPermitted
from satupintu.domain.lifecycle import TRANSITIONS, Action
from tests.conftest import City

pytestmark = pytest.mark.django_db

ACTIONS = list(TRANSITIONS)  # receiving is not a step on an existing report
VERBS: list[Any] = [*ACTIONS, *Read]


def _seed(city: City) -> list[Report]:
    """Reports in every status, held by different agencies, forwarded, anonymous."""
    received, _ = city.file()
    on_hold, _ = city.file()
    actions.report_hold(actor=city.verifier, report_id=on_hold.pk, message="Lengkapi alamat.")
    archived, _ = city.file()
    actions.report_archive(actor=city.verifier, report_id=archived.pk, reason="Iklan.")
    dispatched = city.dispatched(is_anonymous=True)
    forwarded = city.dispatched()
    actions.report_forward(
        actor=city.officer_a, report_id=forwarded.pk, to_agency=city.dlhk.code, reason="Sampah."
    )
    outside = city.dispatched()
    actions.report_forward(
        actor=city.verifier, report_id=outside.pk, to_agency=city.pln.code, reason="Listrik."
    )
    resolved = city.resolved()
    closed = city.resolved()
    actions.report_confirm(actor=city.reporter(closed), report_id=closed.pk, rating=4)
    returned = city.dispatched()
    actions.report_return(actor=city.officer_a, report_id=returned.pk, reason="Bukan wewenang.")
    reports = [received, on_hold, archived, dispatched, forwarded, outside, resolved, closed]
    return [Report.objects.get(pk=r.pk) for r in [*reports, returned]]


def _personas(city: City, reports: list[Report]) -> dict[str, Any]:
    return {
        "system": None,
        "verifier": city.verifier,
        "officer_a": city.officer_a,
        "head_a": city.head_a,
        "officer_b": city.officer_b,
        "officer_health": city.officer_health,
        "leader": city.leader,
        "sysadmin": city.sysadmin,
        "outsider": city.outsider,
        "reporter": Reporter(report_id=reports[6].pk),
        "pln": RemoteAgency(agency_id=city.pln.pk, code=city.pln.code),
    }


def test_can_and_reports_for_agree_for_every_persona_verb_and_report(city: City) -> None:
    reports = _seed(city)
    ids = [r.pk for r in reports]
    disagreements = []
    for name, actor in _personas(city, reports).items():
        for verb in VERBS:
            listed = set(
                report_policy.reports_for(actor, verb)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            for report in reports:
                if report_policy.can(actor, verb, report) != (report.pk in listed):
                    disagreements.append((name, str(verb), report.status, report.pk))
    assert disagreements == []


def test_the_desk_offers_exactly_what_the_actions_accept(city: City) -> None:
    """actions_for (the desk's buttons) never offers a step the action would refuse."""
    reports = _seed(city)
    for actor in (city.verifier, city.officer_a, city.officer_b, city.leader, city.sysadmin):
        for report in reports:
            offered = report_policy.actions_for(actor, report, ACTIONS)
            for action in ACTIONS:
                assert (action in offered) == report_policy.can(actor, action, report), (
                    actor,
                    action,
                    report.status,
                )


def test_get_for_refuses_missing_and_not_yours_alike(city: City) -> None:
    report = city.dispatched()  # held by DPUPR
    assert report_policy.get_for(city.officer_a, Read.VIEW, report.pk) == report
    with pytest.raises(NotFound) as not_yours:
        report_policy.get_for(city.officer_b, Read.VIEW, report.pk)
    with pytest.raises(NotFound) as missing:
        report_policy.get_for(city.officer_b, Read.VIEW, report.pk + 1000)
    assert not_yours.value.message == missing.value.message
    # Acting: an officer who sees the report but may not do this is told so.
    with pytest.raises(NotPermitted):
        report_policy.party(city.leader, Action.RESOLVE, report)
    with pytest.raises(NotFound):
        report_policy.party(city.officer_b, Action.RESOLVE, report)


def test_queues_hold_only_what_the_persona_may_see(city: City) -> None:
    reports = _seed(city)
    for actor in (city.verifier, city.officer_a, city.officer_b, city.leader, city.sysadmin):
        queued = report_policy.reports_for_scope(report_policy.queue_scope(actor))
        visible = set(report_policy.reports_for(actor, Read.VIEW).values_list("pk", flat=True))
        assert set(queued.values_list("pk", flat=True)) <= visible
    officer_queue = report_policy.reports_for_scope(report_policy.queue_scope(city.officer_a))
    # DPUPR's queue: what it holds and owes work on; the verifiers' queue: what is received.
    assert {r.current_agency_id for r in officer_queue} == {city.dpupr.pk}
    verifier_queue = report_policy.reports_for_scope(report_policy.queue_scope(city.verifier))
    assert {r.status for r in verifier_queue} == {"received"}
    assert {r.pk for r in reports if r.status == "received"} == {r.pk for r in verifier_queue}
