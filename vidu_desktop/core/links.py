"""A signed video link and when it stops working: the one implementation of "expired"."""

from __future__ import annotations

import time
from dataclasses import dataclass

EXPIRY_MARGIN_S = 5.0  # treat a link as dead this long before the server does


@dataclass(frozen=True)
class VideoLink:
    url: str
    expires_at: float | None  # time.time() after which the link is refused; None = unknown
    video_type: str = "mp4"
    ttl_s: float | None = None  # the lifetime the server announced, for logs and tests

    @classmethod
    def from_ttl(cls, url: str, ttl_s: float | None, video_type: str = "mp4",
                 received_at: float | None = None) -> VideoLink:
        """A link read at `received_at` (default: now) that lives `ttl_s` seconds."""
        received = time.time() if received_at is None else received_at
        return cls(url=url, expires_at=None if ttl_s is None else received + ttl_s,
                   video_type=video_type, ttl_s=ttl_s)

    def expired(self, now: float | None = None, margin_s: float = EXPIRY_MARGIN_S) -> bool:
        """Whether the link is (about to be) refused; a link without a known expiry never is."""
        if self.expires_at is None:
            return False
        return (time.time() if now is None else now) >= self.expires_at - margin_s
