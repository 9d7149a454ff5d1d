"""The ``factions_figures`` spaCy component: claimed numbers of killed, wounded, arrested...

"Human rights organizations count 1500 people killed in Iran, at least 500 in Iraq" gives two
figures (1500 killed in Iran; at least 500 killed in Iraq), both attributed to the human rights
organizations. A number is a figure when the words around it say what it counts (the counted
noun, the verb it is subject or object of, a "death toll"); an elliptical number in a list
("..., at least 500 in Iraq") counts what the figure before it counted.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factions.data import load_yaml
from factions.events import roles
from factions.events.setting import place_tokens
from factions.events.modality import cues
from factions.model import Actor, Figure, Location
from factions.nlp.geocode import Gazetteer, default_gazetteer
from factions.nlp.state import DocCoding, coding

WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100})
MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_NUM = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")


class FigureExtractor:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        raw = load_yaml("figures.yaml")
        self.category_of = {w.lower(): cat for cat, words in raw["categories"].items() for w in words}
        self.people = frozenset(w.lower() for w in raw["people_nouns"])
        self.vague = frozenset(w.lower() for w in raw["vague"])
        self.qualifiers = sorted(((tuple(k.lower().split()), v) for k, v in raw["qualifiers"].items()),
                                 key=lambda kv: -len(kv[0]))
        self.reporting = cues().reporting_verbs
        self._gaz = gazetteer

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = default_gazetteer()
        return self._gaz

    def __call__(self, doc: Doc) -> Doc:
        state = coding(doc)
        prefer = frozenset(a.country for a in state.actors.values() if a.kind == "state" and a.country)
        for sent in doc.sents:
            previous: Figure | None = None
            previous_i = -1
            for tok in sent:
                number = self._number(tok)
                if number is None:
                    continue
                value, vague_word = number
                category = self._category(tok)
                if category is None and previous is not None and self._continues(sent, previous_i, tok):
                    category = previous.category
                if category is None:
                    continue
                qualifier = self._qualifier(tok) or vague_word
                fig = Figure(
                    id="", doc_id="", category=category, value=value, qualifier=qualifier,
                    location=self._location(tok, state, prefer),
                    attributed_to=self._claimant(sent, tok, state), text=sent.text,
                    start=sent.start_char, end=sent.end_char, span_start=tok.idx,
                    span_end=tok.idx + len(tok.text),
                )
                state.figures.append(fig)
                previous, previous_i = fig, tok.i
        return doc

    # -- what a number is ------------------------------------------------------------------------
    def _number(self, tok: Token) -> tuple[int | None, str | None] | None:
        low = tok.lower_
        if tok.ent_type_ in SKIP_ENTS:
            return None
        if low in self.vague:
            if low in ("some", "few", "many", "several") and tok.pos_ not in ("NUM", "NOUN", "PRON"):
                return None
            if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "how":
                return None  # "how many" asks, it does not claim
            if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "of" and low in ("some", "many", "few", "several"):
                return None
            return None, low
        if not tok.like_num or tok.pos_ not in ("NUM", "NOUN", "PROPN", "ADJ"):
            return None
        value: float | None = None
        text = low.replace(",", "")
        if _NUM.match(low):
            value = float(text)
        elif low in WORD_NUMBERS:
            value = WORD_NUMBERS[low]
        if value is None:
            return None
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ in MULTIPLIERS:
            value *= MULTIPLIERS[nxt.lower_]
        if 1800 <= value <= 2100 and value == int(value) and "," not in low and nxt is not None and nxt.lower_ not in self.people:
            return None  # a year
        return int(value), None

    def _category(self, tok: Token) -> str | None:
        """What the number counts, from the counted noun and the words governing it."""
        noun = tok.head if tok.dep_ in ("nummod", "quantmod") and tok.head.pos_ in ("NOUN", "PROPN", "ADJ") else tok
        if noun.dep_ == "nummod" and noun.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head
        candidates: list[Token] = []
        candidates.extend(c for c in noun.children if c.dep_ in ("acl", "amod", "relcl", "appos"))
        candidates.extend(c for c in tok.children if c.dep_ in ("acl", "amod"))
        candidates.append(noun)
        if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj") or noun.dep_ == "nummod":
            candidates.append(noun.head)
        if noun.dep_ == "pobj":  # "the death toll rose to 40", "toll of 40"
            candidates.append(noun.head.head)
            candidates.extend(c for c in noun.head.head.children if c.dep_ in ("nsubj", "nsubjpass"))
        if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("dead", "killed", "wounded", "injured", "missing", "arrested"):
            candidates.append(tok.doc[tok.i + 1])
        for c in candidates:
            for w in (c.lower_, c.lemma_.lower()):
                cat = self.category_of.get(w)
                if cat is not None:
                    if cat == "arrested" and w == "hold" and c.pos_ != "VERB":
                        continue
                    return cat
        return None

    @staticmethod
    def _continues(sent: Span, prev_i: int, tok: Token) -> bool:
        """``tok`` continues a list started by the figure at ``prev_i`` ("..., at least 500 in Iraq")."""
        if prev_i < 0 or tok.i - prev_i > 25:
            return False
        between = tok.doc[prev_i + 1: tok.i]
        return any(t.text in (",", ";") or t.lower_ in ("and", "while", "with") for t in between)

    def _qualifier(self, tok: Token) -> str | None:
        doc = tok.doc
        for words, canonical in self.qualifiers:
            n = len(words)
            if tok.i - n >= 0 and tuple(t.lower_ for t in doc[tok.i - n: tok.i]) == words:
                return canonical
        return None

    def _location(self, tok: Token, state: DocCoding, prefer: frozenset[str]) -> Location | None:
        anchors = [tok, tok.head]
        if tok.head.head.i != tok.head.i:
            anchors.append(tok.head.head)
        anchors += [c for c in tok.head.children if c.dep_ in ("acl", "relcl")]
        for a in anchors:
            for place in place_tokens(a):
                actor = state.actor_at(place)
                if actor is not None and actor.kind == "state" and actor.country:
                    return self.gaz.country(actor.country)
                if place.ent_type_ in ("GPE", "LOC", "FAC"):
                    ent = state.ent_at(place)
                    return self.gaz.place(ent.text if ent is not None else place.text, prefer=prefer)
        return None

    def _claimant(self, sent: Span, tok: Token, state: DocCoding) -> str | None:
        """Who claims the number: "according to X", or the subject of a reporting verb."""
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                found = _actor_behind(roles.prep_objects(t, ("to",)) or [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"], state)
                if found is not None:
                    return found.id
        t = tok
        for _ in range(8):
            if t.head.i == t.i:
                break
            t = t.head
            if t.pos_ == "VERB" and t.lemma_.lower() in self.reporting:
                subj, _ = roles.subjects(t)
                found = _actor_behind(subj, state)
                if found is not None:
                    return found.id
        root = sent.root
        if root.lemma_.lower() in self.reporting:
            subj, _ = roles.subjects(root)
            found = _actor_behind(subj, state)
            if found is not None:
                return found.id
        return None


def _actor_behind(tokens: list[Token], state: DocCoding) -> Actor | None:
    """The actor a claimant phrase names: "estimates of human rights organizations"."""
    for t in tokens:
        a = state.actor_at(t)
        if a is not None:
            return a
        inner = roles.prep_objects(t, ("of", "by", "from"))
        for i in inner:
            a = state.actor_at(i)
            if a is not None:
                return a
    return None


@Language.factory("factions_figures")
def make_figure_extractor(nlp: Language, name: str) -> FigureExtractor:
    """Build the figure extractor over data/figures.yaml."""
    return FigureExtractor()
