"""``factions code`` and ``factions demo``."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from factions.cli.app import db_option, emit_json, fail, format_option, main, quiet_option
from factions.cli.render import results_tables
from factions.errors import FactionsError
from factions.ingest.readers import DEFAULT_MAX_CHARS
from factions.run import InputOptions, RunReport, code_paths, results
from factions.scale import ENGINES
from factions.scale.progress import coding_progress


def _run(paths: list[str], db: str, opts: InputOptions, quiet: bool, batch_size: int, *,
         engine: str = "local", workers: int | None = None, scheduler: str | None = None,
         keep_ids: bool = True) -> RunReport:
    with coding_progress(paths, quiet=quiet) as advance:
        report = code_paths(paths, db, engine=engine, inputs=opts, workers=workers, scheduler=scheduler,
                            batch_size=batch_size, on_progress=advance, keep_ids=keep_ids)
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
@format_option(["table", "json", "jsonl", "none"], "table")
@click.option("--text-field", default="text", show_default=True, help="Text column of .jsonl/.csv/.parquet inputs.")
@click.option("--id-field", default="id", show_default=True, help="Record id column of .jsonl/.csv/.parquet inputs.")
@click.option("--title-field", default="title", show_default=True, help="Title column of .jsonl/.csv/.parquet inputs.")
@click.option("--date-field", default="date", show_default=True, help="Date column of .jsonl/.csv/.parquet inputs.")
@click.option("--url-field", default="url", show_default=True, help="URL column of .jsonl/.csv/.parquet inputs.")
@click.option("--max-chars", default=DEFAULT_MAX_CHARS, show_default=True, type=click.IntRange(min=1),
              help="Documents longer than this are reported as errors, not coded.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1),
              help="Documents per parse batch, per store transaction and per Dask task.")
@click.option("--engine", type=click.Choice(list(ENGINES)), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a Dask LocalCluster, or --scheduler.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores). 1 codes in this process.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run on this Dask scheduler instead of a LocalCluster (--engine dask).")
@quiet_option()
def code(paths: tuple[str, ...], db: str, fmt: str, text_field: str, id_field: str, title_field: str,
         date_field: str, url_field: str, max_chars: int, batch_size: int, engine: str, workers: int | None,
         scheduler: str | None, quiet: bool) -> None:
    """Code FILES or folders (.txt .html .pdf .jsonl .csv .parquet) into the store and print the result.

    Resumable: documents already in the store are skipped, so re-running after an interrupted
    run codes only what is missing. Use --format none for corpora too big to print.

    \b
    Examples:
        factions code articles/ --db news.duckdb --format json > coded.json
        factions code corpus.jsonl.gz --db news.duckdb --text-field body --date-field published \\
            --engine dask --workers 8 --format none
    """
    opts = InputOptions(text_field, id_field, title_field, date_field, url_field, max_chars)
    try:
        report = _run(list(paths), db, opts, quiet, batch_size, engine=engine, workers=workers,
                      scheduler=scheduler, keep_ids=fmt != "none")
        if fmt != "none":
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
            report = _run([str(path)], store, InputOptions(), quiet, 64, workers=1)  # one short text
            _print(results(store, report.doc_ids), fmt)
        except FactionsError as exc:
            fail(exc)
    sys.exit(1 if report.failed else 0)
