"""Short-lived access to the store for the web app, safe beside a writer in another process.

DuckDB lets one process open a file for writing, and one process cannot hold read-only and
read-write connections to the same file at once. So the web app keeps NO long-lived
connection: every request opens a read-only :class:`~factions.store.db.Store` (whose
``_connect`` retries while another process holds the write lock, e.g. a ``factions code`` run
committing a batch), reads and closes. In-process writes (uploads) take the exclusive side of a
readers-writer lock, so they never overlap a read-only connection of this process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from factions.store.db import Store


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class StoreAccess:
    """Opens the store per use: ``with access.read() as store: ...``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.lock = ReadWriteLock()

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only store for the duration of the block (retrying while a writer commits)."""
        with self.lock.reading():
            store = Store(self.path, read_only=True)
            try:
                yield store
            finally:
                store.close()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A read-write store, exclusive within this process (retrying while another process writes)."""
        with self.lock.writing():
            store = Store(self.path)
            try:
                yield store
            finally:
                store.close()
