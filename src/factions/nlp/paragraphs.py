"""The ``factions_paragraphs`` component: a paragraph break always starts a new sentence.

Headlines and datelines have no final full stop, so the parser would glue them to the first
sentence of the story ("... call for talks GOMA, 14 March - M23 rebels attacked ...").
Runs before the parser, which keeps sentence starts that are already set.
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("factions_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    starts = [tok.i + 1 for tok in doc[:-1]
              if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "\n" or "\n" in tok.text)]
    if starts:
        # one array write: the Token.is_sent_start setter scans the whole document on every call
        values = doc.to_array([SENT_START])
        values[starts] = 1
        doc.from_array([SENT_START], values)
    return doc
