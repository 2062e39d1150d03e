"""Standar pelayanan (service standard): its 14 components and the default scoring rubrics.

Pure Python, no Django.

* UU 25/2009 Art. 21 lists the components every service standard contains, letters a–n:
  dasar hukum; persyaratan; sistem, mekanisme, dan prosedur; jangka waktu penyelesaian;
  biaya/tarif; produk pelayanan; sarana, prasarana, dan/atau fasilitas; kompetensi pelaksana;
  pengawasan internal; penanganan pengaduan, saran, dan masukan; jumlah pelaksana; jaminan
  pelayanan; jaminan keamanan dan keselamatan pelayanan; evaluasi kinerja pelaksana.
* PermenPANRB 15/2014 (Pedoman Standar Pelayanan) groups them into the six that concern the
  delivery of the service to the public (*service delivery*: persyaratan, prosedur, jangka waktu,
  biaya, produk, penanganan pengaduan) and the eight that concern running it (*manufacturing*).
  The grouping was read in a regulation that restates it (PMK 46/2021); the text of
  PermenPANRB 15/2014 itself was not read.

Defaults (not set by a regulation read here; see docs/evaluation.md):

* a service may be published on the portal once its six service-delivery components are filled;
* the PEKPPP rubric for "Standar Pelayanan sesuai ketentuan" (domain.md §4.1 quotes its top step:
  "5 = 14 components + participation + stipulation + monev"): 0 nothing written, 1 some
  components, 2 all 14, plus one step each for stipulation by decree (penetapan), community
  participation (pelibatan masyarakat) and a review within the last 12 months (monev);
* a unit's score is the mean of its services' scores, rounded down.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

__all__ = [
    "COMPONENTS",
    "COMPONENT_KEYS",
    "DELIVERY_KEYS",
    "REVIEW_MONTHS",
    "Component",
    "Group",
    "ServiceFacts",
    "filled_components",
    "missing_components",
    "publication_score",
    "publish_problems",
    "review_cutoff",
    "reviewed_recently",
    "service_score",
    "unit_score",
]


class Group(StrEnum):
    """PermenPANRB 15/2014: components of delivering the service vs. of running it."""

    DELIVERY = "delivery"
    MANUFACTURING = "manufacturing"


@dataclass(frozen=True)
class Component:
    #: Name of the field that holds the component's text.
    key: str
    #: The letter of UU 25/2009 Art. 21.
    letter: str
    #: The component's name as the law writes it.
    name: str
    group: Group


_D, _M = Group.DELIVERY, Group.MANUFACTURING

#: UU 25/2009 Art. 21 (a)–(n), in the law's order.
COMPONENTS: Final[tuple[Component, ...]] = (
    Component("legal_basis", "a", "Dasar hukum", _M),
    Component("requirements", "b", "Persyaratan", _D),
    Component("procedure", "c", "Sistem, mekanisme, dan prosedur", _D),
    Component("duration", "d", "Jangka waktu penyelesaian", _D),
    Component("cost", "e", "Biaya/tarif", _D),
    Component("product", "f", "Produk pelayanan", _D),
    Component("facilities", "g", "Sarana, prasarana, dan/atau fasilitas", _M),
    Component("competence", "h", "Kompetensi pelaksana", _M),
    Component("internal_supervision", "i", "Pengawasan internal", _M),
    Component("complaint_handling", "j", "Penanganan pengaduan, saran, dan masukan", _D),
    Component("staff_count", "k", "Jumlah pelaksana", _M),
    Component("service_guarantee", "l", "Jaminan pelayanan", _M),
    Component("safety_guarantee", "m", "Jaminan keamanan dan keselamatan pelayanan", _M),
    Component("performance_evaluation", "n", "Evaluasi kinerja pelaksana", _M),
)
COMPONENT_KEYS: Final = tuple(c.key for c in COMPONENTS)
DELIVERY_KEYS: Final = tuple(c.key for c in COMPONENTS if c.group is Group.DELIVERY)

#: A standard reviewed within this many months counts as reviewed (monev); a default.
REVIEW_MONTHS: Final = 12


def filled_components(texts: Mapping[str, str]) -> frozenset[str]:
    """The component keys whose text is not blank."""
    return frozenset(key for key in COMPONENT_KEYS if (texts.get(key) or "").strip())


def missing_components(texts: Mapping[str, str], group: Group | None = None) -> tuple[str, ...]:
    """Keys of the blank components (of one group, or all), in the law's order."""
    filled = filled_components(texts)
    return tuple(
        c.key for c in COMPONENTS if c.key not in filled and (group is None or c.group is group)
    )


def publish_problems(texts: Mapping[str, str]) -> tuple[str, ...]:
    """The service-delivery components still blank: a service is published once there are none."""
    return missing_components(texts, Group.DELIVERY)


def review_cutoff(today: dt.date) -> dt.date:
    """The day REVIEW_MONTHS months before ``today`` (the 28th for a 29 February that is gone)."""
    months = today.year * 12 + today.month - 1 - REVIEW_MONTHS
    year, month = divmod(months, 12)
    day = today.day
    while True:
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            day -= 1


def reviewed_recently(reviewed_on: dt.date | None, today: dt.date) -> bool:
    """Reviewed after ``review_cutoff(today)`` and not in the future."""
    return reviewed_on is not None and review_cutoff(today) < reviewed_on <= today


@dataclass(frozen=True)
class ServiceFacts:
    """What the catalogue knows about one service standard."""

    filled: int
    stipulated: bool = False
    participation: bool = False
    reviewed: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.filled <= len(COMPONENTS):
            raise ValueError(f"filled must be 0–{len(COMPONENTS)}, got {self.filled}")


def service_score(service: ServiceFacts) -> int:
    """The default PEKPPP rubric (0–5) for one service standard (module docstring)."""
    if service.filled == 0:
        return 0
    if service.filled < len(COMPONENTS):
        return 1
    return 2 + sum((service.stipulated, service.participation, service.reviewed))


def unit_score(services: Iterable[ServiceFacts]) -> int | None:
    """Mean of the services' scores, rounded down; None for a unit without services."""
    scores = [service_score(s) for s in services]
    if not scores:
        return None
    return math.floor(Fraction(sum(scores), len(scores)))


def publication_score(total: int, published: int) -> int | None:
    """0–5 for the share of a unit's services published (rounded down); None without services."""
    if total < 0 or not 0 <= published <= total:
        raise ValueError(f"published ({published}) must be between 0 and total ({total})")
    if total == 0:
        return None
    return math.floor(Fraction(5 * published, total))
