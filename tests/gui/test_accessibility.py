"""What a screen reader and a keyboard user get (issue 12, "Languages and accessibility"): the
window's accessibility tree, read through QAccessible as AT-SPI reads it, names every control a
user can reach or operate; Tab reaches the main controls in reading order, and the demo banner's
"Add your Novita API key" link too.

The window is opened as a new user first sees it: demo mode (no key), one image added.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

from tests.gui.conftest import add_one_image

pytestmark = pytest.mark.gui

Role = QAccessible.Role
#: Roles a user operates or that take keyboard focus: each needs a name of its own. Cells, rows
#: and headers inside a view are named by their contents and are not listed.
INTERACTIVE_ROLES = frozenset({
    Role.PushButton, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.EditableText, Role.SpinBox,
    Role.Slider, Role.Dial, Role.Link, Role.PageTab, Role.ButtonMenu, Role.ButtonDropDown,
    Role.ButtonDropGrid, Role.HotkeyField, Role.List, Role.Table, Role.Tree, Role.ProgressBar,
})
#: Inside these the children are the items of a model: the view itself must be named.
VIEW_ROLES = frozenset({Role.List, Role.Table, Role.Tree})


@dataclass(frozen=True)
class Control:
    role: str
    widget_class: str
    object_name: str
    path: str  # how the test can reach it: MainWindow.form.prompt, or the class chain

    def __str__(self) -> str:
        return f"{self.role} {self.widget_class} objectName={self.object_name!r} at {self.path}"


def _attribute_path(widget: QObject, top: QWidget) -> str:
    """`MainWindow.form.prompt`-style path to `widget` through the attributes of its nearest
    ancestor that holds it, else the chain of classes: enough to find the line that makes it."""
    if widget is top:
        return type(top).__name__
    ancestor = widget.parent()
    while ancestor is not None:
        name = next((name for name, value in vars(ancestor).items() if value is widget), None)
        if name is not None:
            return f"{_attribute_path(ancestor, top)}.{name}"
        if ancestor is top:
            break
        ancestor = ancestor.parent()
    parent = widget.parent()
    return f"{_attribute_path(parent, top) if parent is not None else '?'}>{type(widget).__name__}"


def _walk(interface: QAccessibleInterface, depth: int = 0):
    yield interface
    if depth > 40 or interface.role() in VIEW_ROLES:
        return
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and child.isValid():
            yield from _walk(child, depth + 1)


def unnamed_controls(window: QWidget) -> list[Control]:
    """Every visible control in the window's accessibility tree that a user can operate or
    focus but that has no accessible name."""
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None and root.isValid(), "the window has no accessibility interface"
    found = []
    for interface in _walk(root):
        state = interface.state()
        if state.invisible or state.offscreen:
            continue
        interactive = interface.role() in INTERACTIVE_ROLES or state.focusable
        if not interactive or interface.text(QAccessible.Text.Name).strip():
            continue
        target = interface.object()
        found.append(Control(
            role=interface.role().name, widget_class=type(target).__name__ if target is not None else "?",
            object_name=target.objectName() if target is not None else "",
            path=_attribute_path(target, window) if target is not None else "?"))
    return found


def tab_chain(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits from the window's first one, in order, as QWidget's focus chain
    with the rules Qt applies on Tab: visible, enabled, accepting Tab focus, no focus proxy."""
    visited: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and widget not in visited and len(visited) < 1000:
        if (widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.window() is window):
            visited.append(widget)
        widget = widget.nextInFocusChain()
    return visited


@pytest.fixture
def demo_window(qtbot, open_window, tmp_path):
    """The window as a new user first sees it: no key (demo mode), one image added, a word in
    the search field."""
    window = open_window(timeout=30_000)
    add_one_image(qtbot, window, tmp_path)
    window.jobs.search.setText("harbour")  # shows the search field's clear button
    return window


def _first_visit(chain: list[QWidget], target: QWidget) -> int | None:
    """Where Tab first lands on `target` or on a widget inside it."""
    return next((i for i, widget in enumerate(chain) if widget is target or target.isAncestorOf(widget)), None)


def test_every_control_a_user_can_reach_has_an_accessible_name(demo_window):
    unnamed = unnamed_controls(demo_window)
    assert not unnamed, "controls without an accessible name:\n" + "\n".join(map(str, unnamed))


def test_tab_reaches_the_main_controls_in_reading_order(demo_window):
    window = demo_window
    chain = tab_chain(window)
    stops = {name: _first_visit(chain, widget) for name, widget in (
        ("demo banner (Add your Novita API key)", window.demo_banner), ("images", window.images),
        ("prompt", window.form.prompt), ("Generate", window.generate_button),
        ("player", window.player), ("job list", window.jobs.view))}
    order = "\n".join(f"  {type(w).__name__} {w.objectName()!r} {w.accessibleName()!r}" for w in chain)
    missed = [name for name, at in stops.items() if at is None]
    assert not missed, f"Tab never reaches: {', '.join(missed)}; it visits:\n{order}"
    assert stops["images"] < stops["prompt"] < stops["Generate"] < min(stops["player"], stops["job list"]), (
        f"Tab order is not images → prompt → Generate → player/jobs: {stops}\n{order}")


def test_the_spending_view_names_every_control(qtbot, window):
    window.open_spending()
    view = window.spending_dialog
    qtbot.waitExposed(view)
    unnamed = unnamed_controls(view)
    assert not unnamed, "controls without an accessible name:\n" + "\n".join(map(str, unnamed))
