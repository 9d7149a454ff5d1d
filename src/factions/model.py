"""The data model: the one place that defines every record factions produces.

Every other module imports these classes; nothing else defines a second copy of a record.
Records are plain dataclasses so they are cheap to build in the hot coding loop and trivially
serialisable (``to_dict`` / ``from_dict``) to JSON, Parquet and DuckDB rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Iterable

#: The 16 PLOVER event types, in the order of the PLOVER manual.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: PLOVER quad classes (verbal/material x cooperation/conflict).
QUAD_CLASS: dict[str, str] = {
    "AGREE": "verbal_cooperation", "CONSULT": "verbal_cooperation",
    "SUPPORT": "verbal_cooperation", "CONCEDE": "verbal_cooperation",
    "COOPERATE": "material_cooperation", "AID": "material_cooperation",
    "RETREAT": "material_cooperation",
    "REQUEST": "verbal_conflict", "ACCUSE": "verbal_conflict", "REJECT": "verbal_conflict",
    "THREATEN": "verbal_conflict",
    "PROTEST": "material_conflict", "SANCTION": "material_conflict",
    "MOBILIZE": "material_conflict", "COERCE": "material_conflict", "ASSAULT": "material_conflict",
}

#: Modality of an event: did the text say it happened?
MODALITIES: tuple[str, ...] = ("asserted", "hypothetical", "negated", "future")


def stable_id(*parts: object, length: int = 16) -> str:
    """Deterministic short id from the given parts (same input -> same id, across runs)."""
    h = hashlib.blake2b("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"),
                        digest_size=16)
    return h.hexdigest()[:length]


def content_hash(text: str) -> str:
    """The document id: a hash of the document's text, so a text coded twice is stored once."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


class Record:
    """Mixin giving every record dict conversion that tolerates unknown keys."""

    # Nested record fields that from_dict must rebuild (name -> class).
    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {k: v for k, v in data.items() if k in names}
        for name, klass in cls._nested.items():
            value = kwargs.get(name)
            if isinstance(value, dict):
                kwargs[name] = klass.from_dict(value)
        return cls(**kwargs)


@dataclass(slots=True)
class Document(Record):
    """One input text. ``id`` is the content hash of ``text`` (the original, un-normalised text)."""

    id: str
    text: str
    path: str | None = None
    source_id: str | None = None
    title: str | None = None
    date: str | None = None          # ISO 8601 date (YYYY-MM-DD) when known
    url: str | None = None

    @property
    def length(self) -> int:
        return len(self.text)

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> "Document":
        return cls(id=content_hash(text), text=text, **meta)

    def summary(self) -> dict[str, Any]:
        """The document as reported in JSON output: everything but the full text."""
        return {"id": self.id, "path": self.path, "source_id": self.source_id, "title": self.title,
                "date": self.date, "url": self.url, "length": self.length}


@dataclass(slots=True)
class Location(Record):
    """A geocoded place."""

    name: str
    country: str | None = None       # ISO 3166-1 alpha-3
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None          # city, country, region


@dataclass(slots=True)
class Actor(Record):
    """A canonical actor: one record however many ways the texts named it."""

    id: str
    name: str
    kind: str = "organization"       # person, state, armed_group, party, movement, organization, ...
    country: str | None = None       # ISO 3166-1 alpha-3, or a PLOVER non-state code (IGO, NGO, IMG, ...)
    sector: str | None = None        # PLOVER sector code: GOV, MIL, REB, PTY, OPP, CVL, ...
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    affiliation: str | None = None   # id of the actor this one belongs to (a leader's state, ...)


@dataclass(slots=True)
class Mention(Record):
    """One place in a document's text that names (or refers back to) an actor."""

    doc_id: str
    actor_id: str
    text: str
    start: int                       # character offsets into the ORIGINAL document text
    end: int
    how: str = "name"                # name | alias | adjective | nominal | pronoun | agent | capital | place


@dataclass(slots=True)
class Event(Record):
    """Who did what to whom, where, when, and how sure the text is - pointing at its words."""

    _nested: ClassVar[dict[str, type]] = {"location": Location}

    id: str
    doc_id: str
    type: str                        # one of PLOVER_TYPES
    source: str | None               # actor id
    target: str | None = None        # actor id
    mode: str | None = None          # PLOVER mode, e.g. "aerial" for ASSAULT
    modality: str = "asserted"       # one of MODALITIES
    location: Location | None = None
    date: str | None = None
    text: str = ""                   # the sentence the event was coded from
    start: int = 0                   # sentence span in the original document text
    end: int = 0
    trigger: str = ""                # the words that carry the event ("killed", "drone attack")
    trigger_start: int = 0
    trigger_end: int = 0
    source_text: str | None = None   # the words that named the source / target in this sentence
    target_text: str | None = None
    confidence: float = 0.5

    @property
    def quad_class(self) -> str:
        return QUAD_CLASS[self.type]


@dataclass(slots=True)
class Figure(Record):
    """A claimed number: "at least 500 killed in Iraq, human rights groups said"."""

    _nested: ClassVar[dict[str, type]] = {"location": Location}

    id: str
    doc_id: str
    category: str                    # killed, wounded, arrested, displaced, missing, ...
    value: int | None                # None for vague counts ("thousands")
    qualifier: str | None = None     # "at least", "about", "more than", "thousands", ...
    location: Location | None = None
    attributed_to: str | None = None  # actor id of who claims the number
    text: str = ""                   # the sentence
    start: int = 0
    end: int = 0
    span_start: int = 0              # the number's own words
    span_end: int = 0


@dataclass(slots=True)
class Relation(Record):
    """A signed tie between two actors, aggregated from the events between them."""

    source: str
    target: str
    sign: int                        # +1 alliance / -1 hostility
    weight: float
    event_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IngestError(Record):
    """An input that could not be coded, with a stable error code and a one-line reason."""

    path: str
    code: str
    message: str
    source_id: str | None = None


@dataclass(slots=True)
class CodedDocument:
    """Everything coded from one document: what the pipeline hands to the store."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def merge_actors(actors: Iterable[Actor]) -> list[Actor]:
    """Merge actor records that share an id: aliases are unioned, mention counts summed."""
    merged: dict[str, Actor] = {}
    for a in actors:
        m = merged.get(a.id)
        if m is None:
            merged[a.id] = Actor(a.id, a.name, a.kind, a.country, a.sector, list(a.aliases),
                                 a.mentions, a.affiliation)
            continue
        m.mentions += a.mentions
        seen = set(m.aliases)
        m.aliases.extend(x for x in a.aliases if x not in seen)
    return list(merged.values())
