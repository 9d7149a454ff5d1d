"""Scale benchmark: raw spaCy vs ``factions code`` on 1 and all cores, locally and on Dask.

Generates a news-like corpus (bench/corpus.py, >= 2M words by default) as JSONL, then runs,
each as its own process, timed end to end (start-up, model loading and the final store write
included) on the same corpus:

1. raw      the bare spaCy model's ``nlp.pipe`` over the texts, one process;
2. local/1  ``factions code --engine local --workers 1`` (in-process, no pool);
3. local/N  ``factions code --engine local --workers N`` (N = all cores);
4. dask/1   ``factions code --engine dask --workers 1`` (a LocalCluster of 1 worker process);
5. dask/N   ``factions code --engine dask --workers N``.

Each gets a new store. While a run lasts, its whole process tree is sampled (psutil) for peak
resident memory (the sum over processes: a pool's workers each hold a pipeline), CPU time
(user + system, summed over every process seen) and the load average. Printed ratios and targets:

- coding / raw parse       local/1 words/s over raw words/s            (>= 0.7)
- scaling                  local/N over local/1                        (>= 0.85 x N)
- dask vs local            dask/N over local/N, dask/1 over local/1    (>= 0.9)

On a shared machine other processes take cores: compare the load average column with the
core count, and rerun when the machine is quiet if it was busy. Results go in
bench/RESULTS.md under "## Scale".

    python bench/bench_scale.py                      # 2M words: about 25 minutes on 2 cores
    python bench/bench_scale.py --words 200000       # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/corpus.py, next to this file)

FACTIONS = str(Path(sys.executable).with_name("factions"))


@dataclass
class Run:
    """One measured configuration."""

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss: int = 0                           # bytes, summed over the process tree
    loads: list[float] = field(default_factory=list)

    def words_per_second(self, words: int) -> float:
        return words / self.seconds

    @property
    def load(self) -> float:
        return sum(self.loads) / len(self.loads) if self.loads else os.getloadavg()[0]


def _sample_tree(proc: psutil.Process, cpu: dict[int, float]) -> int:
    """The tree's resident memory now; records each process's CPU seconds so far in ``cpu``."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            with p.oneshot():
                total += p.memory_info().rss
                t = p.cpu_times()
                cpu[p.pid] = t.user + t.system
        except psutil.Error:  # exited between listing and reading
            pass
    return total


def measure(name: str, argv: list[str]) -> Run:
    """Run ``argv`` to completion, sampling its process tree's memory and the load average."""
    run = Run(name)
    cpu: dict[int, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        # pool and cluster workers are grandchildren nobody here waits for, so getrusage would
        # miss them: sample the tree instead (the last half second of each process is lost)
        while not done.wait(0.5):
            try:
                run.peak_rss = max(run.peak_rss, _sample_tree(ps, cpu))
            except psutil.Error:
                pass
            run.loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    run.seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    run.cpu_seconds = sum(cpu.values())
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    return run


def raw_parse(path: str, batch_size: int) -> None:
    """The raw configuration (run in a child process): parse every text with the bare model."""
    from factions.nlp.pipeline import load_model

    nlp = load_model()
    texts = (json.loads(line)["text"] for line in open(path, encoding="utf-8"))
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=2_000_000, help="corpus size (default 2000000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N, the all-cores count")
    ap.add_argument("--batch-size", type=int, default=64, help="factions code --batch-size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="run only these configurations (raw local/1 local/N dask/1 dask/N)")
    ap.add_argument("--raw-parse", metavar="JSONL", help=argparse.SUPPRESS)  # the raw child process
    a = ap.parse_args()
    if a.raw_parse:
        from factions.coder import DEFAULT_BATCH

        raw_parse(a.raw_parse, DEFAULT_BATCH)
        return

    n = a.workers
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "corpus.jsonl"
        docs = corpus.write(path, corpus.generate(words=a.words, seed=a.seed))
        words = sum(len(json.loads(line)["text"].split()) for line in path.open(encoding="utf-8"))
        print(f"corpus: {docs} documents, {words:,} words, {path.stat().st_size / 1e6:.1f} MB", flush=True)

        def code(engine: str, workers: int) -> list[str]:
            db = work / f"{engine}-{workers}.duckdb"
            return [FACTIONS, "code", str(path), "--db", str(db), "--engine", engine, "--workers", str(workers),
                    "--batch-size", str(a.batch_size), "--format", "none", "--quiet"]

        plan = {
            "raw": [sys.executable, __file__, "--raw-parse", str(path)],
            "local/1": code("local", 1),
            f"local/{n}": code("local", n),
            "dask/1": code("dask", 1),
            f"dask/{n}": code("dask", n),
        }
        wanted = {w.replace("/N", f"/{n}") for w in a.only} if a.only else set(plan)
        runs: dict[str, Run] = {}
        for name, argv in plan.items():
            if name in wanted:
                runs[name] = measure(name, argv)
                r = runs[name]
                print(f"{name}: {r.seconds:.1f} s, {r.words_per_second(words):,.0f} words/s, "
                      f"load {r.load:.1f}", flush=True)

    print(f"\n# Scale ({date.today()}, {platform.node()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()})")
    print(f"corpus: {docs} documents, {words:,} words (seed {a.seed}); --batch-size {a.batch_size}\n")
    print("| run | seconds | words/s | CPU s | peak memory | load avg |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in runs.items():
        print(f"| {name} | {r.seconds:.1f} | {r.words_per_second(words):,.0f} | {r.cpu_seconds:.0f} | "
              f"{r.peak_rss / 2**20:,.0f} MiB | {r.load:.1f} |")

    def ratio(a_: str, b_: str) -> float | None:
        return runs[a_].seconds and runs[b_].seconds / runs[a_].seconds if a_ in runs and b_ in runs else None

    print("\n| ratio | value | target |")
    print("|---|---:|---:|")
    for label, value, target in (
            ("coding / raw parse (local/1 vs raw)", ratio("local/1", "raw"), 0.7),
            (f"scaling local/{n} vs local/1", ratio(f"local/{n}", "local/1"), 0.85 * n),
            (f"dask/{n} vs local/{n}", ratio(f"dask/{n}", f"local/{n}"), 0.9),
            ("dask/1 vs local/1", ratio("dask/1", "local/1"), 0.9)):
        if value is not None:
            print(f"| {label} | {value:.2f} | >= {target:.2f} {'ok' if value >= target else 'MISSED'} |")


if __name__ == "__main__":
    main()
