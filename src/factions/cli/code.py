"""``factions code`` and ``factions demo``."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from factions.cli.app import db_option, emit_json, fail, format_option, main, quiet_option
from factions.cli.render import results_tables
from factions.errors import FactionsError
from factions.run import InputOptions, RunReport, code_into_store, results


def _run(paths: list[str], db: str, opts: InputOptions, quiet: bool, batch_size: int) -> RunReport:
    from factions.coder import Coder

    err = Console(stderr=True)
    with Progress(TextColumn("[bold]coding"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                  TimeElapsedColumn(), console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("coding", total=None)
        coder = Coder()
        report = code_into_store(opts.read(paths), db, coder=coder, batch_size=batch_size,
                                 on_progress=lambda n: bar.advance(task, n))
    for e in report.errors:
        click.echo(f"error: [{e.code}] {e.path}{'#' + e.source_id if e.source_id else ''}: {e.message}", err=True)
    if not quiet:
        click.echo(f"{report.coded} coded, {report.known} already stored, {len(report.errors)} failed -> {db}", err=True)
    return report


def _print(res: dict, fmt: str) -> None:
    if fmt == "json":
        emit_json(res)
    elif fmt == "jsonl":
        for kind in ("documents", "actors", "events", "figures", "relations"):
            for rec in res[kind]:
                emit_json({"kind": kind[:-1], **rec})
    else:
        results_tables(res)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option()
@format_option(["table", "json", "jsonl"], "table")
@click.option("--text-field", default="text", show_default=True, help="Text column of .jsonl/.csv/.parquet inputs.")
@click.option("--id-field", default="id", show_default=True, help="Record id column of .jsonl/.csv/.parquet inputs.")
@click.option("--title-field", default="title", show_default=True, help="Title column of .jsonl/.csv/.parquet inputs.")
@click.option("--date-field", default="date", show_default=True, help="Date column of .jsonl/.csv/.parquet inputs.")
@click.option("--max-chars", default=5_000_000, show_default=True, type=click.IntRange(min=1),
              help="Documents longer than this are reported as errors, not coded.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1),
              help="Documents per parse batch and per store transaction.")
@quiet_option()
def code(paths: tuple[str, ...], db: str, fmt: str, text_field: str, id_field: str, title_field: str,
         date_field: str, max_chars: int, batch_size: int, quiet: bool) -> None:
    """Code FILES or folders (.txt .html .pdf .jsonl .csv .parquet) into the store and print the result.

    \b
    Example:
        factions code articles/ --db news.duckdb --format json > coded.json
    """
    opts = InputOptions(text_field, id_field, title_field, date_field, "url", max_chars)
    try:
        report = _run(list(paths), db, opts, quiet, batch_size)
        _print(results(db, report.doc_ids), fmt)
    except FactionsError as exc:
        fail(exc)
    sys.exit(1 if report.failed else 0)


EXAMPLE = "example_news.txt"


@main.command()
@click.option("--db", default=None, type=click.Path(dir_okay=False),
              help="Store to code into (default: a temporary file, deleted afterwards).")
@format_option(["table", "json", "jsonl"], "table")
@quiet_option()
def demo(db: str | None, fmt: str, quiet: bool) -> None:
    """Code the sample news text shipped with factions and print a readable summary.

    \b
    Example:
        factions demo
    """
    import tempfile

    sample = resources.files("factions.data").joinpath("examples", EXAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        store = db or str(Path(tmp) / "demo.duckdb")
        path = Path(tmp) / EXAMPLE
        path.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
        if not quiet and fmt == "table":
            click.echo(f"Coding the sample text ({EXAMPLE}):\n", err=True)
            click.echo(path.read_text(encoding="utf-8"))
        try:
            report = _run([str(path)], store, InputOptions(), quiet, 64)
            _print(results(store, report.doc_ids), fmt)
        except FactionsError as exc:
            fail(exc)
    sys.exit(1 if report.failed else 0)
