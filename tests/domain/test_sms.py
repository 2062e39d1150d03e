"""SMS parts: GSM-7 (160 / 153, extension characters count 2) and UCS-2 (70 / 67)."""

from __future__ import annotations

import pytest

from satupintu.domain import sms


def test_plain_indonesian_text_is_gsm7_and_fits_one_sms_up_to_160() -> None:
    text = "a" * 160
    assert sms.encoding(text) == "gsm7"
    assert sms.segments(text) == [text]
    assert sms.segments("Laporan Anda diterima.") == ["Laporan Anda diterima."]


def test_161_gsm7_characters_become_two_parts_of_at_most_153() -> None:
    text = "a" * 161
    parts = sms.segments(text)
    assert [len(p) for p in parts] == [153, 8]
    assert "".join(parts) == text


def test_extension_characters_count_two_septets() -> None:
    text = "€" * 80  # 160 septets: still one SMS
    assert sms.encoding(text) == "gsm7"
    assert sms.length(text) == 160
    assert sms.segments(text) == [text]
    longer = "€" * 81  # 162 septets: two parts of at most 153 septets, never half a pair
    parts = sms.segments(longer)
    assert [sms.length(p) for p in parts] == [152, 10]
    assert "".join(parts) == longer


def test_a_character_outside_gsm7_makes_the_whole_text_ucs2() -> None:
    text = "Terima kasih 🙏"
    assert sms.encoding(text) == "ucs2"
    assert sms.encoding("Ibu Sálasa") == "ucs2"  # á is not in the GSM alphabet
    assert sms.encoding("Café Ñandú") == "ucs2"  # ú is not either
    assert sms.encoding("Bàgus ÄÖÑÜ") == "gsm7"
    assert sms.segments("x" * 69 + "é") == ["x" * 69 + "é"]  # é is GSM-7


def test_ucs2_fits_70_code_units_then_parts_of_67() -> None:
    text = "ж" * 70
    assert sms.segments(text) == [text]
    parts = sms.segments("ж" * 71)
    assert [len(p) for p in parts] == [67, 4]


def test_an_emoji_outside_the_bmp_counts_two_and_is_never_split() -> None:
    text = "🙏" * 35  # 70 code units
    assert sms.length(text) == 70
    assert sms.segments(text) == [text]
    parts = sms.segments("🙏" * 36)
    assert [sms.length(p) for p in parts] == [66, 6]
    assert "".join(parts) == "🙏" * 36


def test_long_text_is_cut_at_a_space_where_one_fits() -> None:
    words = " ".join(["jalan"] * 60)  # 359 characters
    parts = sms.segments(words)
    assert "".join(parts) == words
    assert all(sms.length(p) <= sms.GSM7_PART for p in parts)
    assert all(p.endswith(" ") for p in parts[:-1])  # no word is cut
    assert len(parts) == 3


def test_a_word_longer_than_half_a_part_is_cut_between_characters() -> None:
    text = "x" * 100 + " " + "y" * 200
    parts = sms.segments(text)
    assert "".join(parts) == text
    assert parts[0] == "x" * 100 + " "
    assert [len(p) for p in parts[1:]] == [153, 47]


@pytest.mark.parametrize("text", ["", "a", "a\nb", "{" * 200])
def test_parts_always_join_back_to_the_text(text: str) -> None:
    parts = sms.segments(text)
    assert "".join(parts) == text
    plan = sms.plan(text)
    assert plan.count == len(parts)
