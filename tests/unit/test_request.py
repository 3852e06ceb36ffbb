"""VideoSettings: the request fields, their defaults written once, validation and (de)serialising."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.images import jpeg_header_only, png_bytes, png_header_only, webp_lossless_header
from vidu_desktop.core.imageinfo import NotAnImage, sniff
from vidu_desktop.core.request import (
    MAX_INLINE_IMAGE_BYTES,
    Problem,
    VideoSettings,
    data_uri,
    image_problems,
    image_reference_problems,
)

URL = "https://example.com/cat.png"
DEFAULT_FIELDS = {"prompt": "", "duration": 5, "resolution": "720p", "seed": 0, "audio": True,
                  "audio_type": "all", "is_rec": False, "off_peak": False}


def fields(settings_: VideoSettings) -> list[str]:
    return [p.field for p in settings_.problems()]


def test_defaults_match_the_contract():
    assert VideoSettings().body(URL) == {"images": [URL], **DEFAULT_FIELDS}
    assert list(VideoSettings().body(URL)) == ["images", *DEFAULT_FIELDS]  # images first
    assert VideoSettings().problems() == []
    assert VideoSettings.SCHEMA == 1


def test_body_carries_every_field_and_the_image_as_given():
    s = VideoSettings(prompt="Ünïcode", duration=16, resolution="1080p", seed=7, audio=False,
                      audio_type="speech_only", is_rec=True, off_peak=True)
    body = s.body("data:image/png;base64,AAAA")
    assert body == {"images": ["data:image/png;base64,AAAA"], "prompt": "Ünïcode", "duration": 16,
                    "resolution": "1080p", "seed": 7, "audio": False, "audio_type": "speech_only",
                    "is_rec": True, "off_peak": True}
    body["prompt"] = "changed"  # a fresh dict each time
    assert s.body(URL)["prompt"] == "Ünïcode"


@pytest.mark.parametrize("name, good, bad", [
    ("duration", [1, 16], [0, 17, 5.0, True, "5", None]),
    ("seed", [0, 2_147_483_647], [-1, 2_147_483_648, "1", False]),
    ("prompt", ["", "x" * 5000], ["x" * 5001, None, 5]),
    ("resolution", ["540p", "720p", "1080p"], ["1080", "4k", "", "720P"]),
    ("audio_type", ["all", "speech_only", "sound_effect_only"], ["music", "", None]),
    ("audio", [True, False], [1, "yes"]),
    ("is_rec", [True, False], [0]),
    ("off_peak", [True, False], [None]),
])
def test_each_boundary_on_both_sides(name, good, bad):
    for value in good:
        assert fields(VideoSettings(**{name: value})) == [], value
    for value in bad:
        assert fields(VideoSettings(**{name: value})) == [name], value


def test_all_problems_at_once_in_plain_words():
    problems = VideoSettings(duration=0, seed=-5, prompt="p" * 5001, resolution="4k").problems()
    assert [p.field for p in problems] == ["prompt", "duration", "resolution", "seed"]
    assert "5001 characters" in problems[0].message and "5000" in problems[0].message
    assert all(isinstance(p, Problem) and str(p) == p.message and p.message.endswith(".")
               for p in problems)


def test_settings_are_frozen_and_hashable():
    s = VideoSettings()
    with pytest.raises(AttributeError):
        s.duration = 6  # type: ignore[misc]
    assert s.replace(duration=6).duration == 6 and s.duration == 5
    assert len({VideoSettings(), VideoSettings(), VideoSettings(seed=1)}) == 2


# -- JSON --------------------------------------------------------------------------------------

def test_json_is_versioned_and_round_trips():
    s = VideoSettings(prompt="A «cat» 🎬", duration=9, seed=42, audio=False, off_peak=True)
    stored = json.loads(s.to_json())
    assert stored == {"schema": 1, **DEFAULT_FIELDS, "prompt": "A «cat» 🎬", "duration": 9, "seed": 42,
                      "audio": False, "off_peak": True}
    assert VideoSettings.from_json(s.to_json()) == s
    assert VideoSettings.from_json(s.to_json().encode()) == s


def test_from_json_reads_the_old_unversioned_dict():
    old = json.dumps({**DEFAULT_FIELDS, "prompt": "old job", "duration": 8})
    assert VideoSettings.from_json(old) == VideoSettings(prompt="old job", duration=8)
    assert VideoSettings.from_json('{"prompt": "only this"}') == VideoSettings(prompt="only this")


@pytest.mark.parametrize("text", [None, "", b"", "not json", "[1, 2]", "null", '"text"', "{",
                                  b"\xff\xfe\x00garbage", "[" * 100_000, '{"schema": 99}'])
def test_from_json_gives_defaults_for_unreadable_text(text):
    assert VideoSettings.from_json(text) == VideoSettings()


def test_from_json_replaces_each_bad_field_by_its_default_only():
    text = json.dumps({"schema": 1, "prompt": "kept", "duration": 99, "resolution": "4k", "seed": -1,
                       "audio": "maybe", "audio_type": "speech_only", "is_rec": None, "colour": "red"})
    assert VideoSettings.from_json(text) == VideoSettings(prompt="kept", audio_type="speech_only")


# -- from_mapping (CSV rows, QSettings) ---------------------------------------------------------

def test_from_mapping_reads_text_forms_of_numbers_and_switches():
    settings_, problems = VideoSettings.from_mapping(
        {"prompt": "p", "duration": " 7 ", "seed": "12", "audio": "false", "is_rec": "Yes",
         "off_peak": 1, "resolution": "1080P ", "audio_type": "all"})
    assert problems == []
    assert settings_ == VideoSettings(prompt="p", duration=7, seed=12, audio=False, is_rec=True,
                                      off_peak=True, resolution="1080p")
    assert VideoSettings.from_mapping({"duration": 6.0})[0].duration == 6


def test_from_mapping_names_every_bad_value_and_unknown_key():
    settings_, problems = VideoSettings.from_mapping(
        {"duration": "seven", "seed": 2**40, "audio": "perhaps", "colour": "red", "prompt": "ok"})
    assert settings_ == VideoSettings(prompt="ok")
    assert sorted(p.field for p in problems) == ["audio", "colour", "duration", "seed"]
    by_field = {p.field: p.message for p in problems}
    assert "default" in by_field["duration"] and "colour" in by_field["colour"]
    assert VideoSettings.from_mapping({}) == (VideoSettings(), [])


# -- summary -----------------------------------------------------------------------------------

def test_summary_in_one_line():
    assert VideoSettings().summary() == "5 s · 720p · sound"
    everything = VideoSettings(duration=8, resolution="1080p", audio=False, seed=3, off_peak=True,
                               is_rec=True)
    assert everything.summary() == "8 s · 1080p · silent · seed 3 · sound follows motion · off-peak"
    assert VideoSettings(audio_type="speech_only").summary() == "5 s · 720p · speech only"


@pytest.mark.parametrize("junk", [None, [1], {"a": 1}, float("nan"), 10**5000, b"\xff", object()],
                         ids=["none", "list", "dict", "nan", "huge-int", "bytes", "object"])
def test_summary_is_total(junk):
    for name in DEFAULT_FIELDS:
        words = VideoSettings(**{name: junk}).summary()
        assert isinstance(words, str) and words and "\n" not in words


# -- images ------------------------------------------------------------------------------------

@pytest.mark.parametrize("width, height, ok", [
    (400, 100, True), (100, 400, True), (401, 100, False), (100, 401, False), (1, 1, True),
])
def test_aspect_ratio_limits_are_inclusive(width, height, ok):
    info, problems = image_problems(png_header_only(width, height))
    assert (info.width, info.height) == (width, height)
    assert (problems == []) is ok


def test_image_judged_by_content_not_name():
    assert image_problems(b"GIF89a....")[1] == ["it is not a JPEG, PNG or WebP image"]
    assert image_problems(b"")[1] == ["the file is empty"]
    assert sniff(jpeg_header_only(640, 480)).format == "jpeg"
    webp = sniff(webp_lossless_header(300, 200))
    assert (webp.width, webp.height) == (300, 200)
    with pytest.raises(NotAnImage):
        sniff(b"\x89PNG\r\n\x1a\n")


def test_size_limit_is_per_image():
    big = png_header_only(10, 10) + b"\0" * (50 * 1024 * 1024)
    assert "more than the 50.0 MB allowed" in image_problems(big)[1][0]


def test_image_references_are_checked_inside():
    assert image_reference_problems(URL) == []
    assert image_reference_problems(data_uri(png_bytes(8, 8), "image/png")) == []
    mislabelled = image_reference_problems(data_uri(png_bytes(8, 8), "image/jpeg"))
    assert [p.field for p in mislabelled] == ["images"] and "labelled image/jpeg" in mislabelled[0].message
    too_big = "data:image/png;base64," + base64.b64encode(
        png_header_only(8, 8) + b"\0" * MAX_INLINE_IMAGE_BYTES).decode()
    assert "10.0 MB" in image_reference_problems(too_big)[0].message
    for bad in ("data:image/png;base64,@@@", "file:///etc/passwd", "", "https://"):
        problems = image_reference_problems(bad)
        assert [p.field for p in problems] == ["images"] and problems[0].message.startswith("The image: ")


# -- properties --------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)
FIELD_VALUES = st.dictionaries(
    st.sampled_from([*DEFAULT_FIELDS, "schema", "images", "other"]), JSON_VALUES, max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200), st.none(),
                 FIELD_VALUES.map(lambda d: json.dumps(d, allow_nan=True))))
def test_from_json_never_raises_and_always_gives_valid_settings(text):
    result = VideoSettings.from_json(text)
    assert isinstance(result, VideoSettings) and result.problems() == []
    assert VideoSettings.from_json(result.to_json()) == result
    assert isinstance(result.summary(), str)


@settings(max_examples=300, deadline=None)
@given(FIELD_VALUES)
def test_from_mapping_keeps_good_values_and_names_the_rest(values):
    result, problems = VideoSettings.from_mapping(values)
    assert result.problems() == []
    named = {p.field for p in problems}
    for name in DEFAULT_FIELDS:
        if name not in values or name in named:
            assert getattr(result, name) == DEFAULT_FIELDS[name]
        elif VideoSettings(**{name: values[name]}).problems() == []:
            assert getattr(result, name) == values[name]  # a good value is kept as it is
    assert {"schema", "images", "other"} & set(values) <= named


@given(st.builds(VideoSettings, prompt=st.text(max_size=50), duration=st.integers(1, 16),
                 resolution=st.sampled_from(["540p", "720p", "1080p"]), seed=st.integers(0, 2**31 - 1),
                 audio=st.booleans(), audio_type=st.sampled_from(["all", "speech_only", "sound_effect_only"]),
                 is_rec=st.booleans(), off_peak=st.booleans()))
def test_valid_settings_round_trip_through_json_and_mapping(s):
    assert s.problems() == []
    assert VideoSettings.from_json(s.to_json()) == s
    body = s.body(URL)
    assert VideoSettings.from_mapping({k: v for k, v in body.items() if k != "images"}) == (s, [])


@pytest.mark.parametrize("junk", [object(), 10**5000, float("nan"), {"a": 1}],
                         ids=["object", "huge-int", "nan", "dict"])
def test_to_json_is_total_and_writes_defaults_for_bad_fields(junk):
    s = VideoSettings(prompt="kept", duration=junk, seed=junk, audio=junk)
    assert VideoSettings.from_json(s.to_json()) == VideoSettings(prompt="kept")


@given(prompt=st.text(max_size=200), payload=st.binary(max_size=3000),
       image=st.text(max_size=100), media=st.sampled_from(["image/png", "image/jpeg", "image/webp"]))
def test_body_bytes_is_exactly_the_body_as_json(prompt, payload, image, media):
    from vidu_desktop.core.request import data_uri

    settings = VideoSettings(prompt=prompt)
    for reference in (data_uri(payload, media), image, "data:image/png;base64," + image):
        assert json.loads(settings.body_bytes(reference)) == settings.body(reference)


def test_takes_get_distinct_explicit_seeds_and_a_chosen_seed_is_kept():
    import itertools

    from vidu_desktop.core.request import ImageOrder

    draws = itertools.chain([0, 7, 7, 2_147_483_648, 9], itertools.count(10))
    takes = ImageOrder("a.jpg", VideoSettings(prompt="p"), takes=3).take_settings(lambda: next(draws))
    assert [t.seed for t in takes] == [7, 9, 10]  # 0 ("any"), a repeat and an out-of-range draw are skipped
    assert {t.prompt for t in takes} == {"p"}
    chosen = ImageOrder("a.jpg", VideoSettings(seed=42), takes=2).take_settings(lambda: 5)
    assert [t.seed for t in chosen] == [42, 5]
    assert len(ImageOrder("a.jpg", VideoSettings(), takes=99).take_settings(itertools.count(1).__next__)) == 8
