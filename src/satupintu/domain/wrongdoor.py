"""Wrong doors under the No Wrong Door Policy (domain.md §1.7): one definition of a hop that went
to the wrong agency and of the working days it cost.

A report sent to an agency that is not competent is never rejected: that agency either forwards
it to the competent one or returns it to the verifiers as *bukan wewenang* (domain.md §1.5,
stage 2). Each disposisi is one hop (design.md §3). Here:

* a **wrong-door hop** is a hop that *ended* in a forward or a *bukan wewenang* return; a hop
  still open, or one the agency closed with its answer, is not one (the agency it went to was,
  as far as anybody can tell, the right door);
* the **wrong agency** is the hop's receiving agency (the disposisi's ``to_agency``);
* its **days lost** are the working days (hari kerja, domain.md §1.6 and §7, counted with the
  Pemda's calendar) from the wrong agency's receipt to the hop's end, in the half-open interval
  (receipt, end] of local dates: a report forwarded on the day it arrived lost 0 working days,
  one forwarded the next working day lost 1.

Receipt is the moment the disposisi was made (``created_at``), not the agency's acknowledgement
(``accepted_at``): the report sits in the wrong agency's inbox, and the reporter's deadline
runs, from that moment whether or not anybody there opened it; many reports are returned
without ever being acknowledged, and ``accepted_at`` would then be missing. The desk's report
page (its hops) and the SP4N indicators count a hop's days from the same moment.

Pure Python (no Django): dataclasses in, values out. The operations room (dashboard/) and the
routing metrics read these definitions; the SQL the dashboard runs over the raw tables
(dashboard/reference_sql.py) spells out the same rule with the same constants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Protocol

__all__ = [
    "FORWARDED",
    "RETURNED",
    "WRONG_DOOR_OUTCOMES",
    "Calendar",
    "WrongDoorHop",
    "WrongDoorTally",
    "days_lost",
    "is_wrong_door",
    "tally",
    "wrong_door_hop",
]

#: A disposisi's outcome values (complaints.models.Disposition.Outcome) that make it a wrong door.
FORWARDED: Final = "forwarded"  # passed on to the competent agency (§1.7)
RETURNED: Final = "returned"  # handed back to the verifiers: bukan wewenang (§1.5)
WRONG_DOOR_OUTCOMES: Final = frozenset({FORWARDED, RETURNED})


class Calendar(Protocol):
    """What is needed of a working-day calendar (domain.workdays.WorkdayCalendar)."""

    def between(self, start: date, end: date) -> int: ...


def is_wrong_door(outcome: str) -> bool:
    """Whether a hop that ended with ``outcome`` went through a wrong door."""
    return outcome in WRONG_DOOR_OUTCOMES


def days_lost(calendar: Calendar, received: date, ended: date) -> int:
    """Working days in (received, ended]; never negative (a clock set back loses no days)."""
    return max(0, calendar.between(received, ended))


@dataclass(frozen=True)
class WrongDoorHop:
    """One hop through a wrong door: its outcome, the local dates, and the days it cost."""

    outcome: str
    received: date
    ended: date
    days_lost: int

    @property
    def returned(self) -> bool:
        return self.outcome == RETURNED

    @property
    def forwarded(self) -> bool:
        return self.outcome == FORWARDED


def wrong_door_hop(
    outcome: str, received: date, ended: date | None, calendar: Calendar
) -> WrongDoorHop | None:
    """The hop as a wrong door, or None when it is not one (open, resolved, or never ended)."""
    if not is_wrong_door(outcome) or ended is None:
        return None
    return WrongDoorHop(outcome, received, ended, days_lost(calendar, received, ended))


@dataclass(frozen=True)
class WrongDoorTally:
    """Wrong-door hops added up (per agency, category, month, ...)."""

    hops: int = 0
    returned: int = 0
    forwarded: int = 0
    days_lost: int = 0

    def __add__(self, other: WrongDoorTally) -> WrongDoorTally:
        return WrongDoorTally(
            self.hops + other.hops,
            self.returned + other.returned,
            self.forwarded + other.forwarded,
            self.days_lost + other.days_lost,
        )

    @property
    def returned_share(self) -> float | None:
        """The share of the hops returned *bukan wewenang* (None without hops)."""
        return self.returned / self.hops if self.hops else None

    @property
    def mean_days_lost(self) -> float | None:
        return self.days_lost / self.hops if self.hops else None


def tally(hops: Iterable[WrongDoorHop]) -> WrongDoorTally:
    total = WrongDoorTally()
    for hop in hops:
        total += WrongDoorTally(1, int(hop.returned), int(hop.forwarded), hop.days_lost)
    return total
