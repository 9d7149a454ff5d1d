"""Coding engines: the same coder on all local cores or on a Dask cluster.

An engine takes the input stream (:func:`factions.ingest.iter_inputs`), codes what the store
does not hold yet and leaves the store exactly as the in-process loop
(:func:`factions.run.code_into_store`) would. Engines are chosen by name from :data:`ENGINES`:

``local``
    a process pool on this machine, one Coder (one spaCy pipeline) per process; this process
    reads the inputs and is the only DuckDB writer (:mod:`factions.scale.local`).
``dask``
    Dask futures on a LocalCluster or a running scheduler; results are staged as Parquet next
    to the store and bulk-loaded at the end (:mod:`factions.scale.dask_engine`).

    >>> from factions.scale import EngineOptions, get_engine
    >>> report = get_engine("dask").run(inputs, "news.duckdb", EngineOptions(workers=8), None)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from factions.errors import FactionsError
from factions.model import Document, IngestError

if TYPE_CHECKING:
    from factions.run import RunReport

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How an engine runs (the CLI's --workers, --scheduler and --batch-size)."""

    workers: int | None = None     # processes / Dask workers; None: every core of this machine
    scheduler: str | None = None   # address of a running Dask scheduler (dask engine only)
    batch_size: int = 64           # documents per parse batch, store transaction and Dask chunk
    keep_ids: bool = True          # collect every document id in the report (off for huge corpora)

    def worker_count(self) -> int:
        """The number of worker processes to start on this machine."""
        return self.workers or os.cpu_count() or 1


class Engine(Protocol):
    """Codes an input stream into a store."""

    def run(self, inputs: Iterable[Document | IngestError], db: str | Path, options: EngineOptions,
            on_progress: Progress | None) -> "RunReport":
        """Code ``inputs`` into ``db``; ``on_progress(n)`` after each n input items are done."""
        ...


#: engine name -> "module:class"; modules are imported on first use, so choosing the local
#: engine never imports Dask.
ENGINES: dict[str, str] = {
    "local": "factions.scale.local:LocalEngine",
    "dask": "factions.scale.dask_engine:DaskEngine",
}


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (E603 for an unknown name)."""
    if name not in ENGINES:
        raise FactionsError("E603", name="engine", detail=f"{name!r} (known: {', '.join(ENGINES)})")
    module, cls = ENGINES[name].split(":")
    return getattr(import_module(module), cls)()
