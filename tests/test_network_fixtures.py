"""Shared helpers of the network tests: hand-built events written to a real DuckDB store.

Imported by the other ``test_network_*.py`` modules (``from test_network_fixtures import ...``).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx

from factions.model import Actor, CodedDocument, Document, Event
from factions.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
GAHUKU = FIXTURES / "gahuku_gama.tsv"
#: The shared evaluation data (read-only, outside the repo); tests using it skip without it.
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "external"

_ids = itertools.count()


def ev(type_: str, source: str | None, target: str | None, date: str | None = "2024-01-15",
       modality: str = "asserted") -> Event:
    """An event with a fresh id (the document is set by :func:`make_store`)."""
    return Event(id=f"ev{next(_ids):05d}", doc_id="", type=type_, source=source, target=target,
                 modality=modality, date=date)


def actor(aid: str, name: str, kind: str = "state", country: str | None = None,
          sector: str | None = "GOV") -> Actor:
    return Actor(aid, name, kind, country or aid, sector)


def make_store(path: Path, events: list[Event], actors: list[Actor], *, doc_date: str | None = "2024-01-01",
               docs: int = 1) -> Path:
    """Write the events (spread over ``docs`` documents) through Store.add; return the path."""
    coded = []
    for k in range(docs):
        doc = Document.from_text(f"document {k} of {path.name}", date=doc_date, title=f"doc {k}")
        mine = [e for i, e in enumerate(events) if i % docs == k]
        for e in mine:
            e.doc_id = doc.id
        coded.append(CodedDocument(doc, actors if k == 0 else [], [], mine))
    with Store(path) as store:
        store.add(coded)
    return path


# A small two-bloc world: a western and an eastern bloc, TUR with a positive tie to each
# (the one unbalanced triangle USA-TUR-RUS), HEZ hanging on IRN only.
WORLD_ACTORS = [actor("USA", "United States"), actor("GBR", "United Kingdom"), actor("FRA", "France"),
                actor("RUS", "Russia"), actor("IRN", "Iran"), actor("SYR", "Syria"), actor("TUR", "Turkey"),
                actor("HEZ", "Hezbollah", kind="armed_group", country="LBN", sector="REB")]


def world_events() -> list[Event]:
    return [
        ev("AID", "USA", "GBR", "2024-01-10"), ev("COOPERATE", "GBR", "USA", "2024-02-10"),
        ev("SUPPORT", "USA", "FRA"), ev("CONSULT", "FRA", "GBR"),
        ev("COOPERATE", "RUS", "IRN"), ev("AID", "RUS", "SYR"), ev("SUPPORT", "IRN", "SYR"),
        ev("SANCTION", "USA", "RUS", "2024-03-01"), ev("ACCUSE", "RUS", "USA", "2024-03-02"),
        ev("THREATEN", "GBR", "IRN"), ev("ASSAULT", "FRA", "SYR", "2024-02-20"),
        ev("AGREE", "TUR", "USA"), ev("CONSULT", "TUR", "RUS"),
        ev("AID", "IRN", "HEZ", None),                       # dated by its document
        # None of these may count:
        ev("ASSAULT", "USA", "IRN", modality="hypothetical"), ev("AID", "GBR", "RUS", modality="negated"),
        ev("ASSAULT", "RUS", "GBR", modality="future"), ev("PROTEST", "IRN", None),
        ev("CONSULT", "USA", "USA"),
    ]


def signed(edges: list[tuple[str, str, int]]) -> nx.Graph:
    """A graph from (u, v, sign) triples."""
    g = nx.Graph()
    for u, v, s in edges:
        g.add_edge(u, v, sign=s)
    return g
