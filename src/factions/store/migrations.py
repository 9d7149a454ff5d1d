"""Named, recorded, transactional schema migrations (after sqlite-utils' ``migrations.py``).

Each migration is a function registered under a unique name with :func:`migration`. Applying
runs every migration not yet recorded in ``_migrations`` inside one transaction together
with the rows that record them, so a crash leaves the store either before or after the
migrations, never half-way. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration called ``name`` (applied in registration order)."""

    def register(fn: Migration) -> Migration:
        if any(n == name for n, _ in MIGRATIONS):
            raise ValueError(f"duplicate migration name {name!r}")
        MIGRATIONS.append((name, fn))
        return fn

    return register


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute("CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    return [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY applied_at, name").fetchall()]


def apply(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations; return the names applied now.

    All pending migrations run in ONE transaction with the rows that record them: a process
    killed while creating a store leaves no store half-set-up, only an empty file.
    """
    done = set(applied(con))
    pending = [(name, fn) for name, fn in MIGRATIONS if name not in done]
    if not pending:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        for name, fn in pending:
            fn(con)
            con.execute("INSERT INTO _migrations VALUES (?, ?)", [name, datetime.now(timezone.utc)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [name for name, _ in pending]


@migration("0001_core_tables")
def _core_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE documents (
            id VARCHAR PRIMARY KEY, path VARCHAR, source_id VARCHAR, title VARCHAR, date VARCHAR,
            url VARCHAR, length INTEGER, text VARCHAR, coded_at TIMESTAMP)""")
    con.execute("""
        CREATE TABLE actors (
            id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR, country VARCHAR,
            sector VARCHAR, aliases VARCHAR[], mentions INTEGER, affiliation VARCHAR)""")
    con.execute("""
        CREATE TABLE mentions (
            doc_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, text VARCHAR, start INTEGER,
            "end" INTEGER, how VARCHAR)""")
    con.execute("""
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, type VARCHAR NOT NULL, source VARCHAR,
            target VARCHAR, mode VARCHAR, modality VARCHAR, loc_name VARCHAR, loc_country VARCHAR,
            loc_lat DOUBLE, loc_lon DOUBLE, loc_kind VARCHAR, date VARCHAR, text VARCHAR,
            start INTEGER, "end" INTEGER, trigger VARCHAR, trigger_start INTEGER,
            trigger_end INTEGER, source_text VARCHAR, target_text VARCHAR, confidence DOUBLE)""")
    con.execute("""
        CREATE TABLE figures (
            id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, category VARCHAR, value BIGINT,
            qualifier VARCHAR, loc_name VARCHAR, loc_country VARCHAR, loc_lat DOUBLE,
            loc_lon DOUBLE, loc_kind VARCHAR, attributed_to VARCHAR, text VARCHAR, start INTEGER,
            "end" INTEGER, span_start INTEGER, span_end INTEGER)""")
    con.execute("""
        CREATE TABLE errors (
            path VARCHAR, source_id VARCHAR, code VARCHAR, message VARCHAR, "at" TIMESTAMP)""")
    con.execute("CREATE INDEX mentions_doc ON mentions(doc_id)")
    con.execute("CREATE INDEX events_doc ON events(doc_id)")
    con.execute("CREATE INDEX figures_doc ON figures(doc_id)")


@migration("0002_network_snapshots")
def _network_snapshots(con: duckdb.DuckDBPyConnection) -> None:
    # One row per analysed network (factions.network.snapshots): the parameters it was built
    # with and its balance summary; its actors (with bloc and centrality) and signed ties below.
    con.execute("""
        CREATE TABLE network_snapshots (
            id VARCHAR PRIMARY KEY, created_at TIMESTAMP, since VARCHAR, "until" VARCHAR,
            min_events INTEGER, half_life_days DOUBLE, reference_date VARCHAR, events BIGINT,
            nodes INTEGER, edges INTEGER, positive INTEGER, negative INTEGER,
            triangles_ppp BIGINT, triangles_ppn BIGINT, triangles_pnn BIGINT, triangles_nnn BIGINT,
            degree_of_balance DOUBLE, frustration_index INTEGER, frustration_lower_bound INTEGER,
            frustration_exact BOOLEAN, frustration_method VARCHAR, blocs INTEGER,
            bloc_violations DOUBLE)""")
    con.execute("""
        CREATE TABLE network_nodes (
            snapshot_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR,
            country VARCHAR, sector VARCHAR, bloc INTEGER, side INTEGER,
            positive_degree INTEGER, negative_degree INTEGER, positive_strength DOUBLE,
            negative_strength DOUBLE, betweenness DOUBLE, bloc_reach INTEGER, pn DOUBLE,
            PRIMARY KEY (snapshot_id, actor_id))""")
    con.execute("""
        CREATE TABLE network_edges (
            snapshot_id VARCHAR NOT NULL, source VARCHAR NOT NULL, target VARCHAR NOT NULL,
            sign INTEGER, weight DOUBLE, events INTEGER, event_ids VARCHAR[], frustrated BOOLEAN,
            violates_blocs BOOLEAN, PRIMARY KEY (snapshot_id, source, target))""")


@migration("0003_codings")
def _codings(con: duckdb.DuckDBPyConnection) -> None:
    # One row per stored document, written in the same transaction as the document itself
    # (Store.add): how many mentions, events and figures its coding produced. `factions check`
    # (factions.store.check) compares these with the rows present, so a document whose records
    # were lost or never written - a half-written document - cannot pass unnoticed.
    con.execute("""
        CREATE TABLE codings (
            doc_id VARCHAR PRIMARY KEY, mentions INTEGER NOT NULL, events INTEGER NOT NULL,
            figures INTEGER NOT NULL)""")
    # A store coded before this migration: every batch was one transaction, so the rows it
    # holds are the complete codings, and they are all the evidence there is.
    con.execute("""
        INSERT INTO codings
        SELECT d.id,
               (SELECT count(*) FROM mentions m WHERE m.doc_id = d.id),
               (SELECT count(*) FROM events e WHERE e.doc_id = d.id),
               (SELECT count(*) FROM figures f WHERE f.doc_id = d.id)
        FROM documents d""")
