"""download_ratio: a 200 MiB video over loopback through the app's download path, against curl."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time

import pytest

from ._support import BIG_VIDEO_BYTES, SimProcess, client_for, median, submit_task, wait_for

RUNS = 5  # each, interleaved, after one warm-up of each


@pytest.fixture(scope="module")
def sim(media, tmp_path_factory):
    process = SimProcess(media["small_video"], media["big_video"],
                         tmp_path_factory.mktemp("download-sim-videos"), queued_s=0.0, processing_s=0.1)
    yield process
    process.stop()


@pytest.mark.timeout(900)
def test_download(bench, sim, tmp_path):
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.novita import TaskStatus
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.workers.engine import Connection, DownloadWorker

    assert shutil.which("curl"), "curl is needed for the baseline"
    client = client_for(sim.base_url)
    task_id = submit_task(client, "the big one", resolution="1080p")  # 1080p: the 200 MiB video
    result = wait_for(lambda: (r := client.task_result(task_id)).status is TaskStatus.SUCCEED and r,
                      30, "the task")
    url = result.videos[0].url

    library = tmp_path / "library"

    def app_download() -> float:
        """DownloadWorker.download, called directly (it normally runs in its QThread): the
        client's streaming download to a .part file (its blocks reserved up front), a progress
        signal every 0.25 s (the engine shows it; nothing is written to the store until the
        state changes), the MP4 check, the tags written into the still-private video (mutagen
        changes a copy of the moov box only; this video's moov lies after the media with the
        200 MiB free box behind it, so the new moov is appended and the old one becomes free:
        the media is not copied) and the rename. The worker reports through signals, here
        delivered directly."""
        job = Job(id=1, created_at=time.time(), state=JobState.DOWNLOADING,
                  settings=VideoSettings(prompt="bench"), task_id=task_id, video_url=url,
                  video_url_expires_at=time.time() + 3000)
        worker = DownloadWorker(threading.Event(), lambda: library, lambda _job_id: False)
        worker.set_connection(Connection("bench", sim.base_url))
        downloaded, failed, progress = [], [], []
        worker.downloaded.connect(lambda *args: downloaded.append(args[-1]))  # job id, file
        worker.failed.connect(lambda *args: failed.append(args[-1]))
        worker.progressed.connect(lambda *args: progress.append(args[-1]))  # job id, percent
        start = time.perf_counter()
        worker.download(job)
        elapsed = time.perf_counter() - start
        assert not failed and downloaded, failed
        # The tags (prompt, settings, seed…) and mutagen's padding make the file a little larger.
        assert BIG_VIDEO_BYTES < os.path.getsize(downloaded[0]) < BIG_VIDEO_BYTES + 1024 * 1024
        assert progress and progress[-1] == 100.0, progress[-3:]
        shutil.rmtree(library)
        return elapsed

    def curl_download() -> float:
        target = tmp_path / "curl.mp4"
        start = time.perf_counter()
        subprocess.run(["curl", "-s", "-f", "-o", str(target), url], check=True, timeout=300)
        elapsed = time.perf_counter() - start
        assert target.stat().st_size == BIG_VIDEO_BYTES
        target.unlink()
        return elapsed

    app_times, curl_times = [], []
    for round_number in range(RUNS + 1):
        pair = [("app", app_download), ("curl", curl_download)]
        if round_number % 2:
            pair.reverse()  # alternate who goes first
        for name, download in pair:
            elapsed = download()
            if round_number:  # round 0 is the warm-up
                (app_times if name == "app" else curl_times).append(elapsed)

    mib = BIG_VIDEO_BYTES / 1024 / 1024
    bench.record(
        "download_ratio", median(app_times) / median(curl_times), "×",
        f"median time to download a 200 MiB video from the simulator over loopback through the "
        f"app's download path (DownloadWorker.download: NovitaClient.download streaming to a .part "
        f"file with its blocks reserved up front, progress signals every 0.25 s, MP4 check, tags "
        f"written in place into the private file (a new moov box appended, the old one freed: "
        f"the media is not copied), rename), divided by curl's median "
        f"for the same link; {RUNS} runs each, interleaved, after a warm-up of each. App "
        f"{median(app_times) * 1000:.0f} ms ({mib / median(app_times):.0f} MiB/s), curl "
        f"{median(curl_times) * 1000:.0f} ms ({mib / median(curl_times):.0f} MiB/s).",
        baseline=median(curl_times) * 1000, baseline_unit="ms",
        baseline_meaning="curl -s -o of the same link to the same disk",
        runs=RUNS, raw={"app_s": app_times, "curl_s": curl_times})
