"""Running an evaluation: read a gold file, code its texts with the factions coder, score.

    >>> from factions.evaluate.run import evaluate
    >>> report = evaluate("eval/gold/factions_dev.jsonl")
    >>> report["events"]["dyad"]["f1"]
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from factions.data import load_yaml
from factions.errors import FactionsError
from factions.evaluate.gold import GoldSet, read_gold
from factions.evaluate.score import DEFAULT_SHOW, score_events, score_pentaclass, score_spans
from factions.model import CodedDocument, Document

#: Report progress after this many coded texts.
PROGRESS_EVERY = 8

Progress = Callable[[int, int], None]


def code_gold(gold: GoldSet, progress: Progress | None = None) -> list[CodedDocument]:
    """Code every gold text (with its date, when the gold gives one) with
    :class:`factions.coder.Coder`, passing the set's extra actors."""
    try:
        from factions.coder import Coder
    except ImportError as exc:
        raise FactionsError("E501", detail=str(exc)) from exc
    coder = Coder(extra_actors=gold.extra_actors)
    docs = (Document.from_text(it.text, date=it.date, source_id=it.id) for it in gold.items)
    coded: list[CodedDocument] = []
    for doc in coder.code_documents(docs):
        coded.append(doc)
        if progress is not None and (len(coded) % PROGRESS_EVERY == 0 or len(coded) == len(gold.items)):
            progress(len(coded), len(gold.items))
    return coded


def score(gold: GoldSet, coded: Sequence[CodedDocument], show: int = DEFAULT_SHOW) -> dict[str, Any]:
    """Score already-coded documents (same order as ``gold.items``) and add the run's metadata."""
    if len(coded) != len(gold.items):
        raise FactionsError("E502", expected=len(gold.items), got=len(coded))
    if gold.task == "pentaclass":
        report = score_pentaclass(gold, coded, load_yaml("plover_scores.yaml")["scores"], show)
    elif gold.task == "spans":
        report = score_spans(gold, coded, show)
    else:
        report = score_events(gold, coded, show)
    return {"gold": gold.path, "format": gold.format, "skipped": gold.skipped, "notes": gold.notes,
            "coded_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), **report}


def evaluate(path: str | Path, fmt: str | None = None, *, db: str | None = None, limit: int | None = None,
             show: int = DEFAULT_SHOW, progress: Progress | None = None) -> dict[str, Any]:
    """Read the gold file at ``path``, code its texts, optionally store them in ``db``, score.

    ``limit`` keeps only the first N gold texts (for a quick look at a large set).
    """
    gold = read_gold(path, fmt)
    if limit is not None:
        gold.items = gold.items[:limit]
    coded = code_gold(gold, progress)
    if db:
        from factions.store.db import Store
        with Store(db) as store:
            store.add(coded)
    return score(gold, coded, show)
