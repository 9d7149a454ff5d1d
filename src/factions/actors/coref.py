"""Rule-based coreference within a document: pronouns and nominal references to actors.

No coreference model for spaCy 3.8 runs offline from PyPI, so this resolver uses the classic
salience heuristics (Lappin & Leass, Hobbs): agreement (person / group / thing), recency,
and a preference for antecedents that were grammatical subjects.

  - "he", "his", "she", "her"          -> the most salient person before it;
  - "they", "them", "their"            -> the most salient plural group, organisation or state;
  - "it", "its"                        -> the most salient organisation or state;
  - "the general", "the Iranian general", "the president" (a role noun with no name)
                                       -> the person last given that title in the document
                                          (from "General X", "X, the Iranian general", or the
                                          dictionary's roles), with the same nationality.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from factions.actors.dictionary import ActorDictionary, norm
from factions.data import load_yaml

if TYPE_CHECKING:
    from factions.actors.resolve import Found

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
PERSON_KINDS = frozenset({"person"})
THING_KINDS = frozenset({"state", "organization", "igo", "ngo", "party", "armed_group", "movement",
                         "government_body", "media", "business", "military", "police"})
GROUP_KINDS = THING_KINDS | frozenset({"group"})


def resolve_references(doc: Doc, found: list["Found"], d: ActorDictionary) -> list["Found"]:
    """Re-point nominal mentions to named people and return new mentions for pronouns."""
    from factions.actors.resolve import Found  # the record type lives with the resolver

    cues = load_yaml("coref.yaml")
    pronouns: dict[str, str] = {norm(w): cls for cls, words in cues["pronouns"].items() for w in words}
    expletive_heads = frozenset(cues["expletive_it_heads"])
    expletive_objects = {verb: frozenset(words) for verb, words in cues["expletive_it_objects"].items()}
    taken = {i for f in found for i in range(f.start, f.end)}
    history: list[Found] = []          # mentions seen so far, in text order
    new: list[Found] = []
    by_start = {f.start: f for f in found}
    sent_of = _sentence_index(doc)

    for tok in doc:
        f = by_start.get(tok.i)
        if f is not None:
            if f.how == "nominal" and f.entry.kind != "person":
                person = _titled_person(f, history, sent_of, d)
                if person is not None:
                    f.entry = person.entry
                    f.how = "nominal"
            if f.how in ("agent", "nominal") and f.entry.country is None and f.entry.sector and tok.pos_ == "PRON" \
                    and tok.dep_ == "poss" and tok.head.i == f.head:
                # "its president", "his government": the owner's country, when the pronoun
                # is part of the mention (the pronoun pass never sees it)
                cls = pronouns.get(norm(tok.text))
                ante = _antecedent(tok, cls, history, sent_of) if cls is not None else None
                if ante is not None and ante.entry.country and (ante.entry.kind in ("state", "person")
                                                                 or f.how == "nominal"):
                    # ("its new commander" of the Ukrainian army is Ukrainian too)
                    f.entry = d.composite(ante.entry.country, f.entry.sector)
            history.append(f)
            continue
        if tok.i in taken or tok.pos_ != "PRON":
            continue
        cls = pronouns.get(norm(tok.text))
        if cls is None:
            continue
        if cls == "thing" and tok.dep_ in ("nsubj", "nsubjpass") and _expletive(tok.head, expletive_heads,
                                                                              expletive_objects):
            continue  # "it is clear that...", "it took years" refer to nothing
        ante = _antecedent(tok, cls, history, sent_of)
        if ante is not None:
            new.append(Found(tok.i, tok.i + 1, tok.i, ante.entry, "pronoun", tok.text))
    return new


def _expletive(verb: Token, heads: frozenset[str], objects: dict[str, frozenset[str]]) -> bool:
    """Whether "it" as the subject of ``verb`` refers to nothing."""
    lemma = verb.lemma_
    if lemma not in heads:
        return False
    if lemma not in objects:
        return True
    return any(c.dep_ in ("dobj", "npadvmod") and c.lemma_.lower() in objects[lemma] for c in verb.children) \
        or any(c.dep_ in ("xcomp", "ccomp") for c in verb.children)


def _sentence_index(doc: Doc) -> list[int]:
    out = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = k
    return out


def _is_plural(f: "Found", doc: Doc) -> bool:
    tag = doc[f.head].tag_
    return tag in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in doc[f.head].children)


def _antecedent(tok: Token, cls: str, history: list["Found"], sent_of: list[int]) -> "Found | None":
    doc = tok.doc
    here = sent_of[tok.i]
    best, best_score = None, -1e9
    local_subject = _local_subject(tok)
    controller = _controller(tok)
    for f in reversed(history):
        distance = here - sent_of[f.head]
        if distance > 3:
            break
        kind = f.entry.kind
        if cls == "person":
            # a person, or a role noun that stands for one ("France's ambassador ... him")
            if kind not in PERSON_KINDS and not (f.how == "nominal" and not _is_plural(f, doc)):
                continue
        elif cls == "group":
            if kind in PERSON_KINDS and not _is_plural(f, doc):
                continue
            if kind not in GROUP_KINDS and not _is_plural(f, doc):
                continue
        elif cls == "thing":
            if kind not in THING_KINDS or _is_plural(f, doc):
                continue
        if f.how == "adjective" and cls != "thing":
            continue
        head = doc[f.head]
        if local_subject is not None and f.head == local_subject.i:
            continue  # "Burkina Faso expelled diplomats, accusing them": them is not Burkina Faso
        score = -2.0 * distance
        if head.dep_ in SUBJECT_DEPS:
            score += 2.5
            if _in_time_clause_of(tok, head):
                # "police fired tear gas at farmers as they marched": the subject of a time
                # clause is rather the one acted on than the actor of the main clause
                score -= 4.0
        if controller is not None and f.head == controller.i:
            score += 3.0  # "urged Rwanda to withdraw its troops": Rwanda's troops
        if cls == "group":
            # "they"/"their" agree with a plural noun; a singular one ("the navy") is a weak
            # antecedent: "the navy arrested 32 fishermen and seized their trawlers"
            score += 2.0 if _is_plural(f, doc) else -1.5 if kind not in ("armed_group", "movement", "party") else 0.0
        if f.how in ("name", "nominal"):
            score += 0.5
        if distance == 0 and head.i > tok.i:
            continue
        # inside a prepositional phrase ("in support of Assad") an antecedent is less salient
        if head.dep_ == "pobj":
            score -= 1.0
        if score > best_score:
            best, best_score = f, score
    return best


def _in_time_clause_of(tok: Token, subject: Token) -> bool:
    """Whether ``tok`` is the subject of an "as/while/when" clause of the verb ``subject`` is
    the subject of."""
    clause = tok.head
    return tok.dep_ == "nsubj" and clause.dep_ == "advcl" and subject.head.i == clause.head.i \
        and any(c.dep_ == "mark" and c.lower_ in ("as", "while", "when") for c in clause.children)


def _controller(tok: Token) -> Token | None:
    """The object that controls the infinitive a possessive pronoun sits in: "urged Rwanda to
    withdraw its troops" -> Rwanda (syntax.yaml object_control)."""
    if tok.dep_ != "poss":
        return None
    verb = tok.head.head
    if verb.dep_ != "xcomp" or verb.head.lemma_.lower() not in _object_control():
        return None
    return next((c for c in verb.head.children if c.dep_ == "dobj"), None)


@cache
def _object_control() -> frozenset[str]:
    return frozenset(load_yaml("syntax.yaml")["object_control"])


def _local_subject(tok: Token) -> Token | None:
    """The subject of the clause a pronoun is the object of (binding: a non-reflexive object
    pronoun does not refer to its own clause's subject)."""
    if tok.dep_ not in ("dobj", "pobj", "dative") or tok.lower_.endswith("self") or tok.lower_.endswith("selves"):
        return None
    verb = tok.head if tok.dep_ != "pobj" else tok.head.head
    for _ in range(3):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    return None


def _titled_person(f: "Found", history: list["Found"], sent_of: list[int], d: ActorDictionary) -> "Found | None":
    """The named person a role noun ("the Iranian general") refers back to, if any."""
    if not f.titles:
        return None
    country = f.entry.country
    for g in reversed(history):
        e = g.entry
        if e.kind != "person" or g.how == "pronoun":
            continue
        if country and e.country and e.country != country:
            continue
        if f.titles & (g.titles | e.roles):  # sets: compare them whole, never by iteration order
            return g
    return None
