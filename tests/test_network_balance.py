"""Balance measures against published numbers (Gahuku-Gama) and graphs with known answers."""

from __future__ import annotations

import csv
import itertools

import networkx as nx
import numpy as np
import pytest

from factions.network.balance import analyse, frustration, triangle_census, violations
from factions.network.coalitions import coalitions, pn_centrality
from factions.network.graph import read_edge_list
from test_network_fixtures import GAHUKU, SHARED, signed

WEST = {"Gavev", "Kotun", "Nagad", "Gama"}
HAGE_HARARY = [WEST, {"Ove", "Alika", "Gahuk", "Masil", "Ukudz", "Geham", "Asaro"},
               {"Nagam", "Notoh", "Kohik", "Uheto", "Seuve"}]


@pytest.fixture(scope="module")
def gama() -> nx.Graph:
    (g,) = read_edge_list(GAHUKU).values()
    return g


def brute_force(g: nx.Graph) -> tuple[int, list[frozenset]]:
    """Minimum violated edges over every two-bloc split, and the splits attaining it."""
    nodes = sorted(g)
    idx = {n: i for i, n in enumerate(nodes)}
    u = np.array([idx[a] for a, b in g.edges()])
    v = np.array([idx[b] for a, b in g.edges()])
    s = np.array([g.edges[a, b]["sign"] for a, b in g.edges()])
    # Node 0 fixed to bloc 0: a split and its mirror image are the same split.
    sides = np.array(list(itertools.product((0, 1), repeat=len(nodes) - 1)), dtype=np.int8)
    sides = np.hstack([np.zeros((len(sides), 1), dtype=np.int8), sides])
    same = sides[:, u] == sides[:, v]
    cost = np.where(s > 0, ~same, same).sum(axis=1)
    best = int(cost.min())
    splits = [frozenset(n for n, x in zip(nodes, row) if x) for row in sides[cost == best]]
    return best, splits


# -- Gahuku-Gama (Read 1954; Hage & Harary 1983) -------------------------------------------------
def test_fixture_is_the_published_network(gama):
    assert gama.number_of_nodes() == 16 and gama.number_of_edges() == 58
    signs = [d["sign"] for _, _, d in gama.edges(data=True)]
    assert signs.count(1) == 29 and signs.count(-1) == 29


def test_fixture_matches_konect_copy(gama):
    ref = SHARED / "gahuku_gama" / "edges.tsv"
    if not ref.exists():
        pytest.skip(f"shared evaluation data not present at {ref}")
    with ref.open(encoding="utf-8") as fh:
        theirs = {frozenset((r["source"], r["target"])): int(r["sign"]) for r in csv.DictReader(fh, delimiter="\t")}
    ours = {frozenset((u, v)): d["sign"] for u, v, d in gama.edges(data=True)}
    assert ours == theirs


def test_gahuku_gama_triangles_and_degree_of_balance(gama):
    assert triangle_census(gama) == {"+++": 19, "++-": 2, "+--": 40, "---": 7}
    r = analyse(gama)
    assert r.degree_of_balance == pytest.approx(59 / 68)
    assert round(r.degree_of_balance, 4) == 0.8676


def test_gahuku_gama_frustration_index_is_7_with_the_unique_split(gama):
    r = analyse(gama, method="exact")
    assert r.frustration_index == 7 and r.exact and r.frustration_lower_bound == 7
    assert len(r.frustrated_edges) == 7
    assert sorted(map(set, r.blocs), key=len) == [WEST, set(gama) - WEST]
    # Independent check: exhaustive search over all 2^15 splits finds 7, attained once.
    best, splits = brute_force(gama)
    assert best == 7
    assert len(splits) == 1 and splits[0] in (frozenset(WEST), frozenset(set(gama) - WEST))


def test_gahuku_gama_heuristic_finds_7_and_a_valid_bound(gama):
    r = frustration(gama, method="heuristic")
    assert r.value == 7 and r.lower_bound <= 7
    assert r.method == "heuristic"


def test_hage_harary_three_blocs_leave_two_violating_ties(gama):
    part = {n: k for k, bloc in enumerate(HAGE_HARARY) for n in bloc}
    bad = violations(gama, part)
    assert {frozenset((u, v)) for u, v, _ in bad} == {frozenset(("Masil", "Nagam")), frozenset(("Masil", "Uheto"))}
    assert all(s == 1 for _, _, s in bad)   # both positive ties across blocs


def test_coalitions_recover_hage_harary_blocs(gama):
    c = coalitions(gama)
    assert sorted(map(set, c.blocs), key=len) == sorted(HAGE_HARARY, key=len)
    assert c.cost == 2 and len(c.violations) == 2


# -- hand-made graphs with known answers ---------------------------------------------------------
def test_balanced_two_bloc_graph():
    g = signed([("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1),
                ("a", "x", -1), ("b", "x", -1), ("b", "y", -1), ("c", "x", -1)])
    r = analyse(g)
    assert r.frustration_index == 0 and r.exact
    assert sorted(map(set, r.blocs), key=len) == [{"x", "y"}, {"a", "b", "c"}]
    assert r.degree_of_balance == 1.0
    # abc is +++; abx, acx, bcx and bxy each have two enemies sharing an ally: +--.
    assert r.triangles == {"+++": 1, "++-": 0, "+--": 4, "---": 0}
    assert coalitions(g).cost == 0


def test_all_negative_triangle():
    g = signed([("a", "b", -1), ("b", "c", -1), ("a", "c", -1)])
    r = analyse(g)
    assert r.triangles == {"+++": 0, "++-": 0, "+--": 0, "---": 1}
    assert r.degree_of_balance == 0.0
    assert r.frustration_index == 1 and r.exact
    # Three blocs satisfy it (weak balance / clusterability): Davis's generalisation.
    c = coalitions(g)
    assert len(c.blocs) == 3 and c.cost == 0


def test_graph_whose_only_frustrating_edge_is_known():
    # Two positive cliques hostile to each other, plus ONE positive tie across: b-y.
    left, right = ["a", "b", "c", "d"], ["w", "x", "y", "z"]
    edges = [(p, q, 1) for side in (left, right) for p, q in itertools.combinations(side, 2)]
    edges += [(p, q, -1) for p in left for q in right if (p, q) != ("b", "y")]
    edges.append(("b", "y", 1))
    g = signed(edges)
    r = analyse(g, method="exact")
    assert r.frustration_index == 1
    assert [(set((u, v)), s) for u, v, s in r.frustrated_edges] == [({"b", "y"}, 1)]
    assert sorted(map(set, r.blocs)) == [set(left), set(right)]


def test_bridges_pendants_components_and_isolated_nodes():
    g = signed([("a", "b", -1), ("b", "c", -1), ("a", "c", -1),        # L = 1
                ("c", "d", -1), ("d", "e", 1),                          # pendant path
                ("p", "q", -1), ("q", "r", -1), ("p", "r", -1), ("r", "s", 1), ("s", "p", 1)])
    g.add_node("lonely")
    r = analyse(g)
    best, _ = brute_force(g)
    assert r.frustration_index == best == 2 and r.exact
    assert len(violations(g, r.partition)) == 2
    assert sum(len(b) for b in r.blocs) == g.number_of_nodes()


def test_exact_solver_matches_brute_force_on_random_graphs():
    rng = np.random.default_rng(7)
    for trial in range(25):
        n = int(rng.integers(5, 12))
        g = nx.gnp_random_graph(n, 0.5, seed=int(rng.integers(1 << 30)))
        for u, v in g.edges():
            g.edges[u, v]["sign"] = 1 if rng.random() < 0.6 else -1
        best, _ = brute_force(g)
        exact = frustration(g, method="exact")
        assert exact.value == best and exact.exact, trial
        heur = frustration(g, method="heuristic")
        assert heur.lower_bound <= best <= heur.value, trial
        assert len(violations(g, heur.partition)) == heur.value


def test_time_limited_solve_reports_a_bound():
    # A dense random signed graph the solver cannot finish in 0.05 s: the answer must still
    # be a valid split with lower <= value, and flagged as not exact unless proven.
    g = nx.gnp_random_graph(120, 0.3, seed=3)
    rng = np.random.default_rng(3)
    for u, v in g.edges():
        g.edges[u, v]["sign"] = 1 if rng.random() < 0.5 else -1
    r = frustration(g, method="exact", time_limit=0.05)
    assert r.lower_bound <= r.value == len(violations(g, r.partition))
    assert r.exact == (r.lower_bound == r.value)
    assert "heuristic" in r.method


def test_bad_sign_and_method_are_coded_errors():
    from factions.errors import FactionsError
    g = nx.Graph()
    g.add_edge("a", "b", sign=0)
    with pytest.raises(FactionsError) as exc:
        analyse(g)
    assert exc.value.code == "E403"
    with pytest.raises(FactionsError) as exc:
        frustration(signed([("a", "b", 1)]), method="fast")
    assert exc.value.code == "E403"


def test_pn_centrality_on_a_star():
    # Everett & Borgatti (2014): PN = (I - A/(2n-2))^-1 1, A = P - 2N. Star centre c with two
    # allies and one enemy, n = 4: solved by hand from the 4x4 system.
    g = signed([("c", "a", 1), ("c", "b", 1), ("c", "e", -1)])
    A = np.array([[0, 1, 1, -2], [1, 0, 0, 0], [1, 0, 0, 0], [-2, 0, 0, 0]], dtype=float)  # c, a, b, e
    expect = np.linalg.solve(np.eye(4) - A / 6.0, np.ones(4))
    pn = pn_centrality(g)
    assert [pn[n] for n in ("c", "a", "b", "e")] == pytest.approx(expect.tolist())
    assert pn["a"] > pn["e"]     # allied to the centre beats hostile to it
