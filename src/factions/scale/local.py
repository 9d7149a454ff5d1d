"""The local engine: every core of this machine, one spaCy pipeline per process.

spaCy's own ``nlp.pipe(n_process=...)`` cannot be used: it sends Docs between processes
without factions' per-document coding state (a Doc extension), so the work is split at the
Coder level instead. This process reads the inputs, drops documents the store already holds,
and streams bounded batches of Documents to a pool of worker processes, each with its own
Coder; CodedDocuments come back and this process, the single DuckDB writer, stores each
batch in one transaction, in input order. At most ``2 x workers`` batches are in flight, so
memory stays bounded whatever the corpus size.

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

from factions.errors import FactionsError
from factions.model import Document, IngestError
from factions.run import RunReport, add_new_errors, batched, code_into_store, split
from factions.scale import EngineOptions, Progress
from factions.scale.work import CodedBatch, code_in_worker, coder_error, init_worker, warm_up
from factions.store.db import Store


class WorkerPool:
    """A process pool of Coders that survives a worker dying.

    A worker killed under a batch (out of memory, a crash in native code) breaks a
    ProcessPoolExecutor for good; the batches it had are then coded again one document at a
    time in a fresh pool, so only a document that kills its worker again is lost, as an E608
    error row.
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

    def submit(self, documents: list[Document]) -> Future[CodedBatch]:
        """Start coding ``documents`` in a worker."""
        try:
            return self._pool.submit(code_in_worker, documents)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(code_in_worker, documents)

    def settle(self, future: Future[CodedBatch], documents: list[Document], *,
               retry: bool = True) -> CodedBatch:
        """The result of ``future``, re-coding ``documents`` singly if its worker died."""
        try:
            return future.result()
        except BrokenProcessPool as exc:
            if not retry:  # this document alone killed a fresh worker
                return CodedBatch(errors=[coder_error(documents[0], f"worker process died ({exc})")])
        out = CodedBatch()
        for document in documents:
            out.extend(self.settle(self.submit([document]), [document], retry=False))
        return out

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

    documents: list[Document]          # the ones sent to be coded (new to the store)
    errors: list[IngestError]          # ingest errors the batch held
    items: int                         # input items (documents + errors), for progress
    future: Future[CodedBatch] | None  # None when nothing in the batch needed coding

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
        for chunk in batched(inputs, self.options.batch_size):
            docs, errors = split(chunk)
            self.report.read(docs, errors)
            self._store_ready(block=False)   # first, so their documents count as known below
            with Store(self.db) as store:
                known = store.known_documents(d.id for d in docs)
            fresh: dict[str, Document] = {}
            for d in docs:
                if d.id not in known and d.id not in self.in_flight:
                    fresh.setdefault(d.id, d)
            self.report.known += len(docs) - len(fresh)
            self.in_flight.update(fresh)
            batch = list(fresh.values())
            self.window.append(_Pending(batch, errors, len(chunk), self.pool.submit(batch) if batch else None))
            while len(self.window) > self.limit:
                self._store_ready(block=True)
        while self.window:
            self._store_ready(block=True)
        return self.report

    def _store_ready(self, *, block: bool) -> None:
        """Store the finished batches at the head of the window (waiting for one if ``block``).

        Batches are stored in input order, so a document repeated later in the corpus is
        always stored from its first occurrence, as the in-process loop does.
        """
        ready: list[tuple[_Pending, CodedBatch]] = []
        while self.window and (self.window[0].done() or (block and not ready)):
            pending = self.window.popleft()
            coded = (self.pool.settle(pending.future, pending.documents) if pending.future is not None
                     else CodedBatch())
            ready.append((pending, coded))
        if not ready:
            return
        with Store(self.db) as store:
            for pending, coded in ready:
                self.report.errors.extend(coded.errors)
                self.report.coded += store.add(coded.coded)
                add_new_errors(store, pending.errors + coded.errors)
        for pending, _ in ready:
            self.in_flight.difference_update(d.id for d in pending.documents)
            if self.on_progress is not None:
                self.on_progress(pending.items)
