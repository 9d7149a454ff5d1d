"""PLOVER JSON interchange: read PLOVER records as gold data, write factions events as PLOVER.

:func:`from_plover` turns one PLOVER record (as other coders and the OEDA gold standard records
write them) into a gold item; the ``plover`` gold reader groups records by text. :func:`to_plover`
turns a factions :class:`~factions.model.Event` and its actors into a PLOVER record; it is also
what ``factions export --format plover`` writes.

PLOVER fields used (PLOVER manual, "JSON Data Fields"): ``id``, ``date``, ``source`` and
``target`` (lists of ``{actorText, code, sector}``; ``recipient`` is read as ``target``),
``event``, ``mode``, ``context`` (a list; factions puts the modality there as ``hypothetical``,
``future`` or ``negation``), ``eventLoc`` (``{name, "country code", lat, lon}``; ``event_loc``
is read too), ``eventText`` and ``text``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from factions.evaluate.gold import (GoldActor, GoldEvent, GoldFigure, GoldItem, GoldSet, event_actors,
                                    gold_error, is_factions, norm_country, norm_modality, norm_sector,
                                    norm_type, parse_location, register)
from factions.model import PLOVER_TYPES, Actor, Event

#: factions modality -> the PLOVER context word that carries it (asserted carries none).
MODALITY_CONTEXT: dict[str, str] = {"hypothetical": "hypothetical", "future": "future", "negated": "negation"}


@cache
def _iso3_to_iso2() -> dict[str, str]:
    import pycountry
    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def _plover_actor(actor: Actor | None, text: str | None) -> list[dict[str, Any]]:
    if actor is None:
        return []
    rec: dict[str, Any] = {"actorText": text or actor.name, "code": actor.country, "sector": actor.sector,
                           "name": actor.name}
    return [{k: v for k, v in rec.items() if v is not None}]


def to_plover(event: Event, actors_by_id: dict[str, Actor]) -> dict[str, Any]:
    """A factions event as a PLOVER JSON record (see the module docstring for the fields).

    ``actors_by_id`` resolves the event's source and target ids; an id it does not hold is
    written with its text only.
    """
    def actor(actor_id: str | None, text: str | None) -> list[dict[str, Any]]:
        if actor_id is None:
            return []
        known = actors_by_id.get(actor_id)
        if known is None:
            return [{"actorText": text or actor_id}]
        return _plover_actor(known, text)

    loc = None
    if event.location is not None and event.location.name:
        where = event.location
        loc = {k: v for k, v in {"name": where.name,
                                 "country code": _iso3_to_iso2().get(where.country or "", where.country),
                                 "lat": where.lat, "lon": where.lon}.items() if v is not None}
    context = [MODALITY_CONTEXT[event.modality]] if event.modality in MODALITY_CONTEXT else []
    return {"id": event.id, "date": event.date, "source": actor(event.source, event.source_text),
            "target": actor(event.target, event.target_text), "event": event.type, "mode": event.mode,
            "context": context, "eventLoc": loc, "eventText": event.trigger, "text": event.text}


def _is_plover(path: Path, head: str) -> bool:
    return bool(re.search(r'"event"\s*:', head)) and bool(re.search(r'"(source|eventText|event_text)"', head)) \
        and not is_factions(path, head)


def _plover_records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise gold_error(path, f"invalid JSON: {exc.msg}", exc.lineno) from exc
        # Line numbers of records in a JSON array: where each record's "id" appears.
        lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r'"id"\s*:', text)]
        return [(lines[i] if i < len(lines) else i + 1, rec) for i, rec in enumerate(data)]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise gold_error(path, f"invalid JSON: {exc.msg}", n) from exc
    return out


def _plover_actors(value: Any) -> list[GoldActor]:
    if not isinstance(value, list):   # "" or null: no actor; a stray string is not an actor list
        return []
    out = []
    for a in value:
        if isinstance(a, dict):
            out.append(GoldActor(text=a.get("actorText") or a.get("text"), country=norm_country(a.get("code")),
                                 sector=norm_sector(a.get("sector"))))
    return out


def _plover_modality(context: Any) -> str:
    words = context if isinstance(context, list) else str(context or "").split(",")
    for w in (str(x).strip().lower() for x in words):
        if w in ("hypothetical", "future", "negation", "negated"):
            return norm_modality(w)
    return "asserted"


def from_plover(record: dict[str, Any]) -> GoldItem | None:
    """One PLOVER JSON record as a gold item (None for ``DOCUMENT`` header records).

    Accepts both field spellings in circulation (``target``/``recipient``, ``eventLoc``/
    ``event_loc``); ``event`` may be one type or a list; old type names are mapped
    (DEMAND->REQUEST, DISAPPROVE/INVESTIGATE->ACCUSE, FIGHT->ASSAULT). Raises ``ValueError`` for a
    record without text or with an unknown event type.
    """
    raw = record.get("event")
    kinds = raw if isinstance(raw, list) else [raw]
    if any(str(k).upper() == "DOCUMENT" for k in kinds):
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("record has no 'text'")
    types = [norm_type(k) for k in kinds if k]
    bad = [t for t in types if t not in PLOVER_TYPES]
    if bad or not types:
        raise ValueError(f"unknown event type {raw!r}")
    sources = _plover_actors(record.get("source"))
    targets = _plover_actors(record.get("target", record.get("recipient")))
    info = record.get("textInfo") or record.get("text_info") or {}
    markup = str(info.get("markup", "")) if isinstance(info, dict) else str(info)
    reciprocal = len(sources) >= 2 and not targets and ("SRC/TAR" in markup or not markup)
    mode = record.get("mode")
    mode = (", ".join(mode) if isinstance(mode, list) else str(mode)).strip() if mode else None
    loc = record.get("eventLoc", record.get("event_loc"))
    location = parse_location(loc) if isinstance(loc, dict) and loc.get("name") else None
    figures = []
    for key, cat in (("dead", "killed"), ("injured", "wounded")):
        if record.get(key) not in (None, ""):
            v = str(record[key]).replace(",", "").strip()
            figures.append(GoldFigure(category=cat, value=int(v) if v.isdigit() else None,
                                      qualifier=None if v.isdigit() else v.lower()))
    events = [GoldEvent(type=t, sources=sources, targets=targets, mode=mode or None,
                        modality=_plover_modality(record.get("context")), location=location,
                        reciprocal=reciprocal) for t in types]
    return GoldItem(id=str(record.get("id", "")), text=text.strip(), date=record.get("date"), events=events,
                    figures=figures or None)


@register("plover", _is_plover)
def read_plover(path: Path) -> GoldSet:
    """PLOVER JSON records; records sharing a text become one gold item with several events.

    PLOVER gold records list no actors beyond the events' own, so actor resolution is scored
    on the event actors, and figures only where ``dead``/``injured`` are given.
    """
    by_text: dict[str, GoldItem] = {}
    skipped = 0
    for line, rec in _plover_records(path):
        if not isinstance(rec, dict):
            raise gold_error(path, "each PLOVER record must be a JSON object", line)
        try:
            item = from_plover(rec)
        except ValueError as exc:
            raise gold_error(path, f"record {rec.get('id', '?')}: {exc}", line) from exc
        if item is None:
            skipped += 1
            continue
        have = by_text.get(item.text)
        if have is None:
            item.actors = event_actors(item.events)
            by_text[item.text] = item
        else:
            have.events.extend(item.events)
            have.actors = event_actors(have.events)
            if item.figures:
                have.figures = (have.figures or []) + item.figures
    items = list(by_text.values())
    if not items:
        raise gold_error(path, "no PLOVER event records")
    notes = [f"{skipped} DOCUMENT header record(s) skipped"] if skipped else []
    return GoldSet(path=str(path), format="plover", items=items, skipped=skipped, notes=notes,
                   actors_complete=False)


