"""The app icon and a palette that follows the system's light or dark scheme."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

ICON_FILE = "vidu-desktop.svg"
_THEMED = "viduThemed"  # an app property: Fusion is set and the colour scheme followed already


def resource_path(name: str) -> str:
    """A file from the installed resources package (works from a wheel and from PyInstaller)."""
    return str(resources.files("vidu_desktop.resources") / name)


def app_icon() -> QIcon:
    return QIcon(resource_path(ICON_FILE))


def palette_icon(style: QStyle, kind: QStyle.StandardPixmap, palette: QPalette, size: int = 20) -> QIcon:
    """A standard icon drawn in the palette's button text colour (Fusion's media icons are dark
    grey whatever the scheme: nearly invisible on a dark button), greyed when disabled."""
    shape = style.standardIcon(kind).pixmap(QSize(size, size))
    icon = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled)):
        tinted = QPixmap(shape.size())
        tinted.setDevicePixelRatio(shape.devicePixelRatio())
        tinted.fill(Qt.GlobalColor.transparent)
        painter = QPainter(tinted)
        painter.drawPixmap(0, 0, shape)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(tinted.rect(), palette.color(group, QPalette.ColorRole.ButtonText))
        painter.end()
        icon.addPixmap(tinted, mode)
    return icon


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: QColor(37, 37, 40), QPalette.ColorRole.WindowText: QColor(230, 230, 230),
        QPalette.ColorRole.Base: QColor(28, 28, 30), QPalette.ColorRole.AlternateBase: QColor(44, 44, 48),
        QPalette.ColorRole.Text: QColor(230, 230, 230), QPalette.ColorRole.Button: QColor(48, 48, 52),
        QPalette.ColorRole.ButtonText: QColor(230, 230, 230), QPalette.ColorRole.Highlight: QColor(108, 92, 231),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255), QPalette.ColorRole.ToolTipBase: QColor(50, 50, 54),
        QPalette.ColorRole.ToolTipText: QColor(230, 230, 230), QPalette.ColorRole.Link: QColor(120, 180, 255),
        QPalette.ColorRole.PlaceholderText: QColor(140, 140, 140),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return palette


def _system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, style_sheet: bool = True) -> None:
    """Fusion everywhere (same look on every OS); dark when the system says so, live.

    `style_sheet=False`: the style and the palette only; apply_style_sheet() adds the sheet
    later. Start-up builds the main window between the two: with an application style sheet
    set, every widget added to a layout or splitter restyles its whole subtree again (about
    half of the window's construction time), while setting the sheet once the window exists
    styles each widget once. The result is the same.

    Safe to call again: the style is set once (setStyle restyles every widget alive, windows
    closed but not yet deleted included) and the scheme is followed through one connection."""
    if not app.property(_THEMED):  # (app.style() is the style sheet's own style after the first time)
        app.setProperty(_THEMED, True)
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _: set_scheme(app, _system_is_dark()))
    if style_sheet:
        set_scheme(app, _system_is_dark())
    else:
        _set_palette(app, _system_is_dark())


def apply_style_sheet(app: QApplication) -> None:
    """The style sheet of the current scheme (see apply_theme's `style_sheet`)."""
    _set_style_sheet(app, _system_is_dark())


def set_scheme(app: QApplication, dark: bool) -> None:
    """The light or the dark palette, with the app's style sheet."""
    _set_palette(app, dark)
    _set_style_sheet(app, dark)


def _set_palette(app: QApplication, dark: bool) -> None:
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())


def _set_style_sheet(app: QApplication, dark: bool) -> None:
    sheet = stylesheet(dark)
    if app.styleSheet() != sheet:  # a new style sheet restyles every widget: only when it changes
        app.setStyleSheet(sheet)


ACCENT = "#6c5ce7"  # the one accent colour: Generate, links, the playing job
ACCENT_HOVER = "#5a4bd6"
ACCENT_PRESSED = "#4b3dc0"


def stylesheet(dark: bool) -> str:
    """The few rules on top of Fusion: the accent-coloured default button, the banners, hints."""
    banner = ("background: #3d3520; color: #f3dfa2;" if dark else "background: #fff4d6; color: #5a4500;")
    notice = ("background: #263a2c; color: #cdebd4;" if dark else "background: #e6f6ea; color: #1d4d2b;")
    link = "#9f95ff" if dark else ACCENT
    return (
        f"QFrame#demoBanner {{ {banner} border-radius: 6px; }}"
        f"QFrame#demoBanner QLabel {{ {banner} }}"
        f"QFrame#readyNotice {{ {notice} border-radius: 6px; }}"
        f"QFrame#readyNotice QLabel {{ {notice} }}"
        f"QPushButton#generate {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT_PRESSED};"
        " border-radius: 6px; padding: 6px 16px; font-weight: bold; }"
        f"QPushButton#generate:hover {{ background: {ACCENT_HOVER}; }}"
        f"QPushButton#generate:pressed {{ background: {ACCENT_PRESSED}; }}"
        f"QPushButton#generate:focus {{ border: 2px solid {'#ffffff' if dark else '#2d2370'}; }}"
        "QPushButton#generate:disabled { background: palette(button); color: palette(mid);"
        " border: 1px solid palette(mid); font-weight: normal; }"
        f"QPushButton#link {{ color: {link}; border: none; background: transparent; padding: 2px 0;"
        " text-decoration: underline; text-align: left; }"
        f"QPushButton#link:focus {{ outline: none; border-bottom: 2px solid {link}; }}"
        "QLabel#detailsEmpty, QLabel#queueState { color: palette(placeholder-text); }"
        "QLabel#problems { color: #c0392b; }"
        "QLabel#problems[hint=\"true\"] { color: palette(placeholder-text); }"
        "QLabel#dropHint { border: 2px dashed palette(mid); border-radius: 10px; padding: 24px;"
        " color: palette(placeholder-text); min-height: 120px; }")
