"""Smoke test of a frozen bundle where no GUI test runs (CI on Windows and macOS).

    python packaging/smoke_test.py PATH/TO/vidu-desktop[.exe] IMAGE

The executable must start its demo simulator (`--simulator`, read back over a pipe, as the app
does) and render a short video with the bundled FFmpeg plugin (`--render-video`). Linux has
the fuller tests/packaging.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


def main(exe: str, image: str) -> int:
    server = subprocess.Popen([exe, "--simulator", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    timer = threading.Timer(60, server.kill)
    timer.start()
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
    finally:
        timer.cancel()
        server.kill()
        server.wait()
    print("simulator:", line.strip() or "(nothing)")
    if "http://" not in line:
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "smoke.mp4"
        render = subprocess.run([exe, "--render-video", "--image", image, "--out", str(out), "--duration",
                                 "1", "--height", "540", "--motion", "zoom", "--audio", "--fast"],
                                capture_output=True, text=True, timeout=180,
                                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        print("renderer:", render.returncode, render.stdout.strip()[-300:], render.stderr.strip()[-2000:])
        return 0 if render.returncode == 0 and out.is_file() and out.stat().st_size > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
