"""The embedded video player: a guarded wrapper around QtMultimedia.

QtMultimedia is imported only when the first player is built (the import costs ~0.2 s and
needs system libraries such as libpulse that may be missing). If it cannot be imported,
or it has no working backend, the widget shows a plain message instead of crashing.

Besides playing: full screen (F11, a double-click on the video, Esc to leave), "Use this
frame" (the picture shown now, at the video's full resolution, for a new job), and dragging
the video out to a file manager or an editor.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QSignalBlocker,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
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

from ..media.frames import FrameGrabber
from .theme import palette_icon

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer, QVideoSink
    from PySide6.QtMultimediaWidgets import QVideoWidget

log = logging.getLogger(__name__)

_CONTEXT = "VideoPlayer"
# Source texts (English); shown through _tr(), so a translation replaces them.
PLACEHOLDER_TEXT = QT_TRANSLATE_NOOP("VideoPlayer", "Finished videos play here")
MISSING_TEXT = QT_TRANSLATE_NOOP(
    "VideoPlayer", "Video playback is unavailable on this system (Qt Multimedia is missing).")
NO_BACKEND_TEXT = QT_TRANSLATE_NOOP(
    "VideoPlayer", "Video playback is unavailable on this system (Qt Multimedia has no working media backend).")
AWAY_TEXT = QT_TRANSLATE_NOOP("VideoPlayer", "Playing full screen. Press Esc to come back.")
LOOP_TIP = QT_TRANSLATE_NOOP("VideoPlayer", "Play again from the start when the video ends")
SEEK_STEP_MS = 5000
DEFAULT_VOLUME = 80
DRAG_THUMBNAIL = 160

# Used when the backend gives no error text of its own.
_FALLBACK_REASONS = {
    "ResourceError": QT_TRANSLATE_NOOP("VideoPlayer", "the file could not be opened or is not a video"),
    "FormatError": QT_TRANSLATE_NOOP("VideoPlayer", "its format is not supported"),
    "NetworkError": QT_TRANSLATE_NOOP("VideoPlayer", "a network error occurred"),
    "AccessDeniedError": QT_TRANSLATE_NOOP("VideoPlayer", "permission to read it was denied"),
}
_UNKNOWN_REASON = QT_TRANSLATE_NOOP("VideoPlayer", "an unknown error occurred")


def _tr(text: object) -> str:
    """A QT_TRANSLATE_NOOP text in the user's language (the stubs type those texts as object)."""
    return QCoreApplication.translate(_CONTEXT, str(text))


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
    detail = detail.strip().rstrip(".") or _tr(_FALLBACK_REASONS.get(error_name, _UNKNOWN_REASON))
    if detail[1:2].islower():  # read as the continuation of our sentence, but keep acronyms
        detail = detail[0].lower() + detail[1:]
    return QCoreApplication.translate("VideoPlayer", "This video could not be played: {reason}.").format(reason=detail)


def _black(widget: QWidget) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(Qt.GlobalColor.black))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(210, 210, 210))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


class VideoPlayer(QWidget):
    """Video area with a placeholder/message label, and one row of controls beneath.

    The video area and its controls live in one inner widget (`_body`) that becomes a
    full-screen window of its own and comes back; the player itself never leaves the
    window's layout.
    """

    playingChanged = Signal(bool)
    errorOccurred = Signal(str)  # a plain sentence, fit to show to the user
    volumeChanged = Signal(int)  # so the window can remember it
    mutedChanged = Signal(bool)
    # "Use this frame": the video, where the frame starts (ms) and the picture at the video's own size.
    frameChosen = Signal(str, int, QImage)
    nowPlayingChanged = Signal(str)  # the path loaded, "" when nothing is
    fullScreenChanged = Signal(bool)

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
        self._grabber: FrameGrabber | None = None
        self._press_at: QPoint | None = None  # where a left-button press on the video started

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Space/Left/Right reach us
        self.setAccessibleName(self.tr("Video player"))
        self.setAccessibleDescription(self.tr(
            "Space plays or pauses, Left and Right jump 5 seconds, F11 or a double-click shows it full screen"))
        self._backend_tried = False
        self._build_ui()
        if not lazy:
            self.load_backend()
        self._set_controls_enabled(False)

    # ---------------------------------------------------------------- construction

    def _build_ui(self) -> None:
        self._body = QWidget(self)
        self._body.setWindowTitle(self.tr("Video"))
        self._body.installEventFilter(self)  # keys and closing while it is a full-screen window
        self._screen = QWidget(self._body)
        self._screen.setMinimumSize(320, 180)
        self._screen.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._screen.setAccessibleName(self.tr("Video"))
        self._screen.setToolTip(self.tr("Double-click or F11: full screen. Drag the video to a folder to copy it."))
        _black(self._screen)
        self._stack = QStackedLayout(self._screen)
        self._stack.setContentsMargins(2, 2, 2, 2)  # room for the focus frame (see _show_focus)
        self._message = QLabel(_tr(PLACEHOLDER_TEXT), self._screen)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.setAccessibleName(self.tr("Video status"))
        _black(self._message)
        self._stack.addWidget(self._message)

        self._play_button = QToolButton(self._body)
        self._play_button.clicked.connect(self.toggle_play)
        self._seek = QSlider(Qt.Orientation.Horizontal, self._body)
        self._seek.setRange(0, 0)
        # The slider's own arrow keys then match the player's: ±5 s.
        self._seek.setSingleStep(SEEK_STEP_MS)
        self._seek.setPageStep(SEEK_STEP_MS)
        self._seek.setToolTip(self.tr("Seek (Left/Right: 5 seconds)"))
        self._seek.setAccessibleName(self.tr("Seek"))
        self._seek.valueChanged.connect(self._on_seek)  # our own updates are signal-blocked
        self._time = QLabel(self._body)
        self._time.setToolTip(self.tr("Elapsed / total time"))
        self._time.setAccessibleName(self.tr("Elapsed and total time"))
        self._mute_button = QToolButton(self._body)
        self._mute_button.clicked.connect(lambda: self.set_muted(not self._muted))
        self._volume_slider = QSlider(Qt.Orientation.Horizontal, self._body)
        self._volume_slider.setRange(0, 100)
        self._volume_slider.setValue(self._volume)
        self._volume_slider.setMaximumWidth(100)
        self._volume_slider.setToolTip(self.tr("Volume"))
        self._volume_slider.setAccessibleName(self.tr("Volume"))
        self._volume_slider.valueChanged.connect(self.set_volume)
        # A word beside the icon: a lone circular arrow reads as "reload" as much as "loop".
        self._loop_button = QToolButton(self._body)
        self._loop_button.setCheckable(True)
        self._loop_button.setText(self.tr("Loop"))
        self._loop_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._loop_button.setToolTip(_tr(LOOP_TIP))
        self._loop_button.setAccessibleName(self.tr("Loop"))
        self._loop_button.setAccessibleDescription(_tr(LOOP_TIP))
        self._loop_button.toggled.connect(self.set_loop)

        self.use_frame_action = QAction(self.tr("Use this frame"), self)
        self.use_frame_action.setToolTip(self.tr(
            "Add the picture shown now as a new image, to make a video that starts from it"))
        self.use_frame_action.triggered.connect(self.use_current_frame)
        self._use_frame_button = QToolButton(self._body)
        self._use_frame_button.setDefaultAction(self.use_frame_action)
        self._use_frame_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._use_frame_button.setAccessibleName(self.tr("Use this frame"))

        # Window-wide: F11 works wherever the focus is in the main window, and in the
        # full-screen window (the action sits on the body, which is in one or the other).
        self.full_screen_action = QAction(self.tr("Full screen"), self)
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.full_screen_action.setToolTip(self.tr("Show the video full screen (F11; Esc comes back)"))
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self._body.addAction(self.full_screen_action)
        # Esc only counts while full screen (elsewhere it clears searches and closes dialogs).
        self._leave_action = QAction(self.tr("Leave full screen"), self)
        self._leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self._leave_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._leave_action.setEnabled(False)
        self._leave_action.triggered.connect(lambda: self.set_full_screen(False))
        self._body.addAction(self._leave_action)
        self._full_screen_button = QToolButton(self._body)
        self._full_screen_button.setDefaultAction(self.full_screen_action)
        self._full_screen_button.setAccessibleName(self.tr("Full screen"))

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self._play_button)
        controls.addWidget(self._seek, 1)
        controls.addWidget(self._time)
        controls.addWidget(self._mute_button)
        controls.addWidget(self._volume_slider)
        controls.addWidget(self._loop_button)
        controls.addWidget(self._use_frame_button)
        controls.addWidget(self._full_screen_button)
        body_layout = QVBoxLayout(self._body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self._screen, 1)
        body_layout.addLayout(controls)

        # What stays in the window while the body is full screen.
        self._away = QLabel(_tr(AWAY_TEXT), self)
        self._away.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._away.setWordWrap(True)
        _black(self._away)
        self._outer = QStackedLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(self._body)
        self._outer.addWidget(self._away)
        self._outer.setCurrentWidget(self._body)
        self._update_icons()
        self._update_time(0, 0)
        self._show_focus(False)

    def load_backend(self) -> None:
        if self._backend_tried:
            return
        self._backend_tried = True
        mm = _import_multimedia()
        if mm is None:
            self._unavailable = _tr(MISSING_TEXT)
            self._message.setText(self._unavailable)
            return
        player = mm.core.QMediaPlayer(self)
        if not player.isAvailable():
            log.warning("QMediaPlayer has no backend")
            player.deleteLater()
            self._unavailable = _tr(NO_BACKEND_TEXT)
            self._message.setText(self._unavailable)
            return
        self._mm, self._player = mm, player
        self._video = mm.widgets.QVideoWidget(self._screen)
        self._video.setAccessibleName(self.tr("Video"))
        self._video.setToolTip(self._screen.toolTip())
        _black(self._video)
        self._stack.addWidget(self._video)
        # Double-click and drag reach the video widget (its surface is transparent for input).
        self._video.installEventFilter(self)
        for child in self._video.findChildren(QWidget):
            child.installEventFilter(self)
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
            self._fail(self._unavailable or _tr(MISSING_TEXT))
            return
        if not path.is_file():
            self.unload()
            self._fail(self.tr("This video could not be played: the file “{name}” was not found.").format(
                name=path.name))
            return
        url = QUrl.fromLocalFile(str(path.resolve()))
        self._player.stop()
        if self._player.source() == url:
            self._player.setSource(QUrl())  # Qt ignores setting the same source: force a reload
        self._path = path
        self._player.setSource(url)
        self._message.setText(_tr(PLACEHOLDER_TEXT))
        self._stack.setCurrentWidget(self._video)
        self._set_controls_enabled(True)
        if autoplay:
            self._player.play()
        else:
            self._player.pause()  # paused shows the first frame instead of black
        self.nowPlayingChanged.emit(str(path))

    def unload(self) -> None:
        """Stop and let go of the file, so it can be moved or deleted (Windows locks open files)."""
        self.set_full_screen(False)
        had_path = self._path is not None
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
        self._path = None
        self._message.setText(self._unavailable or _tr(PLACEHOLDER_TEXT))
        self._stack.setCurrentWidget(self._message)
        self._set_controls_enabled(False)
        self._update_time(0, 0)
        if had_path:
            self.nowPlayingChanged.emit("")

    def current_path(self) -> Path | None:
        return self._path

    def now_playing(self) -> str | None:
        """The file loaded (playing, paused or ended), as given to load(); None when empty."""
        return str(self._path) if self._path is not None else None

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

    # ---------------------------------------------------------------- full screen

    def is_full_screen(self) -> bool:
        return self._body.isWindow()

    def set_full_screen(self, on: bool) -> None:
        """Show the video and its controls full screen (only with a video loaded), or bring them back."""
        on = bool(on) and self._path is not None
        if on != self.is_full_screen():
            if on:
                self._outer.setCurrentWidget(self._away)
                # Still owned by the player (deleted with it), but a window of its own.
                self._body.setParent(self, Qt.WindowType.Window)
                self._body.showFullScreen()
                self._body.activateWindow()
                self._body.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self._body.setWindowState(Qt.WindowState.WindowNoState)
                self._body.setParent(self, Qt.WindowType.Widget)
                self._outer.setCurrentWidget(self._body)
                self._body.show()
                self.window().activateWindow()
                self.setFocus(Qt.FocusReason.OtherFocusReason)
            self._leave_action.setEnabled(on)
            self.fullScreenChanged.emit(on)
        with QSignalBlocker(self.full_screen_action):
            self.full_screen_action.setChecked(on)

    # ---------------------------------------------------------------- use this frame

    def use_current_frame(self) -> None:
        """frameChosen with the picture shown now, at the video's own size; pauses so the user
        sees what was taken. When the video surface holds no frame (stopped at the end), the
        frame is decoded from the file instead: frameChosen follows later, or errorOccurred."""
        path, player = self._path, self._player
        if path is None or player is None:
            return
        if self.is_playing():
            player.pause()
        sink = self.video_sink()
        frame = sink.videoFrame() if sink is not None else None
        if frame is not None and frame.isValid():
            image = frame.toImage()
            if not image.isNull():
                start = frame.startTime() // 1000 if frame.startTime() >= 0 else player.position()
                self.frameChosen.emit(str(path), start, image.convertToFormat(QImage.Format.Format_RGB32))
                return
        ended = player.mediaStatus() == player.MediaStatus.EndOfMedia or (
            player.duration() > 0 and player.position() >= player.duration())
        grabber = self._frame_grabber()
        if ended:
            grabber.grab_last(path)
        else:
            grabber.grab_at(path, player.position())

    def _frame_grabber(self) -> FrameGrabber:
        if self._grabber is None:
            self._grabber = FrameGrabber(self)
            self._grabber.frameReady.connect(self.frameChosen)
            self._grabber.failed.connect(lambda _path, words: self.errorOccurred.emit(words))
        return self._grabber

    # ---------------------------------------------------------------- drag out

    def _start_drag(self) -> None:
        """Offer the file itself: a file manager copies it, an editor opens it."""
        if self._path is None or not self._path.is_file():
            return
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(self._path.resolve()))])
        drag = QDrag(self)
        drag.setMimeData(mime)
        sink = self.video_sink()
        frame = sink.videoFrame() if sink is not None else None
        if frame is not None and frame.isValid():
            image = frame.toImage()
            if not image.isNull():
                drag.setPixmap(QPixmap.fromImage(image.scaled(
                    DRAG_THUMBNAIL, DRAG_THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)))
        drag.exec(Qt.DropAction.CopyAction)

    # ---------------------------------------------------------------- events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._body:
            if kind == QEvent.Type.Close and self.is_full_screen():  # the window manager's close
                event.ignore()
                self.set_full_screen(False)
                return True
            if kind == QEvent.Type.ShortcutOverride and self.is_full_screen():
                return self._claim_key(event)
            if kind == QEvent.Type.KeyPress and self.is_full_screen() and isinstance(event, QKeyEvent):
                if event.key() == Qt.Key.Key_Escape:  # should the shortcut not have taken it
                    self.set_full_screen(False)
                    return True
                return self._handle_key(event)
            return False
        if isinstance(event, QMouseEvent):
            return self._video_mouse(event)
        return False

    def _video_mouse(self, event: QMouseEvent) -> bool:
        kind = event.type()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonDblClick and left:
            self._press_at = None
            self.set_full_screen(not self.is_full_screen())
            return True
        if kind == QEvent.Type.MouseButtonPress and left:
            self._press_at = event.position().toPoint()
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            return False
        if kind == QEvent.Type.MouseButtonRelease and left:
            self._press_at = None
            return False
        if (kind == QEvent.Type.MouseMove and self._press_at is not None
                and event.buttons() & Qt.MouseButton.LeftButton
                and (event.position().toPoint() - self._press_at).manhattanLength()
                >= QApplication.startDragDistance()):
            self._press_at = None
            self._start_drag()
            return True
        return False

    _KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right)

    def _claim_key(self, event: QEvent) -> bool:
        # Claim our keys before a window-wide Space shortcut would: the key then arrives
        # here as a normal key press (and the shortcut does not fire twice or ambiguously).
        if (isinstance(event, QKeyEvent) and self._path is not None and event.key() in self._KEYS
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()
            return True
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._claim_key(event):
            return True
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_full_screen_button"):  # (not yet built while __init__ runs)
            self._update_icons()
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        """Space, Left and Right; True when the key was ours."""
        if (self._player is None or self._path is None
                or event.modifiers() != Qt.KeyboardModifier.NoModifier):
            return False
        if event.key() == Qt.Key.Key_Space:
            self.toggle_play()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = SEEK_STEP_MS if event.key() == Qt.Key.Key_Right else -SEEK_STEP_MS
            duration = self._player.duration()
            target = max(0, self._player.position() + step)
            self._player.setPosition(min(target, duration) if duration > 0 else target)
        else:
            return False
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_focus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._show_focus(False)

    def _show_focus(self, on: bool) -> None:
        """A frame in the highlight colour round the video while the keys go to it."""
        palette = self._screen.palette()
        colour = self.palette().color(QPalette.ColorRole.Highlight) if on else QColor(Qt.GlobalColor.black)
        palette.setColor(QPalette.ColorRole.Window, colour)
        self._screen.setPalette(palette)

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

    def _update_icons(self) -> None:
        """Every control's icon in the palette's colours (again when the light or dark scheme changes)."""
        self._update_play_button()
        self._update_mute_button()
        style, palette = self.style(), self.palette()
        self._loop_button.setIcon(palette_icon(style, QStyle.StandardPixmap.SP_BrowserReload, palette))
        # On the action: the button takes its icon from it again whenever the action changes.
        self.full_screen_action.setIcon(palette_icon(style, QStyle.StandardPixmap.SP_TitleBarMaxButton, palette))

    def _update_play_button(self) -> None:
        playing = self.is_playing()
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self._play_button.setIcon(palette_icon(self.style(), icon, self.palette()))
        self._play_button.setToolTip(self.tr("Pause (Space)") if playing else self.tr("Play (Space)"))
        self._play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def _update_mute_button(self) -> None:
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if self._muted else QStyle.StandardPixmap.SP_MediaVolume
        word = self.tr("Unmute") if self._muted else self.tr("Mute")
        self._mute_button.setIcon(palette_icon(self.style(), icon, self.palette()))
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
        self.use_frame_action.setEnabled(on)
        self.full_screen_action.setEnabled(on)
