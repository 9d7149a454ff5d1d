"""The local engine: every core of this machine, one spaCy pipeline per process.

spaCy's own ``nlp.pipe(n_process=...)`` cannot be used: it sends Docs between processes
without factions' per-document coding state (a Doc extension), so the work is split at the
Coder level instead. This process reads the inputs, drops documents the store already holds,
and streams bounded batches of Documents to a pool of worker processes, each with its own
Coder. A worker returns its batch's records as Arrow tables (built in the worker, so the
conversion runs in parallel); this process, the single DuckDB writer, bulk-loads each batch
in one transaction (:meth:`factions.store.db.Store.load_arrow`, the loader the Dask engine
uses too), in input order. At most ``2 x workers`` batches are in flight, so memory stays
bounded whatever the corpus size.

With one worker there is no pool: the run is :func:`factions.run.code_into_store`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from factions.errors import FactionsError
from factions.model import Document, IngestError
from factions.run import RunReport, batched, code_into_store, split
from factions.scale import EngineOptions, Progress
from factions.scale.staging import (Tables, code_chunk, concat, empty_tables, error_table, errors_of,
                                    to_tables)
from factions.scale.work import CodedBatch, coder_error, describe, init_worker, warm_up
from factions.store.db import Store


class WorkerPool:
    """A process pool of Coders that survives a worker dying.

    A worker killed under a batch (out of memory, a crash in native code) breaks a
    ProcessPoolExecutor for good; the batches it had are then coded again one document at a
    time in a fresh pool, so only a document that kills its worker again is lost, as an E608
    error row (likewise for any other failure of a batch's task).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # spawn, not fork: this process runs threads (rich's progress refresh, DuckDB) and
        # forking a threaded process can copy a held lock into the child. Not forkserver
        # either: its server outlives a killed run, and workers are then not our children, so
        # they could not notice our death (work.exit_with_parent).
        self._context = multiprocessing.get_context("spawn")
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=init_worker,
                                   initargs=(os.getpid(),))
        # One round trip before any document is sent: a pool that cannot start (the model is
        # not installed, the main script cannot be re-imported) must stop the run, not turn
        # every document into a "worker died" error.
        try:
            pool.submit(warm_up).result()
        except BrokenProcessPool as exc:
            pool.shutdown(wait=False, cancel_futures=True)
            raise FactionsError("E610", detail=str(exc)) from exc
        return pool

    def submit(self, items: list[tuple[int, Document]]) -> Future[Tables]:
        """Start coding (input position, document) pairs in a worker."""
        try:
            return self._pool.submit(code_chunk, items)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(code_chunk, items)

    def settle(self, future: Future[Tables], items: list[tuple[int, Document]], *,
               retry: bool = True) -> Tables:
        """The result of ``future``, re-coding ``items`` singly if its task failed.

        The coder's own exceptions never get here (work.code_batch turns them into error
        rows): this is a worker that died (BrokenProcessPool) or a result that could not be
        built or sent back.
        """
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - one document must not stop the run
            if not retry:  # this document alone failed in a fresh task
                failed = coder_error(items[0][1], f"worker failed: {describe(exc)}")
                return to_tables(CodedBatch(errors=[failed]), {})
        return concat([self.settle(self.submit([item]), [item], retry=False) for item in items])

    def close(self) -> None:
        # cancel_futures: on Ctrl-C nothing queued should start; workers get SIGINT themselves
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class _Pending:
    """One batch of the input stream on its way through the pool."""

    items: list[tuple[int, Document]]  # (input position, document) sent to be coded
    errors: list[IngestError]          # ingest errors the batch held
    size: int                          # input items (documents + errors), for progress
    future: Future[Tables] | None      # None when nothing in the batch needed coding

    def done(self) -> bool:
        return self.future is None or self.future.done()


class LocalEngine:
    """Code on all cores of this machine (``--engine local``)."""

    def run(self, inputs: Iterable[Document | IngestError], db: str | Path, options: EngineOptions,
            on_progress: Progress | None) -> RunReport:
        """Code ``inputs`` into ``db`` with ``options.workers`` processes (default: all cores)."""
        if options.scheduler:
            raise FactionsError("E603", name="--scheduler", detail="only the dask engine uses a scheduler")
        workers = options.worker_count()
        if workers == 1:
            return code_into_store(inputs, db, batch_size=options.batch_size, on_progress=on_progress,
                                   keep_ids=options.keep_ids)
        with WorkerPool(workers) as pool:
            return _PoolRun(pool, db, options, on_progress).run(inputs)


class _PoolRun:
    """The state of one pooled run: the batches in flight and the report."""

    def __init__(self, pool: WorkerPool, db: str | Path, options: EngineOptions,
                 on_progress: Progress | None) -> None:
        self.pool = pool
        self.db = db
        self.options = options
        self.on_progress = on_progress
        self.report = RunReport(keep_ids=options.keep_ids)
        self.window: deque[_Pending] = deque()
        self.in_flight: set[str] = set()   # ids sent to a worker and not stored yet
        # two batches per worker: one being coded, one queued, so no worker waits for us
        self.limit = 2 * pool.workers

    def run(self, inputs: Iterable[Document | IngestError]) -> RunReport:
        seq = 0  # input position of the next document (the loader keeps first copies by it)
        for chunk in batched(inputs, self.options.batch_size):
            docs, errors = split(chunk)
            self.report.read(docs, errors)
            # wait for room in the window; then ONE store session both writes what is done
            # (first, so those documents count as known) and filters this chunk
            ready = self._take_ready(block=len(self.window) >= self.limit)
            with Store(self.db) as store:
                self._write(store, ready)
                known = store.known_documents(d.id for d in docs)
            self._done(ready)
            fresh: dict[str, tuple[int, Document]] = {}
            for d in docs:
                if d.id not in known and d.id not in self.in_flight and d.id not in fresh:
                    fresh[d.id] = (seq, d)
                seq += 1
            self.report.known += len(docs) - len(fresh)
            self.in_flight.update(fresh)
            items = list(fresh.values())
            self.window.append(_Pending(items, errors, len(chunk), self.pool.submit(items) if items else None))
        while self.window:
            ready = self._take_ready(block=True)
            with Store(self.db) as store:
                self._write(store, ready)
            self._done(ready)
        return self.report

    def _take_ready(self, *, block: bool) -> list[tuple[_Pending, Tables]]:
        """The finished batches at the head of the window (waiting for one if ``block``).

        Batches leave the window in input order, so a document repeated later in the corpus
        is always stored from its first occurrence, as the in-process loop does.
        """
        ready: list[tuple[_Pending, Tables]] = []
        while self.window and (self.window[0].done() or (block and not ready)):
            pending = self.window.popleft()
            tables = (self.pool.settle(pending.future, pending.items) if pending.future is not None
                      else empty_tables())
            self.report.errors.extend(errors_of(tables))  # the coder's (E608); ingest ones are counted
            if pending.errors:
                tables = dict(tables, errors=pa.concat_tables([error_table(pending.errors), tables["errors"]]))
            ready.append((pending, tables))
        return ready

    def _write(self, store: Store, ready: list[tuple[_Pending, Tables]]) -> None:
        """Load each ready batch in its own transaction."""
        for _, tables in ready:
            self.report.coded += store.load_arrow(tables)

    def _done(self, ready: list[tuple[_Pending, Tables]]) -> None:
        for pending, _ in ready:
            self.in_flight.difference_update(d.id for _, d in pending.items)
            if self.on_progress is not None:
                self.on_progress(pending.size)
