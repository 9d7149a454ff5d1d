"""Benchmark the signed network on a generated (seeded) world of 10k actors and 1M events.

Times factions.network (ties, graph, balance, coalitions, centrality, what-if, and the DuckDB
path load_graph uses) next to plain networkx doing the closest equivalent job in the SAME run
on the SAME data, and prints a table of ratios (ours / networkx; < 1 means faster):

* build: ``build_relations`` + ``graph_from_relations`` vs a plain ``add_edge`` loop summing
  scores per pair;
* triangles: the signed census (sparse products) vs ``nx.triangles`` (unsigned counts);
* coalitions: signed Louvain-style blocs vs ``nx.community.louvain_communities`` on the
  positive subgraph (unsigned; the nearest thing networkx has);
* centrality: our signed measures (incl. positive betweenness, sampled pivots) vs networkx
  betweenness with the same pivots alone;
* what-if: the full report (two balance and two coalition runs) vs copy + remove + components.

The frustration index has no networkx counterpart; on 10k nodes the exact integer program
is not attempted: the heuristic runs, and its proven lower bound is printed with it.

    python bench/bench_network.py                 # 10k actors, 1M events
    python bench/bench_network.py --actors 2000 --events 100000 --no-store   # quick
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import scipy

from factions.model import QUAD_CLASS, Actor, CodedDocument, Document, Event
from factions.network.balance import analyse, triangle_census
from factions.network.coalitions import BETWEENNESS_PIVOTS, centrality, coalitions
from factions.network.graph import graph_from_relations, load_graph
from factions.network.relations import build_relations, plover_scores
from factions.network.whatif import whatif
from factions.store.db import Store

COOP = [t for t, q in QUAD_CLASS.items() if q.endswith("cooperation")]
CONF = [t for t, q in QUAD_CLASS.items() if q.endswith("conflict")]


def generate(n_actors: int, n_events: int, seed: int = 42) -> tuple[list[Actor], list[Event]]:
    """A planted world: 24 hidden blocs in two camps, heavy-tailed activity, ~20 contacts per
    actor. Events are cooperative with probability 0.9 inside a bloc, 0.6 between blocs of
    the same camp and 0.15 across camps (conflict otherwise) - roughly as balanced as real
    alliance networks. 10% of events are hypothetical/negated/future (must be ignored)."""
    rng = np.random.default_rng(seed)
    bloc = rng.integers(0, 24, n_actors)
    activity = rng.pareto(1.5, n_actors) + 1
    p = activity / activity.sum()
    contacts = [rng.choice(n_actors, size=max(2, int(rng.poisson(20))), p=p) for _ in range(n_actors)]
    src = rng.choice(n_actors, size=n_events, p=p)
    pick = rng.random(n_events)
    tgt = np.array([contacts[s][int(x * len(contacts[s]))] for s, x in zip(src.tolist(), pick.tolist())])
    p_coop = np.where(bloc[src] == bloc[tgt], 0.9, np.where(bloc[src] % 2 == bloc[tgt] % 2, 0.6, 0.15))
    cooperative = rng.random(n_events) < p_coop
    types = np.where(cooperative, np.array(COOP)[rng.integers(0, len(COOP), n_events)],
                     np.array(CONF)[rng.integers(0, len(CONF), n_events)])
    modality = np.array(["asserted", "hypothetical", "negated", "future"])[
        rng.choice(4, size=n_events, p=[0.9, 0.04, 0.03, 0.03])]
    days = rng.integers(0, 3650, n_events)
    dates = (np.datetime64("2015-01-01") + days).astype(str)
    actors = [Actor(f"A{i:05d}", f"Actor {i}", "organization", None, None) for i in range(n_actors)]
    events = [Event(f"e{k:07d}", f"d{k // 100:05d}", t, f"A{s:05d}", f"A{g:05d}", modality=m, date=d)
              for k, (t, s, g, m, d) in enumerate(zip(types.tolist(), src.tolist(), tgt.tolist(),
                                                       modality.tolist(), dates.tolist()))]
    return actors, events


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def plain_networkx_build(events: list[Event]) -> nx.Graph:
    """The same ties with a plain networkx add_edge loop (no decay, same filters, same signs)."""
    scores = plover_scores()
    g = nx.Graph()
    for e in events:
        if e.modality != "asserted" or not e.source or not e.target or e.source == e.target:
            continue
        if g.has_edge(e.source, e.target):
            g[e.source][e.target]["w"] += scores[e.type]
        else:
            g.add_edge(e.source, e.target, w=scores[e.type])
    for u, v, d in list(g.edges(data=True)):
        if abs(d["w"]) <= 1e-9:
            g.remove_edge(u, v)
        else:
            d["sign"], d["weight"] = (1 if d["w"] > 0 else -1), abs(d["w"])
    return g


def to_store(path: Path, actors: list[Actor], events: list[Event]) -> None:
    docs: dict[str, list[Event]] = {}
    for e in events:
        docs.setdefault(e.doc_id, []).append(e)
    coded = []
    for k, (doc_id, evs) in enumerate(docs.items()):
        doc = Document.from_text(f"bench document {doc_id}", date="2015-01-01")
        for e in evs:
            e.doc_id = doc.id
        coded.append(CodedDocument(doc, actors if k == 0 else [], [], evs))
    with Store(path) as store:
        store.add(coded)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-store", action="store_true", help="skip the DuckDB load_graph step")
    args = ap.parse_args()

    print(f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpu(s), "
          f"Python {platform.python_version()}, networkx {nx.__version__}, scipy {scipy.__version__}")
    (actors, events), t_gen = timed(generate, args.actors, args.events, args.seed)
    print(f"# generated {len(actors):,} actors, {len(events):,} events in {t_gen:.1f}s")

    rows: list[tuple[str, float, float | None, str]] = []
    rels, t_rel = timed(build_relations, events)
    g, t_graph = timed(graph_from_relations, rels, actors)
    base, t_base = timed(plain_networkx_build, events)
    assert base.number_of_edges() == g.number_of_edges()
    rows.append(("build ties + graph", t_rel + t_graph, t_base,
                 f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} ties"))

    if not args.no_store:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            _, t_write = timed(to_store, db, actors, events)
            with Store(db, read_only=True) as store:
                g2, t_load = timed(load_graph, store)
            assert g2.number_of_edges() == g.number_of_edges()
        rows.append(("load_graph from DuckDB", t_load, None, f"(writing the store took {t_write:.1f}s)"))

    census, t_tri = timed(triangle_census, g)
    tri, t_nx_tri = timed(nx.triangles, g)
    assert sum(census.values()) == sum(tri.values()) // 3
    rows.append(("triangle census (signed)", t_tri, t_nx_tri, f"{sum(census.values()):,} triangles"))

    bal, t_bal = timed(analyse, g, method="heuristic")
    rows.append(("balance (census + frustration heuristic)", t_bal, None,
                 f"L <= {bal.frustration_index:,}, proven >= {bal.frustration_lower_bound:,}; "
                 f"degree of balance {bal.degree_of_balance:.3f}"))

    pos = nx.Graph([(u, v) for u, v, d in g.edges(data=True) if d["sign"] > 0])
    blocs, t_blocs = timed(coalitions, g)
    louv, t_louv = timed(nx.community.louvain_communities, pos, seed=0)
    rows.append(("coalitions (signed) vs louvain (positive)", t_blocs, t_louv,
                 f"{len(blocs.blocs)} blocs vs {len(louv)} communities"))

    _, t_cent = timed(centrality, g, blocs.membership)
    _, t_btw = timed(nx.betweenness_centrality, pos, k=BETWEENNESS_PIVOTS, seed=0)
    rows.append(("centrality (signed set) vs betweenness", t_cent, t_btw, f"{BETWEENNESS_PIVOTS} pivots"))

    hub = max(g.degree, key=lambda x: x[1])[0]
    _, t_what = timed(whatif, g, [hub], method="heuristic")

    def nx_whatif() -> int:
        h = g.copy()
        h.remove_node(hub)
        return nx.number_connected_components(h)

    _, t_nx_what = timed(nx_whatif)
    rows.append(("whatif (remove top hub)", t_what, t_nx_what, "full report vs copy+remove+components"))

    print()
    print("| step | factions (s) | networkx (s) | ratio | note |")
    print("|---|---:|---:|---:|---|")
    for name, ours, theirs, note in rows:
        ratio = f"{ours / theirs:.2f}" if theirs else "-"
        print(f"| {name} | {ours:.2f} | {'-' if theirs is None else f'{theirs:.2f}'} | {ratio} | {note} |")


if __name__ == "__main__":
    main()
