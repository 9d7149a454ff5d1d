"""Event dates from the sentence's date expressions, anchored on the document's date.

Handles what news prose mostly uses: ISO dates, "3 January 2020", "January 3, 2020",
"January 2020", a bare year ("in 2009"), weekdays ("on Friday") and "yesterday"/"today",
the last three relative to the document date. Anything vaguer ("last month") falls back to
the document date. Kept regex-based: dateparser is too slow for the coding hot path.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

from factions.nlp.state import coding

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday",
                                        "saturday", "sunday"])}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_MY = re.compile(r"\b([A-Za-z]{3,9})\s+(\d{4})\b")
_Y = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str, anchor: str | None = None) -> str | None:
    """ISO date (or year / year-month) for one date expression, or None."""
    if m := _ISO.search(text):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if (m := _DMY.search(text)) and m[2].lower() in MONTHS:
        return _valid(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if (m := _MDY.search(text)) and m[1].lower() in MONTHS:
        return _valid(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if (m := _MY.search(text)) and m[1].lower() in MONTHS:
        return f"{int(m[2]):04d}-{MONTHS[m[1].lower()]:02d}"
    low = text.lower()
    if anchor:
        try:
            base = date.fromisoformat(anchor[:10])
        except ValueError:
            base = None
        if base is not None:
            if "yesterday" in low:
                return (base - timedelta(days=1)).isoformat()
            if low.strip() in ("today", "this morning", "tonight", "this evening", "this afternoon"):
                return base.isoformat()
            for name, wd in WEEKDAYS.items():
                if name in low:
                    return (base - timedelta(days=(base.weekday() - wd) % 7)).isoformat()
    if m := _Y.search(text):
        return m[1]
    return None


def event_date(sent: Span, trigger: Token, anchor: str | None) -> str | None:
    """The date of the event at ``trigger``: a date expression in its clause, else the anchor."""
    subtree = {t.i for t in trigger.subtree}
    best: tuple[int, str] | None = None
    for ent in coding(sent.doc).ents_in(sent):
        if ent.label_ != "DATE":
            continue
        parsed = parse_date(ent.text, anchor)
        if parsed is None:
            continue
        # prefer a date inside the trigger's own clause, then the nearest one
        rank = (0 if ent.root.i in subtree else 1000) + abs(ent.root.i - trigger.i)
        if best is None or rank < best[0]:
            best = (rank, parsed)
    return best[1] if best else anchor
