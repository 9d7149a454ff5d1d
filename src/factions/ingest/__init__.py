"""The ingest stage: files and directories in, a stream of Documents and IngestErrors out.

:func:`iter_inputs` walks the given paths (directories recursively, in sorted order), hands each
file to the reader registered for its suffix (:mod:`factions.ingest.readers`) and yields what
the readers find. Problems - a missing file, a binary file, a broken JSON line - are yielded as
:class:`~factions.model.IngestError` records in the same stream, never raised, so one bad file
never stops a corpus. Texts are not normalised here: the coder does that, keeping an offset map
back to the original text, whose hash is the document id.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from factions.errors import FactionsError
from factions.ingest.readers import DEFAULT_MAX_CHARS, READERS, Item, Options, error, suffix_of
from factions.model import Document, IngestError

__all__ = ["iter_inputs", "read_inputs", "Options", "count_inputs", "known_suffixes", "Document", "IngestError"]


def known_suffixes() -> tuple[str, ...]:
    """The file suffixes factions can read, sorted (".csv", ".csv.gz", ..., ".txt")."""
    return tuple(sorted(READERS))


def _stat_error(path: Path, exc: OSError) -> IngestError:
    if exc.errno == errno.ELOOP:
        return error(path, "E111")
    if isinstance(exc, FileNotFoundError):  # also a symlink pointing nowhere
        return error(path, "E100")
    if isinstance(exc, PermissionError):
        return error(path, "E110")
    return error(path, "E117", detail=exc.strerror or str(exc))


def _walk(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """The files to read under ``paths``, and an error for each path that cannot be walked.

    Directories are walked depth first, entries sorted by name, hidden entries skipped.
    Symlinks are followed, except one leading back to a directory being walked (a loop).
    Inside a directory, files of unknown type are skipped silently.
    """
    for given in paths:
        path = Path(given)
        try:
            st = path.stat()
        except OSError as exc:
            yield _stat_error(path, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(path, st)
        elif not stat.S_ISREG(st.st_mode):
            yield error(path, "E111")  # never open a FIFO or device: reading could block forever
        elif suffix_of(path) not in READERS:
            yield error(path, "E105", suffix=suffix_of(path) or "(none)",
                        known=", ".join(known_suffixes()))
        else:
            yield path


def _walk_dir(root: Path, root_stat: os.stat_result) -> Iterator[Path | IngestError]:
    # An explicit stack of iterators (not recursion): directory depth is not bounded by Python's
    # recursion limit. Each frame remembers its ancestors' (device, inode) to catch loops.
    def listing(directory: Path) -> Iterator[os.DirEntry[str]]:
        with os.scandir(directory) as entries:
            return iter(sorted((e for e in entries if not e.name.startswith(".")),
                               key=lambda e: e.name))

    try:
        stack = [(listing(root), frozenset({(root_stat.st_dev, root_stat.st_ino)}))]
    except OSError as exc:
        yield _stat_error(root, exc)
        return
    while stack:
        entries, ancestors = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        known = suffix_of(path) in READERS
        try:
            st = path.stat()
        except OSError as exc:
            # a loop may stand for a directory, so report it whatever its name
            if known or exc.errno == errno.ELOOP:
                yield _stat_error(path, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:  # a symlink back up the tree
                yield error(path, "E111")
                continue
            try:
                stack.append((listing(path), ancestors | {key}))
            except OSError as exc:
                yield _stat_error(path, exc)
        elif known:
            yield path if stat.S_ISREG(st.st_mode) else error(path, "E111")


def _read(path: Path, opts: Options) -> Iterator[Item]:
    """Everything one file holds; whatever goes wrong becomes an IngestError in the stream."""
    try:
        if path.stat().st_size == 0:
            yield error(path, "E102")
            return
        yield from READERS[suffix_of(path)](path, opts)
    except OSError as exc:  # opened between walk and read: permissions, a vanished file, EIO
        yield _stat_error(path, exc)
    except Exception as exc:  # noqa: BLE001 - the contract: one bad file never stops a corpus
        yield error(path, "E117", detail=f"{type(exc).__name__}: {exc}")


def iter_inputs(paths: Iterable[str | Path], *, text_field: str = "text", id_field: str = "id",
                title_field: str = "title", date_field: str = "date", url_field: str = "url",
                max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Document | IngestError]:
    """Stream the documents (and the errors) found in files and directories.

    ``paths`` may mix files and directories; directories are read recursively in sorted order,
    skipping hidden entries and files of unknown type. The ``*_field`` options name the
    columns/keys of JSONL, CSV and Parquet records. A text longer than ``max_chars`` characters
    is reported (E104), not read. Documents keep their original text; ids are content hashes.

    Raises FactionsError E603 at once for an invalid ``max_chars``; everything else is yielded.
    """
    return read_inputs(paths, Options(text_field=text_field, id_field=id_field, title_field=title_field,
                                      date_field=date_field, url_field=url_field, max_chars=max_chars))


def read_inputs(paths: Iterable[str | Path], opts: Options) -> Iterator[Document | IngestError]:
    """:func:`iter_inputs` with its options in one :class:`~factions.ingest.readers.Options`."""
    max_chars = opts.max_chars
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise FactionsError("E603", name="max_chars",
                            detail=f"{max_chars!r} is not a positive integer")
    return _iter(paths, opts)


def _iter(paths: Iterable[str | Path], opts: Options) -> Iterator[Item]:
    for found in _walk(paths):
        if isinstance(found, IngestError):
            yield found
        else:
            yield from _read(found, opts)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files :func:`iter_inputs` will open for ``paths`` (a progress-bar total).

    Counts files, not documents (a JSONL file counts once), and reads no file.
    """
    return sum(1 for found in _walk(paths) if isinstance(found, Path))
