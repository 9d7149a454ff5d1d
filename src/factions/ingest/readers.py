"""One reader per input kind, registered by file suffix.

A reader is a generator ``(path, options) -> Document | IngestError ...``: it streams what it
finds and reports problems as :class:`IngestError` records instead of raising, so one bad
file (or one bad line) never stops a corpus. Registering is a decorator::

    @reader(".txt", ".text", ".md")
    def read_text(path: Path, opts: Options) -> Iterator[Item]: ...

Readers extract text; they do not normalise it (the coder does, keeping an offset map), so a
document's id is the hash of exactly the text a reader produced.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from dateutil import parser as dateparser

from factions.errors import FactionsError
from factions.model import Document, IngestError

Item = Document | IngestError
Reader = Callable[[Path, "Options"], Iterator[Item]]

#: suffix (lower case, with the dot; ".jsonl.gz" for compressed kinds) -> reader
READERS: dict[str, Reader] = {}
#: Longer documents are reported (E104), not coded: a longer "article" is almost always a
#: scraping accident, and parsing it would take minutes and gigabytes.
DEFAULT_MAX_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class Options:
    """How to read inputs: field names for .jsonl/.csv/.parquet records and the size limit.

    :func:`factions.ingest.iter_inputs` passes one to every reader; the coding run
    (:func:`factions.run.code_paths`) takes one as ``inputs``.
    """

    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    max_chars: int = DEFAULT_MAX_CHARS

    def read(self, paths: Iterable[str | Path]) -> Iterator[Item]:
        """The documents and errors found in ``paths`` (see :func:`factions.ingest.iter_inputs`)."""
        from factions.ingest import read_inputs  # the package imports this module at load time

        return read_inputs(paths, self)


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register the decorated reader for the given file suffixes."""
    def register(fn: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = fn
        return fn
    return register


def suffix_of(path: Path) -> str:
    """The registry key for ``path``: a known double suffix (".csv.gz") wins over the last one."""
    suffixes = [s.lower() for s in path.suffixes]
    double = "".join(suffixes[-2:])
    if len(suffixes) >= 2 and double in READERS:
        return double
    return suffixes[-1] if suffixes else ""


# --- shared helpers ---------------------------------------------------------------------------

# A lone UTF-16 surrogate is a Python str but not Unicode text: UTF-8 cannot encode it, so
# spaCy's tokenizer and the store both raise on it and one such record would end the whole run.
# JSON lets any record carry one ("\\ud800"), and a filename that is not UTF-8 becomes one
# (Python's surrogateescape).
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, as a broken UTF-8 byte is."""
    return _SURROGATE.sub("\ufffd", text)


def path_text(path: Path | str) -> str:
    """``path`` as storable text: bytes of a non-UTF-8 filename become ``\\xNN`` escapes."""
    text = str(path)
    if not _SURROGATE.search(text):
        return text
    try:
        raw = os.fsencode(text)  # undoes surrogateescape: the filename's own bytes
    except UnicodeEncodeError:  # a surrogate that did not come from a filename byte
        return storable(text)
    return raw.decode("utf-8", "backslashreplace")


def error(path: Path | str, code: str, *, source_id: str | None = None,
          **fields: object) -> IngestError:
    """An :class:`IngestError` whose message is the errors.py template for ``code``."""
    # the message can quote the input (a JSON record's keys): keep it storable too
    return IngestError(path=path_text(path), code=code,
                       message=storable(FactionsError(code, **fields).reason),
                       source_id=source_id)


def _from_exc(path: Path | str, exc: FactionsError) -> IngestError:
    return IngestError(path=path_text(path), code=exc.code, message=storable(exc.reason))


def _detail(exc: BaseException) -> str:
    """One line describing an exception from a third-party parser."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _clean(value: Any) -> str | None:
    """A metadata value as a stripped string, or None when missing or blank."""
    if value is None:
        return None
    text = storable(value if isinstance(value, str) else str(value)).strip()
    return text or None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# two different defaults: a date that parses differently under them was missing a part
_DEFAULT_A, _DEFAULT_B = datetime(2000, 1, 1), datetime(2001, 2, 2)


def iso_date(value: Any) -> str | None:
    """``value`` as an ISO ``YYYY-MM-DD`` date, or None when it is not a complete date.

    Accepts date/datetime objects and strings ("2021-03-04", "4 March 2021",
    "Thu, 04 Mar 2021 10:00:00 GMT"). Partial dates ("March 2021") and numbers give None
    rather than an invented day.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _ISO_DAY.match(text):  # the common case, without the cost of dateutil
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    if len(text) > 64:  # a paragraph in the date field: not worth parsing
        return None
    try:
        # ignoretz: only the day matters, and unknown zone names would warn
        a = dateparser.parse(text, default=_DEFAULT_A, ignoretz=True)
        b = dateparser.parse(text, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError):
        return None
    return a.date().isoformat() if a.date() == b.date() else None


def document(text: str, path: Path, opts: Options, *, source_id: str | None = None,
             title: Any = None, date_: Any = None, url: Any = None,
             where: str | None = None) -> Item:
    """A Document from extracted text, or the E102/E104 error it earns.

    ``where`` ("line 12") names the record inside a multi-record file when it has no id.
    """
    text = storable(text)
    if not text.strip():
        return error(path, "E102", source_id=source_id or where)
    if len(text) > opts.max_chars:
        return error(path, "E104", size=f"{len(text):,}", limit=f"{opts.max_chars:,}",
                     source_id=source_id or where)
    return Document.from_text(text, path=path_text(path), source_id=source_id, title=_clean(title),
                              date=iso_date(date_), url=_clean(url))


def from_row(row: Mapping[str, Any], path: Path, opts: Options, number: int, unit: str) -> Item:
    """A Document from one record of a JSONL/CSV/Parquet file (``unit`` is "line" or "row")."""
    where = f"{unit} {number}"
    source_id = _clean(row.get(opts.id_field))
    if opts.text_field not in row:
        return error(path, "E109", field=opts.text_field, available=", ".join(map(str, row)),
                     source_id=source_id or where)
    text = row[opts.text_field]
    if text is None:  # a null text is an empty document, not a missing field
        text = ""
    if not isinstance(text, str):
        return error(path, "E116", line=number, source_id=source_id or where,
                     detail=f"field '{opts.text_field}' is {type(text).__name__}, not text")
    return document(text, path, opts, source_id=source_id, title=row.get(opts.title_field),
                    date_=row.get(opts.date_field), url=row.get(opts.url_field), where=where)


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, transparently gunzipped for ".gz" files (streamed, never all read)."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


# Errors a (possibly gzipped) stream raises when the file is damaged or the disk fails.
_STREAM_ERRORS = (OSError, EOFError, zlib.error)


# --- decoding ---------------------------------------------------------------------------------

# UTF-32 before UTF-16: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC do)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_MAX_CONTROL_RATIO = 0.05


def _bom_codec(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _check_text_bytes(data: bytes) -> None:
    """Raise E101 unless ``data`` (without a BOM) looks like text in an 8-bit encoding."""
    if b"\x00" in data:
        head = data[:4096]
        # text in UTF-16 without a BOM has a NUL in every other byte: say so, it is fixable
        utf16 = max(head[0::2].count(0), head[1::2].count(0)) > 0.4 * len(head)
        raise FactionsError("E101", detail="contains NUL bytes" + (
            " (UTF-16 text without a byte-order mark?)" if utf16 else ""))
    control = len(data) - len(data.translate(None, _CONTROL))
    if data and control / len(data) > _MAX_CONTROL_RATIO:
        raise FactionsError("E101", detail=f"{control / len(data):.0%} control characters")


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM (UTF-8/16/32), else UTF-8, else cp1252/latin-1 if it looks like text.

    UTF-8 with a few broken bytes stays UTF-8 (broken bytes become U+FFFD) rather than turning
    every accented letter into mojibake. Raises FactionsError E101 (binary) or E103.
    """
    codec = _bom_codec(data)
    if codec == "utf-8-sig":  # surely UTF-8: a broken byte is a U+FFFD, as without the BOM
        return data.decode(codec, "replace")
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise FactionsError("E103", detail=f"invalid {codec} at byte {exc.start}") from exc
    _check_text_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", "replace")
    broken = lenient.count("\ufffd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", "ignore"))
    if non_ascii - broken > broken:  # more well-formed multibyte characters than broken bytes
        return lenient
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


# --- plain text -------------------------------------------------------------------------------

@reader(".txt", ".text", ".md")
def read_text(path: Path, opts: Options) -> Iterator[Item]:
    """A plain-text or Markdown file: the whole file is one document."""
    size = path.stat().st_size
    # No encoding takes more than 4 bytes a character, so a bigger file is too long for sure:
    # say so without reading gigabytes.
    if (size - 4) // 4 > opts.max_chars:
        yield error(path, "E104", size=f"at least {(size - 4) // 4:,}", limit=f"{opts.max_chars:,}")
        return
    try:
        text = decode_text(path.read_bytes())
    except FactionsError as exc:
        yield _from_exc(path, exc)
        return
    yield document(text, path, opts)


# --- HTML -------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes) -> str:
    """HTML bytes as text: a BOM wins, then a <meta charset>, then :func:`decode_text`."""
    declared = None if _bom_codec(data) else _CHARSET.search(data[:4096])
    if declared:
        _check_text_bytes(data)
        try:
            return data.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:  # an unknown charset name: guess like for a text file
            pass
    return decode_text(data)


class _PlainText(HTMLParser):
    """Visible text of an HTML page, without building a tree (so nesting depth is no issue)."""

    _BLOCK = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer "
                       "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td "
                       "th tr ul".split())
    _HIDDEN = frozenset("script style noscript template svg".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.title: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCK:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self.blocks[-1].append(data)

    def text(self) -> str:
        # HTML whitespace is not significant: each block is one paragraph of single-spaced words
        paragraphs = (" ".join("".join(parts).split()) for parts in self.blocks)
        return "\n\n".join(p for p in paragraphs if p)


def _plain_html(html: str) -> tuple[str, str | None]:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return parser.text(), _clean(" ".join("".join(parser.title).split()))


def _trafilatura(html: str) -> tuple[str, str | None, str | None, str | None] | None:
    """(text, title, date, url) of the page's main content, or None if trafilatura finds none."""
    import trafilatura  # slow to import; only HTML needs it

    found = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if found is None or not (found.text or "").strip():
        return None
    # trafilatura puts one block (paragraph, heading, list item) per line; a blank line between
    # blocks keeps a heading from running into the first sentence after normalisation
    text = "\n\n".join(line.strip() for line in found.text.splitlines() if line.strip())
    return text, found.title, found.date, found.url


@reader(".html", ".htm", ".xhtml")
def read_html(path: Path, opts: Options) -> Iterator[Item]:
    """An HTML page: trafilatura's main text, title, date and URL; plain text as a fallback."""
    try:
        html = _decode_html(path.read_bytes())
    except FactionsError as exc:
        yield _from_exc(path, exc)
        return
    try:
        extracted = _trafilatura(html)
        failure = None
    except Exception as exc:  # noqa: BLE001 - any parser failure means: use the fallback
        extracted, failure = None, exc
    if extracted is not None:
        text, title, date_, url = extracted
        yield document(text, path, opts, title=title, date_=date_, url=url)
        return
    try:
        text, title = _plain_html(html)
    except Exception as exc:  # noqa: BLE001 - both extractors failed: report both
        detail = _detail(exc) if failure is None else f"{_detail(failure)}; {_detail(exc)}"
        yield error(path, "E107", detail=detail)
        return
    yield document(text, path, opts, title=title)


# --- PDF --------------------------------------------------------------------------------------

def _has_eof_marker(fh: IO[bytes]) -> bool:
    """True if the end of the file has a %%EOF marker (a cut-off download does not)."""
    fh.seek(0, io.SEEK_END)
    fh.seek(max(0, fh.tell() - 65536))
    found = b"%%EOF" in fh.read()
    fh.seek(0)
    return found


@reader(".pdf")
def read_pdf(path: Path, opts: Options) -> Iterator[Item]:
    """A PDF with a text layer: the pages' text, separated by blank lines, and its title."""
    from pypdf import PdfReader  # import on use: most corpora have no PDFs

    with path.open("rb") as fh:
        if not _has_eof_marker(fh):
            yield error(path, "E106", detail="truncated file (no %%EOF marker)")
            return
        try:
            pdf = PdfReader(fh)
            encrypted = pdf.is_encrypted
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a corrupt file
            yield error(path, "E106", detail=_detail(exc))
            return
        if encrypted:
            try:
                # many PDFs are "encrypted" with an empty user password only to set permissions
                opened = bool(pdf.decrypt(""))
            except Exception:  # noqa: BLE001 - e.g. an algorithm pypdf cannot handle
                opened = False
            if not opened:
                yield error(path, "E112")
                return
        pages: list[str] = []
        total = 0
        try:
            for page in pdf.pages:
                text = (page.extract_text() or "").strip()
                total += len(text)
                if total > opts.max_chars:  # stop early instead of extracting 5000 pages
                    yield error(path, "E104", size=f"at least {total:,}",
                                limit=f"{opts.max_chars:,}")
                    return
                if text:
                    pages.append(text)
            title = pdf.metadata.title if pdf.metadata else None
        except Exception as exc:  # noqa: BLE001 - a damaged page or object
            yield error(path, "E106", detail=_detail(exc))
            return
    if not pages:
        yield error(path, "E113")
        return
    yield document("\n\n".join(pages), path, opts, title=title)


# --- JSON lines -------------------------------------------------------------------------------

def _json_detail(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid {exc.encoding} at byte {exc.start}"
    return str(exc)


def _jsonl_lines(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Each line of ``fh`` as UTF-8 bytes, or None for a line over ``limit`` (skipped unread).

    A UTF-8 file is split as bytes, so one broken byte spoils only its own line. A file that
    starts with a UTF-16 or UTF-32 byte-order mark ("Unicode" text from Windows tools) is
    decoded first: split as bytes, its line breaks would cut characters in half.
    """
    codec = _bom_codec(fh.peek(4)[:4])  # type: ignore[attr-defined]  # buffered and gzip files peek
    if codec is None or codec == "utf-8-sig":
        while line := fh.readline(limit):
            if len(line) == limit and not line.endswith(b"\n"):
                while (rest := fh.readline(limit)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the line without keeping it
                yield None
            else:
                yield line
        return
    # a limit in characters: JSON escapes are ASCII, so it bounds the line as in bytes above
    text = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="\n")
    while chars := text.readline(limit):
        if len(chars) == limit and not chars.endswith("\n"):
            while (more := text.readline(limit)) and not more.endswith("\n"):
                pass
            yield None
        else:
            yield chars.encode("utf-8")


@reader(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
def read_jsonl(path: Path, opts: Options) -> Iterator[Item]:
    """One JSON object per line; each line with a text field becomes a document."""
    # A line is read into memory whole, so cap it: "\\uXXXX" escapes make one character take up
    # to 12 bytes (a surrogate pair), plus room for the other fields.
    limit = 12 * opts.max_chars + 65536
    with _open_binary(path) as fh:
        lines = _jsonl_lines(fh, limit)
        number = 0
        while True:
            try:
                line = next(lines)
            except StopIteration:
                return
            except _STREAM_ERRORS as exc:
                yield error(path, "E117", detail=f"after line {number}: {_detail(exc)}")
                return
            number += 1
            if line is None:
                yield error(path, "E116", line=number, source_id=f"line {number}",
                            detail=f"line longer than {limit:,} bytes; skipped")
                continue
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
                yield error(path, "E108", line=number, detail=_json_detail(exc),
                            source_id=f"line {number}")
                continue
            if not isinstance(row, dict):
                yield error(path, "E108", line=number, source_id=f"line {number}",
                            detail=f"expected an object, got {type(row).__name__}")
                continue
            yield from_row(row, path, opts, number, "line")


# --- CSV / TSV --------------------------------------------------------------------------------

_SNIFF_BYTES = 65536


def _csv_encoding(path: Path) -> str:
    """The encoding of a CSV, judged from its first 64 KB (UTF-8 unless that is invalid)."""
    with _open_binary(path) as fh:
        head = fh.read(_SNIFF_BYTES)
    codec = _bom_codec(head)
    if codec:
        return codec
    try:
        # final=False: a character cut at the end of the sample is not an error
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


@reader(".csv", ".tsv", ".csv.gz", ".tsv.gz")
def read_csv(path: Path, opts: Options) -> Iterator[Item]:
    """A CSV/TSV with a header row; each row becomes a document. Rows are numbered as in a
    spreadsheet: the header is row 1."""
    delimiter = "\t" if suffix_of(path).startswith(".tsv") else ","
    # Long fields are fine up to the document limit; a bound still matters, because an
    # unclosed quote would otherwise swallow the rest of a 10 GB file into one field.
    csv.field_size_limit(min(max(opts.max_chars + 1, 1 << 17), (1 << 31) - 1))
    number = 0  # the last row read whole; the header is row 1
    try:
        encoding = _csv_encoding(path)
        # errors="replace": one bad byte must not cost the rest of the file
        with io.TextIOWrapper(_open_binary(path), encoding=encoding, errors="replace",
                              newline="") as fh:
            rows = csv.reader(fh, delimiter=delimiter)
            header = [h.strip() for h in next(rows, None) or ()]
            if not any(header):
                yield error(path, "E114")
                return
            number = 1
            if opts.text_field not in header:
                yield error(path, "E109", field=opts.text_field,
                            available=", ".join(h for h in header if h) or "none")
                return
            for values in rows:
                number += 1
                if not values:  # a blank line
                    continue
                yield from_row(dict(zip(header, values)), path, opts, number, "row")
    except csv.Error as exc:  # e.g. a field over the limit: the parser cannot resynchronise
        yield error(path, "E116", line=number + 1, detail=f"{exc}; rest of the file skipped")
    except _STREAM_ERRORS as exc:
        if isinstance(exc, PermissionError):
            raise
        yield error(path, "E117", detail=f"after row {number}: {_detail(exc)}")


# --- Parquet ----------------------------------------------------------------------------------

@reader(".parquet", ".pq")
def read_parquet(path: Path, opts: Options) -> Iterator[Item]:
    """A Parquet table, read batch by batch; only the configured columns are loaded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        if isinstance(exc, PermissionError):
            raise
        yield error(path, "E115", detail=_detail(exc))
        return
    with table:  # closes the file even if the consumer stops early
        names = table.schema_arrow.names
        if opts.text_field not in names:
            yield error(path, "E109", field=opts.text_field, available=", ".join(names) or "none")
            return
        wanted = (opts.text_field, opts.id_field, opts.title_field, opts.date_field, opts.url_field)
        columns = [c for c in dict.fromkeys(wanted) if c in names]
        number = 0
        try:
            # small batches: texts can be long, and a row group can hold a million rows
            for batch in table.iter_batches(batch_size=256, columns=columns):
                for row in batch.to_pylist():
                    number += 1
                    yield from_row(row, path, opts, number, "row")
        except (pa.ArrowException, OSError) as exc:
            yield error(path, "E115", detail=f"after row {number}: {_detail(exc)}")
