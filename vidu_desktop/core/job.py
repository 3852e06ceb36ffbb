"""A job as an immutable snapshot: what the store returns and what the window renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lifecycle import JobState
from .links import VideoLink
from .request import VideoSettings


@dataclass(frozen=True)
class Job:
    id: int | None = None
    created_at: float = 0.0  # time.time()
    updated_at: float = 0.0
    state: JobState = JobState.SUBMITTING
    settings: VideoSettings = field(default_factory=VideoSettings)
    image_source: str = ""  # what the user gave: a file path or an http(s) URL
    image_file: str | None = None  # the prepared copy that is sent (data dir); None for URLs
    image_note: str = ""  # e.g. "downscaled 6000×4000 → 3840×2560, 4.1 MB"
    thumbnail: bytes | None = None  # small PNG/JPEG for lists
    task_id: str | None = None
    progress: float | None = None  # 0..100 from the server or the download
    eta_s: float | None = None
    error: str = ""  # words for the user
    error_kind: str = ""  # the exception class name, for retry decisions
    video_url: str | None = None
    video_url_expires_at: float | None = None
    video_path: str | None = None  # final file in the library once complete
    seed: int | None = None  # the seed the server reports
    submissions: int = 0  # how many times a submit request was sent for this job
    server: str = ""  # base URL the job was made for ("" = any, from before v2)
    # What the job was estimated to cost when it was added, in units of 0.0001 USD
    # (pricing.format_usd shows it); None = unknown (a job from before v4).
    estimate_units: int | None = None
    # Place in the app's queue while WAITING (smaller is sent sooner); None when not waiting.
    queue_position: int | None = None
    parent_id: int | None = None  # the job this one re-runs or continues (request.RELATIONS)
    relation: str = ""  # "rerun", "continue" or ""

    def video_link(self) -> VideoLink | None:
        """The signed link last read for this job, or None; ask it .expired()."""
        if not self.video_url:
            return None
        return VideoLink(url=self.video_url, expires_at=self.video_url_expires_at)
