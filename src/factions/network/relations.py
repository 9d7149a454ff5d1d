"""Signed ties between actors, aggregated from the events between them.

This is the ONE definition of a tie's sign and weight; the network commands, the snapshots
and ``factions code`` (which prints the relations of the documents it just coded) all call
:func:`build_relations`, so it is a pure function over :class:`~factions.model.Event` records.

Definitions (see docs/network.md):

* an event counts only when it is ``asserted`` (hypothetical, future and negated events say
  nothing happened) and has both a source and a target that differ;
* its score is the PLOVER intensity ("Schrodt") score of its type, read from
  ``data/plover_scores.yaml``: cooperation positive, conflict negative;
* with a half-life ``h`` days the score is multiplied by ``0.5 ** (age / h)``, ``age`` being
  the days from the event's date to the reference date (never negative); undated events are
  not decayed, since their age is unknown;
* ties are undirected: the pair is sorted; ``sign`` is the sign of the summed (decayed)
  scores and ``weight`` its absolute value. A dyad whose scores cancel exactly carries no
  sign and is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache

from factions.data import load_yaml
from factions.errors import FactionsError
from factions.model import PLOVER_TYPES, Event, Relation

#: Sums smaller than this are treated as zero (floating-point noise of cancelling scores).
ZERO = 1e-9


@cache
def plover_scores() -> dict[str, float]:
    """PLOVER type -> intensity score, from ``data/plover_scores.yaml`` (validated once)."""
    data = load_yaml("plover_scores.yaml")
    scores = data.get("scores") if isinstance(data, dict) else None
    if not isinstance(scores, dict):
        raise FactionsError("E201", path="plover_scores.yaml", detail="no 'scores' mapping")
    missing = [t for t in PLOVER_TYPES if t not in scores]
    if missing:
        raise FactionsError("E201", path="plover_scores.yaml", detail=f"no score for {', '.join(missing)}")
    try:
        return {t: float(scores[t]) for t in PLOVER_TYPES}
    except (TypeError, ValueError) as exc:
        raise FactionsError("E201", path="plover_scores.yaml", detail=f"non-numeric score: {exc}") from exc


@cache
def parse_date(value: str | None) -> date | None:
    """An ISO date (``YYYY-MM-DD``, also ``YYYY-MM``/``YYYY`` or a datetime) -> date, else None.

    Partial dates are placed at the start of their month/year, the convention of event data
    sets that code only the month. Cached: an event set repeats few distinct date strings.
    """
    if not value:
        return None
    text = str(value).strip()[:10]
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def counts(event: Event) -> bool:
    """Whether an event contributes to a tie: asserted, with two different actors."""
    return (event.modality == "asserted" and bool(event.source) and bool(event.target)
            and event.source != event.target and event.type in plover_scores())


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Building ties from a million events allocates millions of tuples, lists and floats; each
    allocation burst triggers collections that re-scan every live object (the events
    included), which took more time than the work itself. These objects hold no reference
    cycles, so reference counting alone frees them; the collector resumes on exit.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build_relations(events: Iterable[Event], *, half_life_days: float | None = None,
                    reference_date: str | date | None = None) -> list[Relation]:
    """Aggregate events into signed, weighted, undirected ties (strongest first).

    ``half_life_days`` turns on decay by age; ``reference_date`` is the date ages are measured
    from and defaults to the latest date among the counted events, so the same events always
    give the same weights (never "today"). Every relation lists the ids of its events.
    """
    if half_life_days is not None and half_life_days <= 0:
        raise FactionsError("E403", name="half_life_days", detail=f"must be > 0, got {half_life_days}")
    scores = plover_scores()
    ref: date | None = None
    if half_life_days is not None:
        ref = parse_date(reference_date) if isinstance(reference_date, str) else reference_date
        if ref is None:
            events = [e for e in events if counts(e)]
            dated = [d for d in (parse_date(e.date) for e in events) if d is not None]
            ref = max(dated) if dated else None
    ties: dict[tuple[str, str], list] = {}   # pair -> [summed score, [event ids]]
    with bulk():
        for e in events:
            a, b = e.source, e.target
            score = scores.get(e.type)
            if e.modality != "asserted" or not a or not b or a == b or score is None:
                continue
            if ref is not None:
                when = parse_date(e.date)
                if when is not None:
                    score *= 0.5 ** (max(0, (ref - when).days) / half_life_days)  # type: ignore[operator]
            key = (a, b) if a < b else (b, a)
            tie = ties.get(key)
            if tie is None:
                ties[key] = [score, [e.id]]
            else:
                tie[0] += score
                tie[1].append(e.id)
        # Weights are rounded to 6 decimals so that float noise (1.9000000000000004) stays out
        # of exports and snapshots; far below any meaningful difference of intensity.
        relations = [Relation(a, b, 1 if s > 0 else -1, round(abs(s), 6), ids)
                     for (a, b), (s, ids) in ties.items() if abs(s) > ZERO]
    relations.sort(key=lambda r: (-r.weight, r.source, r.target))
    return relations
