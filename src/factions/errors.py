"""All user-facing error messages, in one place, with stable codes.

Modelled on spaCy's ``errors.py``: a message is looked up by its code, formatted with keyword
arguments, and raised as :class:`FactionsError`. Codes never change meaning once released, so
users (and the ``errors`` table in the store) can rely on them. Add new codes at the end.

    raise FactionsError(E.E101, path="notes.bin")
"""

from __future__ import annotations


class E:
    """Error message templates, keyed by stable code."""

    # --- input (1xx) -----------------------------------------------------------------------
    E100 = "file not found"
    E101 = "binary file (not text): {detail}"
    E102 = "empty document"
    E103 = "cannot decode text: {detail}"
    E104 = "document too large: {size} characters (limit {limit}; raise it with --max-chars)"
    E105 = "unsupported file type '{suffix}' (known: {known})"
    E106 = "cannot read PDF: {detail}"
    E107 = "cannot read HTML: {detail}"
    E108 = "line {line}: invalid JSON: {detail}"
    E109 = "no text field '{field}' (available fields: {available})"
    E110 = "permission denied"
    E111 = "not a regular file (symlink loop, device or socket)"
    E112 = "PDF is encrypted"
    E113 = "PDF has no extractable text (image-only or scanned?)"
    E114 = "CSV has no header row"
    E115 = "cannot read Parquet: {detail}"
    E116 = "row {line}: {detail}"
    E117 = "cannot read file: {detail}"
    # --- model / NLP (2xx) ----------------------------------------------------------------
    E200 = "spaCy pipeline '{name}' is not installed; install it with: pip install {package}"
    E201 = "lexicon file {path}: {detail}"
    # --- store (3xx) ------------------------------------------------------------------------
    E300 = "cannot open store {path}: {detail}"
    E301 = "store {path} is in use by another process (DuckDB allows one writer): {detail}"
    E302 = "store {path} was written by a newer factions (schema {found} > {supported})"
    E303 = "integrity check failed: {detail}"
    E304 = "unknown export format '{fmt}' (known: {known})"
    E305 = "store {path} does not exist; code some documents first with: factions code FILE --db {path}"
    # --- network / analysis (4xx) --------------------------------------------------------------
    E400 = "unknown actor '{name}' (try one of: {suggest})"
    E401 = "edge list {path}: {detail}"
    E402 = "the network is empty: no asserted events between two actors{hint}"
    E403 = "invalid network parameter {name}: {detail}"
    E404 = "no network snapshot {snapshot} in {path}; build one with: factions network --db {path}"
    # --- evaluation (5xx) -------------------------------------------------------------------
    E500 = "gold file {path}: {detail}"
    E501 = "the factions coder is not available: {detail}"
    E502 = "coder returned {got} documents for {expected} gold texts"
    # --- web / scale (6xx) -----------------------------------------------------------------
    E600 = "refusing to bind {host} without an access token (use --token or FACTIONS_TOKEN)"
    E601 = "upload too large: {size} bytes (limit {limit})"
    E602 = "cannot reach Dask scheduler {address}: {detail}"
    E603 = "invalid value for {name}: {detail}"
    E604 = "coding from the web page is disabled; start the server with: factions serve --allow-upload"
    E605 = "cannot code the uploaded text: {detail}"
    E606 = "missing or wrong access token (send it as 'Authorization: Bearer TOKEN' or open /?token=TOKEN)"
    E607 = "no {kind} with id '{id}'"
    E608 = "coder failed on document: {detail}"
    E609 = "staging folder {path} is in use by another coding run"
    E610 = "cannot start worker processes: {detail}"
    E611 = "cross-site request refused: send it from the factions page (header X-Factions-Request) and from the same origin"


class FactionsError(Exception):
    """An error with a stable code and a one-line, user-facing message."""

    def __init__(self, code: str, **kwargs: object) -> None:
        template: str = getattr(E, code)  # an unknown code is a programming error
        self.code = code
        self.kwargs = kwargs
        try:
            self.reason = template.format(**kwargs)
        except KeyError:  # a missing kwarg must never hide the real error
            self.reason = template
        path = kwargs.get("path")
        self.path = str(path) if path is not None else None
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message: ``[E101] notes.bin: binary file (not text)``."""
        where = f"{self.path}: " if self.path and "{path}" not in getattr(E, self.code, "") else ""
        return f"[{self.code}] {where}{self.reason}"
