"""`vidu-desktop --headless` as a script uses it: a real process against the simulator, judged by
its exit status, what it prints, what the simulator was sent and what the job store holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.images import png_bytes
from vidu_desktop import paths
from vidu_desktop.core.library import looks_like_mp4
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.store import JobStore
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow

RUN_TIMEOUT_S = 180


@pytest.fixture
def sim():
    with Simulator(SimulatorConfig(queued_s=0.2, processing_s=0.5)) as simulator:
        yield simulator


def headless(sim: Simulator | None, *args: str | Path, entry: str = "vidu_desktop.headless",
             key: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if sim is not None:
        env["NOVITA_API_BASE_URL"] = sim.base_url
    if key:
        env["NOVITA_API_KEY"] = "sk-headless-test"
    return subprocess.run([sys.executable, "-m", entry, *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT_S)


def picture(folder: Path, name: str, colour: tuple[int, int, int] = (200, 80, 40)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(png_bytes(320, 240, colour))
    return path


def stored_jobs():
    store = JobStore(paths.job_database())
    try:
        return [store.get(job_id) for job_id in store.ids()]
    finally:
        store.close()


def sent_prompts(sim: Simulator) -> list[str]:
    return sorted(sim.task(task_id).request.prompt for task_id in sim.task_ids())


def test_a_folder_with_sidecars_and_two_takes_makes_four_videos(sim, tmp_path, record_property):
    folder = tmp_path / "shoot"
    picture(folder, "harbour.png")
    picture(folder, "boats.png", (20, 90, 200))
    (folder / "harbour.txt").write_text("Waves roll into the harbour at dawn\n", encoding="utf-8")
    (folder / "boats.txt").write_text("\ufeffBoats drift, the camera pans left", encoding="utf-8")

    done = headless(sim, "--headless", folder, "--takes", "2", "--duration", "1", entry="vidu_desktop")

    assert done.returncode == 0, done.stderr
    jobs = stored_jobs()
    assert len(jobs) == 4 and all(job.state is JobState.DONE for job in jobs)
    assert all(looks_like_mp4(Path(job.video_path)) for job in jobs)
    assert sim.stats.submissions == 4
    assert sent_prompts(sim) == sorted(["Waves roll into the harbour at dawn"] * 2
                                       + ["Boats drift, the camera pans left"] * 2)
    seeds = [sim.task(task_id).request.seed for task_id in sim.task_ids()]
    assert len(set(seeds)) == 4 and 0 not in seeds  # every take has its own explicit seed
    lines = done.stdout.splitlines()
    assert lines[-1] == "4 of 4 done"
    assert sum(": done →" in line for line in lines) == 4
    record_property("headless_folder", {"exit": done.returncode, "submissions": sim.stats.submissions,
                                        "videos": len(jobs), "distinct_seeds": len(set(seeds))})


def test_a_csv_of_4_images_with_3_takes_sends_12_jobs_with_12_seeds(sim, tmp_path, record_property):
    for n in range(1, 5):
        picture(tmp_path / "pics", f"{n}.png", (n * 40, 80, 40))
    batch = tmp_path / "batch.csv"
    batch.write_text("image;prompt;duration;resolution;audio;audio_type;seed;off_peak;is_rec\n"
                     "pics/1.png;One;1;540p;no;all;;no;no\n"
                     "pics/2.png;Two;2;720p;yes;speech_only;;no;yes\n"
                     "pics/3.png;;1;;;;;;\n"
                     "pics/4.png;Four;1;540p;yes;sound_effect_only;1234;yes;no\n", encoding="utf-8")

    done = headless(sim, batch, "--takes", "3", "--prompt", "From the options", "--no-audio")

    assert done.returncode == 0, done.stderr
    requests = [sim.task(task_id).request for task_id in sim.task_ids()]
    assert sim.stats.submissions == 12 and len(requests) == 12
    seeds = {request.seed for request in requests}
    assert len(seeds) == 12 and 0 not in seeds and 1234 in seeds  # a chosen seed is the first take's
    by_prompt: dict[str, set] = {}
    for request in requests:
        by_prompt.setdefault(request.prompt, set()).add(
            (request.duration, request.resolution, request.audio, request.audio_type, request.off_peak, request.is_rec))
    assert by_prompt == {"One": {(1, "540p", False, "all", False, False)},
                         "Two": {(2, "720p", True, "speech_only", False, True)},
                         "From the options": {(1, "720p", False, "all", False, False)},  # blank cells: the options
                         "Four": {(1, "540p", True, "sound_effect_only", True, False)}}
    assert done.stdout.splitlines()[-1] == "12 of 12 done"
    record_property("headless_csv_takes", {"submissions": sim.stats.submissions, "distinct_seeds": len(seeds)})


def test_a_failing_job_exits_1_and_says_which(sim, tmp_path):
    good, bad = picture(tmp_path, "good.png"), picture(tmp_path, "bad.png", (0, 0, 0))
    sim.faults.add("fail_task", route="submit", count=1, reason="content moderation failed")

    done = headless(sim, good, bad, "--duration", "1")

    assert done.returncode == 1, done.stderr
    assert sorted(job.state for job in stored_jobs()) == [JobState.DONE, JobState.FAILED]
    assert done.stdout.splitlines()[-1] == "1 of 2 done, 1 failed"
    assert any(": failed" in line for line in done.stdout.splitlines())


def test_a_csv_with_a_bad_row_sends_nothing_and_exits_2(sim, tmp_path):
    picture(tmp_path, "a.png")
    picture(tmp_path, "b.png")
    batch = tmp_path / "batch.csv"
    batch.write_text("image,prompt,duration\na.png,fine,3\nb.png,too long,99\n", encoding="utf-8")

    done = headless(sim, batch)

    assert done.returncode == 2
    assert "Row 3, column duration: Duration must be a whole number of seconds from 1 to 16." in done.stderr
    assert sim.stats.submissions == 0
    assert not paths.job_database().exists() or stored_jobs() == []

    skipped = headless(sim, batch, "--skip-invalid")  # go ahead with the valid rows

    assert skipped.returncode == 0, skipped.stderr
    assert sent_prompts(sim) == ["fine"]
    assert [job.settings.duration for job in stored_jobs()] == [3]


def test_bad_options_and_missing_files_exit_2_before_anything_starts(tmp_path):
    done = headless(None, "--duration", "0", picture(tmp_path, "a.png"))
    assert done.returncode == 2 and "--duration: Duration must be" in done.stderr
    missing = headless(None, tmp_path / "nowhere.png")
    assert missing.returncode == 2 and "nowhere.png: no such file or folder." in missing.stderr
    takes = headless(None, "--takes", "9", tmp_path)
    assert takes.returncode == 2 and "--takes" in takes.stderr


def test_no_connection_exits_2(tmp_path):
    done = headless(None, picture(tmp_path, "a.png"), key=False)
    assert done.returncode == 2
    assert "No connection" in done.stderr


def test_another_running_copy_exits_3(sim, tmp_path):
    from vidu_desktop import instance

    lock = instance.acquire_lock()
    assert lock is not None
    try:
        done = headless(sim, picture(tmp_path, "a.png"))
    finally:
        lock.unlock()
    assert done.returncode == 3
    assert sim.stats.submissions == 0


def test_with_nothing_to_do_it_exits_0_at_once(sim):
    done = headless(sim)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_a_paused_queue_is_said_and_not_waited_on_unless_resumed(sim, tmp_path):
    store = JobStore(paths.job_database())
    store.set_queue_paused(True)  # paused in the window, before it was closed
    store.close()
    image = picture(tmp_path, "a.png")

    paused = headless(sim, image, "--duration", "1")

    assert paused.returncode == 1
    assert "The queue is paused" in paused.stderr and "--resume-queue" in paused.stderr
    assert sim.stats.submissions == 0 and stored_jobs() == []

    resumed = headless(sim, image, "--duration", "1", "--resume-queue")

    assert resumed.returncode == 0, resumed.stderr
    assert sim.stats.submissions == 1 and [job.state for job in stored_jobs()] == [JobState.DONE]
    store = JobStore(paths.job_database())
    assert not store.queue_paused()  # resumed for the window too
    store.close()


def test_the_monthly_cap_refuses_the_run_and_exits_1(sim, tmp_path):
    from vidu_desktop import settings

    settings.save_monthly_cap_units(1)  # $0.0001: no video fits
    done = headless(sim, picture(tmp_path, "a.png"), "--duration", "1")

    assert done.returncode == 1
    assert "Not sent:" in done.stderr
    assert sim.stats.submissions == 0 and stored_jobs() == []
