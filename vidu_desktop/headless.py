"""`python -m vidu_desktop.headless`: the session without a window.

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

from .core.request import ImageOrder, VideoSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vidu_desktop.headless",
                                     description="Run Vidu jobs without a window.")
    parser.add_argument("images", nargs="*", help="image files or http(s) links: one job each")
    defaults = VideoSettings()
    parser.add_argument("--prompt", default=defaults.prompt)
    parser.add_argument("--duration", type=int, default=defaults.duration)
    parser.add_argument("--resolution", default=defaults.resolution)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--no-audio", action="store_true")
    args = parser.parse_args(argv)
    chosen = VideoSettings(prompt=args.prompt, duration=args.duration, resolution=args.resolution,
                           seed=args.seed, audio=not args.no_audio)
    problems = chosen.problems()
    if problems:
        print("\n".join(p.message for p in problems), file=sys.stderr)
        return 2

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication  # image fitting uses QImage

    from . import instance
    from .logging_setup import setup_logging
    from .session import Mode, Session, exit_now

    setup_logging()
    log = logging.getLogger(__name__)
    app = QGuiApplication(sys.argv[:1])
    lock = instance.acquire_lock()
    if lock is None:
        print("Vidu Desktop is running and looks after the jobs; not starting a second engine.",
              file=sys.stderr)
        return 3
    session = Session(allow_demo=False)
    outcome = {"code": 0, "sent": False}

    def connected(mode: Mode) -> None:
        if mode is Mode.OFFLINE:
            print(session.status, file=sys.stderr)
            outcome["code"] = 2
            app.quit()
        elif mode.can_generate and not outcome["sent"]:
            if args.images:
                session.generate([ImageOrder(source, chosen) for source in args.images])
            session.after_queued(caught_up)

    def caught_up() -> None:
        outcome["sent"] = True
        stop_when_idle()

    def stop_when_idle() -> None:
        if outcome["sent"] and session.pending == 0:
            app.quit()

    session.modeChanged.connect(connected)
    session.pendingChanged.connect(lambda _count: stop_when_idle())
    session.jobChanged.connect(lambda job: log.info("job %s is %s", job.id, job.state.value))
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    QTimer.singleShot(0, session.start)
    # Python handles signals between bytecodes: a slow no-op timer lets SIGTERM through.
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    app.exec()
    ended = session.shutdown()
    lock.unlock()
    if not ended:
        exit_now(outcome["code"])
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())
