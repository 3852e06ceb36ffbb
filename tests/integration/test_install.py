"""The package as users get it: `vidu-desktop --version`, and a non-editable install finds its resources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import vidu_desktop

REPO = Path(__file__).resolve().parents[2]


def test_version_flag_prints_and_exits():
    out = subprocess.run([sys.executable, "-m", "vidu_desktop", "--version"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"Vidu Desktop {vidu_desktop.__version__}"


@pytest.mark.slow
def test_wheel_carries_the_resources(tmp_path):
    # Build and install without the source tree on the path, then look the icon up from there.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path / "wheel"), str(REPO)], check=True, timeout=300)
    [wheel] = (tmp_path / "wheel").glob("vidu_desktop-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(tmp_path / "site"), str(wheel)], check=True, timeout=300)
    code = ("import vidu_desktop, importlib.resources as r; "
            "p = r.files('vidu_desktop.resources') / 'vidu-desktop.svg'; "
            "print(vidu_desktop.__file__); print(p.is_file())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    where, found = out.stdout.split()
    assert where.startswith(str(tmp_path / "site")) and found == "True"
