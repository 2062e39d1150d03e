"""The words of a mail (channels/mailtext.py): quoted text and signatures cut from replies,
HTML read as text, the language guessed, titles from subjects."""

from __future__ import annotations

import pytest

from satupintu.channels import mailtext


@pytest.mark.parametrize(
    "reply",
    [
        # Gmail in English, its "On … wrote:" line wrapped in two.
        "Masih rusak.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Lapor Kota <lapor@pemda.example.id>\n"
        "wrote:\n> Laporan Anda kami terima.\n",
        # Gmail in Indonesian.
        "Masih rusak.\n\nPada tanggal Sen, 7 Des 2026 10.00, Lapor Kota "
        "<lapor@pemda.example.id> menulis:\n\n> Laporan Anda kami terima.\n",
        # Outlook.
        "Masih rusak.\n\n________________________________\nFrom: Lapor Kota\n"
        "Sent: Monday, 7 December 2026 10:00\nSubject: Laporan\n\nLaporan Anda kami terima.\n",
        "Masih rusak.\n\nFrom: Lapor Kota <lapor@pemda.example.id>\nSent: Monday\n\nIsi lama\n",
        "Masih rusak.\n\n-----Original Message-----\nIsi lama\n",
        # Interleaved quotes, a signature and a phone's footer.
        "> Laporan Anda kami terima.\nMasih rusak.\n> Balas surel ini\n\n-- \nBudi\n",
        "Masih rusak.\n\nSent from my iPhone\n",
        "Masih rusak.\r\n\r\nDikirim dari ponsel saya\r\n",
    ],
)
def test_a_reply_keeps_only_what_the_person_wrote(reply: str) -> None:
    assert mailtext.strip_reply(reply) == "Masih rusak."


def test_a_reply_keeps_its_own_lines_and_paragraphs() -> None:
    text = "Baris satu\nbaris dua\n\n\n\nParagraf dua\x00\n\nOn Mon, X wrote:\n> lama"
    assert mailtext.strip_reply(text) == "Baris satu\nbaris dua\n\nParagraf dua"


def test_a_new_mail_keeps_what_it_forwards_but_not_its_signature() -> None:
    text = "Mohon ditindaklanjuti.\n\n> Jalan rusak di RT 3\n\n-- \nBudi Santoso\n0812"
    assert mailtext.strip_signature(text) == "Mohon ditindaklanjuti.\n\n> Jalan rusak di RT 3"


def test_html_becomes_readable_text() -> None:
    html = (
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<div>Jalan <b>rusak</b> &amp; berlubang</div><div>di RT 3<br>RW 5</div>"
        "<ul><li>satu</li><li>dua</li></ul><script>alert(1)</script>"
        "<p>Terima kasih</p></body></html>"
    )
    assert mailtext.html_to_text(html) == (
        "Jalan rusak & berlubang\ndi RT 3\nRW 5\n\nsatu\ndua\n\nTerima kasih"
    )


def test_an_html_reply_loses_its_blockquote() -> None:
    html = (
        "<div>Masih rusak.</div><div class='gmail_quote'>"
        "<blockquote><p>Laporan Anda kami terima.</p></blockquote></div>"
    )
    assert mailtext.strip_reply(mailtext.html_to_text(html)) == "Masih rusak."


def test_broken_html_still_gives_its_text() -> None:
    assert mailtext.html_to_text("<p>Jalan <b>rusak<p>di <") == "Jalan rusak\n\ndi <"


@pytest.mark.parametrize(
    ("text", "header", "language"),
    [
        ("The street light near my house has been broken for a week, please fix it.", "", "en"),
        ("Lampu jalan di depan rumah saya sudah mati sejak seminggu, mohon diperbaiki.", "", "id"),
        ("Mohon bantuan, the light is broken di jalan ini dan sudah lama tidak ada", "", "id"),
        ("Lampu mati", "en-GB", "en"),
        ("The street light has been broken for a week and it is dark", "id", "id"),
        ("", "", "id"),
    ],
)
def test_the_language_is_indonesian_unless_clearly_english(
    text: str, header: str, language: str
) -> None:
    assert mailtext.guess_language(text, header) == language


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Re: Fwd: [ABCDE-FGHJK] Lampu mati", "Lampu mati"),
        ("Balas: RE: Jalan rusak", "Jalan rusak"),
        ("AW:  Sampah\n menumpuk", "Sampah menumpuk"),
        ("", "Lampu jalan di depan rumah nomor 12 Jl. Melati sudah"),
    ],
)
def test_a_title_from_the_subject_or_the_first_words(subject: str, title: str) -> None:
    text = "Lampu jalan di depan rumah nomor 12 Jl. Melati sudah mati sejak seminggu."
    assert mailtext.title_from(subject, text) == title


def test_a_long_title_is_cut() -> None:
    assert mailtext.title_from("x" * 300, "", max_len=200) == "x" * 199 + "…"
