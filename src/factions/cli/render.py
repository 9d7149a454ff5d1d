"""Human-readable rendering of coding results (rich tables on stdout)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def results_tables(res: dict[str, list[dict[str, Any]]], console: Console | None = None) -> None:
    """Print actors, events, figures and relations of a run as tables."""
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped into a file or a pager: do not squeeze to 80 columns
            console = Console(width=160)
    names = {a["id"]: a["name"] for a in res["actors"]}

    def name(actor_id: str | None) -> str:
        return "" if actor_id is None else names.get(actor_id, actor_id)

    t = Table(title=f"Events ({len(res['events'])})", show_lines=False)
    for col in ("type", "mode", "source", "target", "modality", "where", "when", "trigger", "conf"):
        t.add_column(col, overflow="fold")
    for e in res["events"]:
        loc = e.get("location") or {}
        style = None if e["modality"] == "asserted" else "dim"
        t.add_row(e["type"], e["mode"] or "", name(e["source"]), name(e["target"]), e["modality"],
                  loc.get("name") or "", e["date"] or "", e["trigger"], f"{e['confidence']:.2f}", style=style)
    console.print(t)
    t = Table(title=f"Actors ({len(res['actors'])})")
    for col in ("name", "kind", "country", "sector", "mentions", "also named"):
        t.add_column(col, overflow="fold")
    for a in res["actors"]:
        t.add_row(a["name"], a["kind"] or "", a["country"] or "", a["sector"] or "", str(a["mentions"]),
                  ", ".join(x for x in a["aliases"] if x != a["name"])[:80])
    console.print(t)
    if res["figures"]:
        t = Table(title=f"Figures ({len(res['figures'])})")
        for col in ("category", "value", "qualifier", "where", "claimed by"):
            t.add_column(col)
        for f in res["figures"]:
            loc = f.get("location") or {}
            t.add_row(f["category"], "" if f["value"] is None else str(f["value"]), f["qualifier"] or "",
                      loc.get("name") or "", name(f["attributed_to"]))
        console.print(t)
    if res["relations"]:
        t = Table(title=f"Relations ({len(res['relations'])})")
        for col in ("actor", "actor", "sign", "weight", "events"):
            t.add_column(col)
        for r in res["relations"]:
            t.add_row(name(r["source"]), name(r["target"]), "+" if r["sign"] > 0 else "-",
                      f"{r['weight']:.1f}", str(len(r["event_ids"])))
        console.print(t)
