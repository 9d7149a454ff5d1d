"""Who takes part in an event beyond the plain subject and object: reciprocal pairs, places
that stand for their country, unnamed protesters, the authors of claims, forces used as means.

Helpers of :mod:`factions.events.component`, over the parse and the document's coding state.
"""

from __future__ import annotations

from spacy.tokens import Token

from factions.actors.dictionary import Entry as ActorEntry
from factions.events import roles
from factions.events.lexicon import Entry
from factions.model import Actor, Mention
from factions.nlp.state import DocCoding

FORCE_WORDS = frozenset({"troop", "troops", "force", "forces", "soldier", "soldiers", "warship", "warships", "jet",
                         "jets", "aircraft", "tank", "tanks", "missile", "missiles", "unit", "units", "battalion",
                         "brigade", "armour", "armor", "reinforcement", "reinforcements", "artillery", "weapon",
                         "weapons", "vessel", "vessels", "ship", "ships", "police", "officer", "officers"})
AMOUNTS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score", "scores",
                     "number", "contingent", "detachment", "battalion", "company", "squadron", "fleet"})
PROTESTERS = Actor("OPP:protester", "protesters", "group", None, "OPP")


PLACE_INTO = ("in", "inside", "across", "throughout", "into")
RECIPROCAL = frozenset({"CONSULT", "COOPERATE", "AGREE", "ASSAULT", "SUPPORT"})
IMPLIED_PATH = frozenset({"dobj", "pobj", "prep", "xcomp", "ccomp", "nsubjpass", "conj"})


def place_country_target(tokens: list[Token], state: DocCoding) -> list[tuple[Actor, Token]]:
    """The country where a non-actor object sits: "bombed targets in southern Lebanon",
    "struck hideouts inside Iran", "hit targets in Pakistan's Balochistan province"."""
    for t in tokens:
        places = roles.prep_objects(t, PLACE_INTO, deep=True) + [
            q for o in roles.objects(t) for q in roles.prep_objects(o, PLACE_INTO, deep=True)]
        if t.pos_ == "NOUN":  # anywhere inside the object: "strikes on what it called hideouts inside Iran"
            places += [x for x in t.subtree if x.dep_ == "pobj" and x.head.lower_ in PLACE_INTO]
        else:  # "carried out strikes on what it called hideouts inside Iran" ("on" hung off the verb)
            places += [x for p in t.children if p.dep_ == "prep" and p.lower_ in ("on", "upon", "against", "at")
                       for x in p.subtree if x.dep_ == "pobj" and x.head.lower_ in PLACE_INTO]
        for p in places:
            for cand in [p] + [c for c in p.children if c.dep_ in ("poss", "compound")]:
                actor = state.actor_at(cand)
                if actor is not None and actor.kind == "state":
                    return [(actor, cand)]
    return []


def pair_up(sources: list[tuple[Actor, Token]], targets: list[tuple[Actor, Token]], entry: Entry,
            reciprocal: bool = True):
    """Reciprocal events with no target ("France and Germany held talks", "the army and the
    RSF clashed"): every participant is a source with the others as targets, both ways, as
    PLOVER codes joint action. A target that is also a source ("Ethiopia and Kenya agreed to
    reopen their border") is no target. Co-agents of a passive ("a truce brokered by Qatar and
    Egypt") are not each other's partners: ``reciprocal=False``; nor are joint subjects of a
    SUPPORT entry that is not ``mutual`` ("China and the US welcomed the truce")."""
    source_ids = {actor_id(a) for a, _ in sources}
    targets = [(a, t) for a, t in targets if a.id not in source_ids]
    if entry.type == "SUPPORT" and not entry.mutual:
        reciprocal = False
    if not targets and len(sources) > 1 and entry.type in RECIPROCAL and reciprocal:
        return sources, sources
    return sources, targets


def named(tok: Token, state: DocCoding) -> bool:
    m = state.mention_at(tok)
    return m is not None and m.how in ("name", "capital")


def answered(noun: Token, sources: list[tuple[Actor, Token]], state: DocCoding) -> list[tuple[Actor, Token]]:
    """The author of the appeal, offer or demand an actor answers, from the events coded
    earlier in the document that were addressed to that actor."""
    ids = {actor_id(a) for a, _ in sources}
    for e in reversed(state.events):
        if e.type in ("REQUEST", "AGREE", "THREATEN", "ACCUSE") and e.target in ids and e.source and e.source not in ids:
            actor = state.actors.get(e.source)
            if actor is not None:
                return [(actor, noun)]
    return []


def is_force(tok: Token, state: DocCoding) -> bool:
    """Troops, warships, police units: what is mobilised rather than who is faced ("hundreds
    of soldiers" too)."""
    if tok.lemma_.lower() in AMOUNTS:
        return any(is_force(p, state) for p in roles.prep_objects(tok, ("of",)))
    actor = state.actor_at(tok)
    if actor is not None:
        m = state.mention_at(tok)
        return m is not None and m.how in ("agent", "nominal") and actor.sector in ("MIL", "COP", "PRM", "UAF", "SPY")
    return tok.lemma_.lower() in FORCE_WORDS


def summarised_actor(noun: Token, state: DocCoding) -> list[tuple[Actor, Token]]:
    """The author of the action a summary noun stands for: in "Ukraine's parliament voted to
    ban X, a move Moscow condemned", the subject of the clause the noun is attached to. An
    appositive sums up its whole sentence ("Pakistan accused India of sponsoring militants in
    Balochistan, a charge ..."), so the search may climb past nested phrases to the main verb."""
    t = noun
    whole = noun.dep_ in ("appos", "npadvmod")
    for _ in range(8 if whole else 4):
        if t.head.i == t.i:
            break
        t = t.head
        if whole and t.tag_ == "VBG":
            continue  # "accused India of sponsoring militants, a charge ...": not the sponsoring
        if t.pos_ in ("VERB", "AUX"):
            subj, passive = roles.subjects(t)
            found = roles.actors_of(roles.agents(t) if passive else subj, state)
            if found:
                return found
    return []


def actor_id(actor: Actor | None) -> str | None:
    return actor.id if actor is not None else None


def own_agent(tok: Token, state: DocCoding) -> bool:
    """An event noun naming its own agent ("Israel's offensive", "strikes by the US")."""
    return any(state.actor_at(c) is not None for c in tok.children if c.dep_ in ("poss", "compound")) \
        or bool(roles.agents(tok))


def implied_target(tok: Token, state: DocCoding, source_ids: set[str]) -> tuple[Actor, Token] | None:
    """Who suffers a sanction with no stated target: "Iran wants to escape the US sanctions"."""
    t = tok
    for _ in range(6):
        if t.head.i == t.i or t.dep_ not in IMPLIED_PATH:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            subj, passive = roles.subjects(t)
            found = roles.actors_of(subj, state, through_nouns=False)
            for actor, at in found:
                if actor.id not in source_ids:
                    return actor, at
            if subj:
                return None
    return None


def governing_subject(tok: Token, state: DocCoding) -> list[tuple[Actor, Token]]:
    """The subject of the nearest verb above ``tok`` (for adjuncts with no subject of their own)."""
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            return []
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            subj, passive = roles.subjects(t)
            return [] if passive else roles.actors_of(subj, state)
    return []


def protesters(tok: Token, state: DocCoding) -> Actor:
    """The (unnamed) protesters behind a protest noun, as an actor with a mention."""
    actor = state.actors.get(PROTESTERS.id)
    if actor is None:
        actor = Actor(PROTESTERS.id, PROTESTERS.name, PROTESTERS.kind, None, PROTESTERS.sector, [], 0)
        state.actors[actor.id] = actor
    actor.mentions += 1
    span = tok.doc[tok.left_edge.i: tok.i + 1] if tok.left_edge.i >= tok.i - 3 else tok.doc[tok.i: tok.i + 1]
    while len(span) > 1 and span[0].dep_ in ("det", "predet"):
        span = span[1:]
    if span.text not in actor.aliases:
        actor.aliases.append(span.text)
    k = len(state.mentions)
    state.mentions.append(Mention("", actor.id, span.text, span.start_char, span.end_char, "agent"))
    state.mention_heads.append(tok.i)
    for i in range(span.start, span.end):
        if state.by_token[i] < 0:
            state.by_token[i] = k
    return actor


def mention_text(tok: Token | None, state: DocCoding) -> str | None:
    if tok is None:
        return None
    m = state.mention_at(tok)
    return m.text if m is not None else tok.text


def entry_actor(entry: ActorEntry, state: DocCoding) -> Actor:
    """The document's actor for a dictionary entry (a country's state or sector), created if
    the document has none yet, with one more mention counted."""
    actor = state.actors.get(entry.id)
    if actor is None:
        actor = Actor(entry.id, entry.name, entry.kind, entry.country, entry.sector, [], 0, entry.affiliation)
        state.actors[entry.id] = actor
    actor.mentions += 1
    return actor
