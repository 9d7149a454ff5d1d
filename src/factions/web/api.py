"""The JSON API under ``/api`` that the page uses (documented at ``/docs``).

Query parameters are declared as pydantic models (bounded lengths, sizes and page sizes; enum
values from the data model; unknown parameters rejected) so a malformed request is answered
with ``422`` and error code ``E603`` before any SQL runs. Each handler opens the store
read-only for the duration of the request (:class:`~factions.web.access.StoreAccess`).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import pyarrow as pa
import pyarrow.csv as pacsv
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from starlette.background import BackgroundTask

from factions import __version__
from factions.errors import FactionsError
from factions.model import MODALITIES, PLOVER_TYPES, QUAD_CLASS, Event
from factions.network.graph import graph_from_relations, write_graph
from factions.network.relations import build_relations
from factions.network.trends import FREQS
from factions.store.db import Store
from factions.web import queries
from factions.web.access import ResultCache, StoreAccess
from factions.web.jobs import JobRunner, Upload
from factions.web.views import network_view, timeline_view

router = APIRouter(prefix="/api")

#: Largest page of the event table.
MAX_PAGE_SIZE = 500
#: Most events one download holds.
MAX_EXPORT = 1_000_000

Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
PathId = Annotated[str, PathParam(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=200)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,5}$")]
Mode = Annotated[str, StringConstraints(min_length=1, max_length=50)]
PloverType = Literal[PLOVER_TYPES]  # type: ignore[valid-type]
Modality = Literal[MODALITIES]  # type: ignore[valid-type]
Quad = Literal[tuple(sorted(set(QUAD_CLASS.values())))]  # type: ignore[valid-type]
SortKey = Literal[tuple(queries.SORT_COLUMNS)]  # type: ignore[valid-type]


class FilterParams(BaseModel):
    """Filters shared by the event table, the map and the downloads."""

    model_config = ConfigDict(extra="forbid")

    actor: list[Id] = Field(default=[], max_length=50,
                            description="Actor ids: events whose source or target is one of them.")
    counterpart: Id | None = Field(None, description="With `actor`: only events between them and this actor.")
    source: Id | None = Field(None, description="Source actor id.")
    target: Id | None = Field(None, description="Target actor id.")
    type: list[PloverType] = Field(default=[], max_length=16, description="PLOVER event types.")
    quad: list[Quad] = Field(default=[], max_length=4, description="Quad classes.")
    mode: list[Mode] = Field(default=[], max_length=50, description="PLOVER modes.")
    modality: list[Modality] = Field(default=[], max_length=4, description="Modalities.")
    country: list[Country] = Field(default=[], max_length=50, description="Event location country codes.")
    location: Text | None = Field(None, description="Exact place name of the event location.")
    since: date | None = Field(None, description="First day (inclusive), YYYY-MM-DD.")
    until: date | None = Field(None, description="Last day (inclusive), YYYY-MM-DD.")
    q: Text | None = Field(None, description="Free text: words in the sentence or trigger.")
    doc_id: Id | None = Field(None, description="Only events of this document.")
    min_confidence: float | None = Field(None, ge=0, le=1, description="Lowest confidence.")

    @model_validator(mode="after")
    def _range(self) -> FilterParams:
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")
        return self

    def to_filter(self) -> queries.EventFilter:
        return queries.EventFilter(
            actor=self.actor, counterpart=self.counterpart, source=self.source, target=self.target,
            type=list(self.type), quad=list(self.quad), mode=self.mode, modality=list(self.modality),
            country=[c.upper() for c in self.country], location=self.location, since=self.since,
            until=self.until, q=self.q.strip() if self.q else None, doc_id=self.doc_id,
            min_confidence=self.min_confidence)


class EventPageParams(FilterParams):
    """Filters plus sorting and server-side pagination."""

    sort: SortKey = "date"
    order: Literal["asc", "desc"] = "desc"
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class ExportParams(FilterParams):
    """Filters plus the download format."""

    format: Literal["csv", "json", "gexf"] = "csv"
    sort: SortKey = "date"
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(MAX_EXPORT, ge=1, le=MAX_EXPORT)


class MapParams(FilterParams):
    """Filters plus how many places to return."""

    limit: int = Field(2000, ge=1, le=20_000)


class NetworkParams(BaseModel):
    """Which events make the network, and which actors a what-if removes."""

    model_config = ConfigDict(extra="forbid")

    since: date | None = None
    until: date | None = None
    min_events: int = Field(1, ge=1, le=10_000, description="Drop ties with fewer events.")
    remove: list[Id] = Field(default=[], max_length=200, description="What-if: actors to remove.")


class TimelineParams(BaseModel):
    """Whose cooperation and conflict to follow over time."""

    model_config = ConfigDict(extra="forbid")

    actor: Id = Field(description="Actor id.")
    counterpart: Id | None = Field(None, description="Other actor of the dyad; all counterparts if absent.")
    freq: Literal[tuple(FREQS)] = "month"  # type: ignore[valid-type]


def access(request: Request) -> StoreAccess:
    return request.app.state.access


def results(request: Request) -> ResultCache:
    return request.app.state.cache


Access = Annotated[StoreAccess, Depends(access)]
Cache = Annotated[ResultCache, Depends(results)]


def _not_found(kind: str, key: str) -> FactionsError:
    return FactionsError("E607", kind=kind, id=key)


@router.get("/health", summary="Is the server up, and what does it serve")
def health(request: Request, acc: Access) -> dict[str, Any]:
    with acc.read() as store:
        counts = store.counts()
    return {"status": "ok", "version": __version__, "db": Path(acc.path).name, "counts": counts,
            "upload": request.app.state.allow_upload}


@router.get("/meta", summary="Counts and the values present for each filter")
def meta(acc: Access, cache: Cache) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        with acc.read() as store:
            return queries.meta(store.con)

    return cache.get(("meta",), compute)


@router.get("/events", summary="Filtered, sorted, paginated events")
def events(acc: Access, p: Annotated[EventPageParams, Query()]) -> dict[str, Any]:
    flt = p.to_filter()
    with acc.read() as store:
        total = queries.count_events(store.con, flt)
        items = queries.page_events(store.con, flt, sort=p.sort, order=p.order,
                                    limit=p.page_size, offset=(p.page - 1) * p.page_size)
    return {"total": total, "page": p.page, "page_size": p.page_size,
            "pages": max(1, -(-total // p.page_size)), "sort": p.sort, "order": p.order, "items": items}


@router.get("/events/{event_id}", summary="One event with its evidence (the highlighted sentence)")
def event(acc: Access, event_id: PathId) -> dict[str, Any]:
    with acc.read() as store:
        ev = queries.event(store.con, event_id)
        if ev is None:
            raise _not_found("event", event_id)
        ev["evidence"] = queries.evidence(store.con, ev)
        docs = store.document_summaries([ev["doc_id"]])
    ev["document"] = docs[0] if docs else None
    return ev


@router.get("/export", summary="Download the filtered events as CSV, JSON or GEXF")
def export(acc: Access, p: Annotated[ExportParams, Query()]) -> FileResponse:
    flt = p.to_filter()
    fd, name = tempfile.mkstemp(prefix="factions-export-", suffix=f".{p.format}")
    os.close(fd)
    out = Path(name)
    try:
        with acc.read() as store:
            if p.format == "gexf":
                _write_gexf(store, out, queries.edge_rows(store.con, flt, limit=p.limit))
            else:
                _write_table(out, p.format, queries.export_batches(
                    store.con, flt, sort=p.sort, order=p.order, limit=p.limit))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    media = {"csv": "text/csv", "json": "application/json", "gexf": "application/xml"}[p.format]
    return FileResponse(out, media_type=media, filename=f"factions-events.{p.format}",
                        background=BackgroundTask(out.unlink, missing_ok=True))


def _write_table(out: Path, fmt: str, reader: pa.RecordBatchReader) -> None:
    """Stream Arrow batches to a CSV file (header even when empty) or a JSON array of objects."""
    if fmt == "csv":
        with out.open("wb") as fh, pacsv.CSVWriter(fh, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        return
    with out.open("w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for batch in reader:
            for row in pa.Table.from_batches([batch]).to_pylist():
                fh.write(("" if first else ",\n") + json.dumps(row, ensure_ascii=False, default=str))
                first = False
        fh.write("]\n")


def _write_gexf(store: Store, out: Path, rows: list[dict[str, Any]]) -> None:
    """The signed network of the filtered events (ties from :func:`build_relations`)."""
    events = [Event(id=r["id"], doc_id="", type=r["type"], source=r["source"], target=r["target"],
                    modality=r["modality"], date=r["date"]) for r in rows]
    relations = build_relations(events)
    ids = sorted({n for r in relations for n in (r.source, r.target)})
    write_graph(graph_from_relations(relations, store.actors(ids) if ids else []), "gexf", out)


@router.get("/actors", summary="Actors with event counts, most active first")
def actors(acc: Access, q: Annotated[str | None, Query(max_length=200)] = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict[str, Any]]:
    with acc.read() as store:
        return queries.actors(store.con, q=q.strip() if q else None, limit=limit)


@router.get("/actors/{actor_id}", summary="An actor's profile")
def actor(acc: Access, actor_id: PathId) -> dict[str, Any]:
    with acc.read() as store:
        profile = queries.actor_profile(store.con, actor_id)
    if profile is None:
        raise _not_found("actor", actor_id)
    return profile


@router.get("/documents", summary="Documents, newest coded first")
def documents(acc: Access, q: Annotated[str | None, Query(max_length=200)] = None,
              page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
              page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50) -> dict[str, Any]:
    with acc.read() as store:
        total, items = queries.documents(store.con, q=q.strip() if q else None, limit=page_size,
                                         offset=(page - 1) * page_size)
    return {"total": total, "page": page, "page_size": page_size, "items": items}


@router.get("/documents/{doc_id}", summary="A document's text with every coded span")
def document(acc: Access, doc_id: PathId) -> dict[str, Any]:
    with acc.read() as store:
        doc = queries.document(store.con, doc_id)
    if doc is None:
        raise _not_found("document", doc_id)
    return doc


@router.get("/map", summary="Places of the filtered events, with cooperation/conflict counts")
def map_points(acc: Access, p: Annotated[MapParams, Query()]) -> list[dict[str, Any]]:
    with acc.read() as store:
        return queries.map_points(store.con, p.to_filter(), limit=p.limit)


@router.get("/network", summary="The signed actor network with its balance analysis (and what-if)")
def network(acc: Access, cache: Cache, p: Annotated[NetworkParams, Query()]) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        with acc.read() as store:
            return network_view(store, since=p.since, until=p.until, min_events=p.min_events,
                                remove=p.remove)

    return cache.get(("network", p.since, p.until, p.min_events, tuple(sorted(p.remove))), compute)


@router.get("/timeline", summary="Cooperation and conflict over time for an actor or a dyad")
def timeline(acc: Access, cache: Cache, p: Annotated[TimelineParams, Query()]) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        with acc.read() as store:
            return timeline_view(store, actor=p.actor, counterpart=p.counterpart, freq=p.freq)

    return cache.get(("timeline", p.actor, p.counterpart, p.freq), compute)


@router.post("/code", status_code=202, summary="Code pasted or uploaded text (needs --allow-upload)")
async def code(request: Request, text: Annotated[str | None, Form()] = None,
               title: Annotated[str | None, Form(max_length=500)] = None,
               files: Annotated[list[UploadFile] | None, File()] = None) -> dict[str, Any]:
    state = request.app.state
    if not state.allow_upload:
        raise FactionsError("E604")
    limit: int = state.max_upload_bytes
    uploads: list[Upload] = []
    size = 0
    if text and text.strip():
        size += len(text.encode("utf-8"))
        uploads.append(Upload(text=text, title=title or None))
    for f in files or []:
        data = await f.read(max(0, limit + 1 - size))  # one byte more than allowed tells "too large"
        size += len(data)
        if size > limit:
            break
        try:
            body = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FactionsError("E103", path=f.filename, detail=str(exc)) from exc
        if body.strip():
            uploads.append(Upload(text=body, title=title or f.filename, path=f.filename))
    if size > limit:
        raise FactionsError("E601", size=f"more than {limit}", limit=limit)
    if not uploads:
        raise FactionsError("E102")
    runner: JobRunner = state.jobs
    return runner.submit(uploads).to_dict()


@router.get("/jobs/{job_id}", summary="Progress of a coding job")
def job(request: Request, job_id: PathId) -> dict[str, Any]:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise _not_found("job", job_id)
    return found.to_dict()
