"""PEKPPP indicators the system can pre-fill from what it already knows.

Pure Python, no Django. Each indicator of an instrument may name a ``Source``; the evaluator sees
the suggested score (0–5) next to the indicator and may keep or change it. Every rubric here is a
default (domain.md §4.1 names the indicators but not their rubrics, except the top step of
"Standar Pelayanan sesuai ketentuan", see :mod:`.standard`):

* ``standard``: the unit's service-standard score (:func:`.standard.unit_score`);
* ``standard_published``: 5 × share of the unit's services published
  (:func:`.standard.publication_score`);
* ``maklumat``: 5 when the unit's maklumat pelayanan is published on the portal, else 0;
* ``skm_done``: 5 when an SKM was held for the unit in the year, else 0 (domain.md §3.4: at least
  once a year);
* ``skm_published``: 5 when the SKM results were published, 0 when not, no suggestion when the
  system does not know;
* ``skm_followup``: 5 × share of SKM follow-up actions done, rounded down (none recorded: none);
* ``skm_followup_speed``: 5 × share of the done follow-up actions done by their due date,
  rounded down (none done: none);
* ``complaints``: the complaint-handling score (:func:`.sp4n.complaint_score`).

None means "no suggestion": the system has nothing to go on, the evaluator scores from evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

__all__ = ["DEFAULT_SOURCES", "SkmFacts", "Source", "UnitData", "suggest"]

FULL: Final = 5  # domain.md §4.1: indicators are scored 0–5
NONE_AT_ALL: Final = 0


class Source(StrEnum):
    NONE = ""
    STANDARD = "standard"
    STANDARD_PUBLISHED = "standard_published"
    MAKLUMAT = "maklumat"
    SKM_DONE = "skm_done"
    SKM_PUBLISHED = "skm_published"
    SKM_FOLLOWUP = "skm_followup"
    SKM_FOLLOWUP_SPEED = "skm_followup_speed"
    COMPLAINTS = "complaints"


#: Indicator code of the 2023 instrument (domain.indices.PEKPPP_2023) -> what pre-fills it.
DEFAULT_SOURCES: Final[Mapping[str, Source]] = {
    "KP1": Source.STANDARD,  # Standar Pelayanan sesuai ketentuan
    "KP3": Source.STANDARD_PUBLISHED,  # Publikasi Standar Pelayanan
    "KP5": Source.MAKLUMAT,  # Maklumat Pelayanan
    "KP6": Source.SKM_DONE,  # SKM sesuai PermenPANRB
    "KP7": Source.SKM_PUBLISHED,  # Publikasi hasil SKM
    "KP8": Source.SKM_FOLLOWUP,  # Persentase tindak lanjut hasil SKM
    "KP9": Source.SKM_FOLLOWUP_SPEED,  # Kecepatan tindak lanjut hasil SKM
    "KONSULTASI": Source.COMPLAINTS,  # Konsultasi dan Pengaduan
}


@dataclass(frozen=True)
class SkmFacts:
    """What the system knows of a unit's SKM in a year (None: not recorded)."""

    done: bool
    respondents: int = 0
    published: bool | None = None
    #: Share (0–1) of the SKM's follow-up actions carried out.
    followup_share: Fraction | None = None
    #: Share (0–1) of the actions carried out that were done by their due date.
    followup_on_time_share: Fraction | None = None


@dataclass(frozen=True)
class UnitData:
    """Everything a suggestion may draw on, for one unit and year."""

    standard: int | None
    publication: int | None
    maklumat: bool
    skm: SkmFacts
    complaints: int | None


def _yes_no(*, value: bool | None) -> int | None:
    return None if value is None else (FULL if value else NONE_AT_ALL)


def _share_score(share: Fraction | None, what: str) -> int | None:
    """5 × a share (0–1), rounded down; None stays None."""
    if share is None:
        return None
    if not 0 <= share <= 1:
        raise ValueError(f"{what} must be between 0 and 1, got {share}")
    return math.floor(FULL * share)


def suggest(source: Source | str, data: UnitData) -> int | None:
    """The suggested score (0–5) for an indicator pre-filled from ``source``, or None."""
    match Source(source):
        case Source.STANDARD:
            return data.standard
        case Source.STANDARD_PUBLISHED:
            return data.publication
        case Source.MAKLUMAT:
            return _yes_no(value=data.maklumat)
        case Source.SKM_DONE:
            return _yes_no(value=data.skm.done)
        case Source.SKM_PUBLISHED:
            return _yes_no(value=data.skm.published)
        case Source.SKM_FOLLOWUP:
            return _share_score(data.skm.followup_share, "followup_share")
        case Source.SKM_FOLLOWUP_SPEED:
            return _share_score(data.skm.followup_on_time_share, "followup_on_time_share")
        case Source.COMPLAINTS:
            return data.complaints
        case _:
            return None
