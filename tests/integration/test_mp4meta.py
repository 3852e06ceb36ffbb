"""What travels with a saved video: tags written by mutagen, read back by ffprobe and by the
importer; the audio and video streams byte-identical; hostile files give None, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.images import png_bytes
from vidu_desktop.core.mp4meta import (
    JOB_TAG,
    MAX_MOOV_BYTES,
    MetadataError,
    VideoDamaged,
    VideoMetadata,
    read_metadata,
    top_level_boxes,
    write_metadata,
)
from vidu_desktop.core.request import VideoSettings

pytestmark = pytest.mark.skipif(not shutil.which("ffprobe"), reason="needs ffmpeg and ffprobe")

PROMPT = "The harbour at dawn, gulls rising — 海鸥飞起"
META = VideoMetadata(prompt=PROMPT, settings=VideoSettings(prompt=PROMPT, duration=1, resolution="540p", seed=42),
                     seed=42, task_id="task-0001", source_name="harbour.jpg", app_version="9.9.9",
                     created_at=1_795_000_000.0)


@pytest.fixture(scope="module")
def plain_video(tmp_path_factory) -> Path:
    from vidu_desktop.simulator.video import render_video

    path = tmp_path_factory.mktemp("plain") / "plain.mp4"
    render_video(png_bytes(320, 240), path, duration_s=1, height=240, audio=True, fast=True)
    return path


@pytest.fixture
def video(plain_video: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "video.mp4"
    shutil.copyfile(plain_video, copy)
    return copy


def stream_hash(path: Path) -> str:
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0", "-c", "copy", "-f", "streamhash",
                           "-"], capture_output=True, text=True, check=True).stdout


def format_tags(path: Path) -> dict[str, str]:
    answer = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(path)],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(answer)["format"].get("tags", {})


def test_tags_are_written_shown_by_ffprobe_and_read_back_and_the_streams_do_not_change(video: Path):
    before = stream_hash(video)
    assert read_metadata(video) is None  # a plain MP4: nothing of ours in it
    write_metadata(video, META)
    assert stream_hash(video) == before and ",v,SHA256=" in before and ",a,SHA256=" in before
    tags = format_tags(video)
    assert tags["title"] == PROMPT and tags["comment"] == PROMPT and tags["description"] == PROMPT
    assert tags["encoder"] == "Vidu Desktop 9.9.9" and tags["date"].startswith("2026-11-18")
    assert read_metadata(video) == META
    write_metadata(video, META)  # twice: still one set of tags, still the same streams
    assert read_metadata(video) == META and stream_hash(video) == before


def test_a_file_that_is_not_an_mp4_is_refused_by_the_writer_and_ignored_by_the_reader(tmp_path: Path):
    for name, data in (("empty.mp4", b""), ("text.mp4", b"hello " * 100), ("png.mp4", png_bytes(8, 8)),
                       ("cut.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x10\x00moov")):
        path = tmp_path / name
        path.write_bytes(data)
        assert read_metadata(path) is None
        with pytest.raises(MetadataError):
            write_metadata(path, META)
        assert path.read_bytes() == data  # untouched
    assert read_metadata(tmp_path / "missing.mp4") is None


def test_a_huge_metadata_box_is_not_read(tmp_path: Path):
    path = tmp_path / "huge.mp4"
    with path.open("wb") as f:
        f.write(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00")
        size = MAX_MOOV_BYTES + 16
        f.write(size.to_bytes(4, "big") + b"moov")
        f.truncate(16 + size)  # sparse: costs nothing on disk
    assert read_metadata(path) is None


def test_a_damaged_or_hostile_job_tag_gives_defaults_or_none(video: Path):
    from mutagen.mp4 import MP4, MP4FreeForm

    for payload, expected in ((b"not json", None), (b"[1, 2]", None), (b"[" * 60_000, None),
                              (json.dumps({"seed": "many", "settings": {"duration": 99}, "prompt": 7,
                                           "created_at": 1e308}).encode(), VideoMetadata()),
                              (b" " * 200_000, None)):
        tagged = MP4(str(video))
        if tagged.tags is None:
            tagged.add_tags()
        tagged.tags[JOB_TAG] = [MP4FreeForm(payload)]
        tagged.save()
        assert read_metadata(video) == expected, payload[:40]


def test_deeply_nested_boxes_give_none(tmp_path: Path):
    depth = 50_000  # trak inside trak inside trak...
    body = b"".join((8 * (depth - i)).to_bytes(4, "big") + b"trak" for i in range(depth))
    moov = (8 + len(body)).to_bytes(4, "big") + b"moov" + body
    path = tmp_path / "nested.mp4"
    path.write_bytes(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00" + moov)
    assert read_metadata(path) is None
    with pytest.raises(MetadataError):
        write_metadata(path, META)


def test_a_failed_write_leaves_the_video_as_it_was(video: Path, monkeypatch):
    import mutagen.mp4

    before = video.read_bytes()

    def broken_save(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mutagen.mp4.MP4, "save", broken_save)
    with pytest.raises(MetadataError):
        write_metadata(video, META)
    assert video.read_bytes() == before and not list(video.parent.glob("*tagging*"))


# -- the layouts a video may come in: the moov box last, after the media with more boxes behind
# it (the benchmark's video: a big free box), or before the media ("faststart") -----------------

LAYOUTS = ("moov-last", "moov-then-free", "faststart")
TRAILER_BYTES = 3 * 1024 * 1024  # a free box of random bytes after the moov box


def make_layout(plain: Path, layout: str, path: Path) -> Path:
    """`plain` remuxed (the same packets) into `layout`."""
    flags = ["-movflags", "+faststart"] if layout == "faststart" else []
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(plain), "-map", "0", "-c", "copy", *flags, str(path)],
                   check=True)
    if layout == "moov-then-free":
        with path.open("ab") as f:
            f.write(TRAILER_BYTES.to_bytes(4, "big") + b"free" + os.urandom(TRAILER_BYTES - 8))
    return path


def kinds(path: Path) -> list[bytes]:
    return [kind for kind, _size in top_level_boxes(path) or ()]


@pytest.fixture(params=LAYOUTS)
def laid_out(request, plain_video: Path, tmp_path: Path) -> tuple[str, Path]:
    return request.param, make_layout(plain_video, request.param, tmp_path / f"{request.param}.mp4")


def test_every_layout_is_tagged_readably_with_its_streams_unchanged(laid_out):
    layout, video = laid_out
    shape = kinds(video)
    moov = shape.index(b"moov")
    assert {"moov-last": moov == len(shape) - 1, "moov-then-free": shape[moov + 1:] == [b"free"],
            "faststart": b"mdat" in shape[moov + 1:]}[layout], shape
    before, inode = stream_hash(video), video.stat().st_ino
    for _ in range(2):  # a second time (a retag) too: still one set of tags
        write_metadata(video, META)
        assert read_metadata(video) == META and stream_hash(video) == before
        tags = format_tags(video)
        assert tags["comment"] == PROMPT and tags["encoder"] == "Vidu Desktop 9.9.9"
        assert kinds(video).count(b"moov") == 1 and not list(video.parent.glob("*tagging*"))
    if layout == "faststart":  # still faststart: the moov box before the media
        assert kinds(video).index(b"moov") < kinds(video).index(b"mdat")
    else:  # changed where it lies: the media was neither copied nor moved
        assert video.stat().st_ino == inode


def test_the_media_after_a_moov_box_is_not_read_when_tagging(plain_video: Path, tmp_path: Path, monkeypatch):
    """The benchmark's layout: tagging a 200 MiB file reads and writes a few kB."""
    video = make_layout(plain_video, "moov-then-free", tmp_path / "v.mp4")
    size = video.stat().st_size
    read = []
    real_open = open

    class Counting:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            self.f.__enter__()
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

        def read(self, n=-1):
            data = self.f.read(n)
            read.append(len(data))
            return data

        def __getattr__(self, name):
            return getattr(self.f, name)

    import vidu_desktop.core.mp4meta as mp4meta

    monkeypatch.setattr(mp4meta, "open", lambda *a, **k: Counting(real_open(*a, **k)), raising=False)
    write_metadata(video, META)
    assert sum(read) < 64 * 1024 and read_metadata(video) == META
    assert size < video.stat().st_size < size + 16 * 1024  # the new moov at the end, the old one freed
    assert kinds(video)[-3:] == [b"free", b"free", b"moov"]


@pytest.mark.parametrize("failing", ["mutagen", "the write", "the write and the undo"])
def test_a_failed_write_leaves_every_layout_as_it_was_or_says_it_is_damaged(laid_out, failing, monkeypatch):
    import mutagen.mp4

    import vidu_desktop.core.mp4meta as mp4meta

    layout, video = laid_out
    before = video.read_bytes()
    real_write_at = mp4meta._write_at
    writes = []

    def broken_write_at(f, offset, data):
        writes.append(offset)
        if failing == "the write and the undo" or len(writes) == 1:
            real_write_at(f, offset, data[: len(data) // 2])  # half of it reached the disk
            raise OSError(28, "No space left on device")
        real_write_at(f, offset, data)

    if failing == "mutagen":
        monkeypatch.setattr(mutagen.mp4.MP4Tags, "save", lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O")))
    else:
        monkeypatch.setattr(mp4meta, "_write_at", broken_write_at)
    if failing == "the write and the undo" and layout != "faststart":
        with pytest.raises(VideoDamaged):
            write_metadata(video, META)
        return  # the caller deletes it and fetches the video again
    with pytest.raises(MetadataError):
        write_metadata(video, META)
    assert video.read_bytes() == before and not list(video.parent.glob("*tagging*"))


def test_a_faststart_file_is_rewritten_without_copy_file_range_too(plain_video: Path, tmp_path: Path, monkeypatch):
    """Where the system has no copy_file_range (macOS, Windows) the media is copied by reads and writes."""
    video = make_layout(plain_video, "faststart", tmp_path / "v.mp4")
    before = stream_hash(video)
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    write_metadata(video, META)
    assert read_metadata(video) == META and stream_hash(video) == before
    assert kinds(video).index(b"moov") < kinds(video).index(b"mdat")
