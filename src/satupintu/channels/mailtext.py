"""The words of an e-mail, without the mail around them: pure functions, no Django, no I/O.

* :func:`html_to_text`: an HTML-only mail's text (paragraphs and line breaks kept, scripts and
  styles dropped, a ``<blockquote>`` quoted with ``>`` so :func:`strip_reply` can cut it);
* :func:`strip_reply`: a reply without the text it quotes ("On … wrote:", "Pada … menulis:",
  Outlook's "-----Original Message-----" or ``From:``/``Sent:`` block, ``>`` lines) and without
  its signature (``-- ``, "Sent from my …", "Dikirim dari …");
* :func:`strip_signature`: a new mail without its signature (its quoted text may be the very
  complaint it forwards, so that stays);
* :func:`guess_language`: ``en`` when the text is clearly English, else ``id``;
* :func:`title_from`: a report's title from a subject ("Re:", "Fwd:" and tags removed) or the
  first words of the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Tags that end a paragraph (a blank line) and tags that end a line.
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre", "hr"}
)
_LINE_TAGS = frozenset(
    {"address", "article", "div", "dt", "dd", "footer", "form", "header", "li", "section", "tr"}
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skip = 0
        self.quote = 0

    def _newline(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def _paragraph(self) -> None:
        self._newline()
        if len(self.lines) > 1 and self.lines[-2].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self.lines.append("")
        elif tag == "blockquote":
            self._newline()
            self.quote += 1
        elif tag in _PARAGRAPH_TAGS:
            self._paragraph()
        elif tag in _LINE_TAGS:
            self._newline()
        elif tag in {"td", "th"} and self.lines[-1].strip():
            self.lines[-1] += " "

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self._newline()
            self.quote = max(0, self.quote - 1)
        elif tag in _PARAGRAPH_TAGS:
            self._paragraph()
        elif tag in _LINE_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and not self.lines[-1]:
            return
        if not self.lines[-1] and self.quote:
            self.lines[-1] = "> " * self.quote
            text = text.lstrip()
        self.lines[-1] += text


def html_to_text(html: str) -> str:
    """The readable text of an HTML body."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # a broken document: keep what was read
        pass
    lines = [line.strip() for line in parser.lines]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --------------------------------------------------------------------------- replies

#: A line that starts the quoted original, in the languages our residents write and their
#: mail programs speak (Gmail, Outlook, Thunderbird, Apple Mail, in English and Indonesian).
_QUOTE_HEADER = re.compile(
    r"^\s*(?:"
    r"On\b.{0,300}\bwrote:"
    r"|Pada\b.{0,300}\bmenulis:"
    r"|-{2,}\s*(?:Original Message|Pesan Asli|Forwarded message|Pesan yang diteruskan)\s*-{2,}"
    r"|_{10,}"
    r")\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:From|Dari)\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*(?:Sent|Date|To|Dikirim|Tanggal|Kepada)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^(?:-- ?|Sent from my .*|Dikirim dari .*|Get Outlook for .*|Kirim dari .*)$",
    re.IGNORECASE,
)


def strip_reply(text: str) -> str:
    """What the person wrote in a reply: the quoted original and the signature cut off."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _QUOTE_HEADER.match(line) or _QUOTE_HEADER.match(f"{line} {following.strip()}"):
            break
        if _OUTLOOK_FROM.match(line) and _OUTLOOK_NEXT.match(following):
            break
        if _SIGNATURE.match(line.rstrip()) or line.rstrip() == "--":
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return _tidy("\n".join(kept))


def strip_signature(text: str) -> str:
    """A new mail's text without its signature block (``-- `` and what follows)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        if line.rstrip() in {"--", "-- "} or line == "-- ":
            lines = lines[:i]
            break
    return _tidy("\n".join(lines))


def _tidy(text: str) -> str:
    # No database column stores NUL; other control characters (but tab and newline) say nothing.
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --------------------------------------------------------------------------- language

_ENGLISH = frozenset(
    "the and is are was were there please my our this that with have has been not "
    "street road near since because would could you your we it of for".split()
)
_INDONESIAN = frozenset(
    "yang dan di ini itu tidak dengan untuk ada saya kami sudah belum jalan mohon dari "
    "ke pada sejak karena sangat tolong bapak ibu warga depan dekat".split()
)


def guess_language(text: str, content_language: str = "") -> str:
    """``en`` when the mail says it is English (``Content-Language``) or its words clearly
    are; ``id`` otherwise (the site's language, domain.md: an Indonesian Pemda)."""
    declared = content_language.strip().lower()
    if declared.startswith("en"):
        return "en"
    if declared.startswith("id"):
        return "id"
    words = re.findall(r"[a-z]+", text.lower()[:5000])
    english = sum(word in _ENGLISH for word in words)
    indonesian = sum(word in _INDONESIAN for word in words)
    return "en" if english >= 3 and english > 2 * indonesian else "id"


# --------------------------------------------------------------------------- titles

_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|balas|bls|terusan|trs)\s*(?:\[\d+\])?\s*:\s*)+",
    re.IGNORECASE,
)
_TAG = re.compile(r"\[[^\]]{0,40}\]\s*")


def clean_subject(subject: str) -> str:
    """A subject without "Re:"/"Fwd:" prefixes and ``[…]`` tags, on one line."""
    text = re.sub(r"\s+", " ", subject or "").strip()
    previous = None
    while previous != text:
        previous = text
        text = _REPLY_PREFIX.sub("", text)
        text = _TAG.sub("", text).strip()
    return text


def title_from(subject: str, text: str, *, max_len: int = 200, words: int = 10) -> str:
    """A report's title: the cleaned subject, else the text's first ``words`` words."""
    title = clean_subject(subject)
    if not title:
        title = " ".join(text.split()[:words])
    if len(title) > max_len:
        title = title[: max_len - 1].rstrip() + "…"
    return title
