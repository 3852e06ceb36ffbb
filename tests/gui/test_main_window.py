"""The real window against the simulator: what a user does, and what they would notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtMultimedia import QMediaPlayer

from tests.gui.conftest import jobs_shown
from tests.images import png_bytes
from vidu_desktop import settings
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.simulator.server import placeholder_png

pytestmark = pytest.mark.gui


def drop(window, urls=(), text: str | None = None, image: QImage | None = None) -> None:
    mime = QMimeData()
    if urls:
        mime.setUrls([QUrl(u) if "://" in u else QUrl.fromLocalFile(u) for u in urls])
    if text:
        mime.setText(text)
    if image is not None:
        mime.setImageData(image)
    # Qt 6 delivers drop events only inside a real drag session, so call the handlers the way
    # that session would: enter (must be accepted), then drop.
    where = QPoint(100, 100)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def write_png(tmp_path: Path, name: str, width: int, height: int) -> Path:
    path = tmp_path / name
    path.write_bytes(png_bytes(width, height))
    return path


def wait_checked(qtbot, window) -> None:
    qtbot.waitUntil(lambda: all(not i.pending for i in window.images.images), timeout=10_000)


def test_dropped_files_show_with_size_and_ratio(qtbot, window, tmp_path):
    path = write_png(tmp_path, "wide.png", 640, 360)
    drop(window, [str(path)])
    wait_checked(qtbot, window)
    [image] = window.images.images
    assert image.summary.startswith("640×360 · 16:9")
    assert image.thumbnail_png
    assert window.generate_button.isEnabled()


def test_dropped_web_link_is_kept_as_a_link(qtbot, window):
    drop(window, ["https://example.com/cat.webp"])
    [image] = window.images.images
    assert image.source == "https://example.com/cat.webp" and not image.problems
    assert window.generate_button.isEnabled()


@pytest.mark.parametrize("name, content, words", [
    ("notes.png", b"just some text", "not a JPEG, PNG or WebP image"),
    ("empty.jpg", b"", "the file is empty"),
    ("banner.png", png_bytes(500, 100), "outside the allowed 1:4 to 4:1"),
])
def test_bad_images_are_explained_and_block_generate(qtbot, window, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    drop(window, [str(path)])
    wait_checked(qtbot, window)
    assert not window.generate_button.isEnabled()
    assert words in window.problem_label.text() and name in window.problem_label.text()
    assert jobs_shown(window) == []


def test_wrong_extension_is_judged_by_content(qtbot, window, tmp_path):
    path = tmp_path / "actually-png.jpg"
    path.write_bytes(png_bytes(300, 300))
    drop(window, [str(path)])
    wait_checked(qtbot, window)
    assert window.images.images[0].problems == [] and window.generate_button.isEnabled()


def test_overlong_prompt_blocks_generate_with_the_reason(qtbot, window):
    drop(window, ["https://example.com/cat.png"])
    window.form.prompt.setPlainText("x" * 5001)
    assert window.form.counter.text() == "5001 / 5000"
    assert not window.generate_button.isEnabled()
    assert "5001 characters" in window.problem_label.text()
    window.form.prompt.setPlainText("x" * 5000)
    assert window.generate_button.isEnabled()


def test_widgets_produce_exactly_the_contract_request(qtbot, window, simulator):
    drop(window, ["https://example.com/cat.png"])
    form = window.form
    form.prompt.setPlainText("The cat turns its head")
    form.duration.setValue(16)
    form.resolution.setCurrentText("1080p")
    form.seed.setValue(2147483647)
    form.audio.setChecked(True)
    form.audio_type.setCurrentIndex(form.audio_type.findData("speech_only"))
    form.is_rec.setChecked(True)
    form.off_peak.setChecked(True)
    assert form.audio_type.isEnabled()
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 1, timeout=10_000)
    assert simulator.last_payload == {
        "images": ["https://example.com/cat.png"], "prompt": "The cat turns its head",
        "duration": 16, "resolution": "1080p", "seed": 2147483647, "audio": True,
        "audio_type": "speech_only", "is_rec": True, "off_peak": True}
    form.audio.setChecked(False)
    assert not form.audio_type.isEnabled() and not form.is_rec.isEnabled()
    assert settings.last_video_settings().duration == 16


def test_generate_progress_and_the_video_plays(qtbot, window, simulator, tmp_path, artifacts_dir):
    path = tmp_path / "photo.png"
    path.write_bytes(placeholder_png(800, 600))
    window.images.add_sources([str(path)])
    window.form.prompt.setPlainText("Slow push in on the orange square")
    window.form.duration.setValue(2)
    wait_checked(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts need the active window
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 1, timeout=5000)
    job_id = jobs_shown(window)[0].id
    states = set()

    def done() -> bool:
        job = window.jobs.model.job(job_id)
        states.add(job.state)
        assert job.state is not JobState.FAILED, job.error
        return job.state is JobState.DONE

    qtbot.waitUntil(done, timeout=60_000)
    assert JobState.DONE in states
    job = window.jobs.model.job(job_id)
    assert Path(job.video_path).is_file() and Path(job.video_path).parent == settings.library_dir().resolve()
    player = window.player.media_player()
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=15_000)
    with qtbot.waitSignal(window.player.video_sink().videoFrameChanged, timeout=10_000,
                          check_params_cb=lambda frame: frame.isValid()):
        pass
    assert window.jobs.model.data(window.jobs.model.index(0, 1)).startswith("Done")
    assert simulator.stats.submissions == 1
    save_screenshot(qtbot, window, artifacts_dir / "main-window-finished-job.png")


def save_screenshot(qtbot, window, path: Path) -> None:
    """What the screen shows (the video surface is drawn by the platform, so grab the screen)."""
    qtbot.waitExposed(window)
    window.raise_()
    frames = []
    window.player.video_sink().videoFrameChanged.connect(frames.append)
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=10_000)  # a few frames painted
    screen = window.screen()
    picture = screen.grabWindow(0, window.frameGeometry().x(), window.frameGeometry().y(),
                                window.frameGeometry().width(), window.frameGeometry().height())
    assert picture.save(str(path))


def test_window_layout_and_settings_are_remembered(qtbot, window, open_window):
    window.resize(1000, 700)
    window.main_splitter.setSizes([450, 550])
    window.form.resolution.setCurrentText("1080p")
    window.player.set_volume(35)
    window.close()
    window.session.shutdown()
    again = open_window()
    assert (again.width(), again.height()) == (1000, 700)
    assert again.main_splitter.sizes()[0] == window.main_splitter.sizes()[0] > 400
    assert again.form.resolution.currentText() == "1080p"
    assert again.player.volume() == 35


def test_every_parameter_has_a_tooltip(window):
    form = window.form
    for widget in (form.prompt, form.duration, form.resolution, form.seed, form.randomize, form.audio,
                   form.audio_type, form.is_rec, form.off_peak, window.generate_button):
        assert widget.toolTip(), widget.accessibleName() or widget
