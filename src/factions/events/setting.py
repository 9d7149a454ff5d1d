"""Where an event happened: the places a trigger's locative phrases name."""

from __future__ import annotations

from spacy.tokens import Token

LOC_PREPS = ("in", "at", "near", "outside", "inside", "across", "into", "around", "throughout",
             "within", "from", "along", "off")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def place_tokens(anchor: Token) -> list[Token]:
    """Objects of locative prepositions on ``anchor`` and one level into them."""
    out: list[Token] = []
    for c in anchor.children:
        if c.dep_ == "prep" and c.lower_ in LOC_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append(p)
                    for c2 in p.children:
                        if c2.dep_ == "prep" and c2.lower_ in ("in", "of", "near", "outside"):
                            out.extend(q for q in c2.children if q.dep_ == "pobj")
        elif c.dep_ == "npadvmod" and c.ent_type_ in PLACE_LABELS:
            out.append(c)
    return out
