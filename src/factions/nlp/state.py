"""Per-document coding state carried on a spaCy ``Doc`` between the factions components.

The actors component fills ``actors``/``mentions``; the events and figures components read
them and add ``events``/``figures``. Offsets here are into the NORMALISED text the parser saw;
:mod:`factions.coder` maps them back to the original document at the end.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from factions.model import Actor, Event, Figure, Mention

EXTENSION = "factions"


@dataclass(slots=True)
class DocCoding:
    """What factions knows about one parsed document."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    mention_heads: list[int] = field(default_factory=list)   # head token index per mention
    by_token: list[int] = field(default_factory=list)        # token index -> mention index or -1
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    titles: dict[str, set[str]] = field(default_factory=dict)  # actor id -> role nouns seen ("general")
    # doc.ents, built once: spaCy rebuilds every entity Span on each doc.ents / sent.ents access,
    # which made a long document quadratic (one access per event trigger)
    _ents: list[Span] | None = None
    _ent_starts: list[int] = field(default_factory=list)

    def mention_at(self, token: Token) -> Mention | None:
        k = self.by_token[token.i] if token.i < len(self.by_token) else -1
        return self.mentions[k] if k >= 0 else None

    def actor_at(self, token: Token) -> Actor | None:
        m = self.mention_at(token)
        return self.actors[m.actor_id] if m is not None else None

    def ents_in(self, span: Span) -> list[Span]:
        """The named entities inside ``span`` (a sentence), in order; read once per document."""
        ents = self._index(span.doc)
        return ents[bisect_left(self._ent_starts, span.start):bisect_left(self._ent_starts, span.end)]

    def ent_at(self, token: Token) -> Span | None:
        """The named entity that covers ``token``, if any."""
        ents = self._index(token.doc)
        k = bisect_right(self._ent_starts, token.i) - 1
        return ents[k] if k >= 0 and token.i < ents[k].end else None

    def _index(self, doc: Doc) -> list[Span]:
        # built on first use, by the events/figures components: the entities are final by then
        if self._ents is None:
            self._ents = list(doc.ents)
            self._ent_starts = [e.start for e in self._ents]
        return self._ents


def coding(doc: Doc) -> DocCoding:
    """The :class:`DocCoding` of ``doc`` (created on first access)."""
    state = doc._.get(EXTENSION)
    if state is None:
        state = DocCoding(by_token=[-1] * len(doc))
        doc._.set(EXTENSION, state)
    return state


if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)
