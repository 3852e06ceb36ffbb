"""The app's own queue, through the real session, engine and simulator: at most N tasks open at
Novita, pause and resume, cancel, reorder, a paused queue across a restart, takes with seeds."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.images import png_bytes
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import ImageOrder, VideoSettings
from vidu_desktop.simulator import server as sim_server
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_video(tmp_path_factory) -> Path:
    """One real, small MP4 made once; the simulator hands out copies (rendering ten is slow)."""
    from vidu_desktop.simulator.video import render_video

    path = tmp_path_factory.mktemp("video") / "sample.mp4"
    render_video(png_bytes(320, 240), path, duration_s=1, height=240, audio=True, fast=True)
    return path


class OpenTasks:
    """Counts, at the simulator, the tasks not yet finished each time one is made: the most ever
    seen at once is what the queue limit must bound."""

    def __init__(self, sim: Simulator) -> None:
        self.sim, self.most, self.made = sim, 0, 0
        self._lock = threading.Lock()
        original = sim._create_task

        def create(request):
            task = original(request)
            with self._lock:
                self.made += 1
                self.most = max(self.most, self.open_now())
            return task

        sim._create_task = create

    def open_now(self) -> int:
        tasks = [self.sim.task(task_id) for task_id in self.sim.task_ids()]
        return sum(1 for task in tasks if task and self.sim._progress(task)[0] in (sim_server.QUEUED,
                                                                                     sim_server.PROCESSING))


@pytest.fixture
def sim(sample_video: Path) -> Iterator[Simulator]:
    def renderer(_image, destination: Path, **_kwargs) -> None:
        shutil.copyfile(sample_video, destination)

    with Simulator(SimulatorConfig(queued_s=0.3, processing_s=1.2, renderer=renderer)) as simulator:
        yield simulator


@pytest.fixture
def images(tmp_path: Path) -> list[Path]:
    made = []
    for index in range(12):
        path = tmp_path / f"photo-{index:02d}.png"
        path.write_bytes(png_bytes(64 + index, 48))
        made.append(path)
    return made


class Watched:
    """A real Session and what it says: the newest snapshot of every job, its problems."""

    def __init__(self, qtbot, tmp_path: Path, monkeypatch, sim: Simulator, limit: int = 4) -> None:
        from vidu_desktop import settings
        from vidu_desktop.session import Session

        settings.save_max_open_jobs(limit)  # settings outlive a test: each says what it needs

        monkeypatch.setenv("NOVITA_API_KEY", "sk-queue-test")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        self.qtbot = qtbot
        self.session = Session(tmp_path / "jobs.sqlite3", allow_demo=False,
                               library_dir=lambda: tmp_path / "Library")
        self.jobs: dict[int, object] = {}
        self.problems: list[str] = []
        self.session.jobChanged.connect(lambda job: self.jobs.__setitem__(job.id, job))
        self.session.problem.connect(self.problems.append)
        with qtbot.waitSignal(self.session.modeChanged, timeout=10_000,
                              check_params_cb=lambda mode: mode.can_generate or mode.name == "OFFLINE"):
            self.session.start()
        assert self.session.mode.can_generate, self.session.status

    def states(self) -> list[JobState]:
        return [job.state for job in self.jobs.values()]

    def count(self, *states: JobState) -> int:
        return sum(1 for state in self.states() if state in states)

    def wait(self, condition, timeout: int = 60_000) -> None:
        self.qtbot.waitUntil(condition, timeout=timeout)

    def settle(self) -> None:
        """Every intent sent so far has been handled by the engine."""
        done: list[bool] = []
        self.session.after_queued(lambda: done.append(True))
        self.qtbot.waitUntil(lambda: bool(done), timeout=10_000)

    def close(self) -> None:
        self.session.shutdown()


@pytest.fixture
def watched(qtbot, tmp_path, monkeypatch, sim) -> Iterator[Watched]:
    opened = Watched(qtbot, tmp_path, monkeypatch, sim)
    yield opened
    opened.close()


def orders(images: list[Path], takes: int = 1) -> list[ImageOrder]:
    return [ImageOrder(str(image), VideoSettings(duration=1, prompt=f"take of {image.stem}"), takes=takes)
            for image in images]


def test_ten_images_with_a_limit_of_four_never_open_more_than_four_tasks(
        watched, sim, images, monkeypatch, record_property):
    counter = OpenTasks(sim)
    watched.session.generate(orders(images[:10]))
    watched.wait(lambda: len(watched.jobs) == 10 and watched.count(JobState.DONE) == 10, timeout=120_000)
    record_property("queue_limit_4", {"made": counter.made, "most_open_at_simulator": counter.most})
    print(f"\n10 images, limit 4: most tasks open at the simulator at once = {counter.most}")
    assert counter.made == 10 == sim.stats.submissions
    assert counter.most == 4  # the limit is used, and never passed
    assert watched.session.pending == 0


def test_pause_sends_nothing_new_and_resume_carries_on(watched, sim, images):
    with watched.qtbot.waitSignal(watched.session.queuePausedChanged, timeout=5000,
                                  check_params_cb=lambda paused: paused):
        watched.session.set_queue_paused(True)
    assert watched.session.queue_paused
    watched.session.generate(orders(images[:3]))
    watched.settle()
    watched.wait(lambda: watched.count(JobState.WAITING) == 3, timeout=5000)
    assert watched.session.pending == 0  # a paused queue holds nothing a runner should wait for
    watched.settle()
    assert sim.stats.submissions == 0
    watched.session.set_queue_paused(False)
    watched.wait(lambda: watched.count(JobState.DONE) == 3)
    assert sim.stats.submissions == 3


def test_cancel_a_waiting_job_and_retry_puts_it_back_at_the_end(watched, sim, images):
    watched.session.set_queue_paused(True)
    watched.session.generate(orders(images[:3]))
    watched.wait(lambda: watched.count(JobState.WAITING) == 3, timeout=5000)
    first, second, third = sorted(watched.jobs)
    watched.session.cancel([second])
    watched.wait(lambda: watched.jobs[second].state is JobState.CANCELLED, timeout=5000)
    watched.session.retry(second)
    watched.wait(lambda: watched.jobs[second].state is JobState.WAITING, timeout=5000)
    assert watched.jobs[second].queue_position > watched.jobs[third].queue_position
    watched.session.cancel([second])
    watched.session.set_queue_paused(False)
    watched.wait(lambda: watched.count(JobState.DONE) == 2)
    assert watched.jobs[second].state is JobState.CANCELLED and sim.stats.submissions == 2
    watched.session.cancel([first])  # done long ago: nothing to say, nothing changes
    watched.settle()
    assert watched.jobs[first].state is JobState.DONE and watched.problems == []


def test_a_job_already_at_novita_cannot_be_cancelled_and_the_user_is_told(watched, sim, images):
    watched.session.generate(orders(images[:1]))
    watched.wait(lambda: watched.count(JobState.QUEUED, JobState.PROCESSING) == 1, timeout=20_000)
    [job_id] = watched.jobs
    watched.session.cancel([job_id])
    watched.wait(lambda: bool(watched.problems), timeout=5000)
    assert "no way to stop a task" in watched.problems[0] and "charged" in watched.problems[0]
    watched.wait(lambda: watched.jobs[job_id].state is JobState.DONE)


def test_reordering_changes_the_send_order(watched, sim, images):
    from vidu_desktop import settings

    settings.save_max_open_jobs(1)
    watched.session.queue_limit_changed()
    watched.session.set_queue_paused(True)
    watched.session.generate(orders(images[:4]))
    watched.wait(lambda: watched.count(JobState.WAITING) == 4, timeout=5000)
    a, b, c, d = sorted(watched.jobs)
    watched.session.move_in_queue([c], -2)  # c a b d
    watched.session.move_to([d], 1)  # c d a b
    watched.settle()
    order = sorted((job.queue_position, job.id) for job in watched.jobs.values())
    assert [job_id for _, job_id in order] == [c, d, a, b]
    sim_prompts = []
    original = sim._create_task

    def create(request):
        sim_prompts.append(request.prompt)
        return original(request)

    sim._create_task = create
    watched.session.set_queue_paused(False)
    watched.wait(lambda: watched.count(JobState.DONE) == 4)
    sent = [watched.jobs[job_id].settings.prompt for job_id in (c, d, a, b)]
    assert sim_prompts == sent


def test_a_paused_queue_stays_paused_after_a_restart(qtbot, tmp_path, monkeypatch, sim, images):
    first = Watched(qtbot, tmp_path, monkeypatch, sim)
    first.session.set_queue_paused(True)
    first.session.generate(orders(images[:2]))
    first.wait(lambda: first.count(JobState.WAITING) == 2, timeout=5000)
    first.close()
    again = Watched(qtbot, tmp_path, monkeypatch, sim)
    try:
        again.wait(lambda: again.session.queue_paused, timeout=5000)
        pages: list[tuple] = []
        again.session.pageReady.connect(lambda _token, jobs, _more: pages.append(jobs))
        again.session.request_page(1, None, "", 0, 10)
        again.wait(lambda: bool(pages), timeout=5000)
        assert [job.state for job in pages[0]] == [JobState.WAITING, JobState.WAITING]
        again.settle()
        assert sim.stats.submissions == 0 and again.session.pending == 0
        again.session.set_queue_paused(False)
        again.wait(lambda: again.count(JobState.DONE) == 2)
        assert sim.stats.submissions == 2
    finally:
        again.close()


def test_three_takes_of_four_images_are_twelve_submissions_with_twelve_seeds(
        watched, sim, images, record_property):
    seeds: list[int] = []
    original = sim._create_task

    def create(request):
        seeds.append(request.seed)
        return original(request)

    sim._create_task = create
    watched.session.generate(orders(images[:4], takes=3))
    watched.wait(lambda: len(watched.jobs) == 12 and watched.count(JobState.DONE) == 12, timeout=120_000)
    record_property("takes", {"submissions": sim.stats.submissions, "distinct_seeds": len(set(seeds))})
    print(f"\n3 takes x 4 images: {sim.stats.submissions} submissions, {len(set(seeds))} distinct seeds")
    assert sim.stats.submissions == 12 and len(seeds) == 12 and len(set(seeds)) == 12 and 0 not in seeds
    assert sorted(seeds) == sorted(job.seed for job in watched.jobs.values())  # each job keeps its seed


def test_a_continued_job_knows_its_parent_and_the_parent_its_children(watched, sim, images):
    watched.session.set_queue_paused(True)
    watched.session.generate(orders(images[:1]))
    watched.wait(lambda: len(watched.jobs) == 1, timeout=5000)
    [parent] = watched.jobs
    settings = VideoSettings(duration=1, prompt="and then the tide comes in")
    watched.session.generate([ImageOrder(str(images[1]), settings, takes=2, parent_id=parent, relation="continue")])
    watched.wait(lambda: len(watched.jobs) == 3, timeout=5000)
    children = sorted(set(watched.jobs) - {parent})
    assert all(watched.jobs[c].parent_id == parent and watched.jobs[c].relation == "continue" for c in children)
    with watched.qtbot.waitSignal(watched.session.familyReady, timeout=5000) as answer:
        watched.session.request_family(parent)
    job_id, up, down = answer.args
    assert job_id == parent and up is None and [job.id for job in down] == children
    with watched.qtbot.waitSignal(watched.session.familyReady, timeout=5000) as answer:
        watched.session.request_family(children[0])
    assert answer.args[1].id == parent and answer.args[2] == ()


def test_a_saved_video_is_named_and_tagged_and_import_rebuilds_its_entry(
        qtbot, tmp_path, monkeypatch, sim, images, sample_video):
    import json
    import re
    import subprocess

    from vidu_desktop.core.mp4meta import read_metadata

    first = Watched(qtbot, tmp_path, monkeypatch, sim)
    try:
        settings = VideoSettings(duration=1, resolution="540p", prompt="gulls over the harbour")
        first.session.generate([ImageOrder(str(images[0]), settings)])
        first.wait(lambda: first.count(JobState.DONE) == 1)
        [job] = first.jobs.values()
    finally:
        first.close()
    video = Path(job.video_path)
    assert re.fullmatch(r"photo-00_\d{4}-\d\d-\d\d_\d{4}_540p_1s\.mp4", video.name), video.name
    assert not list(video.parent.glob(".vidu-job-*"))  # the private download name is gone
    probed = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json",
                                        str(video)], capture_output=True, text=True, check=True).stdout)
    assert probed["format"]["tags"]["comment"] == "gulls over the harbour"
    meta = read_metadata(video)
    assert meta is not None and meta.task_id == job.task_id and meta.seed == job.seed
    assert meta.source_name == "photo-00.png" and meta.settings.resolution == "540p"
    plain = tmp_path / "plain.mp4"
    shutil.copyfile(sample_video, plain)
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("not a video")

    other = tmp_path / "other"  # a new job list: the user moved to another computer
    other.mkdir()
    again = Watched(qtbot, other, monkeypatch, sim)
    try:
        with qtbot.waitSignal(again.session.importFinished, timeout=10_000) as answer:
            again.session.import_videos([video, plain, not_video])
        added, problems = answer.args
        assert len(added) == 1 and len(problems) == 2
        assert "plain.mp4" in problems[0] and "no Vidu Desktop details" in problems[0]
        assert "notes.mp4" in problems[1] and "not a complete MP4" in problems[1]
        [imported] = again.jobs.values()
        assert imported.state is JobState.DONE and imported.video_path == str(video.resolve())
        assert (imported.task_id, imported.seed, imported.settings.prompt) == (job.task_id, job.seed,
                                                                               "gulls over the harbour")
        assert imported.image_source == "photo-00.png" and abs(imported.created_at - job.created_at) < 1
        with qtbot.waitSignal(again.session.importFinished, timeout=10_000) as answer:
            again.session.import_videos([video])
        assert answer.args[0] == () and "already in the job list" in answer.args[1][0]
        again.session.delete([imported.id])  # forgetting an imported video keeps the file
        qtbot.waitUntil(lambda: again.session.pending == 0, timeout=5000)
        again.settle()
        assert video.is_file()
    finally:
        again.close()


def test_after_a_429_nothing_is_sent_until_the_wait_is_over(watched, sim, images):
    import time

    submits: list[tuple[float, int]] = []
    original = sim.stats.record

    def record(method, path, status):
        if method == "POST" and "async" in path:
            submits.append((time.monotonic(), status))
        original(method, path, status)

    sim.stats.record = record
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=2)
    watched.session.generate(orders(images[:3]))
    watched.wait(lambda: watched.count(JobState.DONE) == 3)
    statuses = [status for _, status in submits]
    assert statuses.count(429) == 1 and statuses.count(200) == 3
    refused_at = next(at for at, status in submits if status == 429)
    later = [at for at, _ in submits if at > refused_at]
    assert later and min(later) - refused_at >= 1.9  # every submit waited, not only the refused one


def test_a_429_puts_the_job_back_first_in_the_queue_and_a_restart_sends_it_once_when_allowed(
        qtbot, tmp_path, monkeypatch, sim, images):
    """A refused submit made no task: stopping while it waits must not call it uncertain."""
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=4)
    first = Watched(qtbot, tmp_path, monkeypatch, sim)
    first.session.generate(orders(images[:1]))
    first.wait(lambda: any(job.error_kind == "RateLimited" for job in first.jobs.values()), timeout=20_000)
    [job] = first.jobs.values()
    assert job.state is JobState.WAITING and job.queue_position is not None and job.submissions == 1
    first.close()  # the app quits while Novita's wait runs
    assert sim.stats.submissions == 1
    again = Watched(qtbot, tmp_path, monkeypatch, sim)
    try:
        pages: list[tuple] = []
        again.session.pageReady.connect(lambda _token, jobs, _more: pages.append(jobs))
        again.session.request_page(1, None, "", 0, 10)
        again.wait(lambda: bool(pages), timeout=5000)
        [shown] = pages[0]
        assert shown.state is JobState.WAITING and shown.error_kind == "RateLimited"  # not "may have been charged"
        assert sim.stats.submissions == 1  # the rest of the wait is honoured after the restart
        again.wait(lambda: again.count(JobState.DONE) == 1, timeout=60_000)
        assert sim.stats.submissions == 2 and len(sim.task_ids()) == 1  # sent once more, made once
        assert JobState.UNCERTAIN not in {state for _, state, _ in _events(tmp_path, shown.id)}
    finally:
        again.close()


def _events(tmp_path: Path, job_id: int) -> list[tuple]:
    from vidu_desktop.core.store import JobStore

    store = JobStore(tmp_path / "jobs.sqlite3")
    try:
        return store.events(job_id)
    finally:
        store.close()


def test_a_429_while_others_wait_keeps_its_place_at_the_front(watched, sim, images):
    from vidu_desktop import settings

    settings.save_max_open_jobs(1)
    watched.session.queue_limit_changed()
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=2)
    watched.session.generate(orders(images[:3]))
    watched.wait(lambda: any(job.error_kind == "RateLimited" for job in watched.jobs.values()), timeout=20_000)
    refused = next(job for job in watched.jobs.values() if job.error_kind == "RateLimited")
    waiting = sorted((job.queue_position, job.id) for job in watched.jobs.values() if job.state is JobState.WAITING)
    assert waiting[0][1] == refused.id  # first in line again
    watched.wait(lambda: watched.count(JobState.DONE) == 3)
    assert sim.stats.submissions == 4 and len(sim.task_ids()) == 3


def test_a_429_sends_the_jobs_admitted_behind_it_back_to_the_queue_in_order(watched, sim, images):
    """Admitted together (limit 4), sent one at a time: after a 429 none of them says
    "Submitting…" through Novita's wait; they wait in the queue, the refused one first."""
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=3)
    watched.session.generate(orders(images[:3]))
    watched.wait(lambda: any(job.error_kind == "RateLimited" for job in watched.jobs.values()), timeout=20_000)
    watched.settle()
    refused = next(job for job in watched.jobs.values() if job.error_kind == "RateLimited")
    assert watched.count(JobState.SUBMITTING) == 0
    line = [job_id for _, job_id in sorted((job.queue_position, job.id) for job in watched.jobs.values()
                                           if job.state is JobState.WAITING)]
    assert line == [refused.id, *sorted(set(watched.jobs) - {refused.id})]
    watched.wait(lambda: watched.count(JobState.DONE) == 3)
    assert sim.stats.submissions == 4 and len(sim.task_ids()) == 3
