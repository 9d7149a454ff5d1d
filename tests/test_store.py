"""The DuckDB store: schema migrations, idempotent writes, transactions, exports."""

from __future__ import annotations

import json

import duckdb
import pytest

from factions.errors import FactionsError
from factions.model import Actor, CodedDocument, Document, Event, Figure, Location, Mention
from factions.store import migrations
from factions.store.db import Store
from factions.store.export import EXPORTERS, export


def coded(text: str, actor_alias: str = "Kyiv") -> CodedDocument:
    doc = Document.from_text(text, path="a.txt", date="2024-01-02")
    actors = [Actor("UKR", "Ukraine", "state", "UKR", "GOV", [actor_alias], 1),
              Actor("RUS", "Russia", "state", "RUS", "GOV", ["Russia"], 1)]
    mentions = [Mention(doc.id, "RUS", "Russia", 0, 6, "name")]
    ev = Event("e-" + doc.id[:6], doc.id, "ASSAULT", "RUS", "UKR", "aerial", "asserted",
               Location("Kyiv", "UKR", 50.45, 30.52, "city"), "2024-01-02", text, 0, len(text),
               "struck", 7, 13, "Russia", "Kyiv", 0.9)
    fig = Figure("f-" + doc.id[:6], doc.id, "killed", 3, "at least", None, "UKR", text, 0, len(text), 20, 21)
    return CodedDocument(doc, actors, mentions, [ev], [fig])


def test_migrations_are_recorded_once(tmp_path):
    db = tmp_path / "s.duckdb"
    Store(db).close()
    with Store(db) as store:
        names = [r[0] for r in store.con.execute("SELECT name FROM _migrations").fetchall()]
    assert names == [n for n, _ in migrations.MIGRATIONS]
    assert len(set(names)) == len(names)


def test_same_document_is_stored_once_and_actors_merge(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        assert store.add([coded("Russia struck Kyiv, killing 3.")]) == 1
        assert store.add([coded("Russia struck Kyiv, killing 3.")]) == 0
        assert store.add([coded("Russia struck Kyiv again.", actor_alias="Ukrainian")]) == 1
        counts = store.counts()
        assert counts["documents"] == 2 and counts["events"] == 2
        ukr = store.actors(["UKR"])[0]
        assert sorted(ukr.aliases) == ["Kyiv", "Ukrainian"] and ukr.mentions == 2


def test_round_trip_of_every_record_kind(tmp_path):
    c = coded("Russia struck Kyiv, killing 3.")
    with Store(tmp_path / "s.duckdb") as store:
        store.add([c])
        assert store.events() == c.events
        assert store.figures() == c.figures
        assert store.mentions() == c.mentions
        assert store.document(c.document.id) == c.document


def test_a_failed_batch_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "s.duckdb"
    good = coded("Russia struck Kyiv, killing 3.")
    bad = coded("Russia struck Odesa.")
    bad.events[0].type = None  # violates NOT NULL: the whole batch must roll back
    with Store(db) as store:
        store.add([good])
        with pytest.raises(duckdb.Error):
            store.add([coded("Russia struck Lviv."), bad])
        assert store.counts()["documents"] == 1
        assert store.counts()["events"] == 1


def test_read_only_store_that_does_not_exist(tmp_path):
    with pytest.raises(FactionsError) as err:
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert err.value.code == "E305"


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_export_format(tmp_path, fmt):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        store.add([coded("Russia struck Kyiv, killing 3.")])
    with Store(db, read_only=True) as store:
        written = export(store, fmt, tmp_path / f"out.{fmt}")
    assert written and all(p.exists() and p.stat().st_size > 0 for p in written)
    if fmt == "json":
        data = json.loads(written[0].read_text())
        assert data["events"][0]["location"]["name"] == "Kyiv"
        assert data["relations"][0]["sign"] == -1
    if fmt == "plover":
        rec = json.loads(written[0].read_text().splitlines()[0])
        assert rec["event"] in ("ASSAULT", ["ASSAULT"])
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(tmp_path / "out.parquet" / "events.parquet")
        assert table.num_rows == 1


def test_unknown_export_format(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(FactionsError) as err:
            export(store, "xml", tmp_path / "x")
    assert err.value.code == "E304"
