"""The ``factions_repair`` component: undo parses the small English model gets wrong the
same way every time, before the actor and event components read the tree.

Reduced relative clauses: in "Militants linked to al-Qaeda attacked a convoy near Gao" the
model makes "linked" the root (with "Militants" its subject) and "attacked" an adverbial
clause of it, so the attack has no subject and no event is coded. When a root (or the clause
of a reporting verb) is one of the ``misparsed_participles`` (data/wordlists.yaml) and has a later past-tense verb as an
adverbial clause that has no subject of its own, the tree is rebuilt as the sentence reads:
the verb is the root, the noun its subject, the participle a clause on the noun.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from factions.data import load_words

SUBJECTS = ("nsubj", "nsubjpass")
#: where the misread participle sits: the sentence root, or the clause of a reporting verb
#: ("Militants linked to al-Qaeda attacked a convoy, officials said")
CLAUSE_HEADS = ("ROOT", "ccomp")


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


@Language.component("factions_repair")
def repair_parse(doc: Doc) -> Doc:
    participles = load_words("misparsed_participles")
    for root in [t for t in doc if t.dep_ in CLAUSE_HEADS and t.lower_ in participles]:
        found = _misparsed_root(root, participles)
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
