"""The network, balance, what-if and timeline payloads of the page, over factions.network.

Nothing here computes a tie, a sign, a bloc or a trend: it calls the network package
(``graph.load_graph``, ``balance.analyse``, ``whatif.whatif``, ``trends.trends``) and shapes
the results into the JSON the page draws.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from factions.network.balance import BalanceResult, analyse
from factions.network.graph import load_graph
from factions.network.trends import QUADS, trends
from factions.network.whatif import whatif
from factions.store.db import Store

#: Seconds the exact frustration solver may spend for one page request.
BALANCE_TIME_LIMIT = 5.0


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _balance(graph: nx.Graph) -> BalanceResult:
    return analyse(graph, time_limit=BALANCE_TIME_LIMIT)


def _payload(graph: nx.Graph, result: BalanceResult) -> dict[str, Any]:
    bloc_of = result.partition
    activity: dict[Any, int] = {n: 0 for n in graph}
    for u, v, d in graph.edges(data=True):
        activity[u] += d.get("events", 1)
        activity[v] += d.get("events", 1)
    nodes = [{"id": str(n), "name": d.get("name") or str(n), "kind": d.get("kind"),
              "country": d.get("country"), "activity": activity[n], "bloc": bloc_of.get(n)}
             for n, d in graph.nodes(data=True)]
    edges = [{"source": str(u), "target": str(v), "sign": d["sign"], "weight": round(d["weight"], 4),
              "events": d.get("events", 0)} for u, v, d in graph.edges(data=True)]
    return {"nodes": nodes, "edges": edges, "balance": result.to_dict()}


def network_view(store: Store, *, since: date | None, until: date | None, min_events: int,
                 remove: list[str]) -> dict[str, Any]:
    """Nodes, signed edges and the balance analysis; with ``remove``, the what-if graph and
    the balance of the full graph as ``baseline``."""
    graph = load_graph(store, _iso(since), _iso(until), min_events)
    if not remove:
        return {**_payload(graph, _balance(graph)), "removed": [], "baseline": None, "whatif": None}
    report = whatif(graph, remove, time_limit=BALANCE_TIME_LIMIT)
    gone = [r["id"] for r in report["removed"]]
    after = graph.copy()
    after.remove_nodes_from(gone)
    return {**_payload(after, _balance(after)), "removed": gone,
            "baseline": report["balance"]["before"], "whatif": report}


def timeline_view(store: Store, *, actor: str, counterpart: str | None, freq: str) -> dict[str, Any]:
    """Cooperation and conflict per period for an actor, or for the dyad actor-counterpart."""
    if counterpart:
        rows = trends(store, dyad=(actor, counterpart), freq=freq)
        title = (f"{rows[0]['a_name']} — {rows[0]['b_name']}" if rows
                 else f"{actor} — {counterpart}")
    else:
        rows = trends(store, freq=freq, actor=actor)
        title = rows[0]["name"] if rows else actor
    points = [{"period": r["period"], "events": r["events"], "score": r["score"],
               "cooperation": r["verbal_cooperation"] + r["material_cooperation"],
               "conflict": r["verbal_conflict"] + r["material_conflict"],
               **{q: r[q] for q in QUADS}} for r in rows]
    return {"title": f"{title}: asserted events per {freq}", "freq": freq, "points": points}
