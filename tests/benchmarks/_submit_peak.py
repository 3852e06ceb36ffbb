"""Peak memory of preparing and submitting one photo, in a fresh process (run by
test_bench_memory.py): `python -m tests.benchmarks._submit_peak PHOTO SMALL_PNG BASE_URL`.

The app's own submit path, SubmitWorker.submit (called directly instead of from its QThread):
read and fit the image, keep the copy that is sent, build and check the request, POST it.
The simulator runs in another process, so its memory is not counted.

Peak RSS is read from VmHWM after resetting it (`5 > /proc/self/clear_refs`) just before the
submit; growth = that peak minus the resident size at the reset. Prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
from pathlib import Path

from ._support import vm_kib


def main() -> int:
    photo, small_png, base_url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    from PySide6.QtGui import QGuiApplication

    from vidu_desktop import paths
    from vidu_desktop.core.jobs import Job, JobState, JobStore
    from vidu_desktop.core.request import VideoRequest, data_uri
    from vidu_desktop.media.images import check_image
    from vidu_desktop.workers.engine import Connection, SubmitWorker

    app = QGuiApplication(["bench"])  # the app process has one; its memory is in the "before"
    store = JobStore(paths.job_database())
    worker = SubmitWorker(store, threading.Event())
    worker.set_connection(Connection("bench", base_url))
    params = {"prompt": "the camera slowly pushes in", "resolution": "720p", "audio": False}

    # A small picture through the same path first: lazy imports, the image plugins and the
    # HTTP connection are then in place, and only what the big photo costs is measured.
    warm = store.add(Job(state=JobState.SUBMITTING, params=params, image_source=str(small_png)))
    worker.submit(warm.id)
    assert store.get(warm.id).state is JobState.QUEUED, store.get(warm.id).error

    job = store.add(Job(state=JobState.SUBMITTING, params=params, image_source=str(photo)))
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = vm_kib("VmRSS")
    worker.submit(job.id)
    peak = vm_kib("VmHWM")
    after = vm_kib("VmRSS")

    job = store.get(job.id)
    assert job.state is JobState.QUEUED, job.error
    check = check_image(photo)
    sent = Path(job.image_file).read_bytes()
    media_type = {".png": "image/png", ".webp": "image/webp"}.get(Path(job.image_file).suffix, "image/jpeg")
    request = VideoRequest(images=(data_uri(sent, media_type),), **params)
    # The body exactly as requests builds it from json=: json.dumps(..., allow_nan=False), UTF-8.
    body_bytes = len(json.dumps(request.to_payload(), allow_nan=False).encode("utf-8"))
    print(json.dumps({
        "growth_bytes": (peak - before) * 1024,
        "before_bytes": before * 1024, "peak_bytes": peak * 1024, "after_bytes": after * 1024,
        "width": check.width, "height": check.height, "file_bytes": check.file_bytes,
        "pixels_bytes": check.width * check.height * 4, "body_bytes": body_bytes,
        "sent_image_bytes": len(sent), "note": job.image_note,
    }))
    store.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
