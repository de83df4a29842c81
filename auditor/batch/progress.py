"""Progress for the overnight run: a bar on a terminal, a log line a minute under cron."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

log = logging.getLogger("auditor.batch")


@dataclass
class Progress:
    """Records done out of a total, with rate and time left; never any record text."""

    total: int = 0
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Records per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds to finish, once there is a rate to go on."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None

    def describe(self) -> str:
        """`12,000/100,000 records (12%), 2,150/s, 41s left`."""
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        left = self.seconds_left
        eta = f", {_duration(left)} left" if left is not None and self.done < self.total else ""
        return f"{self.done:,}/{self.total:,} records{share}, {self.rate:,.0f}/s{eta}"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class ProgressReporter:
    """Shows progress: redraws a bar on a terminal, logs every `interval` seconds otherwise."""

    def __init__(self, stream: TextIO | None = None, interval: float = 60.0) -> None:
        self.stream = stream or sys.stderr
        self.is_terminal = self.stream.isatty()
        self.interval = interval
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        """Show `progress` if enough time has passed since the last update."""
        now = time.monotonic()
        if self.is_terminal:
            if now - self._last >= 0.2 or progress.done >= progress.total:
                width = 30
                filled = int(width * progress.done / progress.total) if progress.total else width
                bar = "█" * filled + "·" * (width - filled)
                self.stream.write(f"\r[{bar}] {progress.describe()}   ")
                self.stream.flush()
                self._last = now
        elif now - self._last >= self.interval:
            log.info("progress: %s", progress.describe())
            self._last = now

    def finish(self) -> None:
        """End the bar's line on a terminal."""
        if self.is_terminal:
            self.stream.write("\n")
