"""Export a store: JSON, JSONL, CSV, Parquet and PLOVER-style JSON.

Each format is one function registered by name (``@exporter("csv")``). Tabular formats are
written by DuckDB's own COPY, so exporting millions of events streams and never builds Python
objects; JSON formats stream record by record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from factions.errors import FactionsError
from factions.store.db import Store, row_to_event

Exporter = Callable[[Store, Path], list[Path]]
EXPORTERS: dict[str, Exporter] = {}
TABLES = ("documents", "actors", "mentions", "events", "figures", "errors")


def exporter(name: str) -> Callable[[Exporter], Exporter]:
    def register(fn: Exporter) -> Exporter:
        EXPORTERS[name] = fn
        return fn
    return register


def export(store: Store, fmt: str, out: str | Path) -> list[Path]:
    """Write the store in format ``fmt`` to ``out``; return the files written."""
    fn = EXPORTERS.get(fmt)
    if fn is None:
        raise FactionsError("E304", fmt=fmt, known=", ".join(sorted(EXPORTERS)))
    return fn(store, Path(out))


def _rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    cur = store.con.execute(f"SELECT * FROM {table} ORDER BY ALL")
    cols = [d[0] for d in cur.description]
    while batch := cur.fetchmany(2048):
        for r in batch:
            yield dict(zip(cols, r))


def _record(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A table row as the JSON record ``factions code`` prints (locations nested)."""
    if table in ("events", "figures"):
        loc = {k[4:]: row.pop(k) for k in list(row) if k.startswith("loc_")}
        row["location"] = loc if loc.get("name") else None
    if table == "documents":
        row.pop("coded_at", None)
    return row


def _dump(fh: IO[str], obj: Any) -> None:
    json.dump(obj, fh, ensure_ascii=False, default=str)


def _relations(store: Store) -> list[dict[str, Any]]:
    from factions.network.relations import build_relations

    return [r.to_dict() for r in build_relations(store.events())]


@exporter("json")
def _json(store: Store, out: Path) -> list[Path]:
    """One JSON object {"documents": [...], "actors": [...], ...} like ``factions code``."""
    with out.open("w", encoding="utf-8") as fh:
        fh.write("{")
        for k, table in enumerate(("documents", "actors", "mentions", "events", "figures")):
            fh.write(("," if k else "") + f'"{table}":[')
            for i, row in enumerate(_rows(store, table)):
                if table == "documents":
                    row.pop("text", None)
                fh.write("," if i else "")
                _dump(fh, _record(table, row))
            fh.write("]")
        fh.write(',"relations":')
        _dump(fh, _relations(store))
        fh.write("}\n")
    return [out]


@exporter("jsonl")
def _jsonl(store: Store, out: Path) -> list[Path]:
    """One record per line, each with a "kind" (document, actor, mention, event, figure, relation)."""
    with out.open("w", encoding="utf-8") as fh:
        for table in ("documents", "actors", "mentions", "events", "figures"):
            for row in _rows(store, table):
                _dump(fh, {"kind": table[:-1], **_record(table, row)})
                fh.write("\n")
        for rel in _relations(store):
            _dump(fh, {"kind": "relation", **rel})
            fh.write("\n")
    return [out]


def _copy(store: Store, out: Path, fmt: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    ext = "csv" if fmt == "csv" else "parquet"
    options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT PARQUET)"
    for table in TABLES:
        path = out / f"{table}.{ext}"
        select = f"SELECT * EXCLUDE (text) FROM {table}" if table == "documents" and fmt == "csv" else f"SELECT * FROM {table}"
        if table == "actors" and fmt == "csv":
            select = "SELECT * REPLACE (array_to_string(aliases, '; ') AS aliases) FROM actors"
        store.con.execute(f"COPY ({select} ORDER BY ALL) TO '{_sql_path(path)}' {options}")
        written.append(path)
    rel_path = out / f"relations.{ext}"
    rels = [dict(r, event_ids="; ".join(r["event_ids"]) if fmt == "csv" else r["event_ids"]) for r in _relations(store)]
    import pyarrow as pa

    table = pa.Table.from_pylist(rels, schema=pa.schema([
        ("source", pa.string()), ("target", pa.string()), ("sign", pa.int64()), ("weight", pa.float64()),
        ("event_ids", pa.string() if fmt == "csv" else pa.list_(pa.string()))]))
    store.con.register("_relations_out", table)
    try:
        store.con.execute(f"COPY (SELECT * FROM _relations_out) TO '{_sql_path(rel_path)}' {options}")
    finally:
        store.con.unregister("_relations_out")
    written.append(rel_path)
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@exporter("csv")
def _csv(store: Store, out: Path) -> list[Path]:
    """A folder with one CSV per table (documents without their text)."""
    return _copy(store, out, "csv")


@exporter("parquet")
def _parquet(store: Store, out: Path) -> list[Path]:
    """A folder with one Parquet file per table."""
    return _copy(store, out, "parquet")


@exporter("plover")
def _plover(store: Store, out: Path) -> list[Path]:
    """PLOVER-style JSON records, one event per line (JSONL, as the PLOVER spec suggests)."""
    from factions.evaluate.plover import to_plover

    actors = {a.id: a for a in store.actors()}
    with out.open("w", encoding="utf-8") as fh:
        for row in _rows(store, "events"):
            _dump(fh, to_plover(row_to_event(row), actors))
            fh.write("\n")
    return [out]
