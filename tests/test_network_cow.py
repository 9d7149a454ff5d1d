"""Exact frustration indices of the Correlates of War signed networks, 1946-1999 (51 windows).

Reference values (exact frustration index per window, triangle census) come with the data in
the shared evaluation folder (Doreian & Mrvar 2015 data via signnet; see that folder's
README.md); they are read from there, never copied into the repo. Skipped without the folder.
"""

from __future__ import annotations

import json
import time

import pytest

from factions.network.balance import degree_of_balance, frustration, triangle_census
from factions.network.graph import read_edge_list
from test_network_fixtures import SHARED

COW = SHARED / "cow_signed"
pytestmark = pytest.mark.skipif(not (COW / "reference.json").exists(),
                                reason=f"shared CoW evaluation data not present at {COW}")


@pytest.fixture(scope="module")
def cow() -> tuple[dict, dict]:
    graphs = read_edge_list(COW / "cow_doreian_mrvar_1946_1999.csv.gz")
    ref = {k: v for k, v in json.loads((COW / "reference.json").read_text()).items() if not k.startswith("_")}
    return graphs, ref


def test_all_51_windows_exact_frustration_and_triangles(cow):
    graphs, ref = cow
    assert len(ref) == 51 and set(graphs) == set(ref)
    slowest = 0.0
    for window, want in ref.items():
        g = graphs[window]
        assert (g.number_of_nodes(), g.number_of_edges()) == (want["nodes"], want["edges"]), window
        census = triangle_census(g)
        assert census == want["triangles"], window
        assert degree_of_balance(census) == pytest.approx(want["triangle_balance_ratio"], abs=1e-6)
        t0 = time.perf_counter()
        r = frustration(g, method="exact", time_limit=60)
        slowest = max(slowest, time.perf_counter() - t0)
        assert r.exact and r.value == want["frustration_index_L_exact"], window
        assert len(r.frustrated_edges) == r.value
    assert slowest < 10, f"slowest window took {slowest:.1f}s"


def test_published_windows(cow):
    graphs, _ = cow
    assert frustration(graphs["65-68"], method="exact").value == 23
    assert frustration(graphs["93-96"], method="exact").value == 50


@pytest.mark.parametrize("window", ["64-67", "81-84", "88-91", "93-96"])
def test_heuristic_bounds_bracket_the_exact_value(cow, window):
    graphs, ref = cow
    r = frustration(graphs[window], method="heuristic")
    assert r.lower_bound <= ref[window]["frustration_index_L_exact"] <= r.value
