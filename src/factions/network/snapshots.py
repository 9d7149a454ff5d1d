"""One analysis of the network - graph, balance, coalitions, centrality - and its storage.

:func:`analyse_network` runs every measure on a graph and annotates it (node ``bloc``,
``side`` and centralities; edge ``frustrated`` and ``violates_blocs``), so an export or the
web app shows the same numbers as the CLI. :func:`save_snapshot` writes it to the store's
``network_snapshots`` / ``network_nodes`` / ``network_edges`` tables (migration
``0002_network_snapshots``) in one transaction; :func:`load_snapshot` rebuilds the annotated
graph from them, so readers never have to recompute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import duckdb
import networkx as nx

from factions.errors import FactionsError
from factions.model import stable_id
from factions.network.balance import BalanceResult, analyse
from factions.network.coalitions import Coalitions, centrality, coalitions, rank
from factions.network.graph import graph_to_dict, node_label

NODE_MEASURES = ("positive_degree", "negative_degree", "positive_strength", "negative_strength",
                 "betweenness", "bloc_reach", "pn")
PARAMS = ("since", "until", "min_events", "half_life_days", "reference_date")


@dataclass
class NetworkAnalysis:
    """An annotated graph with its balance and coalition results."""

    graph: nx.Graph
    balance: BalanceResult
    coalitions: Coalitions

    def brokers(self, top: int = 10) -> list[dict[str, Any]]:
        """Highest betweenness on the positive subgraph: who links allies not allied directly."""
        return [{"id": str(n), "name": node_label(self.graph, n), "betweenness": round(b, 6),
                 "bloc": self.graph.nodes[n]["bloc"], "bloc_reach": self.graph.nodes[n]["bloc_reach"]}
                for n, b in rank(dict(self.graph.nodes(data=True)), "betweenness", top)]

    def hubs(self, top: int = 10) -> list[dict[str, Any]]:
        """Most allies (positive degree), with their enemies and PN centrality alongside."""
        return [{"id": str(n), "name": node_label(self.graph, n), "positive_degree": int(d),
                 "negative_degree": self.graph.nodes[n]["negative_degree"],
                 "pn": round(self.graph.nodes[n]["pn"], 6), "bloc": self.graph.nodes[n]["bloc"]}
                for n, d in rank(dict(self.graph.nodes(data=True)), "positive_degree", top)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``factions network``: graph, balance, coalitions, brokers and hubs."""
        return {**graph_to_dict(self.graph), "balance": self.balance.to_dict(),
                "coalitions": self.coalitions.to_dict(), "brokers": self.brokers(),
                "hubs": self.hubs()}


def analyse_network(graph: nx.Graph, *, method: str = "auto", time_limit: float = 60.0,
                    seed: int = 0) -> NetworkAnalysis:
    """Balance, coalitions (started from the frustration-optimal split) and centrality of a
    graph; the graph is annotated in place and returned inside the analysis."""
    bal = analyse(graph, method=method, time_limit=time_limit, seed=seed)
    side = bal.partition
    blocs = coalitions(graph, seed=seed, starts=[side])
    scores = centrality(graph, blocs.membership, seed=seed)
    for n in graph:
        graph.nodes[n].update(bloc=blocs.membership[n], side=side.get(n, 0), **scores[n])
    frustrated = {frozenset((u, v)) for u, v, _ in bal.frustrated_edges}
    broken = {frozenset((u, v)) for u, v, _ in blocs.violations}
    for u, v, d in graph.edges(data=True):
        d["frustrated"] = frozenset((u, v)) in frustrated
        d["violates_blocs"] = frozenset((u, v)) in broken
    return NetworkAnalysis(graph, bal, blocs)


def _snapshot_id(store: Any, graph: nx.Graph) -> tuple[str, int]:
    """Same parameters over the same stored events -> the same id (re-running replaces it)."""
    events, last = store.con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT max(coded_at) FROM documents)").fetchone()
    return stable_id("network", *(graph.graph.get(p) for p in PARAMS), events, last), int(events)


def save_snapshot(store: Any, analysis: NetworkAnalysis) -> str:
    """Store an analysis (replacing one with the same id) in one transaction; return its id."""
    g, bal, blocs = analysis.graph, analysis.balance, analysis.coalitions
    sid, events = _snapshot_id(store, g)
    t = bal.triangles
    meta = {"id": sid, "created_at": datetime.now(timezone.utc),
            **{p: g.graph.get(p) for p in PARAMS}, "events": events, "nodes": bal.nodes,
            "edges": bal.edges, "positive": bal.positive, "negative": bal.negative,
            "triangles_ppp": t["+++"], "triangles_ppn": t["++-"], "triangles_pnn": t["+--"],
            "triangles_nnn": t["---"], "degree_of_balance": bal.degree_of_balance,
            "frustration_index": bal.frustration_index,
            "frustration_lower_bound": bal.frustration_lower_bound,
            "frustration_exact": bal.exact, "frustration_method": bal.method,
            "blocs": len(blocs.blocs), "bloc_violations": blocs.cost}
    nodes = [{"snapshot_id": sid, "actor_id": str(n), "name": d.get("name"), "kind": d.get("kind"),
              "country": d.get("country"), "sector": d.get("sector"), "bloc": d["bloc"],
              "side": d["side"], **{m: d[m] for m in NODE_MEASURES}} for n, d in g.nodes(data=True)]
    edges = [{"snapshot_id": sid, "source": str(u), "target": str(v), "sign": d["sign"],
              "weight": float(d.get("weight", 1.0)), "events": d.get("events", 0),
              "event_ids": [str(x) for x in d.get("event_ids", [])], "frustrated": d["frustrated"],
              "violates_blocs": d["violates_blocs"]} for u, v, d in g.edges(data=True)]
    with store.transaction() as con:
        for table, column in (("network_edges", "snapshot_id"), ("network_nodes", "snapshot_id"),
                              ("network_snapshots", "id")):
            con.execute(f"DELETE FROM {table} WHERE {column} = ?", [sid])
        # Arrow batches through the store's bulk insert: 10^5 edges in well under a second.
        store._insert(con, "network_snapshots", [meta])
        store._insert(con, "network_nodes", nodes)
        store._insert(con, "network_edges", edges)
    return sid


def list_snapshots(store: Any) -> list[dict[str, Any]]:
    """Stored snapshots, newest first (empty if the store predates the snapshot tables)."""
    try:
        cur = store.con.execute("SELECT * FROM network_snapshots ORDER BY created_at DESC, id")
    except duckdb.CatalogException:
        return []
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def load_snapshot(store: Any, snapshot_id: str | None = None) -> nx.Graph:
    """The annotated graph of a stored snapshot (the newest when ``snapshot_id`` is None);
    ``graph.graph`` holds the snapshot's row (parameters and balance summary)."""
    snaps = list_snapshots(store)
    meta = next((s for s in snaps if snapshot_id is None or s["id"] == snapshot_id), None)
    if meta is None:
        raise FactionsError("E404", snapshot=snapshot_id or "", path=store.path)
    g = nx.Graph(**meta)
    cur = store.con.execute("SELECT * FROM network_nodes WHERE snapshot_id = ? ORDER BY actor_id", [meta["id"]])
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        d = dict(zip(cols, row))
        d.pop("snapshot_id")
        g.add_node(d.pop("actor_id"), **d)
    cur = store.con.execute("SELECT * FROM network_edges WHERE snapshot_id = ? ORDER BY source, target", [meta["id"]])
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        d = dict(zip(cols, row))
        d.pop("snapshot_id")
        g.add_edge(d.pop("source"), d.pop("target"), **d)
    return g
