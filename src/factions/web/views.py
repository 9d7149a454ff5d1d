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
        return {**_payload(graph, _balance(graph)), "removed": [], "baseline": None}
    from factions.network.whatif import whatif
    raise NotImplementedError(whatif)


def timeline_view(store: Store, *, actor: str, counterpart: str | None, freq: str) -> dict[str, Any]:
    """Cooperation and conflict counts per period for an actor (or a dyad)."""
    from factions.network.trends import trends
    raise NotImplementedError(trends)
