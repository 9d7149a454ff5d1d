"""Coding runs: read inputs, code what the store does not have yet, store it batch by batch.

This is the library behind ``factions code``. A run is resumable and idempotent: documents are
keyed by content hash, already-stored ones are skipped before any parsing, and each batch is
written in its own transaction, so an interrupted run loses at most the batch in flight and a
re-run completes it. Each batch opens and closes the store, so another process (the web app)
can read between batches under DuckDB's one-writer rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factions.coder import Coder
from factions.ingest import iter_inputs
from factions.model import CodedDocument, Document, IngestError
from factions.store.db import Store

Progress = Callable[[int], None]


@dataclass(slots=True)
class RunReport:
    """What a run did."""

    doc_ids: list[str] = field(default_factory=list)   # every document the inputs held, in order
    coded: int = 0                                      # newly coded and stored
    known: int = 0                                      # already in the store: skipped
    errors: list[IngestError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass(slots=True)
class InputOptions:
    """How to read inputs (field names for .jsonl/.csv/.parquet, size limit)."""

    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    max_chars: int = 5_000_000

    def read(self, paths: Iterable[str | Path]) -> Iterator[Document | IngestError]:
        return iter_inputs(paths, text_field=self.text_field, id_field=self.id_field,
                           title_field=self.title_field, date_field=self.date_field,
                           url_field=self.url_field, max_chars=self.max_chars)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def code_into_store(inputs: Iterable[Document | IngestError], db: str | Path, *,
                    coder: Coder | None = None, batch_size: int = 64,
                    on_progress: Progress | None = None) -> RunReport:
    """Code a stream of documents (and pass through ingest errors) into the store at ``db``."""
    report = RunReport()
    coder = coder or Coder()
    for chunk in batched(inputs, batch_size):
        docs = [d for d in chunk if isinstance(d, Document)]
        errors = [e for e in chunk if isinstance(e, IngestError)]
        report.errors.extend(errors)
        report.doc_ids.extend(d.id for d in docs)
        with Store(db) as store:
            known = store.known_documents(d.id for d in docs)
        fresh: dict[str, Document] = {}
        for d in docs:
            if d.id not in known:
                fresh.setdefault(d.id, d)
        coded: list[CodedDocument] = list(coder.code_documents(fresh.values())) if fresh else []
        with Store(db) as store:
            report.coded += store.add(coded)
            store.add_errors(errors)
        report.known += len(docs) - len(fresh)
        if on_progress is not None:
            on_progress(len(chunk))
    return report


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
