"""Service-quality indices: pure calculators, no Django (domain.md §2–§5).

* :mod:`.ikm` — Indeks Kepuasan Masyarakat from SKM answers (PermenPANRB 14/2017, §3.2–§3.3);
* :mod:`.sample` — Krejcie–Morgan SKM sample size (§3.4);
* :mod:`.pekppp` — PEKPPP / Indeks Pelayanan Publik and its category (§4);
* :mod:`.ombudsman` — Ombudsman compliance zone / opinion by assessment year (§2);
* :mod:`.sakip` — SAKIP predikat (PermenPANRB 88/2021, §5);
* :mod:`.bands` — the category tables they share (:class:`Scheme`, :class:`Band`, :class:`Grade`).

Every category function returns a frozen :class:`Grade` (value, code, label, zone, scheme, source,
unconfirmed). Tables marked UNCONFIRMED in domain.md are defaults: pass another :class:`Scheme`.
See docs/indices.md.
"""

from __future__ import annotations

from satupintu.domain.indices.bands import (
    Band,
    Grade,
    Number,
    Scheme,
    round2,
    round_to,
    to_fraction,
)
from satupintu.domain.indices.ikm import (
    IKM_CATEGORIES,
    SKM_2017,
    Element,
    ElementResult,
    IkmGrade,
    IkmResult,
    IkmSummary,
    IkmTally,
    Questionnaire,
    Score,
    ScoreError,
    ikm,
    ikm_by_unit,
    ikm_category,
    ikm_from_totals,
    parse_score,
)
from satupintu.domain.indices.ombudsman import (
    OMBUDSMAN_2021,
    OMBUDSMAN_2022,
    OMBUDSMAN_2025,
    ombudsman_category,
    ombudsman_scheme,
)
from satupintu.domain.indices.pekppp import (
    PEKPPP_2023,
    PEKPPP_CATEGORIES,
    Aspect,
    AspectResult,
    Indicator,
    Instrument,
    PekpppResult,
    pct,
    pekppp_category,
    pekppp_index,
)
from satupintu.domain.indices.sakip import SAKIP_2021, sakip_category
from satupintu.domain.indices.sample import sample_size

__all__ = [
    "IKM_CATEGORIES",
    "OMBUDSMAN_2021",
    "OMBUDSMAN_2022",
    "OMBUDSMAN_2025",
    "PEKPPP_2023",
    "PEKPPP_CATEGORIES",
    "SAKIP_2021",
    "SKM_2017",
    "Aspect",
    "AspectResult",
    "Band",
    "Element",
    "ElementResult",
    "Grade",
    "IkmGrade",
    "IkmResult",
    "IkmSummary",
    "IkmTally",
    "Indicator",
    "Instrument",
    "Number",
    "PekpppResult",
    "Questionnaire",
    "Scheme",
    "Score",
    "ScoreError",
    "ikm",
    "ikm_by_unit",
    "ikm_from_totals",
    "ikm_category",
    "ombudsman_category",
    "ombudsman_scheme",
    "parse_score",
    "pct",
    "pekppp_category",
    "pekppp_index",
    "round2",
    "round_to",
    "sakip_category",
    "sample_size",
    "to_fraction",
]
