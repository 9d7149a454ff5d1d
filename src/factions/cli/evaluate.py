"""``factions evaluate``: score the coder against an annotated gold file."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from factions.cli.app import emit_json, fail, format_option, main, quiet_option
from factions.errors import FactionsError
from factions.evaluate.gold import READERS
from factions.evaluate.report import print_report
from factions.evaluate.run import evaluate as run_evaluate
from factions.evaluate.score import DEFAULT_SHOW


@main.command("evaluate")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--db", "db", default=None, type=click.Path(dir_okay=False),
              help="Also store the coded gold texts in this DuckDB file, to inspect them with other commands.")
@click.option("--gold-format", "gold_format", type=click.Choice(sorted(READERS)), default=None,
              help="Gold file format (default: detected from the file).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Score only the first N gold texts.")
@click.option("--show", type=click.IntRange(min=0), default=DEFAULT_SHOW, show_default=True,
              help="How many misses and false alarms to list.")
@format_option(["table", "json"], "table")
@quiet_option()
def evaluate(gold: str, db: str | None, gold_format: str | None, limit: int | None, show: int, fmt: str,
             quiet: bool) -> None:
    """Code the texts of an annotated GOLD file and print precision, recall and F1.

    Scores events (type, type + source + target, + sectors; per type and per modality), the
    share of hypothetical/negated/future events reported as asserted, actor resolution, modes,
    locations and figures, and lists the misses and false alarms. GOLD may be a factions JSONL
    gold file (docs/evaluation.md), PLOVER JSON records, PETRARCH-2 unit-test XML, a CAMEO
    pentaclass TSV (sentence<TAB>label), or CoNLL source/target spans (ConfliBERT cameo_ner,
    "token TAG" with B/I-S, B/I-T, B/I-R): then the report scores how well the coder's asserted
    events find the marked sources, targets and (source, target) pairs.

    \b
    Example:
        factions evaluate eval/gold/factions_dev.jsonl --format json
    """
    err = Console(stderr=True)
    try:
        if quiet:
            report = run_evaluate(gold, gold_format, db=db, limit=limit, show=show)
        else:
            with Progress(TextColumn("coding gold texts"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as bar:
                task = bar.add_task("code", total=None)
                report = run_evaluate(gold, gold_format, db=db, limit=limit, show=show,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total))
    except FactionsError as exc:
        fail(exc)
        return
    if fmt == "json":
        emit_json(report)
    else:
        print_report(report, Console())
