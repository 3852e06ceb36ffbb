"""Every word the code marks for translation has a finished Simplified Chinese translation that
keeps its placeholders, and the English catalog has both plural forms of every %n word.

The words are read from the code itself (pyside6-lupdate over vidu_desktop/, as `make strings`
does) and compared with resources/*.ts, so a new `self.tr("…")` without a translation fails here,
naming it. To fix: `make strings`, translate the unfinished messages in
resources/vidu_desktop_zh_CN.ts (Qt Linguist, by hand, or vidu_desktop.ui.i18n.fill_ts), then
`make translations`.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vidu_desktop.ui.i18n import LANGUAGES, Message, read_ts

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "vidu_desktop"
RESOURCES = REPO / "resources"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"
#: The calls lupdate extracts from Python: what the text argument of each must be a literal in.
MARKERS = {"tr": 0, "translate": 1, "QT_TR_NOOP": 0, "QT_TRANSLATE_NOOP": 1}

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
ACCELERATOR = re.compile(r"&(?!&)\w")


def _key(message: Message) -> tuple[str, str]:
    return message.context, message.source


@pytest.fixture(scope="module")
def in_code(tmp_path_factory) -> list[Message]:
    """What the code marks today, as lupdate extracts it into a fresh .ts file."""
    out = tmp_path_factory.mktemp("lupdate") / "extracted.ts"
    done = subprocess.run([str(LUPDATE), "-extensions", "py", "-locations", "none", "-silent", str(SOURCES),
                           "-ts", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    messages = read_ts(out)
    assert messages, "lupdate found no words at all: is the extraction broken?"
    return messages


def _catalog(language: str) -> dict[tuple[str, str], Message]:
    return {_key(m): m for m in read_ts(RESOURCES / f"vidu_desktop_{language}.ts") if not m.obsolete}


def _where(message: Message) -> str:
    return f"[{message.context}] {message.source!r}"


def test_every_marked_word_has_a_finished_chinese_translation(in_code):
    catalog = _catalog("zh_CN")
    missing = [_where(m) for m in in_code
               if not (found := catalog.get(_key(m))) or not found.finished or found.plural != m.plural]
    assert not missing, (f"{len(missing)} of {len(in_code)} words have no finished zh_CN translation "
                         "(run `make strings`, translate them in resources/vidu_desktop_zh_CN.ts):\n"
                         + "\n".join(missing))


def test_english_has_both_plural_forms_of_every_counted_word(in_code):
    catalog = _catalog("en")
    missing = [_where(m) for m in in_code if m.plural and not (
        (found := catalog.get(_key(m))) and found.finished and len(found.translations) == 2)]
    assert not missing, ("words with %n need their English singular and plural in resources/vidu_desktop_en.ts "
                         "(`make strings`, then fill both forms):\n" + "\n".join(missing))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_counts_markup_and_shortcuts(language):
    wrong = []
    for message in _catalog(language).values():
        for text in message.translations:
            if not text:
                continue
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(message.source)):
                wrong.append(f"{_where(message)}: placeholders differ in {text!r}")
            if "%n" in message.source and "%n" not in text and language != "en":
                wrong.append(f"{_where(message)}: %n is missing in {text!r}")
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(message.source)):
                wrong.append(f"{_where(message)}: HTML tags differ in {text!r}")
            if bool(ACCELERATOR.search(text)) != bool(ACCELERATOR.search(message.source)):
                wrong.append(f"{_where(message)}: the &shortcut is lost or added in {text!r}")
    assert not wrong, "\n".join(wrong)


#: One Chinese word per thing, everywhere (the app's UI conventions): an English word in a source
#: (a regular expression) must come out as this in its zh_CN translation.
GLOSSARY = {
    r"\bGenerate\b": "生成", r"\bSettings\b": "设置", r"\bRetry\b": "重试", r"\bCancel\b": "取消",
    r"(?i)\bjobs?\b": "任务", r"(?i)\bvideos?\b": "视频", r"(?i)\bimages?\b": "图片",
    r"(?i)\bprompts?\b": "提示词", r"\bAPI key\b": "API 密钥", r"(?i)\bdemo mode\b": "演示模式",
    r"(?i)\bbalance\b": "余额", r"(?i)\bestimate[sd]?\b": "估算", r"(?i)\bdownload": "下载",
}
#: (context, source) whose translation may say it otherwise, and why.
GLOSSARY_EXCEPTIONS: dict[tuple[str, str], str] = {}


def test_chinese_uses_one_word_per_thing():
    wrong = []
    for key, message in _catalog("zh_CN").items():
        if key in GLOSSARY_EXCEPTIONS or not message.finished:
            continue
        for english, chinese in GLOSSARY.items():
            words = PLACEHOLDER.sub("", message.source)  # {videos} is a value, not the word
            if re.search(english, words) and any(chinese not in text for text in message.translations):
                wrong.append(f"{_where(message)}: {english!r} should be {chinese!r} in {message.translations}")
    assert not wrong, "\n".join(wrong)


def test_marked_words_are_literals_the_extraction_can_see():
    """tr(f"…{x}") is extracted with the braces but looked up with the values: never found at run
    time. Placeholders are filled after the lookup: tr("… {name} …").format(name=x)."""
    wrong = []
    for path in sorted(SOURCES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            position = MARKERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            context = node.args[0]
            if position == 1 and not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                continue  # not a translation: QTransform.translate(x, y) and the like
            text = node.args[position]
            if isinstance(text, ast.JoinedStr | ast.BinOp) or (
                    isinstance(text, ast.Call) and isinstance(text.func, ast.Attribute)
                    and isinstance(text.func.value, ast.Constant)):
                wrong.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(text)[:80]}")
    assert not wrong, "text built before the lookup (use .format after tr()):\n" + "\n".join(wrong)


def test_the_built_catalogs_are_newer_than_their_sources():
    """`make` builds resources/*.qm; a stale one would show old words (run `make translations`)."""
    for ts in RESOURCES.glob("*.ts"):
        qm = ts.with_suffix(".qm")
        assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime, f"{qm.name} is missing or older than {ts.name}"


@pytest.mark.parametrize("override, system, chosen", [
    ("", "zh_CN", "zh_CN"), ("", "zh_SG", "zh_CN"), ("", "zh", "zh_CN"), ("", "zh_TW", "en"),
    ("", "zh_HK", "en"), ("", "fr_FR", "en"), ("", "C", "en"), ("", "en_GB", "en"),
    ("en", "zh_CN", "en"), ("zh_CN", "de_DE", "zh_CN"), ("klingon", "zh_CN", "zh_CN"),
])
def test_the_language_is_the_override_else_the_system_one_the_app_speaks(override, system, chosen):
    from PySide6.QtCore import QLocale

    from vidu_desktop.ui.i18n import choose_language

    assert choose_language(override, QLocale(system)) == chosen


def test_core_words_are_english_without_a_translator_and_never_fail_on_a_broken_one():
    from vidu_desktop.core import errors

    cause = errors.QT_TRANSLATE_NOOP("errors", "no answer came within {seconds} s")
    error = errors.SubmissionUncertain("detail", cause, {"seconds": 2})
    assert "no answer came within 2 s" in errors.describe(error)
    errors.set_translator(lambda context, text, disambiguation=None, n=-1: text.replace("{", "{broken"))
    try:
        assert "no answer came within 2 s" in errors.describe(error)  # the English words, not a KeyError
        assert "Wait about 7 s" in errors.describe(errors.RateLimitError(429, retry_after=7))
    finally:
        errors.set_translator(None)
    assert errors.translate("x", "%n jobs", n=3) == "3 jobs"


def test_no_class_that_translates_with_self_tr_is_subclassed():
    """PySide's self.tr() looks words up under the class of the object at run time, while lupdate
    files them under the class that wrote them: in a subclass they are never found. Such a base
    class should use QCoreApplication.translate("ItsName", …) instead."""
    translating, bases = set(), {}
    for path in sorted(SOURCES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ClassDef):
                continue
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                bases.setdefault(name, []).append(f"{path.relative_to(REPO)}: {node.name}")
            if any(isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "tr"
                   and isinstance(call.func.value, ast.Name) and call.func.value.id == "self"
                   for call in ast.walk(node)):
                translating.add(node.name)
    wrong = [f"{sub} subclasses {name}" for name in sorted(translating) for sub in bases.get(name, [])]
    assert not wrong, "\n".join(wrong)
