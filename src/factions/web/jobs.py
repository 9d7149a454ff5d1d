"""Coding uploaded or pasted text in the background, with progress the page can poll.

One worker thread codes one job at a time (the machine has few cores and DuckDB one writer).
Texts are coded in order outside any lock; each document's records are written through
:meth:`StoreAccess.write`, the in-process exclusive lock, in a short transaction, so readers
keep being answered between documents.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from factions.errors import FactionsError
from factions.model import CodedDocument, Document
from factions.web.access import StoreAccess

#: Finished jobs kept for polling; older ones are forgotten first.
KEEP_JOBS = 100


@dataclass
class Upload:
    """One text to code, as received from the page."""

    text: str
    title: str | None = None
    path: str | None = None


@dataclass
class Job:
    """The state of one coding job, as ``GET /api/jobs/{id}`` reports it."""

    id: str
    total: int
    done: int = 0
    status: str = "queued"           # queued | running | done | error
    message: str = ""
    documents: list[str] = field(default_factory=list)
    new_documents: int = 0
    events: int = 0
    created: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _coded(uploads: list[Upload]) -> Iterator[CodedDocument]:
    """Code the uploads lazily, in order, with the project's coder.

    Imported here, not at the top: the coder loads the NLP pipeline, which a read-only server
    never needs.
    """
    from factions.coder import Coder  # noqa: PLC0415
    docs = (Document.from_text(u.text, title=u.title, path=u.path) for u in uploads)
    return Coder().code_documents(docs)


class JobRunner:
    """Queues coding jobs on one worker thread and keeps their progress."""

    def __init__(self, access: StoreAccess) -> None:
        self.access = access
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factions-code")

    def submit(self, uploads: list[Upload]) -> Job:
        job = Job(id=uuid.uuid4().hex[:16], total=len(uploads))
        with self._lock:
            self._jobs[job.id] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.created)[:-KEEP_JOBS]:
                del self._jobs[old.id]
        self._pool.submit(self._run, job, uploads)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, uploads: list[Upload]) -> None:
        job.status = "running"
        try:
            for coded in _coded(uploads):
                with self.access.write() as store:
                    job.new_documents += store.add([coded])
                job.documents.append(coded.document.id)
                job.events += len(coded.events)
                job.done += 1
            job.status = "done"
        except FactionsError as exc:
            job.status, job.message = "error", exc.line()
        except Exception as exc:  # noqa: BLE001 - any failure must reach the page, not vanish
            job.status = "error"
            job.message = FactionsError("E605", detail=f"{type(exc).__name__}: {exc}").line()
