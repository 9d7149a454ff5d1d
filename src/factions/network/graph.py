"""The signed actor graph: built from the store or from a signed edge list, and exported.

The graph is a plain ``networkx.Graph`` (why networkx: docs/network.md) with

* nodes: actor ids, attributes ``name``, ``kind``, ``country``, ``sector``;
* edges: ``sign`` (+1/-1), ``weight`` (|summed decayed PLOVER scores|, > 0), ``events``
  (how many events) and ``event_ids`` (which);
* ``graph.graph``: the parameters it was built with (``since``, ``until``, ``min_events``,
  ``half_life_days``, ``reference_date``).

Everything else in :mod:`factions.network` (balance, coalitions, whatif, snapshots) and the web
app take this graph, so there is one definition of "the network".
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from rapidfuzz import fuzz, process

from factions.errors import FactionsError
from factions.model import Actor, Event, Relation
from factions.network.relations import build_relations, bulk, parse_date

EXPORT_FORMATS = ("gexf", "graphml")


def _check_date(name: str, value: str | None) -> None:
    if value is not None and parse_date(value) is None:
        raise FactionsError("E403", name=name, detail=f"{value!r} is not a date (use YYYY-MM-DD)")


def graph_from_relations(relations: Iterable[Relation], actors: Iterable[Actor] = (),
                         **params: Any) -> nx.Graph:
    """A signed graph with one edge per relation; node attributes from ``actors``."""
    g = nx.Graph(**params)
    with bulk():
        g.add_edges_from((r.source, r.target, {"sign": r.sign, "weight": r.weight,
                                               "events": len(r.event_ids), "event_ids": r.event_ids})
                         for r in relations)
    known = {a.id: a for a in actors}
    for n in g:
        a = known.get(n)
        g.nodes[n].update(name=a.name if a else n, kind=a.kind if a else None,
                          country=a.country if a else None, sector=a.sector if a else None)
    return g


def store_events(store: Any, *, since: str | None = None, until: str | None = None) -> list[Event]:
    """The events that can form ties (asserted, two different actors), dated by the event or,
    failing that, its document; with ``since``/``until`` only events dated inside the range.

    Only the fields a tie needs are read: this runs over every event in the store.
    """
    _check_date("--since", since)
    _check_date("--until", until)
    rows = store.con.execute("""
        SELECT e.id, e.doc_id, e.type, e.source, e.target, coalesce(e.date, d.date)
        FROM events e LEFT JOIN documents d ON d.id = e.doc_id
        WHERE e.modality = 'asserted' AND e.source IS NOT NULL AND e.target IS NOT NULL
          AND e.source <> e.target
        ORDER BY e.id""").fetchall()
    lo, hi = parse_date(since), parse_date(until)
    out = []
    with bulk():
        for eid, doc, typ, src, tgt, when in rows:
            if lo is not None or hi is not None:
                d = parse_date(when)
                # An undated event cannot be placed inside a date range, so it is left out.
                if d is None or (lo is not None and d < lo) or (hi is not None and d > hi):
                    continue
            out.append(Event(eid, doc, typ, src, tgt, date=when))
    return out


def load_graph(store: Any, since: str | None = None, until: str | None = None,
               min_events: int = 1, *, half_life_days: float | None = None,
               reference_date: str | None = None) -> nx.Graph:
    """The signed actor graph of a store (a :class:`factions.store.db.Store`).

    Ties come from :func:`~factions.network.relations.build_relations` over the store's events
    between ``since`` and ``until`` (inclusive ISO dates); ties backed by fewer than
    ``min_events`` events are dropped (their sign rests on too little evidence).
    """
    if min_events < 1:
        raise FactionsError("E403", name="--min-events", detail=f"must be >= 1, got {min_events}")
    _check_date("--reference-date", reference_date)
    events = store_events(store, since=since, until=until)
    relations = [r for r in build_relations(events, half_life_days=half_life_days,
                                            reference_date=reference_date)
                 if len(r.event_ids) >= min_events]
    ids = sorted({n for r in relations for n in (r.source, r.target)})
    return graph_from_relations(relations, store.actors(ids) if ids else [], since=since,
                                until=until, min_events=min_events, half_life_days=half_life_days,
                                reference_date=reference_date)


def node_label(graph: nx.Graph, node: Any) -> str:
    """The name to show for a node (its actor name, else its id)."""
    return str(graph.nodes[node].get("name") or node)


def resolve_actor(name: str, names: Mapping[str, str]) -> str:
    """Find an actor by id or (case-insensitive) name in ``{id: name}``; E400 with the closest
    names as suggestions when there is no match, or the candidates when the name is ambiguous."""
    if name in names:
        return name
    key = name.strip().casefold()
    hits = [i for i, n in names.items() if i.casefold() == key or (n or "").casefold() == key]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise FactionsError("E400", name=name, suggest=", ".join(f"{names[h]} ({h})" for h in sorted(hits)))
    labels = [f"{n} ({i})" if n and n != i else i for i, n in names.items()]
    found = [label for label, _, _ in process.extract(name, labels, scorer=fuzz.WRatio, limit=5)]
    raise FactionsError("E400", name=name, suggest=", ".join(found) or "no actors in this network")


# -- signed edge lists from elsewhere ------------------------------------------------------------
def _parse_sign(raw: str, path: str, row: int) -> int:
    text = (raw or "").strip()
    if text in ("+", "-"):
        return 1 if text == "+" else -1
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value == 0 or value != value:
        raise FactionsError("E401", path=path, detail=f"row {row}: sign must be +1/-1 or +/-, got {raw!r}")
    return 1 if value > 0 else -1


def read_edge_list(path: str | Path, window: str | None = None) -> dict[str, nx.Graph]:
    """Signed graphs from a csv/tsv(.gz) edge list, one per ``window`` ("" when there is none).

    Columns are found by header name (case-insensitive): ``source``, ``target``, ``sign`` and
    optionally ``window``; other columns are ignored. A sign is +1/-1 (any non-zero number, by
    its sign) or "+"/"-". Ties are undirected; a pair listed more than once gets the sign of
    the sum of its rows (rows that cancel drop the pair) and self-loops are skipped.
    """
    p = str(path)
    if not Path(p).is_file():
        raise FactionsError("E401", path=p, detail="file not found")
    name = p.lower().removesuffix(".gz")
    try:
        raw = gzip.open(p, "rb").read() if p.lower().endswith(".gz") else Path(p).read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise FactionsError("E401", path=p, detail=f"cannot read: {exc}") from exc
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise FactionsError("E401", path=p, detail="no header row")
    if name.endswith((".tsv", ".tab")):
        delimiter = "\t"
    elif name.endswith(".csv"):
        delimiter = ","
    else:
        delimiter = "\t" if "\t" in lines[0] else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader)]
    cols = {c: header.index(c) for c in ("source", "target", "sign", "window") if c in header}
    missing = [c for c in ("source", "target", "sign") if c not in cols]
    if missing:
        raise FactionsError("E401", path=p, detail=f"no column {', '.join(missing)} (header: {', '.join(header)})")
    sums: dict[str, dict[tuple[str, str], int]] = {}
    for row_no, row in enumerate(reader, start=2):
        if len(row) < len(header):
            raise FactionsError("E401", path=p, detail=f"row {row_no}: {len(row)} fields, header has {len(header)}")
        w = row[cols["window"]].strip() if "window" in cols else ""
        if window is not None and w != window:
            continue
        a, b = row[cols["source"]].strip(), row[cols["target"]].strip()
        s = _parse_sign(row[cols["sign"]], p, row_no)
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        pairs = sums.setdefault(w, {})
        pairs[key] = pairs.get(key, 0) + s
    if window is not None and window not in sums:
        raise FactionsError("E401", path=p, detail=f"no rows in window {window!r}")
    graphs = {}
    for w, pairs in sums.items():
        g = nx.Graph(window=w)
        for (a, b), s in pairs.items():
            if s:
                g.add_edge(a, b, sign=1 if s > 0 else -1)
        graphs[w] = g
    return graphs


# -- output ---------------------------------------------------------------------------------------
def graph_to_dict(graph: nx.Graph) -> dict[str, Any]:
    """Nodes, edges (with their event ids) and build parameters as plain JSON-able data."""
    nodes = [{"id": str(n), **d} for n, d in graph.nodes(data=True)]
    edges = [{"source": str(u), "target": str(v), **d} for u, v, d in graph.edges(data=True)]
    return {"params": dict(graph.graph), "nodes": nodes, "edges": edges}


def _exportable(graph: nx.Graph) -> nx.Graph:
    """A copy Gephi's readers accept: no None values, lists joined with ';'."""
    def clean(d: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in d.items():
            if v is None:
                v = ""
            elif isinstance(v, (list, tuple)):
                v = ";".join(map(str, v))
            out[k] = v
        return out

    g = nx.Graph()
    g.graph.update(clean(graph.graph))
    # Gephi shows a node's "label": the actor name rather than its id.
    g.add_nodes_from((n, {**clean(d), "label": str(d.get("name") or n)}) for n, d in graph.nodes(data=True))
    g.add_edges_from((u, v, clean(d)) for u, v, d in graph.edges(data=True))
    return g


def write_graph(graph: nx.Graph, fmt: str, out: str | Path | BinaryIO) -> None:
    """Write GEXF or GraphML (networkx's writers) for Gephi; node attributes (name, country,
    kind, sector, bloc, ...) and edge attributes (sign, weight, events, event_ids) included."""
    if fmt not in EXPORT_FORMATS:
        raise FactionsError("E304", fmt=fmt, known=", ".join(EXPORT_FORMATS))
    g = _exportable(graph)
    if fmt == "gexf":
        nx.write_gexf(g, out)
    else:
        nx.write_graphml(g, out)
