"""The normaliser: example tests for what it repairs and property tests for its offset map."""

from __future__ import annotations

import re
import time
from bisect import bisect_right

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from factions.ingest.normalize import Normalized, normalize


@pytest.mark.parametrize("original, expected", [
    ("Rebels shelled the\ntown on Monday.", "Rebels shelled the town on Monday."),
    ("Rebels shelled the\r\ntown on Monday.", "Rebels shelled the town on Monday."),
    ("Rebels shelled the   \n   town.", "Rebels shelled the town."),
    ("protests in al-\nQuds", "protests in al-Quds"),
    ("a pro-\nIranian militia", "a pro-Iranian militia"),
    ("an anti-\ngovernment rally", "an anti-government rally"),
    ("the organi-\nzation said", "the organization said"),
    ("the inter-\nnational community", "the international community"),
    ("First paragraph.\n\nSecond paragraph.", "First paragraph.\n\nSecond paragraph."),
    ("First paragraph.\n \n\t\nSecond paragraph.", "First paragraph.\n\nSecond paragraph."),
    ("First.\r\n\r\nSecond.", "First.\n\nSecond."),
    ("two  spaces\tand\t\ttabs", "two spaces and tabs"),
    ("  leading and trailing  \n\n", "leading and trailing"),
    ("2014-\n2016 war", "2014-2016 war"),
    # a dash ending a paragraph is not a word broken across lines
    ("a list item -\n\nnext paragraph", "a list item -\n\nnext paragraph"),
    ("", ""),
    ("   \n\n  ", ""),
])
def test_examples(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_joined_word_maps_to_both_halves() -> None:
    n = normalize("The organi-\nzation said.")
    s = n.text.index("organization")
    assert n.to_original(s, s + len("organization")) == (4, 4 + len("organi-\nzation"))


def test_span_after_paragraph_break_maps_exactly() -> None:
    original = "Line one\ncontinues.\n\n  Ten people were killed."
    n = normalize(original)
    s = n.text.index("Ten people")
    os_, oe = n.to_original(s, s + len("Ten people"))
    assert original[os_:oe] == "Ten people"


def test_many_hyphen_breaks_stay_linear() -> None:
    # each repair looks only at the words around the break, not at the whole text before it
    text = "the organi-\nzation said " * 40_000
    started = time.perf_counter()
    n = normalize(text)
    assert n.text.count("organization") == 40_000
    assert time.perf_counter() - started < 10


# --- properties -------------------------------------------------------------------------------

# Text built from the pieces the normaliser cares about, plus arbitrary unicode.
_pieces = st.sampled_from(["\n", "\r\n", "\r", "-", " ", "  ", "\t", "\xa0", "\u2003", "-\n",
                           "- \n", "\n\n", "al", "pro", "Quds", "zation", "x", "é", "9", "_"])
_texts = st.lists(st.one_of(_pieces, st.text(max_size=4)), max_size=40).map("".join)


def _segment(n: Normalized, i: int) -> int:
    return bisect_right(n.nstart, i) - 1


def _copied_tokens(n: Normalized):
    """Tokens of the normalised text that lie inside one copied (unchanged) segment."""
    for m in re.finditer(r"\S+", n.text):
        k = _segment(n, m.start())
        if n.copied[k] and _segment(n, m.end() - 1) == k:
            yield m.start(), m.end()


@settings(max_examples=400, deadline=None)
@given(_texts, st.data())
@example("organi-\nzation", None)
@example("ab  ", None)
def test_every_span_maps_into_the_original(text: str, data) -> None:
    n = normalize(text)
    size = len(n.text)
    if data is None:  # the explicit examples: check every span
        spans = [(s, e) for s in range(size + 1) for e in range(s, size + 1)]
    else:
        s = data.draw(st.integers(0, size))
        spans = [(s, data.draw(st.integers(s, size))), (s, s), (0, size), (size, size)]
    for s, e in spans:
        os_, oe = n.to_original(s, e)
        assert 0 <= os_ <= oe <= len(text), (s, e, os_, oe)


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_copied_tokens_are_verbatim(text: str) -> None:
    n = normalize(text)
    for s, e in _copied_tokens(n):
        os_, oe = n.to_original(s, e)
        assert text[os_:oe] == n.text[s:e]


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_nothing_but_whitespace_and_hyphens_changes(text: str) -> None:
    # Normalising only touches whitespace and line-break hyphens: the other characters survive
    # in order.
    def keep(s: str) -> str:
        return re.sub(r"[\s-]", "", s)
    assert keep(normalize(text).text) == keep(text)


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_normalizing_is_idempotent_on_spaces(text: str) -> None:
    once = normalize(text).text
    assert "  " not in once
    assert "\n\n\n" not in once
