"""The WhatsApp/SMS conversational intake (domain.conversation): one turn per message."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.domain import conversation as conv
from satupintu.domain.conversation import (
    DESCRIPTION_MIN,
    LANGUAGES,
    MEDIA_MAX,
    TIMEOUT,
    AddReply,
    AskStatus,
    Context,
    FileReport,
    Incoming,
    OptIn,
    Option,
    OptOut,
    ReportRef,
    Turn,
    advance,
    closed_report_text,
    filed_text,
    match_options,
    opted_in_text,
    opted_out_text,
    reply_added_text,
    status_text,
    unknown_report_text,
)
from satupintu.domain.lifecycle import ReportType

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
ROAD = Option("JLN", "Jalan rusak", "pengaduan", ("berlubang", "aspal"))
LAMP = Option("PJU", "Lampu jalan mati", "pengaduan", ("penerangan jalan",))
WASTE = Option("SMP", "Sampah menumpuk", "pengaduan", ("kebersihan", "TPS"))
LEVY = Option("PGL", "Pungutan liar", "pengaduan_pengawasan", ("pungli",))
PARK = Option("TMN", "Usulan taman kota", "aspirasi")
PERMIT = Option("IZN", "Informasi perizinan", "informasi", ("IMB", "PBG"))
CATEGORIES = (ROAD, LAMP, WASTE, LEVY, PARK, PERMIT)
DESCRIPTION = "Jalan di depan SDN 3 berlubang besar sejak Senin"


def ctx(
    channel: str = "whatsapp",
    *,
    now: dt.datetime = NOW,
    report: ReportRef | None = None,
    language: str = "id",
    categories: Sequence[Option] = CATEGORIES,
) -> Context:
    return Context(channel, now, categories, report=report, language=language)


def text(value: str) -> Incoming:
    return Incoming("text", value)


def image(media_id: str, caption: str = "") -> Incoming:
    return Incoming("image", caption, media_id=media_id)


def location(lat: float = -6.2, lon: float = 106.8, place: str = "Jl. Merdeka 1") -> Incoming:
    return Incoming("location", latitude=lat, longitude=lon, place=place)


def talk(messages: Sequence[Incoming | str], context: Context | None = None) -> list[Turn]:
    """Run the messages through one conversation; every state must survive JSON."""
    context = context or ctx()
    state: dict[str, Any] | None = None
    turns = []
    for message in messages:
        incoming = text(message) if isinstance(message, str) else message
        turn = advance(state, incoming, context)
        state = json.loads(json.dumps(turn.state, allow_nan=False))
        turns.append(turn)
    return turns


def joined(turn: Turn) -> str:
    return "\n".join(turn.replies)


# --- The guided conversation ----------------------------------------------------------------------


def test_guided_conversation_in_indonesian_files_a_report() -> None:
    turns = talk(["halo", "1", "1", DESCRIPTION, location(), image("m1"), image("m2"), "kirim"])
    assert "Selamat datang" in turns[0].replies[0]
    assert "1. Pengaduan" in joined(turns[0])
    assert "1. Jalan rusak" in joined(turns[1])
    assert "5. Lainnya / tidak tahu" in joined(turns[1])  # 4 complaint categories, then "other"
    assert "Kategori: Jalan rusak." in joined(turns[2])
    assert "lokasi" in joined(turns[3]).lower()
    assert "foto" in joined(turns[4]).lower()
    assert "(2/5)" in joined(turns[6])
    last = turns[-1]
    assert last.replies == ()
    assert last.action == FileReport(
        report_type="pengaduan",
        category_code="JLN",
        title="Jalan rusak",
        description=DESCRIPTION,
        address="Jl. Merdeka 1",
        latitude=-6.2,
        longitude=106.8,
        media_ids=("m1", "m2"),
    )
    assert last.state["step"] == "idle"
    assert all(t.language == "id" for t in turns)
    assert all(t.action is None for t in turns[:-1])


def test_guided_conversation_in_english_files_a_report() -> None:
    turns = talk(
        ["hello", "english", "2", "taman", "A bigger park near the market, please", "skip", "done"]
    )
    assert turns[1].language == "en"
    assert "Language: English." in joined(turns[1])
    assert "1. Complaint" in joined(turns[1])  # the current prompt, again, in English
    assert "1. Usulan taman kota" in joined(turns[2])
    assert "2. Other / don't know" in joined(turns[2])
    assert "Where is it?" in joined(turns[4])
    assert "Any photos" in joined(turns[5])
    action = turns[-1].action
    assert action == FileReport(
        report_type="aspirasi",
        category_code="TMN",
        title="Usulan taman kota",
        description="A bigger park near the market, please",
    )
    assert turns[-1].language == "en"
    assert turns[-1].state["language"] == "en"


def test_language_from_context_and_back_to_indonesian() -> None:
    turns = talk(["hi", "indonesia"], ctx(language="en"))
    assert "Welcome" in joined(turns[0])
    assert turns[1].language == "id"
    assert "Bahasa: Indonesia." in joined(turns[1])
    assert "Balas dengan angka" in joined(turns[1])


def test_report_type_by_word_and_bad_answers_reprompt() -> None:
    turns = talk(["halo", "9", "", location(), "informasi"])
    assert "1, 2 atau 3" in joined(turns[1])
    assert turns[1].state["step"] == "type"
    assert "1, 2 atau 3" in joined(turns[2])
    assert "Lokasi disimpan." in joined(turns[3])  # kept for later, the prompt repeated
    assert "1. Informasi perizinan" in joined(turns[4])


def test_supervisory_categories_are_listed_under_pengaduan_and_keep_their_type() -> None:
    turns = talk(["halo", "1", "pungli", DESCRIPTION, "lewati", "lewati"])
    assert "4. Pungutan liar" in joined(turns[1])
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.report_type == ReportType.SUPERVISORY_COMPLAINT.value
    assert action.category_code == "PGL"


def test_a_type_without_categories_goes_straight_to_the_description() -> None:
    turns = talk(["halo", "3"], ctx(categories=(ROAD,)))
    assert "Ceritakan" in joined(turns[1])
    turns = talk(["halo", "3", DESCRIPTION, "lewati", "kirim"], ctx(categories=(ROAD,)))
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert (action.report_type, action.category_code) == ("informasi", "")
    assert action.title == "Jalan di depan SDN 3 berlubang besar sejak Senin"


# --- Category -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("2", "PJU"),
        ("no. 3", "SMP"),
        ("Dua", "PJU"),
        ("jalan rusak", "JLN"),
        ("JALAN RUSK", "JLN"),  # one letter missing
        ("sampha", "SMP"),  # two letters swapped
        ("lampu", "PJU"),
        ("penerangan", "PJU"),  # a keyword
        ("Pungli!", "PGL"),
        ("kébersihan", "SMP"),  # accents
        ("5", ""),  # Lainnya / tidak tahu
        ("tidak tahu", ""),
        ("lainnya", ""),
    ],
)
def test_category_by_number_or_words(answer: str, code: str) -> None:
    turns = talk(["halo", "1", answer])
    assert turns[-1].state["step"] == "description"
    assert turns[-1].state["category"] == code


def test_ambiguous_category_asks_again_with_the_short_list() -> None:
    turns = talk(["halo", "1", "jalan", "2", DESCRIPTION, "lewati", "kirim"])
    ask = joined(turns[2])
    assert "Ada beberapa yang cocok" in ask
    assert "1. Jalan rusak\n2. Lampu jalan mati\n3. Lainnya / tidak tahu" in ask
    assert "Sampah" not in ask
    assert turns[2].state["step"] == "category"
    again = advance(turns[2].state, text("menu"), ctx())  # the prompt again: the short list
    assert "1. Jalan rusak\n2. Lampu jalan mati\n3. Lainnya / tidak tahu" in joined(again)
    # Numbers now refer to the short list.
    assert turns[3].state["category"] == "PJU"
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.category_code == "PJU"


def test_category_without_a_match_or_out_of_range_shows_the_list() -> None:
    turns = talk(["halo", "1", "banjir bandang", "17", "", image("m9")])
    assert "“banjir bandang” tidak ditemukan" in joined(turns[2])
    assert "1. Jalan rusak" in joined(turns[2])
    assert "Nomor 17 tidak ada" in joined(turns[3])
    assert "Pesan Anda kosong" in joined(turns[4])
    assert "Lampiran disimpan" in joined(turns[5])
    assert all(t.state["step"] == "category" for t in turns[2:])
    assert turns[-1].state["media"] == ["m9"]


def test_more_than_fifteen_categories_are_cut_and_still_found_by_words() -> None:
    many = tuple(Option(f"C{i}", f"Kategori nomor {i}", "pengaduan") for i in range(20))
    many += (Option("BNJ", "Banjir", "pengaduan", ("genangan",)),)
    turns = talk(["halo", "1", "genangan"], ctx(categories=many))
    listed = joined(turns[1])
    assert "15. Kategori nomor 14" in listed
    assert "16. Lainnya / tidak tahu" in listed
    assert "Banjir" not in listed
    assert "Tulis kata kuncinya" in listed
    assert turns[2].state["category"] == "BNJ"


def test_match_options_directly() -> None:
    assert match_options("lampu jalan", CATEGORIES) == [LAMP]
    assert match_options("Jalan", CATEGORIES) == [ROAD, LAMP]
    assert match_options("xyz", CATEGORIES) == []
    assert match_options("", CATEGORIES) == []
    assert match_options("tps", CATEGORIES) == [WASTE]


# --- Description, location, photos ----------------------------------------------------------------


def test_short_description_is_asked_again_saying_why() -> None:
    turns = talk(["halo", "1", "1", "rusak", DESCRIPTION])
    assert f"5 karakter, minimal {DESCRIPTION_MIN}" in joined(turns[3])
    assert turns[3].state["step"] == "description"
    assert turns[4].state["step"] == "location"


def test_image_caption_counts_as_the_description_and_the_image_is_kept() -> None:
    turns = talk(["halo", "1", "1", image("m1", DESCRIPTION), "lewati", "kirim"])
    assert turns[3].state["step"] == "location"
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.description == DESCRIPTION
    assert action.media_ids == ("m1",)


def test_images_sent_before_their_step_are_kept() -> None:
    turns = talk([image("m0"), "1", image("m1"), "1", image("m2"), DESCRIPTION, "lewati", "kirim"])
    assert "Lampiran disimpan" in joined(turns[2])
    assert "Ceritakan" in joined(turns[4])  # an image without caption: the prompt again
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.media_ids == ("m0", "m1", "m2")


def test_location_shared_typed_or_skipped() -> None:
    start = ["halo", "1", "1", DESCRIPTION]
    shared = talk([*start, location(-7.25, 112.75, "Pasar Turi"), "kirim"])[-1].action
    typed = talk([*start, "Jl. Pahlawan No. 5, RT 02/RW 03", "kirim"])[-1].action
    skipped = talk([*start, "LEWATI", "kirim"])[-1].action
    assert talk([*start, "kirim", "kirim"])[-1].action == skipped
    assert isinstance(shared, FileReport)
    assert (shared.address, shared.latitude, shared.longitude) == ("Pasar Turi", -7.25, 112.75)
    assert isinstance(typed, FileReport)
    assert (typed.address, typed.latitude, typed.longitude) == (
        "Jl. Pahlawan No. 5, RT 02/RW 03",
        None,
        None,
    )
    assert isinstance(skipped, FileReport)
    assert (skipped.address, skipped.latitude) == ("", None)


def test_location_shared_early_skips_the_location_step() -> None:
    turns = talk(["halo", "1", location(), "1", DESCRIPTION, "kirim"])
    assert "foto" in joined(turns[4]).lower()
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.latitude == -6.2


def test_bad_location_and_short_address_are_asked_again() -> None:
    start = ["halo", "1", "1", DESCRIPTION]
    turns = talk([*start, Incoming("location", latitude=float("nan"), longitude=200.0), "a"])
    assert "tidak terbaca" in joined(turns[4])
    assert "terlalu singkat" in joined(turns[5])
    assert turns[5].state["step"] == "location"


def test_photos_are_collected_up_to_the_limit() -> None:
    start: list[Incoming | str] = ["halo", "1", "1", DESCRIPTION, "lewati"]
    photos: list[Incoming | str] = [image(f"m{i}") for i in range(MEDIA_MAX + 1)]
    turns = talk([*start, *photos, image("m0"), "apa ini", Incoming("document"), "selesai"])
    assert f"Maksimal {MEDIA_MAX} lampiran" in joined(turns[5 + MEDIA_MAX])
    assert "KIRIM" in joined(turns[-3])  # text that is no answer: how to go on
    assert "tidak terbaca" in joined(turns[-2])
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.media_ids == tuple(f"m{i}" for i in range(MEDIA_MAX))


def test_photo_caption_at_the_photo_step_is_added_to_the_description() -> None:
    turns = talk(
        ["halo", "1", "lainnya", DESCRIPTION, "lewati", image("m1", "Foto dari arah utara"), "done"]
    )
    action = turns[-1].action
    assert isinstance(action, FileReport)
    assert action.description == f"{DESCRIPTION}\n\nFoto dari arah utara"
    assert action.title == DESCRIPTION  # the category is "", the title is the first line


def test_derive_title() -> None:
    assert conv.derive_title("  \nSatu dua\ntiga") == "Satu dua"
    assert conv.derive_title("x" * 300) == "x" * 79 + "…"
    assert conv.derive_title("apa saja", "  Jalan   rusak ") == "Jalan rusak"
    assert conv.derive_title("") == ""


# --- Commands -------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["batal", "BATAL!", "Cancel", " batal. "])
def test_cancel_mid_way(word: str) -> None:
    turns = talk(["halo", "1", "1", word, "batal"])
    assert "dibatalkan" in joined(turns[3])
    assert turns[3].state == {"v": 1, "step": "idle", "language": "id"}
    assert turns[3].action is None
    assert "Tidak ada laporan" in joined(turns[4])


def test_cancel_after_the_timeout_only_says_it_expired() -> None:
    state = talk(["halo", "1"])[-1].state
    turn = advance(state, text("batal"), ctx(now=NOW + 2 * TIMEOUT))
    assert len(turn.replies) == 1
    assert "kedaluwarsa" in turn.replies[0]
    assert turn.state["step"] == "idle"


def test_timeout_expires_a_half_finished_report() -> None:
    state = talk(["halo", "1"])[-1].state
    late = ctx(now=NOW + TIMEOUT + dt.timedelta(seconds=1))
    turn = advance(state, text("1"), late)
    assert "kedaluwarsa" in turn.replies[0]
    assert "Balas dengan angka" in joined(turn)  # a fresh start at step 1
    assert turn.state["step"] == "type"
    assert turn.state["category"] == ""
    # Within the timeout nothing expires.
    on_time = advance(state, text("1"), ctx(now=NOW + TIMEOUT))
    assert on_time.state["category"] == "JLN"


def test_a_command_still_works_after_the_timeout() -> None:
    state = talk(["halo", "1"])[-1].state
    turn = advance(state, text("STATUS abcde-12345"), ctx(now=NOW + dt.timedelta(days=2)))
    assert "kedaluwarsa" in joined(turn)
    assert turn.action == AskStatus("ABCDE-12345")
    assert turn.state["step"] == "idle"


def test_lapor_keyword_files_at_once() -> None:
    for channel in ("sms", "whatsapp"):
        turn = advance(None, text(f"LAPOR {DESCRIPTION}"), ctx(channel))
        assert turn.replies == ()
        assert turn.action == FileReport(
            report_type="pengaduan", category_code="", title=DESCRIPTION, description=DESCRIPTION
        )
        assert turn.state["step"] == "idle"


def test_lapor_mid_way_and_in_a_caption() -> None:
    state = talk(["halo", "1"])[-1].state
    turn = advance(state, image("m7", f"lapor {DESCRIPTION}"), ctx())
    assert turn.action == FileReport("pengaduan", "", DESCRIPTION, DESCRIPTION, media_ids=("m7",))
    assert turn.state["step"] == "idle"


def test_lapor_mid_way_keeps_the_photos_and_location_already_sent() -> None:
    state = talk(["halo", image("m1"), location()])[-1].state
    turn = advance(state, text(f"LAPOR\n{DESCRIPTION}"), ctx())
    assert turn.action == FileReport(
        "pengaduan", "", DESCRIPTION, DESCRIPTION, "Jl. Merdeka 1", -6.2, 106.8, ("m1",)
    )


def test_lapor_title_is_the_first_words() -> None:
    long = "Saluran air " + "tersumbat sampah " * 20
    action = advance(None, text(f"lapor {long}"), ctx()).action
    assert isinstance(action, FileReport)
    assert action.title.endswith("…")
    assert len(action.title) <= 81
    assert action.title.startswith("Saluran air tersumbat sampah")


def test_lapor_alone_or_too_short_starts_the_guided_conversation() -> None:
    alone = advance(None, text("LAPOR"), ctx())
    assert alone.action is None
    assert alone.state["step"] == "type"
    short = advance(None, text("lapor jalan"), ctx())
    assert short.action is None
    assert "terlalu singkat" in short.replies[0]
    assert short.state["step"] == "type"


@pytest.mark.parametrize(
    ("message", "number"),
    [
        ("STATUS ABCDE-12345", "ABCDE-12345"),
        ("status abcde-12345", "ABCDE-12345"),
        ("cek abcde 12345", "ABCDE-12345"),
        ("Status: ABCDE12345.", "ABCDE12345"),
        ("cek LPR-2024-0001", "LPR-2024-0001"),
    ],
)
def test_status(message: str, number: str) -> None:
    turn = advance(None, text(message), ctx())
    assert turn.action == AskStatus(number)
    assert turn.replies == ()


def test_status_alone_asks_about_the_last_report_or_explains() -> None:
    report = ReportRef("ABCDE-12345", is_open=True)
    assert advance(None, text("status"), ctx(report=report)).action == AskStatus("ABCDE-12345")
    for message in ("status", "cek laporan saya"):
        turn = advance(None, text(message), ctx())
        assert turn.action is None
        assert turn.state["step"] == "idle"
        assert "STATUS ABCDE-12345" in joined(turn)


def test_status_words_in_a_description_are_no_command() -> None:
    state = talk(["halo", "1", "1"])[-1].state
    turn = advance(state, text("cek saja jalan di depan pasar, rusak parah"), ctx())
    assert turn.action is None
    assert turn.state["step"] == "location"


@pytest.mark.parametrize(("word", "action"), [("STOP", OptOut()), ("berhenti", OptOut()),
                                              ("unsubscribe", OptOut()), ("Mulai", OptIn()),
                                              ("start!", OptIn())])  # fmt: skip
def test_stop_and_mulai(word: str, action: object) -> None:
    state = talk(["halo", "1"])[-1].state
    turn = advance(state, text(word), ctx())
    assert turn.action == action
    assert turn.replies == ()
    assert turn.state["step"] == "category"  # the half-finished report stays


def test_help_shows_what_one_can_do_and_the_current_prompt() -> None:
    idle = advance(None, text("bantuan"), ctx())
    assert "LAPOR" in joined(idle)
    assert idle.state["step"] == "idle"
    turns = talk(["halo", "1", "1", "menu"])
    assert "STATUS" in turns[-1].replies[0]
    assert "Ceritakan" in turns[-1].replies[-1]
    assert turns[-1].state["step"] == "description"


def test_language_switch_resends_the_current_prompt() -> None:
    turns = talk(["halo", "1", "1", "English"])
    assert turns[-1].language == "en"
    assert "Describe it" in joined(turns[-1])
    assert turns[-1].state["step"] == "description"
    idle = advance(None, text("en"), ctx())
    assert "What you can do" in joined(idle)


# --- After filing ---------------------------------------------------------------------------------


def test_later_messages_join_the_open_report() -> None:
    report = ReportRef("ABCDE-12345", is_open=True)
    idle = {"v": 1, "step": "idle", "language": "id"}
    reply = advance(idle, text("Sudah 3 hari belum diperbaiki"), ctx(report=report))
    assert reply.action == AddReply("Sudah 3 hari belum diperbaiki")
    assert reply.replies == ()
    photo = advance(idle, image("m5", "foto terbaru"), ctx(report=report))
    assert photo.action == AddReply("foto terbaru", ("m5",))
    place = advance(idle, location(), ctx(report=report))
    assert isinstance(place.action, AddReply)
    assert "Jl. Merdeka 1" in place.action.text
    assert "-6.200000" in place.action.text


def test_new_starts_a_report_even_when_one_is_open() -> None:
    report = ReportRef("ABCDE-12345", is_open=True)
    for word in ("baru", "new", "lapor"):
        turn = advance(None, text(word), ctx(report=report))
        assert turn.action is None
        assert turn.state["step"] == "type"


def test_closed_report_answer() -> None:
    report = ReportRef("ABCDE-12345", is_open=False)
    turn = advance(None, text("Kenapa ditutup?"), ctx(report=report))
    assert turn.action is None
    assert turn.replies == (closed_report_text("ABCDE-12345", "id"),)
    assert "banding" in turn.replies[0]
    assert "LAPOR" in turn.replies[0]
    assert turn.state["step"] == "idle"
    english = advance(None, text("why"), ctx(report=report, language="en"))
    assert "appeal" in joined(english)


# --- Unsupported, robustness ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["unsupported", "sticker", "audio", ""])
def test_unsupported_kinds_are_answered_politely_and_the_state_stays(kind: str) -> None:
    state = talk(["halo", "1", "1"])[-1].state
    turn = advance(state, Incoming(kind), ctx(now=NOW + dt.timedelta(minutes=5)))
    assert "belum bisa kami baca" in joined(turn)
    assert turn.state == state
    assert turn.action is None


def test_corrupted_or_foreign_state_is_a_fresh_start() -> None:
    for state in (
        {"step": "photos"},
        {"v": 1, "step": "location", "at": NOW.isoformat(), "report_type": "pengaduan"},
        {"v": 1, "step": "category", "at": "yesterday", "report_type": "pengaduan"},
        {"hello": [1, 2]},
        {"v": 1, "step": 5},
    ):
        turn = advance(state, text("halo"), ctx())
        assert turn.state["step"] == "type"
        assert "Selamat datang" in joined(turn)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
STATE_KEYS = (
    "v", "step", "language", "at", "report_type", "category", "category_name", "category_type",
    "shown", "description", "address", "latitude", "longitude", "media",
)  # fmt: skip
PLAUSIBLE = {
    "v": st.sampled_from([1, 2, "1", None]),
    "step": st.sampled_from([*conv.STEPS, "", "done", 3]),
    "language": st.sampled_from([*LANGUAGES, "fr", 1]),
    "at": st.sampled_from([NOW.isoformat(), "2026-03-02T07:59:00", "x", ""])
    | st.datetimes().map(dt.datetime.isoformat),
    "report_type": st.sampled_from(["pengaduan", "aspirasi", "informasi", "x", ""]),
    "shown": st.lists(st.sampled_from(["JLN", "PJU", "X", ""]) | JSON, max_size=4),
    "description": st.text(max_size=40) | st.just(DESCRIPTION),
    "media": st.lists(st.text(max_size=5) | JSON, max_size=8),
    "latitude": JSON,
    "longitude": JSON,
}
STATES = (
    st.none()
    | JSON
    | st.fixed_dictionaries(
        {},
        optional={key: PLAUSIBLE.get(key, JSON) for key in STATE_KEYS},
    )
)
WORDS = st.sampled_from(
    ["1", "2", "3", "16", "0", "batal", "status", "cek ABCDE-12345", "stop", "mulai", "en", "id",
     "menu", "baru", "lapor", f"lapor {DESCRIPTION}", "lewati", "kirim", "jalan", DESCRIPTION, ""]
)  # fmt: skip
FLOATS = st.none() | st.floats()
INCOMING = st.builds(
    Incoming,
    kind=st.sampled_from([*conv.KINDS, "sticker", ""]),
    text=WORDS | st.text(max_size=30),
    latitude=FLOATS,
    longitude=FLOATS,
    place=st.text(max_size=10),
    media_id=st.sampled_from(["", "m1", "m2"]) | st.text(max_size=5),
)
OPTIONS = st.lists(
    st.builds(
        Option,
        code=st.text(max_size=4),
        name=st.text(max_size=15),
        report_type=st.sampled_from(["pengaduan", "aspirasi", "informasi", "pengaduan_pengawasan"]),
        keywords=st.lists(st.text(max_size=8), max_size=2).map(tuple),
    ),
    max_size=20,
)
CONTEXTS = st.builds(
    Context,
    channel=st.sampled_from(["whatsapp", "sms", "other"]),
    now=st.datetimes(timezones=st.just(dt.UTC)),
    categories=OPTIONS | st.just(list(CATEGORIES)),
    report=st.none() | st.builds(ReportRef, st.text(max_size=12), st.booleans()),
    language=st.sampled_from([*LANGUAGES, "fr"]),
)


def check(turn: Turn) -> None:
    json.dumps(turn.state, allow_nan=False)
    assert turn.language in LANGUAGES
    assert turn.state["language"] == turn.language
    assert all(isinstance(r, str) and r for r in turn.replies)
    # What the caller stores is read back as the same state, never mistaken for a corrupted one.
    assert conv._load(turn.state, "id").dump() == turn.state


@settings(max_examples=400, deadline=None)
@given(STATES, st.lists(INCOMING, min_size=1, max_size=6), CONTEXTS)
def test_never_raises_for_any_state_and_input(
    state: Any, messages: list[Incoming], context: Context
) -> None:
    # The inner function: the catch-all guard in advance() is not what holds this up.
    for incoming in messages:
        turn = conv._advance(state, incoming, context)
        check(turn)
        state = turn.state


def test_the_guard_answers_with_help_even_on_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> Turn:
        raise RuntimeError

    monkeypatch.setattr(conv, "_advance", broken)
    turn = advance(None, text("halo"), ctx())
    assert turn.state["step"] == "idle"
    assert "LAPOR" in joined(turn)


# --- SMS ------------------------------------------------------------------------------------------


def sms_turns(categories: Sequence[Option], language: str = "id") -> list[Turn]:
    context = ctx("sms", categories=categories, language=language)
    return talk(
        [
            "halo",
            "1",
            "jalan",
            "9",
            "xyz",
            "1",
            "pendek",
            DESCRIPTION,
            "a",
            "bantuan",
            "x",
            "Jl. A",
        ],
        context,
    ) + [advance(None, text(m), context) for m in ("menu", "status", "lapor jalan", "batal")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sms_prompts_are_short_plain_and_file_without_photos(language: str) -> None:
    many = CATEGORIES + tuple(
        Option(f"C{i}", f"Layanan administrasi kependudukan {i}", "pengaduan") for i in range(20)
    )
    turns = sms_turns(many, language)
    replies = [r for t in turns for r in t.replies]
    assert replies
    for reply in replies:
        assert len(reply) <= conv.SMS_MAX, reply
        assert reply.isascii(), reply  # GSM 7-bit: no emoji, no typographic quotes
    assert len(turns[1].replies) > 1  # the long list is split over several messages
    action = turns[11].action  # the address typed: filed at once, SMS carries no photos
    assert isinstance(action, FileReport)
    assert (action.address, action.media_ids) == ("Jl. A", ())


def test_texts_after_an_action_in_both_languages() -> None:
    secret = "Zq3-4fXk1_abcdEFGhij9A"  # token_urlsafe(16): 22 characters
    for language in LANGUAGES:
        sms = filed_text("ABCDE-12345", secret, language, "sms")
        assert "ABCDE-12345" in sms
        assert secret in sms
        assert "STATUS ABCDE-12345" in sms
        assert len(sms) <= conv.SMS_MAX
        assert sms.isascii()
        whatsapp = filed_text("ABCDE-12345", secret, language, "whatsapp")
        assert secret in whatsapp
        assert "STATUS ABCDE-12345" in whatsapp
        for short in (
            status_text("ABCDE-12345", "Diproses", language),
            unknown_report_text("ABCDE-12345", language),
            closed_report_text("ABCDE-12345", language),
            reply_added_text("ABCDE-12345", language),
            opted_out_text(language),
            opted_in_text(language),
        ):
            assert len(short) <= conv.SMS_MAX, short
            assert short.isascii(), short
    assert filed_text("A", "s", "id", "sms") != filed_text("A", "s", "en", "sms")
    detail = status_text("ABCDE-12345", "Selesai", "id", "Jalan sudah ditambal.")
    assert detail == "Status laporan ABCDE-12345: Selesai.\nJalan sudah ditambal."
    assert "Report ABCDE-12345 was not found" in unknown_report_text("ABCDE-12345", "en")
    assert "MULAI" in opted_out_text("id")
    assert "STOP" in opted_in_text("en")
    assert "ABCDE-12345" in reply_added_text("ABCDE-12345", "fr")  # an unknown language: id


def test_greeting_names_the_service() -> None:
    context = Context("whatsapp", NOW, CATEGORIES, service_name="SatuPintu Kota Contoh")
    turn = advance(None, text("halo"), context)
    assert turn.replies[0] == "Halo 👋 Selamat datang di layanan pengaduan SatuPintu Kota Contoh."


class _Any(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "ABCDE-12345"


WHATSAPP_ONLY = {"ask_photos", "photo_saved"}  # SMS carries no photos: that step is skipped


@pytest.mark.parametrize("key", sorted(set(conv._TEXTS) - WHATSAPP_ONLY))
def test_every_text_sent_on_sms_is_plain_gsm_text(key: str) -> None:
    for language in LANGUAGES:
        entry = conv._SMS.get(key, conv._TEXTS[key])
        sent = entry[LANGUAGES.index(language)].format_map(_Any())
        assert sent.isascii(), sent
        assert len(sent) <= conv.SMS_MAX, sent


# --------------------------------------------------------------------------- privacy, small talk


def _to_photos() -> tuple[dict[str, Any], Context]:
    context = ctx()
    state: dict[str, Any] | None = None
    for message in ("halo", "1", "1", "Jalan berlubang besar di depan sekolah.", "lewati"):
        turn = advance(state, Incoming("text", message), context)
        state = turn.state
    assert state is not None
    return state, context


def test_kirim_anonim_files_the_report_with_the_identity_hidden() -> None:
    state, context = _to_photos()
    turn = advance(state, Incoming("text", "KIRIM ANONIM"), context)
    assert isinstance(turn.action, FileReport)
    assert turn.action.is_anonymous and not turn.action.is_confidential


def test_send_confidential_or_both_choose_the_privacy() -> None:
    state, context = _to_photos()
    turn = advance(state, Incoming("text", "send confidential"), context)
    assert isinstance(turn.action, FileReport)
    assert turn.action.is_confidential and not turn.action.is_anonymous
    state, context = _to_photos()
    turn = advance(state, Incoming("text", "kirim anonim rahasia"), context)
    assert isinstance(turn.action, FileReport)
    assert turn.action.is_anonymous and turn.action.is_confidential


def test_a_plain_kirim_keeps_the_report_identified_and_public() -> None:
    state, context = _to_photos()
    turn = advance(state, Incoming("text", "kirim"), context)
    assert isinstance(turn.action, FileReport)
    assert not turn.action.is_anonymous and not turn.action.is_confidential


def test_lapor_anonim_files_at_once_without_the_privacy_word_in_the_text() -> None:
    turn = advance(
        None, Incoming("text", "LAPOR ANONIM pungli di loket kelurahan tadi pagi"), ctx()
    )
    assert isinstance(turn.action, FileReport)
    assert turn.action.is_anonymous and not turn.action.is_confidential
    assert turn.action.description == "pungli di loket kelurahan tadi pagi"
    turn = advance(None, Incoming("text", "lapor rahasia anonim ada pungli di loket"), ctx())
    assert isinstance(turn.action, FileReport)
    assert turn.action.is_anonymous and turn.action.is_confidential
    assert turn.action.description == "ada pungli di loket"


def test_thanks_to_an_open_report_are_answered_but_not_added_to_its_timeline() -> None:
    context = ctx(report=ReportRef("ABCDE-12345", is_open=True))
    for message in ("terima kasih", "Ok pak!", "makasih 🙏", "halo"):
        turn = advance(None, Incoming("text", message), context)
        assert turn.action is None, message
        assert "ABCDE-12345" in " ".join(turn.replies)
    turn = advance(None, Incoming("text", "Terima kasih, lubangnya sekarang makin lebar"), context)
    assert isinstance(turn.action, AddReply)
