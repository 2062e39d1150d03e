"""PEKPPP suggestions from what the system knows."""

from __future__ import annotations

from fractions import Fraction

import pytest

from satupintu.domain.evaluation.prefill import (
    DEFAULT_SOURCES,
    SkmFacts,
    Source,
    UnitData,
    suggest,
)
from satupintu.domain.indices import PEKPPP_2023


def data(**overrides: object) -> UnitData:
    values: dict[str, object] = {
        "standard": 4,
        "publication": 3,
        "maklumat": True,
        "skm": SkmFacts(done=True, respondents=120),
        "complaints": 2,
    }
    values.update(overrides)
    return UnitData(**values)  # type: ignore[arg-type]


def test_every_default_source_names_an_indicator_of_the_2023_instrument() -> None:
    assert set(DEFAULT_SOURCES) <= set(PEKPPP_2023.indicator_codes)


def test_suggestions() -> None:
    d = data()
    assert suggest(Source.STANDARD, d) == 4
    assert suggest("standard_published", d) == 3
    assert suggest(Source.MAKLUMAT, d) == 5
    assert suggest(Source.MAKLUMAT, data(maklumat=False)) == 0
    assert suggest(Source.SKM_DONE, d) == 5
    assert suggest(Source.SKM_DONE, data(skm=SkmFacts(done=False))) == 0
    assert suggest(Source.COMPLAINTS, d) == 2
    assert suggest(Source.NONE, d) is None


def test_what_the_system_does_not_know_gets_no_suggestion() -> None:
    unknown = data(standard=None, publication=None, complaints=None)
    assert suggest(Source.STANDARD, unknown) is None
    assert suggest(Source.COMPLAINTS, unknown) is None
    assert suggest(Source.SKM_PUBLISHED, unknown) is None
    assert suggest(Source.SKM_FOLLOWUP, unknown) is None


def test_skm_publication_and_follow_up_when_known() -> None:
    skm = SkmFacts(
        done=True,
        published=True,
        followup_share=Fraction(7, 10),
        followup_on_time_share=Fraction(1, 2),
    )
    assert suggest(Source.SKM_PUBLISHED, data(skm=skm)) == 5
    assert suggest(Source.SKM_FOLLOWUP, data(skm=skm)) == 3
    assert suggest(Source.SKM_FOLLOWUP_SPEED, data(skm=skm)) == 2
    assert suggest(Source.SKM_FOLLOWUP_SPEED, data()) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        suggest(Source.SKM_FOLLOWUP, data(skm=SkmFacts(done=True, followup_share=Fraction(2))))


def test_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError, match="not a valid Source"):
        suggest("weather", data())
