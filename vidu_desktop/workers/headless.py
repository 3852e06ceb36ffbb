"""`python -m vidu_desktop.workers.headless`: the job engine without a window.

Generates jobs from images given on the command line, resumes every unfinished job in the
job store, and exits when nothing is left to wait for. Scripts can use it; the durability
tests kill it at awkward moments and start it again.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from .. import credentials, paths, settings
from ..core.jobs import JobState, JobStore
from ..core.novita import resolve_base_url
from ..core.request import VideoRequest

WAITING = (JobState.SUBMITTING, JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vidu_desktop.workers.headless",
                                     description="Run Vidu jobs without a window.")
    parser.add_argument("images", nargs="*", help="image files or http(s) links: one job each")
    defaults = VideoRequest()
    parser.add_argument("--prompt", default=defaults.prompt)
    parser.add_argument("--duration", type=int, default=defaults.duration)
    parser.add_argument("--resolution", default=defaults.resolution)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--no-audio", action="store_true")
    args = parser.parse_args(argv)
    params = {**VideoRequest().to_payload(), "prompt": args.prompt, "duration": args.duration,
              "resolution": args.resolution, "seed": args.seed, "audio": not args.no_audio}
    params.pop("images")
    problems = VideoRequest(images=("https://example.invalid/x.png",), **params).validate()
    if problems:
        print("\n".join(p.message for p in problems), file=sys.stderr)
        return 2
    key = credentials.load_api_key()
    if not key.value:
        print("No API key: set NOVITA_API_KEY or store one with `keyring set vidu-desktop api-key`.",
              file=sys.stderr)
        return 2

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication  # image fitting uses QImage

    from ..logging_setup import register_secret, setup_logging
    from .engine import Connection, JobEngine

    setup_logging()
    register_secret(key.value)
    app = QGuiApplication(sys.argv[:1])
    from .. import instance

    lock = instance.acquire_lock()
    if lock is None:
        print("Vidu Desktop is running and looks after the jobs; not starting a second engine.",
              file=sys.stderr)
        return 3
    store = JobStore(paths.job_database())
    engine = JobEngine(store, settings.library_dir)
    engine.set_connection(Connection(key.value, resolve_base_url(settings.base_url_setting())))
    engine.resume()
    engine.generate(args.images, params)

    def stop_when_idle() -> None:
        if store.count(WAITING) == 0:
            app.quit()

    engine.jobChanged.connect(lambda _: stop_when_idle())
    QTimer.singleShot(0, stop_when_idle)
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    app.exec()
    engine.shutdown()
    for job in store.list(limit=len(args.images) or 1):
        logging.getLogger(__name__).info("job %s ended %s", job.id, job.state.value)
    store.close()
    lock.unlock()
    return 0


if __name__ == "__main__":
    sys.exit(main())
