"""Personal data in free text, found and masked for public views (satupintu.domain.text)."""

from __future__ import annotations

import pytest

from satupintu.domain.text import MASK, Found, Kind, find_personal_data, mask_personal_data

M = MASK


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # NIK (Nomor Induk Kependudukan): 16 digits, plain or in groups.
        ("NIK 3276010101010001 ya", f"NIK {M * 16} ya"),
        ("NIK: 3276 0101 0101 0001.", f"NIK: {M * 4} {M * 4} {M * 4} {M * 4}."),
        ("3276.0101.0101.0001", f"{M * 4}.{M * 4}.{M * 4}.{M * 4}"),
        ("327601-010190-0001", f"{M * 6}-{M * 6}-{M * 4}"),
        ("32.76.01.010190.0001", f"{M * 2}.{M * 2}.{M * 2}.{M * 6}.{M * 4}"),
        # Mobile numbers: the operator's prefix stays, the subscriber's number does not.
        ("HP 081234567890", f"HP 0812{M * 8}"),
        ("hubungi 0812-3456-7890 sore", f"hubungi 0812-{M * 4}-{M * 4} sore"),
        ("WA +6281234567890", f"WA +62812{M * 8}"),
        ("+62 812 3456 7890", f"+62 812 {M * 4} {M * 4}"),
        ("62-812-3456-7890", f"62-812-{M * 4}-{M * 4}"),
        ("tel.0857123456", f"tel.0857{M * 6}"),
        # Landlines with their area code.
        ("telp (021) 7720 1234", f"telp (021) 7{M * 3} {M * 4}"),
        ("021-77201234", f"021-7{M * 7}"),
        ("0251 8321234", f"0251 {M * 7}"),
        ("+62 21 7720 1234", f"+62 21 7{M * 3} {M * 4}"),
        # E-mail addresses: the first letter and the domain stay.
        ("surel siti.aminah@example.co.id.", f"surel s{M * 3}@example.co.id."),
        ("SITI@EXAMPLE.ID", f"S{M * 3}@EXAMPLE.ID"),
        ("a@x.id,budi+lapor@mail.example.id", f"a{M * 3}@x.id,b{M * 3}@mail.example.id"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "",
        # Tracking numbers (Crockford base32, with or without their dash).
        "Nomor laporan 3F7K9-M2Q8X",
        "lacak 0812345ABC",
        # Dates and times.
        "tanggal 12-05-2025",
        "12/05/2025",
        "2025-03-05T08:00:00+07:00",
        "pukul 08.30-10.00 WIB",
        "08 12 2024",
        # Short numbers: house, RT/RW, postal code, counts, a prefix alone.
        "Jl. Margonda Raya No. 10, RT 003 RW 005",
        "kode pos 16431",
        "ada 12345 warga sejak 2019",
        "0812",
        "021 7720",
        # Region codes (Kepmendagri).
        "kelurahan 32.76.01.1001",
        "32.76",
        # Money.
        "Rp 1.500.000",
        "Rp1.500.000,00",
        "biaya Rp 15.000.000.000",
        "Rp 1.500.000.000.000.000",
        "harga 1500000",
        # Sixteen digits that cannot be a NIK (no province starts with 0), seventeen digits.
        "0276010101010001",
        "13276010101010001",
        "3276010101010001X",
        # Not an e-mail address.
        "a@b",
        "@dinas_pupr",
    ],
)
def test_what_is_not_personal_data_stays(text: str) -> None:
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


def test_findings_are_in_order_without_overlaps() -> None:
    text = "Saya Siti (NIK 3276010101010001), HP 081234567890, surel siti@example.id."
    found = find_personal_data(text)
    assert [f.kind for f in found] == [Kind.NIK, Kind.PHONE, Kind.EMAIL]
    assert [text[f.start : f.end] for f in found] == [
        "3276010101010001",
        "081234567890",
        "siti@example.id",
    ]
    assert found[0] == Found(Kind.NIK, 15, 31)
    # The digits inside an e-mail address are part of it, not a phone number.
    [email] = find_personal_data("081234567890@example.id")
    assert email.kind is Kind.EMAIL


def test_masking_keeps_the_rest_of_the_text_and_is_stable() -> None:
    text = "Lubang di depan rumah no. 12, hubungi 0812 3456 7890 atau budi@example.id."
    once = mask_personal_data(text)
    assert once == (
        f"Lubang di depan rumah no. 12, hubungi 0812 {M * 4} {M * 4} atau b{M * 3}@example.id."
    )
    assert mask_personal_data(once) == once
    assert len(once) == len(text) - len("udi") + 3
