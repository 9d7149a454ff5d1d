"""Cooperation and conflict over time, per dyad or per actor, computed in DuckDB.

Each row is one period (day, ISO week, month, quarter or year) and one dyad (an unordered actor
pair) or one actor, with event counts per PLOVER quad class and the summed intensity score (the same
``data/plover_scores.yaml`` scale as the network, not decayed). Like the network, only
``asserted`` events count. An event is dated by its own date or else its document's; undated
events cannot be placed in time and are left out. A dyad needs both actors; an actor's row
counts every event it is the source or the target of (target-less events included).
"""

from __future__ import annotations

from typing import Any

from factions.errors import FactionsError
from factions.model import QUAD_CLASS
from factions.network.graph import resolve_actor
from factions.network.relations import plover_scores

#: Period -> the SQL labelling a day with its period (ISO weeks: 2024-W05; quarters: 2024-Q1).
FREQS = {"day": "strftime(day, '%Y-%m-%d')", "week": "strftime(day, '%G-W%V')",
         "month": "strftime(day, '%Y-%m')", "quarter": "strftime(day, '%Y') || '-Q' || quarter(day)",
         "year": "strftime(day, '%Y')"}
BYS = ("dyad", "actor")
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")

# Dates may be YYYY, YYYY-MM or a full ISO date/datetime: place partial dates at period start.
_DAY = """CASE length(raw) WHEN 4 THEN try_cast(raw || '-01-01' AS DATE)
                           WHEN 7 THEN try_cast(raw || '-01' AS DATE)
                           ELSE try_cast(substr(raw, 1, 10) AS DATE) END"""


def _names(store: Any) -> dict[str, str]:
    """Every actor id that occurs in events (named from the actors table when known)."""
    names = {a: n for a, n in store.con.execute("SELECT id, name FROM actors").fetchall()}
    for (a,) in store.con.execute("""SELECT source FROM events WHERE source IS NOT NULL
                                     UNION SELECT target FROM events WHERE target IS NOT NULL""").fetchall():
        names.setdefault(a, a)
    return names


def trends(store: Any, dyad: tuple[str, str] | list[str] | None = None, freq: str = "month", *,
           by: str = "dyad", actor: str | None = None) -> list[dict[str, Any]]:
    """Per-period quad-class counts and summed score, per dyad (``by="dyad"``) or actor.

    ``dyad``: two actors (ids or names) - only that pair (implies ``by="dyad"``);
    ``actor``: only that actor's rows (implies ``by="actor"``). Rows are ordered by period,
    then by the number of events (most first).
    """
    if freq not in FREQS:
        raise FactionsError("E403", name="--freq", detail=f"{freq!r} (known: {', '.join(FREQS)})")
    if by not in BYS:
        raise FactionsError("E403", name="--by", detail=f"{by!r} (known: {', '.join(BYS)})")
    if dyad is not None and len(dyad) != 2:
        raise FactionsError("E403", name="--dyad", detail="give exactly two actors")
    names = _names(store)
    if dyad is not None:
        by = "dyad"
        a, b = sorted(resolve_actor(x, names) for x in dyad)
    elif actor is not None:
        by = "actor"
        focus = resolve_actor(actor, names)
    scores = plover_scores()
    values = ", ".join("(?, ?, ?)" for _ in scores)
    params: list[Any] = [v for t, s in scores.items() for v in (t, s, QUAD_CLASS[t])]
    if by == "dyad":
        keys = "least(source, target) AS a, greatest(source, target) AS b"
        where = "source IS NOT NULL AND target IS NOT NULL AND source <> target"
        if dyad is not None:
            where += " AND least(source, target) = ? AND greatest(source, target) = ?"
            params += [a, b]
        events_sql = f"SELECT type, {keys}, raw FROM ev WHERE {where}"
        group = "a, b"
    else:
        events_sql = """SELECT type, source AS a, raw FROM ev WHERE source IS NOT NULL
                        UNION ALL SELECT type, target AS a, raw FROM ev
                        WHERE target IS NOT NULL AND target IS DISTINCT FROM source"""
        group = "a"
        if actor is not None:
            events_sql = f"SELECT * FROM ({events_sql}) WHERE a = ?"
            params.append(focus)
    counts = ", ".join(f"count(*) FILTER (WHERE quad = '{q}') AS {q}" for q in QUADS)
    sql = f"""
        WITH scores(type, score, quad) AS (VALUES {values}),
        ev AS (SELECT e.type, e.source, e.target, coalesce(e.date, d.date) AS raw
               FROM events e LEFT JOIN documents d ON d.id = e.doc_id
               WHERE e.modality = 'asserted'),
        picked AS ({events_sql}),
        dated AS (SELECT *, {_DAY} AS day FROM picked)
        SELECT {FREQS[freq]} AS period, {group}, {counts},
               count(*) AS events, round(sum(score), 6) AS score
        FROM dated JOIN scores USING (type)
        WHERE day IS NOT NULL
        GROUP BY ALL
        ORDER BY period, events DESC, {group}"""
    cur = store.con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    rows = []
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        period = row.pop("period")
        if by == "dyad":
            x, y = row.pop("a"), row.pop("b")
            head = {"period": period, "a": x, "a_name": names.get(x, x), "b": y, "b_name": names.get(y, y)}
        else:
            x = row.pop("a")
            head = {"period": period, "actor": x, "name": names.get(x, x)}
        rows.append({**head, **row})
    return rows
