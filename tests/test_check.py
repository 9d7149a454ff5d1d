"""``factions check``: a sound store passes, and every kind of damage is found and named.

Stores are real DuckDB files written through Store.add; damage is done with plain SQL on the
file, the way a crash, a bug or a hand edit would leave it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from factions.cli import main
from factions.model import Actor, CodedDocument, Document, Event, Figure, Location, Mention, stable_id
from factions.store import migrations
from factions.store.check import CheckReport, check_store
from factions.store.db import Store

TEXTS = [
    "Russia struck Kyiv on Monday, killing at least 3 people, Ukraine said.",
    # astral and combining characters before the words: offsets count code points
    "🕊 Cafe\u0301 talks: Russia accused Ukraine of shelling Donetsk \u2014 \x00 5 wounded.",
    "Nothing happened here at all.",  # a document whose coding is legitimately empty
]


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def coded(text: str) -> CodedDocument:
    """A document coded by hand: every record's offsets computed from its text."""
    doc = Document.from_text(text, path="news.txt", date="2024-01-02")
    if "Russia" not in text:
        return CodedDocument(doc)
    actors = [Actor("RUS", "Russia", "state", "RUS", "GOV", ["Russia"], 1),
              Actor("UKR", "Ukraine", "state", "UKR", "GOV", ["Ukraine", "Kyiv"], 1)]
    rs, re_ = span(text, "Russia")
    us, ue = span(text, "Ukraine") if "Ukraine" in text else span(text, "Kyiv")
    mentions = [Mention(doc.id, "RUS", "Russia", rs, re_, "name"),
                Mention(doc.id, "UKR", text[us:ue], us, ue, "name")]
    trigger = "struck" if "struck" in text else "accused"
    ts, te = span(text, trigger)
    event = Event(stable_id(doc.id, trigger), doc.id, "ASSAULT" if trigger == "struck" else "ACCUSE",
                  "RUS", "UKR", None, "asserted", Location("Kyiv", "UKR", 50.45, 30.52, "city"),
                  "2024-01-01", text, 0, len(text), trigger, ts, te, "Russia", text[us:ue], 0.8)
    number = "3" if "3" in text else "5"
    ns, ne = span(text, number)
    figure = Figure(stable_id(doc.id, "fig"), doc.id, "killed" if number == "3" else "wounded",
                    int(number), None, None, "UKR", text, 0, len(text), ns, ne)
    return CodedDocument(doc, actors, mentions, [event], [figure])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "sound.duckdb"
    with Store(db) as s:
        s.add([coded(t) for t in TEXTS])
    return db


def damage(db: Path, *sql: str) -> None:
    con = duckdb.connect(str(db))
    try:
        for statement in sql:
            con.execute(statement)
    finally:
        con.close()


def failed(report: CheckReport) -> dict[str, int]:
    return {f.name: f.problems for f in report.findings if not f.ok}


def test_a_sound_store_passes(store: Path) -> None:
    report = check_store(store)
    assert report.ok, report.to_dict()
    assert [f.name for f in report.findings] == ["schema", "unique ids", "documents", "actors",
                                                 "codings", "offsets", "values"]
    assert report.counts["documents"] == 3 and report.counts["codings"] == 3
    assert report.counts["mentions"] == 4 and report.counts["events"] == 2


def test_check_never_changes_the_store(store: Path) -> None:
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    check_store(store)
    damage(store, "DELETE FROM codings")
    after_damage = hashlib.sha256(store.read_bytes()).hexdigest()
    assert not check_store(store).ok
    assert hashlib.sha256(store.read_bytes()).hexdigest() == after_damage != before


def doc_id(n: int) -> str:
    return Document.from_text(TEXTS[n]).id


# (what was done, SQL, the findings it must raise)
DAMAGE: list[tuple[str, list[str], dict[str, int]]] = [
    ("a mention lost", ["DELETE FROM mentions WHERE actor_id = 'UKR' AND doc_id = '{0}'"],
     {"codings": 1}),
    ("a document's events lost", ["DELETE FROM events WHERE doc_id = '{1}'"], {"codings": 1}),
    ("a figure lost", ["DELETE FROM figures WHERE doc_id = '{0}'"], {"codings": 1}),
    ("a document without its coding record", ["DELETE FROM codings WHERE doc_id = '{2}'"],
     {"codings": 1}),
    ("a mention stored twice", ["INSERT INTO mentions SELECT * FROM mentions WHERE actor_id = 'RUS' "
                                "AND doc_id = '{0}'"], {"unique ids": 1, "codings": 1}),
    ("a document deleted under its records", ["DELETE FROM documents WHERE id = '{0}'"],
     # its mentions, event, figure and coding record all point at nothing
     {"documents": 4}),
    ("an actor deleted", ["DELETE FROM actors WHERE id = 'UKR'"],
     # 2 event targets, 2 mentions, 2 figure claimants
     {"actors": 6}),
    ("a span past the end", ["UPDATE figures SET span_end = 10000 WHERE doc_id = '{0}'"],
     {"offsets": 1}),
    ("a negative offset", ["UPDATE events SET start = -1 WHERE doc_id = '{0}'"], {"offsets": 1}),
    ("an offset pointing at other words", ["UPDATE mentions SET start = start + 1, \"end\" = \"end\" + 1 "
                                           "WHERE actor_id = 'RUS' AND doc_id = '{1}'"], {"offsets": 1}),
    ("a trigger that is not the text", ["UPDATE events SET trigger = 'bombed' WHERE doc_id = '{0}'"],
     {"offsets": 1}),
    ("a wrong document length", ["UPDATE documents SET length = length + 1 WHERE id = '{2}'"],
     {"offsets": 1}),
    ("an unknown event type", ["UPDATE events SET type = 'INVADE' WHERE doc_id = '{0}'"],
     {"values": 1}),
    ("an unknown modality", ["UPDATE events SET modality = 'maybe' WHERE doc_id = '{0}'"],
     {"values": 1}),
    ("a migration not applied", ["DELETE FROM _migrations WHERE name = '0003_codings'"],
     {"schema": 1}),
    ("a migration from a newer factions", ["INSERT INTO _migrations VALUES ('9999_future', now())"],
     {"schema": 1}),
    ("a column missing", ["ALTER TABLE errors DROP COLUMN message"], {"schema": 1}),
    ("a column of the wrong type", ["ALTER TABLE errors ALTER \"at\" TYPE VARCHAR"], {"schema": 1}),
    ("a table missing", ["DROP TABLE codings"], {"schema": 4}),  # one problem per column
]


@pytest.mark.parametrize("what, sql, expected", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_damage_is_found(store: Path, what: str, sql: list[str], expected: dict[str, int]) -> None:
    damage(store, *(s.format(doc_id(0), doc_id(1), doc_id(2)) for s in sql))
    report = check_store(store)
    assert failed(report) == expected, report.to_dict()
    for f in report.findings:
        assert len(f.examples) == min(f.problems, 3)
        assert all(e and "\n" not in e for e in f.examples)


def test_examples_name_the_damaged_document(store: Path) -> None:
    damage(store, f"DELETE FROM events WHERE doc_id = '{doc_id(1)}'")
    (example,) = next(f for f in check_store(store).findings if f.name == "codings").examples
    assert example == f"document {doc_id(1)} coded 2 mentions, 1 events, 1 figures; stored 2, 0, 1"


def test_an_old_store_gets_its_codings_from_what_it_holds(tmp_path: Path) -> None:
    # a store written before migration 0003: the migration records what every document holds
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrations.applied(con)
    for name, fn in migrations.MIGRATIONS:
        if name == "0003_codings":
            break
        fn(con)
        con.execute("INSERT INTO _migrations VALUES (?, now())", [name])
    con.close()
    with Store(db) as s:  # the current Store writes codings: drop them to be an old store
        s.add([coded(t) for t in TEXTS])
    damage(db, "DROP TABLE codings", "DELETE FROM _migrations WHERE name = '0003_codings'")
    assert failed(check_store(db)) == {"schema": 5}  # 0003 not applied, 4 columns missing
    Store(db).close()  # opening for writing applies 0003
    report = check_store(db)
    assert report.ok, report.to_dict()
    with Store(db, read_only=True) as s:
        rows = dict((r[0], r[1:]) for r in s.con.execute("SELECT * FROM codings").fetchall())
    assert rows == {doc_id(0): (2, 1, 1), doc_id(1): (2, 1, 1), doc_id(2): (0, 0, 0)}


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 1000)
    report = check_store(bad)
    assert failed(report) == {"file": 1}
    assert "cannot open store" in report.findings[0].examples[0]


def test_a_duckdb_file_that_is_not_a_factions_store(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    damage(other, "CREATE TABLE t (x INTEGER)")
    report = check_store(other)
    assert failed(report) == {"schema": 1}
    assert report.findings[0].examples == ["no _migrations table: not a factions store"]


# --- the command --------------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_passes_a_sound_store(store: Path) -> None:
    result = invoke("check", "--db", str(store))
    assert result.exit_code == 0, result.output
    assert "Integrity of" in result.stdout and "FAILED" not in result.stdout
    assert result.stderr == ""
    result = invoke("check", "--db", str(store), "--format", "json")
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == 0 and data["counts"]["documents"] == 3
    assert {c["name"]: c["ok"] for c in data["checks"]} == dict.fromkeys(
        ["schema", "unique ids", "documents", "actors", "codings", "offsets", "values"], True)


def test_cli_fails_with_e303(store: Path) -> None:
    damage(store, f"DELETE FROM mentions WHERE doc_id = '{doc_id(0)}'",
           "UPDATE events SET type = 'INVADE'")
    result = invoke("check", "--db", str(store), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == 3
    assert result.stderr == (f"error: [E303] {store}: integrity check failed: 3 problems: "
                             "codings (1), values (2)\n")
    table = invoke("check", "--db", str(store))
    assert table.exit_code == 1 and "FAILED" in table.stdout and "INVADE" in table.stdout


@pytest.mark.parametrize("make, code, status", [
    (lambda p: None, "E305", 2),                              # no store: nothing to check
    (lambda p: p.write_bytes(b"\x00" * 5000), "E303", 1),      # a damaged file: the check fails
])
def test_cli_without_a_usable_store(tmp_path: Path, make: Callable[[Path], object], code: str,
                                    status: int) -> None:
    db = tmp_path / "x.duckdb"
    make(db)
    result = invoke("check", "--db", str(db))
    assert result.exit_code == status
    assert result.stderr.startswith(f"error: [{code}]") and result.stderr.count("\n") == 1
