"""The ``factions_repair`` component: undo parses the small English model gets wrong the
same way every time, before the actor and event components read the tree.

Summaries of the act before them: in "Pakistan accused India of X, a charge New Delhi denied"
the model may take "denied" for the main verb, "a charge" for its subject and the accusation
for what was denied (as in reported speech), so the accusation disappears and the denial has
no target. When a root's subject is "a/an" + one of the ``summary_nouns`` (data/syntax.yaml)
with a name in apposition before the verb, and the root's clausal complement comes before the
noun, the tree is rebuilt as it reads: the complement is the sentence, the noun sums it up,
and the verb is a relative clause on the noun with the name as its subject.

Reduced relative clauses: in "Militants linked to al-Qaeda attacked a convoy near Gao" the
model makes "linked" the root (with "Militants" its subject) and "attacked" an adverbial
clause of it, so the attack has no subject and no event is coded. When a root (or the clause
of a reporting verb) is one of the ``misparsed_participles`` (data/wordlists.yaml) and has a later past-tense verb as an
adverbial clause that has no subject of its own, the tree is rebuilt as the sentence reads:
the verb is the root, the noun its subject, the participle a clause on the noun.

Intentions: in "foiled a Russian plot to assassinate the president" the model hangs "to
assassinate" off "foiled", so the plotters' aim reads as the foilers' act. A "to" clause right
after an object that is one of the ``hypothetical_nouns`` (data/modality.yaml: plot, plan,
attempt, bid, ...) is made a clause of that noun.

Verbless sentences: in "Opposition figure X, who says the vote was stolen, called on his
supporters to strike" the model may make the name the root and "called" a clause on it, so
the sentence has no main verb and its subject acts in nothing. When a noun root has a
past-tense clause on it after a comma, with no subject and no "by" agent of its own, that
clause is the sentence's verb and the noun its subject.

Semicolons: in "Western governments blamed the Kremlin; Moscow rejected the accusations" the
model may make the first clause the complement of the second verb, as if Moscow rejected
that the governments blamed it; a complement that ends before a semicolon preceding its verb
is a clause of its own (parataxis).

The speaker's participle: in "X said it would expel two diplomats, accusing them of spying"
the model hangs "accusing" off "expel", so the accusation reads as part of what X only said it
would do. A speech participle (``speech_participles``, data/syntax.yaml) after a comma on a
modal clause that a reporting verb governs belongs to the reporting verb.

The reporter in the middle: in "Taliban fighters overran a base, officials said, killing 17
soldiers" the model hangs "killing" off "said", so the officials would have killed. A
participle after a reporting verb whose reported clause comes before it belongs to that
clause when it names a consequence of the act (``consequence_participles``, data/syntax.yaml:
killing, wounding, forcing ...; not "..., officials said, calling it a massacre").

Subjects of auxiliaries: in "Britain and France however have opposed the resolution" the
model may hang the subject off "have" rather than "opposed", so the verb has no subject. A
subject whose head is an auxiliary belongs to the auxiliary's verb.

Stranded objects: in "A gunman shot dead the chief executive" the model may hang the object
off the resultative adjective ("dead") rather than the verb, so the victim is nobody's object.
An object whose head is an adjective or adverb right after its verb is moved to the verb.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from factions.data import load_words, load_yaml

SUBJECTS = ("nsubj", "nsubjpass")
SUMMARIES = frozenset(load_yaml("syntax.yaml")["summary_nouns"])
INTENTIONS = frozenset(load_yaml("modality.yaml")["hypothetical_nouns"])
PARTICIPLES = load_words("misparsed_participles")
#: where the misread participle sits: the sentence root, or the clause of a reporting verb
#: ("Militants linked to al-Qaeda attacked a convoy, officials said")
CLAUSE_HEADS = ("ROOT", "ccomp")
SPEECH_PARTICIPLES = frozenset(load_yaml("syntax.yaml")["speech_participles"])
CONSEQUENCES = frozenset(load_yaml("syntax.yaml")["consequence_participles"])
REPORTING = frozenset(load_yaml("modality.yaml")["reporting_verbs"])
MODALS = frozenset({"would", "will", "could", "might", "may", "should", "shall", "'ll", "'d"})


def _misparsed_root(root: Token, participles: frozenset[str]) -> tuple[Token, Token] | None:
    """(subject, real verb) when ``root`` is a participle that swallowed its sentence's verb."""
    if root.dep_ not in CLAUSE_HEADS or root.lower_ not in participles or root.tag_ not in ("VBD", "VBN", "JJ"):
        return None
    subject = next((c for c in root.lefts if c.dep_ in SUBJECTS), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    verb = next((c for c in root.rights if c.dep_ == "advcl" and c.tag_ == "VBD"
                 and not any(g.dep_ in SUBJECTS or g.dep_ == "mark" for g in c.children)), None)
    if verb is None or any(t.dep_ == "punct" and t.text == "," for t in root.doc[root.i + 1:verb.i]):
        return None  # "..., attacked": a comma before the verb may really start a new clause
    return subject, verb


def _misread_summary(root: Token, summaries: frozenset[str]) -> tuple[Token, Token, Token] | None:
    """(clause, noun, name) when ``root`` is the verb of "..., a charge X denied" misread as the
    sentence's main verb."""
    if root.dep_ != "ROOT" or root.tag_ != "VBD":
        return None
    noun = next((c for c in root.lefts if c.dep_ == "nsubj" and c.lemma_.lower() in summaries
                 and any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in c.children)), None)
    if noun is None:
        return None
    name = next((c for c in noun.rights if c.dep_ == "appos" and c.i < root.i), None)
    clause = next((c for c in root.lefts if c.dep_ == "ccomp" and c.i < noun.i), None)
    if name is None or clause is None:
        return None
    return clause, noun, name


def _rebuild_summary(root: Token, clause: Token, noun: Token, name: Token) -> None:
    rest = [c for c in root.children if c.dep_ == "punct"]
    clause.head, clause.dep_ = clause, "ROOT"
    noun.head, noun.dep_ = clause, "npadvmod"
    root.head, root.dep_ = noun, "relcl"
    name.head, name.dep_ = root, "nsubj"
    for t in rest:
        t.head = clause


def _misplaced_aim(verb: Token, intentions: frozenset[str]) -> tuple[Token, Token] | None:
    """(noun, clause) when a "to" clause right after an intention noun hangs off the verb."""
    for x in verb.children:
        if x.dep_ != "xcomp" or x.i < verb.i:
            continue
        to = next((a for a in x.children if a.dep_ == "aux" and a.lower_ == "to"), None)
        if to is None:
            continue
        noun = next((o for o in verb.children if o.dep_ == "dobj" and o.i == to.i - 1
                     and o.lemma_.lower() in intentions), None)
        if noun is not None:
            return noun, x
    return None


def _stranded_object(obj: Token) -> Token | None:
    """The verb a direct object belongs to when the model hung it off the adjective after it."""
    word = obj.head
    if obj.dep_ != "dobj" or word.pos_ not in ("ADJ", "ADV") or word.i == obj.i:
        return None
    verb = word.head
    if verb.pos_ != "VERB" or word.i != verb.i + 1 or word.dep_ not in ("prep", "advmod", "acomp", "oprd"):
        return None
    return verb


def _verb_of_noun_root(root: Token) -> Token | None:
    """The past-tense clause that is really the main verb of a sentence whose root is a noun."""
    if root.dep_ != "ROOT" or root.pos_ not in ("NOUN", "PROPN"):
        return None
    for c in root.rights:
        if c.dep_ == "acl" and c.tag_ in ("VBD", "VBN") and c.i > 0 and c.doc[c.i - 1].text == "," \
                and not any(g.dep_ in SUBJECTS or g.dep_ == "agent" for g in c.children):
            return c
    return None


def _semicolon_before(clause: Token) -> bool:
    """A complement clause that ends at a semicolon before the verb it hangs off."""
    head = clause.head
    if clause.dep_ != "ccomp" or head.i <= clause.i:
        return False
    return any(t.text == ";" for t in clause.doc[clause.right_edge.i + 1: head.i])


def _speaker_participle(part: Token) -> Token | None:
    """The reporting verb a speech participle on a modal reported clause belongs to."""
    clause = part.head
    if part.dep_ != "advcl" or part.tag_ != "VBG" or part.lemma_.lower() not in SPEECH_PARTICIPLES \
            or part.i == 0 or part.doc[part.i - 1].text != ",":
        return None
    if clause.dep_ != "ccomp" or not any(a.dep_ == "aux" and a.lower_ in MODALS for a in clause.children):
        return None
    reporter = clause.head
    return reporter if reporter.lemma_.lower() in REPORTING and reporter.i < clause.i else None


def _reported_before(part: Token) -> Token | None:
    """The reported clause before "..., officials said, killing ..." that a non-speech
    participle after the reporting verb belongs to."""
    reporter = part.head
    if part.lemma_.lower() not in CONSEQUENCES or reporter.lemma_.lower() not in REPORTING or part.i < reporter.i:
        return None
    return next((c for c in reporter.children if c.dep_ == "ccomp" and c.i < reporter.i), None)


@Language.component("factions_repair")
def repair_parse(doc: Doc) -> Doc:
    for subj in [t for t in doc if t.dep_ in SUBJECTS and t.head.dep_ in ("aux", "auxpass")]:
        subj.head = subj.head.head  # "X and Y however have opposed": the subject of the verb
    for clause in [t for t in doc if t.dep_ == "ccomp"]:
        if _semicolon_before(clause):
            clause.dep_ = "parataxis"
    for part in [t for t in doc if t.dep_ == "advcl" and t.tag_ == "VBG"]:
        reporter = _speaker_participle(part)
        if reporter is not None:
            part.head = reporter
            continue
        clause = _reported_before(part)
        if clause is not None:
            part.head = clause
    for root in [t for t in doc if t.dep_ == "ROOT" and t.pos_ in ("NOUN", "PROPN")]:
        verb = _verb_of_noun_root(root)
        if verb is not None:
            tail = [c for c in root.rights if c.i > verb.i]  # the final full stop
            verb.head, verb.dep_ = verb, "ROOT"
            root.head, root.dep_ = verb, "nsubj"
            for t in tail:
                t.head = verb
    for obj in [t for t in doc if t.dep_ == "dobj"]:
        verb = _stranded_object(obj)
        if verb is not None:
            word = obj.head
            obj.head = verb
            word.dep_ = "oprd"
    for verb in [t for t in doc if t.pos_ in ("VERB", "AUX")]:
        found = _misplaced_aim(verb, INTENTIONS)
        if found is not None:
            noun, clause = found
            clause.head, clause.dep_ = noun, "acl"
    for root in [t for t in doc if t.dep_ == "ROOT" and t.tag_ == "VBD"]:
        found = _misread_summary(root, SUMMARIES)
        if found is not None:
            _rebuild_summary(root, *found)
    for root in [t for t in doc if t.dep_ in CLAUSE_HEADS and t.lower_ in PARTICIPLES]:
        found = _misparsed_root(root, PARTICIPLES)
        if found is None:
            continue
        subject, verb = found
        tail = [c for c in root.rights if c.i > verb.i]  # the final full stop, trailing clauses
        if root.dep_ == "ROOT":
            verb.head, verb.dep_ = verb, "ROOT"
        else:
            verb.head, verb.dep_ = root.head, root.dep_
        subject.head = verb
        root.head, root.dep_ = subject, "acl"
        for t in tail:
            t.head = verb
    return doc
