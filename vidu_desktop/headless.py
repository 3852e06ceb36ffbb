"""`vidu-desktop --headless` (or `python -m vidu_desktop.headless`): the session without a window.

Takes the window's inputs (image files, folders with sidecar prompts, CSV batch files, links),
adds their jobs to the same job store the window uses, resumes every unfinished job of that
store, prints each job's progress, and exits when nothing is left to wait for. Scripts can use
it; the durability tests kill it at awkward moments and start it again.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .core.batch import BatchItem, expand_sources, shown_path
from .core.job import Job
from .core.lifecycle import RUNNING, JobState
from .core.request import AUDIO_TYPES, MAX_TAKES, RESOLUTIONS, ImageOrder, VideoSettings, is_web_url

if TYPE_CHECKING:
    from .session import Mode, Session

EXIT_ALL_DONE = 0  # every job of this run, and every resumed one, ended with a video
EXIT_NOT_ALL_DONE = 1  # some failed, are uncertain, were cancelled or refused, or the run was stopped
EXIT_BAD_INPUT = 2  # a bad input or option, or no connection: nothing was sent
EXIT_ALREADY_RUNNING = 3  # another copy (the window or another runner) looks after the jobs

PROG = "vidu-desktop --headless"
_EPILOG = f"""\
Inputs: image files (JPEG, PNG, WebP), folders (each image in them; a text file with the
same name, harbour.txt next to harbour.jpg, is that image's prompt), CSV batch files (a
header row with a column `image` and any of prompt, duration, resolution, audio,
audio_type, seed, off_peak, is_rec; blank cells take the options' values) and http(s)
links. Options set what an image does not set itself.

Unfinished jobs of the job store (shared with the window) are resumed too. The key comes
from NOVITA_API_KEY or the keyring, as in the window.

Exit status:
  {EXIT_ALL_DONE}  every job of this run (and every resumed one) ended with a video
  {EXIT_NOT_ALL_DONE}  some failed, are uncertain, were cancelled or refused (monthly cap), the
     queue is paused, or the run was stopped before the end
  {EXIT_BAD_INPUT}  bad input (every problem is printed, nothing is sent) or no connection
  {EXIT_ALREADY_RUNNING}  another copy of Vidu Desktop is running and looks after the jobs
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Make Vidu videos without a window.",
                                     epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", metavar="INPUT",
                        help="image files, folders, CSV batch files or http(s) links")
    defaults = VideoSettings()
    # Options default to None: only what was given overrides the settings' defaults, and the
    # values go through VideoSettings.from_mapping like a CSV cell (one parser for both).
    parser.add_argument("--prompt", help="the prompt for images without their own (default: none)")
    parser.add_argument("--duration", metavar="SECONDS", help=f"1–16 (default {defaults.duration})")
    parser.add_argument("--resolution", choices=RESOLUTIONS, type=str.lower,
                        help=f"default {defaults.resolution}")
    parser.add_argument("--seed", help="a seed for the first take (default: one drawn per take)")
    parser.add_argument("--no-audio", action="store_true", help="silent videos")
    parser.add_argument("--audio-type", choices=AUDIO_TYPES, help=f"default {defaults.audio_type}")
    parser.add_argument("--is-rec", action="store_true", help="audio follows the motion")
    parser.add_argument("--off-peak", action="store_true", help="cheaper, slower generation")
    parser.add_argument("--takes", type=_takes, default=1, metavar="N",
                        help=f"videos per image, each with its own seed (1–{MAX_TAKES}, default 1)")
    parser.add_argument("--recursive", action="store_true", help="take the images of subfolders too")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="send the valid images and rows even when others have problems")
    parser.add_argument("--resume-queue", action="store_true",
                        help="resume the queue if it was paused in the window (otherwise exit 1)")
    parser.add_argument("--demo", action="store_true",
                        help="without an API key, use the built-in simulator (pretend videos, no cost)")
    return parser


def _takes(text: str) -> int:
    try:
        takes = int(text)
    except ValueError:
        takes = 0
    if not 1 <= takes <= MAX_TAKES:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_TAKES}")
    return takes


def form_settings(args: argparse.Namespace) -> tuple[VideoSettings, list[str]]:
    """The command line's settings (what images without their own values use) and its problems."""
    given: dict[str, object] = {name: value for name, value in (
        ("prompt", args.prompt), ("duration", args.duration), ("resolution", args.resolution),
        ("seed", args.seed), ("audio_type", args.audio_type)) if value is not None}
    if args.no_audio:
        given["audio"] = False
    if args.is_rec:
        given["is_rec"] = True
    if args.off_peak:
        given["off_peak"] = True
    chosen, problems = VideoSettings.from_mapping(given)
    return chosen, [f"--{p.field.replace('_', '-')}: {p.reason or p.message}" for p in problems]


def orders_for(items: Sequence[BatchItem], form: VideoSettings, takes: int) -> tuple[list[ImageOrder], list[str]]:
    orders: list[ImageOrder] = []
    problems: list[str] = []
    for item in items:
        chosen = item.settings_over(form)
        wrong = chosen.problems()
        if wrong:
            where = item.origin or _label(item.source)
            problems.extend(f"{where}: {problem.message}" for problem in wrong)
        else:
            orders.append(ImageOrder(item.source, chosen, takes))
    return orders, problems


def _label(source: str) -> str:
    """An image in a progress line: its file name, or a link's last part (printable, bounded)."""
    name = source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if is_web_url(source) else Path(source).name
    return shown_path(name or source, 80)


# -- the progress shown in the terminal ---------------------------------------------------------

_STATE_WORDS = {JobState.WAITING: "waiting", JobState.SUBMITTING: "sending", JobState.QUEUED: "queued at Novita",
                JobState.PROCESSING: "processing", JobState.DOWNLOADING: "downloading", JobState.DONE: "done",
                JobState.FAILED: "failed", JobState.UNCERTAIN: "uncertain", JobState.CANCELLED: "cancelled"}


@dataclass
class Progress:
    """The jobs this run follows and their last states; prints one line per state change and,
    on a terminal, a status line that moves in place."""

    out: TextIO
    live: bool = False  # a terminal: keep a status line at the bottom
    states: dict[int, JobState] = field(default_factory=dict)
    percent: dict[int, float] = field(default_factory=dict)
    _status_shown: bool = False

    def follow(self, job: Job, why: str = "") -> None:
        """Follow a job from now on (one this run made, or resumes)."""
        if job.id is not None and job.id not in self.states:
            self.states[job.id] = job.state
            self._line(job, why)

    def update(self, job: Job) -> None:
        if job.id is None or job.id not in self.states:
            return
        if job.progress is not None:
            self.percent[job.id] = job.progress
        if self.states[job.id] is not job.state:
            self.states[job.id] = job.state
            self._line(job)
        elif self.live:
            self._status()

    @property
    def settled(self) -> bool:
        """Nothing followed is still being worked on (uncertain jobs wait for the user)."""
        return all(state.finished or state is JobState.UNCERTAIN for state in self.states.values())

    @property
    def all_done(self) -> bool:
        return all(state is JobState.DONE for state in self.states.values())

    def summary(self) -> str:
        """"3 of 12 done, 1 failed, 8 running"."""
        counts: dict[str, int] = {}
        for state in self.states.values():
            word = "running" if state in RUNNING else _STATE_WORDS[state]
            counts[word] = counts.get(word, 0) + 1
        parts = [f"{counts.pop('done', 0)} of {len(self.states)} done"]
        parts += [f"{counts[word]} {word}" for word in ("failed", "uncertain", "cancelled", "running")
                  if counts.get(word)]
        return ", ".join(parts)

    def say(self, text: str, stream: TextIO | None = None) -> None:
        """A line of its own, above the status line."""
        self._clear_status()
        # A file name that is not UTF-8 reaches Python as surrogates, which print() refuses.
        print(text.encode("utf-8", "backslashreplace").decode("utf-8"), file=stream or self.out, flush=True)
        if self.live and self.states:
            self._status()

    def finish(self) -> None:
        self._clear_status()
        if self.states:
            print(self.summary(), file=self.out, flush=True)

    def _line(self, job: Job, why: str = "") -> None:
        words = _STATE_WORDS.get(job.state, job.state.value)
        seed = job.settings.seed or None
        head = f"job {job.id} · {_label(job.image_source)}" + (f" · seed {seed}" if seed else "")
        detail = ""
        if job.state is JobState.DONE and job.video_path:
            detail = f" → {job.video_path}"
        elif job.state in (JobState.FAILED, JobState.UNCERTAIN) and job.error:
            detail = f": {' '.join(job.error.split())[:300]}"
        self.say(f"{time.strftime('%H:%M:%S')} {head}: {words}{' (' + why + ')' if why else ''}{detail}")

    def _status(self) -> None:
        running = [self.percent[job_id] for job_id, state in self.states.items()
                   if state in RUNNING and job_id in self.percent]
        average = f" · {sum(running) / len(running):.0f}%" if running else ""
        self.out.write(f"\r\x1b[K{self.summary()}{average}")
        self.out.flush()
        self._status_shown = True

    def _clear_status(self) -> None:
        if self._status_shown:
            self.out.write("\r\x1b[K")
            self._status_shown = False


# -- the run ------------------------------------------------------------------------------------

_EVERY_JOB = 1_000_000  # one page holds every unfinished job


class Run:
    """Wires a Session to the command line's orders: waits until the job list is open and the
    connection known, sends, follows, and quits the event loop when all is settled."""

    def __init__(self, session: Session, orders: list[ImageOrder], progress: Progress, quit_loop: Callable[[], None],
                 *, resume_queue: bool) -> None:
        self.session, self.orders, self.progress = session, orders, progress
        self.quit_loop, self.resume_queue = quit_loop, resume_queue
        self.code = EXIT_ALL_DONE
        self.started_at = time.time()
        self.existing: dict[int, Job] | None = None  # unfinished jobs at start, once read
        self.sent = False  # the orders went to the engine
        self.handed_over = False  # ... and the engine has handled them
        self.stopped = False
        self.wanted = sum(max(1, order.takes) for order in orders)
        self.made = 0  # jobs this run added
        session.opened.connect(self._opened)
        session.openFailed.connect(self._open_failed)
        session.pageReady.connect(self._page)
        session.modeChanged.connect(lambda _mode: self._ready())
        session.jobChanged.connect(self._job_changed)
        session.problem.connect(self._problem)

    def _opened(self) -> None:
        self.session.request_page(0, [*RUNNING, JobState.UNCERTAIN], "", 0, _EVERY_JOB)

    def _open_failed(self, reason: str) -> None:
        self.progress.say(f"The job list cannot be opened ({reason}). Open Vidu Desktop to deal with it; "
                          "nothing was sent.", sys.stderr)
        self.stop(EXIT_BAD_INPUT)

    def _page(self, token: int, jobs: tuple[Job, ...], _more: bool) -> None:
        if token != 0 or self.existing is not None:
            return
        self.existing = {job.id: job for job in jobs if job.id is not None}
        self._ready()

    def _ready(self) -> None:
        """Once the job list is read and the connection known: follow, then send."""
        from .session import Mode

        mode: Mode = self.session.mode
        if self.sent or self.stopped:
            return
        if mode is Mode.OFFLINE:
            self.progress.say(f"No connection: {self.session.status}", sys.stderr)
            self.stop(EXIT_BAD_INPUT)
            return
        if not mode.can_generate or self.existing is None or self.session.connection is None:
            return
        self.sent = True
        self._follow_existing(self.existing)
        paused = self.session.queue_paused
        if paused and self.resume_queue:
            self.session.set_queue_paused(False)
            self.progress.say("The queue was paused; resumed it (--resume-queue).")
        elif paused and (self.orders or any(s is JobState.WAITING for s in self.progress.states.values())):
            self.progress.say("The queue is paused (Resume queue in the window): nothing was sent. "
                              "Run again with --resume-queue to resume it.", sys.stderr)
            self.stop(EXIT_NOT_ALL_DONE)
            return
        if self.orders:
            self.session.generate(self.orders)
        self.session.after_queued(self._handed_over)

    def _follow_existing(self, existing: dict[int, Job]) -> None:
        connection = self.session.connection
        elsewhere = older_uncertain = 0
        for job in sorted(existing.values(), key=lambda j: j.id or 0):
            if job.state is JobState.UNCERTAIN:
                if job.updated_at >= self.started_at - 1:  # found stranded by this start
                    self.progress.follow(job, "its submit was never answered; open the window to decide")
                else:
                    older_uncertain += 1
            elif connection is not None and connection.serves(job):
                self.progress.follow(job, "resumed")
            else:
                elsewhere += 1
        if older_uncertain:
            self.progress.say(f"{older_uncertain} earlier job(s) are uncertain (sent, but no answer came): "
                              "open the window to send them again or give them up.")
        if elsewhere:
            self.progress.say(f"{elsewhere} unfinished job(s) were made for another server (demo mode or "
                              "another address); they carry on when the app connects to it.")

    def _job_changed(self, job: Job) -> None:
        if job.id is None:
            return
        if self.existing is not None and job.id not in self.existing and job.id not in self.progress.states:
            self.made += 1
            self.progress.follow(job)
        else:
            self.progress.update(job)
        self._check()

    def _problem(self, words: str) -> None:
        self.progress.say(words, sys.stderr)

    def _handed_over(self) -> None:
        """The engine has handled the orders: every job it added was announced before this, so
        jobs missing now were refused (the monthly cap, a store error) and said so via `problem`."""
        self.handed_over = True
        self._check()

    def _check(self) -> None:
        """Quit once the orders were handed over and nothing followed is still running."""
        if not self.handed_over or self.stopped or not self.progress.settled:
            return
        self.stop(EXIT_ALL_DONE if self.progress.all_done and self.made >= self.wanted else EXIT_NOT_ALL_DONE)

    def stop(self, code: int) -> None:
        if not self.stopped:
            self.stopped, self.code = True, code
            self.quit_loop()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    form, option_problems = form_settings(args)
    if option_problems:
        print("\n".join(option_problems), file=sys.stderr)
        return EXIT_BAD_INPUT
    items, input_problems = expand_sources(args.sources, recursive=args.recursive)
    orders, setting_problems = orders_for(items, form, args.takes)
    problems = [*map(str, input_problems), *setting_problems]
    if problems:
        print("\n".join(problems).encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)
        if not args.skip_invalid:
            print(f"Nothing was sent: {len(problems)} problem(s). Fix them, or run with --skip-invalid "
                  "to send the rest.", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"Skipping what has problems (--skip-invalid); sending {len(orders)} image(s).", file=sys.stderr)
    if args.sources and not orders:
        print("Nothing to send: no images found in what was given.", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _run(orders, args)


def _run(orders: list[ImageOrder], args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication  # image fitting uses QImage

    from . import instance
    from .logging_setup import setup_logging
    from .session import Session, exit_now

    setup_logging()
    app = QGuiApplication(sys.argv[:1])
    try:
        lock = instance.acquire_lock()
    except OSError as exc:
        print(f"Vidu Desktop cannot use its data folder: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if lock is None:
        print("Vidu Desktop is running and looks after the jobs; not starting a second engine.", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    session = Session(allow_demo=args.demo)
    progress = Progress(sys.stdout, live=sys.stdout.isatty())
    run = Run(session, orders, progress, app.quit, resume_queue=args.resume_queue)
    interrupted: list[int] = []

    def interrupt(number: int, _frame: object) -> None:
        interrupted.append(number)
        app.quit()

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    QTimer.singleShot(0, session.start)
    # Python handles signals between bytecodes: a slow no-op timer lets SIGTERM through.
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    app.exec()
    code = run.code if run.stopped and not interrupted else EXIT_NOT_ALL_DONE
    if interrupted and not progress.settled:
        progress.say("Stopped. Unfinished jobs carry on at the next start (here or in the window).", sys.stderr)
    progress.finish()
    ended = session.shutdown()
    lock.unlock()
    if not ended:
        exit_now(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
