import base64

import pytest

from tests.images import jpeg_header_only, png_bytes, png_header_only, webp_lossless_header
from vidu_desktop.core.imageinfo import NotAnImage, sniff
from vidu_desktop.core.request import (MAX_INLINE_IMAGE_BYTES, VideoRequest, data_uri,
                                       image_problems, request_from_payload)

URL = "https://example.com/cat.png"


def fields(request: VideoRequest) -> list[str]:
    return [p.field for p in request.validate()]


def test_defaults_match_the_contract():
    payload = VideoRequest(images=(URL,)).to_payload()
    assert payload == {"images": [URL], "prompt": "", "duration": 5, "resolution": "720p",
                       "seed": 0, "audio": True, "audio_type": "all", "is_rec": False,
                       "off_peak": False}
    assert VideoRequest(images=(URL,)).validate() == []


@pytest.mark.parametrize("name, good, bad", [
    ("duration", [1, 16], [0, 17, 5.0, True, "5"]),
    ("seed", [0, 2_147_483_647], [-1, 2_147_483_648, "1"]),
    ("prompt", ["", "x" * 5000], ["x" * 5001]),
    ("resolution", ["540p", "720p", "1080p"], ["1080", "4k", ""]),
    ("audio_type", ["all", "speech_only", "sound_effect_only"], ["music", ""]),
    ("audio", [True, False], [1, "yes"]),
    ("is_rec", [True, False], [0]),
    ("off_peak", [True, False], [None]),
])
def test_each_boundary_on_both_sides(name, good, bad):
    for value in good:
        assert fields(VideoRequest(images=(URL,), **{name: value})) == [], value
    for value in bad:
        assert fields(VideoRequest(images=(URL,), **{name: value})) == [name], value


def test_all_problems_at_once_in_plain_words():
    problems = VideoRequest(duration=0, seed=-5, prompt="p" * 5001).validate()
    assert [p.field for p in problems] == ["images", "prompt", "duration", "seed"]
    assert "5001 characters" in problems[1].message and "5000" in problems[1].message


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
    assert (sniff(webp_lossless_header(300, 200)).width, sniff(webp_lossless_header(300, 200)).height) == (300, 200)
    with pytest.raises(NotAnImage):
        sniff(b"\x89PNG\r\n\x1a\n")


def test_size_limit_is_per_image():
    big = png_header_only(10, 10) + b"\0" * (50 * 1024 * 1024)
    assert "more than the 50.0 MB allowed" in image_problems(big)[1][0]


def test_inline_images_are_checked_inside():
    good = data_uri(png_bytes(8, 8), "image/png")
    assert VideoRequest(images=(good,)).validate() == []
    mislabelled = data_uri(png_bytes(8, 8), "image/jpeg")
    assert "labelled image/jpeg" in VideoRequest(images=(mislabelled,)).validate()[0].message
    too_big = "data:image/png;base64," + base64.b64encode(
        png_header_only(8, 8) + b"\0" * MAX_INLINE_IMAGE_BYTES).decode()
    assert "10.0 MB" in VideoRequest(images=(too_big,)).validate()[0].message
    assert fields(VideoRequest(images=("data:image/png;base64,@@@",))) == ["images"]
    assert fields(VideoRequest(images=("file:///etc/passwd",))) == ["images"]


def test_payload_round_trip_fills_defaults():
    assert request_from_payload({"images": [URL]}) == VideoRequest(images=(URL,))


def test_images_must_be_a_list():
    assert [p.message for p in request_from_payload({"images": "https://x/a.png"}).validate()] == [
        "Images must be a list of links or data URIs."]
