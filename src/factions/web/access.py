"""Short-lived access to the store for the web app, safe beside a writer in another process.

DuckDB lets one process open a file for writing, and one process cannot hold read-only and
read-write connections to the same file at once. So the web app never holds the file for long:

* every request opens its own read-only :class:`~factions.store.db.Store` (whose ``_connect``
  retries while another process holds the write lock, e.g. ``factions code`` committing a
  batch), reads and closes;
* opening a DuckDB file costs tens of milliseconds, so while requests keep coming one
  read-only "anchor" connection keeps the database open and each request's connection is
  cheap. The anchor is closed ``LINGER`` seconds after the last request; as soon as a writing
  process that found the file busy touches the wait marker (``Store._connect`` does, see
  :func:`~factions.store.db.wait_marker`); and in any case every ``MAX_HOLD`` seconds under
  sustained load. Each forced release keeps the file free for a ``GAP`` longer than the
  longest pause between ``Store._connect`` retries, so the waiting writer gets its turn;
* in-process writes (uploads) take the exclusive side of a readers-writer lock: they wait for
  this process's readers, close the anchor, and open the store read-write.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from factions.store.db import Store, wait_marker

#: Seconds the anchor stays open after the last request.
LINGER = 0.25
#: Longest stretch (seconds) the anchor is held under continuous load (a safety net for
#: writers that do not touch the wait marker).
MAX_HOLD = 10.0
#: Pause (seconds) after a forced release; longer than Store._connect's longest retry sleep (0.5 s).
GAP = 0.6


class StoreAccess:
    """Opens the store per use: ``with access.read() as store: ...`` / ``access.write()``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._anchor: Store | None = None
        self._anchored_at = 0.0
        self._last_release = 0.0
        self._draining = False
        self._gap_until = 0.0
        self._closed = False
        self._marker = wait_marker(self.path)
        self._marker_seen = self._writer_mark()
        self._reaper = threading.Thread(target=self._reap, name="factions-store-reaper", daemon=True)
        self._reaper.start()

    # -- readers ---------------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only store for the duration of the block."""
        self._enter_read()
        try:
            store = Store(self.path, read_only=True)
            try:
                store.con.execute("SET enable_progress_bar = false")  # never print on the server's stdout
                yield store
            finally:
                store.close()
        finally:
            self._leave_read()

    def _enter_read(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                if self._writing or self._writers_waiting or self._draining:
                    self._cond.wait()
                elif now < self._gap_until:
                    self._cond.wait(self._gap_until - now)
                elif self._writer_waiting():
                    if self._anchor is None:
                        self._gap_until = now + GAP
                    else:
                        self._draining = True
                        self._release_if_drained()
                elif self._anchor is not None and now - self._anchored_at > MAX_HOLD:
                    self._draining = True
                    self._release_if_drained()
                else:
                    break
            self._readers += 1
            if self._anchor is None:
                try:
                    self._anchor = Store(self.path, read_only=True)
                except BaseException:
                    self._readers -= 1
                    self._cond.notify_all()
                    raise
                self._anchored_at = time.monotonic()

    def _leave_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._last_release = time.monotonic()
            self._release_if_drained()
            self._cond.notify_all()

    def _writer_mark(self) -> int:
        try:
            return self._marker.stat().st_mtime_ns
        except OSError:
            return 0

    def _writer_waiting(self) -> bool:
        """(Lock held) Whether a writing process touched the wait marker since last seen."""
        touched = self._writer_mark()
        if touched in (0, self._marker_seen):
            return False
        self._marker_seen = touched
        return True

    def _release_if_drained(self) -> None:
        """(Lock held) After a forced release's last reader: close the anchor, open the gap."""
        if self._draining and self._readers == 0:
            self._close_anchor()
            self._draining = False
            self._gap_until = time.monotonic() + GAP
            self._cond.notify_all()

    def _close_anchor(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def _reap(self) -> None:
        """Close the anchor once no request has used it for LINGER seconds."""
        with self._cond:
            while not self._closed:
                self._cond.wait(LINGER)
                idle = time.monotonic() - self._last_release
                if self._anchor is not None and self._readers == 0 and idle >= LINGER:
                    self._close_anchor()

    # -- the writer --------------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Store]:
        """A read-write store, exclusive within this process (retrying while another process writes)."""
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._close_anchor()
            self._writing = True
        try:
            store = Store(self.path)
            try:
                yield store
            finally:
                store.close()
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        """Release the file and stop the reaper (the app's shutdown)."""
        with self._cond:
            self._closed = True
            self._close_anchor()
            self._cond.notify_all()
        self._reaper.join(timeout=5)


class ResultCache:
    """Results of expensive reads (network, balance, timelines) for the store as it is now.

    Keys include :meth:`version` (the store file's and its WAL's size and modification time),
    so any commit, from this process or another, makes old entries unreachable. Concurrent
    requests for the same key compute it once (the others wait for that result).
    """

    def __init__(self, path: str | Path, size: int = 64) -> None:
        self.path = Path(path)
        self.size = size
        self._lock = threading.Lock()
        self._keys: dict[Hashable, threading.Lock] = {}
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def version(self) -> tuple[int, ...]:
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        full = (key, self.version())
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
            key_lock = self._keys.setdefault(full, threading.Lock())
        with key_lock:
            with self._lock:
                if full in self._values:
                    return self._values[full]
            try:
                value = compute()
                with self._lock:
                    self._values[full] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._keys.pop(full, None)
            return value
