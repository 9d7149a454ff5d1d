"""The Dask engine: the same coder on a LocalCluster or on any Dask cluster.

This process (the client) streams the input in chunks of ``batch_size`` documents, drops the
documents the store already holds (per chunk, before any parsing), and submits each chunk as
one Dask task. A task codes its chunk with its worker process's cached Coder (the spaCy
pipeline is loaded once per worker) and returns one Arrow table per record kind; the client
writes them to the Parquet staging folder next to the store (:mod:`factions.scale.staging`)
and, when the input is exhausted, bulk-loads the folder into DuckDB in one transaction
(:meth:`factions.store.db.Store.load_parquet`) and removes it.

Why futures and not a dask.bag: a bag's partitions must all exist when its graph is built, so
the client would have to hold the whole corpus (or an index of it); submitting chunks as the
input streams in, with at most ``2 x worker threads`` in flight, keeps memory bounded for any
corpus size, and lets each chunk be filtered against the store just before it is sent.

Why the client writes the Parquet files and not the workers: workers then need no filesystem
shared with the client (a Kubernetes cluster, a laptop talking to a remote scheduler); the
client only writes what it receives, which is small next to the cost of coding it.

A run that dies (Ctrl-C, kill -9, a lost scheduler) leaves complete chunks in the staging
folder; the next run on the same store loads them first, so only what is missing is coded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dask.config
import pyarrow as pa
from distributed import Client, Future, LocalCluster, as_completed

from factions.errors import FactionsError
from factions.model import Document, IngestError
from factions.run import RunReport, batched, split
from factions.scale import EngineOptions, Progress
from factions.scale.staging import (Staging, Tables, chunk_name, code_chunk, concat, empty_tables, error_table,
                                    errors_of, staging_dir, to_tables)
from factions.scale.work import CodedBatch, coder_error, describe
from factions.store.db import Store

#: seconds to wait for a --scheduler to answer before E602
CONNECT_TIMEOUT = 10

#: Dask settings for the LocalCluster this engine starts (a --scheduler's workers keep theirs;
#: docs/scale.md shows how to set the same there). Dask's nannies export
#: MALLOC_TRIM_THRESHOLD_=65536 to their workers, which makes glibc hand freed memory back to
#: the OS after every few small arrays: spaCy's network allocates and frees such arrays for
#: every batch, and coding ran ~12% slower per document (bench/RESULTS.md, "## Scale"). None
#: unsets it; a value the user exported still wins. The 10 ms stack sampler of the worker
#: profiler competes for the GIL with the coder and nobody reads its output here.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}


@contextmanager
def connect(options: EngineOptions) -> Iterator[Client]:
    """A client on ``options.scheduler`` (E602 when unreachable), or on a new LocalCluster.

    The LocalCluster has ``options.workers`` worker processes (default: all cores), one thread
    each: the coder is CPU-bound Python, so threads would only contend for the GIL.
    """
    if options.scheduler:
        if options.workers:
            raise FactionsError("E603", name="--workers",
                                detail="the cluster at --scheduler decides its own workers")
        try:
            client = Client(options.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError (a bad address)
            raise FactionsError("E602", address=options.scheduler, detail=describe(exc)) from exc
        with client:
            yield client
        return
    # on loopback only, the HTTP/dashboard server on any free port (8787 may be taken)
    with dask.config.set(LOCAL_CLUSTER_CONFIG), LocalCluster(n_workers=options.worker_count(), threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster, set_as_default=False) as client:
        yield client


@dataclass(slots=True)
class _Chunk:
    """One chunk of the input on its way through the cluster."""

    name: str                              # staging file name (stable hash of the input chunk)
    items: list[tuple[int, Document]]      # (input position, document) sent to be coded
    errors: list[IngestError]              # ingest errors the chunk held
    size: int                              # input items, for progress


class DaskEngine:
    """Code on a Dask cluster (``--engine dask``)."""

    def run(self, inputs: Iterable[Document | IngestError], db: str | Path, options: EngineOptions,
            on_progress: Progress | None) -> RunReport:
        """Code ``inputs`` into ``db`` on Dask; the store ends as the local engine leaves it."""
        staging = Staging(staging_dir(db))
        with staging.locked():
            try:
                with connect(options) as client:
                    salvage(staging, db)
                    report = _DaskRun(client, staging, db, options, on_progress).run(inputs)
                with Store(db) as store:
                    report.coded = store.load_parquet(staging.complete_files())
            except BaseException:
                if not staging.has_chunks():  # nothing to resume from: leave no folder behind
                    staging.remove()
                raise
            staging.remove()
        return report


def salvage(staging: Staging, db: str | Path) -> int:
    """Load the complete chunks an interrupted run left in ``staging``; return the documents."""
    if not staging.has_chunks():
        staging.clear()
        return 0
    with Store(db) as store:
        loaded = store.load_parquet(staging.complete_files())
    staging.clear()
    return loaded


class _DaskRun:
    """The state of one run: chunks in flight, the input position, the report."""

    def __init__(self, client: Client, staging: Staging, db: str | Path, options: EngineOptions,
                 on_progress: Progress | None) -> None:
        self.client = client
        self.staging = staging
        self.db = db
        self.options = options
        self.on_progress = on_progress
        self.report = RunReport(keep_ids=options.keep_ids)
        self.active: dict[Future, _Chunk] = {}
        self.completed = as_completed(loop=client.loop)  # yields each future as it finishes
        self.in_flight: set[str] = set()   # ids submitted and not staged yet
        self.seq = 0                       # input position of the next document
        self.token = uuid.uuid4().hex[:8]  # task keys unique to this run

    def run(self, inputs: Iterable[Document | IngestError]) -> RunReport:
        for chunk in batched(inputs, self.options.batch_size):
            docs, errors = split(chunk)
            self.report.read(docs, errors)
            name = chunk_name(docs, errors)
            with Store(self.db) as store:
                known = store.known_documents(d.id for d in docs)
            fresh: dict[str, tuple[int, Document]] = {}
            for d in docs:
                if d.id not in known and d.id not in self.in_flight and d.id not in fresh:
                    fresh[d.id] = (self.seq, d)
                self.seq += 1
            self.report.known += len(docs) - len(fresh)
            job = _Chunk(name, list(fresh.values()), errors, len(chunk))
            if not job.items:
                self._stage(job, empty_tables())
                continue
            self.in_flight.update(fresh)
            future = self.client.submit(code_chunk, job.items, key=f"factions-code-{name}-{self.token}")
            self.active[future] = job
            self.completed.add(future)
            while len(self.active) >= self._limit():
                self._collect(next(self.completed))
        for future in self.completed:
            self._collect(future)
        return self.report

    def _limit(self) -> int:
        # two chunks per worker thread: one running, one queued; re-read each time because a
        # scheduler's workers can come and go (adaptive dask-jobqueue / Kubernetes clusters)
        return 2 * max(1, sum(self.client.nthreads().values()))

    def _collect(self, future: Future) -> None:
        job = self.active.pop(future)
        try:
            tables = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker, not the coder (it never raises)
            tables = self._singly(job, exc)
        self._stage(job, tables)
        self.in_flight.difference_update(d.id for _, d in job.items)

    def _singly(self, job: _Chunk, exc: Exception) -> Tables:
        """Code a chunk whose task failed (its worker died, KilledWorker) one document at a time."""
        if self.client.status != "running":
            raise FactionsError("E602", address=self.options.scheduler or "LocalCluster",
                                detail=describe(exc)) from exc
        coded = CodedBatch()
        tables: list[Tables] = []
        for seq, document in job.items:
            try:
                tables.append(self.client.submit(code_chunk, [(seq, document)], pure=False).result())
            except Exception as single:  # noqa: BLE001 - this document fails its task again
                coded.errors.append(coder_error(document, f"worker failed: {describe(single)}"))
        return concat([*tables, to_tables(coded, {})])

    def _stage(self, job: _Chunk, tables: Tables) -> None:
        self.report.errors.extend(errors_of(tables))  # the coder's (E608); ingest ones are counted
        if job.errors:
            tables = dict(tables, errors=pa.concat_tables([error_table(job.errors), tables["errors"]]))
        if job.items or job.errors:
            self.staging.write(job.name, tables)
        if self.on_progress is not None:
            self.on_progress(job.size)
