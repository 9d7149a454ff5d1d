"""Reliability: bad input, kill -9 and a concurrent reader never lose data; installs are pinned.

Everything is real: DuckDB files, `factions code` in-process (CliRunner) and as a subprocess,
SIGKILL, a second process reading the store while the coder writes it.

Run as a script, this module prints constraints.txt (see the constraints tests below):

    python tests/test_reliability.py > constraints.txt
"""

from __future__ import annotations

import codecs
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"


# --- pinned dependencies ------------------------------------------------------------------------

#: Left out as `pip freeze` leaves them out: pinning them would also pin the isolated build
#: environment, where pyproject's build-system asks for setuptools>=68 (spaCy and thinc name
#: setuptools as a runtime dependency too, without a version).
PACKAGING_TOOLS = frozenset({"pip", "setuptools", "wheel", "distribute"})


def dependency_closure(root: str = "factions", extras: tuple[str, ...] = ("test",)) -> dict[str, str]:
    """Every installed distribution ``root[extras]`` needs, transitively: name -> version.

    Requirements are followed with their markers evaluated for this interpreter and the extras
    asked for (``dask[distributed]`` brings distributed). ``root`` itself and the packaging
    tools are left out.
    """
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = [(root, e) for e in ("", *extras)]
    while todo:
        name, extra = todo.pop()
        key = canonicalize_name(name)
        if (key, extra) in seen:
            continue
        seen.add((key, extra))
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise AssertionError(f"{name} is required but not installed") from None
        if extra and extra not in (dist.metadata.get_all("Provides-Extra") or []):
            # pip matches extras literally: justext asks for lxml[html_clean], lxml 6 provides
            # 'html-clean', and pip installs plain lxml with a warning. Do the same.
            continue
        if key != canonicalize_name(root) and key not in PACKAGING_TOOLS:
            found[dist.metadata["Name"]] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": extra}):
                continue
            todo.extend((req.name, e) for e in ("", *req.extras))
    return found


def constraints_text() -> str:
    pins = dependency_closure()
    lines = ["# Exact versions of every distribution `factions[test]` needs (Python 3.11, Linux),",
             "# from the environment the test suite passes in. scripts/test.sh installs with",
             "# `pip install -c constraints.txt`. Regenerate after changing dependencies:",
             "#     python tests/test_reliability.py > constraints.txt"]
    lines += [f"{name}=={pins[name]}" for name in sorted(pins, key=str.lower)]
    return "\n".join(lines) + "\n"


def pinned() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt: '{line}' is not an exact pin (name==version)"
            pins[canonicalize_name(name)] = version
    return pins


def test_every_dependency_in_pyproject_is_pinned() -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + [r for group in project["optional-dependencies"].values()
                                          for r in group]
    pins = pinned()
    for line in declared:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is not pinned in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {req.name}=={pins[name]}, outside pyproject's '{req.specifier}'")


def test_constraints_pin_the_whole_tested_environment() -> None:
    # the transitive closure too, at the versions installed here: a fresh install is this one
    from packaging.utils import canonicalize_name

    installed = {canonicalize_name(n): v for n, v in dependency_closure().items()}
    pins = pinned()
    assert sorted(set(installed) - set(pins)) == [], "not pinned (regenerate constraints.txt)"
    assert sorted(set(pins) - set(installed)) == [], "pinned but not needed (regenerate constraints.txt)"
    drift = {n: (pins[n], v) for n, v in installed.items() if pins[n] != v}
    assert drift == {}, f"pinned vs installed versions differ (regenerate constraints.txt): {drift}"


def test_the_test_script_installs_with_the_constraints() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt", script), script


# --- ingest bugs found by the end-to-end run ----------------------------------------------------

def test_lone_surrogates_in_json_and_filenames_are_storable(tmp_path: Path) -> None:
    from factions.ingest import iter_inputs
    from factions.model import Document, content_hash
    from factions.store.db import Store

    (tmp_path / "a.jsonl").write_text(
        '{"id": "x\\udc80", "title": "T\\ud800", "text": "Russia struck Kyiv \\ud800 on Monday."}\n'
        '{"id": 2, "\\udfff": 1}\n', encoding="utf-8")
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 filename on a UTF-8 file system
    (tmp_path / name).write_text("Police arrested protesters in Minsk.", encoding="utf-8")
    items = list(iter_inputs([tmp_path]))
    doc, err, named = items
    assert doc.text == "Russia struck Kyiv \ufffd on Monday." and doc.id == content_hash(doc.text)
    assert (doc.source_id, doc.title) == ("x\ufffd", "T\ufffd")
    assert err.code == "E109" and err.message == "no text field 'text' (available fields: id, \ufffd)"
    assert isinstance(named, Document) and named.path == str(tmp_path / "caf\\xe9.txt")
    with Store(tmp_path / "s.duckdb") as store:  # UTF-8 only: a surrogate would raise here
        from factions.model import CodedDocument

        store.add([CodedDocument(doc), CodedDocument(named)])
        store.add_errors([err])
        assert store.document(doc.id) == doc and store.errors() == [err]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_jsonl_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    from factions.ingest import iter_inputs

    lines = [json.dumps({"id": 1, "text": "Kämpfer griffen Kidal an – 🕊"}, ensure_ascii=False),
             "{broken", json.dumps({"id": 3, "text": "x" * 70_000}),  # over the line limit
             json.dumps({"id": 4, "text": "Fine."})]
    data = "\r\n".join(lines).encode(encoding)
    if encoding == "utf-16-be":  # this codec writes no BOM
        data = codecs.BOM_UTF16_BE + data
    (tmp_path / "a.jsonl").write_bytes(data)
    got = [(getattr(i, "code", None), i.source_id, getattr(i, "text", None))
           for i in iter_inputs([tmp_path / "a.jsonl"], max_chars=100)]
    assert got == [(None, "1", "Kämpfer griffen Kidal an – 🕊"), ("E108", "line 2", None),
                   ("E116", "line 3", None), (None, "4", "Fine.")]


# --- the bad-input corpus, end to end ------------------------------------------------------------

@dataclass
class Corpus:
    """A folder of inputs and what `factions code` must make of it."""

    folder: Path
    good: set[str] = field(default_factory=set)              # file names of coded documents
    texts: dict[str, str] = field(default_factory=dict)      # file name -> exact stored text
    bad: list[tuple[str, str]] = field(default_factory=list)  # (file name, error code), one per line

    def documents(self) -> Counter[str]:
        """File name -> how many documents it holds."""
        return Counter({name: 2 if name.endswith("mixed.jsonl") else 1 for name in self.good})


def build_corpus(folder: Path, *, bad: bool, unreadable: bool) -> Corpus:
    """Good files in every format and encoding; with ``bad``, one of each kind of bad input.

    ``unreadable``: the chmod-000 file will really be unreadable to the coder (for root only
    in a process without CAP_DAC_OVERRIDE); otherwise it is a plain good file.
    """
    from test_ingest import ARTICLE, ARTICLE_HTML, PDF_PAGES, encrypted_pdf, make_pdf

    folder.mkdir(parents=True)
    c = Corpus(folder)

    def good(name: str, data: bytes, text: str | None = None) -> None:
        (folder / os.fsdecode(name.encode("latin-1"))).write_bytes(data)
        shown = name.encode("latin-1").decode("utf-8", "backslashreplace")
        c.good.add(shown)
        if text is not None:
            c.texts[shown] = text

    def wrong(name: str, data: bytes, code: str) -> None:
        (folder / name).write_bytes(data)
        c.bad.append((name, code))

    good("good.txt", ARTICLE.encode(), ARTICLE)
    latin = "Café talks in Asunción failed after rebels attacked Kidal, officials said."
    good("latin1.txt", latin.encode("latin-1"), latin)
    unicode = "Kämpfer griffen Kidal an – «fünf Tote», sagte die Armee. 🕊"
    good("utf16.txt", unicode.encode("utf-16"), unicode)
    # more well-formed UTF-8 than broken bytes: stays UTF-8 (docs/input-formats.md)
    good("broken_utf8.txt", "Kämpfer griffen Gao an – ".encode() + b"\xff" + " fünf Tote.".encode(),
         "Kämpfer griffen Gao an – \ufffd fünf Tote.")
    good("caf\xe9.txt", b"Police arrested dozens of protesters in Minsk on Sunday.",
         "Police arrested dozens of protesters in Minsk on Sunday.")
    good("page.html", ARTICLE_HTML.encode())
    good("deep.html", ("<html><body>" + "<div>" * 5000 + "<p>Militants shelled the port of Hodeidah.</p>"
                       + "</div>" * 5000 + "</body></html>").encode(),
         "Militants shelled the port of Hodeidah.")
    good("report.pdf", make_pdf(PDF_PAGES))
    good("rows.csv", b'id,text\n1,"Israeli warplanes struck Hamas positions in Gaza on Friday."\n',
         "Israeli warplanes struck Hamas positions in Gaza on Friday.")
    windows = "Проте́сты в Минске: police detained 40 people, «Viasna» said."
    good("windows.jsonl", (json.dumps({"text": windows}, ensure_ascii=False) + "\r\n").encode("utf-16"), windows)
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["Clashes in Tripoli killed four, officials said."]}),
                   folder / "rows.parquet")
    c.good.add("rows.parquet")
    # JSONL with a JSON escape that is not Unicode text and, with ``bad``, a broken line
    lines = [json.dumps({"id": "a", "text": "Shelling in Donetsk wounded three."}),
             *(["{broken json"] if bad else []),
             '{"id": "b", "text": "Russia struck Kyiv \\ud800 on Monday."}']
    good("mixed.jsonl", ("\n".join(lines) + "\n").encode())
    if bad:
        c.bad.append(("mixed.jsonl", "E108"))
        wrong("empty.txt", b"", "E102")
        wrong("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4, "E101")
        wrong("nobom_utf16.txt", "Rebels attacked Kidal.".encode("utf-16-le"), "E101")
        wrong("broken_utf16.txt", codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8", "E103")
        with (folder / "huge.txt").open("wb") as fh:  # 50 MB on one line
            for _ in range(50):
                fh.write(b"war " * 262_144)
        c.bad.append(("huge.txt", "E104"))
        wrong("encrypted.pdf", encrypted_pdf("secret"), "E112")
        wrong("truncated.pdf", make_pdf(PDF_PAGES)[:300], "E106")
        wrong("scan.pdf", make_pdf([[]], image_only=True), "E113")
        wrong("nocolumn.csv", b"id,body\n1,Troops entered Goma.\n", "E109")
        wrong("corrupt.parquet", b"PAR1 not really parquet PAR1", "E115")
        os.symlink("loop_b.txt", folder / "loop_a.txt")
        os.symlink("loop_a.txt", folder / "loop_b.txt")
        c.bad += [("loop_a.txt", "E111"), ("loop_b.txt", "E111")]
        secret = folder / "unreadable.txt"
        secret.write_bytes(b"Protesters marched in Khartoum.")
        secret.chmod(0)
        if unreadable:
            c.bad.append(("unreadable.txt", "E110"))
        else:
            c.good.add("unreadable.txt")
    return c


def can_drop_read_override() -> bool:
    """Whether a subprocess can be made to obey file permissions (always, unless root)."""
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def obey_permissions(cmd: list[str]) -> list[str]:
    """``cmd``, run without the capabilities that let root read any file."""
    if os.geteuid() != 0:
        return cmd
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *cmd]


ERROR_LINE = re.compile(r"^error: \[(E\d{3})\] (.+?)(?:#([^:]+))?: (.+)$")


def assert_coded(c: Corpus, db: Path, exit_code: int, stdout: str, stderr: str) -> None:
    """`factions code` coded every good document, and reported every bad file once."""
    from factions.store.check import check_store
    from factions.store.db import Store

    assert exit_code == (1 if c.bad else 0), stderr
    reported = []
    for line in stderr.splitlines():
        if line.startswith("error:"):
            m = ERROR_LINE.match(line)
            assert m, f"not a one-line error naming file and reason: {line!r}"
            code, path, _, reason = m.groups()
            assert Path(path).parent == c.folder and reason.strip(), line
            reported.append((Path(path).name, code))
    assert sorted(reported) == sorted(c.bad)

    report = check_store(db)
    assert report.ok, report.to_dict()  # every stored document has its whole coding
    with Store(db, read_only=True) as store:
        docs = store.documents(with_text=True)
        errors = store.errors()
        events = store.events()
    assert Counter(Path(d.path).name for d in docs) == c.documents()
    for d in docs:
        if Path(d.path).name in c.texts:
            assert d.text == c.texts[Path(d.path).name]
    assert "Russia struck Kyiv \ufffd on Monday." in {d.text for d in docs}
    assert sorted((Path(e.path).name, e.code) for e in errors) == sorted(c.bad)  # one row each
    coded_from = {Path(d.path).name for d in docs if any(e.doc_id == d.id for e in events)}
    assert {"good.txt", "page.html", "report.pdf", "rows.csv"} <= coded_from  # really coded
    printed = json.loads(stdout)
    assert len(printed["documents"]) == len(docs)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("corpora")
    made = {"mixed": build_corpus(base / "mixed", bad=True, unreadable=False),
            "denied": build_corpus(base / "denied", bad=True, unreadable=True),
            "good": build_corpus(base / "good", bad=False, unreadable=False)}
    yield made
    for c in made.values():  # let pytest clean up
        secret = c.folder / "unreadable.txt"
        if secret.exists():
            secret.chmod(0o644)


@pytest.mark.parametrize("name", ["mixed", "good"])
def test_code_a_corpus_of_bad_input_in_process(corpora, tmp_path: Path, name: str) -> None:
    from click.testing import CliRunner

    from factions.cli import main

    c = corpora[name]
    if name == "mixed" and os.geteuid() != 0:  # permissions hold in-process too
        c = corpora["denied"]
    db = tmp_path / "s.duckdb"
    # --workers 1: coded in this process (the subprocess test below runs the worker pool)
    result = CliRunner().invoke(main, ["code", str(c.folder), "--db", str(db), "--format", "json", "--quiet",
                                       "--workers", "1"], catch_exceptions=False)
    assert_coded(c, db, result.exit_code, result.stdout, result.stderr)


@pytest.mark.skipif(not can_drop_read_override(), reason="root without setpriv: cannot deny a read")
def test_code_a_corpus_of_bad_input_in_a_subprocess(corpora, tmp_path: Path) -> None:
    c = corpora["denied"]
    db = tmp_path / "s.duckdb"
    cmd = obey_permissions([sys.executable, "-c", "from factions.cli import main; main()", "code",
                            str(c.folder), "--db", str(db), "--format", "json"])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert_coded(c, db, proc.returncode, proc.stdout, proc.stderr)
    # a re-run codes nothing again, adds nothing, and still says what is wrong
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 1
    from factions.store.db import Store

    with Store(db, read_only=True) as store:
        assert store.counts()["documents"] == sum(c.documents().values())


def test_url_field_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from factions.cli import main
    from factions.store.db import Store

    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Protesters marched in Khartoum.",
                                                  "link": "https://example.org/khartoum"}) + "\n")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(main, ["code", str(tmp_path / "a.jsonl"), "--db", str(db), "--url-field",
                                       "link", "--format", "json", "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"][0]["url"] == "https://example.org/khartoum"
    with Store(db, read_only=True) as store:
        assert [d.url for d in store.documents()] == ["https://example.org/khartoum"]


# --- kill -9, many times ------------------------------------------------------------------------

def crashloop_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crashloop", ROOT / "scripts" / "crashloop.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_kill_9_during_coding_never_damages_the_store(tmp_path: Path) -> None:
    # scripts/crashloop.py on a small corpus: an uninterrupted reference run, then rounds that
    # SIGKILL `factions code` at random moments, checking the store after each; a re-run must
    # complete the store to exactly the reference
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "crashloop.py"), "--docs", "48",
                           "--rounds", "4", "--seconds", "300", "--seed", "3", "--workdir", str(tmp_path),
                           "--json"], capture_output=True, text=True, timeout=1200)
    summary = json.loads(proc.stdout)
    assert proc.returncode == 0 and summary["ok"], (summary, proc.stderr[-2000:])
    assert summary["rounds"] == 4 and summary["failures"] == []
    assert summary["killed"] >= 2, summary  # the seed makes most rounds end in a kill
    assert summary["completed stores equal to the reference"] >= 1
    for rnd in summary["rounds_detail"]:
        assert rnd["documents_after"] >= rnd["documents_before"], rnd  # nothing committed is lost
    # every store the loop left, looked at from outside the script: complete and sound
    from factions.store.check import check_store

    crashloop = crashloop_module()
    ids = crashloop.corpus_ids(tmp_path / "corpus")
    assert len(ids) == 48
    stores = sorted(tmp_path.glob("*.duckdb"))
    assert tmp_path / "reference.duckdb" in stores and len(stores) >= 2
    for store in stores:
        assert check_store(store).ok, store
        assert crashloop.stored_ids(store) == ids, store


STORE_WRITER = textwrap.dedent("""
    import sys
    from factions.model import Actor, CodedDocument, Document, Event, Figure, Mention, stable_id
    from factions.store.db import Store

    def coded(i):
        text = f"Report {i}: Russia struck Kyiv, killing {i % 97 + 2} people, Ukraine said."
        doc = Document.from_text(text, path="reports.jsonl", source_id=str(i))
        at = lambda w: (text.index(w), text.index(w) + len(w))
        (rs, re), (us, ue), (ts, te), (ns, ne) = at("Russia"), at("Ukraine"), at("struck"), at(str(i % 97 + 2))
        return CodedDocument(
            doc, [Actor("RUS", "Russia", "state", "RUS", "GOV", ["Russia"], 1),
                  Actor("UKR", "Ukraine", "state", "UKR", "GOV", ["Ukraine"], 1)],
            [Mention(doc.id, "RUS", "Russia", rs, re), Mention(doc.id, "UKR", "Ukraine", us, ue)],
            [Event(stable_id(doc.id, "e"), doc.id, "ASSAULT", "RUS", "UKR", text=text, end=len(text),
                   trigger="struck", trigger_start=ts, trigger_end=te)],
            [Figure(stable_id(doc.id, "f"), doc.id, "killed", i % 97 + 2, text=text, end=len(text),
                    span_start=ns, span_end=ne)])

    db, total = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)  # imports done: from here on the process is in the store
    for start in range(0, total, 5):  # one store session per batch, as factions code does
        with Store(db) as store:
            store.add([coded(i) for i in range(start, min(start + 5, total))])
    print("done")
""")


@pytest.mark.slow
def test_kill_9_while_writing_the_store(tmp_path: Path) -> None:
    # the store alone, without the coder's start-up and parsing, so that nearly every SIGKILL
    # lands in an open, a commit, a checkpoint or a close
    import random
    import signal

    from factions.store.check import check_store
    from factions.store.db import Store

    db, total, rng = tmp_path / "s.duckdb", 600, random.Random(5)
    cmd = [sys.executable, "-c", STORE_WRITER, str(db), str(total)]
    stored, outcomes = 0, Counter()
    for _ in range(25):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        try:
            proc.wait(timeout=rng.uniform(0, 1.5))
            outcomes["finished"] += 1
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            outcomes["killed with a WAL" if Path(f"{db}.wal").exists() else "killed"] += 1
        if not db.exists():
            continue
        report = check_store(db)
        assert report.ok, report.to_dict()
        assert report.counts["documents"] >= stored  # a committed batch is never lost
        assert report.counts["codings"] == report.counts["documents"]
        stored = report.counts["documents"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "done" in done.stdout, done.stderr
    report = check_store(db)
    assert report.ok and report.counts["documents"] == total
    with Store(db, read_only=True) as store:  # re-runs never counted a mention twice
        assert {a.id: a.mentions for a in store.actors()} == {"RUS": total, "UKR": total}
    assert outcomes["killed"] + outcomes["killed with a WAL"] >= 15, outcomes


# --- a reader while the coder writes ------------------------------------------------------------

READER = textwrap.dedent("""
    import json, os, sys, time
    from factions.errors import FactionsError
    from factions.store.check import check_store
    from factions.store.db import Store, wait_marker

    db, stop, out = sys.argv[1:4]
    seen, failures = [], []
    deadline = time.monotonic() + 700  # past the writer's own timeout: the writer ends first
    while time.monotonic() < deadline:
        last = os.path.exists(stop)
        try:
            with Store(db, read_only=True) as store:
                seen.append(store.counts()["documents"])
            report = check_store(db)  # every state a reader can see is a consistent one
            if not report.ok:
                failures.append(report.summary())
        except FactionsError as exc:
            failures.append(exc.line())
        if last:
            break
        # as the web app does: let go at once when a writer says it is waiting
        marker = wait_marker(db)
        time.sleep(0.5 if marker.exists() and time.time() - marker.stat().st_mtime < 1 else 0.1)
    json.dump({"seen": seen, "failures": failures}, open(out, "w"))
""")


@pytest.mark.slow
def test_a_reader_process_while_factions_code_writes(tmp_path: Path) -> None:
    from factions.store.check import check_store
    from factions.store.db import Store

    crashloop = crashloop_module()
    corpus = crashloop.make_corpus(tmp_path / "corpus", 60)
    db, stop, out = tmp_path / "busy.duckdb", tmp_path / "stop", tmp_path / "reader.json"
    Store(db).close()  # the store exists (as for a web app serving it) before the run starts
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(out)],
                              stderr=subprocess.PIPE, text=True)
    try:
        writer = subprocess.run([sys.executable, "-c", "from factions.cli import main; main()", "code",
                                 str(corpus), "--db", str(db), "--batch-size", "2", "--quiet",
                                 # in-process coding between the store sessions, so the writer's
                                 # commits are spread over the run (a pool's workers can finish
                                 # their batches together, and all commits come in one burst)
                                 "--workers", "1",
                                 "--format", "jsonl"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, timeout=600)
    finally:
        stop.touch()
        _, reader_err = reader.communicate(timeout=120)
    assert writer.returncode == 0, writer.stderr[-2000:]
    assert reader.returncode == 0, reader_err[-2000:]
    result = json.loads(out.read_text())
    seen = result["seen"]
    assert result["failures"] == [], result["failures"][:5]
    assert seen == sorted(seen), seen  # a reader never sees the store shrink
    assert seen[-1] == 60
    assert len(seen) >= 10, seen  # it kept reading during the run...
    assert any(0 < n < 60 for n in seen), seen  # ...between the writer's batches, not only around them
    assert check_store(db).ok


if __name__ == "__main__":
    sys.stdout.write(constraints_text())
