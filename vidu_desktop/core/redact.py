"""The one redactor: every API key the app has seen, hidden from everything stored, shown or logged.

`remember(key)` wherever a key enters the app (the environment, the keyring, a key typed into
Settings, a key being tested); `redact(text)` on anything that leaves it (a job's error in the
database, words in the window, log lines and tracebacks). Keys are only ever added: a key that
was removed or replaced may still come back in a late answer, so it stays hidden for the rest
of the process.

What counts as the key:
- the key itself and the ways it travels or gets quoted: URL-encoded, JSON- or repr-escaped,
  base64 (of the key and of "Bearer <key>");
- any run of FRAGMENT_CHARS or more consecutive characters of one of those (a server's message
  is cut to a few hundred characters, and the cut may fall in the middle of the key), for keys
  of a sensible length (up to FRAGMENTED_UP_TO characters; a longer paste is hidden whole).
Everything that matches becomes MASK: never a part of the key ("sk-…1234" would give away
four characters and the key's length).

Pure Python, thread-safe: `remember` swaps in a new immutable table under a lock, and `redact`
reads whichever table is current without locking.
"""

from __future__ import annotations

import base64
import json
import threading
import traceback
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

MASK = "[key hidden]"
MIN_SECRET_CHARS = 6  # shorter: too likely to be an ordinary word, and no real key is this short
FRAGMENT_CHARS = 10  # this many characters in a row from a key are hidden like the whole key
FRAGMENTED_UP_TO = 512  # a longer "key" (a paste gone wrong) is hidden whole only: bounded memory
_MAX_PASSES = 4  # a key that ends in "[key" could re-form around a mask: redact the result again


@dataclass(frozen=True)
class _Table:
    secrets: frozenset[str] = frozenset()  # the keys as remembered (what `known` reports)
    whole: tuple[str, ...] = ()  # every form of every key, longest first
    fragments: frozenset[str] = frozenset()  # every FRAGMENT_CHARS-long run of a form
    anchors: tuple[str, ...] = ()  # every fragment contains one of these: a fast first look


_lock = threading.Lock()
_table = _Table()


def _forms(secret: str) -> set[str]:
    """The key and the ways it is written in a header, a URL, JSON, a repr or base64."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1], repr(secret)[1:-1]}
    for raw in (secret, "Bearer " + secret):
        data = raw.encode("utf-8", "surrogatepass")
        for encoded in (base64.b64encode(data), base64.urlsafe_b64encode(data)):
            text = encoded.decode("ascii")
            forms.update((text, text.rstrip("=")))
    return {form for form in forms if len(form) >= MIN_SECRET_CHARS}


def _anchors(form: str) -> list[str]:
    # Blocks of half a fragment at every multiple of that length: any FRAGMENT_CHARS-long run of
    # the form contains at least one whole block, so a text without any block has no fragment.
    half = FRAGMENT_CHARS // 2
    return [form[i:i + half] for i in range(0, len(form) - half + 1, half)]


def remember(secret: str | None) -> None:
    """Hide this key (and its encodings) in everything redacted from now on, in every thread.

    Empty, None and strings shorter than MIN_SECRET_CHARS (after stripping) are ignored.
    """
    global _table
    if not isinstance(secret, str):
        return
    secret = secret.strip()
    if len(secret) < MIN_SECRET_CHARS:
        return
    with _lock:
        if secret in _table.secrets:
            return
        forms = set(_table.whole) | _forms(secret)
        fragments = set(_table.fragments)
        anchors = set(_table.anchors)
        for form in forms:
            if FRAGMENT_CHARS < len(form) <= FRAGMENTED_UP_TO:
                fragments.update(form[i:i + FRAGMENT_CHARS] for i in range(len(form) - FRAGMENT_CHARS + 1))
                anchors.update(_anchors(form))
        _table = _Table(secrets=_table.secrets | {secret},
                        whole=tuple(sorted(forms, key=lambda form: (-len(form), form))),
                        fragments=frozenset(fragments),
                        anchors=tuple(sorted(anchors)))


def known() -> int:
    """How many keys are remembered (never which)."""
    return len(_table.secrets)


def _covered(text: str, table: _Table) -> list[tuple[int, int]]:
    """The [start, end) spans of `text` that are a key, a form of one, or a fragment of one."""
    spans: list[tuple[int, int]] = []
    for form in table.whole:
        start = text.find(form)
        while start >= 0:
            spans.append((start, start + len(form)))
            start = text.find(form, start + 1)
    if table.fragments and any(anchor in text for anchor in table.anchors):
        fragments, size = table.fragments, FRAGMENT_CHARS
        spans.extend((i, i + size) for i in range(len(text) - size + 1) if text[i:i + size] in fragments)
    return spans


def _once(text: str, table: _Table) -> str:
    spans = _covered(text, table)
    if not spans:
        return text
    spans.sort()
    parts: list[str] = []
    position = 0
    run_start, run_end = spans[0]
    for start, end in spans[1:]:
        if start <= run_end:  # overlapping or touching: one mask for both
            run_end = max(run_end, end)
            continue
        parts += [text[position:run_start], MASK]
        position = run_end
        run_start, run_end = start, end
    parts += [text[position:run_start], MASK, text[run_end:]]
    return "".join(parts)


def redact(text: str) -> str:
    """`text` with every remembered key (any form, any long enough piece) replaced by MASK."""
    table = _table
    if not table.whole:
        return text
    for _ in range(_MAX_PASSES):
        cleaned = _once(text, table)
        if cleaned == text:
            return text
        text = cleaned
    # Only a key built to re-form around the mask gets here: hide everything rather than it.
    return MASK if _covered(text, table) else text


def format_exception(error: BaseException) -> str:
    """The whole traceback of `error` (causes and contexts included), redacted."""
    return redact("".join(traceback.format_exception(error)))
