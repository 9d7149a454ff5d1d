"""The coder: documents in, coded documents (actors, mentions, events, figures) out.

    >>> from factions.coder import Coder
    >>> coded = Coder().code_texts(["Israeli warplanes struck Hamas positions in Gaza on Friday."])
    >>> coded[0].events[0].type
    'ASSAULT'

Each text is normalised (hard line breaks joined, hyphenation repaired), parsed by one spaCy
pipeline that carries factions' components (actors -> events -> figures), and every offset is
mapped back to the ORIGINAL text so each record points at the words it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from spacy.tokens import Doc

from factions.ingest.normalize import Normalized, normalize
from factions.model import CodedDocument, Document, Event, Figure, Mention, stable_id
from factions.nlp.pipeline import DEFAULT_MODEL, build_pipeline, shared_pipeline
from factions.nlp.state import coding

DEFAULT_BATCH = 32


class Coder:
    """Codes documents with one spaCy pipeline (loaded once per Coder)."""

    def __init__(self, *, model: str = DEFAULT_MODEL, extra_actors: Sequence[dict[str, Any]] | None = None,
                 batch_size: int = DEFAULT_BATCH) -> None:
        self.batch_size = batch_size
        if extra_actors:
            self.nlp = build_pipeline(model, extra_actors=tuple(extra_actors))
        else:
            self.nlp = shared_pipeline(model)

    def code_documents(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        """Code a stream of documents lazily, in batches, keeping their order."""
        def prepared() -> Iterator[tuple[Doc, tuple[Document, Normalized]]]:
            for d in documents:
                norm = normalize(d.text)
                sdoc = self.nlp.make_doc(norm.text)
                sdoc.user_data["factions_date"] = d.date
                yield sdoc, (d, norm)

        for sdoc, (d, norm) in self.nlp.pipe(prepared(), as_tuples=True, batch_size=self.batch_size):
            yield finish(sdoc, d, norm)

    def code_texts(self, texts: Iterable[str], **meta: Any) -> list[CodedDocument]:
        """Code plain strings (each becomes a Document keyed by its content hash)."""
        return list(self.code_documents(Document.from_text(t, **meta) for t in texts))


def finish(sdoc: Doc, document: Document, norm: Normalized) -> CodedDocument:
    """Turn a parsed document's coding state into records with ORIGINAL-text offsets."""
    state = coding(sdoc)
    text = document.text
    doc_id = document.id

    def orig(start: int, end: int) -> tuple[int, int]:
        return norm.to_original(start, end)

    mentions = []
    for m in state.mentions:
        s, e = orig(m.start, m.end)
        mentions.append(Mention(doc_id, m.actor_id, text[s:e], s, e, m.how))
    events = []
    for ev in state.events:
        s, e = orig(ev.start, ev.end)
        ts, te = orig(ev.trigger_start, ev.trigger_end)
        ev.doc_id = doc_id
        ev.start, ev.end, ev.trigger_start, ev.trigger_end = s, e, ts, te
        ev.trigger = text[ts:te]
        ev.id = stable_id(doc_id, ev.type, ev.source, ev.target, ts, te)
        events.append(ev)
    figures = []
    for fig in state.figures:
        s, e = orig(fig.start, fig.end)
        ss, se = orig(fig.span_start, fig.span_end)
        fig.doc_id = doc_id
        fig.start, fig.end, fig.span_start, fig.span_end = s, e, ss, se
        fig.id = stable_id(doc_id, fig.category, ss, se, fig.value)
        figures.append(fig)
    return CodedDocument(document, list(state.actors.values()), mentions, _unique(events), _unique(figures))


def _unique(records: list[Event] | list[Figure]) -> list:
    seen: set[str] = set()
    out = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out
