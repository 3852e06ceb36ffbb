"""Review of the queue (issue 13): a job the app has not sent yet, held back by the submit
rate, through the real session, engine and simulator."""

from __future__ import annotations

import pytest

from tests.integration.test_queue import (  # noqa: F401 - fixtures
    images,
    orders,
    sample_video,
    sim,
    watched,
)
from vidu_desktop.core.lifecycle import JobState

pytestmark = pytest.mark.slow


def test_a_job_held_back_by_the_submit_rate_can_be_cancelled(watched, sim, images):  # noqa: F811
    statuses: list[int] = []
    original = sim.stats.record

    def record(method, path, status):
        if method == "POST" and "async" in path:
            statuses.append(status)
        original(method, path, status)

    sim.stats.record = record
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=60)
    watched.session.generate(orders(images[:2]))
    # The first submit is refused (429, wait 60 s): it waits in the queue again, and the other
    # (in the queue, or admitted before the answer came and now held by the rate) is not sent.
    watched.wait(lambda: statuses == [429] and watched.count(JobState.WAITING) >= 1
                 and watched.count(JobState.WAITING, JobState.SUBMITTING) == 2, timeout=20_000)
    watched.settle()
    held = sorted(watched.jobs)
    watched.session.cancel(held)
    watched.settle()
    # Nothing of these reached Novita: no "already sent ... charged", and they do not stay stuck.
    assert not any("charged" in words for words in watched.problems), watched.problems
    watched.wait(lambda: all(watched.jobs[job_id].state is JobState.CANCELLED for job_id in held), timeout=5000)
    watched.settle()
    assert statuses == [429]


def test_a_job_admitted_but_not_yet_sent_can_be_cancelled(watched, sim, images):  # noqa: F811
    """One submit at a time: while the first is slow to answer, the second is admitted and
    held. Cancelling it then takes it back before it leaves; the first cannot be taken back."""
    sim.faults.add("slow", route="submit", count=1, delay=3)
    watched.session.generate(orders(images[:2]))
    watched.wait(lambda: watched.count(JobState.SUBMITTING) == 2, timeout=20_000)
    first, second = sorted(watched.jobs)
    watched.session.cancel([second])
    watched.wait(lambda: watched.jobs[second].state is JobState.CANCELLED, timeout=5000)
    watched.wait(lambda: watched.jobs[first].state is JobState.DONE)
    assert sim.stats.submissions == 1  # the cancelled one never left
    assert not any("charged" in words for words in watched.problems), watched.problems


def test_import_of_hostile_files_answers_for_each_and_keeps_one_entry_per_video(
        qtbot, watched, sample_video, tmp_path):  # noqa: F811
    """Held up: a tagged video given twice, a truncated copy, an empty file, a folder and a pipe
    named .mp4, a tag with absurd values: one entry, a sentence for each of the others, no hang."""
    import os
    import shutil

    from mutagen.mp4 import MP4, MP4FreeForm

    from vidu_desktop.core.mp4meta import JOB_TAG, VideoMetadata, write_metadata
    from vidu_desktop.core.request import VideoSettings

    tagged = tmp_path / "tagged.mp4"
    shutil.copyfile(sample_video, tagged)
    write_metadata(tagged, VideoMetadata(prompt="gulls", settings=VideoSettings(duration=1), seed=7,
                                         task_id="task-review-1", source_name="harbour.png"))
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(tagged.read_bytes()[: tagged.stat().st_size // 2])
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    folder = tmp_path / "folder.mp4"
    folder.mkdir()
    pipe = tmp_path / "pipe.mp4"
    os.mkfifo(pipe)
    absurd = tmp_path / "absurd.mp4"
    shutil.copyfile(sample_video, absurd)
    video = MP4(str(absurd))
    if video.tags is None:
        video.add_tags()
    video.tags[JOB_TAG] = [MP4FreeForm(b'{"seed": -1, "task_id": "task-review-2", "created_at": 1e300, '
                                       b'"settings": {"duration": 1000000000, "resolution": "99999p"}, '
                                       b'"prompt": "' + b"x" * 20_000 + b'"}')]
    video.save()
    given = [tagged, tagged, truncated, empty, folder, pipe, absurd]
    with qtbot.waitSignal(watched.session.importFinished, timeout=20_000) as answer:
        watched.session.import_videos(given)
    added, problems = answer.args
    assert len(added) == 2 and len(problems) == 5, problems
    watched.wait(lambda: len(watched.jobs) == 2, timeout=5000)
    strange = next(job for job in watched.jobs.values() if job.task_id == "task-review-2")
    assert strange.seed is None and strange.settings.problems() == [] and len(strange.settings.prompt) <= 5000


def test_deleting_a_job_whose_submit_is_in_flight_keeps_it(watched, sim, images):  # noqa: F811
    import threading

    arrived = threading.Event()
    original_take = sim.faults.take

    def take(route, kinds):
        if route == "submit":
            arrived.set()
        return original_take(route, kinds)

    sim.faults.take = take
    sim.faults.add("slow", route="submit", count=1, delay=3)
    removed: list[int] = []
    watched.session.jobRemoved.connect(removed.append)
    watched.session.generate(orders(images[:1]))
    watched.wait(arrived.is_set, timeout=20_000)
    [job_id] = watched.jobs
    # The window saw it WAITING a moment ago; the delete reaches the engine while it is being sent.
    watched.session.delete([job_id])
    watched.settle()
    watched.wait(lambda: sim.stats.submissions == 1, timeout=20_000)
    assert removed == [], "the job was forgotten while its submit was in flight (Novita made and charged it)"
    watched.wait(lambda: watched.jobs[job_id].state is JobState.DONE)
