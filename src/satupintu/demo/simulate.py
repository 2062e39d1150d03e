"""Simulate one demo report's life up to "now": the steps officers and reporters took.

Pure Python (no Django): the seeding command turns the result into rows. A report is received at
a random moment of the last year and then lives the lifecycle of domain/lifecycle.py with
realistic delays; the simulation stops at the present, so recent reports end in early statuses
and a share of older ones sit overdue. Deadlines follow domain.md §1.6 in working days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from satupintu.demo.textgen import ReportTextGenerator
from satupintu.domain.lifecycle import SlaDays, Status
from satupintu.domain.workdays import WorkdayCalendar


@dataclass
class Step:
    """One timeline event. ``actor`` is a role key: verifier, agency, reporter or system."""

    at: dt.datetime
    kind: str
    actor: str
    agency: str | None = None
    body: str = ""
    public: bool = True
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Hop:
    """One disposisi."""

    seq: int
    kind: str
    from_code: str | None
    to_code: str
    created_at: dt.datetime
    reason: str
    followup_due: dt.date
    complete_due: dt.date
    by_verifier: bool
    accepted_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    outcome: str = "open"
    outcome_reason: str = ""


@dataclass
class CategoryInfo:
    code: str
    report_type: str
    agency_code: str
    completion_days: int


@dataclass
class Simulated:
    status: str = Status.RECEIVED.value
    current_agency: str | None = None
    verify_due: dt.date | None = None
    hold_due: dt.date | None = None
    followup_due: dt.date | None = None
    complete_due: dt.date | None = None
    autoclose_due: dt.date | None = None
    appeal_until: dt.date | None = None
    escalated_due: dt.date | None = None
    escalation_level: int = 0
    dispatched_at: dt.datetime | None = None
    first_followup_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    rating: int | None = None
    rating_comment: str = ""
    appeal_count: int = 0
    hop_count: int = 0
    steps: list[Step] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)

    @property
    def next_due(self) -> dt.date | None:
        return {
            "received": self.verify_due,
            "on_hold": self.hold_due,
            "dispatched": self.followup_due,
            "in_progress": self.complete_due,
            "reopened": self.complete_due,
            "resolved": self.autoclose_due,
        }.get(self.status)


_DEADLINE_NAME = {
    "received": "verify_due",
    "dispatched": "followup_due",
    "in_progress": "complete_due",
    "reopened": "complete_due",
}


class _Now(Exception):
    """The next step would happen after the present: the simulation stops here."""


class Simulator:
    def __init__(
        self,
        *,
        rng: random.Random,
        text: ReportTextGenerator,
        calendar: WorkdayCalendar,
        now: dt.datetime,
        tz: ZoneInfo,
        internal_agencies: list[str],
        external_agencies: list[str],
        sla: SlaDays | None = None,
    ) -> None:
        self.rng = rng
        self.text = text
        self.cal = calendar
        self.now = now
        self.tz = tz
        self.today = now.astimezone(tz).date()
        self.internal = internal_agencies
        self.external = external_agencies
        self.sla = sla or SlaDays()

    # ------------------------------------------------------------------ time helpers
    def _office_time(self, day: dt.date, *, earliest: dt.datetime | None = None) -> dt.datetime:
        minutes = self.rng.randint(7 * 60 + 30, 16 * 60)  # 07:30–16:00, Perpres 21/2023 hours
        at = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), self.tz)
        if earliest is not None and at <= earliest:
            at = earliest + dt.timedelta(minutes=self.rng.randint(5, 90))
        return at

    def _after(self, at: dt.datetime, workdays: int) -> dt.datetime:
        day = self.cal.add(at.astimezone(self.tz).date(), workdays)
        return self._office_time(day, earliest=at)

    def _local_day(self, at: dt.datetime) -> dt.date:
        return at.astimezone(self.tz).date()

    def _emit(self, sim: Simulated, step: Step) -> None:
        if step.at > self.now:
            raise _Now
        sim.steps.append(step)

    def _delay(self, table: list[tuple[float, int, int]]) -> int:
        """Pick a delay in working days from (probability, low, high) rows."""
        roll = self.rng.random()
        for probability, low, high in table:
            if roll < probability:
                return self.rng.randint(low, high)
            roll -= probability
        return table[-1][2]

    # ------------------------------------------------------------------ the life of a report
    def run(self, category: CategoryInfo, received_at: dt.datetime) -> Simulated:
        sim = Simulated()
        day0 = self._local_day(received_at)
        sim.verify_due = self.cal.add(day0, self.sla.verify)
        sim.steps.append(Step(received_at, "received", "reporter"))
        try:
            self._live(sim, category, received_at)
        except _Now:
            pass
        self._escalate_if_overdue(sim)
        return sim

    def _live(self, sim: Simulated, category: CategoryInfo, t: dt.datetime) -> None:
        rng = self.rng
        # Verification (telaah), domain.md §1.5 stage 2: mostly within the 3 days, some late.
        t = self._after(t, self._delay([(0.45, 0, 1), (0.35, 1, 3), (0.2, 3, 8)]))
        roll = rng.random()
        if roll < 0.07:
            self._emit(sim, Step(t, "archived", "verifier", body=self.text.archive_reason()))
            sim.status, sim.closed_at = Status.ARCHIVED.value, t
            return
        if roll < 0.13:
            t = self._hold(sim, t)
            if sim.status == Status.ARCHIVED.value:
                return
        t = self._dispatch(sim, category, t)
        self._agency_work(sim, category, t)

    def _hold(self, sim: Simulated, t: dt.datetime) -> dt.datetime:
        self._emit(sim, Step(t, "held", "verifier", body=self.text.hold_message()))
        sim.status = Status.ON_HOLD.value
        sim.hold_due = self.cal.add(self._local_day(t), self.sla.hold)
        if self.rng.random() < 0.7:
            t = self._after(t, self.rng.randint(0, 6))
            self._emit(sim, Step(t, "reporter_reply", "reporter", body=self.text.reporter_reply()))
            sim.status, sim.hold_due = Status.RECEIVED.value, None
            sim.verify_due = self.cal.add(self._local_day(t), self.sla.verify)
            return self._after(t, self.rng.randint(0, 2))
        expire = self._sweep_time(sim.hold_due)
        self._emit(
            sim,
            Step(
                expire,
                "archived",
                "system",
                data={"reason": "hold_expired"},
            ),
        )
        sim.status, sim.closed_at = Status.ARCHIVED.value, expire
        return expire

    def _sweep_time(self, due: dt.date) -> dt.datetime:
        """The minute sweep acts just after midnight following the due date."""
        day = due + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(0, self.rng.randint(1, 9)), self.tz)

    def _start_hop(
        self,
        sim: Simulated,
        kind: str,
        to: str,
        t: dt.datetime,
        reason: str,
        category: CategoryInfo,
        *,
        from_code: str | None,
        by_verifier: bool,
    ) -> Hop:
        day = self._local_day(t)
        hop = Hop(
            seq=len(sim.hops) + 1,
            kind=kind,
            from_code=from_code,
            to_code=to,
            created_at=t,
            reason=reason,
            followup_due=self.cal.add(day, self.sla.follow_up),
            complete_due=self.cal.add(day, category.completion_days),
            by_verifier=by_verifier,
        )
        sim.hops.append(hop)
        sim.current_agency = to
        sim.followup_due, sim.complete_due = hop.followup_due, hop.complete_due
        sim.status = Status.DISPATCHED.value
        return hop

    def _dispatch(self, sim: Simulated, category: CategoryInfo, t: dt.datetime) -> dt.datetime:
        rng = self.rng
        right = category.agency_code
        misrouted = rng.random() < 0.1
        first = rng.choice([a for a in self.internal if a != right]) if misrouted else right
        self._emit(sim, Step(t, "dispatched", "verifier", agency=first, data={"to": first}))
        self._start_hop(sim, "dispatch", first, t, "", category, from_code=None, by_verifier=True)
        sim.hop_count += 1
        sim.dispatched_at = sim.dispatched_at or t
        if not misrouted:
            return t
        # No Wrong Door (domain.md §1.7): the wrong agency forwards it on, or returns it.
        t = self._after(t, rng.randint(1, 4))
        hop = sim.hops[-1]
        if rng.random() < 0.7:
            reason = self.text.forward_reason(first, right)
            self._emit(
                sim,
                Step(
                    t,
                    "forwarded",
                    "agency",
                    agency=right,
                    body=reason,
                    data={"from": first, "to": right},
                ),
            )
            hop.outcome, hop.outcome_reason, hop.ended_at = "forwarded", reason, t
            self._start_hop(
                sim, "forward", right, t, reason, category, from_code=first, by_verifier=False
            )
            sim.hop_count += 1
            return t
        reason = self.text.return_reason()
        self._emit(sim, Step(t, "returned", "agency", agency=first, body=reason))
        hop.outcome, hop.outcome_reason, hop.ended_at = "returned", reason, t
        sim.status, sim.current_agency = Status.RECEIVED.value, None
        sim.followup_due = sim.complete_due = None
        sim.verify_due = self.cal.add(self._local_day(t), self.sla.verify)
        t = self._after(t, rng.randint(0, 2))
        self._emit(sim, Step(t, "dispatched", "verifier", agency=right, data={"to": right}))
        self._start_hop(sim, "dispatch", right, t, "", category, from_code=None, by_verifier=True)
        sim.hop_count += 1
        return t

    def _agency_work(self, sim: Simulated, category: CategoryInfo, t: dt.datetime) -> None:
        rng = self.rng
        agency = sim.current_agency
        hop = sim.hops[-1]
        if rng.random() < 0.6:
            t = self._after(t, rng.randint(0, 1))
            self._emit(sim, Step(t, "accepted", "agency", agency=agency))
            hop.accepted_at = t
        if rng.random() < 0.04:
            return  # stuck: never followed up (it will show as overdue)
        # First follow-up: 5 working days (domain.md §1.6); most on time, some late.
        t = self._after(t, self._delay([(0.55, 0, 2), (0.3, 2, 5), (0.15, 6, 12)]))
        self._emit(
            sim,
            Step(t, "follow_up", "agency", agency=agency, body=self.text.follow_up(category.code)),
        )
        hop.accepted_at = hop.accepted_at or t
        sim.status = Status.IN_PROGRESS.value
        sim.first_followup_at = sim.first_followup_at or t
        if rng.random() < 0.15:
            t = self._after(t, rng.randint(1, 3))
            self._emit(
                sim,
                Step(
                    t,
                    "note",
                    "agency",
                    agency=agency,
                    public=False,
                    body=self.text.internal_note(category.code),
                ),
            )
        if rng.random() < 0.05:
            return  # stuck in progress
        share = rng.uniform(0.2, 1.4)  # of the completion deadline
        t = self._after(t, max(1, round(category.completion_days * share)))
        self._resolve(sim, category, t)

    def _resolve(self, sim: Simulated, category: CategoryInfo, t: dt.datetime) -> None:
        rng = self.rng
        hop = sim.hops[-1]
        answer = self.text.answer(category.code)
        self._emit(sim, Step(t, "resolved", "agency", agency=sim.current_agency, body=answer))
        hop.outcome, hop.outcome_reason, hop.ended_at = "resolved", answer, t
        sim.status, sim.resolved_at = Status.RESOLVED.value, t
        day = self._local_day(t)
        sim.autoclose_due = self.cal.add(day, self.sla.auto_close)
        sim.appeal_until = self.cal.add(day, self.sla.appeal)
        roll = rng.random()
        if roll < 0.38:
            t = self._after(t, rng.randint(0, 8))
            rating = rng.choices([5, 4, 3, 2, 1], weights=[40, 30, 15, 8, 7])[0]
            comment = self.text.rating_comment(rating) if rng.random() < 0.6 else ""
            self._emit(sim, Step(t, "confirmed", "reporter", body=comment, data={"rating": rating}))
            sim.status, sim.rating, sim.rating_comment, sim.closed_at = (
                Status.CLOSED.value,
                rating,
                comment,
                t,
            )
            return
        if roll < 0.43 and sim.appeal_count == 0:
            t = self._after(t, rng.randint(1, 5))
            self._emit(
                sim,
                Step(
                    t,
                    "appealed",
                    "reporter",
                    agency=sim.current_agency,
                    body=self.text.reporter_reply(),
                ),
            )
            sim.appeal_count += 1
            sim.autoclose_due = None
            self._start_hop(
                sim,
                "dispatch",
                sim.current_agency or category.agency_code,
                t,
                "",
                category,
                from_code=None,
                by_verifier=False,
            )
            sim.status = Status.REOPENED.value
            if rng.random() < 0.2:
                return
            t = self._after(t, rng.randint(2, 10))
            self._resolve(sim, category, t)
            return
        if roll < 0.5:
            t = self._after(t, rng.randint(1, 6))
            self._emit(sim, Step(t, "reporter_reply", "reporter", body=self.text.reporter_reply()))
            sim.autoclose_due = self.cal.add(self._local_day(t), self.sla.auto_close)
        closed = self._sweep_time(sim.autoclose_due or day)
        self._emit(sim, Step(closed, "auto_closed", "system"))
        sim.status, sim.closed_at = Status.CLOSED.value, closed

    def _escalate_if_overdue(self, sim: Simulated) -> None:
        """What the minute sweep would have done by now to a report whose deadline lapsed."""
        due = sim.next_due
        owes = sim.status in {"received", "dispatched", "in_progress", "reopened"}
        if not owes or due is None or due >= self.today:
            return
        at = self._sweep_time(due)
        if at > self.now:
            return
        sim.escalated_due, sim.escalation_level = due, 1
        sim.steps.append(
            Step(
                at,
                "escalated",
                "system",
                agency=sim.current_agency,
                public=False,
                data={
                    "deadline": _DEADLINE_NAME.get(sim.status),
                    "due": due.isoformat(),
                    "working_days_late": self.cal.between(due, self.today),
                    "level": 1,
                },
            )
        )
