"""The embedded VideoPlayer against a real MP4 made here with ffmpeg."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from vidu_desktop.media import frames
from vidu_desktop.ui import player as player_module
from vidu_desktop.ui.player import MISSING_TEXT, PLACEHOLDER_TEXT, VideoPlayer

# Qt warnings this module expects (pyproject fails tests on any other Qt warning):
QT_NOISE = [
    # QtMultimedia on a machine without PipeWire or a PulseAudio server (CI, containers).
    r"^Couldn't load pipewire-0\.3 library$",
    r"^Couldn't resolve pipewire-0\.3 symbols$",
    r"^PulseAudioService: pa_context_connect\(\) failed$",
    # No GPU (offscreen/Xvfb): frames are converted on the CPU instead.
    r"No RHI backend\. Using CPU conversion\.$",
    # QT_QPA_PLATFORM=offscreen only: it implements neither for top-level windows.
    r"^This plugin does not support propagateSizeHints\(\)$",
    r"^This plugin does not support raise\(\)$",
]
# The backend's own complaint about a file that is not a video (we turn it into words).
BAD_MEDIA = r"^Could not open media\. FFmpeg error description: "

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*QT_NOISE)]

WIDTH, HEIGHT, FPS, SECONDS = 160, 90, 10, 2
TIMEOUT_MS = 10_000


def _encode_mp4(path: Path) -> None:
    """A 2 s, 160×90, 10 fps test pattern, made with the ffmpeg command-line tool.

    Not QMediaRecorder + QVideoFrameInput: in PySide6 6.12 it silently drops the first
    frames sent before its encoder thread starts (a 1 s file in ~1 run of 3 under load),
    and in 6.11 readyToSendVideoFrame is never emitted for the first frame.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed to make the test video (it is in the Makefile's system packages)")
    subprocess.run(
        [ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc=duration={SECONDS}:size={WIDTH}x{HEIGHT}:rate={FPS}",
         "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=60)


@pytest.fixture(scope="session")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media") / "sample.mp4"
    _encode_mp4(path)
    return path


@pytest.fixture
def clip(sample_mp4: Path, tmp_path: Path) -> Path:
    """A private copy, so a test may rename or delete it."""
    path = tmp_path / "clip.mp4"
    path.write_bytes(sample_mp4.read_bytes())
    return path


@pytest.fixture
def player(qtbot: QtBot) -> VideoPlayer:
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.resize(480, 320)
    widget.show()
    return widget


def _state(widget: VideoPlayer) -> str:
    mp = widget.media_player()
    assert mp is not None
    return mp.playbackState().name


def _describe(widget: VideoPlayer) -> str:
    """Player state for failure messages."""
    mp = widget.media_player()
    assert mp is not None
    return (f"state={mp.playbackState().name} status={mp.mediaStatus().name} "
            f"position={mp.position()} duration={mp.duration()} error={mp.errorString()!r}")


def _open_fds_for(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    if not fd_dir.is_dir():
        return []
    found = []
    for fd in fd_dir.iterdir():
        try:
            if os.readlink(fd) == str(path.resolve()):
                found.append(fd.name)
        except OSError:  # closed while we looked
            pass
    return found


def test_starts_empty_and_disabled(player: VideoPlayer) -> None:
    assert player.current_path() is None
    assert player._message.text() == PLACEHOLDER_TEXT
    assert not player._play_button.isEnabled() and not player._seek.isEnabled()
    assert player.volume() == 80 and not player.muted() and not player.loop()
    for control in (player._play_button, player._seek, player._time, player._mute_button,
                    player._volume_slider, player._loop_button, player._use_frame_button,
                    player._full_screen_button):
        assert control.toolTip() and control.accessibleName()
    assert not player._use_frame_button.isEnabled() and not player._full_screen_button.isEnabled()
    assert player.now_playing() is None and not player.is_full_screen()


def test_plays_and_delivers_frames(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    sink = player.video_sink()
    assert sink is not None
    frames: list[QSize] = []
    sink.videoFrameChanged.connect(lambda f: f.isValid() and frames.append(f.size()))

    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: on):
        player.load(clip)
    assert player.current_path() == clip and player.is_playing()
    assert _state(player) == "PlayingState"
    qtbot.waitUntil(lambda: bool(frames), timeout=TIMEOUT_MS)
    assert frames[0] == QSize(WIDTH, HEIGHT)

    def total_shown() -> None:
        assert player._time.text().endswith("/ 0:02"), (player._time.text(), _describe(player))

    qtbot.waitUntil(total_shown, timeout=TIMEOUT_MS)
    assert player._play_button.isEnabled() and player._play_button.toolTip().startswith("Pause")

    # Without loop it stops at the end and says so.
    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: not on):
        pass
    assert _state(player) == "StoppedState"


def test_toggle_play_pauses_and_resumes(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    player.load(clip)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS) as paused:
        player.toggle_play()
    assert paused.args == [False] and _state(player) == "PausedState"
    assert player._play_button.accessibleName() == "Play"
    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS) as resumed:
        player.toggle_play()
    assert resumed.args == [True] and _state(player) == "PlayingState"


def test_autoplay_off_stays_paused(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    player.load(clip, autoplay=False)
    qtbot.waitUntil(lambda: _state(player) == "PausedState", timeout=TIMEOUT_MS)
    assert not player.is_playing() and player._play_button.isEnabled()


def test_unload_releases_the_file(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    player.load(clip)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    player.unload()
    mp = player.media_player()
    assert mp is not None and mp.source() == QUrl() and mp.source().isEmpty()
    assert player.current_path() is None and not player.is_playing()
    assert player._message.text() == PLACEHOLDER_TEXT and not player._play_button.isEnabled()
    # Linux never locks, so check the real thing: no descriptor of ours still points at it.
    qtbot.waitUntil(lambda: not _open_fds_for(clip), timeout=TIMEOUT_MS)
    moved = clip.with_name("moved.mp4")
    os.rename(clip, moved)
    moved.unlink()
    assert not moved.exists()


def test_loop_keeps_playing_past_the_end(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    player.set_loop(True)
    assert player.loop() and player._loop_button.isChecked()
    mp = player.media_player()
    assert mp is not None and mp.loops() == mp.Loops.Infinite
    positions: list[int] = []
    mp.positionChanged.connect(positions.append)
    stopped: list[bool] = []
    player.playingChanged.connect(lambda on: on or stopped.append(True))
    player.load(clip)

    def wrapped() -> None:  # a position well past 1 s, then one near the start again
        late = next((i for i, p in enumerate(positions) if p > 1_500), None)
        assert late is not None and any(p < 500 for p in positions[late:]), (positions, _describe(player))

    qtbot.waitUntil(wrapped, timeout=TIMEOUT_MS)
    assert player.is_playing() and not stopped


@pytest.mark.qt_log_ignore(*QT_NOISE, BAD_MEDIA)
def test_not_a_video_reports_words(qtbot: QtBot, player: VideoPlayer, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video\n" * 50)
    with qtbot.waitSignal(player.errorOccurred, timeout=TIMEOUT_MS) as blocker:
        player.load(bogus)
    sentence = blocker.args[0]
    assert sentence.startswith("This video could not be played: ") and sentence.endswith(".")
    assert "Traceback" not in sentence and len(sentence) > len("This video could not be played: .")
    assert player._message.text() == sentence and player._message.isVisible()
    assert player.current_path() is None and not player._play_button.isEnabled()
    qtbot.waitUntil(lambda: not _open_fds_for(bogus), timeout=TIMEOUT_MS)
    bogus.unlink()
    # A missing file is reported the same way, without asking the backend.
    with qtbot.waitSignal(player.errorOccurred, timeout=1000) as missing:
        player.load(tmp_path / "gone.mp4")
    assert missing.args[0] == "This video could not be played: the file “gone.mp4” was not found."


@pytest.mark.qt_log_ignore(*QT_NOISE, BAD_MEDIA)
def test_recovers_after_an_error(qtbot: QtBot, player: VideoPlayer, clip: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bad.mp4"
    bogus.write_bytes(b"\0" * 4096)
    with qtbot.waitSignal(player.errorOccurred, timeout=TIMEOUT_MS):
        player.load(bogus)
    player.load(clip)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    assert player._message.text() == PLACEHOLDER_TEXT


def test_keyboard_space_and_arrows(qtbot: QtBot, clip: Path) -> None:
    # The main window binds Space too: with the player focused, only the player reacts.
    window = QWidget()
    qtbot.addWidget(window)
    other = QWidget(window)
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    player = VideoPlayer(window)
    layout = QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(player)
    window_space: list[bool] = []
    QShortcut(QKeySequence(Qt.Key.Key_Space), window).activated.connect(lambda: window_space.append(True))
    with qtbot.waitActive(window):  # window shortcuts need an active window
        window.show()
        window.activateWindow()

    qtbot.keyClick(other, Qt.Key.Key_Space)
    shortcut_works = bool(window_space)  # the control case (needs an active window)
    window_space.clear()

    player.load(clip, autoplay=False)
    qtbot.waitUntil(lambda: _state(player) == "PausedState", timeout=TIMEOUT_MS)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    assert not window_space, "the window's Space shortcut fired as well"
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=TIMEOUT_MS)

    mp = player.media_player()
    assert mp is not None
    qtbot.waitUntil(lambda: mp.duration() > 0, timeout=TIMEOUT_MS)
    mp.setPosition(0)
    qtbot.keyClick(player, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: mp.position() == mp.duration(), timeout=TIMEOUT_MS)  # clamped: clip < 5 s
    qtbot.keyClick(player, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: mp.position() == 0, timeout=TIMEOUT_MS)
    if not shortcut_works:
        pytest.skip("window shortcuts do not fire on this platform; the override went untested")


def test_volume_and_mute(qtbot: QtBot, player: VideoPlayer) -> None:
    with qtbot.waitSignal(player.volumeChanged) as changed:
        player._volume_slider.setValue(30)
    assert changed.args == [30] and player.volume() == 30
    player.set_volume(250)
    assert player.volume() == 100 and player._volume_slider.value() == 100
    with qtbot.waitSignal(player.mutedChanged) as muted:
        player._mute_button.click() if player._mute_button.isEnabled() else player.set_muted(True)
    assert muted.args == [True] and player.muted() and player._mute_button.toolTip() == "Unmute"
    from PySide6.QtMultimedia import QMediaDevices

    mp = player.media_player()
    assert mp is not None
    if not QMediaDevices.audioOutputs():  # no sound card: video only, no audio output at all
        assert mp.audioOutput() is None
    else:
        audio = mp.audioOutput()
        assert audio is not None and audio.isMuted()


def test_without_qt_multimedia(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(player_module, "_import_multimedia", lambda: None)
    widget = VideoPlayer()
    qtbot.addWidget(widget)
    widget.show()
    assert widget._message.text() == MISSING_TEXT
    assert widget.media_player() is None and widget.video_sink() is None
    assert not widget._play_button.isEnabled()
    with qtbot.waitSignal(widget.errorOccurred, timeout=1000) as blocker:
        widget.load(tmp_path / "whatever.mp4")
    assert blocker.args == [MISSING_TEXT] and widget.current_path() is None
    widget.toggle_play()
    widget.unload()
    assert widget._message.text() == MISSING_TEXT and not widget.is_playing()


# ------------------------------------------------------------------ full screen, frames, drag


@pytest.fixture(scope="session")
def sim_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s 960×720 pan made by the simulator's renderer (MPEG-4 Part 2 + AAC), larger than the widget."""
    from tests.images import png_bytes
    from vidu_desktop.simulator.video import render_video

    path = tmp_path_factory.mktemp("player") / "harbour_720p_2s.mp4"
    # A flat picture would give a flat video: the renderer's fallback gradient for bytes it
    # cannot decode is far more telling.
    render_video(png_bytes(4, 4)[:20], path, duration_s=2, height=720, audio=True, fast=False, motion="pan")
    return path


def _probe_size(path: Path) -> tuple[int, int]:
    ffprobe = shutil.which("ffprobe")
    assert ffprobe is not None
    out = subprocess.run([ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", str(path)],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    width, height = out.strip().split(",")
    return int(width), int(height)


def _active_player(qtbot: QtBot) -> tuple[QWidget, VideoPlayer]:
    """A player in an active window: window-wide shortcuts (F11, Esc) need one."""
    window = QWidget()
    qtbot.addWidget(window)
    player = VideoPlayer(window)
    QVBoxLayout(window).addWidget(player)
    window.resize(480, 320)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window, player


def test_loop_toggle_says_what_it_does(player: VideoPlayer) -> None:
    button = player._loop_button
    assert button.isCheckable() and button.text() == "Loop"
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon and not button.icon().isNull()
    assert button.toolTip() == "Play again from the start when the video ends"
    assert button.accessibleName() == "Loop"


def test_video_area_is_named_and_shows_focus(qtbot: QtBot, clip: Path) -> None:
    from PySide6.QtGui import QAccessible, QPalette

    _window, player = _active_player(qtbot)
    player.load(clip, autoplay=False)
    assert player.focusPolicy() == Qt.FocusPolicy.StrongFocus
    names = {QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
             for w in (player, player._screen, player._video)}
    assert names == {"Video player", "Video"}
    assert "F11" in player.accessibleDescription()
    player.setFocus()
    qtbot.waitUntil(player.hasFocus, timeout=TIMEOUT_MS)
    frame = player._screen.palette().color(QPalette.ColorRole.Window)
    assert frame == player.palette().color(QPalette.ColorRole.Highlight) != QColor(Qt.GlobalColor.black)
    player.clearFocus()
    assert player._screen.palette().color(QPalette.ColorRole.Window) == QColor(Qt.GlobalColor.black)


def test_full_screen_with_f11_and_double_click_esc_leaves(qtbot: QtBot, clip: Path) -> None:
    window, player = _active_player(qtbot)
    window_esc: list[bool] = []
    QShortcut(QKeySequence(Qt.Key.Key_Escape), window).activated.connect(lambda: window_esc.append(True))
    player.set_full_screen(True)
    assert not player.is_full_screen()  # nothing to show yet
    player.load(clip)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    body = player._body

    with qtbot.waitSignal(player.fullScreenChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: on):
        qtbot.keyClick(player, Qt.Key.Key_F11)
    assert player.is_full_screen() and body.isWindow() and body.isFullScreen()
    assert player._video is not None and player._video.window() is body  # the video went with it
    assert player._away.isVisible() and player.full_screen_action.isChecked()
    qtbot.waitUntil(body.isActiveWindow, timeout=TIMEOUT_MS)  # it takes the keys
    qtbot.keyClick(body, Qt.Key.Key_Space)  # the keys still work in the full-screen window
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=TIMEOUT_MS)

    with qtbot.waitSignal(player.fullScreenChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: not on):
        qtbot.keyClick(body, Qt.Key.Key_Escape)
    assert not player.is_full_screen() and body.window() is window and body.isVisible()
    assert body.geometry() == player.rect() and not player.full_screen_action.isChecked()
    assert not window_esc, "Esc reached the window too"

    # Esc belongs to the window again (searches, dialogs) once back.
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert window_esc == [True]

    video = player._video
    centre = video.rect().center()
    qtbot.mouseDClick(video, Qt.MouseButton.LeftButton, pos=centre)
    assert player.is_full_screen()
    qtbot.mouseDClick(video, Qt.MouseButton.LeftButton, pos=centre)
    assert not player.is_full_screen()

    # Unloading (a deleted job) brings it back too.
    player.set_full_screen(True)
    player.unload()
    assert not player.is_full_screen() and body.parent() is player


def test_use_this_frame_at_full_resolution(qtbot: QtBot, player: VideoPlayer, sim_video: Path) -> None:
    width, height = _probe_size(sim_video)
    assert (width, height) == (960, 720) and player.width() < width  # 4:3 (the renderer's own gradient)
    player.load(sim_video)
    qtbot.waitUntil(player.is_playing, timeout=TIMEOUT_MS)
    mp = player.media_player()
    assert mp is not None
    qtbot.waitUntil(lambda: mp.position() > 500, timeout=TIMEOUT_MS)
    assert player.use_frame_action.isEnabled()
    with qtbot.waitSignal(player.frameChosen, timeout=TIMEOUT_MS) as chosen:
        player._use_frame_button.click()
    path, position_ms, image = chosen.args
    assert path == str(sim_video) and (image.width(), image.height()) == (width, height)
    assert 400 <= position_ms <= 2_000 and not frames.is_blank(image)
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=TIMEOUT_MS)  # paused on the frame taken


def test_use_this_frame_after_the_end_decodes_the_last(qtbot: QtBot, player: VideoPlayer, sim_video: Path) -> None:
    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: on):
        player.load(sim_video)
    with qtbot.waitSignal(player.playingChanged, timeout=TIMEOUT_MS, check_params_cb=lambda on: not on):
        pass  # played to the end: the surface holds no frame any more
    with qtbot.waitSignal(player.frameChosen, timeout=TIMEOUT_MS) as chosen:
        player.use_current_frame()
    path, position_ms, image = chosen.args
    assert path == str(sim_video) and 1_900 <= position_ms < 2_000
    assert (image.width(), image.height()) == _probe_size(sim_video) and not frames.is_blank(image)


def test_drag_the_video_out(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, player: VideoPlayer,
                            clip: Path) -> None:
    started: list[tuple[list[QUrl], bool, Qt.DropAction]] = []

    class FakeDrag:  # QDrag.exec runs the platform's drag loop, which needs a real pointer
        def __init__(self, source: QWidget) -> None:
            self.mime = None
            self.pixmap_set = False

        def setMimeData(self, mime) -> None:
            self.mime = mime

        def setPixmap(self, _pixmap) -> None:
            self.pixmap_set = True

        def exec(self, action: Qt.DropAction) -> Qt.DropAction:
            started.append((self.mime.urls(), self.pixmap_set, action))
            return action

    monkeypatch.setattr(player_module, "QDrag", FakeDrag)
    video = player._video
    assert video is not None
    qtbot.mousePress(video, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseMove(video, QPoint(200, 20))
    qtbot.mouseRelease(video, Qt.MouseButton.LeftButton, pos=QPoint(200, 20))
    assert not started  # nothing loaded: nothing to drag

    player.load(clip, autoplay=False)
    qtbot.waitUntil(lambda: _state(player) == "PausedState", timeout=TIMEOUT_MS)
    sink = player.video_sink()
    assert sink is not None
    qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=TIMEOUT_MS)
    qtbot.mousePress(video, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseMove(video, QPoint(22, 21))  # a twitch is a click, not a drag
    assert not started
    qtbot.mouseMove(video, QPoint(120, 40))
    qtbot.mouseRelease(video, Qt.MouseButton.LeftButton, pos=QPoint(120, 40))
    assert started == [([QUrl.fromLocalFile(str(clip.resolve()))], True, Qt.DropAction.CopyAction)]


def test_now_playing_follows_load_and_unload(qtbot: QtBot, player: VideoPlayer, clip: Path) -> None:
    seen: list[str] = []
    player.nowPlayingChanged.connect(seen.append)
    assert player.now_playing() is None
    player.load(clip)
    assert player.now_playing() == str(clip)
    player.unload()
    assert player.now_playing() is None
    player.unload()  # nothing loaded: no second signal
    assert seen == [str(clip), ""]


def test_a_real_double_click_on_the_video_goes_full_screen(qtbot: QtBot, clip: Path) -> None:
    """Through the X server (xdotool), not synthetic events: the click lands on the video
    surface's own child window, and must still reach the player."""
    from tests.waiting import xdotool

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or not shutil.which("xdotool"):
        pytest.skip("needs an X display and xdotool")
    _window, player = _active_player(qtbot)
    player.load(clip, autoplay=False)
    sink = player.video_sink()
    assert sink is not None and player._video is not None
    qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=TIMEOUT_MS)
    centre = player._video.mapToGlobal(player._video.rect().center())
    with qtbot.waitSignal(player.fullScreenChanged, timeout=TIMEOUT_MS):
        xdotool("mousemove", str(centre.x()), str(centre.y()), "click", "--repeat", "2", "--delay", "80", "1")
    assert player.is_full_screen()
    player.set_full_screen(False)


def test_the_controls_icons_are_light_on_the_dark_theme_and_dark_on_the_light(qtbot):
    """Fusion's media icons are dark grey whatever the scheme: drawn in the button text colour
    instead, they stay visible when the scheme changes while the player is open."""
    from PySide6.QtWidgets import QApplication

    from vidu_desktop.ui.theme import apply_theme, set_scheme

    app = QApplication.instance()
    apply_theme(app)
    widget = VideoPlayer(lazy=True)
    qtbot.addWidget(widget)
    widget.show()

    def icon_lightness(button) -> float:
        image = button.icon().pixmap(QSize(20, 20)).toImage()
        ink = [image.pixelColor(x, y).lightnessF() for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).alpha() > 200]
        assert ink, "the icon draws nothing"
        return sum(ink) / len(ink)

    try:
        set_scheme(app, True)
        assert all(icon_lightness(button) > 0.7 for button in (widget._play_button, widget._mute_button))
        set_scheme(app, False)
        assert all(icon_lightness(button) < 0.3 for button in (widget._play_button, widget._mute_button))
    finally:
        set_scheme(app, False)
