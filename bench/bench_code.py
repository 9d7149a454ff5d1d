"""Coding throughput: words/second of factions' coding end to end next to the bare spaCy parse.

Generates a news-like corpus (bench/corpus.py, >= 200k words by default) as JSONL, then in
this one process measures, alternating so machine load hits both alike:

- raw     ``nlp.pipe`` of the bare spaCy model over the same texts, same batch size;
- factions the coding run behind ``factions code --workers 1`` (read JSONL, normalise, parse,
           code, store in DuckDB), in this process.

Model loading is excluded from both (each pipeline is loaded before its clock starts). The
ratio factions/raw is the share of the parser's speed the whole of factions keeps (target
>= 0.7). Results go in bench/RESULTS.md under "## Coding throughput".

    python bench/bench_code.py --words 200000 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/corpus.py, next to this file)

from factions.coder import DEFAULT_BATCH  # noqa: E402
from factions.nlp.pipeline import load_model, shared_pipeline  # noqa: E402
from factions.run import code_paths  # noqa: E402


def load(path: Path) -> tuple[list[str], int]:
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    return texts, sum(len(t.split()) for t in texts)


def raw_parse(nlp, texts: list[str], batch_size: int) -> float:
    """Seconds for the bare model to parse ``texts``."""
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def factions_code(path: Path, workdir: Path, run: int) -> float:
    """Seconds for a full in-process coding run of ``path`` into a new store."""
    db = workdir / f"bench-{run}.duckdb"
    start = time.perf_counter()
    report = code_paths([str(path)], db, engine="local", workers=1, keep_ids=False)
    seconds = time.perf_counter() - start
    assert report.coded > 0 and not report.errors, report.errors[:3]
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=200_000, help="corpus size (default 200000)")
    ap.add_argument("--repeat", type=int, default=1, help="measure each pipeline this many times (best kept)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "corpus.jsonl"
        docs = corpus.write(path, corpus.generate(words=a.words, seed=a.seed))
        texts, words = load(path)
        nlp = load_model()
        shared_pipeline()  # the coder's pipeline, loaded before any clock starts
        load_before = os.getloadavg()[0]
        raw_s: list[float] = []
        fac_s: list[float] = []
        for run in range(a.repeat):
            raw_s.append(raw_parse(nlp, texts, DEFAULT_BATCH))
            fac_s.append(factions_code(path, work, run))
        load_after = os.getloadavg()[0]

    raw, fac = words / min(raw_s), words / min(fac_s)
    print(f"# Coding throughput ({date.today()}, {platform.node()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()})")
    print(f"corpus: {docs} documents, {words:,} words (seed {a.seed}); batch size {DEFAULT_BATCH}; "
          f"best of {a.repeat}; load average {load_before:.1f} -> {load_after:.1f}")
    print()
    print("| pipeline | seconds | words/s | vs raw |")
    print("|---|---:|---:|---:|")
    print(f"| raw spaCy nlp.pipe | {min(raw_s):.1f} | {raw:,.0f} | 1.00 |")
    print(f"| factions code (read, code, store) | {min(fac_s):.1f} | {fac:,.0f} | {fac / raw:.2f} |")
    if a.repeat > 1:
        print(f"\nall runs, raw: {', '.join(f'{s:.1f}' for s in raw_s)} s; factions: "
              f"{', '.join(f'{s:.1f}' for s in fac_s)} s (median ratio "
              f"{statistics.median(raw_s) / statistics.median(fac_s):.2f})")
    print(f"\nratio factions/raw = {fac / raw:.2f} (target >= 0.70): {'PASS' if fac / raw >= 0.7 else 'FAIL'}")


if __name__ == "__main__":
    main()
