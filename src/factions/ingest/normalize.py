"""Text normalisation with a map back to the original offsets.

PDF-extracted and hard-wrapped text breaks the parser: "al-\\nQuds" is two tokens, a sentence
split by a newline looks like two. :func:`normalize` joins hard-wrapped lines, repairs words
hyphenated across lines, collapses runs of spaces and keeps blank lines as paragraph breaks.
It returns a :class:`Normalized` text that maps any span of the normalised text back to the
exact span of the original text, so every record still points at the words it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from factions.data import load_words

# One pattern, alternatives tried left to right at each position:
#  hyph: a word broken by a hyphen at the end of a line ("pro-\n Iranian", "organi-\nzation")
#  para: a line break followed by at least one blank line -> paragraph break
#  nl:   a single line break (with surrounding spaces) -> one space
#  ws:   runs of spaces/tabs (or odd whitespace) -> one space
# The same horizontal-space class and line-break rule in every alternative, so that no mix of
# odd spaces and CR/LF/CRLF line ends leaves two spaces behind. "\r\n" is always ONE break.
_H = r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]"
_BR = r"(?:\r\n|\r(?!\n)|\n)"
_JUNK = re.compile(
    rf"(?P<hyph>(?<=\w)-{_H}*{_BR}{_H}*(?=\w))"
    rf"|(?P<para>{_H}*{_BR}(?:{_H}*{_BR})+{_H}*)"
    rf"|(?P<nl>{_H}*{_BR}{_H}*)"
    rf"|(?P<ws>{_H}{{2,}}|[\t\xa0\u2000-\u200a\u202f\u205f\u3000])"
)
_WORD_BEFORE = re.compile(r"(\w+)$")
_WORD_AFTER = re.compile(r"^(\w+)")


@dataclass(slots=True)
class Normalized:
    """A normalised text and the segments mapping it back to the original."""

    text: str
    original: str
    # Parallel lists, sorted by norm start: segment i covers norm[nstart[i]:nstart[i+1]] and
    # came from original[ostart[i]:oend[i]]. Copied segments have equal lengths on both sides.
    nstart: list[int] = field(default_factory=list)
    ostart: list[int] = field(default_factory=list)
    oend: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span [start, end) to the original text span that produced it."""
        if not self.nstart:
            return start, end
        ostart = self._pos(start, is_end=False)
        if end <= start:
            # an empty span is a point; mapping its end like a real end could land before its
            # start when a dropped line-break hyphen or trailing whitespace lies between them
            return ostart, ostart
        return ostart, self._pos(end, is_end=True)

    def _pos(self, i: int, *, is_end: bool) -> int:
        if is_end and i > 0:
            # an end offset belongs to the segment holding its last character
            k = bisect_right(self.nstart, i - 1) - 1
            if self.copied[k]:
                return self.ostart[k] + (i - self.nstart[k])
            return self.oend[k]
        k = bisect_right(self.nstart, i) - 1
        if k < 0:
            return 0
        if k >= len(self.nstart) or i >= len(self.text):
            return len(self.original)
        if self.copied[k]:
            return self.ostart[k] + (i - self.nstart[k])
        return self.ostart[k]


def _hyphen_replacement(original: str, m: re.Match[str]) -> str:
    """Keep the hyphen for real compounds ("pro-Iranian", "al-Quds"), drop it for split words."""
    # look only at a window before the break: searching from 0 made many breaks quadratic
    before = _WORD_BEFORE.search(original, max(0, m.start() - 40), m.start())
    after = _WORD_AFTER.match(original[m.end(): m.end() + 40])
    left = before.group(1) if before else ""
    right = after.group(1) if after else ""
    if not right or not left:
        return "-"
    if right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return "-"
    if left.lower() in load_words("hyphen_prefixes"):
        return "-"
    return ""


def normalize(text: str) -> Normalized:
    """Normalise ``text`` (see module docstring); fast, linear in the text length."""
    out: list[str] = []
    norm = Normalized(text="", original=text)
    npos = 0
    last = 0

    def emit(piece: str, o0: int, o1: int, copied: bool) -> None:
        nonlocal npos
        if not piece:
            return
        norm.nstart.append(npos)
        norm.ostart.append(o0)
        norm.oend.append(o1)
        norm.copied.append(copied)
        out.append(piece)
        npos += len(piece)

    # Leading whitespace is dropped: the first character of the normalised text is real text.
    lead = len(text) - len(text.lstrip())
    last = lead
    for m in _JUNK.finditer(text, lead):
        if m.start() > last:
            emit(text[last:m.start()], last, m.start(), True)
        kind = m.lastgroup
        if kind == "hyph":
            rep = _hyphen_replacement(text, m)
        elif kind == "para":
            rep = "\n\n"
        else:
            rep = " "
        if m.end() == len(text):  # trailing whitespace
            rep = ""
        emit(rep, m.start(), m.end(), False)
        last = m.end()
    if last < len(text):
        emit(text[last:], last, len(text), True)
    norm.text = "".join(out)
    return norm
