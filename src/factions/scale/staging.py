"""Parquet staging for the Dask engine: coded chunks on disk until one bulk load into DuckDB.

Layout, next to the store ``news.duckdb``::

    news.duckdb.staging/
        .lock                       held (flock) by the run using this folder
        errors/<chunk>.parquet      one file per kind per input chunk; <chunk> is a stable
        actors/<chunk>.parquet      hash of the chunk's document ids and errors, so coding the
        mentions/<chunk>.parquet    same chunk again overwrites its files instead of adding
        events/<chunk>.parquet      a second copy
        figures/<chunk>.parquet
        documents/<chunk>.parquet   written LAST: a chunk is complete iff this file exists

Every file is written to ``*.tmp`` and renamed, so a killed run leaves whole files only, and
because ``documents`` is written last a chunk whose documents file exists has all its other
files too. :meth:`Staging.complete_files` lists only complete chunks; anything else a killed run
left is ignored and removed with the folder.

Rows carry ``_seq`` (the document's position in the run's input) so the loader can keep one
copy of a document staged twice (a text repeated far apart in a corpus) and merge actors in
input order, exactly as :meth:`factions.store.db.Store.add` would. Document rows also carry
their ``codings`` counts (what ``factions check`` verifies), computed as Store.add computes them.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from factions.errors import FactionsError
from factions.model import Document, IngestError
from factions.scale.work import CodedBatch, code_in_worker
from factions.store.db import _coding_row as coding_row

_S, _I, _F = pa.string(), pa.int64(), pa.float64()
_LOC = [("loc_name", _S), ("loc_country", _S), ("loc_lat", _F), ("loc_lon", _F), ("loc_kind", _S)]

#: The staged columns of each record kind (the store's columns plus the loader's _seq/_ord).
SCHEMAS: dict[str, pa.Schema] = {
    "errors": pa.schema([("path", _S), ("source_id", _S), ("code", _S), ("message", _S)]),
    "actors": pa.schema([("id", _S), ("name", _S), ("kind", _S), ("country", _S), ("sector", _S),
                         ("aliases", pa.list_(_S)), ("mentions", _I), ("affiliation", _S),
                         ("doc_id", _S), ("_seq", _I), ("_ord", _I)]),
    "mentions": pa.schema([("doc_id", _S), ("actor_id", _S), ("text", _S), ("start", _I), ("end", _I),
                           ("how", _S), ("_seq", _I)]),
    "events": pa.schema([("id", _S), ("doc_id", _S), ("type", _S), ("source", _S), ("target", _S),
                         ("mode", _S), ("modality", _S), *_LOC, ("date", _S), ("text", _S),
                         ("start", _I), ("end", _I), ("trigger", _S), ("trigger_start", _I),
                         ("trigger_end", _I), ("source_text", _S), ("target_text", _S),
                         ("confidence", _F), ("_seq", _I)]),
    "figures": pa.schema([("id", _S), ("doc_id", _S), ("category", _S), ("value", _I), ("qualifier", _S),
                          *_LOC, ("attributed_to", _S), ("text", _S), ("start", _I), ("end", _I),
                          ("span_start", _I), ("span_end", _I), ("_seq", _I)]),
    # _mentions/_events/_figures: the document's codings row (what its coding holds)
    "documents": pa.schema([("id", _S), ("path", _S), ("source_id", _S), ("title", _S), ("date", _S),
                            ("url", _S), ("length", _I), ("text", _S), ("_seq", _I), ("_mentions", _I),
                            ("_events", _I), ("_figures", _I)]),
}
#: Write order: documents last, it marks the chunk complete.
KINDS: tuple[str, ...] = tuple(SCHEMAS)

Tables = dict[str, pa.Table]


def chunk_name(documents: Sequence[Document], errors: Sequence[IngestError]) -> str:
    """A stable name for an input chunk: the same documents and errors give the same name."""
    h = hashlib.blake2b(digest_size=12)
    for d in documents:
        h.update(d.id.encode() + b"\n")
    for e in errors:
        h.update(f"{e.path}\x1f{e.source_id}\x1f{e.code}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def to_tables(batch: CodedBatch, seqs: dict[str, int]) -> Tables:
    """A coded batch as one Arrow table per kind; ``seqs`` maps document id -> input position.

    Built column by column with getattr: dataclasses.asdict deep-copies every record and was
    most of the cost of this step.
    """
    cols = {kind: {name: [] for name in SCHEMAS[kind].names} for kind in KINDS}

    def put(kind: str, record: object, **extra: object) -> None:
        for name, values in cols[kind].items():
            if name in extra:
                values.append(extra[name])
            elif name.startswith("loc_"):
                loc = record.location  # type: ignore[attr-defined]
                values.append(getattr(loc, name[4:]) if loc is not None else None)
            else:
                values.append(getattr(record, name))

    for c in batch.coded:
        doc_id = c.document.id
        seq = seqs[doc_id]
        counts = coding_row(c)
        put("documents", c.document, length=c.document.length, _seq=seq, _mentions=counts["mentions"],
            _events=counts["events"], _figures=counts["figures"])
        for i, a in enumerate(c.actors):
            put("actors", a, doc_id=doc_id, _seq=seq, _ord=i)
        for m in c.mentions:
            put("mentions", m, _seq=seq)
        for e in c.events:
            put("events", e, _seq=seq)
        for f in c.figures:
            put("figures", f, _seq=seq)
    for e in batch.errors:
        put("errors", e)
    return {kind: pa.Table.from_pydict(cols[kind], schema=SCHEMAS[kind]) for kind in KINDS}


def code_chunk(items: list[tuple[int, Document]]) -> Tables:
    """The worker's task in both engines: code (input position, document) pairs into tables."""
    seqs = {d.id: seq for seq, d in items}
    return to_tables(code_in_worker([d for _, d in items]), seqs)


def concat(parts: Sequence[Tables]) -> Tables:
    """One set of tables from several (a chunk re-coded piece by piece)."""
    return {kind: pa.concat_tables([p[kind] for p in parts]) for kind in KINDS}


def errors_of(tables: Tables) -> list[IngestError]:
    return [IngestError.from_dict(r) for r in tables["errors"].to_pylist()]


def error_table(errors: Sequence[IngestError]) -> pa.Table:
    return pa.Table.from_pylist([e.to_dict() for e in errors], schema=SCHEMAS["errors"])


def empty_tables() -> Tables:
    return {kind: SCHEMAS[kind].empty_table() for kind in KINDS}


def staging_dir(db: str | Path) -> Path:
    """The staging folder of the store at ``db``: ``<db>.staging`` beside it."""
    return Path(f"{db}.staging")


class Staging:
    """The staging folder of one store."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @contextmanager
    def locked(self) -> Iterator["Staging"]:
        """Hold the folder's lock for a run (E609 when another run holds it)."""
        for _ in range(3):  # the folder may vanish between mkdir and open (a run finishing)
            self.root.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(self.root / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
                break
            except FileNotFoundError:
                continue
        else:
            raise FactionsError("E609", path=str(self.root))
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise FactionsError("E609", path=str(self.root)) from exc
                raise
            yield self
        finally:
            os.close(fd)  # closing releases the lock

    def write(self, name: str, tables: Tables) -> None:
        """Write one chunk's tables, each file atomically, the documents file last."""
        for kind in KINDS:
            folder = self.root / kind
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{name}.parquet.tmp"
            pq.write_table(tables[kind], tmp)
            os.replace(tmp, folder / f"{name}.parquet")

    def complete_files(self) -> dict[str, list[str]]:
        """Kind -> the Parquet files of every complete chunk (sorted by chunk name)."""
        docs = self.root / "documents"
        names = sorted(p.name for p in docs.glob("*.parquet")) if docs.is_dir() else []
        return {kind: [str(self.root / kind / n) for n in names] for kind in KINDS}

    def has_chunks(self) -> bool:
        return bool(self.complete_files()["documents"])

    def clear(self) -> None:
        """Remove every staged file (after they are loaded), keeping the folder and its lock."""
        for kind in KINDS:
            shutil.rmtree(self.root / kind, ignore_errors=True)

    def remove(self) -> None:
        """Remove the folder itself (the end of a successful run)."""
        shutil.rmtree(self.root, ignore_errors=True)
