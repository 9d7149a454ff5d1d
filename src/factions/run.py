"""Coding runs: read inputs, code what the store does not have yet, store it batch by batch.

This is the library behind ``factions code``. A run is resumable and idempotent: documents are
keyed by content hash, already-stored ones are skipped before any parsing, and each batch is
written in its own transaction, so an interrupted run loses at most the batch in flight and a
re-run completes it. Each batch opens and closes the store, so another process (the web app)
can read between batches under DuckDB's one-writer rule.

:func:`code_paths` runs a whole corpus on one of the engines in :mod:`factions.scale` (a local
process pool or Dask); :func:`code_into_store` is the single-process loop they build on.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factions.coder import Coder
from factions.ingest.readers import Options as InputOptions
from factions.model import Document, IngestError
from factions.scale.work import code_batch
from factions.store.db import Store

Progress = Callable[[int], None]


@dataclass(slots=True)
class RunReport:
    """What a run did."""

    doc_ids: list[str] = field(default_factory=list)   # every document the inputs held, in order
    coded: int = 0                                      # newly coded and stored
    known: int = 0                                      # already in the store: skipped
    errors: list[IngestError] = field(default_factory=list)
    documents: int = 0                                  # documents read (with repeats)
    keep_ids: bool = True                               # False: leave doc_ids empty (huge corpora)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def read(self, docs: Sequence[Document], errors: Sequence[IngestError]) -> None:
        """Count a chunk of the input stream."""
        self.documents += len(docs)
        if self.keep_ids:
            self.doc_ids.extend(d.id for d in docs)
        self.errors.extend(errors)


def split(chunk: Iterable[Document | IngestError]) -> tuple[list[Document], list[IngestError]]:
    """The documents and the ingest errors of a chunk of the input stream."""
    docs: list[Document] = []
    errors: list[IngestError] = []
    for item in chunk:
        (docs if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return docs, errors


def add_new_errors(store: Store, errors: Sequence[IngestError]) -> None:
    """Add the errors ``store`` does not hold yet, so a re-run does not repeat its error rows.

    Two errors are the same when path, source id, code and message are; the errors table of
    a store is then the same whichever engine, and however many runs, filled it.
    """
    if not errors:
        return
    paths = sorted({e.path for e in errors})
    rows = store.con.execute("SELECT path, source_id, code, message FROM errors WHERE path IN (SELECT unnest(?))",
                             [paths]).fetchall()
    seen = set(rows)
    new: list[IngestError] = []
    for e in errors:
        key = (e.path, e.source_id, e.code, e.message)
        if key not in seen:
            seen.add(key)
            new.append(e)
    store.add_errors(new)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def code_into_store(inputs: Iterable[Document | IngestError], db: str | Path, *,
                    coder: Coder | None = None, batch_size: int = 64,
                    on_progress: Progress | None = None, keep_ids: bool = True) -> RunReport:
    """Code a stream of documents (and pass through ingest errors) into the store at ``db``.

    Runs in this process. A document the coder raises on is stored as an E608 error row and
    the run goes on; error rows the store already holds are not added again.
    """
    report = RunReport(keep_ids=keep_ids)
    coder = coder or Coder()
    for chunk in batched(inputs, batch_size):
        docs, errors = split(chunk)
        report.read(docs, errors)
        with Store(db) as store:
            known = store.known_documents(d.id for d in docs)
        fresh: dict[str, Document] = {}
        for d in docs:
            if d.id not in known:
                fresh.setdefault(d.id, d)
        batch = code_batch(coder, list(fresh.values()))
        report.errors.extend(batch.errors)
        with Store(db) as store:
            report.coded += store.add(batch.coded)
            add_new_errors(store, errors + batch.errors)
        report.known += len(docs) - len(fresh)
        if on_progress is not None:
            on_progress(len(chunk))
    return report


def code_paths(paths: Sequence[str | Path], db: str | Path, *, engine: str = "local",
               inputs: InputOptions | None = None, workers: int | None = None,
               scheduler: str | None = None, batch_size: int = 64,
               on_progress: Progress | None = None, keep_ids: bool = True) -> RunReport:
    """Code files and folders into the store at ``db`` on the named engine ("local" or "dask").

    ``workers`` defaults to all cores; ``scheduler`` (dask only) is the address of a running
    Dask scheduler to use instead of a LocalCluster. Whatever the engine, the store ends the
    same. See :mod:`factions.scale`.
    """
    from factions.scale import EngineOptions, get_engine

    options = EngineOptions(workers=workers, scheduler=scheduler, batch_size=batch_size, keep_ids=keep_ids)
    chosen = get_engine(engine)  # an unknown name fails before any input is read
    return chosen.run((inputs or InputOptions()).read(paths), db, options, on_progress)


def results(db: str | Path, doc_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The stored records of the given documents, as the JSON object ``factions code`` prints."""
    from factions.network.relations import build_relations

    ids = list(dict.fromkeys(doc_ids))
    with Store(db, read_only=True) as store:
        events = store.events(ids)
        figures = store.figures(ids)
        actors = store.actors(store.actor_ids_in(ids))
        documents = store.document_summaries(ids)
    relations = build_relations(events)
    return {
        "documents": documents,
        "actors": [a.to_dict() for a in actors],
        "events": [e.to_dict() for e in events],
        "figures": [f.to_dict() for f in figures],
        "relations": [r.to_dict() for r in relations],
    }
