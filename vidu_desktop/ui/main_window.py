"""The main window: images and parameters on the left, the player and the jobs on the right.

It builds and connects widgets, nothing more: the session owns the engine, the store and
the connection; the window renders job snapshots and sends intents to the session.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, QTimer, QUrl
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
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from ..core.job import Job
from ..core.lifecycle import RUNNING, JobState
from ..core.pricing import cap_problem, format_usd
from ..core.request import ImageOrder, is_web_url
from ..session import Mode, Session
from ..workers.services import run_in_background
from .form import ParameterForm
from .image_panel import ImagePanel, save_clipboard_image, sources_from_urls
from .job_list import JobListView, JobTableModel
from .player import VideoPlayer
from .settings_dialog import SettingsDialog
from .spending import SpendingDialog

log = logging.getLogger(__name__)
PLAYER_BACKEND_DELAY_MS = 1000
HISTORY_FILTERS = (
    ("All", None),
    ("Running", sorted(RUNNING)),
    ("Done", [JobState.DONE]),
    ("Failed or uncertain", [JobState.FAILED, JobState.UNCERTAIN]),
)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # prose, not a path (too long, NUL bytes…)
        return False


class MainWindow(QMainWindow):
    def __init__(self, session: Session, initial_sources: list[str] | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.session = session
        self._autoplayed_job = 0
        self._tray: QSystemTrayIcon | None = None
        self.monthly_cap = settings.monthly_cap_units()  # read again when Settings close

        self.images = ImagePanel()
        self.form = ParameterForm()
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setWordWrap(True)
        self.generate_button = QPushButton("Generate")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Make one video per image (Ctrl+Return)")
        self.generate_button.setMinimumHeight(36)
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setOpenExternalLinks(False)
        self.demo_banner.linkActivated.connect(lambda _: self.open_settings())
        self.demo_banner.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.demo_banner)
        left_layout.addWidget(self.images, 1)
        left_layout.addWidget(self.form)
        left_layout.addWidget(self.problem_label)
        left_layout.addWidget(self.generate_button)

        self.player = VideoPlayer(lazy=True)  # QtMultimedia is loaded after the first frame
        self.jobs_model = JobTableModel(session.request_page, session.request_thumbnail, self)
        self.jobs_view = JobListView(self.jobs_model)
        self.jobs_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName("Show jobs")
        self.state_filter.setToolTip("Show only jobs in this state")
        for label, states in HISTORY_FILTERS:
            self.state_filter.addItem(label, states)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search prompts")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search prompts")
        self.search.setToolTip("Show only jobs whose prompt contains this text (Ctrl+F)")
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.addWidget(QLabel("Jobs"))
        filter_row.addWidget(self.state_filter)
        filter_row.addWidget(self.search, 1)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 4, 0, 0)
        history_layout.addLayout(filter_row)
        history_layout.addWidget(self.jobs_view)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.player)
        self.right_splitter.addWidget(history)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 2)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([380, 820])
        self.setCentralWidget(self.main_splitter)
        self.connection_label = QLabel(session.status)
        self.connection_label.setAccessibleName("Connection")
        self.balance_label = QLabel()
        self.balance_label.setObjectName("balance")
        self.balance_label.setAccessibleName("Balance")
        self.balance_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader can reach it
        self.statusBar().addPermanentWidget(self.balance_label)
        self.statusBar().addPermanentWidget(self.connection_label)
        self.spending_dialog: SpendingDialog | None = None

        self._build_menus()
        self.images.changed.connect(self._update_generate)
        self.form.changed.connect(self._update_generate)
        self.form.set_price_table(session.price_table())
        session.balanceChanged.connect(self._show_balance)
        session.spendingChanged.connect(lambda _summary: self._update_generate())
        self.generate_button.clicked.connect(self.generate)
        session.modeChanged.connect(self._mode_changed)
        session.statusChanged.connect(self.connection_label.setText)
        session.openFailed.connect(self._job_list_damaged)
        session.problem.connect(self._show_problem)
        self.damage_dialog: QMessageBox | None = None
        session.opened.connect(self.jobs_model.reload)
        session.pageReady.connect(self.jobs_model.add_page)
        session.jobChanged.connect(self.jobs_model.update_job)
        session.jobRemoved.connect(self.jobs_model.remove_job)
        session.thumbnailReady.connect(self.jobs_model.set_thumbnail)
        session.videoReady.connect(self._video_ready)
        self.jobs_view.playRequested.connect(self.play_job)
        self.jobs_view.customContextMenuRequested.connect(self._job_menu)
        self.player.errorOccurred.connect(lambda words: self.statusBar().showMessage(words, 10000))
        self.state_filter.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

        self._restore_state()
        self._mode_changed(session.mode)
        self._show_balance()
        session.watch_balance()
        if initial_sources:
            self.images.add_sources(initial_sources)
        # QtMultimedia and its video surface cost tens of milliseconds: once the window is up.
        QTimer.singleShot(PLAYER_BACKEND_DELAY_MS, self.player.load_backend)

    # -- connection ---------------------------------------------------------------------------

    def _mode_changed(self, mode: Mode) -> None:
        self.demo_banner.setVisible(mode is Mode.DEMO)
        self.demo_banner.setText("<b>Demo mode</b> — videos come from the built-in simulator, "
                                 "nothing is charged. <a href='settings'>Add your Novita API key</a> "
                                 "to make real videos.")
        self.setWindowTitle(f"{APP_NAME} — Demo mode" if mode is Mode.DEMO else APP_NAME)
        self._show_balance()
        self._update_generate()

    def _show_balance(self) -> None:
        """The available balance in the status bar; never an obstacle when it is unknown."""
        session = self.session
        balance = session.balance
        if session.connection is None:
            text, detail = "", ""
        elif balance is not None and session.is_demo:
            text = f"Demo balance {balance.shown()} (pretend)"
            detail = "Pretend money of the built-in simulator: nothing real is charged."
        elif balance is not None:
            text = f"Balance: {balance.shown()}"
            detail = "Available on your Novita account, read now and then (every 10 minutes, and after sending)."
        elif session.balance_reading:
            text, detail = "Balance: reading…", "Reading the balance from Novita."
        else:
            text = "Balance: unknown"
            detail = ("The balance could not be read" + (f": {session.balance_words}" if session.balance_words
                                                         else ".") + " Generating works all the same.")
        self.balance_label.setText(text)
        self.balance_label.setVisible(bool(text))
        self.balance_label.setToolTip(detail)
        self.balance_label.setAccessibleDescription(f"{text}. {detail}" if text else "")
        self._update_generate()

    def _show_problem(self, words: str) -> None:
        self.statusBar().showMessage(words, 30000)
        QApplication.alert(self)

    def _job_list_damaged(self, reason: str) -> None:
        """One dialog, in words, with the way out: nothing is overwritten without a choice."""
        path = self.session.database
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                          f"The job list could not be read: {reason}.", parent=self)
        box.setInformativeText(f"The file is {path}. It has not been changed. You can keep it aside "
                               "(under a dated name, for recovery) and start a fresh job list; "
                               "videos already in your library are not touched.")
        fresh = box.addButton("Keep it aside and start fresh", QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton("Open its folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)

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

    def generate_blockers(self) -> list[str]:
        blockers = []
        if not self.images.images:
            blockers.append("Add an image to animate: drop it here, or use Open… (Ctrl+O).")
        blockers += self.images.problems()
        blockers += [p.message for p in self.form.problems()]
        if self.session.mode is Mode.OFFLINE:
            blockers.append(self.session.status)
        elif not self.session.mode.can_generate:
            blockers.append("Waiting for a connection (API key or Demo mode)…")
        cap = self._cap_problem()
        if cap:
            blockers.append(cap)
        return blockers

    def generate_total(self) -> int | None:
        """What Generate is estimated to cost now (units of 0.0001 USD); None: no estimate."""
        units = self.form.estimate_units()
        return None if units is None else units * max(1, len(self.images.images))

    def _cap_problem(self) -> str:
        """Words when Generate would take this month past the monthly cap (Settings), else ""."""
        cap = self.monthly_cap
        total = self.generate_total()
        if cap is None or total is None:
            return ""
        refusal = cap_problem(self.session.month_committed() or 0, total, cap)
        return f"{refusal} Change the cap in Settings (Ctrl+,)." if refusal else ""

    def _over_balance(self, total: int | None) -> bool:
        balance = self.session.balance
        return total is not None and balance is not None and balance.covers(total) is False

    def _update_generate(self) -> None:
        blockers = self.generate_blockers()
        self.generate_button.setEnabled(not blockers)
        self.problem_label.setText(blockers[0] if blockers else "")
        self.problem_label.setVisible(bool(blockers))
        # Nothing chosen yet is the normal start, not an error: say it quietly.
        self.problem_label.setProperty("hint", bool(blockers) and not self.images.images)
        self.problem_label.style().polish(self.problem_label)
        count = len(self.images.images)
        total = self.generate_total()
        words = f"Generate {count} videos" if count > 1 else "Generate"
        if total is not None:
            words += f" · ≈ {format_usd(total)}"
        over = self._over_balance(total)
        if over:
            words += " — more than your balance"
        self.generate_button.setText(words)
        videos = f"{count} videos" if count > 1 else "one video"
        detail = (f"Make {videos} (Ctrl+Return)." if total is None else
                  f"Make {videos} (Ctrl+Return), estimated to cost {format_usd(total)} in all. "
                  "An estimate: Novita charges what it charges.")
        if over and self.session.balance is not None:
            detail += f" That is more than your balance of {self.session.balance.shown()}: you will be asked first."
        self.generate_button.setToolTip(detail)
        self.generate_button.setAccessibleName(words)
        self.generate_button.setAccessibleDescription(detail)

    def generate(self) -> None:
        if self.generate_blockers():
            self._update_generate()
            return
        sources = [image.source for image in self.images.images]
        if not self.confirm_cost(len(sources)):
            self.statusBar().showMessage("Nothing was sent.", 5000)
            return
        chosen = self.form.settings()
        self.session.generate([ImageOrder(source, chosen) for source in sources], self.images.thumbnails())
        self.images.clear()
        self.statusBar().showMessage(f"Sent {len(sources)} job{'s' if len(sources) > 1 else ''}.", 5000)

    def confirm_cost(self, count: int) -> bool:
        """Ask before sending when the estimate is above the threshold (Settings, $5 unless set)
        or above the known balance; True to go ahead."""
        total = self.generate_total()
        if total is None:
            return True
        reasons = []
        threshold = settings.confirm_above_units()
        if total > threshold:
            reasons.append(f"This is above {format_usd(threshold)}, the amount you asked to confirm "
                           "(Settings → Money).")
        balance = self.session.balance
        if self._over_balance(total) and balance is not None:
            money = "pretend balance" if self.session.is_demo else "balance"
            reasons.append(f"It is more than your {money} of {balance.shown()}: Novita may refuse "
                           "the jobs it does not cover (nothing is charged for those).")
        if not reasons:
            return True
        chosen = self.form.settings()
        videos = f"{count} videos" if count > 1 else "1 video"
        text = (f"Generate {videos} for ≈ {format_usd(total)} (estimate)?\n\n"
                f"{videos}: {chosen.summary()}\n"
                f"≈ {format_usd(total // max(count, 1))} each, ≈ {format_usd(total)} in all (estimate)\n\n"
                + "\n".join(reasons))
        answer = QMessageBox.question(self, "Generate — cost", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def open_spending(self) -> None:
        """What was spent: estimates of this app's jobs, and Novita's hourly bill (non-modal)."""
        if self.spending_dialog is None:
            self.spending_dialog = SpendingDialog(self.session, self)
        self.spending_dialog.refresh()
        self.spending_dialog.show()
        self.spending_dialog.raise_()
        self.spending_dialog.activateWindow()

    # -- images in -----------------------------------------------------------------------------

    def open_images(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open images", str(Path.home()),
                                                "Images (*.jpg *.jpeg *.png *.webp);;All files (*)")
        self.images.add_sources(files)

    def paste(self) -> None:
        self.add_mime(QGuiApplication.clipboard().mimeData())

    def add_mime(self, mime: QMimeData | None) -> bool:
        if mime is None:
            return False
        sources = sources_from_urls(mime.urls()) if mime.hasUrls() else []
        if not sources and mime.hasText():
            text = mime.text().strip()
            if is_web_url(text) or _is_file(text):
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
        self.statusBar().showMessage("Nothing usable here: paste or drop image files, image data "
                                     "or an http(s) link to an image.", 8000)
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.add_mime(event.mimeData()):
            event.acceptProposedAction()

    # -- jobs ----------------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        self.jobs_model.set_filter(self.state_filter.currentData(), self.search.text())

    def _video_ready(self, job_id: int, path: str) -> None:
        if job_id > self._autoplayed_job:  # the newest finished video plays by itself
            self._autoplayed_job = job_id
            log.info("job %s finished; playing %s", job_id, path)
            self.player.load(Path(path))
        self.statusBar().showMessage("A video is ready.", 5000)
        if not self.isActiveWindow() or self.isMinimized():
            self._notify("Your video is ready", Path(path).name)

    def _notify(self, title: str, text: str) -> None:
        """A desktop notification where the system has a tray, else the taskbar's attention."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.messageClicked.connect(self.bring_to_front)
                self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(self)

    def play_job(self, job_id: int | None) -> None:
        job = self.jobs_model.job(job_id) if job_id else None
        if job and job.video_path:
            self.player.load(Path(job.video_path))
        elif job:
            self.statusBar().showMessage("This job has no video yet.", 4000)

    def _selected_jobs(self) -> list[Job]:
        return [job for job in map(self.jobs_model.job, self.jobs_view.selected_job_ids()) if job]

    def retry_selected(self) -> None:
        for job in self._selected_jobs():
            if job.state is JobState.UNCERTAIN:
                answer = QMessageBox.question(
                    self, "Send again?", "This job may already have started on Novita (and been "
                    "charged). Send it again anyway?")
                if answer != QMessageBox.StandardButton.Yes:
                    continue
            if job.state in (JobState.FAILED, JobState.UNCERTAIN):
                self.session.retry(job.id or 0)

    def _job_menu(self, position: QPoint) -> None:
        jobs = self._selected_jobs()
        if not jobs:
            return
        job = jobs[0]
        menu = QMenu(self)
        menu.addAction("Play", lambda: self.play_job(job.id)).setEnabled(bool(job.video_path))
        menu.addAction("Show in folder", lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(Path(job.video_path or "").parent)))).setEnabled(bool(job.video_path))
        menu.addAction("Retry", self.retry_selected).setEnabled(
            job.state in (JobState.FAILED, JobState.UNCERTAIN))
        if job.error_kind == "BalanceError":
            menu.addAction("Top up on novita.ai…", lambda: QDesktopServices.openUrl(QUrl(errors.TOP_UP_URL)))
        menu.addAction("Save a copy…", lambda: self.save_copy(job)).setEnabled(bool(job.video_path))
        menu.addAction("Re-run with these settings", lambda: self.rerun(job))
        menu.addAction("Use these settings", lambda: self.form.set_settings(job.settings))
        menu.addAction("Reuse its seed", lambda: self.form.seed.setValue(job.seed or 0)).setEnabled(bool(job.seed))
        menu.addAction("Copy task id", lambda: QGuiApplication.clipboard().setText(job.task_id or "")
                       ).setEnabled(bool(job.task_id))
        menu.addSeparator()
        menu.addAction("Delete…", self.delete_selected)
        menu.exec(self.jobs_view.viewport().mapToGlobal(position))

    def rerun(self, job: Job) -> None:
        """Load a job's image and settings back into the form, ready for Generate."""
        self.form.set_settings(job.settings)
        source = job.image_source
        if not is_web_url(source) and not _is_file(source) and job.image_file:
            source = job.image_file  # the original moved: the copy that was sent is kept
        self.images.clear()
        self.images.add_sources([source])

    def save_copy(self, job: Job) -> None:
        if not job.video_path:
            return
        source = job.video_path
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy", str(Path.home() / Path(source).name),
                                                "MP4 video (*.mp4)")
        if target:
            run_in_background(lambda: shutil.copyfile(source, target),
                              lambda _: self.statusBar().showMessage(f"Saved {target}", 5000),
                              lambda exc: self.statusBar().showMessage(errors.describe(exc), 10000),
                              owner=self)

    def delete_selected(self) -> None:
        jobs = self._selected_jobs()
        if any(Session.is_busy(job) for job in jobs):
            self.statusBar().showMessage("A job that is being sent or downloaded cannot be deleted "
                                         "yet; try again in a moment.", 8000)
            return
        if not jobs:
            return
        with_files = [job for job in jobs if job.video_path]
        words = (f"Delete {len(jobs)} job{'s' if len(jobs) > 1 else ''}"
                 + (f" and {len(with_files)} video file{'s' if len(with_files) > 1 else ''}" if with_files else "")
                 + "? This cannot be undone.")
        if QMessageBox.question(self, "Delete", words) != QMessageBox.StandardButton.Yes:
            return
        self.delete_jobs([job.id or 0 for job in jobs])

    def delete_jobs(self, job_ids: list[int]) -> None:
        playing = self.player.current_path()
        for job_id in job_ids:
            job = self.jobs_model.job(job_id)
            if job and job.video_path and playing == Path(job.video_path):
                self.player.unload()  # release the file first (Windows locks open files)
        self.session.delete(job_ids)

    def find_in_jobs(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

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

        file_menu = self.menuBar().addMenu("&File")
        action(file_menu, "&Open images…", self.open_images, QKeySequence.StandardKey.Open)
        action(file_menu, "&Paste image or link", self.paste, QKeySequence.StandardKey.Paste)
        remove = action(file_menu, "&Remove selected images", self.images.remove_selected,
                        QKeySequence.StandardKey.Delete)
        # Delete in the job list or a text field means something else there.
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.images.list.addAction(remove)
        action(file_menu, "&Clear images", self.images.clear)
        action(file_menu, "&Find in jobs", self.find_in_jobs,
               QKeySequence.StandardKey.Find)
        file_menu.addSeparator()
        action(file_menu, "&Settings…", self.open_settings, "Ctrl+,")
        file_menu.addSeparator()
        action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        jobs_menu = self.menuBar().addMenu("&Jobs")
        self.generate_action = action(jobs_menu, "&Generate", self.generate, "Ctrl+Return")
        self.generate_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        action(jobs_menu, "&Retry selected", self.retry_selected, "Ctrl+R")
        self.spending_action = action(jobs_menu, "&Spending…", self.open_spending, "Ctrl+Shift+S",
                                      "Estimated spending today, this week and this month, and Novita's bill")
        play = action(jobs_menu, "Play/&pause", self.player.toggle_play, "Space")
        # Space belongs to buttons and check boxes in the form; here it plays.
        play.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.right_splitter.addAction(play)
        help_menu = self.menuBar().addMenu("&Help")
        action(help_menu, "Open &log folder", lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(paths.ensure(paths.log_dir())))))
        action(help_menu, "&About", lambda: QMessageBox.about(
            self, f"About {APP_NAME}", f"<b>{APP_NAME}</b> {__version__}<br>Still images to videos "
            "with Novita AI's Vidu Q3 Turbo."))

    def open_settings(self, first_run: bool = False) -> None:
        dialog = SettingsDialog(self, first_run=first_run)
        dialog.keyChanged.connect(self.session.connect_to_service)
        dialog.exec()
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
            self.resize(1200, 780)
        # Splitters share out their space when first laid out: restore them once shown.
        self._splitter_states = [(splitter, settings.value(key, QByteArray(), QByteArray))
                                 for key, splitter in (("window/main_splitter", self.main_splitter),
                                                       ("window/right_splitter", self.right_splitter))]
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

    def closeEvent(self, event: QCloseEvent) -> None:
        store = settings.store()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/main_splitter", self.main_splitter.saveState())
        store.setValue("window/right_splitter", self.right_splitter.saveState())
        store.setValue("form/last_settings", self.form.settings().to_json())
        store.setValue("player/volume", self.player.volume())
        store.setValue("player/muted", self.player.muted())
        store.setValue("player/loop", self.player.loop())
        store.sync()
        self.player.unload()
        super().closeEvent(event)
