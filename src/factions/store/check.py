"""Integrity check of a store: the library behind ``factions check``.

A store must survive anything a coding run can suffer (a kill -9, a full disk, a power cut)
and still be what factions promises. :func:`check_store` opens it read-only - it never changes
a store - and verifies, with one SQL query per property:

- schema: every migration this factions knows is recorded, none it does not know, and every
  table and column a fresh store has is there with its type;
- unique ids: no two documents, actors, events, figures or codings share an id, and no mention
  is stored twice;
- documents: every mention, event, figure and coding points at a stored document;
- actors: every event's source and target, every mention's actor and every figure's claimant
  is a stored actor;
- codings: every document has its coding record (written in the document's own transaction,
  see migration 0003) and holds exactly the mentions, events and figures it records - so a
  half-written document cannot pass;
- offsets: every span lies inside its document (0 <= start <= end <= length), each document's
  length is its text's, and mentions and triggers are the very words at their offsets;
- values: event types are PLOVER types and modalities known ones.

Each check yields a :class:`Finding`; a :class:`CheckReport` passes when none has a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from factions.errors import FactionsError
from factions.model import MODALITIES, PLOVER_TYPES
from factions.store import migrations
from factions.store.db import Store

#: How many offending rows a finding quotes.
EXAMPLES = 3
TABLES = ("documents", "actors", "mentions", "events", "figures", "codings", "errors")


@dataclass(slots=True)
class Finding:
    """The outcome of one check: what it verified, how many problems, a few examples."""

    name: str
    checked: str
    problems: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problems == 0

    def add(self, count: int, examples: list[str]) -> None:
        self.problems += count
        self.examples.extend(examples[: max(0, EXAMPLES - len(self.examples))])


@dataclass(slots=True)
class CheckReport:
    """Every finding for one store, and its row counts."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    @property
    def problems(self) -> int:
        return sum(f.problems for f in self.findings)

    def summary(self) -> str:
        """One line: "2 problems: codings (1), offsets (1)" or "ok"."""
        if self.ok:
            return "ok"
        failed = ", ".join(f"{f.name} ({f.problems})" for f in self.findings if not f.ok)
        return f"{self.problems} problem{'s' if self.problems != 1 else ''}: {failed}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "ok": self.ok, "problems": self.problems,
                "counts": self.counts,
                "checks": [dict(asdict(f), ok=f.ok) for f in self.findings]}


Con = duckdb.DuckDBPyConnection
Check = Callable[[Con], Finding]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register ``fn`` as a check (run in registration order, after the schema check)."""
    CHECKS.append(fn)
    return fn


def _offending(con: Con, sql: str, params: list[Any] | None = None) -> tuple[int, list[str]]:
    """How many rows ``sql`` returns and the first few, each as one line."""
    params = params or []
    count = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]  # type: ignore[index]
    if not count:
        return 0, []
    rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {EXAMPLES}", params).fetchall()
    return count, [" ".join("" if v is None else str(v) for v in row) for row in rows]


# --- schema -----------------------------------------------------------------------------------

def _columns(con: Con) -> dict[tuple[str, str], str]:
    rows = con.execute("""
        SELECT c.table_name, c.column_name, c.data_type
        FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema
        WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE'""").fetchall()
    return {(table, column): dtype for table, column, dtype in rows}


def _expected_columns() -> dict[tuple[str, str], str]:
    """The columns of a store freshly created by this factions (built in memory)."""
    con = duckdb.connect(":memory:")
    try:
        migrations.apply(con)
        return _columns(con)
    finally:
        con.close()


def check_schema(con: Con) -> Finding:
    found = Finding("schema", "every migration recorded, every table and column present")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "_migrations" not in tables:
        found.add(1, ["no _migrations table: not a factions store"])
        return found
    recorded = [r[0] for r in con.execute("SELECT name FROM _migrations").fetchall()]
    known = [name for name, _ in migrations.MIGRATIONS]
    missing = [n for n in known if n not in recorded]
    found.add(len(missing), [f"migration {n} not applied (opening the store for writing, e.g. "
                             "factions code, applies it)" for n in missing])
    unknown = [n for n in recorded if n not in known]
    found.add(len(unknown), [f"unknown migration {n} (written by a newer factions?)" for n in unknown])
    duplicated = sorted({n for n in recorded if recorded.count(n) > 1})
    found.add(len(duplicated), [f"migration {n} recorded twice" for n in duplicated])
    have = _columns(con)
    for (table, column), dtype in sorted(_expected_columns().items()):
        if (table, column) not in have:
            found.add(1, [f"{table}.{column} missing"])
        elif have[(table, column)] != dtype:
            found.add(1, [f"{table}.{column} is {have[(table, column)]}, expected {dtype}"])
    return found


# --- the data ---------------------------------------------------------------------------------

@check
def check_unique(con: Con) -> Finding:
    found = Finding("unique ids", "documents, actors, events, figures, codings and mentions stored once")
    keys = {"documents": "id", "actors": "id", "events": "id", "figures": "id", "codings": "doc_id",
            "mentions": 'doc_id, actor_id, start, "end"'}
    for table, key in keys.items():
        n, rows = _offending(con, f"SELECT '{table}', {key}, count(*) AS copies FROM {table} "
                                  f"GROUP BY {key} HAVING count(*) > 1")
        found.add(n, rows)
    return found


@check
def check_documents(con: Con) -> Finding:
    found = Finding("documents", "every mention, event, figure and coding points at a stored document")
    for table in ("mentions", "events", "figures", "codings"):
        n, rows = _offending(con, f"SELECT DISTINCT '{table} of missing document', t.doc_id FROM {table} t "
                                  "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.doc_id)")
        found.add(n, rows)
    return found


@check
def check_actors(con: Con) -> Finding:
    found = Finding("actors", "event sources and targets, mention actors, figure claimants are stored actors")
    refs = (("events", "source", "id"), ("events", "target", "id"), ("mentions", "actor_id", "doc_id"),
            ("figures", "attributed_to", "id"))
    for table, column, key in refs:
        n, rows = _offending(con, f"SELECT '{table}.{column} unknown', t.{column}, 'in', t.{key} "
                                  f"FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                                  f"(SELECT 1 FROM actors a WHERE a.id = t.{column})")
        found.add(n, rows)
    return found


@check
def check_codings(con: Con) -> Finding:
    found = Finding("codings", "every document has its coding record and holds exactly the records it lists")
    n, rows = _offending(con, """
        WITH m AS (SELECT doc_id, count(*) AS n FROM mentions GROUP BY doc_id),
             e AS (SELECT doc_id, count(*) AS n FROM events GROUP BY doc_id),
             f AS (SELECT doc_id, count(*) AS n FROM figures GROUP BY doc_id)
        SELECT d.id,
               CASE WHEN c.doc_id IS NULL THEN 'has no coding record'
                    ELSE printf('coded %d mentions, %d events, %d figures; stored %d, %d, %d',
                                c.mentions, c.events, c.figures,
                                coalesce(m.n, 0), coalesce(e.n, 0), coalesce(f.n, 0)) END
        FROM documents d
        LEFT JOIN codings c ON c.doc_id = d.id
        LEFT JOIN m ON m.doc_id = d.id LEFT JOIN e ON e.doc_id = d.id LEFT JOIN f ON f.doc_id = d.id
        WHERE c.doc_id IS NULL OR c.mentions <> coalesce(m.n, 0) OR c.events <> coalesce(e.n, 0)
           OR c.figures <> coalesce(f.n, 0)""")
    found.add(n, [f"document {row}" for row in rows])
    return found


# (table, start column, end column, column that must equal the text at those offsets)
SPANS = (("mentions", "start", "end", "text"), ("events", "start", "end", None),
         ("events", "trigger_start", "trigger_end", "trigger"), ("figures", "start", "end", None),
         ("figures", "span_start", "span_end", None))


@check
def check_offsets(con: Con) -> Finding:
    found = Finding("offsets", "spans inside their document, lengths right, mentions and triggers "
                               "are the words at their offsets")
    n, rows = _offending(con, "SELECT 'document', id, 'length', length, 'but text has', length(text) "
                              "FROM documents WHERE length IS DISTINCT FROM length(text)")
    found.add(n, rows)
    for table, lo, hi, words in SPANS:
        n, rows = _offending(con, f"""
            SELECT '{table}.{lo}/{hi}', t.doc_id, t."{lo}", t."{hi}", 'length', d.length
            FROM {table} t JOIN documents d ON d.id = t.doc_id
            WHERE t."{lo}" IS NULL OR t."{hi}" IS NULL OR t."{lo}" < 0 OR t."{hi}" < t."{lo}"
               OR t."{hi}" > d.length""")
        found.add(n, rows)
        if words:
            found.add(*_words_differ(con, table, lo, hi, words))
    return found


def _stream(cursor: Con) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(2048):
        yield from rows


def _words_differ(con: Con, table: str, lo: str, hi: str, words: str) -> tuple[int, list[str]]:
    """Spans of ``table`` (inside their document) whose ``words`` column is not the text there.

    Compared in Python, walking spans and texts both sorted by document: slicing a Python
    string is O(1), where SQL's substring must scan the UTF-8 text up to the offset for every
    span (minutes for a long document with thousands of mentions). Offsets are Python's own.
    """
    spans = con.cursor()
    texts = con.cursor()
    try:
        spans.execute(f"""
            SELECT t.doc_id, t."{lo}", t."{hi}", t.{words} FROM {table} t JOIN documents d ON d.id = t.doc_id
            WHERE t."{lo}" BETWEEN 0 AND t."{hi}" AND t."{hi}" <= d.length ORDER BY t.doc_id""")
        texts.execute(f"SELECT id, text FROM documents WHERE id IN (SELECT doc_id FROM {table}) ORDER BY id")
        documents = _stream(texts)
        count, examples = 0, []
        doc_id, text = None, ""
        for span_doc, start, end, said in _stream(spans):
            while doc_id != span_doc:  # both sorted by document id, every span's document is there
                doc_id, text = next(documents)
            if text[start:end] != said:
                count += 1
                if len(examples) < EXAMPLES:
                    examples.append(f"{table}.{words} is not the text at {doc_id} {start} {end}")
        return count, examples
    finally:
        spans.close()
        texts.close()


@check
def check_values(con: Con) -> Finding:
    found = Finding("values", "event types are PLOVER types, modalities known")
    n, rows = _offending(con, "SELECT 'event', id, 'type', type FROM events "
                              "WHERE type IS NULL OR type NOT IN (SELECT unnest(?))", [list(PLOVER_TYPES)])
    found.add(n, rows)
    n, rows = _offending(con, "SELECT 'event', id, 'modality', modality FROM events "
                              "WHERE modality IS NULL OR modality NOT IN (SELECT unnest(?))", [list(MODALITIES)])
    found.add(n, rows)
    return found


# --- running ----------------------------------------------------------------------------------

def run_checks(con: Con, path: str = ":memory:") -> CheckReport:
    """Check an open connection (nothing is written)."""
    report = CheckReport(path)
    schema = check_schema(con)
    report.findings.append(schema)
    if not schema.ok:  # the other checks would only fail on the missing tables
        return report
    report.findings.extend(fn(con) for fn in CHECKS)
    report.counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                     for t in TABLES}
    return report


def check_store(path: str | Path) -> CheckReport:
    """Open the store at ``path`` read-only and check it.

    A file that is not a readable DuckDB store is a failed check (finding "file"); a missing
    store (E305) or one locked by a writer for too long (E301) raises FactionsError.
    """
    try:
        store = Store(path, read_only=True)
    except FactionsError as exc:
        if exc.code != "E300":
            raise
        report = CheckReport(str(path))
        report.findings.append(Finding("file", "the file opens as a DuckDB database", 1, [exc.reason]))
        return report
    with store:
        return run_checks(store.con, str(path))
