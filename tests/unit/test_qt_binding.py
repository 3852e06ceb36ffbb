"""The Qt binding must survive a long session: PySide6 6.12.0's abi3 wheel on Python 3.11 lost a
reference to None on every call that returns nothing and aborted the app after a few thousand."""

import subprocess
import sys


def test_many_qt_calls_do_not_exhaust_none():
    code = ("from PySide6.QtCore import QObject\n"
            "o = QObject()\n"
            "for _ in range(300_000):\n"
            "    o.setObjectName('x')\n"
            "print('alive')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "alive", result.stderr[-500:]
