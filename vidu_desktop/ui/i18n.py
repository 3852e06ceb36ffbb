"""The window's language: the app's own words (resources/vidu_desktop_<lang>.qm, built by
`make translations` from the .ts files) and Qt's (standard buttons, file dialogs), chosen from
the Settings override or the system locale.

Words are marked in the code with `self.tr("…")` in a QObject subclass,
`QCoreApplication.translate("Context", "…")` elsewhere in the ui, and
`errors.translate("context", "…")` / `errors.QT_TRANSLATE_NOOP` in the Qt-free core; placeholders
are `{name}` filled by `.format(name=…)` after the lookup, plural counts `%n` (pass n). `make
strings` refreshes the .ts files from the sources; tests/unit/test_translations.py fails on a
word without a finished translation.

The language is read once at start: widgets take their words when they are made, so a change in
Settings applies at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..core import errors
from .theme import resource_path

log = logging.getLogger(__name__)

#: The languages the app speaks; the first is the one the source code is written in.
LANGUAGES = ("en", "zh_CN")
SOURCE_LANGUAGE = LANGUAGES[0]
#: Each language's own name, for the language choice in Settings (not translated on purpose:
#: a user looks for the name of their language as they write it).
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
APP_CATALOG = "vidu_desktop"
#: Qt's own catalogs loaded too: qtbase has the standard dialog buttons and file dialogs.
QT_CATALOGS = ("qtbase", "qtmultimedia")

_installed: list[QTranslator] = []  # kept alive: Qt holds no reference to an installed translator


def catalog_file(language: str) -> str:
    """Where the built catalog of `language` is (present once `make translations` ran)."""
    return resource_path(f"{APP_CATALOG}_{language}.qm")


def choose_language(override: str = "", system: QLocale | None = None) -> str:
    """One of LANGUAGES: the override when it names one, else the first of the system's UI
    languages the app speaks (zh_CN for Chinese in Simplified script: zh, zh_CN, zh_SG; not
    zh_TW or zh_HK), else English."""
    if override in LANGUAGES:
        return override
    locale = system if system is not None else QLocale.system()
    traditional = False  # zh_TW lists a bare "zh" (Simplified) as its fallback: not for us
    for name in [*locale.uiLanguages(), locale.name()]:
        candidate = QLocale(name)
        if candidate.language() == QLocale.Language.English:
            return "en"
        if candidate.language() == QLocale.Language.Chinese:
            traditional = traditional or candidate.script() != QLocale.Script.SimplifiedHanScript
            if not traditional:
                return "zh_CN"
    return SOURCE_LANGUAGE


def install_translations(app: QCoreApplication, language: str = "") -> str:
    """Install the translators for `language` ("" = the system's; see choose_language) on `app`,
    replacing any installed before, and return the language now in effect. Call it before the
    first widget is made. English still loads its catalog: it holds the plural forms ("1 job",
    "3 jobs") of the %n words. A missing catalog means English words, logged, never a failure."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    chosen = choose_language(language)
    own = QTranslator(app)
    if own.load(catalog_file(chosen)):
        app.installTranslator(own)
        _installed.append(own)
    elif chosen != SOURCE_LANGUAGE:
        log.warning("no translation file %s (run `make translations`): the window stays in English",
                    catalog_file(chosen))
        chosen = SOURCE_LANGUAGE
    if chosen != SOURCE_LANGUAGE:
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalog in QT_CATALOGS:
            qt = QTranslator(app)
            if qt.load(QLocale(chosen), catalog, "_", qt_folder):
                app.installTranslator(qt)
                _installed.append(qt)
            else:
                log.info("Qt's %s translation for %s is not in %s", catalog, chosen, qt_folder)
    errors.set_translator(QCoreApplication.translate)  # the core's words (errors.describe) too
    log.info("window language: %s", chosen)
    return chosen


# -- reading .ts files (the translation tests and `make strings` reports) ------------------------


@dataclass(frozen=True)
class Message:
    """One word of a .ts file: where it is used, the source and what it became."""

    context: str
    source: str
    translations: tuple[str, ...]  # one per plural form for %n words, else one
    finished: bool  # neither type="unfinished" nor empty
    plural: bool
    obsolete: bool  # gone from the sources (type="vanished" or "obsolete")


def read_ts(path: Path) -> list[Message]:
    """Every message of the .ts file at `path` (the project's own files: trusted input)."""
    import xml.etree.ElementTree as ET  # tooling and tests only: the app's start-up does not pay for it

    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        context_name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            plural = message.get("numerus") == "yes"
            if translation is None:
                texts: tuple[str, ...] = ()
            elif plural:
                texts = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                texts = (translation.text or "",)
            messages.append(Message(
                context=context_name, source=message.findtext("source", ""), translations=texts,
                finished=kind == "" and bool(texts) and all(texts), plural=plural,
                obsolete=kind in ("vanished", "obsolete")))
    return messages


def fill_ts(path: Path, translations: Mapping[tuple[str, str], str | Sequence[str]]) -> int:
    """Write `translations` ((context, source) -> the words, or one text per plural form) into
    the .ts file at `path`, marked finished; return how many messages were filled. The file is
    written by ElementTree: `make strings` puts it back into lupdate's own layout."""
    import xml.etree.ElementTree as ET  # tooling only

    tree = ET.parse(path)
    filled = 0
    for context in tree.getroot().iter("context"):
        context_name = context.findtext("name", "")
        for message in context.iter("message"):
            words = translations.get((context_name, message.findtext("source", "")))
            translation = message.find("translation")
            if words is None or translation is None:
                continue
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                forms = [words] if isinstance(words, str) else list(words)
                for old in list(translation):
                    translation.remove(old)
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = words if isinstance(words, str) else words[0]
            filled += 1
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
    return filled
