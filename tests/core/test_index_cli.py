"""``satupintu index``: IKM from a CSV, categories and sample size, in-process and as a script."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SATUPINTU = Path(sys.executable).with_name("satupintu")

# Nine respondents, hand-computed (blank = not answered):
#
#        U1 U2 U3 U4 U5 U6 U7 U8 U9
#   R1    4  4  4  4  4  4  4  4  4
#   R2    3  3  3  4  3  3  3  3  3
#   R3    4  3  3  4  4  4  4  3  4
#   R4    3  3  2  4  3  3  4  3  3
#   R5    4  4  3  4  3  4  4  4  .
#   R6    2  3  3  4  3  3  3  3  3
#   R7    4  4  4  4  4  4  4  4  4
#   R8    3  2  3  4  3  3  3  3  2
#   R9    4  3  3  .  3  4  4  3  3
#
# Sums: U1 31, U2 29, U3 28, U4 32 (8 answers), U5 30, U6 32, U7 33, U8 30, U9 26 (8 answers).
# NRR:  31/9 = 3.44, 29/9 = 3.22, 28/9 = 3.11, 32/8 = 4.00, 30/9 = 3.33, 32/9 = 3.56,
#       33/9 = 3.67, 30/9 = 3.33, 26/8 = 3.25.
# Σ NRR = (31 + 29 + 28 + 30 + 32 + 33 + 30)/9 + 4 + 3.25 = 213/9 + 7.25 = 371/12 = 30.9167
# NRR tertimbang = Σ NRR × 1/9 = 371/108 = 3.4352
# IKM = 371/108 × 25 = 9275/108 = 85.8796... -> 85.88: mutu B, kinerja Baik (76.61 – 88.30).
NINE = """\
Timestamp,U1,U2,U3,U4,U5,U6,U7,U8,U9
2024-05-01,4,4,4,4,4,4,4,4,4
2024-05-01,3,3,3,4,3,3,3,3,3
2024-05-01,4,3,3,4,4,4,4,3,4
2024-05-02,3,3,2,4,3,3,4,3,3
2024-05-02,4,4,3,4,3,4,4,4,
2024-05-02,2,3,3,4,3,3,3,3,3
2024-05-03,4,4,4,4,4,4,4,4,4
2024-05-03,3,2,3,4,3,3,3,3,2
2024-05-03,4,3,3,,3,4,4,3,3
"""
NINE_NRR = ["3.44", "3.22", "3.11", "4.00", "3.33", "3.56", "3.67", "3.33", "3.25"]


class TtyStringIO(StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str) -> str:
    out = StringIO()
    call_command("index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def write(tmp_path: Path, text: str, name: str = "skm.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return str(path)


def table(output: str) -> dict[str, list[str]]:
    """Plain table rows by their first cell (unit names here have no double spaces)."""
    rows = {}
    for line in output.splitlines():
        cells = [cell for cell in line.split("  ") if cell.strip()]
        rows[cells[0].strip()] = [cell.strip() for cell in cells[1:]]
    return rows


def pairs(output: str) -> dict[str, str]:
    return {
        key: value.strip() for key, value in (line.split(None, 1) for line in output.splitlines())
    }


# ----------------------------------------------------------------------------- ikm


def test_ikm_nine_respondents_by_hand(tmp_path: Path) -> None:
    rows = table(run("ikm", write(tmp_path, NINE)))
    assert rows["unit"] == [
        "respondents",
        *[f"U{i}" for i in range(1, 10)],
        "IKM",
        "mutu",
        "kinerja",
    ]
    assert rows["overall"] == ["9", *NINE_NRR, "85.88", "B", "Baik"]
    assert len(rows) == 2  # no unit column: the overall row only


def test_ikm_per_unit_and_pooled_overall(tmp_path: Path) -> None:
    text = (
        "unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\n"
        + "Puskesmas Beji,4,4,4,4,4,4,4,4,4\n" * 2
        + "Puskesmas Sawangan,1,1,1,1,1,1,1,1,1\n"
    )
    rows = table(run("ikm", write(tmp_path, text)))
    assert rows["Puskesmas Beji"] == ["2", *["4.00"] * 9, "100.00", "A", "Sangat Baik"]
    assert rows["Puskesmas Sawangan"] == ["1", *["1.00"] * 9, "25.00", "D", "Tidak Baik"]
    # Pooled answers: NRR (4 + 4 + 1) / 3 = 3 per unsur -> 75.00, C (not 62.5, the mean of units).
    assert rows["overall"] == ["3", *["3.00"] * 9, "75.00", "C", "Kurang Baik"]
    lines = run("ikm", str(tmp_path / "skm.csv")).splitlines()
    assert [line.split("  ")[0] for line in lines] == [
        "unit",
        "Puskesmas Beji",
        "Puskesmas Sawangan",
        "overall",
    ]


def test_ikm_semicolons_bom_crlf_blank_lines_and_quotes(tmp_path: Path) -> None:
    # A spreadsheet export: BOM, semicolons, CRLF, upper-case headers, quoted unit with a
    # semicolon, an empty line and a line of empty cells, cells padded with spaces.
    text = (
        '\ufeff"Unit";U1;U2;U3;U4;U5;U6;U7;U8;U9\r\n'
        '"Dukcapil; loket 1";4;4;4;4;4;4;4;4;4\r\n'
        "\r\n"
        ";;;;;;;;;\r\n"
        "Dukcapil; 3 ;3;3;3;3;3;3;3;3\r\n"
        ";2;2;2;2;2;2;2;2;2\r\n"
    )
    rows = table(run("ikm", write(tmp_path, text)))
    assert rows["Dukcapil; loket 1"][:2] == ["1", "4.00"]
    assert rows["Dukcapil"][:2] == ["1", "3.00"]
    assert rows["(no unit)"][:2] == ["1", "2.00"]
    assert rows["overall"] == ["3", *["3.00"] * 9, "75.00", "C", "Kurang Baik"]


def test_ikm_rich_table_on_a_terminal(tmp_path: Path) -> None:
    out = TtyStringIO()
    call_command("index", "ikm", write(tmp_path, NINE), stdout=out)
    text = out.getvalue()
    assert "85.88" in text
    assert "Baik" in text
    assert "\x1b[" in text or "─" in text  # rich styling / rules, not the plain layout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\n", "no respondents"),
        ("unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\n\n,,,,,,,,,\n", "no respondents"),
        ("u1,u2,u3,u4,u5,u6,u7,u8\n1,2,3,4,1,2,3,4\n", "missing column(s) u9"),
        ("nama,alamat\nBudi,Depok\n", "missing column(s) u1, u2, u3"),
        ('{"u1": 4, "u2": 3}\n', "missing column(s)"),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9,U1\n", "duplicate column(s) u1"),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n4,4,4,4\n", "line 3: expected 9 fields"),
        (
            "u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4,4\n",
            "found 10",
        ),
        (
            "u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n\n4,4,5,4,4,4,4,4,4\n",
            "line 4, column u3: '5' is not a score 1–4",
        ),
        (
            "u1,u2,u3,u4,u5,u6,u7,u8,u9\n0,4,4,4,4,4,4,4,4\n",
            "line 2, column u1: '0' is not a score 1–4",
        ),
        (
            "u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,sangat baik\n",
            "line 2, column u9: 'sangat baik' is not a score 1–4",
        ),
        (
            # A quoted unit spanning two lines: the line number is the file's, not the row's.
            'unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\n"Kantor\nKecamatan",4,4,4,4,4,4,4,4,4\n'
            "A,4,4,4,4,4,4,4,4,3.5\n",
            "line 4, column u9: '3.5'",
        ),
        (
            "unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\nA,4,4,4,4,4,4,4,4,\nB,4,4,4,4,4,4,4,4,4\n",
            "unit 'A': nobody answered U9",
        ),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,\x00,4,4,4,4\n", "column u5: '\\x00' is not a score"),
        ("u1,u2,u3,u4,u5,u6,u7,u8,u9\n" + "4" * 200_000 + "\n", "not a valid CSV"),
    ],
)
def test_ikm_bad_files(tmp_path: Path, text: str, message: str) -> None:
    assert message in fails("ikm", write(tmp_path, text))


def test_ikm_error_line_in_a_later_batch(tmp_path: Path) -> None:
    from satupintu.core.management.commands.index import BATCH

    body = "1,2,3,4,1,2,3,4,1\n" * (BATCH + 10)
    text = "u1,u2,u3,u4,u5,u6,u7,u8,u9\n" + body + "1,2,3,4,9,2,3,4,1\n"
    assert f"line {BATCH + 12}, column u5: '9'" in fails("ikm", write(tmp_path, text))


def test_ikm_not_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd")
    assert "not a CSV text file" in fails("ikm", str(path))


def test_ikm_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in fails("ikm", str(tmp_path / "nope.csv"))
    assert "cannot read" in fails("ikm", str(tmp_path))  # a directory


# ----------------------------------------------------------------------------- category


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("ikm", "89.13"), {"code": "A", "label": "Sangat Baik", "perception": "4"}),
        (("ikm", "88,30"), {"value": "88.30", "code": "B", "label": "Baik"}),
        (("pekppp", "4.48"), {"code": "A-", "label": "Sangat Baik"}),
        (("pekppp", "4.505"), {"value": "4.51", "code": "A", "label": "Pelayanan Prima"}),
        (("sakip", "80"), {"code": "BB"}),
        (("sakip", "80.01"), {"code": "A", "label": "Memuaskan"}),
        (
            ("ombudsman", "70.07", "--year", "2021"),
            {"code": "kuning", "label": "Kepatuhan Sedang", "zone": "kuning"},
        ),
        (
            ("ombudsman", "94.74", "--year", "2022"),
            {"code": "A", "label": "Kualitas Tertinggi", "zone": "hijau"},
        ),
        (
            ("OMBUDSMAN", "31.99", "--year=2025"),
            {"code": "E", "zone": "hitam"},
        ),
    ],
)
def test_category(args: tuple[str, ...], expected: dict[str, str]) -> None:
    found = pairs(run("category", *args))
    assert {key: found.get(key) for key in expected} == expected


def test_category_marks_defaults() -> None:
    plain = pairs(run("category", "ikm", "89.13"))
    assert "note" not in plain
    assert plain["source"] == "domain.md §3.3"
    note = pairs(run("category", "pekppp", "4.48"))["note"]
    assert note.startswith("default, ranges UNCONFIRMED")
    assert pairs(run("category", "ombudsman", "70", "--year", "2025"))["scheme"].startswith(
        "Opini Ombudsman 2025"
    )


def test_category_on_a_terminal() -> None:
    out = TtyStringIO()
    call_command("index", "category", "ikm", "89.13", stdout=out)
    assert "Sangat Baik" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ombudsman", "70.07"), "ombudsman needs --year"),
        (("ikm", "89", "--year", "2021"), "--year applies only to ombudsman"),
        (("ombudsman", "70", "--year", "dua ribu"), "invalid year 'dua ribu'"),
        (("ikm", "101"), "IKM must be between 25 and 100"),
        (("ikm", "24.99"), "IKM must be between 25 and 100"),
        (("pekppp", "5.5"), "PEKPPP index must be between 0 and 5"),
        (("sakip", "-1"), "SAKIP score must be between 0 and 100"),
        (("ombudsman", "100.5", "--year", "2023"), "must be between 0 and 100"),
        (("ikm", "abc"), "invalid VALUE 'abc'"),
        (("ikm", "NaN"), "finite"),
        (("zi", "80"), "unknown KIND 'zi': expected one of ikm, pekppp, ombudsman, sakip"),
    ],
)
def test_category_errors(args: tuple[str, ...], message: str) -> None:
    assert message in fails("category", *args)


# ----------------------------------------------------------------------------- sample


@pytest.mark.parametrize(
    ("population", "sample"),
    [("100", "80"), ("500", "217"), ("10000", "370"), ("100000", "383"), ("1000000", "384")],
)
def test_sample(population: str, sample: str) -> None:
    assert run("sample", population) == f"{sample}\n"


@pytest.mark.parametrize(
    ("population", "message"),
    [("0", "at least 1"), ("-3", "at least 1"), ("lima", "invalid population N 'lima'")],
)
def test_sample_errors(population: str, message: str) -> None:
    assert message in fails("sample", population)


# ----------------------------------------------------------------------------- console script


def test_console_script_exit_codes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SATUPINTU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "satupintu.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - fixed executable, test arguments
            [str(SATUPINTU), "index", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    good = cli("ikm", write(tmp_path, NINE))
    assert good.returncode == 0, good.stderr
    assert "85.88" in good.stdout
    bad = cli("category", "ombudsman", "70.07")
    assert bad.returncode == 2
    assert "needs --year" in bad.stderr
    assert "Traceback" not in bad.stderr
