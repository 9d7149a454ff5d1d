"""Bounded load test of the web app on 127.0.0.1.

Builds (or reuses) a store of generated events, starts ``factions serve``'s app under uvicorn in
a subprocess on a free loopback port, then runs CLIENTS concurrent httpx async clients for
SECONDS seconds over a mix of the page's requests (filtered/sorted/paginated event pages,
event evidence, documents, actor profiles, the map, meta, and the network), and reports
requests/s, errors and p50/p99 latency, overall and per endpoint. Traffic goes to 127.0.0.1 only
and stops by itself.

    python bench/bench_web.py --events 100000 --clients 50 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from factions.model import PLOVER_TYPES, Actor, CodedDocument, Document, Event, Location, Mention, stable_id
from factions.store.db import Store

PLACES = [("Kyiv", "UKR", 50.45, 30.52), ("Moscow", "RUS", 55.75, 37.62), ("Gaza", "PSE", 31.5, 34.47),
          ("Khartoum", "SDN", 15.5, 32.56), ("Kabul", "AFG", 34.53, 69.17), ("Bamako", "MLI", 12.64, -8.0),
          ("Caracas", "VEN", 10.48, -66.9), ("Manila", "PHL", 14.6, 120.98), ("Sanaa", "YEM", 15.37, 44.19)]
MODALITIES = ["asserted"] * 8 + ["hypothetical", "negated", "future"]


def generate(path: Path, n_events: int, *, per_doc: int = 10, n_actors: int = 300, seed: int = 7) -> None:
    """A store of ``n_events`` generated events in documents of ``per_doc`` sentences."""
    rng = random.Random(seed)
    actors = [Actor(f"A{i:04d}", f"Actor {i}", "state" if i < 60 else "armed_group",
                    PLACES[i % len(PLACES)][1], "GOV" if i < 60 else "REB") for i in range(n_actors)]
    weights = [1 / (i + 1) for i in range(n_actors)]   # a few very active actors, a long tail
    batch: list[CodedDocument] = []
    pending_actors = actors
    with Store(path) as store:
        for d in range(n_events // per_doc):
            sentences, events, mentions = [], [], []
            day = f"20{rng.randint(18, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            offset = 0
            for k in range(per_doc):
                src, tgt = rng.choices(actors, weights, k=2)
                typ = rng.choice(PLOVER_TYPES)
                s = f"{src.name} reportedly took {typ.lower()} action against {tgt.name} in doc {d}."
                sentences.append(s)
                start, end = offset, offset + len(s)
                t0 = start + s.index(typ.lower())
                place = rng.choice(PLACES) if rng.random() < 0.6 else None
                events.append((stable_id(d, k), typ, src, tgt, s, start, end, t0, t0 + len(typ), place))
                mentions.append((src.id, src.name, start))
                mentions.append((tgt.id, tgt.name, start + s.index(tgt.name, len(src.name))))
                offset = end + 1
            text = " ".join(sentences)
            doc = Document.from_text(text, title=f"Generated report {d}", date=day, path=f"gen/{d}.txt")
            batch.append(CodedDocument(
                doc, [],
                [Mention(doc.id, a, name, m0, m0 + len(name)) for a, name, m0 in mentions],
                [Event(eid, doc.id, typ, src.id, tgt.id, modality=rng.choice(MODALITIES), date=day,
                       location=Location(p[0], p[1], p[2], p[3], "city") if p else None, text=s,
                       start=start, end=end, trigger=typ.lower(), trigger_start=t0, trigger_end=t1,
                       source_text=src.name, target_text=tgt.name, confidence=round(rng.random(), 2))
                 for eid, typ, src, tgt, s, start, end, t0, t1, p in events]))
            if len(batch) == 500:
                batch[0].actors, pending_actors = pending_actors, []
                store.add(batch)
                batch = []
        if batch:
            batch[0].actors = pending_actors
            store.add(batch)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    code = ("import sys, uvicorn; from factions.web.app import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), "
            "log_level='warning', access_log=False, timeout_keep_alive=75)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def request_mix(rng: random.Random, ids: dict[str, list[str]]) -> tuple[str, str, dict]:
    """One request as the page makes it: (endpoint label, path, query parameters)."""
    r = rng.random()
    if r < 0.40:
        params: dict = {"page": rng.randint(1, 200), "page_size": 50,
                        "sort": rng.choice(["date", "type", "source", "confidence"]),
                        "order": rng.choice(["asc", "desc"])}
        if rng.random() < 0.5:
            params["type"] = rng.choice(PLOVER_TYPES)
        if rng.random() < 0.3:
            params["actor"] = rng.choice(ids["actors"][:50])
        if rng.random() < 0.2:
            params["q"] = rng.choice(["assault", "agree", "doc 12"])
        if rng.random() < 0.2:
            params["since"], params["until"] = "2021-01-01", "2022-12-31"
        return "events", "/api/events", params
    if r < 0.60:
        return "event", f"/api/events/{rng.choice(ids['events'])}", {}
    if r < 0.70:
        return "document", f"/api/documents/{rng.choice(ids['documents'])}", {}
    if r < 0.80:
        return "actor", f"/api/actors/{rng.choice(ids['actors'][:100])}", {}
    if r < 0.88:
        return "map", "/api/map", {"type": rng.choice(PLOVER_TYPES)}
    if r < 0.96:
        return "meta", "/api/meta", {}
    return "network", "/api/network", {"min_events": 20}


async def client_loop(client: httpx.AsyncClient, seed: int, stop: float, ids: dict[str, list[str]],
                      results: list[tuple[str, float, bool]], errors: list[str]) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop:
        label, path, params = request_mix(rng, ids)
        t0 = time.perf_counter()
        try:
            r = await client.get(path, params=params)
            ok = r.status_code == 200
            if not ok:
                errors.append(f"{r.status_code} {path} {params}: {r.text[:300]}")
        except httpx.HTTPError as exc:
            ok = False
            errors.append(f"{type(exc).__name__} {path}: {exc}")
        results.append((label, time.perf_counter() - t0, ok))


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def load(base: str, clients: int, seconds: float,
               ids: dict[str, list[str]]) -> tuple[list, list[str], float]:
    results: list[tuple[str, float, bool]] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        t0 = time.monotonic()
        stop = t0 + seconds
        await asyncio.gather(*(client_loop(client, i, stop, ids, results, errors) for i in range(clients)))
        elapsed = time.monotonic() - t0
    return results, errors, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--db", type=Path, default=None, help="reuse (or create) this store")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench_web.duckdb"
    if not db.exists():
        t0 = time.perf_counter()
        generate(db, args.events)
        print(f"generated {args.events} events in {time.perf_counter() - t0:.1f}s -> {db}")
    with Store(db, read_only=True) as store:
        counts = store.counts()
        def column(sql: str) -> list[str]:
            return [r[0] for r in store.con.execute(sql).fetchall()]

        ids = {"events": column("SELECT id FROM events USING SAMPLE 2000 ROWS"),
               "documents": column("SELECT id FROM documents USING SAMPLE 2000 ROWS"),
               "actors": column("SELECT source FROM events GROUP BY source ORDER BY count(*) DESC")}
    port = free_port()
    server = start_server(db, port)
    try:
        results, error_samples, elapsed = asyncio.run(load(f"http://127.0.0.1:{port}", args.clients, args.seconds, ids))
    finally:
        server.terminate()
        server.wait(timeout=10)
    lat = [t * 1000 for _, t, _ in results]
    errors = sum(not ok for _, _, ok in results)
    print(f"store: {counts['events']} events, {counts['documents']} documents, {counts['actors']} actors")
    print(f"{args.clients} clients x {args.seconds:.0f}s on 127.0.0.1: {len(results)} requests, "
          f"{len(results) / elapsed:.1f} req/s, {errors} errors, p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms")
    print("| endpoint | requests | errors | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for label in sorted({r[0] for r in results}):
        mine = [t * 1000 for lab, t, _ in results if lab == label]
        errs = sum(not ok for lab, _, ok in results if lab == label)
        print(f"| {label} | {len(mine)} | {errs} | {pct(mine, 50):.1f} | {pct(mine, 99):.1f} |")
    for sample in error_samples[:5]:
        print("error:", sample)


if __name__ == "__main__":
    main()
