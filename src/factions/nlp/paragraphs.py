"""The ``factions_paragraphs`` component: a paragraph break always starts a new sentence.

Headlines and datelines have no final full stop, so the parser would glue them to the first
sentence of the story ("... call for talks GOMA, 14 March - M23 rebels attacked ...").
Runs before the parser, which keeps sentence starts that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("factions_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "\n" or tok.text.count("\n") >= 1):
            doc[tok.i + 1].is_sent_start = True
    return doc
