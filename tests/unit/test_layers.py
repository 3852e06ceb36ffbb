"""The core is pure Python: it must import no Qt, so it runs and is tested without a display."""

import ast
import subprocess
import sys
from pathlib import Path

import vidu_desktop

PACKAGE = Path(vidu_desktop.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_source_imports_no_qt():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imported_modules(path)
                                               if m.split(".")[0] in QT_MODULES)
        for path in (PACKAGE / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_core_and_simulator_server_loads_no_qt():
    # Catches indirect imports too: run in a fresh interpreter and look at sys.modules.
    code = ("import sys, pkgutil, importlib, vidu_desktop.core as c\n"
            "for m in pkgutil.walk_packages(c.__path__, 'vidu_desktop.core.'):\n"
            "    importlib.import_module(m.name)\n"
            "import vidu_desktop.simulator.server, vidu_desktop.simulator.video\n"
            f"print(sorted(n for n in sys.modules if n.split('.')[0] in {QT_MODULES!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
