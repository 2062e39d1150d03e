"""Service standard components (UU 25/2009 Art. 21) and the default rubric."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.evaluation.standard import (
    COMPONENT_KEYS,
    COMPONENTS,
    DELIVERY_KEYS,
    Group,
    ServiceFacts,
    filled_components,
    missing_components,
    publication_score,
    publish_problems,
    review_cutoff,
    reviewed_recently,
    service_score,
    unit_score,
)


def test_the_law_lists_fourteen_components_a_to_n() -> None:
    assert len(COMPONENTS) == 14
    assert [c.letter for c in COMPONENTS] == list("abcdefghijklmn")
    assert len(set(COMPONENT_KEYS)) == 14
    assert COMPONENTS[0].name == "Dasar hukum"
    assert COMPONENTS[-1].name == "Evaluasi kinerja pelaksana"
    # PermenPANRB 15/2014: six service-delivery components, eight of running the service.
    assert DELIVERY_KEYS == (
        "requirements",
        "procedure",
        "duration",
        "cost",
        "product",
        "complaint_handling",
    )
    assert sum(c.group is Group.MANUFACTURING for c in COMPONENTS) == 8


def test_blank_text_is_a_missing_component() -> None:
    texts = {"requirements": "KTP asli", "procedure": "   ", "cost": "Gratis", "other": "x"}
    assert filled_components(texts) == {"requirements", "cost"}
    assert missing_components(texts, Group.DELIVERY) == (
        "procedure",
        "duration",
        "product",
        "complaint_handling",
    )
    assert publish_problems(texts) == missing_components(texts, Group.DELIVERY)
    assert publish_problems(dict.fromkeys(DELIVERY_KEYS, "isi")) == ()


@pytest.mark.parametrize(
    ("facts", "score"),
    [
        (ServiceFacts(filled=0), 0),
        (ServiceFacts(filled=6, stipulated=True, participation=True, reviewed=True), 1),
        (ServiceFacts(filled=13), 1),
        (ServiceFacts(filled=14), 2),
        (ServiceFacts(filled=14, stipulated=True), 3),
        (ServiceFacts(filled=14, stipulated=True, participation=True), 4),
        # domain.md §4.1: 5 = 14 components + participation + stipulation + monev.
        (ServiceFacts(filled=14, stipulated=True, participation=True, reviewed=True), 5),
    ],
)
def test_rubric_steps(facts: ServiceFacts, score: int) -> None:
    assert service_score(facts) == score


def test_service_facts_refuse_impossible_counts() -> None:
    with pytest.raises(ValueError, match="0–14"):
        ServiceFacts(filled=15)


def test_unit_score_is_the_mean_rounded_down() -> None:
    full = ServiceFacts(14, stipulated=True, participation=True, reviewed=True)
    assert unit_score([]) is None
    assert unit_score([full]) == 5
    assert unit_score([full, ServiceFacts(14, stipulated=True, participation=True)]) == 4
    assert unit_score([full, ServiceFacts(0)]) == 2  # 2.5 -> 2


@given(st.lists(st.integers(0, 14), min_size=1, max_size=20))
def test_unit_score_stays_within_its_services(filled: list[int]) -> None:
    services = [ServiceFacts(n) for n in filled]
    scores = [service_score(s) for s in services]
    assert min(scores) <= (unit_score(services) or 0) <= max(scores)


def test_publication_score() -> None:
    assert publication_score(0, 0) is None
    assert publication_score(4, 0) == 0
    assert publication_score(3, 2) == 3  # 3.33 -> 3
    assert publication_score(4, 4) == 5
    with pytest.raises(ValueError, match="between 0 and total"):
        publication_score(2, 3)


def test_reviewed_recently_means_within_twelve_months() -> None:
    today = dt.date(2025, 3, 5)
    assert reviewed_recently(dt.date(2024, 3, 6), today)
    assert not reviewed_recently(dt.date(2024, 3, 5), today)
    assert reviewed_recently(today, today)
    assert not reviewed_recently(dt.date(2025, 3, 6), today)  # not in the future
    assert not reviewed_recently(None, today)


def test_review_cutoff_handles_short_months() -> None:
    assert review_cutoff(dt.date(2025, 3, 5)) == dt.date(2024, 3, 5)
    assert review_cutoff(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert review_cutoff(dt.date(2025, 1, 31)) == dt.date(2024, 1, 31)
