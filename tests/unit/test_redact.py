"""The one redactor (vidu_desktop.core.redact): every key seen is hidden, whole, encoded or cut."""

from __future__ import annotations

import base64
import json
import secrets
import string
import threading
import traceback
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidu_desktop.core import redact
from vidu_desktop.core.redact import FRAGMENT_CHARS, MASK

KEY = "sk_live_7f3a9c1e5b2d4a6f8e0c9b1d3f5a7c9e"
OTHER = "sk_test_00aa11bb22cc33dd44ee55ff66"


@pytest.fixture(autouse=True)
def fresh_redactor(monkeypatch):
    """Each test starts with a redactor that knows no key; the process's own comes back after."""
    monkeypatch.setattr(redact, "_table", redact._Table())


def pieces(secret: str, size: int = FRAGMENT_CHARS) -> set[str]:
    return {secret[i:i + size] for i in range(len(secret) - size + 1)}


def leaks(text: str, *secrets: str) -> list[str]:
    """Every piece of FRAGMENT_CHARS characters of a secret that is still in the text."""
    return sorted(piece for secret in secrets for piece in pieces(secret) if piece in text)


def test_knows_nothing_and_changes_nothing_until_told():
    text = f"HTTP 400 BAD: invalid key {KEY}"
    assert redact.redact(text) is text
    assert redact.known() == 0


def test_a_remembered_key_is_hidden_wherever_it_is():
    redact.remember(KEY)
    for text in (KEY, f"invalid key {KEY}", f"Bearer {KEY}!", f"{KEY}{KEY}", f'{{"key": "{KEY}"}}'):
        cleaned = redact.redact(text)
        assert KEY not in cleaned and MASK in cleaned and not leaks(cleaned, KEY)
    assert redact.redact(f"invalid key {KEY}.") == f"invalid key {MASK}."
    assert redact.redact(f"{KEY}{KEY}") == MASK  # one mask for a run, not a count of keys


def test_the_mask_gives_away_nothing_of_the_key():
    redact.remember(KEY)
    cleaned = redact.redact(f"a={KEY}")
    assert cleaned == f"a={MASK}"  # not "sk_l…7c9e": no first or last characters, no length
    assert redact.redact(f"a={OTHER}") == f"a={OTHER}"  # a key never seen is not guessed at


def test_the_ways_a_key_is_quoted_or_encoded_are_hidden_too():
    key = 'sk/odd+key=with"quote\\and%'
    redact.remember(key)
    bearer = f"Bearer {key}".encode()
    for form in (quote(key, safe=""), quote(key).replace("/", "%2F"), json.dumps(key)[1:-1], repr(key)[1:-1],
                 base64.b64encode(key.encode()).decode(), base64.b64encode(bearer).decode(),
                 base64.urlsafe_b64encode(bearer).decode().rstrip("=")):
        assert redact.redact(f"sent {form} and") == f"sent {MASK} and", form


def test_a_key_cut_by_a_length_limit_is_hidden_too():
    # A server's message is cut to a few hundred characters; the cut can fall inside the key.
    redact.remember(KEY)
    for cut in (KEY[:FRAGMENT_CHARS], KEY[:25], KEY[-FRAGMENT_CHARS:], KEY[5:30]):
        assert redact.redact(f"invalid key {cut}…") == f"invalid key {MASK}…"
    # fewer characters of it than FRAGMENT_CHARS are not a key (nor distinguishable from words)
    assert redact.redact(f"id {KEY[:FRAGMENT_CHARS - 1]}") == f"id {KEY[:FRAGMENT_CHARS - 1]}"


@pytest.mark.parametrize("value", [None, "", "   ", "short", "\n\t"])
def test_nothing_and_short_strings_are_not_keys(value):
    redact.remember(value)
    assert redact.known() == 0
    assert redact.redact("a short word") == "a short word"


def test_a_key_is_remembered_without_surrounding_space_and_once():
    redact.remember(f"  {KEY}\n")
    redact.remember(KEY)
    assert redact.known() == 1
    assert redact.redact(f"[{KEY}]") == f"[{MASK}]"


def test_a_huge_paste_taken_for_a_key_costs_little_and_is_hidden_whole():
    import tracemalloc

    paste = "".join(secrets.choice(string.ascii_letters) for _ in range(32_767))  # a QLineEdit's most
    tracemalloc.start()
    try:
        redact.remember(paste)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
    assert redact.redact(f"<{paste}>") == f"<{MASK}>"


def test_every_key_seen_stays_hidden():
    redact.remember(KEY)
    redact.remember(OTHER)
    cleaned = redact.redact(f"old {KEY}, new {OTHER}")
    assert cleaned == f"old {MASK}, new {MASK}"
    assert redact.known() == 2


def test_overlapping_keys_are_hidden_as_one_run():
    # One key's end is another's start: both hidden, nothing of either between the masks.
    first, second = "abcdefghijklmnop1234", "mnop1234qrstuvwxyz56"
    redact.remember(first)
    redact.remember(second)
    text = "x abcdefghijklmnop1234qrstuvwxyz56 y"
    assert redact.redact(text) == f"x {MASK} y"
    nested = "sk-outer-AAAABBBBCCCCDDDD-end"
    redact.remember(nested[9:25])  # a key inside another key
    redact.remember(nested)
    assert redact.redact(f"<{nested}>") == f"<{MASK}>"


def test_a_traceback_with_causes_and_contexts_is_redacted():
    redact.remember(KEY)
    try:
        try:
            try:
                raise KeyError(KEY)
            except KeyError:
                raise ValueError(f"the server said: invalid key {KEY}") from None
        except ValueError as exc:
            raise RuntimeError("test failed") from exc
    except RuntimeError as error:
        outer = error
    try:
        try:
            raise OSError(f"Bearer {KEY}")
        except OSError:
            raise ExceptionGroup("several", [ValueError(KEY), TypeError(OTHER)])  # noqa: B904
    except ExceptionGroup as group:
        grouped = group
    redact.remember(OTHER)
    for error in (outer, grouped):
        raw = "".join(traceback.format_exception(error))
        assert KEY in raw  # the test is about something
        text = redact.format_exception(error)
        assert not leaks(text, KEY, OTHER) and MASK in text
        assert "Traceback" in text and type(error).__name__ in text


def test_remembering_and_redacting_from_many_threads_at_once():
    keys = [f"sk_{secrets.token_urlsafe(30)}" for _ in range(40)]
    texts = [f"echo {key} end" for key in keys]
    problems: list[str] = []
    start = threading.Barrier(8)

    def remember(chunk: list[str]) -> None:
        start.wait()
        for key in chunk:
            redact.remember(key)

    def read() -> None:
        start.wait()
        for _ in range(200):
            for text in texts:
                cleaned = redact.redact(text)
                if cleaned not in (text, f"echo {MASK} end"):
                    problems.append(cleaned)

    threads = [threading.Thread(target=remember, args=(keys[n::4],)) for n in range(4)]
    threads += [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert problems == []
    assert redact.known() == len(keys)
    assert all(redact.redact(text) == f"echo {MASK} end" for text in texts)


def test_redacting_is_cheap_when_there_is_nothing_to_hide():
    import time

    redact.remember(KEY)
    line = "2026-11-30 06:00:00 INFO MainThread vidu_desktop.workers.engine: job 12: polled, 42 % " * 3
    started = time.perf_counter()
    for _ in range(10_000):
        redact.redact(line)
    assert (time.perf_counter() - started) / 10_000 < 500e-6  # a log line: well under half a millisecond


# ----------------------------------------------------------------- properties (Hypothesis)

# What a key can be: printable ASCII without spaces (core.novita.valid_api_key).
key_characters = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
keys = st.text(key_characters, min_size=redact.MIN_SECRET_CHARS, max_size=64)
# Words around it: anything at all, the mask's own characters and pieces of keys included.
filler = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", " ", "[key", "hidden]", MASK, "…", "Bearer ", "%", "\\", '"'])


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(seen=st.lists(keys, min_size=1, max_size=3), parts=st.lists(filler, min_size=1, max_size=6),
       data=st.data())
def test_no_remembered_key_survives_in_any_text(seen, parts, data):
    redact._table = redact._Table()
    for secret in seen:
        redact.remember(secret)
    remembered = [secret.strip() for secret in seen]
    # Keys (whole, overlapping one another, or cut) dropped among arbitrary words.
    pieces_of_text = list(parts)
    for secret in remembered:
        at = data.draw(st.integers(0, len(pieces_of_text)))
        pieces_of_text.insert(at, secret)
    if len(remembered) > 1:
        a, b = remembered[0], remembered[1]
        overlap = data.draw(st.integers(0, min(len(a), len(b))))
        pieces_of_text.append(a + b[overlap:] if a.endswith(b[:overlap]) else a + b)
    text = "".join(pieces_of_text)
    cleaned = redact.redact(text)
    for secret in remembered:
        assert secret not in cleaned
        assert not leaks(cleaned, secret)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(secret=st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789_-"), min_size=6, max_size=64),
       text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=string.ascii_letters
                                  + string.digits + "_-%+/="), max_size=200))
def test_text_without_the_key_is_left_alone(secret, text):
    redact._table = redact._Table()
    redact.remember(secret)
    assert redact.redact(text) == text
