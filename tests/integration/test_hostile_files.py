"""Files that lie (issue 14): a named pipe among the images, a PNG with 225 million pixels,
truncated and bit-flipped pictures, animations. Real files on disk, real Qt decoding.

Each case failed on the code before: the pipe blocked a pool thread forever, a 15000×15000
PNG took 900 MB to preview (2.5 GB in the app), a 20000×20000 one was accepted and then
called damaged at submit, truncated JPEGs were sent as half-grey pictures, an APNG was sent
as an animation.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random
import re
import struct
import subprocess
import sys
import textwrap
import threading
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QtMsgType, qInstallMessageHandler, qWarning
from PySide6.QtGui import QImage, QImageReader, QImageWriter

from vidu_desktop.media import images, pngstrips, qtmessages
from vidu_desktop.media.images import (
    DECODE_BUDGET,
    ImageRejected,
    check_image,
    inspect_image,
    prepare_image,
    thumbnail_png,
)

HAS_WEBP = b"webp" in QImageWriter.supportedImageFormats()

# ------------------------------------------------------------------------- helpers


def noise(width: int, height: int, seed: int = 0) -> QImage:
    data = random.Random(seed).randbytes(width * height * 3)
    return QImage(data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def encode(image: QImage, fmt: str, quality: int = 85, progressive: bool = False) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, fmt.encode())
    writer.setQuality(quality)
    writer.setProgressiveScanWrite(progressive)
    assert writer.write(image), writer.errorString()
    return bytes(array.data())


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def png_file(width: int, height: int, depth: int, colour: int, rows: list[bytes], *,
             extra: bytes = b"", interlace: int = 0, filters: random.Random | None = None,
             compressed: bytes | None = None) -> bytes:
    """A PNG from unfiltered rows; `filters` picks each row's filter type at random (all five),
    so decoding has to follow Sub, Up, Average and Paeth across rows."""
    if compressed is None:
        bpp = max(1, SAMPLES[colour] * depth // 8)
        previous = bytes(len(rows[0]))
        raw = bytearray()
        for row in rows:
            kind = filters.randrange(5) if filters else 0
            raw.append(kind)
            raw += _filter(kind, row, previous, bpp)
            previous = row
        compressed = zlib.compress(bytes(raw), 6)
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", compressed)
            + chunk(b"IEND", b""))


def _filter(kind: int, row: bytes, up: bytes, bpp: int) -> bytes:
    out = bytearray(len(row))
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = up[i]
        c = up[i - bpp] if i >= bpp else 0
        if kind == 0:
            predictor = 0
        elif kind == 1:
            predictor = a
        elif kind == 2:
            predictor = b
        elif kind == 3:
            predictor = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
        out[i] = (x - predictor) & 0xFF
    return bytes(out)


def qt_decode(data: bytes) -> tuple[QImage, list[str]]:
    """The oracle: Qt's full-size decode and every image-IO warning it gave (its own handler,
    not the code under test's)."""
    warnings: list[str] = []

    def keep(mode, context, message):
        if mode != QtMsgType.QtDebugMsg and (context.category or "").startswith("qt.gui.imageio"):
            warnings.append(message)

    previous = qInstallMessageHandler(keep)
    try:
        array = QByteArray(data)
        buffer = QBuffer(array)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        image = QImageReader(buffer).read()
    finally:
        qInstallMessageHandler(previous)
    return image, warnings


def run_with_timeout(function, *args, timeout: float = 10.0):
    """function(*args) in a daemon thread: a call that blocks fails the test, not the run."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"{function.__name__} blocked for {timeout} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# --------------------------------------------------------------- not a regular file


def _unblock(fifo: Path) -> None:
    """Let a reader stuck on the pipe go (open for writing, close: it sees the end)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # nobody is reading it
    os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_in_words_and_nothing_blocks(tmp_path):
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    try:
        check = run_with_timeout(check_image, fifo)
        assert check.problems == ["it is a named pipe, not an image file"]
        assert check.format == "" and check.file_bytes == 0
        assert run_with_timeout(thumbnail_png, fifo) == b""
        inspected, thumb = run_with_timeout(inspect_image, fifo)
        assert inspected.problems == check.problems and thumb == b""
        with pytest.raises(ImageRejected, match=r"^photo\.jpg is a named pipe, not an image file\.$"):
            run_with_timeout(prepare_image, fifo, "720p")
    finally:
        _unblock(fifo)


def test_a_folder_a_device_and_a_dangling_link_are_refused_in_words(tmp_path):
    folder = tmp_path / "holiday.png"
    folder.mkdir()
    dangling = tmp_path / "moved.png"
    dangling.symlink_to(tmp_path / "not-there.png")
    cases = [(folder, "it is a folder, not an image file"),
             (dangling, "it is a link to something that is not there")]
    if Path("/dev/zero").exists():  # endless: read whole it would never end
        cases.append((Path("/dev/zero"), "it is a device, not an image file"))
    for path, problem in cases:
        assert run_with_timeout(check_image, path).problems == [problem]
        assert run_with_timeout(thumbnail_png, path) == b""
        with pytest.raises(ImageRejected) as caught:
            run_with_timeout(prepare_image, path, "720p")
        assert str(caught.value) == f"{path.name} {problem[3:]}."

    # A link to a good image is followed: it is the file behind it that counts.
    real = tmp_path / "real.png"
    real.write_bytes(encode(noise(64, 48), "png"))
    link = tmp_path / "link.png"
    link.symlink_to(real)
    assert check_image(link).problems == [] and prepare_image(link, "720p").data == real.read_bytes()


def test_a_big_file_is_refused_by_its_size_and_never_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "huge.png"
    path.write_bytes(encode(noise(64, 48), "png"))
    with path.open("r+b") as f:
        f.truncate(60 * 1024 * 1024)  # sparse
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))

    check = check_image(path)
    assert check.problems == ["it is 60.0 MB, more than the 50.0 MB allowed"]
    with pytest.raises(ImageRejected, match=r"^huge\.png is 60\.0 MB, more than the 50\.0 MB allowed\.$"):
        prepare_image(path, "720p")
    assert sum(read) <= 1024 * 1024, "the file was read beyond its header"


# -------------------------------------------------------------------- big pictures


def _write_big_png(path: Path, width: int, height: int, seed: int) -> None:
    """An RGB PNG, width×height, 10–50 MB: each row is mostly a smooth ramp with a few
    hundred random bytes, so it is neither tiny nor a wall of noise (and quick to write)."""
    rng = random.Random(seed)
    ramp = bytes((x // 3 * 255 // max(1, width - 1)) & 0xFF for x in range(width * 3))
    compressor = zlib.compressobj(1)
    with path.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        pending = bytearray()
        for _ in range(height):
            row = bytearray(ramp)
            start = rng.randrange(len(row) - 800)
            row[start:start + 800] = rng.randbytes(800)
            pending += compressor.compress(b"\x00" + row)
            if len(pending) > 4 * 1024 * 1024:
                f.write(chunk(b"IDAT", bytes(pending)))
                pending.clear()
        pending += compressor.flush()
        f.write(chunk(b"IDAT", bytes(pending)))
        f.write(chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def png_15k(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "poster.png"
    _write_big_png(path, 15000, 15000, seed=15)
    assert 10 * 1024 * 1024 < path.stat().st_size < 50 * 1024 * 1024
    return path


_MEASURE = textwrap.dedent("""
    import json, os, resource, sys
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pathlib import Path
    from vidu_desktop.media.images import check_image, inspect_image, prepare_image

    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field + ":"))

    path, what = Path(sys.argv[1]), sys.argv[2]
    check_image(path)  # the code is loaded and warm: what follows is the picture's cost
    # The peak so far is forgotten ("5" resets VmHWM, the high-water mark of this process's
    # memory; ru_maxrss would also count the parent's size when it forked this child).
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:  # not allowed here: nothing can be measured
        print(json.dumps({"reset": False}))
        sys.exit(0)
    before = status("VmRSS")
    if what == "preview":
        check, thumb = inspect_image(path, 96)
        result = {"problems": check.problems, "thumbnail": len(thumb)}
    else:
        prepared = prepare_image(path, "720p")
        result = {"size": [prepared.width, prepared.height], "bytes": len(prepared.data),
                  "note": prepared.note}
    result["before"], result["peak"] = before, status("VmHWM")
    result["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))
""")



def _measure(path: Path, what: str) -> dict:
    import json

    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path), what], capture_output=True,
                          text=True, timeout=240, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result.get("reset") is False:
        pytest.skip("the peak memory of a process cannot be reset here (/proc/self/clear_refs)")
    return result


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measured with Linux's /proc")
def test_a_15000_px_png_is_previewed_and_fitted_in_bounded_memory(png_15k):
    """Before: the preview decoded all 225 million pixels (900 MB here, 2.5 GB in the app)."""
    target = 3840 * 3840 * 4  # the fitted picture, 32-bit pixels: 59 MB

    preview = _measure(png_15k, "preview")
    assert preview["problems"] == [] and preview["thumbnail"] > 0
    preview_cost = preview["peak"] - preview["before"]

    fitted = _measure(png_15k, "fit")
    assert fitted["size"] == [3840, 3840]
    assert fitted["note"].startswith("downscaled 15000×15000 → 3840×3840, re-encoded as JPEG, ")
    fit_cost = fitted["peak"] - fitted["before"]

    print(f"15000×15000 PNG ({png_15k.stat().st_size / 2**20:.1f} MB file): preview peak "
          f"+{preview_cost / 2**20:.0f} MB, fit peak +{fit_cost / 2**20:.0f} MB "
          f"(target {target / 2**20:.0f} MB; the whole picture decoded is "
          f"{15000 * 15000 * 4 / 2**20:.0f} MB)")
    assert preview_cost < 128 * 2**20, preview
    assert fit_cost < 2 * target, fitted


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measured with Linux's /proc")
def test_what_the_check_accepts_can_be_prepared_20000_px(tmp_path):
    """Before: accepted by the check, then "damaged" at submit (Qt's allocation limit)."""
    path = tmp_path / "panorama.png"
    _write_big_png(path, 20000, 20000, seed=20)
    assert check_image(path).problems == []
    fitted = _measure(path, "fit")
    assert fitted["size"] == [3840, 3840]
    assert fitted["peak"] - fitted["before"] < 2 * 3840 * 3840 * 4


def test_pictures_too_big_to_decode_are_refused_by_the_check(tmp_path):
    # Interlaced: Adam7 rows cannot be decoded in strips, and the whole picture would need
    # 9000×9000×4 bytes: more than the budget. Refused at once, in words, and consistently.
    side = 9000
    passes = [((side + 7) // 8, (side + 7) // 8), ((side + 3) // 8, (side + 7) // 8),
              ((side + 3) // 4, (side + 3) // 8), ((side + 1) // 4, (side + 3) // 4),
              ((side + 1) // 2, (side + 1) // 4), (side // 2, (side + 1) // 2), (side, side // 2)]
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(bytes(1 + w) * h) for w, h in passes) + compressor.flush()
    path = tmp_path / "interlaced.png"
    path.write_bytes(png_file(side, side, 8, 0, [], interlace=1, compressed=data))
    assert side * side * 4 > DECODE_BUDGET
    check = check_image(path)
    assert len(check.problems) == 1, check
    assert check.problems[0].startswith("it is a 9000×9000 interlaced PNG, too big to open here")
    assert thumbnail_png(path) == b""
    with pytest.raises(ImageRejected, match=r"^interlaced\.png is a 9000×9000 interlaced PNG, too big"):
        prepare_image(path, "720p")


_STRIPPABLE = [  # colour type, bit depth, extra chunks
    (0, 8, b""), (0, 16, b""), (2, 8, b""), (2, 8, chunk(b"tRNS", b"\x00\x10\x00\x20\x00\x30")),
    (2, 16, b""),
    (3, 8, chunk(b"PLTE", bytes(range(256)) * 3)),
    (3, 8, chunk(b"PLTE", bytes(range(256)) * 3) + chunk(b"tRNS", bytes(range(0, 256, 2)))),
    (4, 8, b""), (4, 16, b""), (6, 8, b""), (6, 16, b""), (2, 8, chunk(b"gAMA", struct.pack(">I", 45455))),
]


@pytest.mark.parametrize("colour, depth, extra", _STRIPPABLE)
def test_strip_decoding_gives_exactly_what_a_whole_decode_gives(tmp_path, monkeypatch, colour, depth, extra):
    width, height = 37, 29
    rng = random.Random(colour * 100 + depth)
    row_bytes = width * SAMPLES[colour] * depth // 8
    rows = [rng.randbytes(row_bytes) for _ in range(height)]  # palette: 256 entries, any byte
    path = tmp_path / "rows.png"
    path.write_bytes(png_file(width, height, depth, colour, rows, extra=extra, filters=rng))
    whole, warnings = qt_decode(path.read_bytes())
    assert not whole.isNull() and not warnings

    monkeypatch.setattr(pngstrips, "STRIP_BYTES", width * 8 * 3)  # 3 or 6 rows a strip
    with images._Source.file(path) as source:
        look = images._look(source)
        assert look.check.problems == [] and look.decodable
        assert pngstrips.strippable(look.layout.png)
        strips, complaints = pngstrips.decode_scaled(source.read_at, look.layout.png, width, height)
    assert complaints == [] and not strips.isNull()
    a = whole.convertToFormat(QImage.Format.Format_RGBA64)
    b = strips.convertToFormat(QImage.Format.Format_RGBA64)
    assert (a.width(), a.height()) == (b.width(), b.height()) == (width, height)
    for y in range(height):
        assert bytes(a.constScanLine(y)) == bytes(b.constScanLine(y)), f"row {y} differs"


# ----------------------------------------------------------------- damaged pictures


def _clean_files() -> dict[str, bytes]:
    picture = noise(240, 160, seed=7)
    files = {"jpeg": encode(picture, "jpeg", 90), "progressive.jpeg": encode(picture, "jpeg", 90, True),
             "png": encode(picture, "png")}
    if HAS_WEBP:
        files["webp"] = encode(picture, "webp", 80)
    return files


def _corruptions(data: bytes, seed: int, count: int = 50) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):  # cut short anywhere past the first 32 bytes
        out.append(("truncated", data[:rng.randrange(32, len(data) - 1)]))
    for _ in range(count):  # one bit flipped anywhere past the signature
        flipped = bytearray(data)
        flipped[rng.randrange(16, len(data))] ^= 1 << rng.randrange(8)
        out.append(("bit-flipped", bytes(flipped)))
    return out


@pytest.mark.parametrize("kind", list(_clean_files()))
def test_damaged_pictures_are_never_sent(tmp_path, kind):
    """Before: 27 of 199 truncated or bit-flipped JPEGs were sent (paid half-grey videos).

    Every corruption whose full decode had errors (a null picture, or a warning from the
    decoder such as "Corrupt JPEG data: premature end of data segment") is refused before
    anything is sent, with the reason; every truncated file is refused; the clean file is
    sent as it is. A warning that escaped the capture would fail this test (pytest-qt).
    """
    clean = _clean_files()[kind]
    suffix = kind.rsplit(".", 1)[-1]
    path = tmp_path / f"clean.{suffix}"
    path.write_bytes(clean)
    assert check_image(path).problems == []
    assert prepare_image(path, "720p").data == clean

    sent = refused = 0
    reasons: list[str] = []
    for index, (how, data) in enumerate(_corruptions(clean, seed=len(kind))):
        path = tmp_path / f"{how}-{index}.{suffix}"
        path.write_bytes(data)
        image, warnings = qt_decode(data)
        decode_had_errors = image.isNull() or bool(warnings) or how == "truncated"
        try:
            prepared = prepare_image(path, "720p")
        except ImageRejected as exc:
            refused += 1
            reasons.append(str(exc))
            continue
        sent += 1
        assert not decode_had_errors, f"{how} file sent although decoding said {warnings or 'null'}"
        assert check_image(path).problems == []
        assert prepared.data == data
        if kind == "png":  # every chunk carries a checksum: no flip goes unnoticed
            pytest.fail("a bit-flipped PNG was sent")
    print(f"{kind}: {refused} of 100 damaged files refused, {sent} sent (decoded cleanly)")
    assert refused >= 50
    # Each refusal names the file and says why ("… is damaged: the file is cut short …").
    assert all(re.match(r"^(truncated|bit-flipped)-\d+\.\w+ (is|could|'s) ", r) for r in reasons), reasons


def test_the_reason_is_given_and_the_preview_says_it_too(tmp_path):
    clean = encode(noise(240, 160, seed=3), "jpeg", 90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(clean[: len(clean) * 2 // 3])
    check = check_image(cut)
    assert check.problems == ["it is damaged: the file is cut short (its end is missing)"]
    inspected, thumb = inspect_image(cut)
    assert inspected.problems == check.problems and thumb  # the part that is there is shown
    with pytest.raises(ImageRejected, match=r"^cut\.jpg is damaged: the file is cut short \(its end is missing\)\.$"):
        prepare_image(cut, "720p")

    # An end marker put back after the cut: the walk finds it whole, the decoder does not.
    forged = tmp_path / "forged.jpg"
    forged.write_bytes(clean[: len(clean) * 2 // 3] + b"\xff\xd9")
    _, warnings = qt_decode(forged.read_bytes())
    assert warnings and "Corrupt JPEG data" in warnings[0]
    assert check_image(forged).problems == []  # nothing decoded yet
    inspected, thumb = inspect_image(forged)
    assert inspected.problems == [f"it is damaged (the decoder reports: {warnings[0]})"]
    with pytest.raises(ImageRejected) as caught:
        prepare_image(forged, "720p")
    assert str(caught.value) == f"forged.jpg is damaged (the decoder reports: {warnings[0]})."

    # A PNG whose checksum does not match.
    png = bytearray(encode(noise(64, 64), "png"))
    png[100] ^= 0x10  # inside the picture data
    bad = tmp_path / "bad.png"
    bad.write_bytes(bytes(png))
    assert check_image(bad).problems == ["it is damaged: a checksum does not match (in its IDAT chunk)"]


def test_decoder_warnings_are_captured_per_thread_and_other_messages_pass(tmp_path):
    clean = encode(noise(200, 150, seed=5), "jpeg", 90)
    forged = tmp_path / "forged.jpg"
    forged.write_bytes(clean[: len(clean) // 2] + b"\xff\xd9")
    good = tmp_path / "good.jpg"
    good.write_bytes(clean)

    seen: list[str] = []
    previous = qInstallMessageHandler(lambda mode, context, message: seen.append(message))
    try:
        results: dict[int, list[str]] = {}

        def work(index: int) -> None:
            path = forged if index % 2 else good
            results[index] = inspect_image(path)[0].problems

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for _ in range(20):
            qWarning("a message from the rest of the app")
        for thread in threads:
            thread.join(30)
        mine = qInstallMessageHandler(None)
    finally:
        qInstallMessageHandler(previous)
    assert all(not problems for i, problems in results.items() if i % 2 == 0)
    assert all(problems and "damaged" in problems[0] for i, problems in results.items() if i % 2)
    assert len(results) == 8
    assert seen.count("a message from the rest of the app") == 20  # passed on, not swallowed
    assert not [m for m in seen if "JPEG" in m]  # the decoder's, kept for the decoding thread
    assert mine is not qtmessages._on_message  # the app's handler is back once decoding ends


# ---------------------------------------------------------------------- animations


def _apng(width: int, height: int, still_is_first_frame: bool = True) -> bytes:
    rows = [bytes([(x * 9 + y) & 0xFF for x in range(width * 3)]) for y in range(height)]
    other = [bytes(reversed(row)) for row in rows]
    frame_data = zlib.compress(b"".join(b"\x00" + row for row in other))

    def fctl(sequence: int) -> bytes:
        return chunk(b"fcTL", struct.pack(">IIIIIHHBB", sequence, width, height, 0, 0, 1, 10, 0, 0))

    actl = chunk(b"acTL", struct.pack(">II", 2, 0))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    still = chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + row for row in rows)))
    frames = [fctl(0)] if still_is_first_frame else []
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + actl + b"".join(frames) + still
            + fctl(1) + chunk(b"fdAT", struct.pack(">I", 2) + frame_data) + chunk(b"IEND", b""))


def _animated_webp(width: int, height: int) -> bytes:
    frames = []
    for seed in (1, 2):
        still = encode(noise(width, height, seed=seed), "webp", 80)
        body = still[12:]  # the image chunk(s) of a simple WebP
        assert body[:4] in (b"VP8 ", b"VP8L")
        frame = (b"\x00\x00\x00" * 2 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
                 + (100).to_bytes(3, "little") + b"\x00" + body)
        frames.append(b"ANMF" + struct.pack("<I", len(frame)) + frame + b"\x00" * (len(frame) & 1))
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x02, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + \
        (height - 1).to_bytes(3, "little")
    anim = b"ANIM" + struct.pack("<I", 6) + b"\x00\x00\x00\x00\x00\x00"
    body = b"WEBP" + vp8x + anim + b"".join(frames)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_an_apng_is_sent_as_its_first_frame_and_says_so(tmp_path):
    path = tmp_path / "wave.png"
    path.write_bytes(_apng(120, 80))
    check = check_image(path)
    assert check.problems == []
    assert check.notes == ["it is an animated PNG (2 frames): only the first frame is sent"]
    prepared = prepare_image(path, "720p")
    assert b"acTL" not in prepared.data and b"fdAT" not in prepared.data  # a still picture
    assert (prepared.width, prepared.height) == (120, 80)
    assert prepared.note.startswith("first of 2 frames, re-encoded as ")
    image, _ = qt_decode(prepared.data)
    assert image.pixelColor(5, 5) == qt_decode(path.read_bytes())[0].pixelColor(5, 5)

    hidden = tmp_path / "hidden.png"
    hidden.write_bytes(_apng(120, 80, still_is_first_frame=False))
    assert check_image(hidden).notes == [
        "it is an animated PNG (2 frames): only its still picture is sent, not the animation"]
    assert prepare_image(hidden, "720p").note.startswith("still picture of an animation, ")


@pytest.mark.skipif(not HAS_WEBP, reason="Qt has no WebP plugin here")
def test_an_animated_webp_is_sent_as_its_first_frame_and_says_so(tmp_path):
    path = tmp_path / "loop.webp"
    path.write_bytes(_animated_webp(96, 64))
    image, warnings = qt_decode(path.read_bytes())
    assert not image.isNull() and not warnings
    check = check_image(path)
    assert check.problems == [] and (check.width, check.height) == (96, 64)
    assert check.notes == ["it is an animated WebP (2 frames): only the first frame is sent"]
    prepared = prepare_image(path, "720p")
    assert b"ANMF" not in prepared.data and prepared.note.startswith("first of 2 frames, re-encoded as ")


def test_a_gif_is_refused_as_the_api_does_not_take_it(tmp_path):
    path = tmp_path / "party.gif"
    path.write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00"
                     b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    assert check_image(path).problems == ["it is not a JPEG, PNG or WebP image"]
    with pytest.raises(ImageRejected, match=r"^party\.gif is not a JPEG, PNG or WebP image\.$"):
        prepare_image(path, "720p")


def test_a_handler_installed_while_decoding_is_left_in_place():
    def theirs(mode, context, message):
        pass

    before = qInstallMessageHandler(None)
    try:
        with qtmessages.decoder_messages():
            qInstallMessageHandler(theirs)  # the app sets up its logging meanwhile
        assert qInstallMessageHandler(None) is theirs
    finally:
        qInstallMessageHandler(before)
