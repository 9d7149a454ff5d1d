"""``factions export``."""

from __future__ import annotations

import click

from factions.cli.app import db_option, fail, main, quiet_option
from factions.errors import FactionsError
from factions.store.db import Store
from factions.store.export import EXPORTERS, export


@main.command("export")
@db_option()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True,
              help="json: one object; jsonl: one record per line; csv/parquet: a folder with one "
                   "file per table; plover: PLOVER-style event records (JSONL).")
@click.option("--out", required=True, type=click.Path(), help="Output file (json, jsonl, plover) or folder (csv, parquet).")
@quiet_option()
def export_cmd(db: str, fmt: str, out: str, quiet: bool) -> None:
    """Export everything in the store.

    \b
    Example:
        factions export --db news.duckdb --format parquet --out news_parquet/
    """
    try:
        with Store(db, read_only=True) as store:
            written = export(store, fmt, out)
    except FactionsError as exc:
        fail(exc)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}", err=True)
