"""The ``factions`` command group and the options every command shares.

Each command lives in its own module in this package and is a few lines over a library call
(the sqlite-utils habit): parse options, call the library, print. Every command's help text
ends with an example.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from factions import __version__
from factions.errors import FactionsError

DEFAULT_DB = "factions.duckdb"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="factions")
def main() -> None:
    """factions: who did what to whom, where, when and how sure - from political and conflict text.

    \b
    Example:
        factions code article.txt --format table
    """


def db_option(**kw: Any):
    return click.option("--db", "db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                        help="DuckDB store file.", **kw)


def quiet_option():
    return click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr.")


def format_option(choices: list[str], default: str):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def emit_json(obj: Any) -> None:
    """Print one JSON document to stdout (and nothing else goes to stdout)."""
    json.dump(obj, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def fail(exc: FactionsError) -> None:
    """Print a one-line error to stderr and exit non-zero."""
    click.echo(f"error: {exc.line()}", err=True)
    sys.exit(2)
