"""The simulator for the benchmarks, in its own process so its work is never counted as the app's.

`python -m tests.benchmarks._sim_server --small S.mp4 --big B.mp4 [--queued Q] [--processing P]`
prints "listening on <url>" and serves until stdin closes (the parent died or is done).

Two things differ from `python -m vidu_desktop.simulator`, both to set the scene and both said
in the benchmark table:
- videos are copies of prepared files instead of renders (rendering would eat the CPU the app
  is being measured on): a 1080p task gets the big file, any other task the small one;
- a task whose prompt starts with BACKGROUND stays in PROCESSING with an estimate of
  BACKGROUND_ETA_S seconds, so the app keeps polling it at its fastest rate (load for the
  GUI-stall and thread benchmarks).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from vidu_desktop.simulator.server import PROCESSING, Simulator, SimulatorConfig

BACKGROUND = "bench-background"
BACKGROUND_ETA_S = 3


class BenchSimulator(Simulator):
    def _progress(self, task):
        if task.request.prompt.startswith(BACKGROUND):
            elapsed = time.monotonic() - task.started
            return PROCESSING, "", BACKGROUND_ETA_S, min(99, int(elapsed))
        return super()._progress(task)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=Path, required=True)
    parser.add_argument("--big", type=Path, required=True)
    parser.add_argument("--queued", type=float, default=1.0)
    parser.add_argument("--processing", type=float, default=4.0)
    parser.add_argument("--video-dir", type=Path, required=True)
    args = parser.parse_args()

    def renderer(image, destination, *, duration_s, height, audio, fast, **_):
        source = args.big if height >= 1080 else args.small
        try:
            os.link(source, destination)  # same bytes, no copying: the server reads a cached file
        except OSError:
            shutil.copyfile(source, destination)

    config = SimulatorConfig(queued_s=args.queued, processing_s=args.processing,
                             video_dir=args.video_dir, renderer=renderer)
    simulator = BenchSimulator(config).start()
    print(f"listening on {simulator.base_url}", flush=True)
    done = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()  # EOF: the parent is gone or finished with us
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait()
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
