"""The translation catalogues (src/satupintu/locale): complete, in step with the sources, used.

The msgids are Indonesian (the default language); ``en`` translates them and ``id`` repeats
them so that the catalogue is explicit. After changing a user-visible string, refresh both
catalogues from the package directory and translate what is new in ``en``:

    cd src/satupintu && python -m django makemessages -l en -l id --no-obsolete \
        --add-location file -i "demo/*" --settings satupintu.config.settings

The ``.mo`` files are not kept in git: ``python -m satupintu.core.i18n_compile`` builds them.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from satupintu.complaints.models import StatusChoices
from satupintu.core.i18n_compile import PACKAGE_ROOT, compile_all
from tests.conftest import City

LOCALE_DIR = PACKAGE_ROOT / "locale"
LANGUAGES = ("en", "id")
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "id": "nplurals=1; plural=0;"}
# The same options as the command in the module docstring.
MAKEMESSAGES_OPTIONS: dict[str, Any] = {
    "ignore_patterns": ["demo/*"],
    "add_location": "file",
    "no_obsolete": True,
}

# Python-format placeholders (blocktranslate turns {{ var }} into %(var)s) and markup.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|</?[a-z]+[^>]*>")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --------------------------------------------------------------------------- (a) complete


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header(language: str) -> None:
    po = catalogue(language)
    assert not po.metadata_is_fuzzy, "remove the fuzzy flag of the header"
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.encoding.lower() in ("utf-8", "utf8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    po = catalogue(language)
    nplurals = int(PLURAL_FORMS[language].split(";")[0].removeprefix("nplurals="))
    assert len(po) > 500
    assert [e.msgid for e in po.fuzzy_entries()] == [], "fuzzy entries"
    assert [e.msgid for e in po.obsolete_entries()] == [], "obsolete entries"
    untranslated = [e.msgid for e in po if any(not s.strip() for s in translations(e))]
    assert untranslated == [], "untranslated entries"
    wrong_forms = [e.msgid for e in po if e.msgid_plural and len(e.msgstr_plural) != nplurals]
    assert wrong_forms == [], f"plural entries need {nplurals} form(s)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    problems = []
    for entry in catalogue(language):
        wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in translations(entry):
            if placeholders(text) != wanted:
                problems.append(f"{entry.msgid!r} -> {text!r}")
    assert problems == []


def test_indonesian_catalogue_repeats_the_msgids() -> None:
    differing = [e.msgid for e in catalogue("id") if set(translations(e)) != {e.msgid}]
    assert differing == []


def test_english_catalogue_translates() -> None:
    """Only names and abbreviations read the same in English."""
    same = {e.msgid for e in catalogue("en") if e.msgstr == e.msgid and not e.msgid_plural}
    names = {"—", "API", "Open311", "SMS", "WhatsApp", "PDF", "Evaluator", "Kec. %(name)s"}
    names |= {"SKM", "IKM", "NRR", "NRR × 25", "Target"}  # SKM abbreviations; a shared word
    assert same <= names | {"Status", "status", "data", "internal"}


# --------------------------------------------------------------------------- (b) in step


def _gettext_tools() -> None:
    missing = [p for p in ("xgettext", "msguniq", "msgmerge", "msgattrib") if not shutil.which(p)]
    if missing:
        message = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_catalogues_are_in_step_with_the_sources(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gettext_tools()
    copy = tmp_path / "satupintu"
    shutil.copytree(
        PACKAGE_ROOT,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.po", "*.mo", "static"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]  # never the real catalogues
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["en"], verbosity=0, stdout=io.StringIO(), **MAKEMESSAGES_OPTIONS
    )

    fresh = {key(e) for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {key(e) for e in catalogue("en")}
    assert sorted(fresh - committed) == [], "in the sources, missing from the catalogues"
    assert sorted(committed - fresh) == [], "in the catalogues, gone from the sources"
    assert committed == {key(e) for e in catalogue("id")}, "en and id have different msgids"


# --------------------------------------------------------------------------- (c) used


@pytest.fixture
def compiled(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Iterator[Path]:
    """The catalogues compiled with i18n_compile into a private folder that Django reads.

    Changing LOCALE_PATHS resets Django's translation caches (and so does restoring it), so
    the test neither depends on ``scripts/setup`` having run nor rewrites the package's .mo
    files while another test process reads them."""
    root = tmp_path_factory.mktemp("i18n")
    shutil.copytree(LOCALE_DIR, root / "locale", ignore=shutil.ignore_patterns("*.mo"))
    built = compile_all(root, force=True)
    assert sorted(p.parent.parent.name for p in built) == ["en", "id"]
    settings.LOCALE_PATHS = [root / "locale"]
    yield root / "locale"
    translation.deactivate()  # the test client leaves the last request's language active


def text_of(response: Any) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def leftovers(page: str) -> list[str]:
    """Indonesian phrases of the catalogue that the English page still shows."""
    return sorted(
        e.msgid
        for e in catalogue("en")
        if not e.msgid_plural
        and e.msgid not in e.msgstr  # not "Disposisi" glossed as "Disposisi (routing)"
        and len(e.msgid.split()) >= 2
        and "%(" not in e.msgid
        and e.msgid in page
    )


def english(client: Client) -> Client:
    """Switch the client to English with the language form of every page."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


INDONESIAN = ("Buat laporan", "Lacak laporan", "Kirim laporan", "Masuk petugas", "Kata sandi")


@pytest.mark.django_db
def test_portal_in_english(compiled: Path, city: City) -> None:
    client = english(Client())
    home = text_of(client.get(reverse("portal:home")))
    assert '<html lang="en">' in home
    for phrase in ("Make a report", "Track a report", "How it works", "Report", "Track"):
        assert phrase in home
    for phrase in INDONESIAN:
        assert phrase not in home
    assert leftovers(home) == []

    submit = text_of(client.get(reverse("portal:submit")))
    for phrase in ("Send report", "Type of report", "What happened?", "Report title"):
        assert phrase in submit
    for phrase in ("Kirim laporan", "Jenis laporan", "Apa yang terjadi?"):
        assert phrase not in submit
    assert leftovers(submit) == []

    track = text_of(client.get(reverse("portal:track")))
    assert "Track a report" in track
    assert leftovers(track) == []


@pytest.mark.django_db
def test_desk_in_english(compiled: Path, city: City) -> None:
    login = text_of(english(Client()).get(reverse("desk:login")))
    for phrase in ("Officer sign-in", "Username", "Password", "Citizen portal"):
        assert phrase in login
    for phrase in ("Masuk petugas", "Kata sandi", "Nama pengguna", "Portal warga"):
        assert phrase not in login
    assert leftovers(login) == []

    report = city.dispatched()
    officer = Client()
    officer.force_login(city.officer_a)
    english(officer)
    home = text_of(officer.get(reverse("desk:home")))
    for phrase in ("Inbox of Dinas PUPR", "reports to follow up", "Sign out", "Desk"):
        assert phrase in home
    for phrase in ("Kotak masuk", "Keluar", "Meja kerja"):
        assert phrase not in home
    assert leftovers(home) == []

    page = text_of(officer.get(reverse("desk:report", args=[report.pk])))
    for phrase in ("Disposisi (routing) history", "Report history", "Routed", "Actions"):
        assert phrase in page
    for phrase in ("Riwayat disposisi", "Riwayat laporan", "Tindakan"):
        assert phrase not in page
    assert leftovers(page) == []


@pytest.mark.django_db
def test_indonesian_is_the_default(compiled: Path, city: City) -> None:
    home = text_of(Client().get(reverse("portal:home")))
    assert '<html lang="id">' in home
    assert "Buat laporan" in home and "Lacak laporan" in home
    assert "Make a report" not in home and "Track a report" not in home

    officer = Client()
    officer.force_login(city.officer_a)
    desk = text_of(officer.get(reverse("desk:home")))
    assert "Kotak masuk Dinas PUPR" in desk and "Keluar" in desk
    assert "Inbox of" not in desk and "Sign out" not in desk


def test_python_strings_in_english(compiled: Path) -> None:
    with translation.override("en"):
        assert str(StatusChoices.RECEIVED.label) == "Received"
        routed = "%(count)d laporan didisposisikan."
        assert translation.ngettext(routed, routed, 2) % {"count": 2} == "2 reports routed."
        assert translation.ngettext(routed, routed, 1) % {"count": 1} == "1 report routed."
    with translation.override("id"):
        assert str(StatusChoices.RECEIVED.label) == "Diterima"


def test_one_indonesian_word_for_different_things_gets_the_right_english() -> None:
    # "Selesai" is a report status, a finished follow-up, a period's end date and a button.
    from satupintu.surveys.desk_forms import PeriodForm
    from satupintu.surveys.models import FollowUpAction

    with translation.override("en"):
        assert str(StatusChoices.RESOLVED.label) == "Resolved"
        assert str(FollowUpAction.Status.DONE.label) == "Done"
        assert str(PeriodForm.base_fields["ends_on"].label) == "Ends"
