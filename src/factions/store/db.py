"""The embedded DuckDB store: one table per record kind, written in transactions.

A document is keyed by the hash of its text, so coding the same text twice stores it once.
Everything coded from a batch of documents (documents, mentions, events, figures and the actor
upserts they imply) is written in ONE transaction: a crash leaves the store as it was before
the batch or after it, never half-way.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from factions.errors import FactionsError
from factions.model import (Actor, CodedDocument, Document, Event, Figure, IngestError, Location,
                            Mention, merge_actors)
from factions.store import migrations

LOC_FIELDS = ("name", "country", "lat", "lon", "kind")
#: How an actor already in the store absorbs a new record of itself: aliases unioned, mention
#: counts summed, the first known country/sector/affiliation kept (one rule for every loader).
ACTOR_MERGE = """ON CONFLICT (id) DO UPDATE SET
                aliases = list_distinct(list_concat(actors.aliases, excluded.aliases)),
                mentions = actors.mentions + excluded.mentions,
                country = coalesce(actors.country, excluded.country),
                sector = coalesce(actors.sector, excluded.sector),
                affiliation = coalesce(actors.affiliation, excluded.affiliation)"""


def _flatten_location(row: dict[str, Any]) -> dict[str, Any]:
    loc = row.pop("location", None) or {}
    for f in LOC_FIELDS:
        row[f"loc_{f}"] = loc.get(f)
    return row


def _unflatten_location(row: dict[str, Any]) -> dict[str, Any]:
    loc = {f: row.pop(f"loc_{f}", None) for f in LOC_FIELDS}
    row["location"] = Location(**loc) if loc["name"] else None
    return row


def event_row(e: Event) -> dict[str, Any]:
    return _flatten_location(e.to_dict())


def figure_row(f: Figure) -> dict[str, Any]:
    return _flatten_location(f.to_dict())


def row_to_event(row: dict[str, Any]) -> Event:
    return Event.from_dict(_unflatten_location(dict(row)))


def row_to_figure(row: dict[str, Any]) -> Figure:
    return Figure.from_dict(_unflatten_location(dict(row)))


def wait_marker(path: str | Path) -> Path:
    """The file a waiting writer touches (see :meth:`Store._connect`)."""
    return Path(f"{path}.wait")


class Store:
    """A factions DuckDB file.

    >>> with Store("factions.duckdb") as store:
    ...     store.add([coded_document])
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, retries: int = 50) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise FactionsError("E305", path=self.path)
        self.con = self._connect(retries)
        if not read_only:
            migrations.apply(self.con)

    def _connect(self, retries: int) -> duckdb.DuckDBPyConnection:
        # DuckDB allows one writing process per file; another process holding the lock is
        # usually brief (a batch commit), so wait a little before giving up. A writer that has
        # to wait also touches the wait marker, so that a reader keeping the file open on
        # purpose (the web app, factions.web.access) lets go of it.
        last: Exception | None = None
        for attempt in range(max(1, retries)):
            try:
                return duckdb.connect(self.path, read_only=self.read_only)
            except duckdb.IOException as exc:
                last = exc
                if "lock" not in str(exc).lower():
                    raise FactionsError("E300", path=self.path, detail=str(exc).splitlines()[0]) from exc
                if not self.read_only:
                    self._signal_waiting()
                time.sleep(min(0.05 * (attempt + 1), 0.5))
            except duckdb.Error as exc:
                raise FactionsError("E300", path=self.path, detail=str(exc).splitlines()[0]) from exc
        raise FactionsError("E301", path=self.path, detail=str(last).splitlines()[0])

    def _signal_waiting(self) -> None:
        """Touch ``<path>.wait`` (best effort): a writer is waiting for the file."""
        try:
            wait_marker(self.path).touch()
        except OSError:
            pass

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------------------
    def known_documents(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0] for r in rows}

    def add(self, coded: Sequence[CodedDocument]) -> int:
        """Store a batch of coded documents in one transaction; return how many were new."""
        with self.transaction() as con:
            known = self.known_documents(c.document.id for c in coded)
            fresh: list[CodedDocument] = []
            seen: set[str] = set()
            for c in coded:
                if c.document.id in known or c.document.id in seen:
                    continue
                seen.add(c.document.id)
                fresh.append(c)
            if not fresh:
                return 0
            now = datetime.now(timezone.utc)
            docs = [dict(_doc_row(c.document), coded_at=now) for c in fresh]
            self._insert(con, "documents", docs)
            self._insert(con, "mentions", [m.to_dict() for c in fresh for m in c.mentions])
            self._insert(con, "events", [event_row(e) for c in fresh for e in c.events], ignore=True)
            self._insert(con, "figures", [figure_row(f) for c in fresh for f in c.figures], ignore=True)
            self._upsert_actors(con, merge_actors(a for c in fresh for a in c.actors))
            # in the same transaction: what each document's coding holds (factions check)
            self._insert(con, "codings", [_coding_row(c) for c in fresh])
        return len(fresh)

    def load_parquet(self, files: Mapping[str, Sequence[str]]) -> int:
        """Bulk-load staged Parquet files in one transaction; return how many documents were new.

        ``files`` maps a record kind (documents, actors, mentions, events, figures, errors) to
        Parquet files in the staging format (see :meth:`load_arrow`).
        """
        def relation(paths: Sequence[str]) -> str:
            return "read_parquet([" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "])"

        return self._load({kind: relation(paths) for kind, paths in files.items() if paths})

    def load_arrow(self, tables: Mapping[str, pa.Table]) -> int:
        """Bulk-load Arrow tables in one transaction; return how many documents were new.

        ``tables`` maps a record kind (documents, actors, mentions, events, figures, errors) to
        a table with that store table's columns, plus ``_seq`` (the document's position in the
        input) on documents, actors, mentions, events and figures, ``doc_id`` and ``_ord``
        (position within the document) on actors, and the codings counts ``_mentions``,
        ``_events``, ``_figures`` on documents (:mod:`factions.scale.staging` makes them).
        The result is what :meth:`add` would store for the same documents in input order:
        documents already stored are skipped with all their records, a document given twice
        is taken once (its first copy), events and figures are insert-or-ignore, and actors
        are merged (aliases unioned, mention counts summed, first non-null country, sector and
        affiliation) and upserted as in :meth:`add`. Errors the store already holds (same path,
        source id, code and message) are not added again.
        """
        names = {kind: f"_load_src_{kind}" for kind, table in tables.items() if table.num_rows}
        for kind, name in names.items():
            self.con.register(name, tables[kind])
        try:
            return self._load(names)
        finally:
            for name in names.values():
                self.con.unregister(name)

    def _load(self, sources: Mapping[str, str]) -> int:
        """The bulk load behind :meth:`load_parquet` and :meth:`load_arrow`; ``sources`` maps a
        kind to a SQL relation (a table name or a read_parquet call) in the staging format."""
        # naive UTC: the TIMESTAMP add() stores for its timezone-aware now()
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        new = 0
        with self.transaction() as con:
            if (docs := sources.get("documents")) is not None:
                # the copy of each new document to keep: its first occurrence in the input
                con.execute(f"""
                    CREATE OR REPLACE TEMP TABLE _load_new AS
                    SELECT id, min(_seq) AS _seq FROM {docs}
                    WHERE id NOT IN (SELECT id FROM documents) GROUP BY id""")
                keep = "SEMI JOIN _load_new n ON d.id = n.id AND d._seq = n._seq"
                con.execute(f"""
                    INSERT INTO documents BY NAME
                    SELECT d.* EXCLUDE (_seq, _mentions, _events, _figures), ?::TIMESTAMP AS coded_at
                    FROM {docs} d {keep}""", [now])
                # in the same transaction, as add() does: what each document's coding holds
                con.execute(f"""
                    INSERT INTO codings BY NAME
                    SELECT d.id AS doc_id, d._mentions AS mentions, d._events AS events,
                           d._figures AS figures
                    FROM {docs} d {keep}""")
                new = con.execute("SELECT count(*) FROM _load_new").fetchone()[0]  # type: ignore[index]
                for kind, verb in (("mentions", "INSERT"), ("events", "INSERT OR IGNORE"),
                                   ("figures", "INSERT OR IGNORE")):
                    if (src := sources.get(kind)) is not None:
                        con.execute(f"""
                            {verb} INTO {kind} BY NAME SELECT r.* EXCLUDE (_seq)
                            FROM {src} r SEMI JOIN _load_new n ON r.doc_id = n.id AND r._seq = n._seq""")
                if (src := sources.get("actors")) is not None:
                    self._load_actors(con, src)
                con.execute("DROP TABLE _load_new")
            if (src := sources.get("errors")) is not None:
                con.execute(f"""
                    INSERT INTO errors BY NAME
                    SELECT DISTINCT s.path, s.source_id, s.code, s.message, ?::TIMESTAMP AS "at" FROM {src} s
                    WHERE NOT EXISTS (SELECT 1 FROM errors e WHERE e.path IS NOT DISTINCT FROM s.path
                        AND e.source_id IS NOT DISTINCT FROM s.source_id AND e.code = s.code
                        AND e.message = s.message)""", [now])
        return int(new)

    @staticmethod
    def _load_actors(con: duckdb.DuckDBPyConnection, src: str) -> None:
        # merge_actors in SQL: one row per id, in input order; then the same upsert as add()
        order = "ORDER BY a._seq, a._ord"
        con.execute(f"""
            INSERT INTO actors BY NAME
            SELECT a.id,
                   first(a.name {order}) AS name,
                   first(a.kind {order}) AS kind,
                   first(a.country {order}) FILTER (WHERE a.country IS NOT NULL) AS country,
                   first(a.sector {order}) FILTER (WHERE a.sector IS NOT NULL) AS sector,
                   list_distinct(flatten(list(a.aliases {order}))) AS aliases,
                   sum(a.mentions) AS mentions,
                   first(a.affiliation {order}) FILTER (WHERE a.affiliation IS NOT NULL) AS affiliation
            FROM {src} a SEMI JOIN _load_new n ON a.doc_id = n.id AND a._seq = n._seq
            GROUP BY a.id
            {ACTOR_MERGE}""")

    def add_errors(self, errors: Iterable[IngestError]) -> None:
        now = datetime.now(timezone.utc)
        rows = [dict(e.to_dict(), at=now) for e in errors]
        if rows:
            with self.transaction() as con:
                self._insert(con, "errors", rows)

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]],
                ignore: bool = False) -> None:
        if not rows:
            return
        arrow = pa.Table.from_pylist(rows)
        name = f"_incoming_{table}"
        con.register(name, arrow)
        try:
            verb = "INSERT OR IGNORE" if ignore else "INSERT"
            con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            con.unregister(name)

    @staticmethod
    def _upsert_actors(con: duckdb.DuckDBPyConnection, actors: list[Actor]) -> None:
        if not actors:
            return
        rows = [a.to_dict() for a in actors]
        con.register("_incoming_actors", pa.Table.from_pylist(rows))
        try:
            con.execute(f"""
                INSERT INTO actors BY NAME SELECT * FROM _incoming_actors
                {ACTOR_MERGE}""")
        finally:
            con.unregister("_incoming_actors")

    # -- reading ---------------------------------------------------------------------------------
    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def documents(self, ids: Sequence[str] | None = None, *, with_text: bool = False) -> list[Document]:
        cols = "id, path, source_id, title, date, url" + (", text" if with_text else ", '' AS text")
        where, params = ("WHERE id IN (SELECT unnest(?))", [list(ids)]) if ids is not None else ("", [])
        return [Document.from_dict(r) for r in self._dicts(f"SELECT {cols} FROM documents {where} ORDER BY path, id", params)]

    def document_summaries(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE id IN (SELECT unnest(?))", [list(ids)]) if ids is not None else ("", [])
        return self._dicts(f"SELECT id, path, source_id, title, date, url, length FROM documents {where} ORDER BY path, id", params)

    def document(self, doc_id: str) -> Document | None:
        rows = self._dicts("SELECT id, path, source_id, title, date, url, text FROM documents WHERE id = ?", [doc_id])
        return Document.from_dict(rows[0]) if rows else None

    def actors(self, ids: Sequence[str] | None = None) -> list[Actor]:
        where, params = ("WHERE id IN (SELECT unnest(?))", [list(ids)]) if ids is not None else ("", [])
        return [Actor.from_dict(r) for r in self._dicts(f"SELECT * FROM actors {where} ORDER BY mentions DESC, id", params)]

    def events(self, doc_ids: Sequence[str] | None = None) -> list[Event]:
        where, params = ("WHERE doc_id IN (SELECT unnest(?))", [list(doc_ids)]) if doc_ids is not None else ("", [])
        return [row_to_event(r) for r in self._dicts(f"SELECT * FROM events {where} ORDER BY doc_id, start, trigger_start", params)]

    def figures(self, doc_ids: Sequence[str] | None = None) -> list[Figure]:
        where, params = ("WHERE doc_id IN (SELECT unnest(?))", [list(doc_ids)]) if doc_ids is not None else ("", [])
        return [row_to_figure(r) for r in self._dicts(f"SELECT * FROM figures {where} ORDER BY doc_id, start, span_start", params)]

    def mentions(self, doc_ids: Sequence[str] | None = None) -> list[Mention]:
        where, params = ("WHERE doc_id IN (SELECT unnest(?))", [list(doc_ids)]) if doc_ids is not None else ("", [])
        return [Mention.from_dict(r) for r in self._dicts(f"SELECT * FROM mentions {where} ORDER BY doc_id, start", params)]

    def errors(self) -> list[IngestError]:
        return [IngestError.from_dict(r) for r in self._dicts("SELECT * FROM errors ORDER BY \"at\"")]

    def actor_ids_in(self, doc_ids: Sequence[str]) -> list[str]:
        rows = self.con.execute("SELECT DISTINCT actor_id FROM mentions WHERE doc_id IN (SELECT unnest(?))",
                                [list(doc_ids)]).fetchall()
        return [r[0] for r in rows]

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("documents", "actors", "mentions", "events", "figures", "errors")}


def _coding_row(c: CodedDocument) -> dict[str, Any]:
    """How many records the coding of ``c.document`` holds (events and figures by unique id,
    as the store keeps them)."""
    return {"doc_id": c.document.id, "mentions": len(c.mentions),
            "events": len({e.id for e in c.events}), "figures": len({f.id for f in c.figures})}


def _doc_row(d: Document) -> dict[str, Any]:
    row = d.to_dict()
    row["length"] = d.length
    return row
