"""The ingest stage: every reader, every bad input, directory walking.

All fixture files are written here, at test time, into tmp_path.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import time
import tracemalloc
import warnings
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from factions.errors import FactionsError
from factions.ingest import count_inputs, iter_inputs, known_suffixes
from factions.ingest.readers import DEFAULT_MAX_CHARS, READERS, decode_text, iso_date, suffix_of
from factions.model import Document, IngestError, content_hash

ARTICLE = ("Rebels attacked the town of Kidal on Monday, killing five soldiers.\n"
           "The army said it would respond.\n")


def run(*paths: Path | str, **options) -> list[Document | IngestError]:
    return list(iter_inputs(paths, **options))


def docs(items) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


def only(items) -> Document | IngestError:
    assert len(items) == 1, items
    return items[0]


def only_error(items, code: str) -> IngestError:
    err = only(items)
    assert isinstance(err, IngestError), err
    assert err.code == code, err
    return err


def reason(code: str, **fields) -> str:
    return FactionsError(code, **fields).reason


# --- a PDF written by hand: no PDF-making dependency ---------------------------------------------

def make_pdf(pages: list[list[str]], *, title: str | None = None, image_only: bool = False) -> bytes:
    """A valid PDF; each page shows its lines in Helvetica (or just a 1-pixel image)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            ("<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages))).encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        if image_only:
            stream = b"q 100 0 0 100 72 600 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"
        else:
            ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
            for line in lines:
                escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"({escaped}) Tj T*")
            ops.append("ET")
            stream = "\n".join(ops).encode("latin-1")
        objs.append(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                     f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>").encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = ""
    if title:
        objs.append(f"<< /Title ({title}) >>".encode("latin-1"))
        info = f" /Info {len(objs)} 0 R"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


PDF_PAGES = [["Rebels attacked the town of Kidal on Monday.", "Five soldiers were killed."],
             ["The army said it would respond."]]


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PDF_PAGES))))
    writer.encrypt(user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- registry ---------------------------------------------------------------------------------

def test_registry_covers_every_input_kind() -> None:
    for suffix in (".txt", ".text", ".md", ".html", ".htm", ".pdf", ".jsonl", ".ndjson",
                   ".jsonl.gz", ".csv", ".tsv", ".csv.gz", ".tsv.gz", ".parquet"):
        assert suffix in READERS, suffix
    assert list(known_suffixes()) == sorted(READERS)


@pytest.mark.parametrize("name, suffix", [
    ("a.txt", ".txt"), ("A.TXT", ".txt"), ("news.2021.txt", ".txt"), ("x.jsonl.gz", ".jsonl.gz"),
    ("x.CSV.GZ", ".csv.gz"), ("x.txt.gz", ".gz"), ("README", ""), ("x.tar.gz", ".gz"),
])
def test_suffix_of(name: str, suffix: str) -> None:
    assert suffix_of(Path(name)) == suffix


# --- plain text -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report.txt", "report.text", "report.md"])
def test_text_file_is_one_document_with_original_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    doc = only(run(path))
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE  # not normalised: the line break is still there
    assert doc.id == content_hash(ARTICLE)
    assert doc.path == str(path)
    assert (doc.source_id, doc.title, doc.date, doc.url) == (None, None, None, None)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_text_with_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    text = "Kämpfer griffen Kidal an – «fünf Tote» 🕊"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM: add it
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    (tmp_path / "a.txt").write_bytes(data)
    assert only(run(tmp_path / "a.txt")).text == text


def test_latin1_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Café talks in Asunción failed.".encode("latin-1"))
    assert only(run(tmp_path / "a.txt")).text == "Café talks in Asunción failed."


def test_cp1252_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\u201cWe will respond\u201d \u2013 the army.".encode("cp1252"))
    assert only(run(tmp_path / "a.txt")).text == "\u201cWe will respond\u201d \u2013 the army."


def test_invalid_utf8_keeps_the_good_characters(tmp_path: Path) -> None:
    # UTF-8 with one corrupt byte: the rest must not turn into cp1252 mojibake
    data = "Kämpfer in Gao – ".encode() + b"\xff" + " fünf Tote.".encode()
    (tmp_path / "a.txt").write_bytes(data)
    assert only(run(tmp_path / "a.txt")).text == "Kämpfer in Gao – \ufffd fünf Tote."


def test_decode_text_directly() -> None:
    assert decode_text(b"plain ascii") == "plain ascii"
    assert decode_text(codecs.BOM_UTF8 + "é".encode()) == "é"
    with pytest.raises(FactionsError) as info:
        decode_text(b"\x00\x01\x02")
    assert info.value.code == "E101"


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = only_error(run(tmp_path / "photo.txt"), "E101")
    assert err.message == reason("E101", detail="contains NUL bytes")


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(bytes(range(1, 32)) * 20 + b"some text")
    assert "control characters" in only_error(run(tmp_path / "x.txt"), "E101").message


def test_utf16_without_bom_is_reported_helpfully(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Rebels attacked Kidal.".encode("utf-16-le"))
    assert "UTF-16" in only_error(run(tmp_path / "a.txt"), "E101").message


def test_utf8_bom_with_a_broken_byte(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF8 + "Gao – ".encode() + b"\xff")
    assert only(run(tmp_path / "a.txt")).text == "Gao – \ufffd"


def test_broken_utf16(tmp_path: Path) -> None:
    # a BOM promises UTF-16, then a lone high surrogate breaks it
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8")
    assert only_error(run(tmp_path / "a.txt"), "E103").message.startswith("cannot decode text")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n", codecs.BOM_UTF8])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "a.txt").write_bytes(content)
    err = only_error(run(tmp_path / "a.txt"), "E102")
    assert err.message == "empty document"


def test_max_chars(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x" * 101)
    err = only_error(run(tmp_path / "a.txt", max_chars=100), "E104")
    assert err.message == reason("E104", size="101", limit="100")
    assert only(run(tmp_path / "a.txt", max_chars=101)).length == 101


def test_50mb_single_line_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with path.open("wb") as fh:
        chunk = b"war " * 262_144  # 1 MiB
        for _ in range(50):
            fh.write(chunk)
    started = time.perf_counter()
    err = only_error(run(path), "E104")  # default limit: DEFAULT_MAX_CHARS (2,000,000)
    assert time.perf_counter() - started < 1.0
    assert err.message.startswith("document too large: at least 13,107,199 characters")
    assert f"limit {DEFAULT_MAX_CHARS:,}" in err.message


def test_text_just_over_the_limit_is_counted_exactly(tmp_path: Path) -> None:
    # small enough to read, too long once decoded
    (tmp_path / "a.txt").write_text("é" * 1_000_001, encoding="utf-8")
    err = only_error(run(tmp_path / "a.txt", max_chars=1_000_000), "E104")
    assert "1,000,001 characters" in err.message


def test_invalid_max_chars_is_raised_at_once() -> None:
    with pytest.raises(FactionsError) as info:
        iter_inputs(["whatever.txt"], max_chars=0)
    assert info.value.code == "E603"


# --- HTML -------------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Clashes in Kidal | Sahel Monitor</title>
<meta property="og:title" content="Clashes in Kidal">
<meta property="article:published_time" content="2021-03-04T08:00:00Z">
<link rel="canonical" href="https://news.example.org/sahel/kidal-clashes">
</head><body>
<nav><a href="/">Home</a> <a href="/sahel">Sahel</a> <a href="/about">About us</a></nav>
<article>
<h1>Clashes in Kidal</h1>
<p>Rebels attacked the town of Kidal on Monday, killing five soldiers, the army said in a
statement. The attack began before dawn and lasted several hours.</p>
<p>The army said it would respond. A spokesman for the rebels said the group had taken control
of two checkpoints on the road to Gao and would hold them.</p>
<p>Residents said hundreds of families had fled towards the Algerian border since Sunday.</p>
</article>
<footer>Copyright Sahel Monitor. All rights reserved.</footer>
<script>var tracking = "should never appear";</script>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "kidal.html").write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only(run(tmp_path / "kidal.html"))
    assert isinstance(doc, Document)
    assert "Rebels attacked the town of Kidal on Monday" in doc.text
    assert "Residents said hundreds of families" in doc.text
    assert "tracking" not in doc.text and "All rights reserved" not in doc.text
    assert "\n\n" in doc.text  # paragraphs stay apart
    assert doc.title == "Clashes in Kidal"
    assert doc.date == "2021-03-04"
    assert doc.url == "https://news.example.org/sahel/kidal-clashes"


def test_html_declared_charset(tmp_path: Path) -> None:
    html = ('<html><head><meta charset="windows-1252"><title>Asunción</title></head>'
            '<body><p>Talks in Asunción failed on Friday.</p></body></html>')
    (tmp_path / "a.htm").write_bytes(html.encode("cp1252"))
    doc = only(run(tmp_path / "a.htm"))
    assert "Talks in Asunción failed on Friday." in doc.text


def test_deeply_nested_html_does_not_crash(tmp_path: Path) -> None:
    html = ("<html><head><title>Deep</title></head><body>" + "<div>" * 5000
            + "<p>Militants shelled the port of Hodeidah.</p>" + "</div>" * 5000 + "</body></html>")
    (tmp_path / "deep.html").write_text(html)
    doc = only(run(tmp_path / "deep.html"))
    assert isinstance(doc, Document)
    assert doc.text == "Militants shelled the port of Hodeidah."
    assert doc.title == "Deep"


def test_html_without_text(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><head><script>x = 1</script></head><body> </body></html>")
    only_error(run(tmp_path / "a.html"), "E102")


def test_binary_html(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(gzip.compress(ARTICLE_HTML.encode()))
    only_error(run(tmp_path / "a.html"), "E101")


# --- PDF --------------------------------------------------------------------------------------

def test_pdf_text_and_title(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(make_pdf(PDF_PAGES, title="Kidal report"))
    doc = only(run(tmp_path / "report.pdf"))
    assert isinstance(doc, Document)
    assert doc.text == ("Rebels attacked the town of Kidal on Monday.\nFive soldiers were killed."
                        "\n\nThe army said it would respond.")
    assert doc.title == "Kidal report"


def test_encrypted_pdf(tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(encrypted_pdf("secret"))
    err = only_error(run(tmp_path / "secret.pdf"), "E112")
    assert err.message == "PDF is encrypted"


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    (tmp_path / "open.pdf").write_bytes(encrypted_pdf(""))
    assert "Kidal" in only(run(tmp_path / "open.pdf")).text


def test_truncated_pdf(tmp_path: Path) -> None:
    data = make_pdf(PDF_PAGES)
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    assert only_error(run(tmp_path / "cut.pdf"), "E106").message.startswith("cannot read PDF")


def test_corrupt_pdf(tmp_path: Path) -> None:
    (tmp_path / "junk.pdf").write_bytes(b"this is not a PDF at all\n%%EOF\n")
    only_error(run(tmp_path / "junk.pdf"), "E106")


def test_image_only_pdf(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[]], image_only=True))
    assert only_error(run(tmp_path / "scan.pdf"), "E113").message == reason("E113")


def test_pdf_over_max_chars(tmp_path: Path) -> None:
    (tmp_path / "long.pdf").write_bytes(make_pdf(PDF_PAGES))
    only_error(run(tmp_path / "long.pdf", max_chars=50), "E104")


# --- JSON lines -------------------------------------------------------------------------------

def write_jsonl(path: Path, lines: list[object | str]) -> None:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", ["a.jsonl", "a.ndjson", "a.jsonl.gz"])
def test_jsonl_documents_and_metadata(tmp_path: Path, name: str) -> None:
    write_jsonl(tmp_path / name, [
        {"id": 17, "text": "Troops entered Goma.", "title": "Goma", "date": "4 March 2021",
         "url": "https://example.org/goma"},
        "",
        {"id": "b", "text": "Police fired tear gas in Minsk.", "date": "2020-08-10T21:00:00+03:00"},
    ])
    first, second = run(tmp_path / name)
    assert (first.text, first.source_id, first.title, first.date, first.url) == (
        "Troops entered Goma.", "17", "Goma", "2021-03-04", "https://example.org/goma")
    assert (second.source_id, second.title, second.date, second.url) == ("b", None, "2020-08-10", None)
    assert first.path == str(tmp_path / name)


def test_jsonl_broken_line_does_not_stop_the_file(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [
        {"id": 1, "text": "First."},
        '{"id": 2, "text": "Second.',
        {"id": 3, "text": "Third."},
        "[1, 2]",
        {"id": 5, "text": "Fifth."},
    ])
    items = run(tmp_path / "a.jsonl")
    assert [d.source_id for d in docs(items)] == ["1", "3", "5"]
    broken, not_object = errors(items)
    assert (broken.code, broken.path, broken.source_id) == ("E108", str(tmp_path / "a.jsonl"), "line 2")
    assert broken.message.startswith("line 2: invalid JSON: ")
    assert not_object.code == "E108" and "line 4" in not_object.message


def test_jsonl_row_without_text_field(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [{"id": "x1", "body": "Wrong key."}, {"body": "No id."},
                                       {"id": "x3", "text": "Right key."}])
    items = run(tmp_path / "a.jsonl")
    e1, e2 = errors(items)
    assert (e1.code, e1.source_id) == ("E109", "x1")
    assert e1.message == reason("E109", field="text", available="id, body")
    assert (e2.code, e2.source_id) == ("E109", "line 2")
    assert [d.source_id for d in docs(items)] == ["x3"]


def test_jsonl_custom_fields(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [{"uid": "u1", "body": "Clashes in Tripoli.", "headline": "H",
                                        "published": "2019-04-05", "link": "https://x.example"}])
    doc = only(run(tmp_path / "a.jsonl", text_field="body", id_field="uid", title_field="headline",
                   date_field="published", url_field="link"))
    assert (doc.text, doc.source_id, doc.title, doc.date, doc.url) == (
        "Clashes in Tripoli.", "u1", "H", "2019-04-05", "https://x.example")


def test_jsonl_bad_values(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": None}, {"id": 2, "text": 42},
                                       {"id": 3, "text": "   "}, {"id": 4, "text": "ok", "date": "soon"}])
    items = run(tmp_path / "a.jsonl")
    assert [(e.code, e.source_id) for e in errors(items)] == [("E102", "1"), ("E116", "2"), ("E102", "3")]
    assert errors(items)[1].message == "row 2: field 'text' is int, not text"
    assert only(docs(items)).date is None


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b'{"id": 1, "text": "A."}\r\n{"id": 2, "text": "B."}\r\n'
    (tmp_path / "a.jsonl").write_bytes(data)
    assert [d.text for d in run(tmp_path / "a.jsonl")] == ["A.", "B."]


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    items = run(tmp_path / "a.jsonl")
    assert errors(items)[0].code == "E108" and docs(items)[0].text == "fine"


def test_jsonl_over_long_line_is_skipped_not_read(tmp_path: Path) -> None:
    long = json.dumps({"id": "big", "text": "x" * 200_000})
    write_jsonl(tmp_path / "a.jsonl", [long, {"id": "small", "text": "Small."}])
    items = run(tmp_path / "a.jsonl", max_chars=1000)
    err = errors(items)[0]
    assert (err.code, err.source_id) == ("E116", "line 1")
    assert [d.source_id for d in docs(items)] == ["small"]


def test_jsonl_streams_and_reports_a_damaged_gzip(tmp_path: Path) -> None:
    # a cut-off download: the documents before the damage still come out, then one E117
    payload = "".join(json.dumps({"id": i, "text": f"Report number {i} from Kidal."}) + "\n"
                      for i in range(5000))
    data = gzip.compress(payload.encode())
    (tmp_path / "a.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = run(tmp_path / "a.jsonl.gz")
    assert len(docs(items)) > 100
    assert [e.code for e in errors(items)] == ["E117"]
    assert [d.source_id for d in docs(items)] == [str(i) for i in range(len(docs(items)))]


def test_reading_is_lazy(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [{"text": "One."}, "{broken"])
    stream = iter_inputs([tmp_path / "a.jsonl"])
    assert next(stream).text == "One."  # yielded before the rest of the file is parsed
    assert next(stream).code == "E108"


@pytest.mark.parametrize("name", ["big.jsonl", "big.csv.gz"])
def test_big_files_are_streamed(tmp_path: Path, name: str) -> None:
    # ~8 MB of records: memory while reading must stay far below the file size
    text = "Militias clashed near Tripoli on Tuesday, officials said. " * 16
    path = tmp_path / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        if name.endswith(".jsonl"):
            fh.writelines(json.dumps({"id": i, "text": text}) + "\n" for i in range(8_500))
        else:
            fh.write("id,text\n")
            fh.writelines(f"{i},{text}\n" for i in range(8_500))
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_inputs([path]) if isinstance(item, Document))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 8_500
    assert peak < 4_000_000, peak

# --- CSV / TSV --------------------------------------------------------------------------------

def test_csv_rows(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        'id,title,date,url,text\n'
        '1,Goma,2021-03-04,https://example.org/goma,"Troops entered Goma, residents said."\n'
        '\n'
        '2,,03/05/2021,,"A quoted field\nover two lines."\n', encoding="utf-8")
    first, second = run(tmp_path / "a.csv")
    assert (first.source_id, first.title, first.date, first.url, first.text) == (
        "1", "Goma", "2021-03-04", "https://example.org/goma", "Troops entered Goma, residents said.")
    assert (second.source_id, second.title, second.date, second.url, second.text) == (
        "2", None, "2021-03-05", None, "A quoted field\nover two lines.")


def test_csv_without_text_column_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,body\n" + "".join(f"{i},Text {i}\n" for i in range(50)))
    err = only_error(run(tmp_path / "a.csv"), "E109")
    assert err.message == "no text field 'text' (available fields: id, body)"


def test_csv_without_header(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("\n\n")
    only_error(run(tmp_path / "a.csv"), "E114")


def test_tsv_and_gzip(tmp_path: Path) -> None:
    body = "id\ttext\n7\tShelling in Donetsk, officials said.\n"
    (tmp_path / "a.tsv").write_text(body)
    (tmp_path / "b.tsv.gz").write_bytes(gzip.compress(body.encode()))
    (tmp_path / "c.csv.gz").write_bytes(gzip.compress(b'id,text\n8,"Shelling, again."\n'))
    items = run(tmp_path / "a.tsv", tmp_path / "b.tsv.gz", tmp_path / "c.csv.gz")
    assert [(d.source_id, d.text) for d in items] == [
        ("7", "Shelling in Donetsk, officials said."), ("7", "Shelling in Donetsk, officials said."),
        ("8", "Shelling, again.")]


def test_csv_huge_field(tmp_path: Path) -> None:
    big = "Militias clashed near Tripoli. " * 20_000  # 620,000 characters, over csv's default limit
    (tmp_path / "a.csv").write_text(f'id,text\n1,"{big}"\n2,short\n')
    assert [d.text for d in run(tmp_path / "a.csv")] == [big, "short"]


def test_csv_field_over_the_limit_stops_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text('id,text\n1,ok\n2,"' + "x" * 300_000 + '"\n3,after\n')
    items = run(tmp_path / "a.csv", max_chars=1000)
    assert [d.source_id for d in docs(items)] == ["1"]
    err = only(errors(items))
    assert err.code == "E116" and err.message.startswith("row 3: ")


def test_csv_row_errors_name_the_row(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,text\na,Fine.\nb,\nc\n")
    items = run(tmp_path / "a.csv")
    assert [d.source_id for d in docs(items)] == ["a"]
    assert [(e.code, e.source_id) for e in errors(items)] == [("E102", "b"), ("E109", "c")]
    (tmp_path / "b.csv").write_text("text\nFine.\n\n   \n")
    assert [(e.code, e.source_id) for e in run(tmp_path / "b.csv") if isinstance(e, IngestError)] == [
        ("E102", "row 4")]


def test_csv_legacy_encoding(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("id,text\n1,Talks in Asunción – failed.\n".encode("cp1252"))
    assert only(run(tmp_path / "a.csv")).text == "Talks in Asunción – failed."


def test_csv_with_bom(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(codecs.BOM_UTF8 + b"text,id\nHello.,1\n")
    assert only(run(tmp_path / "a.csv")).source_id == "1"


# --- Parquet ----------------------------------------------------------------------------------

def test_parquet_rows_in_batches(tmp_path: Path) -> None:
    n = 1000
    table = pa.table({
        "id": list(range(n)),
        "text": [f"Report {i}: clashes in Kidal." for i in range(n)],
        "date": [date(2021, 3, 4)] * n,
        "extra": ["ignored"] * n,
    })
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=300)
    items = run(tmp_path / "a.parquet")
    assert len(items) == n
    assert items[0].text == "Report 0: clashes in Kidal." and items[0].date == "2021-03-04"
    assert [d.source_id for d in items] == [str(i) for i in range(n)]


def test_parquet_missing_column_and_nulls(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": [1], "body": ["x"]}), tmp_path / "a.parquet")
    assert only_error(run(tmp_path / "a.parquet"), "E109").message.endswith("(available fields: id, body)")
    pq.write_table(pa.table({"text": ["ok", None]}), tmp_path / "b.parquet")
    items = run(tmp_path / "b.parquet")
    assert items[0].text == "ok"
    assert (items[1].code, items[1].source_id) == ("E102", "row 2")


def test_corrupt_parquet(tmp_path: Path) -> None:
    (tmp_path / "a.parquet").write_bytes(b"PAR1 not really parquet")
    only_error(run(tmp_path / "a.parquet"), "E115")


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2021-03-04", "2021-03-04"), ("2021-03-04T10:00:00Z", "2021-03-04"),
    ("4 March 2021", "2021-03-04"), ("Thu, 04 Mar 2021 10:00:00 GMT", "2021-03-04"),
    ("March 2021", None), ("2021", None), ("Monday", None), ("soon", None), ("2021-13-45", None),
    ("", None), (None, None), (20210304, None), ("4 March 2021 10:00 XYZ", "2021-03-04"),
])
def test_iso_date(value, expected) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no dateutil warning leaks out
        assert iso_date(value) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 -/:.,TZ+apmAPMJanuaryFebMonday", max_size=30))
def test_iso_date_never_raises(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = iso_date(text)
    assert result is None or date.fromisoformat(result)


# --- paths and directories --------------------------------------------------------------------

def test_missing_path(tmp_path: Path) -> None:
    err = only_error(run(tmp_path / "nope.txt"), "E100")
    assert err.path == str(tmp_path / "nope.txt") and err.message == "file not found"


def test_unknown_suffix_given_explicitly(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"PK")
    err = only_error(run(tmp_path / "a.docx"), "E105")
    assert err.message == reason("E105", suffix=".docx", known=", ".join(known_suffixes()))


def test_symlink_loop(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    only_error(run(tmp_path / "a.txt"), "E111")
    assert [(e.code, Path(e.path).name) for e in run(tmp_path)] == [("E111", "a.txt"), ("E111", "b.txt")]


def test_directory_symlinked_into_itself(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Text.")
    os.symlink(tmp_path, tmp_path / "sub" / "back")
    items = run(tmp_path)
    assert [d.path for d in docs(items)] == [str(tmp_path / "sub" / "a.txt")]
    assert [(e.code, e.path) for e in errors(items)] == [("E111", str(tmp_path / "sub" / "back"))]


def test_symlinks_to_files_are_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("Text.")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    assert [Path(d.path).name for d in run(tmp_path)] == ["link.txt", "real.txt"]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    only_error(run(tmp_path / "pipe.txt"), "E111")
    only_error(run(tmp_path), "E111")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Text.")
    path.chmod(0)
    try:
        if os.geteuid() == 0:
            try:
                path.read_bytes()
            except PermissionError:
                pass  # e.g. root without CAP_DAC_OVERRIDE: the test still means something
            else:
                pytest.skip("running as root: file permissions do not stop root from reading")
        err = only_error(run(path), "E110")
        assert err.message == "permission denied"
    finally:
        path.chmod(0o644)


def test_directory_walk_is_sorted_recursive_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ["z.txt", "a.md", "b/y.txt", "b/c/x.txt", ".hidden.txt", ".git/HEAD.txt"]:
        (tmp_path / rel).write_text(f"Text of {rel}.")
    for rel in ["notes.docx", "image.png", "Makefile"]:
        (tmp_path / rel).write_bytes(b"\x00whatever")
    names = [str(Path(d.path).relative_to(tmp_path)) for d in run(tmp_path)]
    assert names == ["a.md", "b/c/x.txt", "b/y.txt", "z.txt"]
    assert names == [str(Path(d.path).relative_to(tmp_path)) for d in run(tmp_path)]
    assert count_inputs([tmp_path]) == 4
    # an explicitly named hidden file is read
    assert only(run(tmp_path / ".hidden.txt")).text == "Text of .hidden.txt."


def test_mixed_directory_good_docs_and_one_error_per_bad_file(tmp_path: Path) -> None:
    good = {
        "a.txt": ARTICLE,
        "b.md": "# Heading\n\nProtesters marched in Khartoum.\n",
    }
    for name, text in good.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "c.html").write_text(ARTICLE_HTML)
    (tmp_path / "d.pdf").write_bytes(make_pdf(PDF_PAGES))
    write_jsonl(tmp_path / "e.jsonl", [{"id": 1, "text": "Troops entered Goma."},
                                       {"id": 2, "text": "Shelling in Donetsk."}])
    (tmp_path / "f.csv").write_text("id,text\n1,Police fired tear gas in Minsk.\n")
    pq.write_table(pa.table({"text": ["Clashes in Tripoli."]}), tmp_path / "g.parquet")
    bad = {
        "bad_binary.txt": (b"\x00\x01\x02\x03" * 100, "E101"),
        "bad_empty.txt": (b"", "E102"),
        "bad_encrypted.pdf": (encrypted_pdf("secret"), "E112"),
        "bad_truncated.pdf": (make_pdf(PDF_PAGES)[:300], "E106"),
        "bad_scan.pdf": (make_pdf([[]], image_only=True), "E113"),
        "bad_json.jsonl": (b"{not json\n", "E108"),
        "bad_columns.csv": (b"id,body\n1,x\n", "E109"),
        "bad_parquet.parquet": (b"garbage", "E115"),
    }
    for name, (data, _) in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "ignored.docx").write_bytes(b"PK\x03\x04")
    os.symlink("loop_b.txt", tmp_path / "loop_a.txt")
    os.symlink("loop_a.txt", tmp_path / "loop_b.txt")

    items = run(tmp_path)
    got_docs = docs(items)
    assert len(got_docs) == 8
    assert {Path(d.path).name for d in got_docs} == {"a.txt", "b.md", "c.html", "d.pdf", "e.jsonl",
                                                    "f.csv", "g.parquet"}
    got_errors = {Path(e.path).name: e.code for e in errors(items)}
    assert got_errors == {**{n: code for n, (_, code) in bad.items()},
                          "loop_a.txt": "E111", "loop_b.txt": "E111"}
    assert len(errors(items)) == len(got_errors)  # one error per bad file
    assert count_inputs([tmp_path]) == 7 + len(bad)
    # every message is the errors.py template, and ids are content hashes of the original text
    for err in errors(items):
        assert err.message and "\n" not in err.message
    for doc in got_docs:
        assert doc.id == content_hash(doc.text)


def test_paths_may_be_strings_and_mixed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One.")
    items = run(str(tmp_path / "a.txt"), tmp_path / "missing.txt", str(tmp_path))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [
        ("Document", None), ("IngestError", "E100"), ("Document", None)]
