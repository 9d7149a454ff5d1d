"""Regenerate docs/screenshot.png: the web app on the worked example.

    python scripts/screenshot.py [--out docs/screenshot.png]

Codes the worked example (../shared/corpus, read in place, never copied) and the sample article
shipped with factions into a temporary store, starts `factions serve` on 127.0.0.1, opens the
page in Debian's headless Chromium (scripts/setup-debian.sh) and clicks the tie behind the
drone strike so the evidence panel shows the sentence with its words highlighted.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "worked.duckdb"
        sample = Path(tmp) / "example_news.txt"
        sample.write_text(resources.files("factions.data").joinpath("examples", "example_news.txt")
                          .read_text(encoding="utf-8"), encoding="utf-8")
        inputs = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
        if not inputs:
            print(f"note: {CORPUS} is absent; showing only the shipped sample", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "factions.cli", "code", *map(str, inputs), str(sample),
                        "--db", str(db), "--format", "jsonl", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "factions.cli", "serve", "--db", str(db),
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            for _ in range(100):
                try:
                    if httpx.get(url + "api/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                page.goto(url)
                page.wait_for_function("() => window.factions.cy && window.factions.cy.nodes().length > 0")
                page.wait_for_function("() => !window.factions.cy.nodes().some(n => n.renderedPosition().x === 0)")
                point = page.evaluate(
                    """() => { const cy = window.factions.cy;
                         const e = cy.edges().filter(x => [x.source().id(), x.target().id()].includes('USA')
                             && [x.source().id(), x.target().id()].some(id => id.includes('soleimani')))[0]
                             || cy.edges()[0];
                         return e.renderedMidpoint(); }""")
                box = page.locator("#cy").bounding_box()
                page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
                page.locator("#edge-events li").first.click()
                page.wait_for_timeout(500)
                page.screenshot(path=args.out)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
