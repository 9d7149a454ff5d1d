"""The web app keeps answering while ANOTHER process writes to the same DuckDB file.

A real writer runs in a subprocess: it repeatedly opens ``Store(path)`` read-write, adds a
batch of hand-built CodedDocuments and closes (as ``factions code`` commits in short batches).
Meanwhile the test requests pages from the live server; every request must succeed, the
writer must finish without error, and the server must see the store grow while it is written.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from test_web_fixtures import DOCS, LiveServer, build_store

BATCHES = 25

WRITER = textwrap.dedent(f"""
    import sys, time
    sys.path.insert(0, {str(Path(__file__).parent)!r})
    from factions.store.db import Store
    from test_web_fixtures import DOCS, coded_document
    for batch in range({BATCHES}):
        docs = [coded_document(f"{{title}} batch {{batch}}", day, specs) for title, day, specs in DOCS]
        with Store(sys.argv[1]) as store:
            assert store.add(docs) == len(docs)
        time.sleep(0.15)  # coding the next batch (the file is free meanwhile)
    print("writer done")
""")


def test_reads_succeed_while_another_process_writes(tmp_path: Path) -> None:
    db = build_store(tmp_path / "busy.duckdb")
    server = LiveServer(db).start()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    failures: list[str] = []
    requests = 0
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            deadline = time.monotonic() + 120
            while writer.poll() is None and time.monotonic() < deadline:
                for url in ("/api/health", "/api/events?page_size=20&sort=source", "/api/meta",
                            "/api/actors/RUS", "/api/map", "/api/documents?page_size=5"):
                    r = client.get(url)
                    requests += 1
                    if r.status_code != 200:
                        failures.append(f"{url}: {r.status_code} {r.text[:200]}")
                    elif url == "/api/health":
                        seen.append(r.json()["counts"]["documents"])
            out, err = writer.communicate(timeout=120)
            final = client.get("/api/health").json()["counts"]["documents"]
    finally:
        if writer.poll() is None:
            writer.kill()
        server.stop()
    assert writer.returncode == 0 and "writer done" in out, err
    assert not failures, failures[:5]
    assert requests >= 30
    per_batch = len(DOCS)
    assert final == per_batch * (BATCHES + 1) + 1
    # the server answered between batches: it saw intermediate states of the growing store
    assert len({n for n in seen if per_batch + 1 < n < final}) >= 2, seen
