"""Indonesian administrative regions packaged with the product.

The data is the Kepmendagri No 300.2.2-2138/2025 code list (provinsi, kabupaten/kota, kecamatan,
desa/kelurahan) as published by the public repository cahyadsn/wilayah (MIT). It ships gzipped
inside the package (``satupintu/agencies/data/wilayah.csv.gz``, see ``PROVENANCE.txt`` there), so
nothing outside the installed package is read at run time.

Codes are dotted: ``32`` (Jawa Barat) → ``32.76`` (Kota Depok) → ``32.76.01`` (Kecamatan Pancoran
Mas) → ``32.76.01.1006`` (Kelurahan Depok). The fourth segment starts with ``1`` for a kelurahan
and ``2`` for a desa.

Pure Python, no Django.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

DATA_PACKAGE: Final = "satupintu.agencies.data"
DATA_FILE: Final = "wilayah.csv.gz"

PROVINCE: Final = 1
REGENCY: Final = 2  # kabupaten or kota
DISTRICT: Final = 3  # kecamatan
VILLAGE: Final = 4  # desa or kelurahan

LEVEL_NAMES: Final[dict[int, str]] = {
    PROVINCE: "provinsi",
    REGENCY: "kabupaten/kota",
    DISTRICT: "kecamatan",
    VILLAGE: "desa/kelurahan",
}

_ROMAN_LETTERS: Final = frozenset("IVXLC")


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative region.

    ``name`` is kept as in the source (stripped of surrounding whitespace); it is mostly already
    title-cased ("Kota Depok", "Pancoran Mas"). Use ``display_name`` for a consistently
    title-cased label.
    """

    code: str
    name: str
    level: int
    parent_code: str | None

    @property
    def display_name(self) -> str:
        return title_case_name(self.name)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def is_kelurahan(self) -> bool:
        """A level-4 region whose code segment starts with 1 (kelurahan, not desa)."""
        return self.level == VILLAGE and self.code.rsplit(".", 1)[-1].startswith("1")


def _is_roman(word: str) -> bool:
    return bool(word) and all(ch in _ROMAN_LETTERS for ch in word)


def _capitalize_first(word: str) -> str:
    return word[:1].upper() + word[1:]


def title_case_name(name: str) -> str:
    """Title-case a region name without mangling abbreviations or Roman numerals.

    - Whitespace is collapsed and stripped.
    - A name written entirely in capitals ("KI'E") becomes "Ki'e"; Roman numerals stay capitals.
    - In mixed-case names, words starting with a lowercase letter are capitalised
      ("Dama pulo" → "Dama Pulo"), while capitalised or all-capital words ("LB", "II", "HTI") are
      left alone. A lone "x" between numbers ("2 x 11 Kayu Tanam") is kept.
    """
    words = name.split()
    if not words:
        return ""
    all_caps = name.isupper()
    out: list[str] = []
    for i, word in enumerate(words):
        if all_caps:
            out.append(word if _is_roman(word) else word.capitalize())
        elif word == "x" and 0 < i < len(words) - 1:
            out.append(word)
        elif word[0].islower():
            out.append(_capitalize_first(word))
        else:
            out.append(word)
    return " ".join(out)


@cache
def _all_regions() -> tuple[Region, ...]:
    raw = files(DATA_PACKAGE).joinpath(DATA_FILE).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    if header != ["kode", "nama", "level", "parent_kode"]:
        raise ValueError(f"unexpected header in {DATA_FILE}: {header!r}")
    return tuple(
        Region(code=code, name=name.strip(), level=int(level), parent_code=parent or None)
        for code, name, level, parent in reader
    )


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def load_regions(prefix: str | None = None) -> list[Region]:
    """Return packaged regions, parents always before their children.

    Without ``prefix``, all 91,599 regions. With a region code such as ``"32.76"``, that region,
    its ancestors (``"32"``) and all its descendants (``"32.76.01"``, ``"32.76.01.1006"``, ...).
    Raises ``LookupError`` for a code that does not exist.
    """
    regions = _all_regions()
    if prefix is None:
        return list(regions)
    code = prefix.strip().rstrip(".")
    wanted = set(_ancestor_codes(code))
    wanted.add(code)
    below = code + "."
    if code not in _by_code():
        raise LookupError(f"unknown region code {prefix!r}")
    return [r for r in regions if r.code in wanted or r.code.startswith(below)]


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in _all_regions()}


def region_by_code(code: str) -> Region:
    """The one region with this exact code; ``LookupError`` if there is none."""
    try:
        return _by_code()[code]
    except KeyError:
        raise LookupError(f"unknown region code {code!r}") from None
