"""Property tests (hypothesis): records and texts come back exactly as they went in.

- every record kind survives to_dict/from_dict and JSON;
- a batch of coded documents survives Store.add -> read back, and export to JSON and Parquet ->
  read back (real DuckDB files, the real exporters);
- any text written as .txt/.jsonl/.csv in UTF-8, UTF-8 with BOM or UTF-16 reads back as itself;
- no bytes at all, under any input suffix, make iter_inputs raise.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import string
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factions.errors import E
from factions.ingest import iter_inputs
from factions.ingest.readers import READERS
from factions.model import (MODALITIES, PLOVER_TYPES, Actor, CodedDocument, Document, Event, Figure,
                            IngestError, Location, Mention, Relation, content_hash)
from factions.network.relations import build_relations
from factions.store.db import Store, row_to_event, row_to_figure
from factions.store.export import export

# --- strategies -----------------------------------------------------------------------------------

ids = st.text(string.ascii_letters + string.digits + "-_:.", min_size=1, max_size=20)
# any Unicode text: hypothesis leaves out lone surrogates, which are not text (ingest replaces them)
texts = st.text(max_size=80)
maybe = st.none() | texts
i32 = st.integers(0, 2**31 - 1)        # offsets and counts are DuckDB INTEGERs
finite = st.floats(allow_nan=False, allow_infinity=False)
# a location has a name: a nameless one is stored and exported as no location at all
locations = st.none() | st.builds(Location, name=st.text(min_size=1, max_size=30), country=maybe,
                                  lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
                                  kind=maybe)
dates = st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)


def documents() -> st.SearchStrategy[Document]:
    return st.builds(lambda text, **meta: Document.from_text(text, **meta), st.text(max_size=300),
                     path=maybe, source_id=maybe, title=maybe, date=dates, url=maybe)


def actors() -> st.SearchStrategy[Actor]:
    return st.builds(Actor, id=ids, name=texts, kind=texts, country=maybe, sector=maybe,
                     aliases=st.lists(texts, max_size=4), mentions=i32, affiliation=st.none() | ids)


def mentions(doc_id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Mention]:
    return st.builds(Mention, doc_id=doc_id, actor_id=ids, text=texts, start=i32, end=i32, how=texts)


def events(doc_id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Event]:
    return st.builds(Event, id=ids, doc_id=doc_id, type=st.sampled_from(PLOVER_TYPES),
                     source=st.none() | ids, target=st.none() | ids, mode=maybe,
                     modality=st.sampled_from(MODALITIES), location=locations, date=dates, text=texts,
                     start=i32, end=i32, trigger=texts, trigger_start=i32, trigger_end=i32,
                     source_text=maybe, target_text=maybe, confidence=finite)


def figures(doc_id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Figure]:
    return st.builds(Figure, id=ids, doc_id=doc_id, category=texts,
                     value=st.none() | st.integers(-2**63, 2**63 - 1), qualifier=maybe,
                     location=locations, attributed_to=st.none() | ids, text=texts, start=i32, end=i32,
                     span_start=i32, span_end=i32)


relations = st.builds(Relation, source=ids, target=ids, sign=st.sampled_from([1, -1]), weight=finite,
                      event_ids=st.lists(ids, max_size=5))
ingest_errors = st.builds(IngestError, path=texts, code=st.sampled_from(sorted(
    k for k in vars(E) if k[:1] == "E" and k[1:].isdigit())), message=texts, source_id=maybe)

records = st.one_of(documents(), actors(), mentions(), events(), figures(), relations, ingest_errors)


@st.composite
def coded_batches(draw: st.DrawFn) -> list[CodedDocument]:
    """1-3 coded documents with distinct texts; records point at their document, ids unique."""
    docs = draw(st.lists(documents(), min_size=1, max_size=3, unique_by=lambda d: d.id))
    batch = []
    used: set[str] = set()  # event and figure ids are primary keys across the whole store
    for doc in docs:
        own = st.just(doc.id)
        evs = draw(st.lists(events(own), max_size=3, unique_by=lambda e: e.id))
        evs = [e for e in evs if e.id not in used]
        used.update(e.id for e in evs)
        figs = [f for f in draw(st.lists(figures(own), max_size=3, unique_by=lambda f: f.id))
                if f.id not in used]
        used.update(f.id for f in figs)
        batch.append(CodedDocument(doc, [], draw(st.lists(mentions(own), max_size=3)), evs, figs))
    # actors are merged by id across a batch: give each its own id to compare them one to one
    batch[0].actors = draw(st.lists(actors(), max_size=4, unique_by=lambda a: a.id))
    return batch


def canonical(items: list[Any]) -> list[str]:
    """Records in an order-free form (the store and exports sort in their own ways)."""
    return sorted(repr(i.to_dict() if hasattr(i, "to_dict") else i) for i in items)


# --- dict and JSON ------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(records)
def test_every_record_survives_dict_and_json(record: Any) -> None:
    kind = type(record)
    data = record.to_dict()
    assert kind.from_dict(data) == record
    assert kind.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == record
    assert kind.from_dict({**data, "added_by_a_newer_factions": 1}) == record  # unknown keys ignored


# --- the store and its exports ------------------------------------------------------------------

def round_trip_store(batch: list[CodedDocument], errors: list[IngestError],
                     check: Callable[[Store, Path], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        with Store(db) as store:
            assert store.add(batch) == len(batch)
            store.add_errors(errors)
        with Store(db, read_only=True) as store:
            check(store, Path(tmp))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coded_batches(), st.lists(ingest_errors, max_size=3))
def test_store_add_then_read_back(batch: list[CodedDocument], errors: list[IngestError]) -> None:
    def check(store: Store, _: Path) -> None:
        for c in batch:
            assert store.document(c.document.id) == c.document
        assert canonical(store.documents(with_text=True)) == canonical([c.document for c in batch])
        assert canonical(store.actors()) == canonical([a for c in batch for a in c.actors])
        assert canonical(store.mentions()) == canonical([m for c in batch for m in c.mentions])
        assert canonical(store.events()) == canonical([e for c in batch for e in c.events])
        assert canonical(store.figures()) == canonical([f for c in batch for f in c.figures])
        assert canonical(store.errors()) == canonical(errors)

    round_trip_store(batch, errors, check)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coded_batches(), st.lists(ingest_errors, max_size=3))
def test_export_json_then_read_back(batch: list[CodedDocument], errors: list[IngestError]) -> None:
    def check(store: Store, tmp: Path) -> None:
        (out,) = export(store, "json", tmp / "out.json")
        data = json.loads(out.read_text(encoding="utf-8"))
        assert sorted(map(repr, data["documents"])) == sorted(repr(c.document.summary()) for c in batch)
        for key, kind, want in (("actors", Actor, [a for c in batch for a in c.actors]),
                                ("mentions", Mention, [m for c in batch for m in c.mentions]),
                                ("events", Event, [e for c in batch for e in c.events]),
                                ("figures", Figure, [f for c in batch for f in c.figures])):
            assert canonical([kind.from_dict(r) for r in data[key]]) == canonical(want), key
        want_relations = build_relations([e for c in batch for e in c.events])
        assert canonical([Relation.from_dict(r) for r in data["relations"]]) == canonical(want_relations)

    round_trip_store(batch, errors, check)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coded_batches(), st.lists(ingest_errors, max_size=3))
def test_export_parquet_then_read_back(batch: list[CodedDocument], errors: list[IngestError]) -> None:
    def check(store: Store, tmp: Path) -> None:
        export(store, "parquet", tmp / "out")

        def rows(table: str) -> list[dict[str, Any]]:
            return pq.read_table(tmp / "out" / f"{table}.parquet").to_pylist()

        assert canonical([Document.from_dict(r) for r in rows("documents")]) == canonical(
            [c.document for c in batch])
        assert all(r["length"] == len(r["text"]) for r in rows("documents"))
        assert canonical([Actor.from_dict(r) for r in rows("actors")]) == canonical(
            [a for c in batch for a in c.actors])
        assert canonical([Mention.from_dict(r) for r in rows("mentions")]) == canonical(
            [m for c in batch for m in c.mentions])
        assert canonical([row_to_event(r) for r in rows("events")]) == canonical(
            [e for c in batch for e in c.events])
        assert canonical([row_to_figure(r) for r in rows("figures")]) == canonical(
            [f for c in batch for f in c.figures])
        assert canonical([IngestError.from_dict(r) for r in rows("errors")]) == canonical(errors)
        assert canonical([Relation.from_dict(r) for r in rows("relations")]) == canonical(
            build_relations([e for c in batch for e in c.events]))

    round_trip_store(batch, errors, check)


# --- readers --------------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16"]
# C0 controls (but for whitespace and ESC) make a file without a byte-order mark "binary"
_BINARY = "".join(chr(b) for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
any_text = st.text(min_size=1, max_size=400).filter(lambda t: t.strip())
plain_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters=_BINARY),
                     min_size=1, max_size=400).filter(lambda t: t.strip())


def read(data: bytes, name: str, **options: Any) -> list[Document | IngestError]:
    """What iter_inputs makes of a file called ``name`` holding ``data``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return list(iter_inputs([path], **options))


def read_one(data: bytes, name: str) -> Document:
    items = read(data, name)
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ENCODINGS), st.data())
def test_text_file_reads_back_as_itself(encoding: str, data: st.DataObject) -> None:
    # without a byte-order mark, a text must look like text; with one, anything goes
    text = data.draw(plain_text if encoding == "utf-8" else any_text)
    assume(encoding != "utf-8" or not text.startswith("\ufeff"))  # that would be a BOM
    # FF FE 00 00 is the UTF-32 BOM: a UTF-16 text cannot start with NUL and be told from one
    assume(encoding != "utf-16" or not text.startswith("\x00"))
    doc = read_one(text.encode(encoding), "a.txt")
    assert doc.text == text and doc.id == content_hash(text)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ENCODINGS), any_text, st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_jsonl_reads_back_as_itself(encoding: str, text: str, ascii_only: bool, newline: str) -> None:
    line = json.dumps({"id": "x", "text": text, "title": "t"}, ensure_ascii=ascii_only)
    doc = read_one((line + newline).encode(encoding), "a.jsonl")
    assert (doc.text, doc.source_id, doc.title) == (text, "x", "t")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ENCODINGS), any_text.filter(lambda t: "\x00" not in t), st.sampled_from([",", "\t"]))
def test_csv_reads_back_as_itself(encoding: str, text: str, delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([["id", "text"], ["7", text]])
    doc = read_one(buffer.getvalue().encode(encoding), "a.csv" if delimiter == "," else "a.tsv")
    assert (doc.text, doc.source_id) == (text, "7")


# PDF headers and trailers, so that random bytes also reach the PDF parser
pdfish = st.tuples(st.sampled_from([b"", b"%PDF-1.4\n"]), st.binary(max_size=2000),
                   st.sampled_from([b"", b"\n%%EOF\n"])).map(b"".join)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(READERS)), st.one_of(st.binary(max_size=3000), pdfish), st.booleans())
def test_no_bytes_make_iter_inputs_raise(suffix: str, data: bytes, compress: bool) -> None:
    if suffix.endswith(".gz") and compress:  # reach the parser behind the decompressor too
        data = gzip.compress(data)
    for item in read(data, "input" + suffix, max_chars=1000):
        if isinstance(item, IngestError):
            assert item.code in vars(E) and item.message and "\n" not in item.message
            stored = [item.path, item.message, item.source_id or ""]
        else:
            assert isinstance(item, Document) and item.text.strip() and len(item.text) <= 1000
            assert item.id == content_hash(item.text)
            stored = [item.text, item.path or "", item.title or "", item.source_id or ""]
        for value in stored:
            value.encode("utf-8")  # storable: a lone surrogate would raise here
