"""Kill -9 the coder at random points of a large run, many times: the store must survive.

    python scripts/crashloop.py --rounds 30 --seconds 900 --docs 1500

First one uninterrupted reference run codes a generated corpus (or --corpus DIR) into a
reference store and times it. Then each round starts ``factions code`` on the same corpus into
the crash store, in its own process group, and SIGKILLs it after a random delay between 0 and
the reference run's duration - before the store exists, during migrations, while parsing, in
the middle of a batch commit, at close. After every kill the store, as the kill left it, must

- open and pass ``factions check`` (schema, references, codings, offsets: store/check.py);
- still hold every document it held before the kill (a committed batch is never lost);
- hold only documents of the corpus, each once.

A round whose run finishes before its kill has completed the store: it must then equal the
reference store (same documents, mentions, events, figures, actors and actor mention counts),
and the next round starts a fresh store. When rounds or time run out, one uninterrupted re-run
completes the store in progress, which must equal the reference too.

Prints a table (or --json); exit status 1 if any property failed. tests/test_reliability.py
runs a few rounds of this on a small corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from factions.errors import FactionsError
from factions.store import migrations
from factions.store.check import check_store
from factions.store.db import Store

# --- the corpus -------------------------------------------------------------------------------

ACTORS = ["Russia", "Ukraine", "Israel", "Hamas", "Hezbollah", "Iran", "the United States",
          "Turkey", "Kurdish fighters", "the Syrian army", "Nigerian police", "Boko Haram",
          "the European Union", "China", "Taiwan", "India", "Pakistan", "the Taliban",
          "Sudanese paramilitaries", "Ethiopia", "Egypt", "Saudi Arabia", "the Houthis"]
PLACES = ["Kyiv", "Gaza", "Beirut", "Aleppo", "Mosul", "Kabul", "Khartoum", "Tripoli",
          "Maiduguri", "Sanaa", "Goma", "Kidal", "Odesa", "Idlib", "Mogadishu"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{a} attacked {b} positions near {p} on {d}, killing at least {n} people, officials said.",
    "{a} accused {b} of shelling civilians in {p}.",
    "{a} and {b} agreed on {d} to hold talks in {p}.",
    "{a} imposed sanctions on {b} after the clashes in {p}.",
    "Protesters marched in {p} on {d} against {b}, and police arrested {n} of them.",
    "{a} threatened to strike {b} if the attacks on {p} continued.",
    "{a} sent aid to {b} after floods displaced {n} families near {p}.",
    "{a} did not attack {b} in {p}, a spokesman said.",
    "{a} would welcome a ceasefire with {b}, the minister said in {p}.",
    "Drone strikes by {a} hit {p} on {d}; {n} fighters of {b} were wounded.",
]


def corpus_texts(count: int, seed: int = 7) -> Iterator[str]:
    """``count`` distinct news-like texts of 2-6 sentences that the coder finds events in."""
    rng = random.Random(seed)
    for i in range(count):
        sentences = []
        for _ in range(rng.randint(2, 6)):
            a, b = rng.sample(ACTORS, 2)
            sentence = rng.choice(SENTENCES).format(a=a, b=b, p=rng.choice(PLACES),
                                                    d=rng.choice(DAYS), n=rng.randint(2, 400))
            sentences.append(sentence[0].upper() + sentence[1:])
        yield f"Report {i}. " + " ".join(sentences)


def make_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` texts into ``folder``: most in one JSONL file, every tenth a .txt file."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "reports.jsonl").open("w", encoding="utf-8") as fh:
        for i, text in enumerate(corpus_texts(count, seed)):
            if i % 10 == 9:
                (folder / f"report_{i:05d}.txt").write_text(text, encoding="utf-8")
            else:
                fh.write(json.dumps({"id": f"r{i}", "text": text, "date": "2024-03-01"}) + "\n")
    return folder


def corpus_ids(corpus: Path) -> set[str]:
    """The ids of every document the corpus holds (what a complete store must hold)."""
    from factions.ingest import iter_inputs
    from factions.model import Document

    return {item.id for item in iter_inputs([corpus]) if isinstance(item, Document)}


# --- looking at a store -----------------------------------------------------------------------

def stored_ids(db: Path) -> set[str]:
    """The ids of the documents in ``db`` (read-only; none if there is no store yet)."""
    if not db.exists():
        return set()
    with Store(db, read_only=True) as store:
        return {r[0] for r in store.con.execute("SELECT id FROM documents").fetchall()}


def unfinished(db: Path) -> bool:
    """Whether ``db`` is a store whose creation stopped part-way through the migrations.

    That is: no table at all, or the migrations it records are the first ones of this
    factions, in order, and some are missing.
    """
    known = [name for name, _ in migrations.MIGRATIONS]
    with Store(db, read_only=True) as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "_migrations" not in tables:
            return not tables
        recorded = [r[0] for r in store.con.execute("SELECT name FROM _migrations").fetchall()]
    return len(recorded) < len(known) and sorted(recorded) == sorted(known[:len(recorded)])


def fingerprint(db: Path) -> dict[str, Any]:
    """Everything a coding run puts in a store, in a form that does not depend on batch order."""
    queries = {
        "documents": "SELECT id, path, source_id, title, date, url, length FROM documents",
        "actors": "SELECT id, name, kind, country, sector, list_sort(aliases), mentions, affiliation FROM actors",
        "mentions": 'SELECT doc_id, actor_id, text, start, "end", how FROM mentions',
        "events": "SELECT * FROM events",
        "figures": "SELECT * FROM figures",
        "codings": "SELECT * FROM codings",
        "errors": "SELECT DISTINCT path, source_id, code, message FROM errors",
    }
    with Store(db, read_only=True) as store:
        return {name: sorted(map(repr, store.con.execute(sql).fetchall())) for name, sql in queries.items()}


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Which tables of two fingerprints differ, with a count of rows only one side has."""
    out = []
    for table in want:
        a, b = set(got[table]), set(want[table])
        if a != b:
            out.append(f"{table}: {len(a - b)} rows only in the crash store, {len(b - a)} only in the reference")
    return out


# --- running the coder ------------------------------------------------------------------------

def code_command(corpus: Path, db: Path, batch_size: int, extra: list[str]) -> list[str]:
    return [sys.executable, "-c", "from factions.cli import main; main()", "code", str(corpus),
            "--db", str(db), "--quiet", "--format", "jsonl", "--batch-size", str(batch_size), *extra]


def freeze_source(work: Path) -> dict[str, str]:
    """Copy the factions package into ``work`` and return an environment that imports it.

    Every run of the loop - the reference run included - then codes with the same code, even
    if someone edits the checkout meanwhile: a reference coded by other code would differ from
    the crash store for reasons that have nothing to do with crashes.
    """
    import factions

    src = work / "src"
    shutil.copytree(Path(factions.__file__).parent, src / "factions", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    path = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def start(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own process group, so one SIGKILL reaches any worker it forks."""
    with log.open("ab") as err:
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                start_new_session=True)


def kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # it finished in the meantime
        pass
    proc.wait()


def run_to_end(cmd: list[str], log: Path, env: dict[str, str], timeout: float) -> int:
    proc = start(cmd, log, env)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        raise


# --- the loop ---------------------------------------------------------------------------------

@dataclass
class Round:
    number: int
    store: str
    delay: float
    outcome: str                    # killed | finished
    phase: str = ""                 # where the kill struck, as far as the store shows
    wal: bool = False               # the kill left a write-ahead log to replay
    documents_before: int = 0
    documents_after: int = 0
    check: str = ""                 # the check's summary of the store as the kill left it
    failures: list[str] = field(default_factory=list)


@dataclass
class Summary:
    corpus: str
    documents: int
    reference_seconds: float | None
    rounds: list[Round] = field(default_factory=list)
    completed_stores: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not any(r.failures for r in self.rounds)

    def counts(self) -> dict[str, int]:
        killed = [r for r in self.rounds if r.outcome == "killed"]
        return {"rounds": len(self.rounds), "killed": len(killed),
                "finished before the kill": len(self.rounds) - len(killed),
                "killed before the store existed": sum(r.phase == "no store yet" for r in killed),
                "killed during migrations": sum(r.phase == "during migrations" for r in killed),
                "killed with a write-ahead log to replay": sum(r.wal for r in killed),
                "killed after documents were stored": sum(r.documents_after > 0 for r in killed),
                "completed stores equal to the reference": self.completed_stores,
                "failed rounds": sum(bool(r.failures) for r in self.rounds)}


def verify(db: Path, corpus: set[str], before: set[str], rnd: Round) -> set[str]:
    """Check the store as the kill left it; record failures on ``rnd``; return its documents."""
    if not db.exists():
        rnd.phase = "no store yet"
        return set()
    rnd.wal = Path(f"{db}.wal").exists()
    try:
        report = check_store(db)
        if not report.ok and [f.name for f in report.findings if not f.ok] == ["schema"] and unfinished(db):
            # killed while the store was being created: each migration is its own transaction,
            # so the store is a complete older schema; opening it for writing (as the next run
            # does) finishes it
            rnd.phase = "during migrations"
            rnd.check = report.summary()
            Store(db).close()
            report = check_store(db)
        rnd.check = f"{rnd.check} -> {report.summary()}" if rnd.check else report.summary()
        if not report.ok:
            rnd.failures.append(f"check failed: {report.summary()}: "
                                + "; ".join(e for f in report.findings for e in f.examples))
        ids = stored_ids(db)
    except (FactionsError, duckdb.Error) as exc:
        rnd.failures.append(f"store does not open: {exc}")
        return before
    rnd.phase = rnd.phase or ("store present" if ids else "store empty")
    lost = before - ids
    if lost:
        rnd.failures.append(f"{len(lost)} committed documents lost")
    foreign = ids - corpus
    if foreign:
        rnd.failures.append(f"{len(foreign)} stored documents are not in the corpus")
    return ids


def crashloop(corpus: Path, work: Path, *, rounds: int, seconds: float, batch_size: int,
              max_delay: float | None, seed: int, reference: bool, extra: list[str],
              say: Any = print) -> Summary:
    """Run the kill -9 rounds described in the module docstring."""
    rng = random.Random(seed)
    ids = corpus_ids(corpus)
    log = work / "coder.log"
    env = freeze_source(work)
    summary = Summary(str(corpus), len(ids), None)
    want: dict[str, Any] | None = None
    if reference:
        ref = work / "reference.duckdb"
        started = time.monotonic()
        code = run_to_end(code_command(corpus, ref, batch_size, extra), log, env, timeout=24 * 3600)
        summary.reference_seconds = round(time.monotonic() - started, 1)
        if code != 0:
            summary.failures.append(f"reference run exited {code} (see {log})")
            return summary
        want = fingerprint(ref)
        say(f"reference run: {len(ids)} documents in {summary.reference_seconds} s")
    delay_limit = max_delay or summary.reference_seconds or 15.0

    def completed(db: Path, where: str) -> None:
        report = check_store(db)
        got = stored_ids(db)
        if not report.ok:
            summary.failures.append(f"{where}: completed store fails the check: {report.summary()}")
        if got != ids:
            summary.failures.append(f"{where}: completed store holds {len(got)} of {len(ids)} documents")
        if want is not None:
            diff = differences(fingerprint(db), want)
            summary.failures.extend(f"{where}: differs from the reference: {d}" for d in diff)
            summary.completed_stores += not diff

    cycle = 0
    db = work / f"crash{cycle}.duckdb"
    before: set[str] = set()
    deadline = time.monotonic() + seconds
    for number in range(1, rounds + 1):
        if time.monotonic() >= deadline:
            break
        delay = round(rng.uniform(0, delay_limit), 2)
        proc = start(code_command(corpus, db, batch_size, extra), log, env)
        try:
            code = proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            kill(proc)
            rnd = Round(number, db.name, delay, "killed", documents_before=len(before))
            before = verify(db, ids, before, rnd)
            rnd.documents_after = len(before)
        else:
            rnd = Round(number, db.name, delay, "finished", phase="complete",
                        documents_before=len(before))
            if code != 0:
                rnd.failures.append(f"the run exited {code} (see {log})")
            completed(db, f"round {number}")
            rnd.documents_after = len(stored_ids(db))
            cycle += 1
            db, before = work / f"crash{cycle}.duckdb", set()
        summary.rounds.append(rnd)
        say(f"round {number}: {rnd.outcome} after {delay} s ({rnd.phase}); documents "
            f"{rnd.documents_before} -> {rnd.documents_after}; check {rnd.check or '-'}"
            + (f"; FAILED: {'; '.join(rnd.failures)}" if rnd.failures else ""))
    if before or db.exists():
        # the store the last kill left behind: an uninterrupted re-run must complete it
        code = run_to_end(code_command(corpus, db, batch_size, extra), log, env, timeout=24 * 3600)
        if code != 0:
            summary.failures.append(f"the completing re-run exited {code} (see {log})")
        completed(db, "completing re-run")
        say(f"completing re-run of {db.name}: {len(stored_ids(db))} of {len(ids)} documents")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Arguments after -- go to `factions code`.")
    parser.add_argument("--rounds", type=int, default=20, help="Kill rounds at most (default 20).")
    parser.add_argument("--seconds", type=float, default=600,
                        help="Start no round after this many seconds (default 600).")
    parser.add_argument("--docs", type=int, default=1000, help="Documents to generate (default 1000).")
    parser.add_argument("--corpus", type=Path, help="Code this folder instead of a generated corpus.")
    parser.add_argument("--workdir", type=Path, help="Keep stores and the coder's log here "
                                                      "(default: a temporary folder, deleted).")
    parser.add_argument("--batch-size", type=int, default=8,
                        help="factions code --batch-size: small batches, many commits (default 8).")
    parser.add_argument("--max-delay", type=float,
                        help="Kill within this many seconds of the start (default: the reference run's time).")
    parser.add_argument("--no-reference", action="store_true",
                        help="Skip the uninterrupted reference run (completed stores are then only checked).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed of the kill delays.")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    args = parser.parse_args(argv)

    with (nullcontext(str(args.workdir)) if args.workdir
          else tempfile.TemporaryDirectory(prefix="crashloop-")) as folder:
        work = Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        corpus = args.corpus or make_corpus(work / "corpus", args.docs)
        say = (lambda *_: None) if args.json else print
        summary = crashloop(corpus, work, rounds=args.rounds, seconds=args.seconds,
                            batch_size=args.batch_size, max_delay=args.max_delay, seed=args.seed,
                            reference=not args.no_reference, extra=extra, say=say)
    result = {"ok": summary.ok, **summary.counts(), "documents": summary.documents,
              "reference_seconds": summary.reference_seconds, "failures": summary.failures,
              "rounds_detail": [asdict(r) for r in summary.rounds]}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, value in summary.counts().items():
            print(f"{key:>42}: {value}")
        for failure in summary.failures + [f for r in summary.rounds for f in r.failures]:
            print(f"FAILED: {failure}")
        print("ok" if summary.ok else "FAILED")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
