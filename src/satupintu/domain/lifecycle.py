"""The report lifecycle: statuses, actions and the one table of allowed transitions.

Sources: domain.md §1.5 (stages: diterima, verifikasi/telaah with Tunda, Bukan Wewenang and
Arsipkan, terdisposisi, tindak lanjut, tanggapan pelapor, selesai), §1.6 (time limits), §1.7 (No
Wrong Door: never reject a misrouted report, forward or return it) and design.md §3.

Services enforce this table under a row lock; the web, API, Open311, CLI and background jobs all
go through those services, so no door can move a report along a path that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"  # Diterima / belum terverifikasi
    ON_HOLD = "on_hold"  # Tunda: waiting for the reporter to complete it
    ARCHIVED = "archived"  # Arsip: not processable; reason shown to the reporter
    DISPATCHED = "dispatched"  # Terdisposisi to an agency
    IN_PROGRESS = "in_progress"  # Tindak lanjut: the agency posted a first follow-up
    RESOLVED = "resolved"  # Selesai: the agency posted its answer
    REOPENED = "reopened"  # the reporter appealed; back with the agency
    CLOSED = "closed"  # final


FINAL = frozenset({Status.ARCHIVED, Status.CLOSED})
#: Statuses in which an agency holds the report and owes work.
WITH_AGENCY = frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.REOPENED})
#: Statuses whose running deadline means somebody owes work (escalated when it lapses).
OWES_WORK = frozenset({Status.RECEIVED} | WITH_AGENCY)


class Action(StrEnum):
    RECEIVE = "receive"
    HOLD = "hold"
    ARCHIVE = "archive"
    HOLD_EXPIRE = "hold_expire"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    FOLLOW_UP = "follow_up"
    FORWARD = "forward"
    RETURN = "return"
    NOTE = "note"
    PUBLIC_REPLY = "public_reply"
    RESOLVE = "resolve"
    REPORTER_REPLY = "reporter_reply"
    CONFIRM = "confirm"
    APPEAL = "appeal"
    AUTO_CLOSE = "auto_close"
    ESCALATE = "escalate"
    SET_PRIVACY = "set_privacy"
    ASSIGN = "assign"
    ATTACH = "attach"
    REMOTE_UPDATE = "remote_update"


class Party(StrEnum):
    """Who performs an action (policies map users to parties)."""

    REPORTER = "reporter"
    VERIFIER = "verifier"
    AGENCY = "agency"  # an officer of the agency that holds the report
    SYSTEM = "system"
    #: The holding external agency's own complaint system, reporting back through Open311
    #: (No Wrong Door across Pemda lines, domain.md §1.7); never a person.
    REMOTE = "remote"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    #: None keeps the status (the action adds to the timeline only).
    target: Status | None
    parties: frozenset[Party]


def _t(
    action: Action, sources: set[Status] | frozenset[Status], target: Status | None, *parties: Party
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(parties))


S = Status
A = Action
P = Party
OPEN = {S.RECEIVED, S.ON_HOLD, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED, S.REOPENED}

#: The whole lifecycle in one table (design.md §3).
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        # Verification (telaah) outcomes, domain.md §1.5 stage 2.
        _t(A.HOLD, {S.RECEIVED}, S.ON_HOLD, P.VERIFIER),
        _t(A.ARCHIVE, {S.RECEIVED, S.ON_HOLD}, S.ARCHIVED, P.VERIFIER),
        _t(A.HOLD_EXPIRE, {S.ON_HOLD}, S.ARCHIVED, P.SYSTEM),
        _t(A.DISPATCH, {S.RECEIVED}, S.DISPATCHED, P.VERIFIER),
        # Agency work, stages 3–4; No Wrong Door (§1.7): forward or return, never drop.
        _t(A.ACCEPT, {S.DISPATCHED}, None, P.AGENCY, P.REMOTE),
        _t(A.FOLLOW_UP, {S.DISPATCHED, S.IN_PROGRESS, S.REOPENED}, S.IN_PROGRESS, P.AGENCY),
        _t(
            A.FORWARD, {S.DISPATCHED, S.IN_PROGRESS, S.REOPENED}, S.DISPATCHED, P.AGENCY, P.VERIFIER
        ),
        _t(A.RETURN, {S.DISPATCHED, S.IN_PROGRESS, S.REOPENED}, S.RECEIVED, P.AGENCY),
        _t(A.RESOLVE, {S.DISPATCHED, S.IN_PROGRESS, S.REOPENED}, S.RESOLVED, P.AGENCY, P.REMOTE),
        # An external agency's system filed the forwarded report (ACCEPT above), posts news
        # (its tindak lanjut, which meets the follow-up deadline like FOLLOW_UP) and closes it
        # (RESOLVE above). It can do nothing else: forwarding and returning stay with people.
        _t(A.REMOTE_UPDATE, WITH_AGENCY, S.IN_PROGRESS, P.REMOTE),
        # Conversation; internal notes never reach the reporter or the public.
        _t(A.NOTE, OPEN | {S.CLOSED, S.ARCHIVED}, None, P.AGENCY, P.VERIFIER),
        _t(A.PUBLIC_REPLY, OPEN, None, P.AGENCY, P.VERIFIER),
        # Stage 5: a reply keeps the report open; on hold it sends it back to verification.
        _t(A.REPORTER_REPLY, OPEN, None, P.REPORTER),
        # Stage 6 and the reporter's verdict.
        _t(A.CONFIRM, {S.RESOLVED}, S.CLOSED, P.REPORTER),
        _t(A.APPEAL, {S.RESOLVED, S.CLOSED}, S.REOPENED, P.REPORTER),
        _t(A.AUTO_CLOSE, {S.RESOLVED}, S.CLOSED, P.SYSTEM),
        _t(A.ESCALATE, OWES_WORK, None, P.SYSTEM),
        _t(A.SET_PRIVACY, OPEN, None, P.VERIFIER),
        # Within the agency: who works on it, and supporting files.
        _t(A.ASSIGN, WITH_AGENCY, None, P.AGENCY),
        _t(A.ATTACH, OPEN, None, P.REPORTER, P.AGENCY, P.VERIFIER),
    )
}


class TransitionError(Exception):
    """The action is not allowed from the report's status, or not by this party."""

    def __init__(self, action: Action, status: Status, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.status = status
        self.reason = reason


STATUS_LABEL_ID = {
    S.RECEIVED: "diterima",
    S.ON_HOLD: "ditunda",
    S.ARCHIVED: "diarsipkan",
    S.DISPATCHED: "terdisposisi",
    S.IN_PROGRESS: "ditindaklanjuti",
    S.RESOLVED: "selesai",
    S.REOPENED: "dibuka kembali",
    S.CLOSED: "ditutup",
}


def next_status(status: Status, action: Action, party: Party) -> Status:
    """The status after ``action``; raises :class:`TransitionError` when it is not allowed."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(action, status, f"unknown action {action!r}")
    if status not in transition.sources:
        raise TransitionError(
            action,
            status,
            f"cannot {action.value.replace('_', ' ')} a report that is "
            f"{STATUS_LABEL_ID[status]} ({status.value})",
        )
    if party not in transition.parties:
        raise TransitionError(action, status, f"a {party.value} cannot {action.value}")
    if action is A.REPORTER_REPLY and status is S.ON_HOLD:
        # The reporter completed the report: back to verification (design.md §3).
        return S.RECEIVED
    return transition.target if transition.target is not None else status


def allowed_actions(status: Status, party: Party) -> list[Action]:
    return [a for a, t in TRANSITIONS.items() if status in t.sources and party in t.parties]


class Deadline(StrEnum):
    """The stored deadlines; which one runs depends on the status (design.md §3)."""

    VERIFY = "verify_due"
    HOLD = "hold_due"
    FOLLOW_UP = "followup_due"
    COMPLETE = "complete_due"
    AUTO_CLOSE = "autoclose_due"


#: The deadline that is running in each status; its date is the report's ``next_due``.
RUNNING_DEADLINE: dict[Status, Deadline | None] = {
    S.RECEIVED: Deadline.VERIFY,
    S.ON_HOLD: Deadline.HOLD,
    S.DISPATCHED: Deadline.FOLLOW_UP,
    S.IN_PROGRESS: Deadline.COMPLETE,
    S.REOPENED: Deadline.COMPLETE,
    S.RESOLVED: Deadline.AUTO_CLOSE,
    S.ARCHIVED: None,
    S.CLOSED: None,
}


class ReportType(StrEnum):
    """Report classes, domain.md §1.3 (pengaduan split per PermenPANRB 62/2018)."""

    ASPIRATION = "aspirasi"
    INFORMATION = "informasi"  # permintaan informasi
    COMPLAINT = "pengaduan"  # tidak berkadar pengawasan
    SUPERVISORY_COMPLAINT = "pengaduan_pengawasan"  # berkadar pengawasan


@dataclass(frozen=True)
class SlaDays:
    """Working-day limits; defaults from domain.md §1.6, editable by an administrator."""

    verify: int = 3  # verification + forwarding, LAPOR! procedure
    follow_up: int = 5  # agency coordination and first follow-up
    auto_close: int = 10  # closed after a follow-up and 10 working days without reply
    hold: int = 10  # UNCONFIRMED default: how long a Tunda waits for the reporter
    appeal: int = 10  # UNCONFIRMED default: appeal window after resolution
    aspiration: int = 5  # PermenPANRB 62/2018 Ch. VI
    information: int = 5  # idem
    complaint: int = 14  # idem, pengaduan tidak berkadar pengawasan
    supervisory_complaint: int = 60  # idem, berkadar pengawasan; Perpres 76/2013 ≤ 60 days

    def completion(self, report_type: ReportType) -> int:
        return {
            ReportType.ASPIRATION: self.aspiration,
            ReportType.INFORMATION: self.information,
            ReportType.COMPLAINT: self.complaint,
            ReportType.SUPERVISORY_COMPLAINT: self.supervisory_complaint,
        }[report_type]
