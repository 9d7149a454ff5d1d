"""Long documents: does coding one document cost time in proportion to its length?

Builds single documents of growing length from the seeded news-like corpus (bench/corpus.py)
and codes each with one Coder (the model loaded before any clock starts). The baseline is the
shortest document, measured in the same run: ``per-char ratio`` is seconds per character
relative to it, so a linear coder stays near 1.0 and a quadratic one grows with the length
(before 5619e41: 2.2 at 200,000 characters, and growing). Results go in bench/RESULTS.md.

    python bench/bench_long.py --sizes 25000 50000 100000 200000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/corpus.py, next to this file)

from factions.coder import Coder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000],
                    help="document lengths in characters, the first is the baseline")
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    longest = max(a.sizes)
    text = ""
    for rec in corpus.generate(docs=10 * (longest // 2_000 + 1), seed=a.seed, sizes=(30, 90)):
        text += rec["text"] + "\n\n"
        if len(text) >= longest:
            break
    coder = Coder()
    coder.code_texts(["Police arrested protesters in Minsk."])  # warm up: lazy tables load here
    print("| characters | seconds | events | per-char ratio |")
    print("|---:|---:|---:|---:|")
    base = None
    for n in a.sizes:
        start = time.perf_counter()
        coded = coder.code_texts([text[:n]])
        seconds = time.perf_counter() - start
        per_char = seconds / n
        base = base or per_char
        print(f"| {n:,} | {seconds:.2f} | {len(coded[0].events):,} | {per_char / base:.2f} |", flush=True)


if __name__ == "__main__":
    main()
