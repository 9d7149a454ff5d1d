"""Progress of a coding run on stderr: documents done, documents/second and ETA (rich).

The total is not known when a run starts (a JSONL file does not say how many records it
holds), so a background thread estimates it - Parquet row counts from the file metadata,
lines in JSONL and CSV files, one per other file - and the bar gains a total and an ETA when
the estimate arrives, while coding has already started.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from factions.ingest import _walk
from factions.ingest.readers import suffix_of
from factions.model import IngestError
from factions.scale import Progress as Advance

_LINES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
_CSV = {".csv", ".tsv", ".csv.gz", ".tsv.gz"}


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    lines, last = 0, b"\n"
    with opener(path, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def estimate_items(paths: Sequence[str | Path]) -> int:
    """About how many items (documents and errors) the inputs under ``paths`` will yield."""
    import pyarrow.parquet as pq

    total = 0
    # _walk is the exact file list iter_inputs reads, so the estimate covers the same files
    for found in _walk(paths):
        if isinstance(found, IngestError):
            total += 1
            continue
        suffix = suffix_of(found)
        try:
            if suffix in (".parquet", ".pq"):
                total += pq.ParquetFile(found).metadata.num_rows
            elif suffix in _LINES:
                total += _count_lines(found)
            elif suffix in _CSV:
                total += max(1, _count_lines(found) - 1)  # the header; quoted newlines overcount
            else:
                total += 1
        except Exception:  # noqa: BLE001 - the reader will report this file; count it once
            total += 1
    return total


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "- docs/s", style="progress.data.speed")


@contextmanager
def coding_progress(paths: Sequence[str | Path], *, quiet: bool = False) -> Iterator[Advance]:
    """A rich progress bar on stderr for a run over ``paths``; yields ``advance(n)``.

    Silent when ``quiet``. The total (and so the ETA) appears once the background estimate
    is done.
    """
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]coding"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                  RateColumn(), TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(),
                  console=console, disable=quiet, transient=True, speed_estimate_period=60) as bar:
        task = bar.add_task("coding", total=None)
        if not quiet:
            def estimate() -> None:
                bar.update(task, total=estimate_items(paths))

            threading.Thread(target=estimate, name="factions-estimate", daemon=True).start()
        yield lambda n: bar.advance(task, n)
