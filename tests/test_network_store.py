"""Ties, graphs, snapshots, trends and what-if over a real DuckDB store of hand-built events."""

from __future__ import annotations

import gzip
from pathlib import Path

import networkx as nx
import pytest

from factions.errors import FactionsError
from factions.model import PLOVER_TYPES, QUAD_CLASS
from factions.network.balance import analyse
from factions.network.graph import load_graph, read_edge_list, write_graph
from factions.network.relations import build_relations, plover_scores
from factions.network.snapshots import analyse_network, list_snapshots, load_snapshot, save_snapshot
from factions.network.trends import trends
from factions.network.whatif import whatif
from factions.store import migrations
from factions.store.db import Store
from test_network_fixtures import WORLD_ACTORS, actor, ev, make_store, world_events

WEST, EAST = {"USA", "GBR", "FRA", "TUR"}, {"RUS", "IRN", "SYR", "HEZ"}


@pytest.fixture()
def world(tmp_path: Path) -> Path:
    return make_store(tmp_path / "world.duckdb", world_events(), WORLD_ACTORS, docs=3)


def pair(g: nx.Graph, a: str, b: str) -> dict:
    return g.edges[a, b]


# -- relations -----------------------------------------------------------------------------------
def test_scores_cover_every_plover_type_with_the_documented_scale():
    s = plover_scores()
    assert set(s) == set(PLOVER_TYPES)
    assert s["ASSAULT"] == -9.3 and s["RETREAT"] == 7.6 and s["REQUEST"] == -5.0 and s["CONSULT"] == 2.1
    for t, v in s.items():   # cooperation positive, conflict negative
        assert (v > 0) == QUAD_CLASS[t].endswith("cooperation"), t


def test_build_relations_sign_weight_ids_and_exclusions():
    events = world_events()
    rels = {(r.source, r.target): r for r in build_relations(events)}
    assert len(rels) == 12
    usa_gbr = rels[("GBR", "USA")]                      # undirected: the pair is sorted
    assert usa_gbr.sign == 1 and usa_gbr.weight == pytest.approx(14.2) and len(usa_gbr.event_ids) == 2
    rus_usa = rels[("RUS", "USA")]
    assert rus_usa.sign == -1 and rus_usa.weight == pytest.approx(7.2)
    counted = {i for r in rels.values() for i in r.event_ids}
    skipped = {e.id for e in events if e.modality != "asserted" or e.target is None or e.source == e.target}
    assert len(skipped) == 5 and not counted & skipped
    # strongest first
    assert [r.weight for r in build_relations(events)] == sorted((r.weight for r in rels.values()), reverse=True)


def test_decay_by_half_life_can_flip_an_old_alliance():
    old, new = ev("COOPERATE", "A", "B", "2023-01-01"), ev("ACCUSE", "B", "A", "2024-01-01")
    (plain,) = build_relations([old, new])
    assert plain.sign == 1 and plain.weight == pytest.approx(4.8)
    (decayed,) = build_relations([old, new], half_life_days=30)
    assert decayed.sign == -1
    assert decayed.weight == pytest.approx(2.0 - 6.8 * 0.5 ** (365 / 30))
    (ref,) = build_relations([old, new], half_life_days=365, reference_date="2024-01-01")
    assert ref.weight == pytest.approx(6.8 * 0.5 - 2.0)
    with pytest.raises(FactionsError) as exc:
        build_relations([old], half_life_days=0)
    assert exc.value.code == "E403"


def test_cancelling_scores_leave_no_tie():
    assert build_relations([ev("REQUEST", "A", "B"), ev("CONCEDE", "B", "A")]) == []


# -- the graph from a store ----------------------------------------------------------------------
def test_load_graph_from_store(world):
    with Store(world, read_only=True) as store:
        g = load_graph(store)
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 12
    assert g.nodes["HEZ"] == {"name": "Hezbollah", "kind": "armed_group", "country": "LBN", "sector": "REB"}
    assert pair(g, "USA", "GBR")["sign"] == 1 and pair(g, "USA", "GBR")["events"] == 2
    assert pair(g, "FRA", "SYR")["sign"] == -1 and pair(g, "FRA", "SYR")["weight"] == pytest.approx(9.3)
    assert not g.has_edge("USA", "IRN")                 # hypothetical only
    assert not g.has_edge("GBR", "RUS")                 # negated / future only
    assert g.graph["min_events"] == 1


def test_since_until_min_events(world):
    with Store(world, read_only=True) as store:
        late = load_graph(store, since="2024-02-01")
        early = load_graph(store, until="2024-01-31")
        strong = load_graph(store, min_events=2)
        decayed = load_graph(store, half_life_days=30)
        with pytest.raises(FactionsError) as exc:
            load_graph(store, since="last week")
    assert {frozenset(e) for e in late.edges()} == {frozenset(p) for p in (("GBR", "USA"), ("RUS", "USA"), ("FRA", "SYR"))}
    assert pair(late, "GBR", "USA")["weight"] == pytest.approx(6.8)
    assert early.number_of_edges() == 10 and early.has_edge("HEZ", "IRN")   # dated by its document
    assert {frozenset(e) for e in strong.edges()} == {frozenset(("GBR", "USA")), frozenset(("RUS", "USA"))}
    # reference date = latest event (2024-03-02): AID aged 52 days, COOPERATE 21 days
    assert pair(decayed, "GBR", "USA")["weight"] == pytest.approx(7.4 * 0.5 ** (52 / 30) + 6.8 * 0.5 ** (21 / 30), rel=1e-5)
    assert exc.value.code == "E403"


def test_world_balance_and_coalitions(world):
    with Store(world, read_only=True) as store:
        g = load_graph(store)
    a = analyse_network(g)
    assert a.balance.triangles == {"+++": 2, "++-": 1, "+--": 0, "---": 0}
    assert a.balance.frustration_index == 1 and a.balance.exact
    assert sorted(map(set, a.coalitions.blocs), key=sorted) == sorted([WEST, EAST], key=sorted)
    assert [(set((u, v)), s) for u, v, s in a.coalitions.violations] == [({"TUR", "RUS"}, 1)]
    # TUR and RUS each lie on all 12 positive shortest paths between the blocs' far sides.
    assert {b["id"] for b in a.brokers()[:2]} == {"TUR", "RUS"}
    assert a.graph.nodes["TUR"]["bloc_reach"] == 1 and a.graph.nodes["USA"]["bloc_reach"] == 0
    assert a.hubs()[0]["id"] in ("USA", "RUS", "IRN")
    d = a.to_dict()
    assert {"nodes", "edges", "params", "balance", "coalitions", "brokers", "hubs"} <= set(d)
    assert all("event_ids" in e for e in d["edges"])


# -- snapshots -----------------------------------------------------------------------------------
def test_snapshot_roundtrip_and_replace(world):
    with Store(world) as store:
        assert "0002_network_snapshots" in migrations.applied(store.con)
        a = analyse_network(load_graph(store))
        sid = save_snapshot(store, a)
        assert save_snapshot(store, analyse_network(load_graph(store))) == sid   # same input: replaced
        assert len(list_snapshots(store)) == 1
        save_snapshot(store, analyse_network(load_graph(store, min_events=2)))
        snaps = list_snapshots(store)
        g = load_snapshot(store, sid)
        newest = load_snapshot(store)
    assert len(snaps) == 2
    assert g.graph["frustration_index"] == 1 and g.graph["nodes"] == 8 and g.graph["blocs"] == 2
    assert {frozenset(e) for e in g.edges()} == {frozenset(e) for e in a.graph.edges()}
    assert g.nodes["TUR"]["bloc"] == a.graph.nodes["TUR"]["bloc"]
    assert g.nodes["HEZ"]["name"] == "Hezbollah" and g.nodes["TUR"]["betweenness"] > 0
    e = g.edges["GBR", "USA"]
    assert e["sign"] == 1 and e["events"] == 2 and len(e["event_ids"]) == 2 and e["frustrated"] is False
    assert sum(d["violates_blocs"] for _, _, d in g.edges(data=True)) == 1
    assert newest.number_of_edges() == 2


def test_missing_snapshot_is_a_coded_error(world):
    with Store(world) as store:
        with pytest.raises(FactionsError) as exc:
            load_snapshot(store, "nope")
    assert exc.value.code == "E404"


# -- exports -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_exports_open_with_attributes(world, tmp_path, fmt, reader):
    with Store(world, read_only=True) as store:
        a = analyse_network(load_graph(store))
    out = tmp_path / f"net.{fmt}"
    write_graph(a.graph, fmt, out)
    g = reader(out)
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 12
    node = g.nodes["HEZ"]
    assert node["name"] == "Hezbollah" and node["country"] == "LBN" and node["kind"] == "armed_group"
    assert node["sector"] == "REB" and "bloc" in node
    e = g.edges["FRA", "SYR"]
    assert int(e["sign"]) == -1 and float(e["weight"]) == pytest.approx(9.3) and e["event_ids"]


# -- trends --------------------------------------------------------------------------------------
def test_trends_per_dyad(world):
    with Store(world, read_only=True) as store:
        rows = trends(store)
        one = trends(store, dyad=("united states", "United Kingdom"))
        weekly = trends(store, dyad=["USA", "RUS"], freq="week")
    usa_gbr = [r for r in rows if (r["a"], r["b"]) == ("GBR", "USA")]
    assert [(r["period"], r["material_cooperation"], r["score"]) for r in usa_gbr] == [("2024-01", 1, 7.4), ("2024-02", 1, 6.8)]
    assert one == usa_gbr
    assert [(r["period"], r["verbal_conflict"], r["material_conflict"], r["events"], r["score"]) for r in weekly] \
        == [("2024-W09", 1, 1, 2, -7.2)]
    assert not any({r["a"], r["b"]} == {"USA", "IRN"} for r in rows)   # hypothetical only


def test_trends_per_actor_counts_targetless_events(world):
    with Store(world, read_only=True) as store:
        (iran,) = trends(store, actor="Iran")
        days = trends(store, by="actor", freq="day")
    assert iran["period"] == "2024-01"
    assert (iran["verbal_cooperation"], iran["material_cooperation"], iran["verbal_conflict"],
            iran["material_conflict"], iran["events"]) == (1, 2, 1, 1, 5)
    assert iran["score"] == pytest.approx(6.8 + 4.6 - 5.1 - 6.6 + 7.4)
    assert {r["period"] for r in days} >= {"2024-01-01", "2024-01-15", "2024-03-02"}


def test_trends_errors(world):
    with Store(world, read_only=True) as store:
        with pytest.raises(FactionsError) as exc:
            trends(store, dyad=("USA", "Rusia"))
        assert exc.value.code == "E400" and "Russia (RUS)" in str(exc.value)
        with pytest.raises(FactionsError) as exc:
            trends(store, freq="hour")
        assert exc.value.code == "E403"


# -- what-if -------------------------------------------------------------------------------------
def test_whatif_component_split_and_lost_tie(world):
    with Store(world, read_only=True) as store:
        g = load_graph(store)
    r = whatif(g, ["iran"])
    assert r["removed"] == [{"id": "IRN", "name": "Iran"}]
    assert r["components"]["before"] == 1 and r["components"]["after"] == 2
    (split,) = r["components"]["split"]
    assert [len(p) for p in split["pieces"]] == [6, 1] and split["pieces"][1][0]["id"] == "HEZ"
    assert [x["actor"]["id"] for x in r["lost_ties"]] == ["HEZ"]
    assert r["balance"]["before"]["frustration_index"] == 1 == r["balance"]["after"]["frustration_index"]


def test_whatif_removing_usa_resolves_the_triangle_and_moves_turkey(world):
    with Store(world, read_only=True) as store:
        g = load_graph(store)
    r = whatif(g, ["United States"])
    assert r["balance"]["after"]["frustration_index"] == 0
    assert r["balance"]["before"]["degree_of_balance"] == pytest.approx(2 / 3)
    assert r["balance"]["after"]["degree_of_balance"] == 1.0
    assert [x["actor"]["id"] for x in r["lost_ties"]] == ["TUR"]
    assert [(x["actor"]["id"]) for x in r["blocs"]["moved"]] == ["TUR"]
    assert r["blocs"]["merged"] == [] and r["blocs"]["broken"] == []


def test_whatif_blocs_merge_and_break(tmp_path):
    acts = [actor(a, a.title()) for a in ("P", "Q", "R", "S", "X", "Y", "Z")]
    events = [ev("AID", "P", "Q"), ev("AID", "Q", "P"), ev("AID", "R", "S"), ev("COOPERATE", "Q", "R"), ev("CONSULT", "Q", "S"),
              ev("ASSAULT", "P", "S"), ev("ASSAULT", "P", "R"),          # P keeps {P,Q} apart from {R,S}
              ev("AID", "X", "Y"), ev("AID", "Y", "Z"), ev("ACCUSE", "X", "Z")]  # Y holds X and Z together
    path = make_store(tmp_path / "mb.duckdb", events, acts)
    with Store(path, read_only=True) as store:
        g = load_graph(store)
    merge = whatif(g, ["p"])
    (m,) = merge["blocs"]["merged"]
    assert {x["id"] for x in m["members"]} == {"Q", "R", "S"} and len(m["from_blocs"]) == 2
    brk = whatif(g, ["Y"])
    (b,) = brk["blocs"]["broken"]
    assert sorted(x["id"] for part in b["parts"] for x in part) == ["X", "Z"] and len(b["parts"]) == 2


def test_whatif_unknown_actor_suggests(world):
    with Store(world, read_only=True) as store:
        g = load_graph(store)
    with pytest.raises(FactionsError) as exc:
        whatif(g, ["Hezbolah"])
    assert exc.value.code == "E400" and "Hezbollah (HEZ)" in exc.value.line()


# -- signed edge lists ---------------------------------------------------------------------------
def test_edge_list_formats_windows_and_errors(tmp_path):
    p = tmp_path / "e.csv.gz"
    with gzip.open(p, "wt") as fh:
        fh.write("Window,Source,Target,Sign,note\nw1,a,b,+1,x\nw1,b,c,-1,\nw1,c,a,-1,\nw2,a,b,-,\nw2,b,a,-1,\nw2,c,c,1,\n")
    graphs = read_edge_list(p)
    assert set(graphs) == {"w1", "w2"}
    assert analyse(graphs["w1"]).frustration_index == 0
    assert graphs["w2"].edges["a", "b"]["sign"] == -1 and graphs["w2"].number_of_edges() == 1  # dup + self-loop
    assert set(read_edge_list(p, window="w2")) == {"w2"}
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\tsign\na\tb\tfriend\n")
    for path, window, needle in ((bad, None, "row 2"), (tmp_path / "none.csv", None, "not found"),
                                 (p, "w9", "no rows in window"),):
        with pytest.raises(FactionsError) as exc:
            read_edge_list(path, window)
        assert exc.value.code == "E401" and needle in exc.value.line()
    cols = tmp_path / "cols.csv"
    cols.write_text("from,to,sign\na,b,1\n")
    with pytest.raises(FactionsError) as exc:
        read_edge_list(cols)
    assert "no column source, target" in str(exc.value)
