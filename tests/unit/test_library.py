"""Saved videos' names: from the source, the date and the settings; unique; safe on every OS."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from vidu_desktop.core.library import (
    destination_in,
    move_into_place,
    placed_already,
    source_stem,
    unique_destination,
    video_filename,
)
from vidu_desktop.core.request import VideoSettings

AT = time.mktime((2026, 11, 24, 15, 30, 0, 0, 0, -1))  # local time, as the name shows it
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def test_the_name_says_source_date_resolution_and_duration():
    settings = VideoSettings(resolution="720p", duration=5)
    assert video_filename("/photos/harbour.jpg", AT, settings) == "harbour_2026-11-24_1530_720p_5s.mp4"
    assert video_filename(r"C:\Users\ann\Pictures\Harbour.JPG", AT, settings) == "harbour_2026-11-24_1530_720p_5s.mp4"
    assert video_filename("https://example.com/shots/quay%20side.webp?x=1", AT,
                          VideoSettings(resolution="1080p", duration=8)) == "quay-side_2026-11-24_1530_1080p_8s.mp4"


def test_a_source_with_nothing_usable_is_called_video():
    for source in ("", "/", "https://example.com/", "***.png", "con.jpg", "https://[broken"):
        assert source_stem(source) == "video", source
    assert source_stem("/photos/港口.png") == "港口"
    assert video_filename("x.png", float("nan"), VideoSettings()).startswith("x_undated_")


def test_names_are_made_unique_in_the_folder(tmp_path: Path):
    name = "harbour_2026-11-24_1530_720p_5s.mp4"
    assert unique_destination(tmp_path, name) == tmp_path.resolve() / name
    for expected in (name, "harbour_2026-11-24_1530_720p_5s-2.mp4", "harbour_2026-11-24_1530_720p_5s-3.mp4"):
        made = tmp_path / "download.part.mp4"
        made.write_bytes(b"video")
        placed = move_into_place(made, tmp_path.resolve(), name)
        assert placed.name == expected and placed.read_bytes() == b"video" and not made.exists()


def test_a_move_cut_short_after_its_link_is_found(tmp_path: Path):
    """A crash between move_into_place's link and its unlink: the video is in place already,
    under its name or a numbered one; the private name is its second name."""
    library = tmp_path.resolve()
    name = "harbour_2026-11-24_1530_720p_5s.mp4"
    (library / name).write_bytes(b"someone else's video")
    private = library / ".vidu-job-3.mp4"
    private.write_bytes(b"video")
    assert placed_already(private, library, name) is None  # not placed yet: one name only
    os.link(private, library / "harbour_2026-11-24_1530_720p_5s-2.mp4")
    assert placed_already(private, library, name) == library / "harbour_2026-11-24_1530_720p_5s-2.mp4"
    assert placed_already(library / "missing.mp4", library, name) is None


@given(st.text(max_size=400), st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**20, 10**20),
       st.sampled_from(["540p", "720p", "1080p", "", "../../etc", "x" * 300]), st.integers(-5, 10**9))
def test_the_name_is_always_safe_and_total(source, created_at, resolution, duration):
    name = video_filename(source, created_at, VideoSettings(resolution=resolution, duration=duration))
    assert name.endswith(".mp4") and not WINDOWS_FORBIDDEN.search(name)
    assert name == name.strip() and not name.startswith(".") and ".." not in name
    assert len(name.encode("utf-8")) <= 255
    stem = name.split("_")[0]
    assert stem and stem.lower() not in {"con", "prn", "aux", "nul"}
    library = Path("/tmp/library")
    assert destination_in(library, name).parent == library.resolve()
