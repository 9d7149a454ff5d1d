"""Rendering evaluation reports: rich tables for people, one JSON object for programs.

A report is the dict built by :mod:`factions.evaluate.score` plus the run's metadata (see
:func:`factions.evaluate.run.evaluate`). :func:`print_report` draws it as tables;
``json.dumps(report)`` is the JSON form.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

#: The modality error rate the project aims to stay under.
MODALITY_ERROR_TARGET = 0.03


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def prf_table(title: str, rows: dict[str, dict[str, Any]], first: str = "") -> Table:
    """A table of P/R/F1 rows (values as percentages) with their tp/fp/fn counts."""
    t = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    t.add_column(first)
    for col in ("P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="right")
    for name, r in rows.items():
        if r["tp"] + r["fp"] + r["fn"] == 0:
            t.add_row(name, "n/a", "n/a", "n/a", "0", "0", "0")
        else:
            t.add_row(name, _pct(r["precision"]), _pct(r["recall"]), _pct(r["f1"]), str(r["tp"]), str(r["fp"]),
                      str(r["fn"]))
    return t


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _listing(title: str, rows: list[dict[str, Any]], total: int) -> Table:
    t = Table(title=f"{title} ({len(rows)} of {total} shown)" if total > len(rows) else f"{title} ({total})",
              title_justify="left", show_edge=False, pad_edge=False, show_lines=False)
    for col in ("id", "type", "source", "target", "modality", "why", "text"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["id"], r["type"] + (f"/{r['mode']}" if r.get("mode") else ""), r["source"], r["target"],
                  r["modality"], r["note"], _short(r["text"]))
    return t


def header(report: dict[str, Any]) -> str:
    """One line naming the gold file, its format and what was scored."""
    skipped = f", {report['skipped']} skipped" if report.get("skipped") else ""
    return (f"[bold]{report['gold']}[/bold] ({report['format']}): {report['texts']} texts{skipped}, "
            f"coded {report['coded_at']}")


def print_events(report: dict[str, Any], console: Console) -> None:
    """The tables of an event report."""
    ev = report["events"]
    console.print(prf_table("Events (asserted; dyad = type + source + target)",
                            {"type only": ev["type"], "actors only (any type)": ev["actors"], "dyad": ev["dyad"],
                             "dyad + sectors": ev["strict"]}))
    console.print()
    console.print(prf_table("Per event type (dyad level)", ev["per_type"], "type"))
    console.print()
    console.print(prf_table("Per modality (gold vs predicted events of that modality)", ev["per_modality"],
                            "modality"))
    me = report["modality_errors"]
    flag = "[green]ok[/green]" if me["rate"] < MODALITY_ERROR_TARGET else "[red]above target[/red]"
    by = ", ".join(f"{m} {v['reported_as_asserted']}/{v['gold']}" for m, v in me["by_modality"].items())
    console.print(f"\nModality errors: {me['reported_as_asserted']} of {me['gold_non_asserted']} "
                  f"hypothetical/negated/future events reported as asserted = {_pct(me['rate'])}% "
                  f"(target < {_pct(MODALITY_ERROR_TARGET)}%: {flag}; {by or 'none in gold'})")
    if me["asserted_reported_as"]:
        console.print("Asserted events reported with another modality: "
                      + ", ".join(f"{k} {v}" for k, v in me["asserted_reported_as"].items()))
    ne = report["no_event_texts"]
    if ne["texts"]:
        console.print(f"Texts with no gold event: {ne['without_false_alarm']} of {ne['texts']} got no asserted event")
    console.print()
    other = {"actors: country": report["actors"]["country"], "actors: country + sector": report["actors"]["strict"],
             "modes": report["modes"], "locations": report["locations"], "figures": report["figures"]}
    console.print(prf_table("Actors, modes, locations, figures", other))
    att = report["figures"]["attribution"]
    if att["scored"]:
        console.print(f"Figure attribution: {att['correct']} of {att['scored']} right ({_pct(att['accuracy'])}%)")
    console.print()
    console.print(_listing("Misses", report["misses"], report["misses_total"]))
    console.print()
    console.print(_listing("False alarms", report["false_alarms"], report["false_alarms_total"]))


def print_pentaclass(report: dict[str, Any], console: Console) -> None:
    """The tables of a CAMEO PentaClass report."""
    for key, title in (("none_own_outcome", "'no event' as its own outcome"),
                       ("none_as_class_0", "'no event' read as class 0 (statement/appeal)")):
        r = report[key]
        console.print(f"PentaClass, {title}: accuracy {_pct(r['accuracy'])}%, macro-F1 {_pct(r['macro_f1'])}%")
        console.print(prf_table("", r["per_class"], "class"))
        console.print()
    fi = report.get("future_as_intent")
    if fi:
        console.print(f"Future events read as CAMEO intentions (cooperation 1, conflict 3) where no event is asserted: "
                      f"accuracy {_pct(fi['accuracy'])}%, macro-F1 {_pct(fi['macro_f1'])}%")
        console.print()
    t = Table(title="Confusion (rows gold, columns predicted)", title_justify="left", show_edge=False)
    outs = sorted({o for row in report["confusion"].values() for o in row}, key=str)
    t.add_column("gold")
    for o in outs:
        t.add_column(o, justify="right")
    for g, row in report["confusion"].items():
        t.add_row(g, *(str(row.get(o, 0)) for o in outs))
    console.print(t)
    console.print()
    e = Table(title=f"Errors ({len(report['errors'])} shown)", title_justify="left", show_edge=False)
    for col in ("id", "gold", "predicted", "event", "text"):
        e.add_column(col, overflow="fold")
    for r in report["errors"]:
        e.add_row(r["id"], str(r["label"]), str(r["predicted"]), r["event"] or "-", _short(r["text"]))
    console.print(e)


#: Row labels of the span scores (``score_spans``).
SPAN_LABELS: dict[str, str] = {"sources": "source spans", "targets": "target spans",
                               "pairs": "(source, target) pairs", "parties": "parties of two-sided events",
                               "party_pairs": "party pairs (either direction)"}


def span_rows(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The span scores of a ``spans`` report by row label."""
    return {SPAN_LABELS[k]: v for k, v in report["spans"].items()}


def print_spans(report: dict[str, Any], console: Console) -> None:
    """The tables of a source/target span report."""
    t = Table(title="Who is source and target (asserted events; a span is found when a predicted actor overlaps it)",
              title_justify="left", show_edge=False, pad_edge=False)
    for col in ("", "P", "R", "F1", "gold", "found", "predicted", "correct"):
        t.add_column(col, justify="left" if not col else "right")
    for name, r in span_rows(report).items():
        t.add_row(name, _pct(r["precision"]), _pct(r["recall"]), _pct(r["f1"]), str(r["gold"]), str(r["found"]),
                  str(r["predicted"]), str(r["correct"]))
    console.print(t)
    ne = report["no_event"]
    g = ne["gold_spans_in_them"]
    console.print(f"\nNo asserted event predicted: {ne['texts']} of {report['texts']} texts "
                  f"({ne['texts_with_gold_spans']} with gold spans: {g['source']} sources, {g['target']} targets, "
                  f"{g['party']} parties; {ne['only_non_asserted_events']} had only non-asserted events)")
    console.print(f"Texts whose asserted events have no source: {report['events_without_source']}")
    un = report.get("unscored_predictions") or {}
    if any(un.values()):
        console.print(f"Not scored for precision (the gold marks no span of that role in the text): "
                      f"{un['source']} sources, {un['target']} targets, {un['pair']} pairs")
    if report["swapped_roles"]:
        console.print("Predicted roles on the other gold role: "
                      + ", ".join(f"{k} {v}" for k, v in report["swapped_roles"].items()))
    console.print()
    e = Table(title=f"Errors ({len(report['errors'])} shown)", title_justify="left", show_edge=False)
    for col in ("id", "gold", "predicted", "why", "text"):
        e.add_column(col, overflow="fold")
    for r in report["errors"]:
        e.add_row(r["id"], r["gold"], r["predicted"], r["note"], _short(r["text"]))
    console.print(e)


def print_report(report: dict[str, Any], console: Console) -> None:
    """Draw a report as tables on ``console``."""
    console.print(header(report))
    for note in report.get("notes", []):
        console.print(f"  note: {note}")
    console.print()
    if report["task"] == "pentaclass":
        print_pentaclass(report, console)
    elif report["task"] == "spans":
        print_spans(report, console)
    else:
        print_events(report, console)
