"""The conversational intake behind the WhatsApp and SMS doors: one turn per inbound message.

A resident writes to the Pemda's WhatsApp or SMS number (domain.md §1.4: LAPOR!'s SMS 1708 takes a
report as ``LAPOR <isi>``; here the same keyword works on both doors). :func:`advance` takes the
stored state, the message and a :class:`Context` and returns a :class:`Turn`: the new state (a
plain JSON-serialisable dict the caller stores), the texts to send back and at most one action
for the caller to carry out (file a report, add a reply, look up a status, opt out or in).

The guided conversation has five steps: report type (domain.md §1.3: pengaduan, aspirasi,
permintaan informasi), category, description, location, photos (not on SMS, which carries none).
Commands work at any step: BATAL, STATUS <nomor>, STOP/MULAI, ENGLISH/INDONESIA, BANTUAN, BARU,
LAPOR <isi>. Once a report is filed the state returns to idle; later messages join that report's
timeline while it is open (domain.md §1.5 stage 5: the reporter's reply).

Pure Python: no Django, no I/O. Any input and any stored state (corrupted, foreign, from an older
version) gives a turn, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from satupintu.domain import conversation_texts
from satupintu.domain.lifecycle import ReportType

LANGUAGES = ("id", "en")
#: A half-finished conversation expires after an hour without a message.
TIMEOUT = dt.timedelta(minutes=60)
#: The same minimum as every other door (complaints.actions.inputs.DESCRIPTION_MIN).
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 10_000
TITLE_MAX = 200
#: Titles derived from a description keep its first words, up to this many characters.
TITLE_WORDS_MAX = 80
ADDRESS_MAX = 500
#: Attachments per report (the default of SATUPINTU_ATTACHMENT_MAX_FILES).
MEDIA_MAX = 5
#: Categories listed at once; more are still found by words.
CATEGORY_LIST_MAX = 15
SMS_MAX = 160

CHANNEL_WHATSAPP = "whatsapp"
CHANNEL_SMS = "sms"
KINDS = ("text", "image", "document", "location", "unsupported")

STATE_VERSION = 1
STEP_IDLE = "idle"
STEP_TYPE = "type"
STEP_CATEGORY = "category"
STEP_DESCRIPTION = "description"
STEP_LOCATION = "location"
STEP_PHOTOS = "photos"
STEPS = (STEP_IDLE, STEP_TYPE, STEP_CATEGORY, STEP_DESCRIPTION, STEP_LOCATION, STEP_PHOTOS)


@dataclass(frozen=True)
class Option:
    """One category the resident may pick."""

    code: str
    name: str  # Indonesian name, e.g. "Jalan rusak"
    report_type: str  # a ReportType value
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Incoming:
    kind: str  # one of KINDS; anything else is read as "unsupported"
    text: str = ""  # the text, or an image/document caption
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""  # a shared location's name/address
    media_id: str = ""  # provider media id of an image/document


@dataclass(frozen=True)
class ReportRef:
    """The report this conversation filed last."""

    tracking_number: str
    is_open: bool  # False once closed/archived


@dataclass(frozen=True)
class Context:
    channel: str  # "whatsapp" | "sms"
    now: dt.datetime  # aware
    categories: Sequence[Option]
    report: ReportRef | None = None
    language: str = "id"  # the conversation's language so far
    service_name: str = ""  # e.g. "SatuPintu Kota Contoh", named in the greeting


@dataclass(frozen=True)
class FileReport:
    report_type: str
    category_code: str  # "" when the verifier must choose (LAPOR keyword, "lainnya")
    title: str
    description: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media_ids: tuple[str, ...] = ()
    #: The reporter's choices (domain.md §1.8): identity hidden from agencies (anonim), content
    #: hidden from the public (rahasia). "KIRIM ANONIM" / "LAPOR RAHASIA <isi>" and the like.
    is_anonymous: bool = False
    is_confidential: bool = False


@dataclass(frozen=True)
class AddReply:
    """A later message joins the open report's timeline (the reporter's reply)."""

    text: str
    media_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskStatus:
    tracking_number: str  # upper case, stripped


@dataclass(frozen=True)
class OptOut:
    """STOP / BERHENTI: no more notifications to this sender."""


@dataclass(frozen=True)
class OptIn:
    """MULAI / START."""


Action = FileReport | AddReply | AskStatus | OptOut | OptIn


@dataclass(frozen=True)
class Turn:
    state: dict[str, Any]
    language: str
    replies: tuple[str, ...]  # in order; empty when the caller answers after its action
    action: Action | None = None


# --- Texts: domain/conversation_texts.py -----------------------------------------------------

_TEXTS = conversation_texts.TEXTS
_SMS = conversation_texts.SMS


def _lang(language: str) -> str:
    return language if language in LANGUAGES else LANGUAGES[0]


def _t(key: str, language: str, *, sms: bool = False, **values: object) -> str:
    table = _SMS if sms and key in _SMS else _TEXTS
    text = table[key][LANGUAGES.index(_lang(language))]
    return text.format(**values) if values else text


def filed_text(tracking_number: str, secret: str, language: str, channel: str) -> str:
    """The receipt: tracking number, the portal secret, how to add information and follow it."""
    sms = channel == CHANNEL_SMS
    return _t("filed", language, sms=sms, number=tracking_number, secret=secret)


def status_text(tracking_number: str, status_label: str, language: str, detail: str = "") -> str:
    text = _t("status", language, number=tracking_number, label=status_label)
    return f"{text}\n{detail.strip()}" if detail.strip() else text


def unknown_report_text(tracking_number: str, language: str) -> str:
    return _t("unknown_report", language, number=tracking_number)


def closed_report_text(tracking_number: str, language: str) -> str:
    """The report is closed: appeal on the portal within the window, or start a new report."""
    return _t("closed_report", language, number=tracking_number)


def reply_added_text(tracking_number: str, language: str) -> str:
    return _t("reply_added", language, number=tracking_number)


def opted_out_text(language: str) -> str:
    return _t("opted_out", language)


def opted_in_text(language: str) -> str:
    return _t("opted_in", language)


# --- Reading what people type --------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, accents dropped, punctuation as spaces, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


_CANCEL = {"batal", "batalkan", "cancel"}
_STATUS = {"status", "cek", "check"}
_STOP = {"stop", "berhenti", "unsubscribe"}
_START = {"mulai", "start"}
_ENGLISH = {"english", "en", "bahasa inggris", "inggris"}
_INDONESIAN = {"indonesia", "id", "bahasa", "bahasa indonesia", "indonesian"}
_HELP = {"bantuan", "help", "menu", "tolong"}
_NEW = {"baru", "new", "lapor", "laporan baru", "new report", "lapor baru"}
_DONE = {"kirim", "selesai", "send", "done", "lewati", "skip", "tidak", "tidak ada", "no", "none"}
_SKIP = {"lewati", "skip", "tidak ada", "tidak", "no", "none", "tidak tahu", "-"}
#: Words that, with KIRIM (or after LAPOR), choose the report's privacy (domain.md §1.8).
_ANONYMOUS = {"anonim", "anonymous", "anon"}
_CONFIDENTIAL = {"rahasia", "confidential", "private", "pribadi"}
#: Thanks and greetings to an open report: answered, never put on its timeline.
_SMALL_TALK = {
    "ok",
    "oke",
    "okay",
    "okey",
    "baik",
    "siap",
    "sip",
    "mantap",
    "ya",
    "iya",
    "yes",
    "terima kasih",
    "terimakasih",
    "makasih",
    "trims",
    "tks",
    "thx",
    "thanks",
    "thank you",
    "terima kasih banyak",
    "halo",
    "hai",
    "hi",
    "hello",
    "pagi",
    "siang",
    "sore",
    "malam",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "assalamualaikum",
}
_OTHER = {
    "lainnya",
    "lain",
    "lain lain",
    "tidak tahu",
    "tdk tahu",
    "gak tahu",
    "nggak tahu",
    "ga tau",
    "other",
    "others",
    "dont know",
    "don t know",
    "unknown",
    "lewati",
    "skip",
}
_TYPE_WORDS: dict[str, set[str]] = {
    ReportType.COMPLAINT.value: {"pengaduan", "aduan", "keluhan", "komplain", "complaint"},
    ReportType.ASPIRATION.value: {
        "aspirasi",
        "saran",
        "usul",
        "usulan",
        "aspiration",
        "suggestion",
    },
    ReportType.INFORMATION.value: {"informasi", "info", "information", "pertanyaan", "question"},
}
_TYPES_IN_ORDER = (
    ReportType.COMPLAINT.value,
    ReportType.ASPIRATION.value,
    ReportType.INFORMATION.value,
)
#: Option.report_type values listed under each of the three choices.
_TYPE_GROUP: dict[str, set[str]] = {
    ReportType.COMPLAINT.value: {
        ReportType.COMPLAINT.value,
        ReportType.SUPERVISORY_COMPLAINT.value,
    },
    ReportType.ASPIRATION.value: {ReportType.ASPIRATION.value},
    ReportType.INFORMATION.value: {ReportType.INFORMATION.value, "permintaan_informasi"},
}
_STOPWORDS = {
    "di", "ke", "dari", "yang", "dan", "atau", "ada", "saya", "kami", "ini", "itu", "untuk",
    "dengan", "soal", "tentang", "masalah", "mau", "ingin", "pak", "bu", "mohon", "tolong",
    "the", "a", "an", "of", "in", "on", "at", "and", "or", "my", "is", "about", "please",
}  # fmt: skip
_NUMBER = re.compile(r"^(?:no|nomor|nomer|number|pilih|pilihan)?\s*(\d{1,3})$")
_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{3,30}[A-Za-z0-9]$")


_NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        (("satu", "one"), ("dua", "two"), ("tiga", "three"), ("empat", "four"), ("lima", "five")),
        1,
    )
    for word in words
}


def _number(text: str) -> int | None:
    """A number answered to a menu: "2", "2.", "no 2", "nomor 2", "dua"."""
    plain = normalize(text)
    if plain in _NUMBER_WORDS:
        return _NUMBER_WORDS[plain]
    match = _NUMBER.match(plain)
    return int(match.group(1)) if match else None


def _tracking_number(text: str) -> str | None:
    """A typed tracking number (``abcde-12345``, ``ABCDE 12345``), upper case; None if none.

    Ours are ten characters shown as ``XXXXX-XXXXX`` (complaints.tracking); other numbers a
    resident may hold (from another system) are passed on when they have a digit.
    """
    candidate = text.strip().strip(".,;:!?#()[]\"'").strip()
    if not _TRACKING.match(candidate) or len(candidate.split()) > 2:
        return None
    compact = [ch for ch in candidate if ch.isalnum()]
    if not 6 <= len(compact) <= 16 or not (len(compact) == 10 or any(c.isdigit() for c in compact)):
        return None
    return "-".join(candidate.upper().split())


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein with adjacent transpositions)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _token_score(word: str, candidate: str) -> float:
    if word == candidate:
        return 1.0
    if (
        len(word) >= 4
        and len(candidate) >= 4
        and (candidate.startswith(word) or word.startswith(candidate))
    ):
        return 0.9
    if len(word) >= 4 and len(candidate) >= 4:
        distance = _distance(word, candidate)
        if distance <= 1:
            return 0.8
        if distance == 2 and min(len(word), len(candidate)) >= 7:
            return 0.6
    return 0.0


def match_options(text: str, options: Sequence[Option]) -> list[Option]:
    """The options whose name or keywords fit the words best; empty if none fits at all.

    Case, accents and small typos (one letter wrong, missing, extra or swapped; two in long
    words) are forgiven. One best option is a match; several are for the resident to choose.
    """
    query = normalize(text)
    if not query:
        return []
    exact = [o for o in options if query in {normalize(o.name), *map(normalize, o.keywords)}]
    if exact:
        return exact
    words = [w for w in query.split() if w not in _STOPWORDS and not w.isdigit()] or []
    scored: list[tuple[float, Option]] = []
    for option in options:
        vocabulary = set(normalize(" ".join((option.name, *option.keywords))).split())
        vocabulary -= _STOPWORDS
        if not vocabulary:
            continue
        score = sum(max(_token_score(w, c) for c in vocabulary) for w in words)
        if score > 0:
            scored.append((score, option))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [option for score, option in scored if score >= best - 1e-9]


def derive_title(description: str, category_name: str = "") -> str:
    """The category's name, or the first words of the description's first line (at most
    TITLE_WORDS_MAX characters)."""
    if category_name.strip():
        return " ".join(category_name.split())[:TITLE_MAX]
    first_line = next((line for line in description.splitlines() if line.strip()), "")
    words = first_line.split()
    title = ""
    for word in words:
        candidate = f"{title} {word}".strip()
        if len(candidate) > TITLE_WORDS_MAX:
            return (title or word[: TITLE_WORDS_MAX - 1]) + "…"
        title = candidate
    return title[:TITLE_MAX]


# --- The draft: the state between turns ----------------------------------------------------------


@dataclass
class _Draft:
    language: str
    step: str = STEP_IDLE
    at: str = ""  # ISO time of the last message of a half-finished report
    report_type: str = ""  # the chosen type, one of _TYPES_IN_ORDER
    category: str = ""
    category_name: str = ""
    category_type: str = ""  # the chosen option's report_type
    shown: list[str] = field(default_factory=list)  # category codes, as numbered last
    description: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media: list[str] = field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        if self.step == STEP_IDLE:
            return {"v": STATE_VERSION, "step": STEP_IDLE, "language": self.language}
        return {
            "v": STATE_VERSION,
            "step": self.step,
            "language": self.language,
            "at": self.at,
            "report_type": self.report_type,
            "category": self.category,
            "category_name": self.category_name,
            "category_type": self.category_type,
            "shown": list(self.shown),
            "description": self.description,
            "address": self.address,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "media": list(self.media),
        }

    def add_media(self, media_id: str) -> bool:
        """Keep an attachment; False when the draft is full."""
        if media_id in self.media:
            return True
        if len(self.media) >= MEDIA_MAX:
            return False
        self.media.append(media_id)
        return True

    def has_location(self) -> bool:
        return bool(self.address) or self.latitude is not None


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _coordinate(value: object, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _load(state: Mapping[str, Any] | None, language: str) -> _Draft:
    """The stored state as a draft; anything unreadable or inconsistent is a fresh, idle one.

    The conversation's language is the state's own, else ``language`` (the context's).
    """
    if not isinstance(state, Mapping):
        return _Draft(language)
    stored_language = state.get("language")
    if stored_language in LANGUAGES:
        language = str(stored_language)
    step = state.get("step")
    if state.get("v") != STATE_VERSION or step not in STEPS or step == STEP_IDLE:
        return _Draft(language)
    media = state.get("media")
    shown = state.get("shown")
    draft = _Draft(
        language=language,
        step=str(step),
        at=_str(state.get("at")),
        report_type=_str(state.get("report_type")),
        category=_str(state.get("category")),
        category_name=_str(state.get("category_name")),
        category_type=_str(state.get("category_type")),
        shown=[c for c in shown if isinstance(c, str)] if isinstance(shown, list) else [],
        description=_str(state.get("description"))[:DESCRIPTION_MAX],
        address=_str(state.get("address"))[:ADDRESS_MAX],
        latitude=_coordinate(state.get("latitude"), 90),
        longitude=_coordinate(state.get("longitude"), 180),
        media=[m for m in media if isinstance(m, str) and m][:MEDIA_MAX]
        if isinstance(media, list)
        else [],
    )
    if (draft.latitude is None) != (draft.longitude is None):
        draft.latitude = draft.longitude = None
    order = STEPS.index(draft.step)
    consistent = (
        (order < STEPS.index(STEP_CATEGORY) or draft.report_type in _TYPES_IN_ORDER)
        and (order < STEPS.index(STEP_LOCATION) or len(draft.description) >= DESCRIPTION_MIN)
        and _started(draft) is not None
    )
    return draft if consistent else _Draft(language)


def _started(draft: _Draft) -> dt.datetime | None:
    try:
        return _aware(dt.datetime.fromisoformat(draft.at))
    except (TypeError, ValueError):
        return None


# --- The conversation ----------------------------------------------------------------------------


@dataclass
class _Reply:
    """What a turn builds up: texts, the draft it leaves and an action."""

    ctx: Context
    draft: _Draft
    replies: list[str] = field(default_factory=list)
    action: Action | None = None

    @property
    def sms(self) -> bool:
        return self.ctx.channel == CHANNEL_SMS

    @property
    def language(self) -> str:
        return self.draft.language

    def say(self, key: str, **values: object) -> None:
        self.replies.append(_t(key, self.language, sms=self.sms, **values))

    def turn(self) -> Turn:
        if self.draft.step != STEP_IDLE:
            self.draft.at = _aware(self.ctx.now).isoformat()
        replies = _pack(self.replies) if self.sms else self.replies
        return Turn(self.draft.dump(), self.language, tuple(replies), self.action)


def _pack(replies: list[str]) -> list[str]:
    """SMS: neighbouring texts share one message while they fit in SMS_MAX characters."""
    packed: list[str] = []
    for text in replies:
        if packed and len(packed[-1]) + 1 + len(text) <= SMS_MAX:
            packed[-1] = f"{packed[-1]}\n{text}"
        else:
            packed.append(text)
    return packed


def advance(state: Mapping[str, Any] | None, incoming: Incoming, ctx: Context) -> Turn:
    """One turn of the conversation: the new state, the texts to answer and at most one action.

    Never raises: should a bug slip through, the resident gets the help text and a fresh state
    rather than silence.
    """
    try:
        return _advance(state, incoming, ctx)
    except Exception:  # the last guard of a public door
        language = _lang(getattr(ctx, "language", LANGUAGES[0]))
        sms = getattr(ctx, "channel", "") == CHANNEL_SMS
        return Turn(_Draft(language).dump(), language, (_t("help", language, sms=sms),))


def _advance(state: Mapping[str, Any] | None, incoming: Incoming, ctx: Context) -> Turn:
    out = _Reply(ctx, _load(state, _lang(ctx.language)))
    kind = incoming.kind if incoming.kind in KINDS else "unsupported"
    if kind == "unsupported":
        # The state does not move on, and its clock is not reset either.
        out.say("unsupported")
        return Turn(out.draft.dump(), out.language, tuple(out.replies))
    started = _started(out.draft)
    if out.draft.step != STEP_IDLE and started and _aware(ctx.now) - started > TIMEOUT:
        out.say("expired", minutes=int(TIMEOUT.total_seconds() // 60))
        out.draft = _Draft(out.language)
        if incoming.kind == "text" and normalize(incoming.text) in _CANCEL:
            return out.turn()  # nothing left to cancel: the notice says it all
        if not _command(out, incoming):
            _start(out, incoming, greet=False)
        return out.turn()
    if _command(out, incoming):
        return out.turn()
    step = out.draft.step
    if step == STEP_IDLE:
        _idle(out, incoming)
    elif step == STEP_TYPE:
        _step_type(out, incoming)
    elif step == STEP_CATEGORY:
        _step_category(out, incoming)
    elif step == STEP_DESCRIPTION:
        _step_description(out, incoming)
    elif step == STEP_LOCATION:
        _step_location(out, incoming)
    else:
        _step_photos(out, incoming)
    return out.turn()


def _command(out: _Reply, incoming: Incoming) -> bool:
    """Carry out a command, if the message is one; True when it was."""
    text = incoming.text.strip()
    if incoming.kind in ("image", "document"):
        # Only LAPOR works in a caption: the photo goes with the report.
        words = text.split(maxsplit=1)
        if words and normalize(words[0]) == "lapor" and len(words) > 1:
            _lapor(out, words[1], incoming)
            return True
        return False
    if incoming.kind != "text":
        return False
    plain = normalize(text)
    words = text.split(maxsplit=1)
    head = normalize(words[0]) if words else ""
    rest = words[1] if len(words) > 1 else ""
    if plain in _CANCEL:
        if out.draft.step == STEP_IDLE:
            out.say("nothing_to_cancel")
        else:
            out.draft = _Draft(out.language)
            out.say("cancelled")
    elif head in _STATUS and (
        plain in _STATUS
        or _tracking_number(rest) is not None
        or (len(rest.split()) <= 2 and (out.ctx.report is not None or out.draft.step == STEP_IDLE))
    ):
        # "STATUS ABCDE-12345"; "status" or "cek laporan saya" ask about the last report.
        number = _tracking_number(rest)
        if number is None and out.ctx.report is not None:
            number = out.ctx.report.tracking_number.strip().upper()
        if number:
            out.action = AskStatus(number)
        else:
            out.say("status_usage")
    elif plain in _STOP:
        out.action = OptOut()
    elif plain in _START:
        out.action = OptIn()
    elif plain in _ENGLISH or plain in _INDONESIAN:
        out.draft.language = "en" if plain in _ENGLISH else "id"
        out.say("language_set")
        _prompt(out, help_when_idle=True)
    elif plain in _HELP:
        out.say("help")
        if out.draft.step != STEP_IDLE:
            _prompt(out)
    elif plain in _NEW:
        out.draft = _Draft(out.language)
        _start(out, incoming=None, greet=True)
    elif head == "lapor" and rest.strip():
        _lapor(out, rest, incoming)
    else:
        return False
    return True


def _lapor(out: _Reply, text: str, incoming: Incoming) -> None:
    """LAPOR <isi>: filed at once, the verifier picks the category (LAPOR!'s SMS 1708 style).

    ``LAPOR ANONIM <isi>``, ``LAPOR RAHASIA <isi>`` (or both) choose the report's privacy.
    """
    words = text.split()
    anonymous = confidential = False
    while words and normalize(words[0]) in _ANONYMOUS | _CONFIDENTIAL:
        anonymous = anonymous or normalize(words[0]) in _ANONYMOUS
        confidential = confidential or normalize(words[0]) in _CONFIDENTIAL
        words.pop(0)
    if anonymous or confidential:
        text = text.strip().split(maxsplit=len(text.split()) - len(words))[-1] if words else ""
    description = text.strip()[:DESCRIPTION_MAX]
    if len(description) < DESCRIPTION_MIN:
        out.say("lapor_short", min=DESCRIPTION_MIN)
        out.draft = _Draft(out.language)
        _start(out, incoming, greet=False)
        return
    # What a half-finished report already holds (photos, a location) goes with it.
    draft = out.draft
    if incoming.kind in ("image", "document") and incoming.media_id:
        draft.add_media(incoming.media_id[:200])
    out.action = FileReport(
        report_type=ReportType.COMPLAINT.value,
        category_code="",
        title=derive_title(description),
        description=description,
        address=draft.address,
        latitude=draft.latitude,
        longitude=draft.longitude,
        media_ids=tuple(draft.media),
        is_anonymous=anonymous,
        is_confidential=confidential,
    )
    out.draft = _Draft(out.language)


def _start(out: _Reply, incoming: Incoming | None, *, greet: bool) -> None:
    """Begin the guided conversation at step 1; an attachment sent with the first message stays."""
    out.draft = _Draft(out.language, step=STEP_TYPE)
    if incoming is not None and incoming.kind in ("image", "document") and incoming.media_id:
        out.draft.add_media(incoming.media_id[:200])
    if greet:
        name = out.ctx.service_name.strip()
        out.say("greeting", service=f" {name}" if name else "")
    _prompt(out)


def _prompt(out: _Reply, *, help_when_idle: bool = False) -> None:
    """(Re)send the prompt of the current step."""
    step = out.draft.step
    if step == STEP_TYPE:
        out.say("ask_type")
    elif step == STEP_CATEGORY:
        _category_list(out)
    elif step == STEP_DESCRIPTION:
        out.say("ask_description", min=DESCRIPTION_MIN)
    elif step == STEP_LOCATION:
        out.say("ask_location")
    elif step == STEP_PHOTOS:
        out.say("ask_photos", max=MEDIA_MAX)
    elif help_when_idle:
        out.say("help")


def _idle(out: _Reply, incoming: Incoming) -> None:
    report = out.ctx.report
    if report is None:
        _start(out, incoming, greet=True)
        return
    if not report.is_open:
        out.replies.append(closed_report_text(report.tracking_number, out.language))
        return
    text = incoming.text.strip()
    media: tuple[str, ...] = ()
    if incoming.kind in ("image", "document") and incoming.media_id:
        media = (incoming.media_id,)
    if incoming.kind == "location":
        text = _location_text(out, incoming)
    if not text and not media:
        out.say("empty")
        out.say("help")
        return
    if not media and incoming.kind == "text" and _is_small_talk(text):
        out.say("small_talk", number=report.tracking_number)
        return
    out.action = AddReply(text[:DESCRIPTION_MAX], media)


def _is_small_talk(text: str) -> bool:
    """ "ok", "terima kasih", "halo" (with punctuation or emoji): no information to add."""
    plain = normalize(text)
    plain = " ".join(w for w in plain.split() if w not in {"pak", "bu", "min", "admin", "ya"})
    return not plain or plain in _SMALL_TALK


def _privacy(words: list[str]) -> tuple[bool, bool, list[str]]:
    """ANONIM / RAHASIA among ``words``: (anonymous, confidential, the other words)."""
    anonymous = any(w in _ANONYMOUS for w in words)
    confidential = any(w in _CONFIDENTIAL for w in words)
    rest = [w for w in words if w not in _ANONYMOUS and w not in _CONFIDENTIAL]
    return anonymous, confidential, rest


def _location_text(out: _Reply, incoming: Incoming) -> str:
    latitude = _coordinate(incoming.latitude, 90)
    longitude = _coordinate(incoming.longitude, 180)
    parts = [incoming.place.strip()] if incoming.place.strip() else []
    if latitude is not None and longitude is not None:
        parts.append(f"({latitude:.6f}, {longitude:.6f})")
    return _t("location_reply", out.language, place=" ".join(parts)) if parts else ""


def _aside(out: _Reply, incoming: Incoming) -> bool:
    """An attachment or a location sent before its step: kept, and the prompt repeated."""
    if incoming.kind in ("image", "document"):
        if not incoming.media_id:
            out.say("photo_missing")
        elif out.draft.add_media(incoming.media_id[:200]):
            out.say("photo_kept")
        else:
            out.say("photo_full", max=MEDIA_MAX)
        _prompt(out)
        return True
    if incoming.kind == "location":
        out.say("location_saved" if _set_location(out.draft, incoming) else "bad_location")
        _prompt(out)
        return True
    return False


def _set_location(draft: _Draft, incoming: Incoming) -> bool:
    latitude = _coordinate(incoming.latitude, 90)
    longitude = _coordinate(incoming.longitude, 180)
    place = " ".join(incoming.place.split())[:ADDRESS_MAX]
    if latitude is None or longitude is None:
        if not place:
            return False
        latitude = longitude = None
    draft.latitude, draft.longitude = latitude, longitude
    draft.address = place or draft.address
    return True


def _step_type(out: _Reply, incoming: Incoming) -> None:
    if _aside(out, incoming):
        return
    number = _number(incoming.text)
    chosen = ""
    if number is not None and 1 <= number <= len(_TYPES_IN_ORDER):
        chosen = _TYPES_IN_ORDER[number - 1]
    elif number is None:
        words = set(normalize(incoming.text).split())
        found = [t for t in _TYPES_IN_ORDER if words & _TYPE_WORDS[t]]
        chosen = found[0] if len(found) == 1 else ""
    if not chosen:
        out.say("bad_type")
        _prompt(out)
        return
    out.draft.report_type = chosen
    options = _options(out)
    if not options:
        _choose(out, None)
        return
    out.draft.step = STEP_CATEGORY
    out.draft.shown = []
    _prompt(out)


def _options(out: _Reply) -> list[Option]:
    """The categories of the chosen type, in the order given, first of each code."""
    group = _TYPE_GROUP.get(out.draft.report_type, set())
    seen: set[str] = set()
    options = []
    for option in out.ctx.categories:
        if option.report_type in group and option.code and option.code not in seen:
            seen.add(option.code)
            options.append(option)
    return options


def _shown(out: _Reply, options: list[Option]) -> list[str]:
    """The category codes as numbered last (those still offered), else the first of the list."""
    offered = {o.code for o in options}
    shown = [c for c in out.draft.shown if c in offered] or [
        o.code for o in options[:CATEGORY_LIST_MAX]
    ]
    out.draft.shown = shown
    return shown


def _category_list(out: _Reply) -> None:
    """The numbered list of categories, with "Lainnya / tidak tahu" last.

    After an ambiguous answer the list is the short one of the categories that matched.
    """
    options = _options(out)
    by_code = {o.code: o for o in options}
    codes = _shown(out, options)
    short = codes != [o.code for o in options[:CATEGORY_LIST_MAX]]
    names = [by_code[c].name for c in codes]
    names.append(_t("other", out.language, sms=out.sms))
    header = _t("ask_category_short" if short else "ask_category", out.language, sms=out.sms)
    more = not short and len(by_code) > len(codes)
    if out.sms:
        _sms_list(out, header, names)
        if more:
            out.say("category_more")
        return
    lines = [header, *(f"{n}. {name}" for n, name in enumerate(names, 1))]
    if more:
        lines.append(_t("category_more", out.language))
    out.replies.append("\n".join(lines))


def _sms_list(out: _Reply, header: str, names: list[str]) -> None:
    """A numbered list split into texts of at most SMS_MAX characters."""
    current = header
    for number, name in enumerate(names, 1):
        item = f"{number} {' '.join(name.split())}"[: SMS_MAX - 4]
        if len(current) + 2 + len(item) > SMS_MAX:
            out.replies.append(current)
            current = item
        else:
            current = f"{current} {item}" if current == header else f"{current}, {item}"
    out.replies.append(current)


def _step_category(out: _Reply, incoming: Incoming) -> None:
    if _aside(out, incoming):
        return
    options = _options(out)
    if not options:
        _choose(out, None)
        return
    by_code = {o.code: o for o in options}
    shown = _shown(out, options)
    text = incoming.text.strip()
    number = _number(text)
    if number is not None:
        if 1 <= number <= len(shown):
            _choose(out, by_code[shown[number - 1]])
        elif number == len(shown) + 1:
            _choose(out, None)
        else:
            out.say("category_number_unknown", number=number)
            _category_list(out)
        return
    plain = normalize(text)
    if not plain:
        out.say("empty")
        _category_list(out)
        return
    if plain in _OTHER:
        _choose(out, None)
        return
    found = match_options(text, options)
    if len(found) == 1:
        _choose(out, found[0])
        return
    if found:
        out.draft.shown = [o.code for o in found[:CATEGORY_LIST_MAX]]
    else:
        out.say("category_no_match", text=" ".join(text.split())[:60])
        out.draft.shown = []
    _category_list(out)


def _choose(out: _Reply, option: Option | None) -> None:
    draft = out.draft
    draft.shown = []
    draft.category = option.code if option else ""
    draft.category_name = option.name if option else ""
    draft.category_type = option.report_type if option else ""
    draft.step = STEP_DESCRIPTION
    if option is not None:
        out.say("category_chosen", name=option.name)
    _prompt(out)


def _step_description(out: _Reply, incoming: Incoming) -> None:
    if incoming.kind == "location":
        _aside(out, incoming)
        return
    text = incoming.text.strip()
    if incoming.kind in ("image", "document"):
        if not text:
            _aside(out, incoming)
            return
        if incoming.media_id and not out.draft.add_media(incoming.media_id[:200]):
            out.say("photo_full", max=MEDIA_MAX)
    if len(text) < DESCRIPTION_MIN:
        if text:
            out.say("description_short", count=len(text), min=DESCRIPTION_MIN)
        else:
            out.say("empty")
            _prompt(out)
        return
    out.draft.description = text[:DESCRIPTION_MAX]
    if out.draft.has_location():
        _after_location(out)
    else:
        out.draft.step = STEP_LOCATION
        _prompt(out)


def _step_location(out: _Reply, incoming: Incoming) -> None:
    if incoming.kind == "location":
        if _set_location(out.draft, incoming):
            _after_location(out)
        else:
            out.say("bad_location")
            _prompt(out)
        return
    if incoming.kind in ("image", "document"):
        _aside(out, incoming)
        return
    text = " ".join(incoming.text.split())
    if normalize(text) in _SKIP or normalize(text) in _DONE:
        _after_location(out)
    elif len(text) < 3:
        out.say("location_short" if text else "empty")
        _prompt(out)
    else:
        out.draft.address = text[:ADDRESS_MAX]
        _after_location(out)


def _after_location(out: _Reply) -> None:
    if out.sms:
        _file(out)
    else:
        out.draft.step = STEP_PHOTOS
        _prompt(out)


def _step_photos(out: _Reply, incoming: Incoming) -> None:
    if incoming.kind in ("image", "document"):
        caption = incoming.text.strip()
        if caption:
            joined = f"{out.draft.description}\n\n{caption}"
            out.draft.description = joined[:DESCRIPTION_MAX]
        if not incoming.media_id:
            out.say("photo_missing")
        elif out.draft.add_media(incoming.media_id[:200]):
            out.say("photo_saved", count=len(out.draft.media), max=MEDIA_MAX)
        else:
            out.say("photo_full", max=MEDIA_MAX)
            _prompt(out)
        return
    if incoming.kind == "location":
        _aside(out, incoming)
        return
    anonymous, confidential, rest = _privacy(normalize(incoming.text).split())
    if rest and " ".join(rest) in _DONE or (not rest and (anonymous or confidential)):
        _file(out, anonymous=anonymous, confidential=confidential)
        return
    if not incoming.text.strip():
        out.say("empty")
    out.say("photos_hint")


def _file(out: _Reply, *, anonymous: bool = False, confidential: bool = False) -> None:
    draft = out.draft
    report_type = draft.category_type or draft.report_type or ReportType.COMPLAINT.value
    out.action = FileReport(
        report_type=report_type,
        category_code=draft.category,
        title=derive_title(draft.description, draft.category_name),
        description=draft.description,
        address=draft.address,
        latitude=draft.latitude,
        longitude=draft.longitude,
        media_ids=tuple(draft.media),
        is_anonymous=anonymous,
        is_confidential=confidential,
    )
    out.draft = _Draft(out.language)
