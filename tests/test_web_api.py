"""API tests: httpx against the real app served by uvicorn on 127.0.0.1, over a real DuckDB file."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import networkx as nx
import pytest

from factions.errors import FactionsError
from factions.store.db import Store
from factions.web.app import check_bind
from test_web_fixtures import DOCS, HOSTILE_TEXT, LiveServer, free_port, live, web_db  # noqa: F401

#: What the factions page sends with a state-changing request (tests/test_web_api.py checks
#: that requests without it, or from another origin, are refused).
SAME_SITE = {"X-Factions-Request": "1"}

ALL_SPECS = [s for _, _, specs in DOCS for s in specs]
N_EVENTS = len(ALL_SPECS) + 1  # + the hostile document's event


@pytest.fixture(scope="module")
def client(live: LiveServer) -> httpx.Client:  # noqa: F811
    with httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


def events(client: httpx.Client, **params: object) -> dict:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_health_and_meta(client: httpx.Client) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["upload"] is False
    assert health["counts"]["events"] == N_EVENTS and health["counts"]["documents"] == len(DOCS) + 1
    meta = client.get("/api/meta").json()
    assert {t["value"] for t in meta["types"]} == {s.type for s in ALL_SPECS}
    assert meta["first_date"] == "2023-03-01" and meta["last_date"] == "2024-05-01"
    assert {c["value"] for c in meta["countries"]} == {"UKR", "RUS", "BEL", "CHN", "IRN"}


@pytest.mark.parametrize("params, expected", [
    ({"type": "ASSAULT"}, [s for s in ALL_SPECS if s.type == "ASSAULT"]),
    ({"type": ["AGREE", "AID"]}, [s for s in ALL_SPECS if s.type in ("AGREE", "AID")]),
    ({"modality": "hypothetical"}, [s for s in ALL_SPECS if s.modality == "hypothetical"]),
    ({"actor": "IRN"}, [s for s in ALL_SPECS if "IRN" in (s.source, s.target)]),
    ({"actor": "EU", "counterpart": "CHN"}, [s for s in ALL_SPECS if {s.source, s.target} == {"EU", "CHN"}]),
    ({"source": "USA"}, [s for s in ALL_SPECS if s.source == "USA"]),
    ({"country": "chn"}, [s for s in ALL_SPECS if s.place == "Beijing"]),
    ({"location": "Kyiv"}, [s for s in ALL_SPECS if s.place == "Kyiv"]),
    ({"since": "2024-01-16", "until": "2024-01-17"}, [s for s in ALL_SPECS if "2024-01-16" <= s.date <= "2024-01-17"]),
    ({"q": "DRONE"}, [s for s in ALL_SPECS if "drone" in s.sentence.lower()]),
    ({"quad": "material_conflict", "mode": "aerial"}, [s for s in ALL_SPECS if s.mode == "aerial"]),
])
def test_filters(client: httpx.Client, params: dict, expected: list) -> None:
    page = events(client, **params, page_size=500)
    assert page["total"] == len(expected) > 0
    assert sorted(e["text"] for e in page["items"]) == sorted(s.sentence for s in expected)


@pytest.mark.parametrize("sort", ["date", "type", "source", "target", "confidence", "country", "document"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sort_and_pages(client: httpx.Client, sort: str, order: str) -> None:
    whole = events(client, sort=sort, order=order, page_size=500)["items"]
    paged = [e for p in (1, 2, 3, 4) for e in events(client, sort=sort, order=order, page=p, page_size=5)["items"]]
    assert [e["id"] for e in paged] == [e["id"] for e in whole] and len(paged) == N_EVENTS
    key = {"date": "date", "type": "type", "source": "source_name", "target": "target_name",
           "confidence": "confidence", "country": "loc_country", "document": "doc_id"}[sort]
    values = [e[key] for e in whole if e[key] is not None]
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.parametrize("query", [
    "page_size=0", "page_size=501", "page=0", "sort=text", "sort=date;DROP TABLE events", "order=up",
    "type=BOMB", "modality=maybe", "since=2024-13-01", "since=2024-02-01&until=2024-01-01", "country=U$A",
    "min_confidence=2", "bogus=1", "q=" + "x" * 201,
])
def test_invalid_parameters_are_refused(client: httpx.Client, query: str) -> None:
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 422
    assert r.json()["code"] == "E603"


def test_sql_text_in_values_is_data(client: httpx.Client) -> None:
    for hostile in ("'; DROP TABLE events; --", "%", "_", "\\", "' OR '1'='1"):
        assert events(client, q=hostile, actor=hostile)["total"] == 0
    assert events(client)["total"] == N_EVENTS


def test_event_evidence_spans_point_at_the_words(client: httpx.Client) -> None:
    for ev in events(client, page_size=500)["items"]:
        full = client.get(f"/api/events/{ev['id']}").json()
        evidence = full["evidence"]
        assert evidence["sentence"] == ev["text"]
        by_kind = {s["kind"]: evidence["sentence"][s["start"]:s["end"]] for s in evidence["spans"]}
        assert by_kind["trigger"] == ev["trigger"]
        assert by_kind["source"] == ev["source_text"]
        if ev["target_text"]:
            assert by_kind["target"] == ev["target_text"]
        assert full["document"]["id"] == ev["doc_id"]


def test_document_spans(client: httpx.Client) -> None:
    docs = client.get("/api/documents").json()
    assert docs["total"] == len(DOCS) + 1
    for d in docs["items"]:
        doc = client.get(f"/api/documents/{d['id']}").json()
        text = doc["text"]
        for m in doc["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
        for e in doc["events"]:
            assert text[e["trigger_start"]:e["trigger_end"]] == e["trigger"]
            assert text[e["start"]:e["end"]] == e["text"]
    hostile = client.get("/api/documents", params={"q": "onerror"}).json()["items"]
    assert len(hostile) == 1
    assert client.get(f"/api/documents/{hostile[0]['id']}").json()["text"] == HOSTILE_TEXT


def test_actors_and_profile(client: httpx.Client) -> None:
    actors = client.get("/api/actors").json()
    assert actors[0]["id"] == "RUS"  # the most active actor first
    assert [a["id"] for a in client.get("/api/actors", params={"q": "kreml"}).json()] == ["RUS"]
    profile = client.get("/api/actors/RUS").json()
    assert profile["name"] == "Russia"
    assert profile["events"] == sum("RUS" in (s.source, s.target) for s in ALL_SPECS) + 1
    counterparts = {c["id"]: c for c in profile["counterparts"]}
    assert counterparts["UKR"]["conflict"] == 2 and counterparts["CHN"]["cooperation"] == 1
    missing = client.get("/api/actors/NOPE")
    assert missing.status_code == 404 and missing.json()["code"] == "E607"
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/documents/nope").status_code == 404


def test_map_points(client: httpx.Client) -> None:
    points = {p["name"]: p for p in client.get("/api/map").json()}
    assert set(points) == {s.place for s in ALL_SPECS if s.place}
    kyiv = points["Kyiv"]
    assert (kyiv["lat"], kyiv["lon"], kyiv["events"], kyiv["conflict"]) == (50.45, 30.52, 3, 2)
    aid = client.get("/api/map", params={"type": "AID"}).json()
    assert sorted(p["name"] for p in aid) == ["Kyiv", "Tehran"]


def test_exports_hold_the_filtered_view(client: httpx.Client) -> None:
    params = {"quad": ["verbal_cooperation", "material_cooperation"]}
    total = events(client, **params)["total"]
    r = client.get("/api/export", params={**params, "format": "csv"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total and {row["quad_class"] for row in rows} == {"verbal_cooperation", "material_cooperation"}
    data = client.get("/api/export", params={**params, "format": "json"}).json()
    assert len(data) == total and all(isinstance(d["start"], int) for d in data)
    gexf = client.get("/api/export", params={**params, "format": "gexf"})
    graph = nx.read_gexf(io.BytesIO(gexf.content))
    assert graph.has_edge("EU", "CHN") and graph.edges["EU", "CHN"]["sign"] == 1
    empty = client.get("/api/export", params={"type": "PROTEST", "format": "csv"}).text
    assert empty.startswith('"id","doc_id","type"') and empty.count("\n") == 1
    assert json.loads(client.get("/api/export", params={"type": "PROTEST", "format": "json"}).text) == []


def test_static_files_cannot_escape(client: httpx.Client) -> None:
    assert client.get("/static/app.js").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2fapi.py",
                 "/static//etc/passwd", "/static/vendor/../../app.py"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "create_app" not in r.text


def test_page_headers_and_docs(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/network", "/api/export", "/api/code"} <= set(paths)


def test_upload_is_off_by_default(client: httpx.Client) -> None:
    r = client.post("/api/code", headers=SAME_SITE, files={"files": ("a.txt", b"Russia attacked Ukraine.", "text/plain")})
    assert r.status_code == 403 and r.json()["code"] == "E604"


def test_token_guard(web_db: Path) -> None:  # noqa: F811
    server = LiveServer(web_db, token="s3cret-token").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            assert c.get("/").status_code == 200  # the page itself holds no data
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Factions-Token": "s3cret-tokeN"}):
                r = c.get("/api/health", headers=headers)
                assert r.status_code == 401 and r.json()["code"] == "E606"
            assert c.get("/api/health", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
            assert c.get("/api/events", headers={"X-Factions-Token": "s3cret-token"}).status_code == 200
            assert c.get("/?token=wrong").status_code == 303 and c.get("/api/health").status_code == 401
            signed = c.get("/?token=s3cret-token", follow_redirects=False)
            assert signed.status_code == 303 and signed.headers["location"] == "/"
            assert "httponly" in signed.headers["set-cookie"].lower()
            assert c.get("/api/health").status_code == 200  # the cookie now
    finally:
        server.stop()


def test_bind_needs_token_off_loopback() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1"):
        check_bind(host, None)
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(FactionsError) as exc:
            check_bind(host, None)
        assert exc.value.code == "E600"
        check_bind(host, "token")


def test_upload_size_is_capped(web_db: Path, tmp_path: Path) -> None:  # noqa: F811
    server = LiveServer(web_db, allow_upload=True, max_upload_bytes=1000).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            r = c.post("/api/code", headers=SAME_SITE, files={"files": ("big.txt", b"x" * 200_000, "text/plain")})
            assert r.status_code == 413 and r.json()["code"] == "E601"

            def chunks():  # no Content-Length: counted as it arrives
                body = (b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
                        + b"y" * 200_000 + b"\r\n--B--\r\n")
                for i in range(0, len(body), 8192):
                    yield body[i:i + 8192]
            r = c.post("/api/code", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=B", **SAME_SITE})
            assert r.status_code == 413 and r.json()["code"] == "E601"
            r = c.post("/api/code", headers=SAME_SITE, files={"files": ("a.bin", b"\xff\xfe\x00bad", "text/plain")})
            assert r.status_code == 400 and r.json()["code"] == "E103"
            assert c.post("/api/code", headers=SAME_SITE, data={"text": "   "}).json()["code"] == "E102"
    finally:
        server.stop()
    with Store(web_db, read_only=True) as store:
        assert store.counts()["documents"] == len(DOCS) + 1  # nothing was written


def test_network_and_balance(client: httpx.Client) -> None:
    net = client.get("/api/network").json()
    edges = {frozenset((e["source"], e["target"])): e for e in net["edges"]}
    assert edges[frozenset(("RUS", "UKR"))]["sign"] == -1 and edges[frozenset(("RUS", "UKR"))]["events"] == 2
    assert edges[frozenset(("EU", "CHN"))]["sign"] == 1
    bloc = {n["id"]: n["bloc"] for n in net["nodes"]}
    assert bloc["RUS"] == bloc["CHN"] == bloc["IRN"] != bloc["USA"] == bloc["UKR"] == bloc["EU"] == bloc["NATO"]
    balance = net["balance"]
    assert balance["frustration_index"] == 1
    assert [{e["source"], e["target"]} for e in balance["frustrated_edges"]] == [{"EU", "CHN"}]
    assert net["baseline"] is None
    later = client.get("/api/network", params={"since": "2024-01-01"}).json()
    assert {frozenset((e["source"], e["target"])) for e in later["edges"]} < set(edges)
    assert client.get("/api/network", params={"min_events": 2}).json()["edges"] == [
        e for e in net["edges"] if e["events"] >= 2]


def test_whatif_removes_actors(client: httpx.Client) -> None:
    after = client.get("/api/network", params={"remove": "CHN"}).json()
    assert after["removed"] == ["CHN"] and "CHN" not in {n["id"] for n in after["nodes"]}
    assert after["baseline"]["frustration_index"] == 1 and after["balance"]["frustration_index"] == 0
    assert after["whatif"]["removed"] == [{"id": "CHN", "name": "China"}]
    unknown = client.get("/api/network", params={"remove": "Atlantis"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "E400"


def test_timeline(client: httpx.Client) -> None:
    actor = client.get("/api/timeline", params={"actor": "RUS"}).json()
    assert [p["period"] for p in actor["points"]] == ["2023-06", "2023-09", "2024-01", "2024-05"]
    assert actor["points"][0]["conflict"] == 2 and actor["points"][2]["cooperation"] == 2
    dyad = client.get("/api/timeline", params={"actor": "RUS", "counterpart": "UKR", "freq": "day"}).json()
    assert [(p["period"], p["conflict"]) for p in dyad["points"]] == [("2023-06-10", 1), ("2023-06-11", 1)]
    assert client.get("/api/timeline", params={"actor": "RUS", "freq": "century"}).status_code == 422


def test_upload_codes_text_with_the_coder(web_db: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "upload.duckdb"
    db.write_bytes(web_db.read_bytes())
    server = LiveServer(db, allow_upload=True).start()
    text = "Russian forces shelled Kharkiv on Monday. The United States condemned the attack."
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            upload = {"files": ("report.txt", text.encode(), "text/plain")}
            r = c.post("/api/code", headers=SAME_SITE, data={"title": "Pasted"}, files=upload)
            assert r.status_code == 202, r.text
            job = r.json()
            assert job["total"] == 1 and job["status"] in ("queued", "running")
            deadline = time.monotonic() + 180
            while job["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.3)
                job = c.get(f"/api/jobs/{job['id']}").json()
            assert job["status"] == "done", job
            assert job["done"] == 1 and job["new_documents"] == 1 and job["events"] >= 1
            doc = c.get(f"/api/documents/{job['documents'][0]}").json()
            assert doc["text"] == text and doc["title"] == "Pasted" and doc["path"] == "report.txt"
            assert any(e["trigger"] == "shelled" for e in doc["events"])
            assert c.get("/api/health").json()["counts"]["documents"] == len(DOCS) + 2
            assert c.get("/api/jobs/unknown").status_code == 404
    finally:
        server.stop()


def test_serve_command(web_db: Path) -> None:  # noqa: F811
    cli = [sys.executable, "-c", "from factions.cli import main; main()", "serve", "--db", str(web_db)]
    refused = subprocess.run(cli + ["--host", "0.0.0.0"], capture_output=True, text=True, timeout=60,
                             env={k: v for k, v in os.environ.items() if k != "FACTIONS_TOKEN"})
    assert refused.returncode == 2 and "[E600]" in refused.stderr
    port = free_port()
    proc = subprocess.Popen(cli + ["--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(base + "/api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["upload"] is False
        # bound to loopback, a foreign Host header (a DNS-rebinding page) is refused
        assert httpx.get(base + "/api/health", headers={"Host": "evil.example"}).status_code == 400
        assert httpx.get(base + "/api/health", headers={"Host": f"localhost:{port}"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_upload_cap_counts_every_part(web_db: Path) -> None:  # noqa: F811
    server = LiveServer(web_db, allow_upload=True, max_upload_bytes=100_000).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            # under the body allowance (limit + framing), over the payload limit: refused by the handler
            parts = [("files", (f"{i}.txt", "é".encode() * 30_000, "text/plain")) for i in range(2)]
            r = c.post("/api/code", headers=SAME_SITE, files=parts, data={"text": "x" * 10})
            assert r.status_code == 413 and r.json()["code"] == "E601"
    finally:
        server.stop()


def test_cross_site_upload_is_refused(tmp_path: Path) -> None:
    """A page on another site can make the browser POST a form here; it is refused (E611)."""
    db = tmp_path / "x.duckdb"
    Store(db).close()
    server = LiveServer(db, allow_upload=True).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            doc = {"files": ("a.txt", b"Russia attacked Ukraine.", "text/plain")}
            forged = c.post("/api/code", files=doc, headers={"Origin": "https://evil.example"})
            assert forged.status_code == 403 and forged.json()["code"] == "E611"
            assert c.post("/api/code", files=doc).status_code == 403
            wrong_origin = c.post("/api/code", files=doc, headers={**SAME_SITE, "Origin": "https://evil.example"})
            assert wrong_origin.status_code == 403
            ok = c.post("/api/code", files=doc, headers={**SAME_SITE, "Origin": server.url})
            assert ok.status_code == 202, ok.text
    finally:
        server.stop()
