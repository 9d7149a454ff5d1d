"""``factions network | balance | whatif | trends``: the signed actor network (docs/network.md)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from factions.cli.app import db_option, emit_json, fail, format_option, main
from factions.errors import FactionsError
from factions.network.balance import METHODS, BalanceResult, analyse
from factions.network.graph import load_graph, node_label, read_edge_list, write_graph
from factions.network.snapshots import NetworkAnalysis, analyse_network, save_snapshot
from factions.network.trends import BYS, FREQS, trends as run_trends
from factions.network.whatif import whatif as run_whatif
from factions.store.db import Store


def graph_options(fn: Any) -> Any:
    """--since/--until/--min-events/--half-life/--reference-date: which events make the graph."""
    for opt in reversed([
        click.option("--since", default=None, metavar="DATE", help="Only events on or after DATE (YYYY-MM-DD)."),
        click.option("--until", default=None, metavar="DATE", help="Only events on or before DATE."),
        click.option("--min-events", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Drop ties backed by fewer events."),
        click.option("--half-life", "half_life", type=click.FloatRange(min=0, min_open=True), default=None,
                     metavar="DAYS", help="Decay event scores by age with this half-life (default: no decay)."),
        click.option("--reference-date", default=None, metavar="DATE",
                     help="Date ages are measured from (default: the latest event)."),
    ]):
        fn = opt(fn)
    return fn


def solver_options(fn: Any) -> Any:
    """--method/--time-limit for the frustration index."""
    fn = click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                      metavar="SECONDS", help="Exact solver budget; past it: heuristic with a stated bound.")(fn)
    return click.option("--method", type=click.Choice(METHODS), default="auto", show_default=True,
                        help="Frustration index: exact integer program, heuristic (+bound), or auto by size.")(fn)


def _graph(store: Store, since: str | None, until: str | None, min_events: int, half_life: float | None,
           reference_date: str | None):
    g = load_graph(store, since, until, min_events, half_life_days=half_life, reference_date=reference_date)
    if g.number_of_edges() == 0:
        bits = [f"since {since}" if since else "", f"until {until}" if until else "",
                f"with >= {min_events} events" if min_events > 1 else ""]
        hint = " ".join(b for b in bits if b)
        raise FactionsError("E402", hint=f" ({hint})" if hint else "")
    return g


def _open(db: str, *, write: bool = False) -> Store:
    if not Path(db).exists():
        raise FactionsError("E305", path=db)
    return Store(db, read_only=not write)


def names(items: list[dict[str, str]]) -> str:
    """Comma-separated names of whatif's {"id", "name"} items."""
    return ", ".join(i["name"] for i in items)


def _fmt(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _print_balance(r: BalanceResult, console: Console, title: str = "Balance") -> None:
    t = Table(title=title, show_header=False)
    t.add_row("nodes / edges", f"{r.nodes} / {r.edges} ({r.positive} +, {r.negative} -)")
    t.add_row("triangles +++ / ++- / +-- / ---", " / ".join(str(r.triangles[k]) for k in ("+++", "++-", "+--", "---")))
    t.add_row("degree of balance", _fmt(r.degree_of_balance))
    how = "exact" if r.exact else f"best found by {r.method}; proven >= {r.frustration_lower_bound}"
    t.add_row("frustration index", f"{r.frustration_index} ({how}; {r.seconds:.2f}s)")
    label = (lambda n: r.names.get(n, str(n)))
    for k, bloc in enumerate(r.blocs):
        t.add_row(f"bloc {k} ({len(bloc)})", ", ".join(label(n) for n in bloc))
    shown = r.frustrated_edges[:30]
    more = f" ... and {len(r.frustrated_edges) - len(shown)} more" if len(r.frustrated_edges) > len(shown) else ""
    t.add_row("frustrating edges", ", ".join(f"{label(u)} {'+' if s > 0 else '-'} {label(v)}"
                                             for u, v, s in shown) + more or "none")
    console.print(t)


@main.command("network")
@db_option()
@graph_options
@solver_options
@format_option(["table", "json", "gexf", "graphml"], "table")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of stdout.")
def network(db: str, since: str | None, until: str | None, min_events: int, half_life: float | None,
            reference_date: str | None, method: str, time_limit: float, fmt: str, out: str | None) -> None:
    """Build the signed actor network, analyse it and store it as a snapshot in the store.

    Ties: PLOVER cooperation (+) and conflict (-) events between two actors, weighted by
    intensity scores (optionally decayed by age); only asserted events count. Prints the
    blocs, balance, brokers and hubs, or exports GEXF/GraphML for Gephi.

    \b
    Example:
        factions network --db news.duckdb --since 2024-01-01 --format gexf --out net.gexf
    """
    try:
        with _open(db, write=True) as store:
            g = _graph(store, since, until, min_events, half_life, reference_date)
            analysis = analyse_network(g, method=method, time_limit=time_limit)
            snapshot = save_snapshot(store, analysis)
    except FactionsError as exc:
        fail(exc)
        return
    if fmt in ("gexf", "graphml"):
        write_graph(analysis.graph, fmt, out or sys.stdout.buffer)
        return
    if fmt == "json":
        payload = {"snapshot": snapshot, **analysis.to_dict()}
        if out:
            Path(out).write_text(json.dumps(payload, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        else:
            emit_json(payload)
        return
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            _print_network(analysis, snapshot, Console(file=fh, width=120))
    else:
        _print_network(analysis, snapshot, Console())


def _print_network(analysis: NetworkAnalysis, snapshot: str, console: Console) -> None:
    g = analysis.graph
    _print_balance(analysis.balance, console, title=f"Network snapshot {snapshot}")
    blocs = Table(title=f"Coalitions ({len(analysis.coalitions.blocs)} blocs, "
                        f"{len(analysis.coalitions.violations)} violating ties)")
    blocs.add_column("bloc", justify="right")
    blocs.add_column("members")
    for k, bloc in enumerate(analysis.coalitions.blocs):
        blocs.add_row(str(k), ", ".join(node_label(g, n) for n in bloc))
    console.print(blocs)
    for title, rows, cols in (("Brokers (positive betweenness)", analysis.brokers(), ("betweenness", "bloc_reach")),
                              ("Hubs (allies)", analysis.hubs(), ("positive_degree", "negative_degree", "pn"))):
        t = Table(title=title)
        for c in ("name", "bloc", *cols):
            t.add_column(c)
        for r in rows:
            t.add_row(*(str(r[c]) for c in ("name", "bloc", *cols)))
        console.print(t)


@main.command("balance")
@db_option()
@click.option("--edges", "edges", type=click.Path(dir_okay=False), default=None,
              help="Analyse a signed edge list (csv/tsv/.gz; columns source, target, sign[, window]) instead.")
@click.option("--window", default=None, help="With --edges: only this window.")
@graph_options
@solver_options
@format_option(["table", "json"], "table")
def balance(db: str, edges: str | None, window: str | None, since: str | None, until: str | None,
            min_events: int, half_life: float | None, reference_date: str | None, method: str,
            time_limit: float, fmt: str) -> None:
    """Structural balance: triangle census, degree of balance, frustration index and blocs.

    The frustration index (fewest ties to flip for two perfectly balanced blocs) is solved
    exactly by integer programming; big graphs use a heuristic with a proven lower bound.
    With --edges, any signed network works; a file with a window column gives one result per
    window.

    \b
    Examples:
        factions balance --db news.duckdb --format json
        factions balance --edges tribes.tsv
    """
    try:
        if edges:
            graphs = read_edge_list(edges, window)
            results = {w: analyse(g, method=method, time_limit=time_limit) for w, g in graphs.items()}
        else:
            with _open(db) as store:
                g = _graph(store, since, until, min_events, half_life, reference_date)
            results = {"": analyse(g, method=method, time_limit=time_limit)}
    except FactionsError as exc:
        fail(exc)
        return
    windowed = len(results) > 1 or next(iter(results)) != ""
    if fmt == "json":
        if windowed and window is None:
            emit_json({w: r.to_dict() for w, r in results.items()})
        else:
            (w, r), = results.items()
            emit_json({**({"window": w} if windowed else {}), **r.to_dict()})
        return
    console = Console()
    for w, r in results.items():
        _print_balance(r, console, title=f"Balance, window {w}" if windowed else "Balance")


@main.command("whatif")
@db_option()
@click.option("--remove", "remove", multiple=True, required=True, metavar="ACTOR",
              help="Actor id or name to remove (repeat for several).")
@graph_options
@solver_options
@format_option(["table", "json"], "table")
def whatif(db: str, remove: tuple[str, ...], since: str | None, until: str | None, min_events: int,
           half_life: float | None, reference_date: str | None, method: str, time_limit: float,
           fmt: str) -> None:
    """What changes if actors disappear: split components, merged/broken blocs, balance, and
    actors losing their only positive tie to a bloc.

    \b
    Example:
        factions whatif --db news.duckdb --remove "Hezbollah" --remove IRN --format json
    """
    try:
        with _open(db) as store:
            g = _graph(store, since, until, min_events, half_life, reference_date)
        result = run_whatif(g, list(remove), method=method, time_limit=time_limit)
    except FactionsError as exc:
        fail(exc)
        return
    if fmt == "json":
        emit_json(result)
        return
    console = Console()
    t = Table(title=f"What if {names(result['removed'])} were gone", show_header=True)
    t.add_column("")
    t.add_column("before", justify="right")
    t.add_column("after", justify="right")
    b, a = result["balance"]["before"], result["balance"]["after"]
    comp = result["components"]
    t.add_row("actors / ties", f"{b['nodes']} / {b['edges']}", f"{a['nodes']} / {a['edges']}")
    t.add_row("components", str(comp["before"]), str(comp["after"]))
    t.add_row("blocs", str(len(result["blocs"]["before"])), str(len(result["blocs"]["after"])))
    t.add_row("frustration index", str(b["frustration_index"]), str(a["frustration_index"]))
    t.add_row("degree of balance", _fmt(b["degree_of_balance"]), _fmt(a["degree_of_balance"]))
    console.print(t)
    for s in comp["split"]:
        console.print(f"component of {s['size_before']} splits into: "
                      + " | ".join(names(p) for p in s["pieces"]))
    for x in result["blocs"]["broken"]:
        console.print(f"bloc {x['bloc']} breaks into: " + " | ".join(names(p) for p in x["parts"]))
    for x in result["blocs"]["merged"]:
        console.print(f"blocs {', '.join(map(str, x['from_blocs']))} merge: {names(x['members'])}")
    for x in result["blocs"]["moved"]:
        console.print(f"{x['actor']['name']} moves from bloc {x['from_bloc']} to bloc {x['to_bloc']}")
    for x in result["lost_ties"]:
        console.print(f"{x['actor']['name']} loses its only positive tie to bloc {x['bloc']} (via {names(x['via'])})")


@main.command("trends")
@db_option()
@click.option("--dyad", nargs=2, default=None, metavar="A B", help="Only this pair of actors (ids or names).")
@click.option("--actor", default=None, help="Only this actor (implies --by actor).")
@click.option("--by", type=click.Choice(BYS), default="dyad", show_default=True, help="Rows per dyad or per actor.")
@click.option("--freq", type=click.Choice(list(FREQS)), default="month", show_default=True, help="Period length.")
@format_option(["table", "json", "csv"], "table")
def trends(db: str, dyad: tuple[str, str] | None, actor: str | None, by: str, freq: str, fmt: str) -> None:
    """Cooperation and conflict over time: events per PLOVER quad class and summed score.

    \b
    Example:
        factions trends --db news.duckdb --dyad Israel Hamas --freq week --format csv
    """
    try:
        with _open(db) as store:
            rows = run_trends(store, dyad=dyad or None, freq=freq, by=by, actor=actor)
    except FactionsError as exc:
        fail(exc)
        return
    if fmt == "json":
        emit_json(rows)
        return
    if fmt == "csv":
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        return
    t = Table(title=f"Cooperation and conflict per {freq}",
              caption="events per PLOVER quad class: v/m = verbal/material, + cooperation, "
                      "- conflict; score = summed intensity")
    cols = [c for c in (rows[0] if rows else {}) if c not in ("a", "b", "actor")]
    short = {"a_name": "actor A", "b_name": "actor B", "verbal_cooperation": "v+",
             "material_cooperation": "m+", "verbal_conflict": "v-", "material_conflict": "m-"}
    for c in cols:
        head = short.get(c, c)
        if c in ("a_name", "b_name", "name"):    # names wrap; numbers and periods never do
            t.add_column(head)
        else:
            t.add_column(head, justify="left" if c == "period" else "right", no_wrap=True,
                         min_width={"period": 8, "score": 6}.get(c))
    for r in rows:
        t.add_row(*(str(r[c]) for c in cols))
    Console().print(t)
