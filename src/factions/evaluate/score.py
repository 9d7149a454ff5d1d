"""Scoring coded documents against gold items: precision, recall and F1, misses, false alarms.

The unit of event scoring is the *dyad*: a gold event with compound actors ("France and
Germany condemned Russia") stands for one expected dyad per source x target pair, and a
reciprocal event (PLOVER's "all parties are sources" for talks and two-sided fighting) for one
dyad per source whose target is any other party or none. Within one text, gold dyads and
predicted events are paired one-to-one (maximum bipartite matching) at three levels:

* ``type``   - the event types agree;
* ``actors`` - source and target actors match, whatever the types (who-did-to-whom);
* ``dyad``   - types agree and source and target actors match (the main score);
* ``strict`` - as ``dyad`` and the actors' PLOVER sectors agree where the gold gives one.

A gold actor matches a predicted actor when their countries agree (when the gold gives a
country); a gold actor without a country matches when its text fuzzily matches (rapidfuzz
token-set ratio >= :data:`FUZZY_CUTOFF`) the predicted actor's name, one of its aliases, or the
words that named it in the text. A missing gold actor (no target) matches only a missing one.
Only asserted gold events and asserted predictions enter the main scores; see
:func:`score_events` for modality, modes, locations, figures and actors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from factions.evaluate.gold import (GoldActor, GoldEvent, GoldFigure, GoldItem, GoldLocation, GoldSet,
                                    norm_country, norm_figure_category, norm_sector)
from factions.model import MODALITIES, PLOVER_TYPES, CodedDocument, Event, Location

#: Minimum rapidfuzz token-set ratio for two names to be the same actor, place or source.
FUZZY_CUTOFF = 85.0
#: Event matching levels, loosest first (see the module docstring).
LEVELS: tuple[str, ...] = ("type", "actors", "dyad", "strict")
#: How many misses and false alarms a report lists (all are counted).
DEFAULT_SHOW = 50
#: PLOVER type -> CAMEO PentaClass (1 verbal coop, 2 material coop, 3 verbal conflict,
#: 4 material conflict); CONCEDE is CAMEO 08 (YIELD), which the PentaClass counts as material;
#: SANCTION is CAMEO 16 (reduce relations), which the Phoenix quad class counts as verbal
#: conflict (see :func:`factions.evaluate.gold.cameo_pentaclass`).
PENTACLASS: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "CONCEDE": 2, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
PENTACLASS_NAMES: dict[int, str] = {0: "statement/appeal", 1: "verbal cooperation", 2: "material cooperation",
                                    3: "verbal conflict", 4: "material conflict"}
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})


# --------------------------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class PRF:
    """True positives, false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


# --------------------------------------------------------------------------------------------
# predicted and expected records, flattened for matching
# --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class PredActor:
    """A predicted actor as the scorer sees it: codes and every name it went by."""

    id: str
    country: str | None
    sector: str | None
    names: tuple[str, ...]

    def label(self) -> str:
        code = " ".join(x for x in (self.country, self.sector) if x) or "?"
        return f"{code} ({self.names[0]})" if self.names else code


@dataclass(slots=True)
class PredEvent:
    """A predicted event with its actors resolved."""

    type: str
    source: PredActor | None
    target: PredActor | None
    modality: str
    mode: str | None
    location: Location | None
    event: Event


@dataclass(slots=True)
class Dyad:
    """One expected source -> target pair of a gold event."""

    event: GoldEvent
    source: GoldActor | None
    target: GoldActor | None
    partners: tuple[GoldActor, ...] = ()   # reciprocal events: the other parties

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def modality(self) -> str:
        return self.event.modality


def dyads(event: GoldEvent) -> list[Dyad]:
    """The expected dyads of a gold event (see the module docstring)."""
    sources: list[GoldActor | None] = list(event.sources) or [None]
    if event.reciprocal:
        return [Dyad(event, s, None, tuple(o for o in event.sources if o is not s)) for s in event.sources]
    targets: list[GoldActor | None] = list(event.targets) or [None]
    return [Dyad(event, s, t) for s in sources for t in targets]


def pred_actors(doc: CodedDocument) -> dict[str, PredActor]:
    """The document's actors by id, each with its name, aliases and the words that named it."""
    mentioned: dict[str, list[str]] = {}
    for m in doc.mentions:
        mentioned.setdefault(m.actor_id, []).append(m.text)
    out = {}
    for a in doc.actors:
        names = tuple(dict.fromkeys([a.name, *a.aliases, *mentioned.get(a.id, [])]))
        out[a.id] = PredActor(a.id, norm_country(a.country), norm_sector(a.sector), names)
    return out


def pred_events(doc: CodedDocument, actors: dict[str, PredActor]) -> list[PredEvent]:
    """The document's events with actor ids resolved (an unknown id keeps only its text)."""
    def resolve(actor_id: str | None, text: str | None) -> PredActor | None:
        if actor_id is None:
            return None
        a = actors.get(actor_id)
        if a is None:
            return PredActor(actor_id, None, None, (text,) if text else ())
        if text and text not in a.names:
            return PredActor(a.id, a.country, a.sector, a.names + (text,))
        return a
    return [PredEvent(e.type, resolve(e.source, e.source_text), resolve(e.target, e.target_text),
                      e.modality, e.mode, e.location, e) for e in doc.events]


def _clean(text: str) -> str:
    words = default_process(text).split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def fuzzy_match(a: str | None, names: Iterable[str]) -> bool:
    """Whether ``a`` names the same thing as one of ``names`` (rapidfuzz token-set ratio)."""
    if not a:
        return False
    ca = _clean(a)
    if not ca:
        return False
    for n in names:
        cn = _clean(n) if n else ""
        if cn and fuzz.token_set_ratio(ca, cn) >= FUZZY_CUTOFF:
            return True
    return False


def actor_match(gold: GoldActor | None, pred: PredActor | None, *, strict: bool = False) -> bool:
    """The event actor matching rule (module docstring); ``strict`` also requires the sector."""
    if gold is None:
        return pred is None
    if pred is None:
        return False
    if gold.country:
        ok = pred.country == gold.country
    else:
        ok = fuzzy_match(gold.text, pred.names)
    if ok and strict and gold.sector:
        ok = pred.sector == gold.sector
    return ok


def dyad_match(d: Dyad, p: PredEvent, level: str) -> bool:
    """Whether prediction ``p`` fulfils expected dyad ``d`` at ``level`` (type|actors|dyad|strict)."""
    if p.type != d.type and level != "actors":
        return False
    if level == "type":
        return True
    strict = level == "strict"
    if not actor_match(d.source, p.source, strict=strict):
        return False
    if d.partners:
        return p.target is None or any(actor_match(o, p.target, strict=strict) for o in d.partners)
    return actor_match(d.target, p.target, strict=strict)


def match(n_gold: int, n_pred: int, ok: Callable[[int, int], bool],
          rank: Callable[[int, int], tuple[bool, ...]] | None = None) -> dict[int, int]:
    """Maximum one-to-one matching (Kuhn's augmenting paths): gold index -> predicted index.

    ``rank`` orders each gold item's candidates (best first), so that among equally large
    matchings the one pairing the closest records is usually found.
    """
    adj = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    if rank is not None:
        adj = [sorted(js, key=lambda j, i=i: rank(i, j), reverse=True) for i, js in enumerate(adj)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def mode_match(gold: str, pred: str | None) -> bool:
    """Modes agree when equal, when one refines the other (``strike`` ~ ``strike-gen``), or when
    the gold lists several (``"firearms, explosives"``) and the prediction is one of them."""
    if not pred:
        return False
    p = pred.strip().lower()
    for g in (x.strip().lower() for x in gold.split(",")):
        if g == p or g.startswith(p + "-") or p.startswith(g + "-"):
            return True
    return False


# --------------------------------------------------------------------------------------------
# event scoring
# --------------------------------------------------------------------------------------------

@dataclass
class EventTally:
    """Running totals over all texts of an event-annotated gold set."""

    levels: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in LEVELS})
    per_type: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in PLOVER_TYPES})
    per_modality: dict[str, PRF] = field(default_factory=lambda: {m: PRF() for m in MODALITIES})
    gold_non_asserted: Counter = field(default_factory=Counter)
    modality_errors: Counter = field(default_factory=Counter)
    hedged_misses: Counter = field(default_factory=Counter)
    modes: PRF = field(default_factory=PRF)
    modes_extra: int = 0
    locations: PRF = field(default_factory=PRF)
    locations_extra: int = 0
    figures: PRF = field(default_factory=PRF)
    attribution: list[int] = field(default_factory=lambda: [0, 0])   # correct, scored
    actors: dict[str, PRF] = field(default_factory=lambda: {"country": PRF(), "strict": PRF()})
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    texts: int = 0
    no_event_texts: int = 0
    no_event_clean: int = 0


def _gold_label(a: GoldActor | None) -> str:
    if a is None:
        return "-"
    code = " ".join(x for x in (a.country, a.sector) if x)
    if a.text and code:
        return f"{code} ({a.text})"
    return code or a.text or "?"


def _pred_label(a: PredActor | None) -> str:
    return "-" if a is None else a.label()


def _target_label(d: Dyad) -> str:
    return _gold_label(d.target) if not d.partners else "<-> " + ", ".join(_gold_label(o) for o in d.partners)


def _dyad_record(item: GoldItem, d: Dyad, note: str) -> dict[str, Any]:
    return {"id": item.id, "type": d.type, "source": _gold_label(d.source), "target": _target_label(d),
            "modality": d.modality, "mode": d.event.mode, "note": note, "text": item.text}


def _pred_record(item: GoldItem, p: PredEvent, note: str) -> dict[str, Any]:
    return {"id": item.id, "type": p.type, "source": _pred_label(p.source), "target": _pred_label(p.target),
            "modality": p.modality, "mode": p.mode, "trigger": p.event.trigger, "note": note, "text": item.text}


def _location_match(gold_loc: GoldLocation, pred: Location | None) -> bool:
    return pred is not None and fuzzy_match(gold_loc.name, [pred.name] if pred.name else [])


def _score_text_events(item: GoldItem, doc: CodedDocument, tally: EventTally, actors: dict[str, PredActor]) -> None:
    preds = pred_events(doc, actors)
    expected = [d for ev in item.events for d in dyads(ev)]
    g_as = [d for d in expected if d.modality == "asserted"]
    p_as = [p for p in preds if p.modality == "asserted"]

    tally.texts += 1
    if not item.events:
        tally.no_event_texts += 1
        tally.no_event_clean += not p_as

    def closeness(i: int, j: int) -> tuple[bool, ...]:
        d, p = g_as[i], p_as[j]
        return (dyad_match(d, p, "strict"), bool(d.event.mode) and mode_match(d.event.mode, p.mode),
                d.event.location is not None and _location_match(d.event.location, p.location))

    pairs: dict[int, int] = {}
    for level in LEVELS:
        m = match(len(g_as), len(p_as), lambda i, j, lv=level: dyad_match(g_as[i], p_as[j], lv), closeness)
        tally.levels[level].add(PRF(len(m), len(p_as) - len(m), len(g_as) - len(m)))
        if level == "dyad":
            pairs = m

    matched_pred = set(pairs.values())
    for i, d in enumerate(g_as):
        if i in pairs:
            tally.per_type[d.type].tp += 1
        else:
            tally.per_type[d.type].fn += 1
    for j, p in enumerate(p_as):
        if j not in matched_pred and p.type in tally.per_type:
            tally.per_type[p.type].fp += 1

    # Per modality: gold dyads of each modality against predictions of the same modality.
    for mod in MODALITIES:
        g_m = [d for d in expected if d.modality == mod]
        p_m = [p for p in preds if p.modality == mod]
        m = match(len(g_m), len(p_m), lambda i, j: dyad_match(g_m[i], p_m[j], "dyad"))
        tally.per_modality[mod].add(PRF(len(m), len(p_m) - len(m), len(g_m) - len(m)))

    # Modality errors: asserted false alarms that stand for a hypothetical/negated/future event
    # (same dyad first, then same type), and asserted gold events reported with another modality.
    g_na = [d for d in expected if d.modality != "asserted"]
    for d in g_na:
        tally.gold_non_asserted[d.modality] += 1
    spare = [j for j in range(len(p_as)) if j not in matched_pred]
    # an asserted prediction with the type and source of an asserted gold event stands for that
    # event (a wrong or missing target is a role error, counted there), not for an imagined one
    unexplained = [j for j in spare
                   if not any(g.type == p_as[j].type and actor_match(g.source, p_as[j].source) for g in g_as)]
    stands_for: dict[int, Dyad] = {}          # p_as index -> the non-asserted gold dyad it reports
    free = list(range(len(g_na)))
    for level in ("dyad", "type"):
        cand = [j for j in unexplained if j not in stands_for]
        m = match(len(free), len(cand), lambda a, b, lv=level: dyad_match(g_na[free[a]], p_as[cand[b]], lv))
        for a, b in m.items():
            stands_for[cand[b]] = g_na[free[a]]
        free = [free[a] for a in range(len(free)) if a not in m]
    for d in stands_for.values():
        tally.modality_errors[d.modality] += 1

    p_other = [p for p in preds if p.modality != "asserted"]
    missed = [i for i in range(len(g_as)) if i not in pairs]
    hedged = match(len(missed), len(p_other), lambda a, b: dyad_match(g_as[missed[a]], p_other[b], "dyad"))
    hedged_note = {missed[a]: f"reported as {p_other[b].modality}" for a, b in hedged.items()}
    for b in hedged.values():
        tally.hedged_misses[p_other[b].modality] += 1

    # Misses and false alarms, with a hint at the nearest prediction / gold event.
    for i in missed:
        d = g_as[i]
        note = hedged_note.get(i, "")
        if not note:
            near = next((p_as[j] for j in spare if p_as[j].type == d.type), None)
            note = (f"predicted {_pred_label(near.source)} -> {_pred_label(near.target)} instead" if near
                    else "not found")
        tally.misses.append(_dyad_record(item, d, note))
    for j in spare:
        p = p_as[j]
        if j in stands_for:
            note = f"the text says it is {stands_for[j].modality}"
        else:
            near = next((g_as[i] for i in missed if g_as[i].type == p.type), None)
            note = (f"gold has {_gold_label(near.source)} -> {_target_label(near)}" if near
                    else "no such event in the gold")
        tally.false_alarms.append(_pred_record(item, p, note))

    # Modes and locations, on the pairs matched at the dyad level where the gold gives one.
    for i, j in pairs.items():
        d, p = g_as[i], p_as[j]
        if d.event.mode:
            if p.mode and mode_match(d.event.mode, p.mode):
                tally.modes.tp += 1
            else:
                tally.modes.fn += 1
                tally.modes.fp += bool(p.mode)
        elif p.mode:
            tally.modes_extra += 1
        if d.event.location:
            if _location_match(d.event.location, p.location):
                tally.locations.tp += 1
            else:
                tally.locations.fn += 1
                tally.locations.fp += bool(p.location and p.location.name)
        elif p.location and p.location.name:
            tally.locations_extra += 1


def _figure_match(g: GoldFigure, category: str, value: int | None, qualifier: str | None) -> bool:
    if norm_figure_category(category) != g.category:
        return False
    if g.value is not None:
        return value == g.value
    if value is not None:
        return False
    return not (g.qualifier and qualifier) or fuzzy_match(g.qualifier, [qualifier or ""])


def _score_text_figures(item: GoldItem, doc: CodedDocument, tally: EventTally, actors: dict[str, PredActor]) -> None:
    if item.figures is None:
        return
    figs = doc.figures
    m = match(len(item.figures), len(figs),
              lambda i, j: _figure_match(item.figures[i], figs[j].category, figs[j].value, figs[j].qualifier))
    tally.figures.add(PRF(len(m), len(figs) - len(m), len(item.figures) - len(m)))
    for i, j in m.items():
        g = item.figures[i]
        if not g.attributed_to:
            continue
        tally.attribution[1] += 1
        who = figs[j].attributed_to
        names = actors[who].names if who in actors else ((who,) if who else ())
        tally.attribution[0] += fuzzy_match(g.attributed_to, names)


def _score_text_actors(item: GoldItem, doc: CodedDocument, tally: EventTally, actors: dict[str, PredActor],
                       complete: bool) -> None:
    if item.actors is None:
        return
    pool = list(actors.values())
    if not complete:   # the gold lists only its events' actors: compare with the predicted events' actors
        ids = {x for e in doc.events for x in (e.source, e.target) if x}
        pool = [a for a in pool if a.id in ids]
    for key, strict in (("country", False), ("strict", True)):
        m = match(len(item.actors), len(pool), lambda i, j, s=strict: actor_match(item.actors[i], pool[j], strict=s))
        tally.actors[key].add(PRF(len(m), len(pool) - len(m), len(item.actors) - len(m)))


def score_events(gold: GoldSet, coded: Sequence[CodedDocument], show: int = DEFAULT_SHOW) -> dict[str, Any]:
    """Score coded documents (same order as ``gold.items``) against an event gold set.

    Returns a JSON-ready report: ``events`` (P/R/F1 at each of :data:`LEVELS`, per type and per
    modality at the dyad level),
    ``modality_errors`` (share of gold hypothetical/negated/future dyads that the coder reported
    as asserted), ``actors`` (country and country+sector resolution), ``modes``, ``locations``
    and ``figures`` (scored only where the gold gives them), and the first ``show`` misses and
    false alarms.
    """
    tally = EventTally()
    for item, doc in zip(gold.items, coded):
        actors = pred_actors(doc)
        _score_text_events(item, doc, tally, actors)
        _score_text_figures(item, doc, tally, actors)
        _score_text_actors(item, doc, tally, actors, gold.actors_complete)
    total_na = sum(tally.gold_non_asserted.values())
    total_err = sum(tally.modality_errors.values())
    return {
        "task": "events",
        "texts": tally.texts,
        "events": {
            **{k: v.to_dict() for k, v in tally.levels.items()},
            "per_type": {t: v.to_dict() for t, v in tally.per_type.items()},
            "per_modality": {m: v.to_dict() for m, v in tally.per_modality.items()},
        },
        "modality_errors": {
            "gold_non_asserted": total_na, "reported_as_asserted": total_err,
            "rate": round(total_err / total_na, 4) if total_na else 0.0,
            "by_modality": {m: {"gold": tally.gold_non_asserted[m], "reported_as_asserted": tally.modality_errors[m]}
                            for m in MODALITIES if m != "asserted"},
            "asserted_reported_as": dict(tally.hedged_misses),
        },
        "no_event_texts": {"texts": tally.no_event_texts, "without_false_alarm": tally.no_event_clean},
        "actors": {k: v.to_dict() for k, v in tally.actors.items()},
        "modes": {**tally.modes.to_dict(), "predicted_where_gold_has_none": tally.modes_extra},
        "locations": {**tally.locations.to_dict(), "predicted_where_gold_has_none": tally.locations_extra},
        "figures": {**tally.figures.to_dict(),
                    "attribution": {"correct": tally.attribution[0], "scored": tally.attribution[1],
                                    "accuracy": round(tally.attribution[0] / tally.attribution[1], 4)
                                    if tally.attribution[1] else 0.0}},
        "misses_total": len(tally.misses),
        "false_alarms_total": len(tally.false_alarms),
        "misses": tally.misses[:show],
        "false_alarms": tally.false_alarms[:show],
    }


# --------------------------------------------------------------------------------------------
# CAMEO pentaclass scoring
# --------------------------------------------------------------------------------------------

def strongest_event(doc: CodedDocument, scores: dict[str, float], modality: str = "asserted") -> Event | None:
    """The event of ``modality`` with the largest absolute intensity score (first one on ties)."""
    best: Event | None = None
    for e in doc.events:
        if e.modality != modality or e.type not in scores:
            continue
        if best is None or abs(scores[e.type]) > abs(scores[best.type]):
            best = e
    return best


def _macro(per: dict[int, PRF]) -> float:
    return sum(v.f1 for v in per.values()) / len(per) if per else 0.0


def score_pentaclass(gold: GoldSet, coded: Sequence[CodedDocument], scores: dict[str, float],
                     show: int = DEFAULT_SHOW) -> dict[str, Any]:
    """Score the coder's strongest asserted event, mapped to the CAMEO PentaClass, against the
    gold labels. "No event" is its own outcome (``none``); the report also gives the scores
    when "no event" is read as class 0 (statements and appeals, which PLOVER does not code), and
    ``future_as_intent``: CAMEO codes an announced act as an intention (03 "express intent to
    cooperate", class 1; 13 "threaten", class 3), so a text without an asserted event takes
    class 1 or 3 from its strongest *future* event (cooperation or conflict)."""
    confusion: dict[int, Counter] = {c: Counter() for c in PENTACLASS_NAMES}
    intent: dict[int, Counter] = {c: Counter() for c in PENTACLASS_NAMES}
    wrong = []
    for item, doc in zip(gold.items, coded):
        ev = strongest_event(doc, scores)
        outcome: int | str = PENTACLASS[ev.type] if ev is not None else "none"
        confusion[item.label][outcome] += 1
        fut = strongest_event(doc, scores, "future") if ev is None else None
        intent[item.label][(1 if PENTACLASS[fut.type] <= 2 else 3) if fut is not None else outcome] += 1
        if outcome != item.label and len(wrong) < show:
            wrong.append({"id": item.id, "label": item.label, "predicted": outcome,
                          "event": ev.type if ev else None, "text": item.text})

    def summarise(none_as_zero: bool, table: dict[int, Counter] = confusion) -> dict[str, Any]:
        per = {c: PRF() for c in PENTACLASS_NAMES}
        correct = total = 0
        for gold_c, row in table.items():
            for out, n in row.items():
                pred_c = 0 if (out == "none" and none_as_zero) else out
                total += n
                if pred_c == gold_c:
                    correct += n
                    per[gold_c].tp += n
                else:
                    per[gold_c].fn += n
                    if pred_c in per:
                        per[pred_c].fp += n
        return {"accuracy": round(correct / total, 4) if total else 0.0, "macro_f1": round(_macro(per), 4),
                "per_class": {f"{c} {PENTACLASS_NAMES[c]}": v.to_dict() for c, v in per.items()}}

    return {
        "task": "pentaclass",
        "texts": sum(sum(r.values()) for r in confusion.values()),
        "none_own_outcome": summarise(False),
        "none_as_class_0": summarise(True),
        "future_as_intent": summarise(False, intent),
        "confusion": {str(c): {str(k): v for k, v in sorted(row.items(), key=lambda kv: str(kv[0]))}
                      for c, row in confusion.items()},
        "errors": wrong,
    }


# --------------------------------------------------------------------------------------------
# source / target span scoring (ConfliBERT cameo_ner)
# --------------------------------------------------------------------------------------------

Span = tuple[int, int]


#: Span scores: source and target spans of one-sided events, (source, target) pairs, and the
#: parties (R spans) of two-sided events such as meetings, with their pairs.
SPAN_LEVELS: tuple[str, ...] = ("sources", "targets", "pairs", "parties", "party_pairs")


@dataclass(slots=True)
class SpanScore:
    """Span finding, counted from both sides: ``found`` of ``gold`` spans were overlapped by a
    prediction (recall), ``correct`` of ``predicted`` actors overlapped a gold span (precision)."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "predicted": self.predicted, "correct": self.correct,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _overlaps(spans: Iterable[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _occurrences(text: str, words: str | None, lo: int, hi: int) -> list[Span]:
    """Where ``words`` occur in ``text[lo:hi]`` (all occurrences, as document offsets)."""
    out: list[Span] = []
    if not words:
        return out
    i = text.find(words, lo, hi)
    while i >= 0:
        out.append((i, i + len(words)))
        i = text.find(words, i + 1, hi)
    return out


def event_role_spans(doc: CodedDocument) -> list[tuple[Event, dict[str, list[Span]]]]:
    """Each asserted event with the character spans of its ``source`` and ``target``: the words
    that named the actor in the event's sentence (``source_text``/``target_text``) and every
    mention of that actor in the sentence (:attr:`CodedDocument.mentions`)."""
    by_actor: dict[str, list[Span]] = {}
    for m in doc.mentions:
        by_actor.setdefault(m.actor_id, []).append((m.start, m.end))
    text = doc.document.text
    out = []
    for e in doc.events:
        if e.modality != "asserted":
            continue
        lo, hi = (e.start, e.end) if e.end > e.start else (0, len(text))
        roles: dict[str, list[Span]] = {}
        for role, aid, words in (("source", e.source, e.source_text), ("target", e.target, e.target_text)):
            if aid is None and not words:
                continue
            spans = [(s, t) for s, t in by_actor.get(aid or "", []) if s < hi and lo < t]
            roles[role] = spans + [sp for sp in _occurrences(text, words, lo, hi) if sp not in spans]
        out.append((e, roles))
    return out


@dataclass
class SpanTally:
    """Running totals over a span-annotated gold set."""

    scores: dict[str, SpanScore] = field(default_factory=lambda: {k: SpanScore() for k in SPAN_LEVELS})
    texts: int = 0
    no_event: int = 0                 # texts with no asserted event
    no_event_with_spans: int = 0      # ... of which the gold marks a source, target or party
    no_event_only_hedged: int = 0     # ... of which the coder had only non-asserted events
    no_event_gold: Counter = field(default_factory=Counter)   # gold spans by role in such texts
    no_source: int = 0                # texts with asserted events, none of them with a source
    swapped: Counter = field(default_factory=Counter)         # predicted role on the other gold role
    unscored: Counter = field(default_factory=Counter)        # predictions of a role the gold left unmarked
    errors: list[dict[str, Any]] = field(default_factory=list)



def _span_text(text: str, spans: list[Span]) -> str:
    return text[spans[0][0]:spans[0][1]] if spans else "?"


def _score_text_spans(item: GoldItem, doc: CodedDocument, tally: SpanTally, show: int) -> None:
    text = doc.document.text
    gold = {role: [(s.start, s.end) for s in item.spans or [] if s.role == role] for role in ("source", "target", "party")}
    evs = event_role_spans(doc)
    tally.texts += 1
    has_spans = any(gold.values())
    if not evs:
        tally.no_event += 1
        if has_spans:
            tally.no_event_with_spans += 1
            tally.no_event_only_hedged += bool(doc.events)
            for role, spans in gold.items():
                tally.no_event_gold[role] += len(spans)
    elif not any("source" in roles for _, roles in evs):
        tally.no_source += 1

    # predicted actors per role (one per actor, its spans pooled over the events) and pairs
    pred: dict[str, dict[str, list[Span]]] = {"source": {}, "target": {}}
    pairs: dict[tuple[str, str], tuple[list[Span], list[Span]]] = {}
    for e, roles in evs:
        keys = {"source": e.source or f"text:{e.source_text}", "target": e.target or f"text:{e.target_text}"}
        for role, spans in roles.items():
            pred[role].setdefault(keys[role], []).extend(spans)
        if "source" in roles and "target" in roles:
            pairs.setdefault((keys["source"], keys["target"]), (roles["source"], roles["target"]))

    sc = tally.scores
    missed: list[str] = []
    wrong: list[str] = []
    if gold["party"]:
        # two-sided events: every source or target is a party; pairs are unordered
        parties: dict[str, list[Span]] = {}
        for role in ("source", "target"):
            for key, spans in pred[role].items():
                parties.setdefault(key, []).extend(spans)
        sc["parties"].gold += len(gold["party"])
        sc["parties"].predicted += len(parties)
        sc["parties"].correct += sum(any(_overlaps(sp, s, e) for s, e in gold["party"]) for sp in parties.values())
        for s, e in gold["party"]:
            ok = any(_overlaps(sp, s, e) for sp in parties.values())
            sc["parties"].found += ok
            if not ok:
                missed.append(f"party '{text[s:e]}'")
        gp = gold["party"]
        g_pairs = [(a, b) for i, a in enumerate(gp) for b in gp[i + 1:]] or [(gp[0], gp[0])]
        p_pairs = [(ss, ts) for (sk, tk), (ss, ts) in pairs.items() if sk != tk]

        def hits(pair: tuple[Span, Span], ss: list[Span], ts: list[Span]) -> bool:
            (a, b) = pair
            return (_overlaps(ss, *a) and _overlaps(ts, *b)) or (_overlaps(ss, *b) and _overlaps(ts, *a))
        sc["party_pairs"].gold += len(g_pairs)
        sc["party_pairs"].found += sum(any(hits(g, ss, ts) for ss, ts in p_pairs) for g in g_pairs)
        sc["party_pairs"].predicted += len(p_pairs)
        sc["party_pairs"].correct += sum(any(hits(g, ss, ts) for g in g_pairs) for ss, ts in p_pairs)
    else:
        for role, level in (("source", "sources"), ("target", "targets")):
            other = "target" if role == "source" else "source"
            sc[level].gold += len(gold[role])
            if not gold[role]:
                # the annotators marked no span of this role here (many sentences carry only a
                # source): a prediction can be neither confirmed nor refuted
                tally.unscored[role] += len(pred[role])
                continue
            sc[level].predicted += len(pred[role])
            for spans in pred[role].values():
                if any(_overlaps(spans, s, e) for s, e in gold[role]):
                    sc[level].correct += 1
                    continue
                wrong.append(f"{role} '{_span_text(text, spans)}'")
                if any(_overlaps(spans, s, e) for s, e in gold[other]):
                    tally.swapped[f"{role} on a gold {other}"] += 1
            for s, e in gold[role]:
                ok = any(_overlaps(sp, s, e) for sp in pred[role].values())
                sc[level].found += ok
                if not ok:
                    missed.append(f"{role} '{text[s:e]}'")
        g_pairs = [(a, b) for a in gold["source"] for b in gold["target"]]
        p_pairs = list(pairs.values())
        sc["pairs"].gold += len(g_pairs)
        sc["pairs"].found += sum(any(_overlaps(ss, *a) and _overlaps(ts, *b) for ss, ts in p_pairs)
                                 for a, b in g_pairs)
        if not g_pairs:
            tally.unscored["pair"] += len(p_pairs)
            p_pairs = []
        sc["pairs"].predicted += len(p_pairs)
        sc["pairs"].correct += sum(any(_overlaps(ss, *a) and _overlaps(ts, *b) for a, b in g_pairs)
                                   for ss, ts in p_pairs)
        if g_pairs and not any(_overlaps(ss, *a) and _overlaps(ts, *b) for ss, ts in p_pairs for a, b in g_pairs):
            missed.append("no (source, target) pair")

    if (missed or wrong or not has_spans and evs) and len(tally.errors) < show:
        predicted = "; ".join(
            f"{e.type} {_span_text(text, roles['source']) if 'source' in roles else '-'} -> "
            f"{_span_text(text, roles['target']) if 'target' in roles else '-'}" for e, roles in evs)
        hedged = [e for e in doc.events if e.modality != "asserted"]
        if not evs and hedged:
            predicted = "only " + ", ".join(f"{e.modality} {e.type}" for e in hedged)
        tally.errors.append({
            "id": item.id,
            "gold": "; ".join(f"{s.role} '{s.text}'" for s in item.spans or []) or "-",
            "predicted": predicted or "no event",
            "note": "; ".join(([", ".join(missed) + " missed"] if missed else [])
                              + ([", ".join(wrong) + " wrong"] if wrong else [])) or "no span in the gold",
            "text": item.text})


def score_spans(gold: GoldSet, coded: Sequence[CodedDocument], show: int = DEFAULT_SHOW) -> dict[str, Any]:
    """Score who the coder finds as source and target against marked gold spans.

    Per text, the coder's asserted events are taken; an event's source (target) covers the words
    that named it in the sentence and every mention of the source (target) actor there
    (:func:`event_role_spans`). A gold source span is *found* when some event's source overlaps
    it (recall); a predicted source actor is *correct* when it overlaps some gold source span
    (precision); likewise targets. A gold (source, target) pair is found when one event's source
    overlaps the source span and its target the target span. Precision counts a role only in
    texts whose gold marks at least one span of that role (pairs: both roles); other predictions
    are reported as ``unscored_predictions``. Texts marking parties of a
    two-sided event (R spans, "X will meet Y") are scored apart: every predicted source or target
    is a party, and pairs are unordered. The report also counts texts with no asserted event and
    predicted roles that fall on the other gold role (swaps).
    """
    tally = SpanTally()
    for item, doc in zip(gold.items, coded):
        _score_text_spans(item, doc, tally, show)
    return {
        "task": "spans",
        "texts": tally.texts,
        "spans": {k: v.to_dict() for k, v in tally.scores.items()},
        "no_event": {"texts": tally.no_event, "texts_with_gold_spans": tally.no_event_with_spans,
                     "only_non_asserted_events": tally.no_event_only_hedged,
                     "gold_spans_in_them": {r: tally.no_event_gold[r] for r in ("source", "target", "party")}},
        "events_without_source": tally.no_source,
        "swapped_roles": dict(tally.swapped),
        "unscored_predictions": {r: tally.unscored[r] for r in ("source", "target", "pair")},
        "errors": tally.errors,
    }
