"""Peak memory of preparing and submitting one photo, in a fresh process (run by
test_bench_memory.py): `python -m tests.benchmarks._submit_peak PHOTO SMALL_PNG BASE_URL`.

The app's own submit path, SubmitWorker.prepare then SubmitWorker.send (called directly instead
of from its QThread, with the engine's part between them done here: the prepared fields put on
the job): read and fit the image, keep the copy that is sent, build the request body, POST it.
The simulator runs in another process, so its memory is not counted.

Peak RSS is read from VmHWM after resetting it (`5 > /proc/self/clear_refs`) just before the
submit; growth = that peak minus the resident size at the reset. Prints one JSON line.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import sys
import threading
from pathlib import Path

from ._support import vm_kib


def main() -> int:
    photo, small_png, base_url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    from PySide6.QtGui import QGuiApplication

    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import VideoSettings, data_uri
    from vidu_desktop.media.images import check_image
    from vidu_desktop.workers.engine import Connection, SubmitWorker

    app = QGuiApplication(["bench"])  # the app process has one; its memory is in the "before"
    worker = SubmitWorker(threading.Event())
    worker.set_connection(Connection("bench", base_url))
    settings = VideoSettings(prompt="the camera slowly pushes in", resolution="720p", audio=False)
    reports: dict[str, list] = {"prepared": [], "accepted": [], "failed": []}
    # Each report's last argument is what matters here (the prepared fields, the task id...).
    for name in reports:
        getattr(worker, name).connect(lambda *args, found=reports[name]: found.append(args[-1]))

    def submit(job: Job) -> Job:
        """What the engine does with one job: prepare, store the prepared fields, send."""
        for found in reports.values():
            found.clear()
        worker.prepare(job)
        assert reports["prepared"] and not reports["failed"], reports["failed"]
        job = dataclasses.replace(job, **reports["prepared"][0], submissions=1)
        worker.send(job)
        assert reports["accepted"] and not reports["failed"], reports["failed"]
        return job

    # A small picture through the same path first: lazy imports, the image plugins and the
    # HTTP connection are then in place, and only what the big photo costs is measured.
    submit(Job(id=1, state=JobState.SUBMITTING, settings=settings, image_source=str(small_png)))

    job = Job(id=2, state=JobState.SUBMITTING, settings=settings, image_source=str(photo))
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = vm_kib("VmRSS")
    job = submit(job)
    peak = vm_kib("VmHWM")
    after = vm_kib("VmRSS")

    check = check_image(photo)
    sent = Path(job.image_file).read_bytes()
    media_type = {".png": "image/png", ".webp": "image/webp"}.get(Path(job.image_file).suffix, "image/jpeg")
    # The body exactly as requests builds it from json=: json.dumps(..., allow_nan=False), UTF-8.
    body_bytes = len(json.dumps(settings.body(data_uri(sent, media_type)), allow_nan=False).encode("utf-8"))
    print(json.dumps({
        "growth_bytes": (peak - before) * 1024,
        "before_bytes": before * 1024, "peak_bytes": peak * 1024, "after_bytes": after * 1024,
        "width": check.width, "height": check.height, "file_bytes": check.file_bytes,
        "pixels_bytes": check.width * check.height * 4, "body_bytes": body_bytes,
        "sent_image_bytes": len(sent), "note": job.image_note,
    }))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
