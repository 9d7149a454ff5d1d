"""What if some actors were gone? Compare the network before and after removing them.

Reported (see docs/network.md for the exact definitions):

* ``components``: connected components before/after, and every component that splits
  (its surviving members now lie in two or more components);
* ``blocs``: the coalitions before/after (:func:`factions.network.coalitions.coalitions`; the
  after-run starts from the before-blocs so that only real changes show), matched by
  membership: each after-bloc's *heir* is the before-bloc most of its members come from. A
  bloc **breaks** when it is the heir of several after-blocs (its survivors regrouped apart);
  blocs **merge** when one after-bloc holds the majority of the survivors of several; an actor
  **moved** when its after-bloc is the heir of another bloc than its own;
* ``balance``: frustration index (with its bound) and degree of balance, before and after;
* ``lost_ties``: surviving actors whose every positive tie into some bloc ran through the
  removed actors - they lose their only link of alliance to that bloc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import networkx as nx

from factions.network.balance import analyse, edge_sign
from factions.network.coalitions import coalitions
from factions.network.graph import node_label, resolve_actor

Node = Hashable


def _summary(graph: nx.Graph, method: str, time_limit: float) -> dict[str, Any]:
    r = analyse(graph, method=method, time_limit=time_limit)
    return {"nodes": r.nodes, "edges": r.edges, "frustration_index": r.frustration_index,
            "frustration_lower_bound": r.frustration_lower_bound, "frustration_exact": r.exact,
            "degree_of_balance": r.degree_of_balance, "triangles": r.triangles}


def _ids(graph: nx.Graph, nodes: Iterable[Node]) -> list[dict[str, str]]:
    return [{"id": str(n), "name": node_label(graph, n)} for n in sorted(nodes, key=str)]


def whatif(graph: nx.Graph, remove: Sequence[str], *, method: str = "auto",
           time_limit: float = 60.0, seed: int = 0) -> dict[str, Any]:
    """Remove actors (ids or names, case-insensitive; E400 with suggestions when unknown) and
    report the components that split, blocs that merge or break, balance before and after, and
    actors losing their only positive tie to a bloc. Returns plain JSON-able data."""
    names = {str(n): node_label(graph, n) for n in graph}
    by_str = {str(n): n for n in graph}
    gone = list(dict.fromkeys(by_str[resolve_actor(r, names)] for r in remove))
    after = graph.copy()
    after.remove_nodes_from(gone)
    left = set(after)

    # Components that split.
    comp_after = {n: k for k, c in enumerate(nx.connected_components(after)) for n in c}
    splits = []
    for comp in nx.connected_components(graph):
        survivors = comp & left
        pieces: dict[int, list[Node]] = {}
        for n in survivors:
            pieces.setdefault(comp_after[n], []).append(n)
        if len(pieces) > 1:
            splits.append({"size_before": len(comp),
                           "pieces": sorted((_ids(graph, p) for p in pieces.values()), key=len, reverse=True)})

    # Blocs: before, after (started from the before-blocs), then matched by membership.
    before_blocs = coalitions(graph, seed=seed)
    after_blocs = coalitions(after, seed=seed, starts=[before_blocs.membership])
    mb, ma = before_blocs.membership, after_blocs.membership
    heir = {}   # after-bloc -> the before-bloc most of its members come from
    for j, bloc in enumerate(after_blocs.blocs):
        counts = Counter(mb[n] for n in bloc)
        heir[j] = min(counts, key=lambda k: (-counts[k], k))
    survivors = {k: [n for n in bloc if n in left] for k, bloc in enumerate(before_blocs.blocs)}
    broken = []
    for k, members in survivors.items():
        heirs = [j for j in heir if heir[j] == k]
        if len(heirs) > 1:
            broken.append({"bloc": k, "parts": [_ids(graph, [n for n in after_blocs.blocs[j] if mb[n] == k])
                                                for j in heirs]})
    merged = []
    for j, bloc in enumerate(after_blocs.blocs):
        inside = Counter(mb[n] for n in bloc)
        sources = sorted(k for k, c in inside.items() if c > len(survivors[k]) / 2)
        if len(sources) > 1:
            merged.append({"bloc_after": j, "from_blocs": sources, "members": _ids(graph, bloc)})
    moved = [{"actor": _ids(graph, [n])[0], "from_bloc": mb[n], "to_bloc": heir[ma[n]]}
             for n in sorted(left, key=str) if heir[ma[n]] != mb[n]]

    # Actors whose only positive ties into a bloc ran through removed actors.
    lost = []
    for n in sorted(left, key=str):
        via: dict[int, list[Node]] = {}
        kept: set[int] = set()
        for nb in graph[n]:
            if edge_sign(graph, n, nb) < 0:
                continue
            if nb in left:
                kept.add(mb[nb])
            else:
                via.setdefault(mb[nb], []).append(nb)
        for bloc, removed in sorted(via.items()):
            if bloc not in kept:
                lost.append({"actor": _ids(graph, [n])[0], "bloc": bloc, "via": _ids(graph, removed)})

    return {
        "removed": _ids(graph, gone),
        "components": {"before": nx.number_connected_components(graph),
                       "after": nx.number_connected_components(after), "split": splits},
        "blocs": {"before": [_ids(graph, b) for b in before_blocs.blocs],
                  "after": [_ids(graph, b) for b in after_blocs.blocs],
                  "broken": broken, "merged": merged, "moved": moved},
        "balance": {"before": _summary(graph, method, time_limit),
                    "after": _summary(after, method, time_limit)},
        "lost_ties": lost,
    }
