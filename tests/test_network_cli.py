"""``factions network | balance | whatif | trends`` through click's CliRunner on real stores."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from factions.cli import main
from factions.store.db import Store
from test_network_fixtures import GAHUKU, WORLD_ACTORS, make_store, world_events


@pytest.fixture()
def world(tmp_path: Path) -> str:
    return str(make_store(tmp_path / "world.duckdb", world_events(), WORLD_ACTORS))


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_network_json_stores_a_snapshot(world):
    code, out, _ = run("network", "--db", world, "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["balance"]["frustration_index"] == 1 and len(d["edges"]) == 12
    assert len(d["coalitions"]["blocs"]) == 2 and d["brokers"] and d["hubs"]
    with Store(world, read_only=True) as store:
        (row,) = store.con.execute("SELECT id, nodes, edges FROM network_snapshots").fetchall()
    assert row == (d["snapshot"], 8, 12)


def test_network_table_and_exports(world, tmp_path):
    code, out, _ = run("network", "--db", world, "--since", "2024-01-01")
    assert code == 0 and "Coalitions" in out and "Hezbollah" in out and "frustration index" in out
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        path = tmp_path / f"n.{fmt}"
        code, out, _ = run("network", "--db", world, "--format", fmt, "--out", str(path))
        assert code == 0 and out == ""
        g = reader(path)
        assert g.number_of_edges() == 12 and g.nodes["RUS"]["name"] == "Russia"
    code, out, _ = run("network", "--db", world, "--format", "gexf")
    assert code == 0 and out.startswith("<?xml")


def test_balance_db_and_edge_list(world):
    code, out, _ = run("balance", "--db", world, "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert {"frustration_index", "triangles", "degree_of_balance", "blocs"} <= set(d)
    assert d["triangles"] == {"+++": 2, "++-": 1, "+--": 0, "---": 0}
    code, out, _ = run("balance", "--edges", str(GAHUKU), "--format", "json")
    d = json.loads(out)
    assert code == 0 and d["frustration_index"] == 7 and d["frustration_exact"]
    assert d["triangles"] == {"+++": 19, "++-": 2, "+--": 40, "---": 7}
    assert round(d["degree_of_balance"], 4) == 0.8676
    assert sorted(map(len, d["blocs"])) == [4, 12]
    code, out, _ = run("balance", "--edges", str(GAHUKU), "--method", "heuristic")
    assert code == 0 and "Gavev" in out


def test_balance_windows(tmp_path):
    p = tmp_path / "w.tsv"
    p.write_text("window\tsource\ttarget\tsign\n1990\ta\tb\t+\n1990\tb\tc\t-\n1990\ta\tc\t+\n"
                 "1991\ta\tb\t-\n1991\tb\tc\t-\n1991\ta\tc\t-\n")
    code, out, _ = run("balance", "--edges", str(p), "--format", "json")
    d = json.loads(out)
    assert code == 0 and set(d) == {"1990", "1991"}
    assert d["1990"]["frustration_index"] == 1 and d["1991"]["triangles"]["---"] == 1
    code, out, _ = run("balance", "--edges", str(p), "--window", "1991", "--format", "json")
    assert code == 0 and json.loads(out)["window"] == "1991"
    code, out, _ = run("balance", "--edges", str(p))
    assert code == 0 and "window 1990" in out and "window 1991" in out


def test_whatif_and_trends(world):
    code, out, _ = run("whatif", "--db", world, "--remove", "iran", "--format", "json")
    assert code == 0 and json.loads(out)["components"]["after"] == 2
    code, out, _ = run("whatif", "--db", world, "--remove", "USA", "--remove", "Iran")
    assert code == 0 and "Turkey" in out and "What if" in out
    code, out, _ = run("trends", "--db", world, "--dyad", "USA", "Russia", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["period"], r["score"]) for r in rows] == [("2024-03", "-7.2")]
    code, out, _ = run("trends", "--db", world, "--actor", "IRN", "--freq", "week", "--format", "json")
    assert code == 0 and json.loads(out)[0]["name"] == "Iran"
    code, out, _ = run("trends", "--db", world, "--by", "actor")
    assert code == 0 and "Hezbollah" in out


@pytest.mark.parametrize("args,code_", [
    (("whatif", "--remove", "Rusia"), "E400"),
    (("trends", "--dyad", "USA", "Nobody"), "E400"),
    (("balance", "--edges", "{tmp}/missing.csv"), "E401"),
    (("network", "--since", "yesterday"), "E403"),
    (("network", "--min-events", "50"), "E402"),
])
def test_errors_are_one_line_with_a_code(world, tmp_path, args, code_):
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    exit_code, out, err = run(*args, "--db", world)
    assert exit_code != 0 and out == ""
    assert err.startswith(f"error: [{code_}]") and err.count("\n") == 1


def test_missing_store_is_not_created(tmp_path):
    db = tmp_path / "nothing.duckdb"
    code, _, err = run("network", "--db", str(db))
    assert code != 0 and "[E305]" in err and not db.exists()


def test_help_texts_have_examples():
    for cmd in ("network", "balance", "whatif", "trends"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and "Example" in out and f"factions {cmd}" in out
