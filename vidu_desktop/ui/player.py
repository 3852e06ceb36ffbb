"""The embedded video player: a guarded wrapper around QtMultimedia.

QtMultimedia is imported only when the first player is built (the import costs ~0.2 s and
needs system libraries such as libpulse that may be missing). If it cannot be imported,
or it has no working backend, the widget shows a plain message instead of crashing.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStackedLayout,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer, QVideoSink
    from PySide6.QtMultimediaWidgets import QVideoWidget

log = logging.getLogger(__name__)

PLACEHOLDER_TEXT = "Finished videos play here"
MISSING_TEXT = "Video playback is unavailable on this system (Qt Multimedia is missing)."
NO_BACKEND_TEXT = "Video playback is unavailable on this system (Qt Multimedia has no working media backend)."
ERROR_PREFIX = "This video could not be played: "
SEEK_STEP_MS = 5000
DEFAULT_VOLUME = 80

# Used when the backend gives no error text of its own.
_FALLBACK_REASONS = {
    "ResourceError": "the file could not be opened or is not a video",
    "FormatError": "its format is not supported",
    "NetworkError": "a network error occurred",
    "AccessDeniedError": "permission to read it was denied",
}


class _Multimedia(NamedTuple):
    core: ModuleType  # PySide6.QtMultimedia
    widgets: ModuleType  # PySide6.QtMultimediaWidgets


def _import_multimedia() -> _Multimedia | None:
    """Import QtMultimedia on first use; None when it is missing (tests replace this)."""
    try:
        return _Multimedia(importlib.import_module("PySide6.QtMultimedia"),
                           importlib.import_module("PySide6.QtMultimediaWidgets"))
    except (ImportError, OSError) as exc:  # OSError: a shared library that will not load
        log.warning("Qt Multimedia is unavailable: %s", exc)
        return None


def format_time(ms: int) -> str:
    """0:03, 12:34 or 1:02:03."""
    minutes, seconds = divmod(max(0, ms) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _error_sentence(error_name: str, detail: str) -> str:
    detail = detail.strip().rstrip(".") or _FALLBACK_REASONS.get(error_name, "an unknown error occurred")
    if detail[1:2].islower():  # read as the continuation of our sentence, but keep acronyms
        detail = detail[0].lower() + detail[1:]
    return f"{ERROR_PREFIX}{detail}."


def _black(widget: QWidget) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(Qt.GlobalColor.black))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(210, 210, 210))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


class VideoPlayer(QWidget):
    """Video area with a placeholder/message label, and one row of controls beneath."""

    playingChanged = Signal(bool)
    errorOccurred = Signal(str)  # a plain sentence, fit to show to the user
    volumeChanged = Signal(int)  # so the window can remember it
    mutedChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, lazy: bool = False) -> None:
        """`lazy`: QtMultimedia is loaded by load_backend() (or the first load()), so a window
        can show its first frame without paying for it."""
        super().__init__(parent)
        self._path: Path | None = None
        self._playing = False
        self._volume = DEFAULT_VOLUME
        self._muted = False
        self._loop = False
        self._unavailable: str | None = None
        self._mm: _Multimedia | None = None
        self._player: QMediaPlayer | None = None
        self._audio: QAudioOutput | None = None
        self._devices: QMediaDevices | None = None
        self._video: QVideoWidget | None = None

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Space/Left/Right reach us
        self._backend_tried = False
        self._build_ui()
        if not lazy:
            self.load_backend()
        self._set_controls_enabled(False)

    # ---------------------------------------------------------------- construction

    def _build_ui(self) -> None:
        style = self.style()
        self._screen = QWidget(self)
        self._screen.setMinimumSize(320, 180)
        self._screen.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        _black(self._screen)
        self._stack = QStackedLayout(self._screen)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._message = QLabel(PLACEHOLDER_TEXT, self._screen)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.setAccessibleName("Video status")
        _black(self._message)
        self._stack.addWidget(self._message)

        self._play_button = QToolButton(self)
        self._play_button.clicked.connect(self.toggle_play)
        self._seek = QSlider(Qt.Orientation.Horizontal, self)
        self._seek.setRange(0, 0)
        # The slider's own arrow keys then match the player's: ±5 s.
        self._seek.setSingleStep(SEEK_STEP_MS)
        self._seek.setPageStep(SEEK_STEP_MS)
        self._seek.setToolTip("Seek (Left/Right: 5 seconds)")
        self._seek.setAccessibleName("Seek")
        self._seek.valueChanged.connect(self._on_seek)  # our own updates are signal-blocked
        self._time = QLabel(self)
        self._time.setToolTip("Elapsed / total time")
        self._time.setAccessibleName("Elapsed and total time")
        self._mute_button = QToolButton(self)
        self._mute_button.clicked.connect(lambda: self.set_muted(not self._muted))
        self._volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self._volume_slider.setRange(0, 100)
        self._volume_slider.setValue(self._volume)
        self._volume_slider.setMaximumWidth(100)
        self._volume_slider.setToolTip("Volume")
        self._volume_slider.setAccessibleName("Volume")
        self._volume_slider.valueChanged.connect(self.set_volume)
        self._loop_button = QToolButton(self)
        self._loop_button.setCheckable(True)
        self._loop_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self._loop_button.setToolTip("Loop")
        self._loop_button.setAccessibleName("Loop")
        self._loop_button.toggled.connect(self.set_loop)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self._play_button)
        controls.addWidget(self._seek, 1)
        controls.addWidget(self._time)
        controls.addWidget(self._mute_button)
        controls.addWidget(self._volume_slider)
        controls.addWidget(self._loop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._screen, 1)
        layout.addLayout(controls)
        self._update_play_button()
        self._update_mute_button()
        self._update_time(0, 0)

    def load_backend(self) -> None:
        if self._backend_tried:
            return
        self._backend_tried = True
        mm = _import_multimedia()
        if mm is None:
            self._unavailable = MISSING_TEXT
            self._message.setText(MISSING_TEXT)
            return
        player = mm.core.QMediaPlayer(self)
        if not player.isAvailable():
            log.warning("QMediaPlayer has no backend")
            player.deleteLater()
            self._unavailable = NO_BACKEND_TEXT
            self._message.setText(NO_BACKEND_TEXT)
            return
        self._mm, self._player = mm, player
        self._video = mm.widgets.QVideoWidget(self._screen)
        self._video.setAccessibleName("Video")
        _black(self._video)
        self._stack.addWidget(self._video)
        player.setVideoOutput(self._video)
        player.playbackStateChanged.connect(self._on_state)
        player.positionChanged.connect(lambda pos: self._update_time(pos, player.duration()))
        player.durationChanged.connect(self._on_duration)
        player.errorOccurred.connect(self._on_player_error)
        # Only attach audio when a device exists: with none, video still plays silently.
        self._devices = mm.core.QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._attach_audio)
        self._attach_audio()
        if self.isVisible():  # pay for the video surface (a native window, GL) now, not at the first video
            self._stack.setCurrentWidget(self._video)
            QTimer.singleShot(0, self._show_placeholder_if_idle)

    def _show_placeholder_if_idle(self) -> None:
        if self._path is None:
            self._stack.setCurrentWidget(self._message)

    def _attach_audio(self) -> None:
        assert self._mm is not None and self._player is not None
        if not self._mm.core.QMediaDevices.audioOutputs():
            return
        default = self._mm.core.QMediaDevices.defaultAudioOutput()
        if self._audio is None:
            self._audio = self._mm.core.QAudioOutput(default, self)
            self._player.setAudioOutput(self._audio)
            self._apply_audio()
        else:
            self._audio.setDevice(default)  # follow the system default when it changes

    # ---------------------------------------------------------------- public API

    def load(self, path: Path, autoplay: bool = True) -> None:
        self.load_backend()
        path = Path(path)
        if self._player is None or self._video is None:
            self._fail(self._unavailable or MISSING_TEXT)
            return
        if not path.is_file():
            self.unload()
            self._fail(f"{ERROR_PREFIX}the file “{path.name}” was not found.")
            return
        url = QUrl.fromLocalFile(str(path.resolve()))
        self._player.stop()
        if self._player.source() == url:
            self._player.setSource(QUrl())  # Qt ignores setting the same source: force a reload
        self._path = path
        self._player.setSource(url)
        self._message.setText(PLACEHOLDER_TEXT)
        self._stack.setCurrentWidget(self._video)
        self._set_controls_enabled(True)
        if autoplay:
            self._player.play()
        else:
            self._player.pause()  # paused shows the first frame instead of black

    def unload(self) -> None:
        """Stop and let go of the file, so it can be moved or deleted (Windows locks open files)."""
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
        self._path = None
        self._message.setText(self._unavailable or PLACEHOLDER_TEXT)
        self._stack.setCurrentWidget(self._message)
        self._set_controls_enabled(False)
        self._update_time(0, 0)

    def current_path(self) -> Path | None:
        return self._path

    def toggle_play(self) -> None:
        if self._player is None or self._path is None:
            return
        if self.is_playing():
            self._player.pause()
        else:
            self._player.play()

    def is_playing(self) -> bool:
        return self._player is not None and (
            self._player.playbackState() == self._player.PlaybackState.PlayingState)

    def set_loop(self, on: bool) -> None:
        self._loop = bool(on)
        with QSignalBlocker(self._loop_button):
            self._loop_button.setChecked(self._loop)
        if self._player is not None:
            loops = self._player.Loops
            self._player.setLoops(loops.Infinite if self._loop else loops.Once)

    def loop(self) -> bool:
        return self._loop

    def volume(self) -> int:
        return self._volume

    def set_volume(self, value: int) -> None:
        value = max(0, min(100, int(value)))
        changed = value != self._volume
        self._volume = value
        with QSignalBlocker(self._volume_slider):
            self._volume_slider.setValue(value)
        self._apply_audio()
        if changed:
            self.volumeChanged.emit(value)

    def muted(self) -> bool:
        return self._muted

    def set_muted(self, on: bool) -> None:
        changed = bool(on) != self._muted
        self._muted = bool(on)
        self._update_mute_button()
        self._apply_audio()
        if changed:
            self.mutedChanged.emit(self._muted)

    def video_sink(self) -> QVideoSink | None:
        return self._video.videoSink() if self._video is not None else None

    def media_player(self) -> QMediaPlayer | None:
        return self._player

    # ---------------------------------------------------------------- keyboard

    _KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right)

    def event(self, event: QEvent) -> bool:
        # Claim our keys before a window-wide Space shortcut would: the key then arrives
        # here as a normal key press (and the shortcut does not fire twice or ambiguously).
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self._path is not None and event.key() in self._KEYS
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (self._player is None or self._path is None
                or event.modifiers() != Qt.KeyboardModifier.NoModifier):
            super().keyPressEvent(event)
        elif event.key() == Qt.Key.Key_Space:
            self.toggle_play()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = SEEK_STEP_MS if event.key() == Qt.Key.Key_Right else -SEEK_STEP_MS
            duration = self._player.duration()
            target = max(0, self._player.position() + step)
            self._player.setPosition(min(target, duration) if duration > 0 else target)
        else:
            super().keyPressEvent(event)

    # ---------------------------------------------------------------- internals

    def _fail(self, sentence: str) -> None:
        log.info("Playback problem: %s", sentence)
        self._message.setText(sentence)
        self._stack.setCurrentWidget(self._message)
        self.errorOccurred.emit(sentence)

    def _on_player_error(self, error: Any, detail: str) -> None:
        if self._player is None or error == self._player.Error.NoError:
            return
        sentence = _error_sentence(getattr(error, "name", str(error)), detail)
        path = self._path
        self.unload()  # release the file: the user may want to delete a broken one
        log.warning("Could not play %s: %s (%s)", path, detail, error)
        self._fail(sentence)

    def _on_state(self, _state: Any) -> None:
        self._update_play_button()
        playing = self.is_playing()
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _on_duration(self, duration: int) -> None:
        with QSignalBlocker(self._seek):
            self._seek.setRange(0, max(0, duration))
        self._update_time(self._player.position() if self._player else 0, duration)

    def _on_seek(self, value: int) -> None:
        if self._player is not None and self._path is not None:
            self._player.setPosition(value)

    def _update_time(self, position: int, duration: int) -> None:
        if not self._seek.isSliderDown():  # do not fight the user's drag
            with QSignalBlocker(self._seek):
                self._seek.setValue(position)
        # Total rounds to the nearest second: a "2 s" clip is often 1.96 s long in the container.
        self._time.setText(f"{format_time(position)} / {format_time(duration + 500)}")

    def _update_play_button(self) -> None:
        playing = self.is_playing()
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        word = "Pause" if playing else "Play"
        self._play_button.setIcon(self.style().standardIcon(icon))
        self._play_button.setToolTip(f"{word} (Space)")
        self._play_button.setAccessibleName(word)

    def _update_mute_button(self) -> None:
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if self._muted else QStyle.StandardPixmap.SP_MediaVolume
        word = "Unmute" if self._muted else "Mute"
        self._mute_button.setIcon(self.style().standardIcon(icon))
        self._mute_button.setToolTip(word)
        self._mute_button.setAccessibleName(word)

    def _apply_audio(self) -> None:
        if self._audio is None or self._mm is None:
            return
        scale = self._mm.core.QtAudio.VolumeScale
        # The slider is perceptual (logarithmic); QAudioOutput wants linear gain.
        self._audio.setVolume(self._mm.core.QtAudio.convertVolume(
            self._volume / 100, scale.LogarithmicVolumeScale, scale.LinearVolumeScale))
        self._audio.setMuted(self._muted)

    def _set_controls_enabled(self, on: bool) -> None:
        on = on and self._player is not None
        for widget in (self._play_button, self._seek, self._time, self._mute_button,
                       self._volume_slider, self._loop_button):
            widget.setEnabled(on)
