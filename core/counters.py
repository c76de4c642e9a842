"""Counting without a database write per event: each process adds events up in memory and hands a batch to a task
every `seconds` (or once `size` distinct rows are waiting). For figures that may lose one process's last batch if it
dies (sponsored impressions, product page views), never for money. A process that stops normally hands over what
it counted at exit."""

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)


class BufferedCounter:
    """Counts hashable rows (tuples) and sends [*row, count] lists to `send` in batches."""

    def __init__(
        self,
        name: str,
        *,
        send: Callable[[list[list[Any]]], None],
        size: Callable[[], int],
        seconds: Callable[[], float],
    ):
        # size and seconds are read at each count, so settings overridden in tests or at run time apply.
        self.name = name
        self._send = send
        self._size = size
        self._seconds = seconds
        self._rows: Counter = Counter()
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()
        atexit.register(self._flush_at_exit)

    def add(self, rows: Iterable[tuple]) -> None:
        with self._lock:
            self._rows.update(rows)
            due = len(self._rows) >= self._size() or time.monotonic() - self._last_flush >= self._seconds()
        if due:
            self.flush()

    def flush(self) -> int:
        """Send what this process counted; returns the number of rows sent."""
        with self._lock:
            batch = [[*row, count] for row, count in self._rows.items()]
            self._rows.clear()
            self._last_flush = time.monotonic()
        if batch:
            self._send(batch)
        return len(batch)

    def clear(self) -> None:
        """Forget what was counted and start a new period (tests start and end with nothing pending, and no batch
        falls due during a test because an earlier one ran long)."""
        with self._lock:
            self._rows.clear()
            self._last_flush = time.monotonic()

    def __len__(self) -> int:
        return len(self._rows)

    def _flush_at_exit(self) -> None:
        pending = len(self._rows)
        if pending:
            try:
                self.flush()
            except Exception:  # the broker or database may already be gone at interpreter exit
                logger.warning("%s: %d rows lost at exit", self.name, pending, exc_info=True)
