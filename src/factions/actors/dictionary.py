"""The actor dictionary: countries, named actors and generic agent nouns, loaded once.

Sources (all data files under ``factions/data``, documented in its README):
  - ``countries.csv``: every country with its names, adjectives/demonyms, capital, centroid;
  - ``actors.yaml``: well-known named actors (leaders, armed groups, parties, IGOs, ...);
  - ``agents.yaml``: generic nouns ("militia", "troops", "embassy") -> PLOVER sector and kind;
  - ``sectors.yaml``: what each PLOVER sector code is called.
Users can add their own actors (same format as actors.yaml) with ``extra_actors``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from factions.data import load_csv, load_words, load_yaml

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lower-case ascii slug for ids: "Qassem Soleimani" -> "qassem-soleimani"."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_.lower()).strip("-") or "x"


def norm(text: str) -> str:
    """The key surface forms are matched on: lower case, straight quotes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary actor."""

    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    affiliation: str | None = None
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Agent:
    """A generic actor noun."""

    sector: str
    kind: str
    role: bool = False   # a person title that can refer back to a named person ("the general")
    # with no nationality of its own, an international NGO (country code NGO): "rights groups
    # said", "aid agencies warned"; "local rights groups" are the country's civil society
    international: bool = False


class ActorDictionary:
    """Lookups from surface forms to canonical actors."""

    def __init__(self, extra_actors: Iterable[dict[str, Any]] = ()) -> None:
        self.entries: dict[str, Entry] = {}
        self.by_alias: dict[str, Entry] = {}
        self.adjectives: dict[str, str] = {}       # "iranian" -> "IRN"
        self.country_name: dict[str, str] = {}     # "IRN" -> "Iran"
        self.centroid: dict[str, tuple[float, float]] = {}
        self.capitals: dict[str, str] = {}         # "tehran" -> "IRN"
        self.surnames: dict[str, list[Entry]] = {}
        self.titled_surnames: dict[str, Entry] = {}
        self.sector_label: dict[str, str] = {k: v["label"] for k, v in load_yaml("sectors.yaml").items()}
        self.sector_kind: dict[str, str] = {k: v["kind"] for k, v in load_yaml("sectors.yaml").items()}
        self.agents: dict[str, Agent] = {}
        self.original_aliases: set[str] = set()    # names as written, for case-sensitive matching
        self._load_countries()
        for row in load_yaml("actors.yaml") or []:
            self._add_actor(row)
        for row in extra_actors:
            self._add_actor(row, override=True)
        for lemma, info in (load_yaml("agents.yaml") or {}).items():
            self.agents[norm(str(lemma))] = Agent(info["sector"], info.get("kind", "group"), bool(info.get("role")),
                                                  bool(info.get("international")))
        self._fuzzy_keys = [k for k, e in self.by_alias.items() if e.kind != "state" and len(k) >= 6]
        self._fuzzy_cache: dict[tuple[str, float], Entry | None] = {}

    # -- loading ---------------------------------------------------------------------------------
    def _load_countries(self) -> None:
        for row in load_csv("countries.csv"):
            iso = row["iso3"].strip().upper()
            name = row["name"].strip()
            self.country_name[iso] = name
            entry = Entry(iso, name, "state", iso, "GOV")
            self.entries[iso] = entry
            for alias in [name, *_split(row.get("aliases"))]:
                self.by_alias.setdefault(norm(alias), entry)
                self.original_aliases.add(alias)
            for adj in _split(row.get("adjectives")):
                self.adjectives.setdefault(norm(adj), iso)
            for cap in [row.get("capital") or "", *_split(row.get("capital_aliases"))]:
                if cap.strip():
                    self.capitals.setdefault(norm(cap), iso)
                    self.original_aliases.add(cap.strip())
            try:
                self.centroid[iso] = (float(row["lat"]), float(row["lon"]))
            except (TypeError, ValueError, KeyError):
                pass

    def _add_actor(self, row: dict[str, Any], *, override: bool = False) -> None:
        entry = Entry(
            id=str(row["id"]), name=str(row["name"]), kind=str(row.get("kind") or "organization"),
            country=row.get("country") or None, sector=row.get("sector") or None,
            affiliation=row.get("affiliation") or None,
            roles=frozenset(norm(r) for r in row.get("roles") or ()),
        )
        self.entries[entry.id] = entry
        for alias in [entry.name, *(row.get("aliases") or ())]:
            self.original_aliases.add(str(alias))
            key = norm(str(alias))
            if override or key not in self.by_alias:
                self.by_alias[key] = entry
        if entry.kind == "person":
            # "King Charles III", "Martin Luther King Jr.": the surname is before the suffix
            parts = [w for w in entry.name.split() if w.rstrip(".").lower() not in NAME_SUFFIXES]
            if len(parts) > 1:
                for key in _surname_keys(parts[-1]):
                    self.surnames.setdefault(key, []).append(entry)
            # "President Assad", "Ayatollah Khamenei": a titled surname says which of several
            # people sharing a surname the bare surname usually means
            for alias in row.get("aliases") or ():
                words = str(alias).split()
                if len(words) == 2 and words[0][:1].isupper() and words[1].rstrip(".").lower() not in NAME_SUFFIXES:
                    for key in _surname_keys(words[1]):
                        self.titled_surnames.setdefault(key, entry)

    # -- lookups ---------------------------------------------------------------------------------
    def state(self, iso3: str) -> Entry:
        """The state actor of a country (its government acts for it)."""
        entry = self.entries.get(iso3)
        if entry is None:
            entry = Entry(iso3, iso3, "state", iso3, "GOV")
        return entry

    def composite(self, iso3: str, sector: str) -> Entry:
        """A country's sector as one actor: ("IRQ", "MIL") -> "Iraq military" (id IRQ-MIL)."""
        if sector == "GOV":
            return self.state(iso3)
        label = self.sector_label.get(sector, sector)
        return Entry(f"{iso3}-{sector}", f"{self.country_name.get(iso3, iso3)} {label}",
                     self.sector_kind.get(sector, "group"), iso3, sector)

    def lookup(self, surface: str) -> Entry | None:
        """Exact (normalised) match of a name, alias or country name."""
        return self.by_alias.get(norm(surface))

    def fuzzy(self, surface: str, cutoff: float = 92.0) -> Entry | None:
        """Closest named actor for a misspelt or variant name, or None."""
        key = norm(surface)
        if len(key) < 6 or not self._fuzzy_keys:
            return None
        if (key, cutoff) not in self._fuzzy_cache:  # names repeat a lot across a corpus
            hit = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            self._fuzzy_cache[(key, cutoff)] = self.by_alias[hit[0]] if hit else None
        return self._fuzzy_cache[(key, cutoff)]

    def country_of_word(self, word: str) -> str | None:
        """ISO3 for a country adjective, demonym, name or capital ("Iranian", "Iraq's", "Tehran")."""
        key = norm(word)
        if key.endswith("'s"):
            key = key[:-2]
        iso = self.adjectives.get(key) or self.capitals.get(key)
        if iso:
            return iso
        entry = self.by_alias.get(key)
        return entry.id if entry is not None and entry.kind == "state" else None

    def agent(self, lemma: str) -> Agent | None:
        return self.agents.get(norm(lemma))


NAME_SUFFIXES = load_words("name_suffixes")
SURNAME_PARTICLES = ("al-", "el-", "ad-", "as-", "ash-", "at-", "an-", "ar-")


def _surname_keys(word: str) -> list[str]:
    """Lookup keys of a surname: "al-Assad" -> ["al-assad", "assad"]."""
    key = norm(word)
    keys = [key]
    for p in SURNAME_PARTICLES:
        if key.startswith(p) and len(key) > len(p) + 2:
            keys.append(key[len(p):])
    return keys


def surname_entry(d: "ActorDictionary", key: str) -> Entry | None:
    """The dictionary person a bare surname most likely means, or None if ambiguous."""
    cands = d.surnames.get(key, ())
    if len(cands) == 1:
        return cands[0]
    return d.titled_surnames.get(key)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


@cache
def default_dictionary() -> ActorDictionary:
    """The dictionary built from the shipped data files only (shared per process)."""
    return ActorDictionary()
