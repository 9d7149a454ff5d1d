"""``factions check``: the store's integrity check (factions.store.check)."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from factions.cli.app import db_option, emit_json, fail, format_option, main
from factions.errors import FactionsError
from factions.store.check import CheckReport, check_store


def _table(report: CheckReport) -> None:
    console = Console()
    t = Table(title=f"Integrity of {report.path}")
    for col in ("check", "result", "problems", "what was verified / first problems"):
        t.add_column(col, overflow="fold")
    for f in report.findings:
        t.add_row(f.name, "ok" if f.ok else "FAILED", str(f.problems),
                  f.checked if f.ok else "\n".join(f.examples), style=None if f.ok else "bold red")
    console.print(t)
    if report.counts:
        console.print(", ".join(f"{n:,} {table}" for table, n in report.counts.items()))


@main.command("check")
@db_option()
@format_option(["table", "json"], "table")
def check_cmd(db: str, fmt: str) -> None:
    """Verify a store's integrity without changing it; exit status 1 (E303) if anything is wrong.

    Checks that every migration is applied and every table and column present; that no id is
    stored twice; that every mention, event and figure points at a stored document and at stored
    actors; that every document holds exactly the records its coding produced (no half-written
    document); that every offset lies inside its document and points at its words.

    \b
    Example:
        factions check --db news.duckdb --format json
    """
    try:
        report = check_store(db)
    except FactionsError as exc:
        fail(exc)
    if fmt == "json":
        emit_json(report.to_dict())
    else:
        _table(report)
    if not report.ok:
        click.echo(f"error: {FactionsError('E303', path=db, detail=report.summary()).line()}", err=True)
        sys.exit(1)
