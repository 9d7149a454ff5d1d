"""The unit of work every engine runs: code a batch of documents, never letting one break it.

:func:`code_batch` is what the in-process path, each local pool worker and each Dask task
call. A document that makes the coder raise (spaCy's length limit, a bug in a component, a
MemoryError) becomes an :class:`~factions.model.IngestError` with code E608 instead of
failing its batch: the batch is coded again one document at a time to find the culprit.
:func:`worker_coder` keeps one Coder (one spaCy pipeline) per process, so a worker loads the
model once however many batches it codes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from factions.coder import Coder
from factions.ingest.readers import error
from factions.model import CodedDocument, Document, IngestError


@dataclass(slots=True)
class CodedBatch:
    """What coding a batch produced: the coded documents and the documents that failed."""

    coded: list[CodedDocument] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    def extend(self, other: "CodedBatch") -> None:
        self.coded.extend(other.coded)
        self.errors.extend(other.errors)


def coder_error(document: Document, detail: str) -> IngestError:
    """The E608 error row for a document the coder (or its worker process) failed on."""
    # Documents read from a record file carry their record id in source_id; a document coded
    # from bare text has no path, so its content hash is the only way to point at it.
    return error(document.path or document.id, "E608", source_id=document.source_id, detail=detail)


def describe(exc: BaseException) -> str:
    """One line naming an exception (spaCy's messages run over several lines)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def code_batch(coder: Coder, documents: Sequence[Document]) -> CodedBatch:
    """Code ``documents`` in order; a document the coder raises on becomes an E608 error."""
    try:
        return CodedBatch(list(coder.code_documents(documents)))
    except Exception as exc:  # noqa: BLE001 - one bad document must not fail its batch
        if len(documents) == 1:
            return CodedBatch(errors=[coder_error(documents[0], describe(exc))])
    # nlp.pipe cannot resume after an exception: code each document alone to find the bad ones
    out = CodedBatch()
    for document in documents:
        out.extend(code_batch(coder, [document]))
    return out


@cache
def worker_coder() -> Coder:
    """This process's Coder, built on first use (loading the pipeline takes about a second)."""
    return Coder()


def code_in_worker(documents: Sequence[Document]) -> CodedBatch:
    """:func:`code_batch` with this process's cached Coder (the function pool workers run)."""
    return code_batch(worker_coder(), documents)


def warm_up() -> None:
    """Load the pipeline now, so the first batch does not pay for it."""
    worker_coder()


def init_worker(parent: int) -> None:
    """Pool worker initializer: follow the parent (pid ``parent``) out, then load the pipeline."""
    exit_with_parent(parent)
    warm_up()


def exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """Exit this process when its parent, pid ``parent``, dies.

    A pool worker waits on its task queue forever: if the run is killed (kill -9, an OOM kill)
    nothing would ever stop it, and each orphan holds a spaCy pipeline (~350 MB). A daemon
    thread polls the parent id, which changes when the parent dies and the worker is
    re-parented. ``parent`` is passed in rather than read here, because the parent may already
    be gone by the time a starting worker gets this far.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="factions-exit-with-parent", daemon=True).start()
