"""Shared fixtures of the web tests: a real DuckDB store of hand-made records, a real server.

The store is written through :meth:`Store.add`, like the coder writes it. Every record's
offsets are computed from the document text, so the highlights the app shows are checkable.
Imported by the other ``test_web_*.py`` modules (``from test_web_fixtures import ...``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from factions.model import (Actor, CodedDocument, Document, Event, Figure, Location, Mention,
                            stable_id)
from factions.store.db import Store
from factions.web.app import create_app

ACTORS = {
    "USA": Actor("USA", "United States", "state", "USA", "GOV", ["Washington", "US"]),
    "UKR": Actor("UKR", "Ukraine", "state", "UKR", "GOV", ["Kyiv"]),
    "RUS": Actor("RUS", "Russia", "state", "RUS", "GOV", ["Moscow", "Kremlin"]),
    "CHN": Actor("CHN", "China", "state", "CHN", "GOV", ["Beijing"]),
    "IRN": Actor("IRN", "Iran", "state", "IRN", "GOV", ["Tehran"]),
    "NATO": Actor("NATO", "NATO", "organization", "IGO", None, ["the alliance"]),
    "EU": Actor("EU", "European Union", "organization", "IGO", None, ["Brussels"]),
}

PLACES = {
    "Kyiv": Location("Kyiv", "UKR", 50.45, 30.52, "city"),
    "Moscow": Location("Moscow", "RUS", 55.75, 37.62, "city"),
    "Brussels": Location("Brussels", "BEL", 50.85, 4.35, "city"),
    "Beijing": Location("Beijing", "CHN", 39.90, 116.40, "city"),
    "Tehran": Location("Tehran", "IRN", 35.69, 51.39, "city"),
}

#: A document that tries to run script when shown: it must be displayed as text.
HOSTILE_TITLE = "<b>Bold</b> claims"
HOSTILE_TEXT = ("Russia condemned NATO in a statement titled <script>alert('xss')</script> "
                "and <img src=x onerror=\"alert('img')\"> on Tuesday.")


@dataclass
class Spec:
    """One event as a test writes it: words that must occur in the sentence."""

    sentence: str
    source: str          # actor id
    source_word: str     # the words naming the source in the sentence
    trigger: str
    type: str
    target: str | None
    target_word: str | None
    date: str
    place: str | None = None
    modality: str = "asserted"
    mode: str | None = None


DOCS: list[tuple[str, str, list[Spec]]] = [
    ("Aid for Kyiv", "2023-03-01", [
        Spec("The United States sent air defence systems to Ukraine on Monday.", "USA", "United States",
             "sent air defence systems", "AID", "UKR", "Ukraine", "2023-03-01", "Kyiv", mode="military"),
        Spec("NATO agreed with Ukraine on a training mission.", "NATO", "NATO", "agreed", "AGREE",
             "UKR", "Ukraine", "2023-03-02", "Brussels"),
        Spec("The European Union pledged support to Ukraine.", "EU", "European Union", "pledged support",
             "SUPPORT", "UKR", "Ukraine", "2023-03-03", "Brussels")]),
    ("Strikes", "2023-06-10", [
        Spec("Russia launched drone strikes on Ukraine overnight.", "RUS", "Russia", "launched drone strikes",
             "ASSAULT", "UKR", "Ukraine", "2023-06-10", "Kyiv", mode="aerial"),
        Spec("Ukraine accused Russia of targeting power plants.", "UKR", "Ukraine", "accused", "ACCUSE",
             "RUS", "Russia", "2023-06-11", "Kyiv"),
        Spec("Russia may attack Ukraine again, officials warned.", "RUS", "Russia", "may attack", "ASSAULT",
             "UKR", "Ukraine", "2023-06-12", None, modality="hypothetical")]),
    ("Sanctions", "2023-09-05", [
        Spec("The United States imposed sanctions on Russia.", "USA", "United States", "imposed sanctions",
             "SANCTION", "RUS", "Russia", "2023-09-05", None),
        Spec("The European Union sanctioned Iran over drone sales.", "EU", "European Union", "sanctioned",
             "SANCTION", "IRN", "Iran", "2023-09-06", "Brussels"),
        Spec("Russia threatened NATO with retaliation.", "RUS", "Russia", "threatened", "THREATEN",
             "NATO", "NATO", "2023-09-07", "Moscow")]),
    ("Partners", "2024-01-15", [
        Spec("China and Russia signed a trade agreement in Beijing.", "CHN", "China", "signed a trade agreement",
             "AGREE", "RUS", "Russia", "2024-01-15", "Beijing"),
        Spec("Iran supplied drones to Russia.", "IRN", "Iran", "supplied drones", "AID", "RUS", "Russia",
             "2024-01-16", "Tehran", mode="military"),
        Spec("China hosted Iran for talks.", "CHN", "China", "hosted", "CONSULT", "IRN", "Iran",
             "2024-01-17", "Beijing"),
        Spec("The United States criticised China over its support.", "USA", "United States", "criticised",
             "ACCUSE", "CHN", "China", "2024-01-18", None)]),
    ("Trade", "2024-04-02", [
        # The frustrating tie: the EU cooperates with China, across the blocs.
        Spec("The European Union and China agreed on a climate deal.", "EU", "European Union", "agreed",
             "AGREE", "CHN", "China", "2024-04-02", "Brussels"),
        Spec("The European Union consulted China on trade.", "EU", "European Union", "consulted", "CONSULT",
             "CHN", "China", "2024-04-03", "Beijing"),
        Spec("The United States praised NATO allies.", "USA", "United States", "praised", "SUPPORT",
             "NATO", "NATO", "2024-04-04", None)]),
]


def coded_document(title: str, day: str, specs: list[Spec]) -> CodedDocument:
    """A CodedDocument whose offsets are found in its own text."""
    text = title + "\n\n" + " ".join(s.sentence for s in specs)
    doc = Document.from_text(text, title=title, date=day, path=f"{title.lower().replace(' ', '-')}.txt")
    mentions: list[Mention] = []
    events: list[Event] = []
    for s in specs:
        start = text.index(s.sentence)
        end = start + len(s.sentence)
        t0 = start + s.sentence.index(s.trigger)
        for actor_id, word in ((s.source, s.source_word), (s.target, s.target_word)):
            if actor_id and word:
                m0 = start + s.sentence.index(word)
                mentions.append(Mention(doc.id, actor_id, word, m0, m0 + len(word)))
        events.append(Event(
            id=stable_id(doc.id, start, s.type, s.source, s.target), doc_id=doc.id, type=s.type,
            source=s.source, target=s.target, mode=s.mode, modality=s.modality,
            location=PLACES.get(s.place) if s.place else None, date=s.date, text=s.sentence,
            start=start, end=end, trigger=s.trigger, trigger_start=t0, trigger_end=t0 + len(s.trigger),
            source_text=s.source_word, target_text=s.target_word, confidence=0.8))
    used = {m.actor_id for m in mentions}
    actors = [Actor(**{**ACTORS[a].to_dict(), "mentions": sum(m.actor_id == a for m in mentions)})
              for a in sorted(used)]
    return CodedDocument(doc, actors, mentions, events)


def hostile_document() -> CodedDocument:
    """A document whose text and title hold markup and script."""
    text = HOSTILE_TEXT
    doc = Document.from_text(text, title=HOSTILE_TITLE, date="2024-05-01", path="hostile.html")
    s0 = text.index("Russia")
    n0 = text.index("NATO")
    t0 = text.index("condemned")
    mentions = [Mention(doc.id, "RUS", "Russia", s0, s0 + 6), Mention(doc.id, "NATO", "NATO", n0, n0 + 4)]
    ev = Event(id=stable_id(doc.id, "hostile"), doc_id=doc.id, type="ACCUSE", source="RUS", target="NATO",
               date="2024-05-01", text=text, start=0, end=len(text), trigger="condemned",
               trigger_start=t0, trigger_end=t0 + 9, source_text="Russia", target_text="NATO", confidence=0.7)
    fig0 = text.index("Tuesday")
    figure = Figure(id=stable_id(doc.id, "fig"), doc_id=doc.id, category="killed", value=None,
                    qualifier="none", text=text, start=0, end=len(text), span_start=fig0, span_end=fig0 + 7)
    return CodedDocument(doc, [ACTORS["RUS"], ACTORS["NATO"]], mentions, [ev], [figure])


def all_documents() -> list[CodedDocument]:
    return [coded_document(*d) for d in DOCS] + [hostile_document()]


def build_store(path: Path) -> Path:
    """Write the fixture records to a DuckDB file at ``path`` (through Store.add)."""
    with Store(path) as store:
        store.add(all_documents())
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real app under uvicorn on 127.0.0.1 in a thread (stopped by :meth:`stop`)."""

    def __init__(self, db: Path, **app_kwargs: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **app_kwargs), host="127.0.0.1", port=self.port,  # type: ignore[arg-type]
                                log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/", timeout=1).status_code < 500:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="module")
def live(web_db: Path) -> Iterator[LiveServer]:
    server = LiveServer(web_db).start()
    yield server
    server.stop()
