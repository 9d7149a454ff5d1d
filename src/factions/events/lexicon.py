"""The event lexicon (data/events.yaml) compiled into fast lookup tables, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from factions.data import load_yaml
from factions.errors import FactionsError
from factions.model import PLOVER_TYPES


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: a verb (or noun) sense that carries a PLOVER event."""

    type: str
    lemma: str
    mode: str | None = None
    prt: str | None = None
    obj: frozenset[str] = frozenset()
    target: tuple[str, ...] = ()
    absorb: bool = False
    obj_is_source: bool = False
    requires_target: bool = False
    none: bool = False               # a known non-event sense ("offered condolences"): suppresses
    of: str | None = None            # nouns: is "of X" the source or the target?
    poss: str = "source"             # nouns: is a possessor the source or the target?
    conf: float = 1.0
    mutual: bool = False             # SUPPORT: joint subjects support each other (signing a pact)

    @property
    def specificity(self) -> int:
        # a suppressing sense is tried before any event sense of the same shape
        return (2 if self.obj else 0) + (1 if self.prt else 0) + (1 if self.none else 0)


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Entry, ...]]        # lemma -> entries, most specific first
    nouns: dict[str, Entry]                    # lemma or "compound lemma" -> entry
    light_verbs: frozenset[str]
    target_preps: dict[str, tuple[str, ...]]
    modes: dict[str, tuple[tuple[str, frozenset[str]], ...]]
    responsibility_nouns: frozenset[str]

    def verb_entries(self, lemma: str) -> tuple[Entry, ...]:
        return self.verbs.get(lemma, ())

    def preps_for(self, entry: Entry) -> tuple[str, ...]:
        return entry.target or self.target_preps.get(entry.type) or self.target_preps["default"]


def _entry(type_: str, raw: object, path: str) -> Entry:
    if isinstance(raw, str):
        raw = {"lemma": raw}
    if not isinstance(raw, dict) or "lemma" not in raw:
        raise FactionsError("E201", path=path, detail=f"bad entry under {type_}: {raw!r}")
    obj = raw.get("obj") or ()
    return Entry(type=type_, lemma=str(raw["lemma"]).lower(), mode=raw.get("mode"),
                 prt=raw.get("prt"), obj=frozenset(str(o).lower() for o in obj),
                 target=tuple(raw.get("target") or ()), absorb=bool(raw.get("absorb")),
                 obj_is_source=bool(raw.get("obj_is_source")),
                 requires_target=bool(raw.get("requires_target")), none=bool(raw.get("none")) or type_ == "NONE",
                 of=raw.get("of"),
                 poss=str(raw.get("poss") or "source"), conf=float(raw.get("conf", 1.0)),
                 mutual=bool(raw.get("mutual")))


@cache
def load_lexicon() -> Lexicon:
    """Compile data/events.yaml (validated: unknown types are an error, not a silent miss)."""
    raw = load_yaml("events.yaml")
    verbs: dict[str, list[Entry]] = {}
    nouns: dict[str, Entry] = {}
    for section in ("verbs", "nouns"):
        for type_, entries in raw[section].items():
            if type_ not in PLOVER_TYPES and type_ != "NONE":
                raise FactionsError("E201", path="events.yaml", detail=f"unknown PLOVER type {type_!r}")
            for item in entries:
                e = _entry(type_, item, "events.yaml")
                if section == "verbs":
                    verbs.setdefault(e.lemma, []).append(e)
                else:
                    nouns.setdefault(e.lemma, e)
    modes = {t: tuple((m, frozenset(w.lower() for w in words)) for m, words in ms.items())
             for t, ms in (raw.get("modes") or {}).items()}
    return Lexicon(
        verbs={k: tuple(sorted(v, key=lambda e: -e.specificity)) for k, v in verbs.items()},
        nouns=nouns,
        light_verbs=frozenset(raw.get("light_verbs") or ()),
        target_preps={k: tuple(v) for k, v in raw["target_preps"].items()},
        modes=modes,
        responsibility_nouns=frozenset(raw.get("responsibility_nouns") or ()),
    )
