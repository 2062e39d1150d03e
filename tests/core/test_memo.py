"""Per-process copies of master data: dropped on a change in this process, and after a while
for changes made elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.complaints import services
from satupintu.core import memo
from satupintu.core.errors import InvalidInput
from tests.conftest import City


def test_a_copy_is_rebuilt_after_its_time(monkeypatch: Any) -> None:
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    built = []
    value = memo.Refreshed(lambda: built.append(1) or len(built), seconds=60)
    assert value.get() == 1 and value.get() == 1
    now[0] += 61
    assert value.get() == 2
    value.invalidate()
    assert value.get() == 3


def test_a_map_keeps_misses_too_and_drops_everything_on_invalidate(monkeypatch: Any) -> None:
    loads: list[str] = []

    def load(key: str) -> str | None:
        loads.append(key)
        return None if key == "nope" else key.upper()

    values = memo.RefreshedMap(load)
    assert [values.get("a"), values.get("a"), values.get("nope"), values.get("nope")] == [
        "A",
        "A",
        None,
        None,
    ]
    assert loads == ["a", "nope"]
    memo.invalidate_all()
    values.get("a")
    assert loads == ["a", "nope", "a"]


def test_a_category_change_counts_at_once_for_new_reports(city: City) -> None:
    city.file(category="jalan-rusak")
    city.road.is_active = False
    city.road.save()
    with pytest.raises(InvalidInput) as refused:
        city.file(category="jalan-rusak")
    assert refused.value.fields == {"category": "Kategori tidak aktif."}


def test_a_new_question_counts_at_once(city: City) -> None:
    from satupintu.complaints.models import CategoryAttribute

    city.file(category="jalan-rusak")
    CategoryAttribute.objects.create(
        category=city.road, code="lebar", label="Lebar", datatype="number", required=True
    )
    with pytest.raises(InvalidInput) as refused:
        city.file(category="jalan-rusak")
    assert refused.value.fields == {"attributes.lebar": "Wajib diisi."}
    report, _ = services.report_receive(
        actor=None,
        channel="web",
        title="Jalan berlubang",
        description="Lubang besar di depan sekolah dasar.",
        category="jalan-rusak",
        attributes={"lebar": "30"},
    )
    assert report.attributes == {"lebar": "30"}


def test_a_map_loads_what_it_lacks_in_one_call(monkeypatch: Any) -> None:
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    batches: list[list[int]] = []

    def load_many(keys: list[int]) -> dict[int, str]:
        batches.append(keys)
        return {k: f"row {k}" for k in keys if k < 100}

    values = memo.RefreshedMap(lambda k: None, load_many=load_many)
    assert values.get_many([1, 2, 2, 500]) == {1: "row 1", 2: "row 2", 500: None}
    assert values.get_many([2, 3]) == {2: "row 2", 3: "row 3"}
    assert values.get(1) == "row 1" and values.get(500) is None
    assert batches == [[1, 2, 500], [3]]
    now[0] += 61  # stale: loaded again, together
    assert values.get_many([1, 3]) == {1: "row 1", 3: "row 3"}
    assert batches[-1] == [1, 3]
