"""The main window: images and parameters on the left, the player and the jobs on the right.

It builds and connects widgets, nothing more: the session owns the engine, the store and
the connection; the window renders job snapshots and sends intents to the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__, paths, settings
from ..core import errors
from ..core.batch import BatchItem
from ..core.files import is_regular_file
from ..core.job import Job
from ..core.pricing import cap_problem, format_usd
from ..core.request import ImageOrder, is_web_url
from ..media.frames import FrameGrabber, save_frame
from ..session import Mode, Session
from ..workers.services import run_in_background
from . import dialogs
from .form import ParameterForm
from .image_panel import ChosenImage, ImagePanel, save_clipboard_image, sources_from_urls
from .job_list import source_name
from .jobs_panel import JobsPanel, image_of
from .link_button import LinkButton
from .player import VideoPlayer

if TYPE_CHECKING:  # both dialogs are imported when first opened: start-up does not pay for them
    from .spending import SpendingDialog

log = logging.getLogger(__name__)
PLAYER_BACKEND_DELAY_MS = 1000



class MainWindow(QMainWindow):
    def __init__(self, session: Session, initial_sources: list[str] | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.session = session
        self._autoplayed_job = 0
        self._ready_job = 0  # finished while another video played: the notice's Play plays it
        self._tray: QSystemTrayIcon | None = None
        self._quitting = False  # the question about running jobs was answered
        self.monthly_cap = settings.monthly_cap_units()  # read again when Settings close
        self.frame_grabber: FrameGrabber | None = None  # made on first use
        self.thumbnail_grabber: FrameGrabber | None = None  # imported videos' thumbnails, made on first use
        self._thumbnails_wanted: dict[str, int] = {}  # video path → the imported job it is the thumbnail of
        self._continuing: dict[str, Job] = {}  # video path → the job whose last frame is being taken

        self.images = ImagePanel()
        self.form = ParameterForm()
        # What an image without settings of its own follows (its editor, saved batches, orders).
        self.images.form_settings = self.form.settings
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setWordWrap(True)
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setObjectName("generate")
        self.generate_button.setDefault(True)
        self.generate_button.setAutoDefault(True)
        self.generate_button.setToolTip(self.tr("Make one video per image (Ctrl+Return)"))
        self.generate_button.setMinimumHeight(40)
        self.demo_banner = QFrame()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_text = QLabel()
        self.demo_text.setWordWrap(True)
        self.demo_text.setObjectName("demoText")
        self.demo_link = LinkButton(self.tr("Add your Novita API key"))
        self.demo_link.setToolTip(self.tr("Open Settings to add your key and make real videos"))
        self.demo_link.clicked.connect(lambda: self.open_settings())
        banner_layout = QVBoxLayout(self.demo_banner)
        banner_layout.setContentsMargins(10, 8, 10, 8)
        banner_layout.addWidget(self.demo_text)
        banner_layout.addWidget(self.demo_link, 0, Qt.AlignmentFlag.AlignLeft)
        self.demo_banner.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.demo_banner)
        left_layout.addWidget(self.images, 1)
        left_layout.addWidget(self.form)
        left_layout.addWidget(self.problem_label)
        left_layout.addWidget(self.generate_button)

        self.player = VideoPlayer(lazy=True)  # QtMultimedia is loaded after the first frame
        self.jobs = JobsPanel(session)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.player)
        self.right_splitter.addWidget(self.jobs)
        self.right_splitter.setStretchFactor(0, 1)
        self.right_splitter.setStretchFactor(1, 1)
        self.right_splitter.setSizes([420, 380])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([380, 820])
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(10, 10, 10, 4)  # nothing touches the window's edge
        central_layout.addWidget(self.main_splitter)
        self.setCentralWidget(central)
        self.connection_label = QLabel()
        self.connection_label.setAccessibleName(self.tr("Connection"))
        self.balance_label = QLabel()
        self.balance_label.setObjectName("balance")
        self.balance_label.setAccessibleName(self.tr("Balance"))
        self.balance_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader can reach it
        self.statusBar().addPermanentWidget(self.balance_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self.spending_dialog: SpendingDialog | None = None

        self._build_menus()
        self.images.changed.connect(self._update_generate)
        self.form.changed.connect(self._update_generate)
        self.form.changed.connect(self.images.form_changed)  # "Own settings" say what differs from the form
        self.form.set_price_table(session.price_table())
        session.balanceChanged.connect(self._show_balance)
        # Bound methods, not lambdas: Qt drops them when the window goes, the session may stay.
        session.spendingChanged.connect(self._spending_changed)
        self.generate_button.clicked.connect(self.generate)
        session.modeChanged.connect(self._mode_changed)
        session.statusChanged.connect(self._show_status)
        session.openFailed.connect(self._job_list_damaged)
        session.problem.connect(self._show_problem)
        self.damage_dialog: QMessageBox | None = None
        session.videoReady.connect(self._video_ready)
        session.importFinished.connect(self._import_finished)
        jobs = self.jobs
        jobs.playRequested.connect(self.play_job)
        jobs.playReadyRequested.connect(self.play_ready)
        jobs.continueRequested.connect(self.continue_job)
        jobs.editRequested.connect(self.rerun)
        jobs.settingsRequested.connect(lambda job: self.form.set_settings(job.settings))
        jobs.seedRequested.connect(self.form.seed.setValue)
        jobs.aboutToDelete.connect(self._release_videos)
        jobs.queuePausedShown.connect(self._show_queue_paused)
        jobs.message.connect(self.statusBar().showMessage)
        self.player.errorOccurred.connect(lambda words: self.statusBar().showMessage(words, 10000))
        self.player.frameChosen.connect(self._frame_grabbed)  # the player's "Use this frame"
        self.player.nowPlayingChanged.connect(self._now_playing)
        self._set_tab_order()
        self._restore_state()
        self._show_status(session.status)
        self._mode_changed(session.mode)
        self._show_balance()
        self._show_queue_paused(session.queue_paused)
        session.watch_balance()
        if initial_sources:
            self.images.add_sources(initial_sources)
        # QtMultimedia and its video surface cost tens of milliseconds: once the window is up.
        QTimer.singleShot(PLAYER_BACKEND_DELAY_MS, self.player.load_backend)

    def _set_tab_order(self) -> None:
        """Left to right, top to bottom: the banner's link, images, form, Generate, then the jobs."""
        QWidget.setTabOrder(self.demo_link, self.images.list)
        chain = [self.generate_button, *self.jobs.focus_chain()]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    # -- connection ---------------------------------------------------------------------------

    def _mode_changed(self, mode: Mode) -> None:
        self.demo_banner.setVisible(mode is Mode.DEMO)
        self.demo_text.setText(self.tr("<b>Demo mode</b> — videos come from the built-in simulator, "
                                       "nothing is charged. Add your key to make real videos."))
        self.setWindowTitle(self.tr("{app} — Demo mode").format(app=APP_NAME) if mode is Mode.DEMO else APP_NAME)
        self._show_balance()
        self._update_generate()

    def _show_status(self, words: str) -> None:
        """The connection in a few words in the status bar; the whole of it (address, where the
        key comes from) in the tooltip."""
        self.connection_label.setText(self.session.status_short)  # the session words both at once
        self.connection_label.setToolTip(words)
        self.connection_label.setAccessibleDescription(words)

    def _show_balance(self) -> None:
        """The available balance in the status bar; never an obstacle when it is unknown."""
        session = self.session
        balance = session.balance
        if session.connection is None:
            text, detail = "", ""
        elif balance is not None and session.is_demo:
            text = self.tr("Demo balance {balance} (pretend)").format(balance=balance.shown())
            detail = self.tr("Pretend money of the built-in simulator: nothing real is charged.")
        elif balance is not None:
            text = self.tr("Balance: {balance}").format(balance=balance.shown())
            detail = self.tr("Available on your Novita account, read now and then (every 10 minutes, and after "
                             "sending).")
        elif session.balance_reading:
            text, detail = self.tr("Balance: reading…"), self.tr("Reading the balance from Novita.")
        else:
            text = self.tr("Balance: unknown")
            detail = (self.tr("The balance could not be read: {reason}").format(reason=session.balance_words)
                      if session.balance_words else self.tr("The balance could not be read."))
            detail += " " + self.tr("Generating works all the same.")
        self.balance_label.setText(text)
        self.balance_label.setVisible(bool(text))
        self.balance_label.setToolTip(detail)
        self.balance_label.setAccessibleDescription(f"{text}. {detail}" if text else "")
        self._update_generate()

    def _spending_changed(self, _summary: object) -> None:
        self._update_generate()  # the monthly cap may be nearer

    def _show_problem(self, words: str) -> None:
        self.statusBar().showMessage(words, 30000)
        QApplication.alert(self)

    def _job_list_damaged(self, reason: str) -> None:
        """One dialog, in words, with the way out: nothing is overwritten without a choice."""
        path = self.session.database
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                          self.tr("The job list could not be read: {reason}.").format(reason=reason), parent=self)
        box.setInformativeText(self.tr("The file is {path}. It has not been changed. You can keep it aside "
                                       "(under a dated name, for recovery) and start a fresh job list; "
                                       "videos already in your library are not touched.").format(path=path))
        fresh = box.addButton(self.tr("Keep it aside and start fresh"), QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton(self.tr("Open its folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)

        def chosen(button: object) -> None:
            if button is folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
                box.open()  # still undecided
            elif button is fresh:
                self.session.start_fresh_job_list()
            else:
                self.close()

        box.buttonClicked.connect(chosen)
        self.damage_dialog = box
        box.open()

    # -- generating ----------------------------------------------------------------------------

    def valid_images(self) -> list[ChosenImage]:
        """The images that can be sent now (checked, without problems)."""
        return [image for image in self.images.images if not image.pending and not image.problems]

    def orders(self) -> list[ImageOrder]:
        """What Generate sends: one order per valid image, its own settings over the form's, and the
        form's takes (a frame to continue from carries its parent job)."""
        return self.images.orders(self.form.settings(), self.form.takes())

    def generate_blockers(self) -> list[str]:
        blockers = []
        images = self.images.images
        checking = sum(1 for image in images if image.pending)
        reading = self.images.pending_count() - checking  # folders and batch files still being read
        if not images and not reading:
            blockers.append(self.tr("Add an image to animate: drop it here, or use Open… (Ctrl+O)."))
        # The panel's own words, "Reading …" first, while a folder or batch file is read.
        blockers += self.images.problems()[:reading]
        blockers += [self.tr("Checking {name}…").format(name=image.name) for image in images if image.pending]
        if images and not any(image.pending for image in images) and not self.valid_images():
            blockers += self.images.problems()  # nothing valid: all of it is in the way
        blockers += [p.message for p in self.form.problems()]
        if self.session.mode is Mode.OFFLINE:
            blockers.append(self.session.status)
        elif not self.session.mode.can_generate:
            blockers.append(self.tr("Waiting for a connection (API key or Demo mode)…"))
        cap = self._cap_problem()
        if cap:
            blockers.append(cap)
        return blockers

    def video_count(self) -> int:
        """How many videos Generate makes now: every take of every valid image."""
        return sum(order.takes for order in self.orders())

    def generate_total(self) -> int | None:
        """What Generate is estimated to cost now (units of 0.0001 USD), each image with its own
        settings; None: no estimate. With no image yet, one video with the form's settings."""
        orders = self.orders()
        return self.form.estimate_orders(orders) if orders else self.form.estimate_units()

    def _cap_problem(self) -> str:
        """Words when Generate would take this month past the monthly cap (Settings), else ""."""
        cap = self.monthly_cap
        total = self.generate_total()
        if cap is None or total is None:
            return ""
        refusal = cap_problem(self.session.month_committed() or 0, total, cap)
        return self.tr("{refusal} Change the cap in Settings (Ctrl+,).").format(refusal=refusal) if refusal else ""

    def _over_balance(self, total: int | None) -> bool:
        balance = self.session.balance
        return total is not None and balance is not None and balance.covers(total) is False

    def _update_generate(self) -> None:
        blockers = self.generate_blockers()
        invalid = [image for image in self.images.images if image.problems]
        self.generate_button.setEnabled(not blockers)
        warnings = blockers or ([self.tr("{count} of {total} images cannot be used and will be left out: "
                                         "{problem}").format(count=len(invalid), total=len(self.images.images),
                                                             problem=self.images.problems()[0])]
                                if invalid else [])
        self.problem_label.setText(warnings[0] if warnings else "")
        self.problem_label.setVisible(bool(warnings))
        # Nothing chosen yet is the normal start, not an error: say it quietly.
        self.problem_label.setProperty("hint", bool(blockers) and not self.images.images)
        self.problem_label.style().polish(self.problem_label)
        count = self.video_count()
        total = self.generate_total()
        words = self.tr("Generate {count} videos").format(count=count) if count > 1 else self.tr("Generate")
        if total is not None:
            words += f" · ≈ {format_usd(total)}"
        over = self._over_balance(total)
        if over:
            words += self.tr(" — more than your balance")
        self.generate_button.setText(words)
        videos = self.tr("{count} videos").format(count=count) if count > 1 else self.tr("one video")
        detail = (self.tr("Make {videos} (Ctrl+Return).").format(videos=videos) if total is None else
                  self.tr("Make {videos} (Ctrl+Return), estimated to cost {price} in all. "
                          "An estimate: Novita charges what it charges.").format(videos=videos,
                                                                                 price=format_usd(total)))
        if over and self.session.balance is not None:
            detail += self.tr(" That is more than your balance of {balance}: you will be asked first.").format(
                balance=self.session.balance.shown())
        self.generate_button.setToolTip(detail)
        self.generate_button.setAccessibleName(words)
        self.generate_button.setAccessibleDescription(detail)

    def generate(self) -> None:
        """Send one job per valid image and take; the images stay for another try."""
        if self.generate_blockers():
            self._update_generate()
            return
        invalid = [image for image in self.images.images if image.problems]
        valid = self.valid_images()
        if invalid and not dialogs.ask(
                self, self.tr("Some images cannot be used"),
                self.tr("{bad} of {total} images cannot be used:").format(bad=len(invalid),
                                                                           total=len(self.images.images)),
                self.tr("Generate {count} valid").format(count=len(valid)), self.tr("Cancel"),
                detail="\n".join(self.images.problems()[:10]), icon=QMessageBox.Icon.Warning):
            self.statusBar().showMessage(self.tr("Nothing was sent."), 5000)
            return
        orders = self.orders()
        count = sum(max(1, order.takes) for order in orders)
        if not orders or not self.confirm_cost(count):
            self.statusBar().showMessage(self.tr("Nothing was sent."), 5000)
            return
        self.session.generate(orders, self.images.thumbnails())
        self.form.remember_prompts([order.settings.prompt for order in orders])
        self.statusBar().showMessage(self.tr("Sent {count} job(s).").format(count=count), 5000)

    def confirm_cost(self, count: int) -> bool:
        """Ask before sending when the estimate is above the threshold (Settings, $5 unless set)
        or above the known balance; True to go ahead."""
        total = self.generate_total()
        if total is None:
            return True
        reasons = []
        threshold = settings.confirm_above_units()
        if total > threshold:
            reasons.append(self.tr("This is above {threshold}, the amount you asked to confirm "
                                   "(Settings → Money).").format(threshold=format_usd(threshold)))
        balance = self.session.balance
        if self._over_balance(total) and balance is not None:
            over = (self.tr("It is more than your pretend balance of {balance}: Novita may refuse the jobs it does "
                            "not cover (nothing is charged for those).") if self.session.is_demo else
                    self.tr("It is more than your balance of {balance}: Novita may refuse the jobs it does not "
                            "cover (nothing is charged for those)."))
            reasons.append(over.format(balance=balance.shown()))
        if not reasons:
            return True
        chosen = self.form.settings()
        videos = self.tr("{count} videos").format(count=count) if count > 1 else self.tr("1 video")
        text = (self.tr("Generate {videos} for ≈ {total} (estimate)?").format(videos=videos, total=format_usd(total))
                + f"\n\n{videos}: {chosen.summary()}\n"
                + self.tr("≈ {each} each, ≈ {total} in all (estimate)").format(
                    each=format_usd(total // max(count, 1)), total=format_usd(total))
                + "\n\n" + "\n".join(reasons))
        go = self.tr("Generate {videos}").format(videos=videos)
        return dialogs.ask(self, self.tr("Generate — cost"), text, go, self.tr("Don't send"))

    def open_spending(self) -> None:
        """What was spent: estimates of this app's jobs, and Novita's hourly bill (non-modal)."""
        if self.spending_dialog is None:
            from .spending import SpendingDialog

            self.spending_dialog = SpendingDialog(self.session, self)
        self.spending_dialog.refresh()
        self.spending_dialog.show()
        self.spending_dialog.raise_()
        self.spending_dialog.activateWindow()

    # -- images in -----------------------------------------------------------------------------

    def open_images(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Open images"), str(Path.home()),
                                                self.tr("Images (*.jpg *.jpeg *.png *.webp);;All files (*)"))
        self.images.add_sources(files)

    def paste(self) -> None:
        self.add_mime(QGuiApplication.clipboard().mimeData())

    def add_mime(self, mime: QMimeData | None) -> bool:
        if mime is None:
            return False
        sources = sources_from_urls(mime.urls()) if mime.hasUrls() else []
        if not sources and mime.hasText():
            text = mime.text().strip()
            if is_web_url(text) or is_regular_file(text):
                sources = [text]
        if sources:
            self.images.add_sources(sources)
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            run_in_background(lambda: str(save_clipboard_image(image, paths.cache_dir() / "pasted")),
                              lambda path: self.images.add_sources([path]),
                              lambda exc: self.statusBar().showMessage(errors.describe(exc), 10000),
                              owner=self)
            return True
        self.statusBar().showMessage(self.tr("Nothing usable here: paste or drop image files, image data "
                                             "or an http(s) link to an image."), 8000)
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.add_mime(event.mimeData()):
            event.acceptProposedAction()

    # -- jobs ----------------------------------------------------------------------------------

    def _video_ready(self, job_id: int, path: str) -> None:
        """A finished video plays by itself when the player is empty; else it waits for "Play"
        (in the notice above the list, its row and the notification): playback is never interrupted."""
        job = self.jobs.model.job(job_id)
        name = source_name(job) if job else Path(path).name
        if self.player.current_path() not in (None, Path(path)):
            self._ready_job = job_id
            self.jobs.model.mark_ready(job_id)
            self.jobs.show_ready(name)
        elif job_id > self._autoplayed_job:  # the newest finished video plays by itself
            self._autoplayed_job = job_id
            log.info("job %s finished; playing %s", job_id, path)
            self._load_video(job_id, Path(path))
        self.statusBar().showMessage(self.tr("A video is ready: {name}").format(name=name), 5000)
        if not self.isActiveWindow() or self.isMinimized():
            self._ready_job = job_id
            self._notify(self.tr("Your video is ready"), self.tr("{name} — click to play").format(name=name))

    def play_ready(self) -> None:
        if self._ready_job:
            self.play_job(self._ready_job)

    def _now_playing(self, path: str) -> None:
        """Mark the job whose video is in the player (however it got there), or none."""
        job = next((j for j in self.jobs.model.jobs() if path and j.video_path and Path(j.video_path) == Path(path)),
                   None)
        self.jobs.model.set_playing(job.id or 0 if job else 0)

    def _load_video(self, job_id: int, path: Path) -> None:
        self.player.load(path)
        self.jobs.model.set_playing(job_id)
        if self._ready_job == job_id or not self.jobs.model.ready_ids:
            self.jobs.hide_ready()

    def _notify(self, title: str, text: str) -> None:
        """A desktop notification where the system has a tray, else the taskbar's attention."""
        # Asking whether there is a tray is a blocking D-Bus call: once the icon exists, it has one.
        if self._tray is not None or QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.messageClicked.connect(self._notification_clicked)
                self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(self)

    def _notification_clicked(self) -> None:
        self.bring_to_front()
        self.play_ready()

    def play_job(self, job_id: int | None) -> None:
        job = self.jobs.model.job(job_id) if job_id else None
        if job and job.video_path:
            self._load_video(job.id or 0, Path(job.video_path))
        elif job:
            self.statusBar().showMessage(self.tr("This job has no video yet."), 4000)

    def _release_videos(self, files: list[str]) -> None:
        """Jobs with these videos are about to be deleted: the player lets go of its file."""
        playing = self.player.current_path()
        if playing is not None and playing in {Path(file) for file in files}:
            self.player.unload()

    def rerun(self, job: Job) -> None:
        """Load a job's image and settings back into the form, ready to edit and generate."""
        self.form.set_settings(job.settings)
        self.images.add_sources([image_of(job)])

    # -- continuing from a frame ---------------------------------------------------------------

    def _grabber(self) -> FrameGrabber:
        """The frame grabber, made on first use (it loads QtMultimedia)."""
        if self.frame_grabber is None:
            self.frame_grabber = FrameGrabber(self)
            self.frame_grabber.frameReady.connect(self._frame_grabbed)
            self.frame_grabber.failed.connect(lambda _path, words: self.statusBar().showMessage(words, 10000))
        return self.frame_grabber

    def _thumbnail_grabber(self) -> FrameGrabber:
        """A grabber of its own for thumbnails: its frames never become new images."""
        if self.thumbnail_grabber is None:
            self.thumbnail_grabber = FrameGrabber(self)
            self.thumbnail_grabber.frameReady.connect(self._thumbnail_grabbed)
            self.thumbnail_grabber.failed.connect(lambda path, words: log.info("no thumbnail of %s: %s", path, words))
        return self.thumbnail_grabber

    def _thumbnail_grabbed(self, video_path: str, _position_ms: int, frame: QImage) -> None:
        job_id = self._thumbnails_wanted.pop(video_path, 0)
        if job_id:
            self.session.set_thumbnail(job_id, frame)

    def continue_job(self, job_id: int) -> None:
        """"Continue from last frame": the video's last frame (full size) becomes a new image
        with the job's settings and prompt, ready to edit and generate."""
        job = self.jobs.model.job(job_id)
        grabber = self._grabber()
        if job is None or not job.video_path:
            return
        self._continuing[job.video_path] = job
        self.statusBar().showMessage(self.tr("Taking the last frame of “{name}”…").format(
            name=source_name(job)), 5000)
        grabber.grab_last(job.video_path)

    def _frame_grabbed(self, video_path: str, position_ms: int, image: QImage) -> None:
        """A frame (the last one for Continue, or the player's "Use this frame") becomes a PNG
        in the app's data folder, written off the GUI thread, then a new image with the job's
        settings and prompt, linked to the job as its continuation."""
        job = self._continuing.pop(video_path, None) or next(
            (j for j in self.jobs.model.jobs() if j.video_path and Path(j.video_path) == Path(video_path)), None)
        folder = paths.frames_dir()

        def save() -> str:
            return str(save_frame(image, folder, video_path, position_ms))

        def saved(frame_path: str) -> None:
            if job is None:
                self.images.add_sources([frame_path])
            else:  # the frame keeps the job's prompt and settings as its own; the form stays as it is
                own = job.settings
                self.images.add_items([BatchItem(frame_path, own.prompt, {
                    "duration": own.duration, "resolution": own.resolution, "audio": own.audio,
                    "audio_type": own.audio_type, "off_peak": own.off_peak, "is_rec": own.is_rec})],
                    parent_id=job.id, relation="continue")
            self.statusBar().showMessage(self.tr("The frame was added as a new image: {path}").format(
                path=frame_path), 8000)

        run_in_background(save, saved, lambda exc: self.statusBar().showMessage(errors.describe(exc), 10000),
                          owner=self)

    def _show_queue_paused(self, paused: bool) -> None:
        with QSignalBlocker(self.pause_action):
            self.pause_action.setChecked(paused)

    # -- images and files in -------------------------------------------------------------------

    def open_folder_of_images(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a folder of images"), str(Path.home()))
        if folder:
            self.images.add_sources([folder])

    def open_batch_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a batch file"), str(Path.home()),
                                              self.tr("Batch files (*.csv);;All files (*)"))
        if path:
            self.images.add_sources([path])

    def save_batch(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the batch as CSV"), str(Path.home() / "batch.csv"),
                                              self.tr("Batch files (*.csv)"))
        if path:
            self.save_batch_to(Path(path))

    def save_batch_to(self, path: Path) -> None:
        """The images with their whole settings as a batch file; what happened in the status bar."""
        try:
            rows = self.images.save_batch_csv(path, self.form.settings())
        except OSError as exc:
            self.statusBar().showMessage(errors.describe(exc), 15000)
            return
        self.statusBar().showMessage(self.tr("Saved {count} rows to {path}").format(count=rows, path=path), 8000)

    def import_videos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Import videos"), str(Path.home()),
                                                self.tr("Videos (*.mp4);;All files (*)"))
        if files:
            self.session.import_videos(files)

    def _import_finished(self, added: object, problems: object) -> None:
        """Say what was imported; an imported video's thumbnail is its first frame (there is no image)."""
        job_ids = [job_id for job_id in added if isinstance(job_id, int)] if isinstance(added, tuple | list) else []
        count = len(job_ids)
        for job in filter(None, map(self.jobs.model.job, job_ids)):
            if job.video_path and job.id:
                self._thumbnails_wanted[job.video_path] = job.id
                self._thumbnail_grabber().grab_at(job.video_path, 0)
        issues = list(problems) if isinstance(problems, tuple | list) else []
        words = self.tr("Imported {count} video(s).").format(count=count)
        if issues:
            words += " " + self.tr("Not imported: {problems}").format(problems="; ".join(map(str, issues[:3])))
        self.statusBar().showMessage(words, 15000)

    def bring_to_front(self, sources: list[str] | None = None) -> None:
        """Show the window in front (a notification was clicked, or a second start handed over images)."""
        if sources:
            self.images.add_sources(sources)
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # -- menus, settings, state ----------------------------------------------------------------

    def _build_menus(self) -> None:
        def action(menu: QMenu, text: str, slot: Callable[[], object],
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                   tip: str = "") -> QAction:
            act = menu.addAction(text)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            if tip:
                act.setStatusTip(tip)
            return act

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        action(file_menu, self.tr("&Open images…"), self.open_images, QKeySequence.StandardKey.Open)
        action(file_menu, self.tr("Open &folder…"), self.open_folder_of_images, "Ctrl+Shift+O",
               self.tr("Add every image in a folder (a .txt next to an image is its prompt)"))
        action(file_menu, self.tr("Open &batch file (CSV)…"), self.open_batch_file, "Ctrl+B",
               self.tr("A CSV with an image column and any of prompt, duration, resolution…"))
        action(file_menu, self.tr("Save batch as &CSV…"), self.save_batch, None,
               self.tr("The images in the list, with their prompts and settings, as a batch file"))
        action(file_menu, self.tr("&Import videos…"), self.import_videos, None,
               self.tr("Add videos made by this app (their settings are inside) to the job list"))
        file_menu.addSeparator()
        action(file_menu, self.tr("&Paste image or link"), self.paste, QKeySequence.StandardKey.Paste)
        remove = action(file_menu, self.tr("&Remove selected images"), self.images.remove_selected,
                        QKeySequence.StandardKey.Delete)
        # Delete in the job list or a text field means something else there.
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.images.list.addAction(remove)
        action(file_menu, self.tr("&Clear images"), self.images.clear)
        action(file_menu, self.tr("&Find in jobs"), self.jobs.focus_search, QKeySequence.StandardKey.Find)
        file_menu.addSeparator()
        action(file_menu, self.tr("&Settings…"), self.open_settings, "Ctrl+,")
        file_menu.addSeparator()
        action(file_menu, self.tr("&Quit"), self.request_quit, QKeySequence.StandardKey.Quit)
        jobs_menu = self.menuBar().addMenu(self.tr("&Jobs"))
        self.generate_action = action(jobs_menu, self.tr("&Generate"), self.generate, "Ctrl+Return")
        self.generate_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        action(jobs_menu, self.tr("&Retry selected"), self.jobs.retry_selected, "Ctrl+R")
        jobs_menu.addSeparator()
        self.pause_action = action(jobs_menu, self.tr("&Pause queue"), lambda: None, "Ctrl+P",
                                   self.tr("Waiting jobs are not sent while the queue is paused"))
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.jobs.set_queue_paused)
        action(jobs_menu, self.tr("&Cancel selected waiting jobs"), self.jobs.cancel_selected)
        for words, steps, key in ((self.tr("Move &up in the queue"), -1, "Ctrl+Up"),
                                  (self.tr("Move &down in the queue"), 1, "Ctrl+Down")):
            move = action(jobs_menu, words, partial(self.jobs.move_selected, steps), key)
            move.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.jobs.view.addAction(move)
        delete = action(jobs_menu, self.tr("&Delete selected jobs…"), self.jobs.delete_selected)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        jobs_menu.addSeparator()
        self.spending_action = action(jobs_menu, self.tr("&Spending…"), self.open_spending, "Ctrl+Shift+S",
                                      self.tr("Estimated spending today, this week and this month, and "
                                              "Novita's bill"))
        play = action(jobs_menu, self.tr("Play/&pause"), self.player.toggle_play, "Space")
        # Space belongs to buttons and check boxes in the form; here it plays.
        play.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.right_splitter.addAction(play)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        action(help_menu, self.tr("Open &log folder"),
               lambda: dialogs.open_folder(self, paths.ensure(paths.log_dir()), self.tr("Log folder")))
        action(help_menu, self.tr("&About"), lambda: QMessageBox.about(
            self, self.tr("About {app}").format(app=APP_NAME),
            self.tr("<b>{app}</b> {version}<br>Still images to videos with Novita AI's Vidu Q3 Turbo.").format(
                app=APP_NAME, version=__version__)))

    def open_settings(self, first_run: bool = False) -> None:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, first_run=first_run)
        dialog.keyChanged.connect(self.session.connect_to_service)
        dialog.exec()
        self.session.queue_limit_changed()  # "Jobs at Novita at once" applies at once
        self.money_settings_changed()

    def money_settings_changed(self) -> None:
        """Rates, the threshold or the cap may have changed: estimate again."""
        self.monthly_cap = settings.monthly_cap_units()
        self.form.set_price_table(self.session.price_table())
        self._update_generate()
        if self.spending_dialog is not None and self.spending_dialog.isVisible():
            self.spending_dialog.refresh()

    def _restore_state(self) -> None:
        geometry = settings.value("window/geometry", QByteArray(), QByteArray)
        if geometry and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        # Splitters share out their space when first laid out: restore them once shown.
        self._splitter_states = [(splitter, settings.value(key, QByteArray(), QByteArray))
                                 for key, splitter in (("window/main_splitter", self.main_splitter),
                                                       ("window/right_splitter", self.right_splitter),
                                                       ("window/jobs_splitter", self.jobs.splitter))]
        self.form.set_settings(settings.last_video_settings())
        self.player.set_volume(settings.value("player/volume", 80, int))
        self.player.set_muted(settings.value("player/muted", False, bool))
        self.player.set_loop(settings.value("player/loop", True, bool))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        for splitter, state in self._splitter_states:
            if state and not state.isEmpty():
                splitter.restoreState(state)
        self._splitter_states = []

    def running_jobs(self) -> list[Job]:
        return [job for job in self.jobs.model.jobs() if job.state.running]

    def request_quit(self) -> None:
        """Quit (Ctrl+Q, or the window's close button): with jobs running, say once what happens
        to them, unless the user chose not to be asked again."""
        running = self.running_jobs()
        if running and not self._quitting and settings.ask_before_quit_with_running():
            go, dont_ask = dialogs.ask_with_check(self, self.tr("Quit with jobs running?"),
                             self.tr("{count} job(s) are not finished.").format(count=len(running)),
                             self.tr("Quit"), self.tr("Keep open"),
                             detail=self.tr("Jobs already sent continue at Novita; waiting jobs stay in the "
                                            "queue. All of them are picked up when you start {app} again.").format(
                                 app=APP_NAME), check=self.tr("Don't ask again"))
            if dont_ask:
                settings.save_ask_before_quit_with_running(False)
            if not go:
                return
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and not self._quitting and self.running_jobs() \
                and settings.ask_before_quit_with_running():
            event.ignore()  # the window's close button: ask first, then close again
            QTimer.singleShot(0, self.request_quit)
            return
        store = settings.store()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/main_splitter", self.main_splitter.saveState())
        store.setValue("window/right_splitter", self.right_splitter.saveState())
        store.setValue("window/jobs_splitter", self.jobs.splitter.saveState())
        store.setValue("form/last_settings", self.form.settings().to_json())
        store.setValue("player/volume", self.player.volume())
        store.setValue("player/muted", self.player.muted())
        store.setValue("player/loop", self.player.loop())
        store.sync()
        self.player.unload()
        super().closeEvent(event)
