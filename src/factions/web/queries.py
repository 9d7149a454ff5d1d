"""Parameterised SQL for the web API: filtering, sorting and paginating events, and the reads
behind the actor, document and map views.

Every value a user sends reaches DuckDB as a bound parameter (``?``). The only SQL text built
from a request is chosen from fixed whitelists (:data:`SORT_COLUMNS`, ``asc``/``desc``), never
formatted from user input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from factions.model import QUAD_CLASS

#: Sort keys accepted by the API -> the SQL expression they sort by.
SORT_COLUMNS: dict[str, str] = {
    "date": "e.date",
    "type": "e.type",
    "source": "sa.name",
    "target": "ta.name",
    "mode": "e.mode",
    "modality": "e.modality",
    "country": "e.loc_country",
    "location": "e.loc_name",
    "confidence": "e.confidence",
    "document": "e.doc_id",
}

#: Columns of one event row as the API returns it (events table + actor names + quad class).
EVENT_COLUMNS = (
    "e.id, e.doc_id, e.type, e.source, sa.name AS source_name, e.target, ta.name AS target_name, "
    "e.mode, e.modality, e.date, e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.loc_kind, "
    "e.text, e.start, e.\"end\", e.trigger, e.trigger_start, e.trigger_end, e.source_text, "
    "e.target_text, e.confidence"
)

_QUAD_SQL = "CASE " + " ".join(
    f"WHEN e.type = '{t}' THEN '{q}'" for t, q in QUAD_CLASS.items()) + " END"
_COOP_TYPES = [t for t, q in QUAD_CLASS.items() if q.endswith("cooperation")]

_FROM = ("FROM events e LEFT JOIN actors sa ON sa.id = e.source "
         "LEFT JOIN actors ta ON ta.id = e.target")


@dataclass
class EventFilter:
    """The filters the event table, the map, the downloads and the edge view share."""

    actor: list[str] = field(default_factory=list)      # source OR target is one of these
    counterpart: str | None = None                      # ... and the other side is this actor
    source: str | None = None
    target: str | None = None
    type: list[str] = field(default_factory=list)
    quad: list[str] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    location: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None
    doc_id: str | None = None
    min_confidence: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause (with a leading ``WHERE`` or empty) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor and self.counterpart:
            clauses.append(f"((e.source {_in(self.actor)} AND e.target = ?) OR "
                           f"(e.target {_in(self.actor)} AND e.source = ?))")
            params += [*self.actor, self.counterpart, *self.actor, self.counterpart]
        elif self.actor:
            clauses.append(f"(e.source {_in(self.actor)} OR e.target {_in(self.actor)})")
            params += [*self.actor, *self.actor]
        elif self.counterpart:
            clauses.append("(e.source = ? OR e.target = ?)")
            params += [self.counterpart, self.counterpart]
        for column, value in (("e.source", self.source), ("e.target", self.target),
                              ("e.loc_name", self.location), ("e.doc_id", self.doc_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        types = set(self.type)
        if self.quad:
            quad_types = {t for t, q in QUAD_CLASS.items() if q in self.quad}
            types = types & quad_types if self.type else quad_types
        if self.type or self.quad:
            chosen = sorted(types) or [""]  # no type can match an empty intersection
            clauses.append(f"e.type {_in(chosen)}")
            params += chosen
        for column, values in (("e.mode", self.mode), ("e.modality", self.modality),
                               ("e.loc_country", self.country)):
            if values:
                clauses.append(f"{column} {_in(values)}")
                params += list(values)
        if self.since is not None:
            clauses.append("e.date >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:  # inclusive: dates may carry a time after the day
            clauses.append("e.date < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        if self.q:
            pattern = "%" + _escape_like(self.q) + "%"
            clauses.append("(e.text ILIKE ? ESCAPE '\\' OR e.trigger ILIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        if self.min_confidence is not None:
            clauses.append("e.confidence >= ?")
            params.append(self.min_confidence)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _in(values: Sequence[Any]) -> str:
    """``= ?`` or ``IN (?, ?, ...)`` with one placeholder per value (only the count is formatted)."""
    return "= ?" if len(values) == 1 else "IN (" + ", ".join("?" * len(values)) + ")"


def _escape_like(text: str) -> str:
    """Make ``%``, ``_`` and the escape character itself match literally in a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _with_quad(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["quad_class"] = QUAD_CLASS.get(r["type"])
    return rows


def order_by(sort: str, order: str) -> str:
    """ORDER BY from whitelisted parts (``sort`` must be a key of :data:`SORT_COLUMNS`)."""
    direction = {"asc": "ASC", "desc": "DESC"}[order]
    return f"ORDER BY {SORT_COLUMNS[sort]} {direction} NULLS LAST, e.id ASC"


def count_events(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> int:
    where, params = flt.where()
    return con.execute(f"SELECT count(*) FROM events e {where}", params).fetchone()[0]  # type: ignore[index]


#: Sort keys over actor names rank the actors once (a small table) and join the rank, which is
#: much cheaper to sort a million events by than the names themselves.
_NAME_RANK = {
    "source": ("LEFT JOIN (SELECT id, row_number() OVER (ORDER BY name, id) AS k FROM actors) sr "
               "ON sr.id = e.source", "sr.k"),
    "target": ("LEFT JOIN (SELECT id, row_number() OVER (ORDER BY name, id) AS k FROM actors) tr "
               "ON tr.id = e.target", "tr.k"),
}


def page_events(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, sort: str, order: str,
                limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of filtered, sorted events with their actors' names.

    Two steps (late materialisation): the page's row ids are found by sorting only the sort
    key (ties broken by row id, so pages never overlap), then those rows alone are read whole.
    """
    where, params = flt.where()
    join, key = _NAME_RANK.get(sort, ("", SORT_COLUMNS[sort]))
    direction = {"asc": "ASC", "desc": "DESC"}[order]
    rowids = [r[0] for r in con.execute(
        f"SELECT e.rowid FROM events e {join} {where} "
        f"ORDER BY {key} {direction} NULLS LAST, e.rowid LIMIT ? OFFSET ?",
        params + [limit, offset]).fetchall()]
    if not rowids:
        return []
    rows = _dicts(con.execute(f"SELECT e.rowid AS _row, {EVENT_COLUMNS} {_FROM} "
                              "WHERE e.rowid IN (SELECT unnest(?))", [rowids]))
    by_row = {r.pop("_row"): r for r in rows}
    return _with_quad([by_row[r] for r in rowids])


def event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    rows = _dicts(con.execute(f"SELECT {EVENT_COLUMNS} {_FROM} WHERE e.id = ?", [event_id]))
    return _with_quad(rows)[0] if rows else None


def evidence(con: duckdb.DuckDBPyConnection, ev: dict[str, Any]) -> dict[str, Any]:
    """The sentence an event was coded from, with the spans to highlight in it.

    Offsets in the returned spans are relative to the sentence. The sentence is cut from the
    stored document text when it is there (so the spans are exactly the coded offsets), else
    the event's own copy of the sentence is used.
    """
    start, end = ev["start"] or 0, ev["end"] or 0
    row = con.execute("SELECT substr(text, ? + 1, ?) FROM documents WHERE id = ?",
                      [start, max(0, end - start), ev["doc_id"]]).fetchone()
    sentence = row[0] if row and row[0] else ev["text"] or ""
    spans: list[dict[str, Any]] = []
    if ev["trigger_end"] and ev["trigger_end"] > ev["trigger_start"]:
        spans.append({"start": ev["trigger_start"] - start, "end": ev["trigger_end"] - start,
                      "kind": "trigger", "label": ev["type"]})
    mentions = _dicts(con.execute(
        'SELECT m.actor_id, a.name, m.start, m."end", m.how FROM mentions m '
        "LEFT JOIN actors a ON a.id = m.actor_id "
        'WHERE m.doc_id = ? AND m.start >= ? AND m."end" <= ? ORDER BY m.start',
        [ev["doc_id"], start, end]))
    for m in mentions:
        role = ("source" if m["actor_id"] == ev["source"] else
                "target" if m["actor_id"] == ev["target"] else "mention")
        spans.append({"start": m["start"] - start, "end": m["end"] - start, "kind": role,
                      "label": m["name"] or m["actor_id"], "actor_id": m["actor_id"]})
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= len(sentence)]
    return {"sentence": sentence, "offset": start, "spans": spans}


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """A document's text and every coded span in it (mentions, event triggers, figures)."""
    docs = _dicts(con.execute("SELECT id, path, source_id, title, date, url, length, text "
                              "FROM documents WHERE id = ?", [doc_id]))
    if not docs:
        return None
    doc = docs[0]
    doc["mentions"] = _dicts(con.execute(
        'SELECT m.actor_id, a.name AS actor_name, m.text, m.start, m."end", m.how FROM mentions m '
        'LEFT JOIN actors a ON a.id = m.actor_id WHERE m.doc_id = ? ORDER BY m.start, m."end"',
        [doc_id]))
    doc["events"] = _with_quad(_dicts(con.execute(
        f"SELECT {EVENT_COLUMNS} {_FROM} WHERE e.doc_id = ? ORDER BY e.start, e.trigger_start",
        [doc_id])))
    doc["figures"] = _dicts(con.execute(
        'SELECT id, category, value, qualifier, loc_name, attributed_to, text, start, "end", '
        "span_start, span_end FROM figures WHERE doc_id = ? ORDER BY span_start", [doc_id]))
    return doc


def documents(con: duckdb.DuckDBPyConnection, *, q: str | None, limit: int,
              offset: int) -> tuple[int, list[dict[str, Any]]]:
    """Documents (newest coded first), optionally those whose title, path or text contains ``q``."""
    where, params = "", []
    if q:
        where = ("WHERE contains(lower(coalesce(d.title, '')), ?) "
                 "OR contains(lower(coalesce(d.path, '')), ?) OR contains(lower(d.text), ?)")
        params = [q.lower()] * 3
    total = con.execute(f"SELECT count(*) FROM documents d {where}", params).fetchone()[0]  # type: ignore[index]
    rows = _dicts(con.execute(
        "SELECT d.id, d.path, d.source_id, d.title, d.date, d.url, d.length, "
        "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events "
        f"FROM documents d {where} "
        "ORDER BY d.coded_at DESC, d.id LIMIT ? OFFSET ?", params + [limit, offset]))
    return total, rows


def actors(con: duckdb.DuckDBPyConnection, *, q: str | None, limit: int) -> list[dict[str, Any]]:
    """Actors with their event counts, most active first; ``q`` matches name, alias or id."""
    where, params = "", []
    if q:
        where = ("WHERE contains(lower(a.name), ?) OR contains(lower(a.id), ?) "
                 "OR contains(lower(array_to_string(a.aliases, '\x1f')), ?)")
        params = [q.lower()] * 3
    return _dicts(con.execute(
        "WITH n AS (SELECT actor, count(*) AS events FROM ("
        "  SELECT source AS actor FROM events WHERE source IS NOT NULL UNION ALL "
        "  SELECT target FROM events WHERE target IS NOT NULL) GROUP BY actor) "
        "SELECT a.id, a.name, a.kind, a.country, a.sector, a.mentions, coalesce(n.events, 0) AS events "
        f"FROM actors a LEFT JOIN n ON n.actor = a.id {where} "
        "ORDER BY events DESC, a.mentions DESC, a.id LIMIT ?", params + [limit]))


def actor_profile(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """An actor's record, what it did and had done to it, and its main counterparts."""
    rows = _dicts(con.execute("SELECT a.*, p.name AS affiliation_name FROM actors a "
                              "LEFT JOIN actors p ON p.id = a.affiliation WHERE a.id = ?", [actor_id]))
    if not rows:
        return None
    profile = rows[0]
    profile["by_type"] = _dicts(con.execute(
        "SELECT type, count(*) FILTER (WHERE source = ?) AS as_source, "
        "count(*) FILTER (WHERE target = ?) AS as_target FROM events "
        "WHERE source = ? OR target = ? GROUP BY type ORDER BY count(*) DESC",
        [actor_id] * 4))
    for r in profile["by_type"]:
        r["quad_class"] = QUAD_CLASS.get(r["type"])
    stats = con.execute(
        "SELECT count(*), count(DISTINCT doc_id), min(date), max(date) FROM events "
        "WHERE source = ? OR target = ?", [actor_id, actor_id]).fetchone()
    profile["events"], profile["documents"], profile["first_date"], profile["last_date"] = stats  # type: ignore[misc]
    profile["counterparts"] = _dicts(con.execute(
        "SELECT c.other AS id, a.name, count(*) AS events, "
        "count(*) FILTER (WHERE c.type IN (SELECT unnest(?))) AS cooperation, "
        "count(*) FILTER (WHERE c.type NOT IN (SELECT unnest(?))) AS conflict "
        "FROM (SELECT CASE WHEN source = ? THEN target ELSE source END AS other, type FROM events "
        "      WHERE (source = ? OR target = ?) AND modality = 'asserted') c "
        "LEFT JOIN actors a ON a.id = c.other WHERE c.other IS NOT NULL AND c.other <> ? "
        "GROUP BY c.other, a.name ORDER BY events DESC, c.other LIMIT 20",
        [_COOP_TYPES, _COOP_TYPES, actor_id, actor_id, actor_id, actor_id]))
    return profile


def map_points(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, limit: int) -> list[dict[str, Any]]:
    """Filtered events with coordinates, one point per place, with cooperation/conflict counts."""
    where, params = flt.where()
    where = (where + " AND " if where else "WHERE ") + "e.loc_lat IS NOT NULL AND e.loc_lon IS NOT NULL"
    return _dicts(con.execute(
        "SELECT e.loc_name AS name, e.loc_country AS country, e.loc_lat AS lat, e.loc_lon AS lon, "
        "count(*) AS events, count(*) FILTER (WHERE e.type IN (SELECT unnest(?))) AS cooperation, "
        "count(*) FILTER (WHERE e.type NOT IN (SELECT unnest(?))) AS conflict "
        f"FROM events e {where} GROUP BY 1, 2, 3, 4 ORDER BY events DESC LIMIT ?",
        [_COOP_TYPES, _COOP_TYPES] + params + [limit]))


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the store holds: counts, and the values present for each filter."""
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
              for t in ("documents", "actors", "mentions", "events", "figures")}

    def values(column: str) -> list[dict[str, Any]]:
        return [{"value": v, "events": n} for v, n in con.execute(
            f"SELECT {column}, count(*) FROM events WHERE {column} IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()]

    first, last = con.execute("SELECT min(date), max(date) FROM events").fetchone()  # type: ignore[misc]
    return {"counts": counts, "types": values("type"), "modes": values("mode"),
            "modalities": values("modality"), "countries": values("loc_country"),
            "first_date": first, "last_date": last}


def export_batches(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, sort: str, order: str,
                   limit: int, batch_size: int = 50_000) -> pa.RecordBatchReader:
    """The filtered view as a reader of Arrow record batches (for CSV/JSON downloads)."""
    where, params = flt.where()
    sql = (f"SELECT {EVENT_COLUMNS}, {_QUAD_SQL} AS quad_class {_FROM} {where} "
           f"{order_by(sort, order)} LIMIT ?")
    rel = con.sql(sql, params=params + [limit])
    reader = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader  # DuckDB 1.x name
    return reader(batch_size)


def edge_rows(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, limit: int) -> list[dict[str, Any]]:
    """The filtered events reduced to what a graph needs (for the GEXF download)."""
    where, params = flt.where()
    where = (where + " AND " if where else "WHERE ") + "e.source IS NOT NULL AND e.target IS NOT NULL"
    return _dicts(con.execute(
        "SELECT e.id, e.source, e.target, e.type, e.modality, e.date "
        f"FROM events e {where} ORDER BY e.id LIMIT ?", params + [limit]))
