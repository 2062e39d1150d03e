"""The transition table of domain/lifecycle.py (design.md §3)."""

from __future__ import annotations

import pytest

from satupintu.domain.lifecycle import (
    FINAL,
    RUNNING_DEADLINE,
    TRANSITIONS,
    Action,
    Party,
    ReportType,
    SlaDays,
    Status,
    TransitionError,
    allowed_actions,
    next_status,
)

S, A, P = Status, Action, Party

HAPPY_PATH = [
    (S.RECEIVED, A.DISPATCH, P.VERIFIER, S.DISPATCHED),
    (S.DISPATCHED, A.ACCEPT, P.AGENCY, S.DISPATCHED),
    (S.DISPATCHED, A.FOLLOW_UP, P.AGENCY, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.RESOLVE, P.AGENCY, S.RESOLVED),
    (S.RESOLVED, A.CONFIRM, P.REPORTER, S.CLOSED),
]


@pytest.mark.parametrize(("status", "action", "party", "target"), HAPPY_PATH)
def test_happy_path(status: Status, action: Action, party: Party, target: Status) -> None:
    assert next_status(status, action, party) is target


@pytest.mark.parametrize(
    ("status", "action", "party", "target"),
    [
        (S.RECEIVED, A.HOLD, P.VERIFIER, S.ON_HOLD),
        (S.ON_HOLD, A.REPORTER_REPLY, P.REPORTER, S.RECEIVED),
        (S.ON_HOLD, A.HOLD_EXPIRE, P.SYSTEM, S.ARCHIVED),
        (S.IN_PROGRESS, A.FORWARD, P.AGENCY, S.DISPATCHED),
        (S.REOPENED, A.RETURN, P.AGENCY, S.RECEIVED),
        (S.RESOLVED, A.REPORTER_REPLY, P.REPORTER, S.RESOLVED),
        (S.RESOLVED, A.APPEAL, P.REPORTER, S.REOPENED),
        (S.CLOSED, A.APPEAL, P.REPORTER, S.REOPENED),
        (S.RESOLVED, A.AUTO_CLOSE, P.SYSTEM, S.CLOSED),
        (S.IN_PROGRESS, A.ESCALATE, P.SYSTEM, S.IN_PROGRESS),
    ],
)
def test_side_paths(status: Status, action: Action, party: Party, target: Status) -> None:
    assert next_status(status, action, party) is target


@pytest.mark.parametrize(
    ("status", "action", "party"),
    [
        (S.RECEIVED, A.RESOLVE, P.AGENCY),  # an agency cannot answer what it was never given
        (S.ARCHIVED, A.DISPATCH, P.VERIFIER),
        (S.CLOSED, A.FOLLOW_UP, P.AGENCY),
        (S.DISPATCHED, A.CONFIRM, P.REPORTER),
        (S.RESOLVED, A.AUTO_CLOSE, P.AGENCY),  # only the clock closes silently
        (S.DISPATCHED, A.DISPATCH, P.VERIFIER),
        (S.RECEIVED, A.RETURN, P.AGENCY),
        (S.RESOLVED, A.ESCALATE, P.SYSTEM),
    ],
)
def test_refused(status: Status, action: Action, party: Party) -> None:
    with pytest.raises(TransitionError) as err:
        next_status(status, action, party)
    assert err.value.status is status and err.value.action is action
    assert err.value.reason


def test_no_wrong_door_an_agency_can_never_archive_or_close() -> None:
    # domain.md §1.7: an agency forwards or returns a misrouted report; it never drops it.
    for status in Status:
        actions = allowed_actions(status, P.AGENCY)
        assert A.ARCHIVE not in actions and A.AUTO_CLOSE not in actions and A.CONFIRM not in actions


def test_final_statuses_only_take_notes_or_an_appeal() -> None:
    for status in FINAL:
        assert set(allowed_actions(status, P.AGENCY)) <= {A.NOTE}
        assert set(allowed_actions(status, P.VERIFIER)) <= {A.NOTE}
    assert allowed_actions(S.CLOSED, P.REPORTER) == [A.APPEAL]
    assert allowed_actions(S.ARCHIVED, P.REPORTER) == []


def test_every_target_and_every_status_is_reachable_and_has_a_running_deadline_rule() -> None:
    targets = {t.target for t in TRANSITIONS.values() if t.target} | {S.RECEIVED}
    assert targets == set(Status)
    assert set(RUNNING_DEADLINE) == set(Status)
    assert all(RUNNING_DEADLINE[s] is None for s in FINAL)


def test_sla_defaults_come_from_domain_md_1_6() -> None:
    sla = SlaDays()
    assert (sla.verify, sla.follow_up, sla.auto_close) == (3, 5, 10)
    assert [sla.completion(t) for t in ReportType] == [5, 5, 14, 60]
    assert SlaDays(complaint=10).completion(ReportType.COMPLAINT) == 10


def test_an_external_agencys_system_files_reports_on_and_closes_but_never_routes() -> None:
    # Federation (Open311): the remote system of the external agency that holds the report.
    assert next_status(S.DISPATCHED, A.ACCEPT, P.REMOTE) is S.DISPATCHED
    assert next_status(S.DISPATCHED, A.REMOTE_UPDATE, P.REMOTE) is S.IN_PROGRESS
    assert next_status(S.REOPENED, A.REMOTE_UPDATE, P.REMOTE) is S.IN_PROGRESS
    assert next_status(S.IN_PROGRESS, A.RESOLVE, P.REMOTE) is S.RESOLVED
    assert set(allowed_actions(S.IN_PROGRESS, P.REMOTE)) == {A.REMOTE_UPDATE, A.RESOLVE}
    for status in Status:
        actions = set(allowed_actions(status, P.REMOTE))
        assert actions <= {A.ACCEPT, A.REMOTE_UPDATE, A.RESOLVE}
    for status in (S.RECEIVED, S.RESOLVED, S.CLOSED, S.ARCHIVED):
        with pytest.raises(TransitionError):
            next_status(status, A.REMOTE_UPDATE, P.REMOTE)
    # People never post as the remote system.
    with pytest.raises(TransitionError):
        next_status(S.IN_PROGRESS, A.REMOTE_UPDATE, P.AGENCY)
