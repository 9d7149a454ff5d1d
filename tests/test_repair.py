"""Parse repairs (factions.nlp.repair) on trees built by hand, so each test pins the exact
misparse it repairs whatever the shipped model's version does with a sentence."""

from spacy.tokens import Doc
from spacy.vocab import Vocab

from factions.nlp.repair import repair_parse


def tree(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Doc:
    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)


def test_subject_hung_off_an_auxiliary_moves_to_its_verb():
    # "Norway and Iceland however have opposed the plan ." with the subject on "have"
    words = ["Norway", "and", "Iceland", "however", "have", "opposed", "the", "plan", "."]
    heads = [4, 0, 0, 4, 5, 5, 7, 5, 5]
    deps = ["nsubj", "cc", "conj", "advmod", "aux", "ROOT", "det", "dobj", "punct"]
    pos = ["PROPN", "CCONJ", "PROPN", "ADV", "AUX", "VERB", "DET", "NOUN", "PUNCT"]
    doc = repair_parse(tree(words, heads, deps, pos))
    assert doc[0].head.text == "opposed"
    assert [c.text for c in doc[5].children if c.dep_ == "nsubj"] == ["Norway"]


def test_subject_of_a_verb_stays():
    words = ["Norway", "has", "opposed", "the", "plan", "."]
    heads = [2, 2, 2, 4, 2, 2]
    deps = ["nsubj", "aux", "ROOT", "det", "dobj", "punct"]
    pos = ["PROPN", "AUX", "VERB", "DET", "NOUN", "PUNCT"]
    doc = repair_parse(tree(words, heads, deps, pos))
    assert doc[0].head.text == "opposed"
