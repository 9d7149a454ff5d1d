"""Modality: did the text say the event happened, will happen, might happen or did not?

"Trump would welcome a change" is not an event that happened. The coder reads the cues on the
trigger's own clause (auxiliaries, negation, conditional subordinators, hedging adverbs) and on
the clauses that govern it ("wants to attack", "denied attacking", "plans to withdraw"), up the
dependency tree until it reaches an independent clause or a reporting verb ("officials said
that..." keeps what they report asserted). Event nouns also look at their own modifiers ("a
possible attack", "no agreement", "a scenario of open war").

Priority when cues combine: hypothetical > future > negated > asserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from factions.data import load_yaml
from factions.nlp.state import coding

INVERTING = frozenset({"had", "should", "were", "did"})
ORDER = {"asserted": 0, "negated": 1, "future": 2, "hypothetical": 3}
#: verbs whose subject would do what their object noun names: "is considering sanctions on X"
#: (data/syntax.yaml intending_verbs; also read by factions.events.component for the source)
INTENDING = frozenset(load_yaml("syntax.yaml")["intending_verbs"])
CLIMB_DEPS = frozenset({"xcomp", "ccomp", "advcl", "conj", "pcomp", "csubj", "oprd", "prep", "pobj"})


@dataclass(frozen=True, slots=True)
class Cues:
    hypothetical_aux: frozenset[str]
    future_aux: frozenset[str]
    negation: frozenset[str]
    hypothetical_governors: frozenset[str]
    future_governors: frozenset[str]
    negating_governors: frozenset[str]
    conditional_marks: frozenset[str]
    pending_marks: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    hypothetical_nouns: frozenset[str]
    creation_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    factive_verbs: frozenset[str]
    blocking_verbs: frozenset[str]
    topic_nouns: frozenset[str]


@cache
def cues() -> Cues:
    raw = load_yaml("modality.yaml")
    return Cues(**{k: frozenset(str(w).lower() for w in raw[k]) for k in Cues.__slots__})


def strongest(*values: str) -> str:
    return max(values, key=ORDER.__getitem__) if values else "asserted"


def _own(tok: Token, c: Cues) -> str:
    """Cues that sit on this clause's own head."""
    found = "asserted"
    if any(ch.dep_ == "neg" for ch in tok.children) and any(
            ch.dep_ == "aux" and ch.lower_ in c.future_aux | {"would"} for ch in tok.children):
        return "negated"  # "Israel will not release prisoners": a refusal, not a future release
    for ch in tok.children:
        low = ch.lower_
        dep = ch.dep_
        if dep in ("aux", "auxpass"):
            if low in c.hypothetical_aux:
                found = strongest(found, "hypothetical")
            elif low in c.future_aux:
                found = strongest(found, "future")
        elif dep == "neg" or (dep in ("advmod", "det", "preconj") and low in c.negation):
            found = strongest(found, "negated")
        elif dep == "mark" and low in c.conditional_marks:
            found = strongest(found, "hypothetical")
        elif dep == "advmod" and low in c.hypothetical_adverbs:
            found = strongest(found, "hypothetical")
    if tok.lower_ in c.hypothetical_aux and tok.pos_ == "AUX":
        found = strongest(found, "hypothetical")
    # an inverted conditional: "Had Iran accepted ...", "Should Russia's president travel ...",
    # "Were Kyiv to accept ..." (the auxiliary before the subject, and no question)
    aux = [ch for ch in tok.children if ch.dep_ in ("aux", "auxpass") and ch.lower_ in INVERTING]
    subj = [ch for ch in tok.children if ch.dep_ in ("nsubj", "nsubjpass")]
    if aux and subj and aux[0].i < subj[0].i and tok.sent[-1].text != "?":
        found = strongest(found, "hypothetical")
    # "without consulting Wellington", "drew no protest"
    if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
        found = strongest(found, "negated")
    if any(ch.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in ch.children) for ch in tok.children):
        found = strongest(found, "negated")
    return found


FUTURE_TIME = ("next ", "tomorrow", "upcoming", "later this", "coming week", "coming month", "coming days",
               "coming weeks", "in the coming")


def _future_time(trigger: Token) -> bool:
    """A date expression in the trigger's clause that lies ahead ("next week", "tomorrow")."""
    clause = {t.i for t in trigger.subtree}
    for ent in coding(trigger.doc).ents_in(trigger.sent):
        if ent.label_ in ("DATE", "TIME") and ent.root.i in clause:
            low = ent.text.lower()
            if any(w in low for w in FUTURE_TIME):
                return True
    return False


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass") and c.lower_ not in ("be", "been", "have", "has", "had")}


def verb_modality(trigger: Token) -> str:
    """Modality of an event carried by a verb (or a clause headed by ``trigger``)."""
    c = cues()
    result = "asserted"
    tok = trigger
    came_by_advcl = pending = False
    sent = trigger.sent
    if sent[-1].text == "?" or (len(sent) > 1 and sent[-2].text == "?"):
        result = "hypothetical"  # a question does not assert
    if trigger.tag_ in ("VBZ", "VBP", "VBG") and _future_time(trigger):
        result = "future"  # "leaders meet in Brussels next week"
    for _ in range(8):
        own = _own(tok, c)
        if tok is not trigger and tok.tag_ in ("VBZ", "VBP") and _future_time(tok):
            own = strongest(own, "future")  # "leaders meet next week to discuss ..."
        if own == "negated" and tok is not trigger and came_by_advcl:
            own = "asserted"  # "had not shot down ..., contradicting claims": the claim is contradicted
        if pending and _aux(tok) & (c.future_aux | c.hypothetical_aux):
            # "would not withdraw until the militias disarmed": the disarming is still ahead
            own = strongest(own, "future" if own == "future" and _aux(tok) <= c.future_aux else "hypothetical")
        result = strongest(result, own)
        dep, head = tok.dep_, tok.head
        if dep == "acl" and head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in c.blocking_verbs:
            # "Hungary blocked an EU statement condemning X", "foiled a plot to kill Y": never done
            result = strongest(result, "negated")
        if dep == "acl" and head.lemma_.lower() in c.hypothetical_nouns:
            result = strongest(result, "hypothetical")  # "a plan to annex the valley"
        if head.i == tok.i or dep not in CLIMB_DEPS:
            break
        lo, hi = sorted((tok.i, head.i))
        if any(t.text == ";" for t in tok.doc[lo:hi]):
            break  # clauses joined by a semicolon are independent
        came_by_advcl = dep == "advcl"
        pending = came_by_advcl and any(ch.dep_ == "mark" and ch.lower_ in c.pending_marks for ch in tok.children)
        if dep == "conj":
            if any(ch.dep_ in ("nsubj", "nsubjpass") for ch in tok.children):
                break  # an independent clause of its own
            tok = head
            continue
        if dep in ("prep", "pobj"):
            tok = head
            continue
        lemma = head.lemma_.lower()
        if dep == "xcomp" and head.lemma_.lower() in ("have", "be", "remain") and any(
                ch.dep_ == "advmod" and ch.lower_ == "yet" for ch in head.children):
            result = strongest(result, "negated")  # "the army has yet to deploy": not (yet) done
        if dep in ("xcomp", "ccomp", "csubj", "oprd"):
            if dep == "ccomp" and (lemma in c.reporting_verbs or lemma in c.factive_verbs):
                # reported speech and presupposed facts stay asserted; "said it would send"
                # is the future seen from the past, not an imagined event
                if result == "hypothetical" and head.tag_ == "VBD" and _aux(tok) == {"would"}:
                    result = "future"
                break
            if lemma in c.negating_governors:
                result = strongest(result, "negated")
            if lemma in c.future_governors:
                result = strongest(result, "future")
            elif lemma in c.hypothetical_governors:
                result = strongest(result, "hypothetical")
        if dep == "pcomp" and head.head.i != head.i and head.head.pos_ == "NOUN" \
                and head.head.lemma_.lower() in c.hypothetical_nouns:
            result = strongest(result, "hypothetical")
        if dep == "pcomp" and head.lower_ in ("on", "about", "over") and (
                head.head.lemma_.lower() in c.topic_nouns or head.head.lower_ in c.topic_nouns):
            result = strongest(result, "hypothetical")  # "talks on joining the EU": a topic
        if dep == "advcl" and head.pos_ not in ("VERB", "AUX"):
            break
        tok = head
    return result


def noun_modality(noun: Token, governor: Token | None, *, light: bool) -> str:
    """Modality of an event carried by a noun ("a possible attack", "the US sanctions").

    ``governor`` is the verb whose object or subject the noun is; with ``light`` (the verb
    only carries the noun's event: "launched an attack") the verb's modality is the event's.
    """
    c = cues()
    result = "asserted"
    for ch in noun.children:
        low = ch.lower_
        if ch.dep_ == "det" and low == "no":
            result = strongest(result, "negated")
        elif ch.dep_ in ("amod", "compound") and low in c.hypothetical_adjectives:
            result = strongest(result, "hypothetical")
    # "a scenario of open war", "the threat of an attack"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in c.hypothetical_nouns:
        result = strongest(result, "hypothetical")
    if governor is None:
        governor = _governing_verb(noun)  # "trigger the snapback of UN sanctions"
    if governor is not None:
        gov = verb_modality(governor)
        # a definite, owned event is presupposed to exist ("get rid of the US sanctions");
        # anything else in an imagined clause is imagined ("a determined Russian assault")
        owned = any(ch.dep_ in ("poss", "compound", "amod") and ch.pos_ in ("PROPN", "ADJ", "PRON") and ch.ent_type_
                    for ch in noun.children)
        definite = any(ch.dep_ == "poss" or (ch.dep_ == "det" and ch.lower_ in ("the", "this", "that", "these", "those"))
                       for ch in noun.children)
        next_ = any(ch.lower_ in ("next", "upcoming", "planned", "proposed") for ch in noun.children)
        if light or governor.lemma_.lower() in c.creation_verbs or not (definite and owned) or next_:
            result = strongest(result, gov)
        if noun.dep_ == "dobj" and noun.head.i == governor.i and governor.lemma_.lower() in INTENDING:
            result = strongest(result, "hypothetical")  # "is considering sanctions on X"
    return result


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun phrase hangs from, through "of" phrases and prepositions."""
    t = noun
    for _ in range(4):
        if t.head.i == t.i:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.pos_ not in ("ADP", "NOUN", "PROPN"):
            return None
    return None
