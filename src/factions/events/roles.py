"""Who is the source and who is the target: reading actors off the dependency parse.

Handles active and passive voice ("X was killed by Y"), conjoined verbs sharing a subject
("besieged the embassy and killed a contractor"), control verbs ("tried to kill",
"urged X to withdraw"), relative clauses ("militias that assaulted demonstrations"),
participial clauses ("..., killing 12"), compound actors ("France and Germany"), partitives
("some of the militants") and event nouns that stand for their agent ("an American drone
attack killed..." -> the United States).
"""

from __future__ import annotations

from spacy.tokens import Token

from factions.data import load_words, load_yaml
from factions.events.modality import cues
from factions.model import Actor
from factions.nlp.repair import SPEECH_PARTICIPLES
from factions.nlp.state import DocCoding

SUBJ_DEPS = ("nsubj", "nsubjpass")
OBJECT_CONTROL = frozenset(load_yaml("syntax.yaml")["object_control"])
SPEAKER_PURPOSES = frozenset(load_yaml("syntax.yaml")["speaker_purposes"])
PROVOKING = frozenset(load_yaml("syntax.yaml")["provoking_verbs"])
DOING_VERBS = frozenset({"carry", "conduct", "launch", "stage", "impose", "commit", "perpetrate", "wage",
                         "mount", "order", "lead", "fire", "unleash", "execute", "organize", "organise",
                         "claim", "drop", "plant", "detonate", "use", "deploy", "issue", "declare"})
DOCUMENT_NOUNS = frozenset({"statement", "report", "resolution", "letter", "communique", "communiqué", "declaration",
                            "decree", "order", "note", "memo", "bill", "motion", "video", "message"})
NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "prep", "pobj", "appos", "acl", "npadvmod", "dobj", "agent",
                     "pcomp", "nsubj", "nummod", "quantmod"})
RELATIVE = frozenset({"that", "who", "which", "whom", "whose"})
PARTITIVE = frozenset({"some", "many", "all", "one", "most", "part", "members", "member", "dozens",
                       "hundreds", "thousands", "several", "none", "each", "both", "group", "units",
                       "unit", "elements", "remnants", "supporters", "leader", "leaders",
                       "network", "coalition", "alliance", "number", "wing", "faction", "factions"})
NOUN_ACTOR_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
PREMISES = load_words("premises_nouns")


def is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    # a reduced relative is passive ("protesters killed by police") unless it has a direct
    # object, which passives never have ("the air force carried out strikes" misparsed as acl)
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in verb.children)


def conjuncts(tok: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("France and Germany")."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        t = stack.pop(0)
        if t.pos_ in ("NOUN", "PROPN", "PRON") or t.ent_type_:
            out.append(t)
            stack.extend(c for c in t.children if c.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def voice_passive(verb: Token) -> bool:
    """Passive voice, inherited by a bare conjoined participle ("was arrested and jailed")."""
    v = verb
    for _ in range(4):
        if any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in v.children) or v.dep_ != "conj":
            return is_passive(v)
        if v.tag_ != "VBN":
            return False
        v = v.head
    return is_passive(v)


def subjects(verb: Token) -> tuple[list[Token], bool]:
    """The subject tokens of ``verb`` (inherited through coordination and control) and voice."""
    v = verb
    passive = voice_passive(verb)
    for _ in range(6):
        subj = [c for c in v.children if c.dep_ in SUBJ_DEPS]
        if subj:
            # a dateline can be parsed as a second subject ("GOMA, ... rebels attacked"):
            # prefer the subject nearest the verb
            s = min(subj, key=lambda t: abs(v.i - t.i))
            if s.lower_ in RELATIVE and v.dep_ == "relcl":
                s = v.head  # "militias that assaulted..." -> militias
            return conjuncts(s), passive
        dep = v.dep_
        if dep == "conj":
            v = v.head
            continue
        if dep in ("xcomp", "advcl") and verb.tag_ == "VBG" and verb.lemma_.lower() in SPEECH_PARTICIPLES:
            # ("..., officials said, killing 17 soldiers": the attackers killed, not the officials)
            reporter = _interposed_reporter(v)
            if reporter:
                return conjuncts(reporter), passive
        if dep == "xcomp":
            controller = [c for c in v.head.children if c.dep_ in ("dobj",)]
            if controller and v.head.lemma_.lower() in OBJECT_CONTROL and v.lemma_.lower() not in SPEAKER_PURPOSES:
                return conjuncts(controller[0]), passive  # "urged Israel to halt" -> Israel halts
            # ("summoned France's ambassador to complain": the summoner complains)
            v = v.head
            continue
        if dep == "advcl" and infinitive(v):
            v = v.head  # a purpose clause: "telephoned his counterpart to seek" -> the caller seeks
            continue
        if dep == "advcl" and verb.tag_ in ("VBG", "VBN") and not any(c.dep_ == "mark" for c in v.children):
            v = v.head  # "..., killing 12 people": the main clause's subject did it
            continue
        if dep == "acl" and v.head.lemma_.lower() in DOCUMENT_NOUNS and v.head.head.i != v.head.i:
            if any(c.dep_ in ("poss", "compound", "amod") and (c.pos_ == "PROPN" or c.ent_type_ in ("ORG", "GPE", "NORP"))
                   for c in v.head.children):
                return conjuncts(v.head), passive  # "blocked a joint EU statement condemning X": the EU
            v = v.head.head  # "issued a statement calling on X": the issuer calls
            continue
        if dep in ("relcl", "acl"):
            return conjuncts(v.head), passive
        break
    # "USAID provided shelter ...": a sentence-initial name the parser hung off the verb
    lead = [c for c in v.children if c.dep_ in ("npadvmod", "advmod", "dep", "nmod") and c.i < v.i
            and c.i == v.sent.start and (c.pos_ in ("PROPN", "NOUN") or c.is_upper or c.is_title)]
    if lead:
        return lead, passive
    return [], passive


def _interposed_reporter(v: Token) -> Token | None:
    """The speaker of "X did Y, Manila said, calling the move illegal": a reporting verb hung
    off the main clause between it and the participle speaks the participle."""
    for c in v.head.children:
        if c.dep_ in ("parataxis", "ccomp") and v.head.i < c.i < v.i and c.lemma_.lower() in cues().reporting_verbs:
            subj = [s for s in c.children if s.dep_ == "nsubj"]
            if subj:
                return subj[0]
    return None


def infinitive(verb: Token) -> bool:
    """Whether a verb is a "to" infinitive ("to discuss", "to release")."""
    return any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)


def complements(verb: Token) -> list[Token]:
    """Clausal complements of a verb, including "to"-clauses parsed as adverbial ("calling on
    Egypt to release the activists")."""
    return [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "advcl" and infinitive(c))]


def objects(verb: Token) -> list[Token]:
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "attr") or (c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN")):
            out.extend(conjuncts(c))
    return out


def prep_objects(tok: Token, preps: tuple[str, ...] | frozenset[str], *, deep: bool = False,
                 nested: bool = False) -> list[Token]:
    """Objects of the given prepositions hanging off ``tok`` ("against X", "with Y").

    With ``deep`` also follow chains of prepositional phrases ("led operations [in Lebanon
    [with Hezbollah]]"), which parsers build for long lists of adjuncts; with ``nested`` the
    phrases inside another phrase's object ("[in aid [for Ukraine]]").
    """
    out: list[Token] = []
    stack = [c for c in tok.children if c.dep_ in ("prep", "agent", "dative")]
    while stack:
        c = stack.pop(0)
        if c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(conjuncts(p))
        elif nested:
            # "pledged $300 million in military aid for Ukraine", "lifted a ban on maize
            # exports to Malawi": the preposition hangs off the noun of another phrase
            stack.extend(g for p in c.children if p.dep_ == "pobj" for g in p.children if g.dep_ == "prep")
        if deep:
            for g in c.children:
                if g.dep_ in ("prep", "conj") and g.pos_ == "ADP":
                    stack.append(g)
                elif g.dep_ == "pcomp":  # "in Gaza supporting Hamas, in Yemen through X"
                    stack.extend(h for h in g.children if h.dep_ == "prep")
    return out


def agents(verb: Token) -> list[Token]:
    """The "by X" of a passive verb or of an event noun."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(conjuncts(p))
    return out


def actors_in_phrase(tok: Token, state: DocCoding, *, limit: int = 12) -> list[tuple[Actor, Token]]:
    """Actors named inside a noun phrase, nearest first: "the ban on the Jamaat-e-Islami
    party", "the EU-drafted roadmap", "air strikes on Kurdish militant targets in Iraq"."""
    out: list[tuple[Actor, Token]] = []
    places: list[tuple[Actor, Token]] = []
    seen: set[str] = set()
    queue = [c for c in tok.children if c.dep_ in NP_DEPS]
    visited = 0
    while queue and visited < limit:
        t = queue.pop(0)
        visited += 1
        if t.dep_ == "prep" and t.lower_ in ("at", "near", "outside", "during", "after", "before", "since",
                                               "until", "over", "amid", "despite"):
            continue  # places, times and circumstances are not participants
        actor = state.actor_at(t)
        if actor is not None:
            if actor.id not in seen:
                seen.add(actor.id)
                # a country named as the place of the phrase ("targets in Iraq") ranks last
                located = t.dep_ == "pobj" and t.head.lower_ in ("in", "inside", "across", "throughout")
                (places if located and actor.kind == "state" else out).append((actor, t))
            continue
        queue.extend(c for c in t.children if c.dep_ in NP_DEPS or c.dep_ == "conj")
    return out + places


PAIR_NOUNS = frozenset({"country", "countries", "leader", "leaders", "side", "sides", "nation", "nations",
                        "government", "governments", "president", "presidents", "neighbour", "neighbours",
                        "junta", "juntas", "state", "states", "capital", "capitals",
                        "neighbor", "neighbors", "party", "parties", "minister", "ministers", "army", "armies",
                        "delegation", "delegations", "negotiator", "negotiators", "team", "teams", "man", "men",
                        "woman", "women", "counterpart", "counterparts"})
PERSON_PAIR_NOUNS = frozenset({"leader", "president", "minister", "man", "woman", "counterpart"})


NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}


def _capital_at(tok: Token, state: DocCoding) -> bool:
    m = state.mention_at(tok)
    return m is not None and m.how == "capital"


def each_other(subject: Token) -> bool:
    """"each side accused the other", "each country blamed the other": a subject with "each"
    whose verb's object is "the other"."""
    if not any(c.dep_ == "det" and c.lower_ == "each" for c in subject.children):
        return False
    verb = subject.head
    return any(o.lower_ == "other" for o in objects(verb))


def _the_two(tok: Token, state: DocCoding) -> list[Actor]:
    """"the two countries", "both sides", "the three governments": the last N distinct
    actors of that kind named before."""
    bare = tok.lower_ in NUMBER_WORDS and tok.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "det" and c.lower_ == "the" for c in tok.children)  # "... met Y, and the two agreed"
    if tok.lower_ not in PAIR_NOUNS and not bare:
        return []
    n = NUMBER_WORDS[tok.lower_] if bare else next(
        (NUMBER_WORDS[c.lower_] for c in tok.children
         if (c.dep_ == "nummod" and c.lower_ in NUMBER_WORDS) or (c.dep_ in ("det", "predet") and c.lower_ == "both")), 0)
    if not n and each_other(tok):
        n = 2  # "each side accused the other": the two sides named before
    if not n:
        return []
    # "the two leaders", "the two men": people, or the states their titles stand for ("Syria's
    # new leader" is Syria)
    people = tok.lemma_ in PERSON_PAIR_NOUNS or bare
    kinds = ("person", "state") if people else ("state", "organization", "igo",
                                                                          "armed_group", "party", "military")
    found: list[Actor] = []
    for m in reversed(state.mentions):
        if m.start >= tok.idx:
            continue
        a = state.actors[m.actor_id]
        if a.kind in kinds and a not in found and (a.kind != "person" or m.how != "pronoun"):
            if people and m.how == "capital":
                continue  # "met ... in Luanda. ... the two leaders": the city is where, not who
            if people and a.country and any(b.country == a.country for b in found):
                continue  # "the two presidents": Putin, not also "Moscow" where they met
            found.append(a)
            if len(found) == n:
                return found[::-1]
    return []


def _owner_is_subject(pronoun: Token, noun: Token, state: DocCoding) -> bool:
    """Whether a possessive pronoun on a role noun names (or may name) its clause's subject."""
    owner = state.actor_at(pronoun)
    if owner is None:
        return True
    verb = noun.head if noun.dep_ != "pobj" else noun.head.head
    subj, _ = subjects(verb)
    return any(state.actor_at(t) is owner for t in subj) or not subj


def actors_of(tokens: list[Token], state: DocCoding, *, through_nouns: bool = True) -> list[tuple[Actor, Token]]:
    """Map role tokens to actors: the mention at the token, or what the token stands for."""
    out: list[tuple[Actor, Token]] = []
    seen: set[str] = set()

    def add(actor: Actor | None, tok: Token) -> bool:
        if actor is None:
            return False
        if actor.id not in seen:
            seen.add(actor.id)
            out.append((actor, tok))
        return True

    for tok in tokens:
        group = _the_two(tok, state)
        if group:  # "the three governments": the three named before, whatever else was guessed
            for a in group:
                add(a, tok)
            continue
        if add(state.actor_at(tok), tok):
            m = state.mention_at(tok)
            if m is not None and m.how in ("agent", "nominal"):
                # "the foreign ministers of France and Germany", "border guards from Kyrgyzstan
                # and Uzbekistan": one phrase, two actors
                for p in prep_objects(tok, ("of", "from")):
                    for c in conjuncts(p)[1:]:
                        add(state.actor_at(c), c)
                # "US and British forces": a nested nationality inside the phrase
                for c in tok.doc[tok.left_edge.i: tok.i]:
                    other = state.mention_at(c)
                    if other is not None and other is not m and other.how == "agent":
                        add(state.actor_at(c), c)
            continue
        if tok.dep_ == "appos" and add(state.actor_at(tok.head), tok.head):
            continue  # "militias, the same that assaulted..." -> the militias
        if tok.lower_ in PARTITIVE:  # "some of the militants", "all of Washington's terms"
            inner = prep_objects(tok, ("of", "among"))
            owners = [c for t in inner if state.actor_at(t) is None for c in t.children if c.dep_ == "poss"]
            added = [add(state.actor_at(t), t) for t in inner + owners]
            if any(added):
                continue
        # "several Western donors, including the United States and Germany": the members named
        members = [add(state.actor_at(t), t) for t in prep_objects(tok, ("including",))]
        if any(members):
            continue
        if through_nouns and tok.pos_ in ("NOUN", "PROPN"):
            # an instrument or event noun standing for its agent: "an American drone attack",
            # "Israel's offensive", "a strike by US forces"
            # the first (nearest the noun's start) modifier that names an actor: "an Israeli
            # spy headquarters" -> Israel, not also the spies
            for c in tok.children:
                if c.dep_ == "poss" and c.pos_ == "PRON" and tok.dep_ not in ("nsubj", "nsubjpass") \
                        and _owner_is_subject(c, tok, state):
                    # "reopened its border with Rwanda": "its" is the subject again (but in
                    # "its missiles struck ..." the owner of the weapons is the attacker, and in
                    # "arrested 32 fishermen and seized their trawlers" the owner is the target)
                    continue
                if c.dep_ == "compound" and _capital_at(c, state) and tok.lemma_.lower() in PREMISES:
                    continue  # "the Kabul office of an aid group": where the office is
                if c.dep_ in NOUN_ACTOR_DEPS and c.i < tok.i and add(state.actor_at(c), c):
                    break
            else:
                if tok.lemma_.lower() in PREMISES:
                    # "closed the office of a Norwegian aid group", "raided the home of X"
                    for p in prep_objects(tok, ("of",)):
                        add(state.actor_at(p), p)
            for a in agents(tok):
                add(state.actor_at(a), a)
            # "the oppression carried on by the Islamic Republic", "strikes launched by X"
            # (but "a truce brokered by Qatar": brokers are not the parties)
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in DOING_VERBS:
                    for a in agents(c):
                        add(state.actor_at(a), a)
    return out
