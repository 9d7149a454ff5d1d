"""The ``factions_events`` spaCy component: PLOVER events from the parse, sentence by sentence.

For every sentence:
  1. verbs in the lexicon become candidate events, with source and target read off the parse
     (:mod:`factions.events.roles`); verbs like "threaten", "urge", "accuse" absorb the event in
     their complement ("threatened to strike" is one THREATEN event);
  2. event nouns become events when an actor is attached to them ("Israeli airstrikes", "the
     siege of the embassy by militias") or when a light verb carries them ("launched an
     attack"); a noun that is the subject, agent or instrument of a verb event only lends it
     its agent and mode ("killed by an American drone attack");
  3. each event gets its mode, modality, location, date and a confidence, and duplicates
     (same type, source and target in a sentence) collapse into the best-supported one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from factions.actors.dictionary import default_dictionary
from factions.data import load_words
from factions.events import roles
from factions.events.dates import event_date
from factions.events.domestic import localise
from factions.events.lexicon import Entry, Lexicon, load_lexicon
from factions.events.modality import INTENDING, cues, noun_modality, verb_modality
from factions.events.participants import (
    PLACE_INTO,
    RECIPROCAL,
    actor_id,
    answered,
    entry_actor,
    governing_subject,
    implied_target,
    is_force,
    mention_text,
    named,
    own_agent,
    pair_up,
    place_country_target,
    protesters,
    summarised_actor,
)
from factions.events.setting import PLACE_LABELS, place_tokens
from factions.model import Actor, Event, Location, Mention
from factions.nlp.geocode import Gazetteer, default_gazetteer
from factions.nlp.state import DocCoding, coding

OF_IS_TARGET = frozenset({"ASSAULT", "COERCE", "SANCTION", "ACCUSE", "THREATEN"})
TRUSTED_HOW = frozenset({"name", "capital", "agent", "adjective"})
REPORTING_THREAT = frozenset({"say", "warn", "announce", "declare", "state", "tell", "insist", "vow",
                              "pledge", "add", "stress", "write", "tweet", "threaten"})
# event nouns whose phrase names the target of the verb that governs them ("lifted the ban on X",
# "opened an investigation into X")
TARGETED_NOUNS = frozenset({"ban", "sanction", "sanctions", "embargo", "investigation", "inquiry", "probe",
                            "restriction", "restrictions", "curfew", "blockade", "siege", "warrant", "charge"})
CROWD_SECTORS = frozenset({"OPP", "EDU", "LAB", "AGR"})
FORCE_OBJECT = frozenset({"MOBILIZE"})
QUANTITY_NOUNS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "ton", "tons",
                            "tonne", "tonnes", "round", "series", "number", "wave", "batch", "set", "pair",
                            "couple", "lot", "range", "package", "string", "all", "most", "some", "part"})
ADVERB_PARTICLES = frozenset({"down", "back", "up", "out", "off", "away", "over", "together"})
ALLEGATIONS = frozenset({"ACCUSE", "REJECT"})
SPEECH_ACTS = frozenset({"ACCUSE", "REJECT", "REQUEST", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"})
GENERIC_PEOPLE = frozenset({"people", "person", "individual", "one", "other", "others"})
ANSWERS = frozenset({"REJECT", "AGREE", "CONCEDE"})
PROTEST_AIMS = frozenset({"REQUEST", "REJECT", "ACCUSE"})   # what a protest demands or denounces
RESPONSES = frozenset({"ACCUSE", "REJECT", "THREATEN", "PROTEST", "REQUEST", "SANCTION"})
ADDRESSED = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE"})   # said to someone
RETALIATION = frozenset(roles.load_yaml("syntax.yaml")["retaliation_words"])
PLACE_NOUNS = load_words("place_nouns")
PRESSURE = frozenset(roles.load_yaml("syntax.yaml")["pressure_nouns"])
THREAT_OUTCOMES = frozenset(roles.load_yaml("syntax.yaml")["threat_outcomes"])
ARMED_STATE_SECTORS = frozenset({"MIL", "COP"})
HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"})
PLACE_TARGETED = frozenset({"ASSAULT", "MOBILIZE", "THREATEN"})   # a place can be what is struck or threatened
PACT_NOUNS = frozenset({"agreement", "agreements", "deal", "deals", "accord", "pact", "treaty", "memorandum", "mou"})
NON_STATE_ATTACKERS = frozenset({"REB", "UAF", "CRM", "PRM", "OPP", "CVL"})
MEETING_VERBS = frozenset({"meet", "receive", "talk", "hold"})
REACTIONS = frozenset({"ACCUSE", "REJECT", "SUPPORT"})   # verbal reactions to an earlier event
SUMMARY_NOUNS = frozenset(roles.load_yaml("syntax.yaml")["summary_nouns"])
CLAIM_NOUNS = frozenset(roles.load_yaml("syntax.yaml")["claim_nouns"])
PATIENT_OBJECTS = frozenset({"COERCE", "ASSAULT", "SANCTION", "RETREAT", "CONCEDE"})
CONFLICT_NOUNS = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "THREATEN"})
BENEFIT = frozenset({"AID", "COOPERATE", "SUPPORT"})
HELPING = frozenset({"help", "assist", "support", "aid", "benefit", "enable", "allow", "rebuild", "fight", "combat"})
UNDERGO = frozenset({"face", "suffer", "endure", "undergo", "survive", "experience", "withstand", "weather",
                     "escape", "evade", "receive", "absorb"})
NOT_DOING = frozenset({"see", "watch", "witness", "fear", "expect", "await", "avoid", "prevent", "mark",
                       "commemorate", "remember", "investigate", "study", "discuss", "debate", "consider",
                       "oppose", "support", "want", "need", "seek", "demand", "urge", "welcome", "condemn",
                       "criticise", "criticize", "deny", "blame", "protest", "reject", "halt", "stop", "end",
                       "suspend", "cancel", "postpone", "monitor", "document", "record", "count", "describe",
                       "call", "name", "survive", "face", "suffer", "fund", "back", "join", "host", "attend",
                       "follow", "cover", "visit", "tour", "leave", "enter", "flee", "oversee", "supervise", "observe",
                       "verify", "facilitate"})
SOURCELESS = frozenset({"ASSAULT", "COERCE", "RETREAT", "SANCTION"})
CONFLICT = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
PROMISES = frozenset({"AGREE"})
CONCESSION_MODES = frozenset({"resign", "withdraw", "release", "ceasefire", "disarm"})
WILLING = frozenset({"willing", "ready", "prepared", "open", "eager", "keen", "determined", "poised"})
OBLIGATION = frozenset({"must", "should", "ought"})
WARNINGS = frozenset({"warn", "caution"})
VOWS = frozenset({"vow", "pledge", "promise", "swear"})  # "vowed to retaliate" is a threat, not a promise to cooperate
INSTRUMENTAL = frozenset({"with", "through", "via", "using", "in"})
@dataclass(slots=True)
class Candidate:
    """An event before it is written: the trigger, its entry and its actors."""

    trigger: Token
    entry: Entry
    sources: list[tuple[Actor, Token]]
    targets: list[tuple[Actor, Token]]
    modality: str
    is_noun: bool
    context: list[Token] = field(default_factory=list)   # tokens that can tell the mode


class EventCoder:
    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer | None = None) -> None:
        self.lex = lexicon
        self._gaz = gazetteer
        # every word of an absorbing noun entry ("refusal", "threat"): no other noun can be one
        self.absorbing_words = frozenset(w for key, e in lexicon.nouns.items() if e.absorb for w in key.split())

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:  # loaded on first use: tests of other stages stay fast
            self._gaz = default_gazetteer()
        return self._gaz

    def __call__(self, doc: Doc) -> Doc:
        state = coding(doc)
        anchor = doc.user_data.get("factions_date")
        prefer = frozenset(a.country for a in state.actors.values() if a.kind == "state" and a.country)
        for sent in doc.sents:
            for cand in self._dedupe(self._sentence(sent, state)):
                _reported_threat(cand, state)
                localise(cand.entry.type, cand.sources, cand.targets, state)
                state.events.extend(self._events(cand, sent, state, anchor, prefer))
        return doc

    # -- finding candidates ------------------------------------------------------------------------
    def _sentence(self, sent: Span, state: DocCoding) -> list[Candidate]:
        out: list[Candidate] = []
        consumed: set[int] = set()      # nouns already serving a verb event
        embedded: set[int] = set()      # complements of absorbing verbs
        verb_hits: list[tuple[Token, Entry]] = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
                continue
            entry = self._verb_entry(tok)
            if entry is None or entry.none:
                continue  # no lexicon sense, or a known non-event sense ("declined to comment")
            verb_hits.append((tok, entry))
            if entry.absorb:
                for c in roles.complements(tok):
                    embedded.update(t.i for t in _clause_verbs(c))
                for c in tok.children:
                    if c.dep_ == "prep":  # "accused Rwanda of arming the rebels"
                        embedded.update(t.i for p in c.children if p.dep_ == "pcomp" for t in _clause_verbs(p))
                    if entry.type in ALLEGATIONS and c.dep_ in ("xcomp", "ccomp", "prep", "dobj"):
                        # "accusing Kigali of backing rebels who attacked ...": allegations
                        # (but not the reply in "..., a charge New Delhi denied")
                        replies = {t.i for a in c.subtree if a.dep_ == "appos" and a.lemma_.lower() in SUMMARY_NOUNS
                                   for t in a.subtree}
                        embedded.update(t.i for t in c.subtree if t.pos_ in ("VERB", "AUX") and t.i not in replies)
                if entry.type in ALLEGATIONS and any(p.dep_ == "pcomp" for h in [tok, *roles.objects(tok)]
                                                     for c in h.children if c.dep_ == "prep" for p in c.children):
                    # "accused the RSF of shelling a camp, killing 40 people": the killing is
                    # part of what is alleged, not an act of the accuser
                    for c in tok.children:
                        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i > tok.i:
                            inner = self._verb_entry(c)
                            if inner is not None and inner.type in HOSTILE:
                                embedded.update(t.i for t in _clause_verbs(c))
        for tok in sent:
            # "Kazakhstan's refusal to recognise the annexation", "the threat to close the
            # strait": an absorbing noun takes in its "to" clause, as the verb does (the word
            # list spares the noun lookup for every other noun)
            if tok.pos_ == "NOUN" and (tok.lemma_.lower() in self.absorbing_words or tok.lower_ in self.absorbing_words) \
                    and (e := self._noun_entry(tok)) is not None and e.absorb:
                for c in _aims(tok):
                    embedded.update(t.i for t in _clause_verbs(c))
        hit_types = {t.i: e.type for t, e in verb_hits}
        followups: dict[int, tuple[Token, Entry]] = {}
        # "rallied to demand the prime minister's resignation", "went on strike demanding a pay
        # rise": the demand is what the protest is about, one PROTEST aimed at its addressee
        hits_at = {t.i: (t, e) for t, e in verb_hits}
        claims: dict[int, tuple[Token, Entry]] = {}
        # (and "staged a sit-in ..., demanding that the government ...": the protest noun of a
        # light verb, keyed by the noun)
        protests = [(tok, tok) for tok, entry in verb_hits if entry.type == "PROTEST"] + [
            (tok, noun) for tok in sent if tok.lemma_.lower() in self.lex.light_verbs
            for noun in tok.children if noun.dep_ == "dobj"
            and (e := self._noun_entry(noun)) is not None and e.type == "PROTEST"]
        for tok, key in protests:
            if tok.i in embedded:
                continue
            for c in tok.children:
                if c.i in hits_at and hits_at[c.i][1].type in PROTEST_AIMS and c.dep_ in ("advcl", "xcomp") and (
                        c.tag_ == "VBG" or roles.infinitive(c)):
                    claims[key.i] = hits_at[c.i]
                    embedded.add(c.i)
        out.extend(self._stances(sent, state, embedded))
        for tok, entry in verb_hits:
            if tok.i in embedded:
                continue
            purpose = roles.infinitive(tok)
            if (tok.dep_ == "advcl" and (tok.tag_ == "VBG" or purpose) or tok.dep_ == "xcomp" and purpose) \
                    and hit_types.get(tok.head.i) == entry.type:
                # "struck a building, killing 12 people", "met X to discuss Y", "summoned the
                # ambassador to protest": one event
                followups[tok.head.i] = (tok, entry)
                continue
            if not entry.obj and tok.lemma_.lower() in self.lex.light_verbs and any(
                    c.dep_ == "dobj" and self._noun_entry(c) is not None for c in tok.children):
                continue  # "ordered his elimination": the noun carries the event
            cand = self._verb_candidate(tok, entry, state, consumed, out)
            if cand is not None and cand.entry.type in ("SUPPORT", "AGREE") and cand.entry.obj & PACT_NOUNS:
                # "signed an agreement to share intelligence": the pact is the cooperation it
                # sets up
                if self._pact_content(roles.objects(tok)) == "COOPERATE":
                    cand.entry = replace(cand.entry, type="COOPERATE", mode=None)
            if cand is not None:
                out.append(cand)
        for cand in out:
            follow = followups.get(cand.trigger.i)
            if follow is not None and not cand.targets:
                # its victims, unless they are just "people" ("killing dozens of civilians"); the
                # target of its purpose ("used water cannon to break up a rally of X")
                extra = self._verb_candidate(follow[0], follow[1], state, consumed)
                if extra is not None:
                    cand.targets = [(a, t) for a, t in extra.targets
                                    if follow[0].tag_ != "VBG" or t.lemma_.lower() not in GENERIC_PEOPLE]
        for cand in out:
            claim = claims.get(cand.trigger.i)
            if claim is not None:
                extra = self._verb_candidate(claim[0], claim[1], state, consumed)
                if extra is not None:
                    ids = {actor_id(a) for a, _ in cand.sources}
                    # (not the people a demand is on behalf of: "marched to demand a deal to free
                    # the hostages" is no protest against the hostages)
                    aimed = [(a, t) for a, t in extra.targets if a is not None and a.id not in ids
                             and not (cand.entry.type == "PROTEST" and a.sector in ("CVL", "REF"))]
                    # whom the demand is made of, rather than where they gathered ("a sit-in
                    # outside parliament, demanding that the government ...")
                    cand.targets = aimed or cand.targets
        inside = {t.i for i in embedded for t in sent.doc[i].subtree}
        # what a speech act is about ("condemned a decision to ban travellers", "rejected calls
        # for a ceasefire") is not an event of its own unless the text names who does it
        for verb, entry in verb_hits:
            if entry.absorb and entry.type in SPEECH_ACTS:
                for c in verb.children:
                    if c.dep_ in ("dobj", "prep", "attr"):
                        inside.update(t.i for t in c.subtree)
        # a verb that found no actors ("X's rejection of a truce drew criticism") leaves its
        # subject noun free to be an event of its own (its object stays its own: "criticism")
        verb_triggers = {t.i for t, _ in verb_hits}
        silent = verb_triggers - {c.trigger.i for c in out if not c.is_noun} - set(followups)
        for tok in sent:
            if tok.i in consumed or tok.pos_ not in ("NOUN", "PROPN") or state.by_token[tok.i] >= 0:
                continue
            if tok.i in inside and not own_agent(tok, state):
                continue  # "agreed to extend their ceasefire": the noun is what was agreed
            cand = self._noun_candidate(tok, state, embedded, verb_triggers, silent)
            if cand is not None:
                out.append(cand)
        return out

    def _verb_entry(self, verb: Token) -> Entry | None:
        lemma = verb.lemma_.lower()
        doc = verb.doc
        if verb.i >= 2 and doc[verb.i - 1].text == "-" and not doc[verb.i - 1].whitespace_:
            # "test-fired": the tokenizer splits hyphenated verbs
            hyphenated = self.lex.verb_entries(f"{doc[verb.i - 2].lower_}-{lemma}")
            if hyphenated:
                lemma = f"{doc[verb.i - 2].lower_}-{lemma}"
        entries = self.lex.verb_entries(lemma)
        if not entries:
            return None
        particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "agent")
                     or (c.dep_ == "advmod" and c.lower_ in ADVERB_PARTICLES)}  # "stepped down"
        particles.update(m.lower_ for c in verb.children if for_to(c) for m in c.children if m.dep_ == "mark")
        # "dismissed the protesters as paid by foreign interests": "as" opens a clause
        # (not a clause with its own subject: "dismissed the minister as protests grew")
        particles.update(m.lower_ for c in verb.children if c.dep_ == "advcl" and c.i > verb.i
                         and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                         for m in c.children if m.dep_ == "mark" and m.lower_ == "as")
        direct, indirect = _object_words(verb)
        # the direct object decides first ("suspended aid in protest" is about the aid)
        for words in (direct, direct | indirect):
            for e in entries:
                if e.prt and e.prt not in particles:
                    continue
                if e.obj and not (e.obj & words):
                    continue
                return e
        return None

    def _verb_candidate(self, verb: Token, entry: Entry, state: DocCoding, consumed: set[int],
                        earlier: list[Candidate] | None = None) -> Candidate | None:
        if verb.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
            return None  # "two journalists who had criticised the junta": background, not news
        subj, passive = roles.subjects(verb)
        objs = roles.objects(verb)
        preps = self.lex.preps_for(entry)
        context: list[Token] = []
        used: list[Token] = []          # nouns this event takes over from the noun pass
        if passive:
            source_toks, target_toks = roles.agents(verb), list(subj)
            if entry.type == "MOBILIZE" and not source_toks:
                # "North Korean soldiers were deployed to Kursk": the deployed force mobilises
                source_toks, target_toks = list(subj), []
        else:
            source_toks, target_toks = list(subj), list(objs)
        force = not passive and any(is_force(o, state) for o in objs) and (
            entry.type in FORCE_OBJECT or (entry.type == "RETREAT" and entry.mode == "withdraw"))
        if force:
            # "deployed troops to its border with Guyana": the troops are the means, the
            # target is where or against whom they are sent ("encircled Taiwan": a target)
            context.extend(objs)
            target_toks = []
        controlled = not target_toks and not passive and verb.lemma_.lower() in roles.OBJECT_CONTROL
        if controlled:
            # "help Somalia rebuild": the subject of the small clause is the target
            target_toks = [s for c in verb.children if c.dep_ in ("ccomp", "xcomp") for s in roles.subjects(c)[0]
                           if s.i > verb.i]
        if entry.obj and entry.type in ("CONSULT", "AGREE") and not passive and objs \
                and any(c.lemma_.lower() in entry.obj for c in roles.complements(verb)) \
                and not any(_names_word(o, entry.obj) for o in objs):
            # the words matched the verb's clause, not its object: "called Lavrov to discuss
            # Syria", "invited Putin to visit": the one called or invited is the target (but
            # "ordered police to arrest protesters" is aimed at the protesters)
            context.extend(objs)
        elif entry.obj:
            # the object is the event's own noun ("imposed sanctions"): targets come from preps
            context.extend(objs)
            used.extend(objs)
            target_toks = list(subj) if passive else []
        deep = entry.requires_target
        prep_targets = roles.prep_objects(verb, preps, deep=deep)
        if force:
            # "near the border with Ukraine", "to its border with Guyana": who is faced
            prep_targets = [x for p in prep_targets + roles.prep_objects(verb, ("to", "into"))
                            for x in ([p] if state.actor_at(p) and p.head.lower_ != "to" and p.head.lower_ != "into"
                                      else [t for _, t in roles.actors_in_phrase(p, state)])]
        for o in objs:
            prep_targets += roles.prep_objects(o, preps)
        complement: list[Token] = []
        if entry.absorb:
            for c in roles.complements(verb):
                inner_subj = roles.subjects(c)[0] if c.dep_ == "ccomp" or for_to(c) else []
                inner_objs = [o for o in roles.objects(c) if not is_force(o, state)]
                if len(inner_objs) < len(roles.objects(c)):  # "agreed to deploy troops to Congo"
                    inner_objs += roles.prep_objects(c, ("to", "into"))
                if for_to(c) and any(state.actor_at(t) is not None for t in inner_subj):
                    complement += inner_subj  # "called for Congo to disarm the militia": Congo
                elif for_to(c) and roles.agents(c):
                    complement += roles.agents(c)  # "called for a truce to be observed by all groups"
                else:
                    complement += inner_subj + inner_objs + roles.prep_objects(c, preps)
                    if entry.type == "THREATEN":
                        # "threatened to raise tariffs on Mexican goods": whom the threatened act hits
                        complement += [t for o in [c, *inner_objs] for p in roles.prep_objects(o, ("on", "against"))
                                       for t in ([p] if state.actor_at(p)
                                                 else [t for _, t in roles.actors_in_phrase(p, state)])]
                # "warned that it would act if South Korea went ahead with drills"
                complement += [s for a in c.children if a.dep_ == "advcl"
                               and any(m.lower_ in ("if", "unless") for m in a.children if m.dep_ == "mark")
                               for s in roles.subjects(a)[0]]
                context.append(c)
                context.extend(roles.objects(c))
        # instruments: "killed in an Israeli airstrike", "hit by a drone"
        # (a joint operation is a cooperation of its own: "killed 30 fighters in joint operations
        # with Congolese troops")
        instruments = [t for t in roles.prep_objects(verb, ("in", "by", "with", "during", "through"))
                       if t.pos_ == "NOUN" and (e := self._noun_entry(t)) is not None and e.type != "COOPERATE"]
        context.extend(instruments)
        context.extend(source_toks)
        sources = roles.actors_of(source_toks, state)
        if force and entry.type == "MOBILIZE" and verb.lemma_.lower() in roles.OBJECT_CONTROL:
            own = {a.country for a, _ in sources if a is not None and a.country}
            foreign = [t for a, t in roles.actors_of(objs, state) if own and a.country and a.country not in own]
            if foreign:
                # "the junta ordered French troops to leave the country": a demand on France,
                # not a deployment of the junta's
                entry = replace(entry, type="REQUEST", mode=None)
                force, target_toks = False, foreign
        # "a Ukrainian missile strike on a Russian air base destroyed ...": the subject noun
        # carries the target
        noun_subj_targets = [p for t in source_toks if t.pos_ == "NOUN" and self._noun_entry(t) is not None
                             for p in roles.prep_objects(t, preps)]
        # "called on Ethiopian authorities to release journalists": the addressee, then what
        # "warned that Cairo would suspend its cooperation with Israel": the speaker is no target
        source_ids = {actor_id(a) for a, _ in sources}
        if controlled:
            target_toks = [t for t in target_toks if actor_id(state.actor_at(t)) not in source_ids]
        complement = [t for t in complement if actor_id(state.actor_at(t)) not in source_ids]
        if entry.target and "to" in entry.target and objs and not passive and not entry.obj:
            # "extradited a cartel commander to the United States", "donated two ambulances to
            # the Red Cross": the object is what is handed over, the "to" actor its recipient
            recipients = self._targets(roles.prep_objects(verb, ("to",)), state, skip=source_ids)
            if recipients:
                target_toks = [t for _, t in recipients]
        targets = (self._targets(target_toks, state)
                   # "banned a march by opposition supporters": a "by" the parser hung off the
                   # active verb belongs to its object
                   or (self._targets(roles.agents(verb), state) if objs and not passive and not entry.obj else [])
                   or self._targets(prep_targets, state)
                   or self._targets(complement, state, skip=source_ids)
                   # "lifted the ban on the X party", "dissolved all political parties"
                   # (not for partners acting together: "X and Y signed a pact allowing troops
                   # ...", "German and Dutch troops began a joint exercise in Lithuania")
                   or (self._object_targets(objs, entry, state)
                       if entry.obj and not force and not (len(sources) > 1 and (
                           entry.mutual or entry.type in ("COOPERATE", "CONSULT"))) else [])
                   or self._targets(noun_subj_targets, state))
        if entry.type == "ACCUSE" and entry.obj and objs and not passive and objs[0].lower_ in CLAIM_NOUNS \
                and any(c.dep_ in ("oprd", "acomp", "xcomp") for c in verb.children):
            # "called the charge baseless": a rejection of the charge, aimed at who made it
            entry = replace(entry, type="REJECT")
        if not targets and entry.type in ANSWERS and objs and objs[0].lemma_.lower() in SUMMARY_NOUNS:
            # "The three governments rejected the appeal": whoever appealed to them
            targets = answered(objs[0], sources, state)
        if not targets and entry.type in REACTIONS and objs and not passive and state.actor_at(objs[0]) is None:
            # "Manila said, calling the move illegal", "the Rwandan government welcomed the
            # decision", "rejected the criticism": whoever made the move, decision or criticism
            targets = self._referent(objs[0], sources, state, earlier or [])
        if entry.type == "CONCEDE" and all(actor_id(a) in source_ids for a, _ in targets):
            # "the EU agreed the package after Hungary dropped its veto", "the government eased
            # restrictions after truckers suspended their strike": a concession answers the other
            # side of the "after" clause
            targets = self._targets(_after_partner(verb), state, skip=source_ids)
        if not targets and entry.type in ("CONCEDE", "RETREAT"):
            # "Under pressure from farmers, the Commission dropped the plan": who pressed
            pressed = [p.i for p in roles.prep_objects(verb, ("under", "amid", "after", "following", "to"))
                       if p.lemma_.lower() in PRESSURE or p.lower_ in PRESSURE]
            targets = self._targets([x for i in pressed for x in roles.prep_objects(verb.doc[i], ("from", "by"))],
                                    state, skip=source_ids)
        if not targets and not passive and (verb.dep_ == "relcl" or (verb.dep_ == "acl" and subj_own(verb))) \
                and all(o.lower_ in roles.RELATIVE for o in objs):
            # ("charges that Washington called fabricated": "that" is the object)
            if verb.head.lemma_.lower() in SUMMARY_NOUNS:
                # "..., a move Moscow condemned", "a claim Iraq's government rejected": the
                # target is whoever made the move or the claim
                targets = summarised_actor(verb.head, state)
            else:
                # "six Iranian officials [whom] it accused": the relative clause's object
                targets = roles.actors_of([verb.head], state)
        if passive and verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in SUMMARY_NOUNS \
                and all(actor_id(a) in source_ids for a, _ in targets):
            # "..., a move criticised by Muslim clerics abroad": whoever made the move
            targets = summarised_actor(verb.head, state)
        if not targets and entry.type in RESPONSES and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in roles.PROVOKING:
            # "stormed the Mexican embassy ..., prompting Mexico to break relations": the
            # response is aimed at whoever did what prompted it
            targets = [(a, t) for a, t in roles.actors_of(roles.subjects(verb.head)[0], state)
                       if a.id not in {actor_id(s) for s, _ in sources}]
        if entry.type == "PROTEST" and verb.lemma_.lower() == "march" and sources and all(
                a is not None and a.sector in ARMED_STATE_SECTORS for a, _ in sources):
            return None  # "thousands of troops marched through the square": a parade, not a protest
        if entry.type == "PROTEST" and not all(a is not None and (a.kind in ("state", "igo") or a.sector == "GOV")
                                               for a, _ in sources):
            # "protested to Mbabane" is a government's complaint; crowds protest against
            # something, and a "to" in their sentence is a destination ("handover to X")
            targets = [(a, t) for a, t in targets if not (t.dep_ == "pobj" and t.head.lower_ == "to")]
        if (all(actor_id(a) in source_ids for a, _ in targets) or (objs and state.actor_at(objs[0]) is None)) \
                and entry.type in ADDRESSED and verb.dep_ in ("advcl", "xcomp") and roles.infinitive(verb) \
                and verb.head.i in hits_of(earlier):
            # "telephoned his Iranian counterpart to seek the release of ...": said to the one
            # the call, visit or meeting was with
            first = hits_of(earlier)[verb.head.i]
            targets = [(a, t) for a, t in first.targets if actor_id(a) not in source_ids] or targets
        if not [a for a, _ in targets if actor_id(a) not in source_ids] and entry.type == "THREATEN" and any(
                t.lemma_.lower() in RETALIATION for t in [verb, *roles.objects(verb), *roles.prep_objects(verb, ("of",))]
                + [x for c in roles.complements(verb)
                   for x in [c, *roles.objects(c), *roles.prep_objects(c, ("in", "with"))]]):
            # "the Taliban government said, vowing to retaliate", "warned that Moscow would
            # respond in kind", "warned of resolute countermeasures": against whoever struck last
            targets = self._last_attacker(verb, sources, state, earlier or [])
        if not targets and objs and objs[0].pos_ == "PRON" and objs[0].lower_ in ("him", "her", "them") \
                and state.actor_at(objs[0]) is None and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            # "expelled the UN rights office's representative, accusing her of meddling": the
            # one the main act was done to (a person the actor stage could not name)
            first = next((c for c in earlier or [] if c.trigger.i == verb.head.i and not c.is_noun), None)
            if first is not None:
                targets = [(a, t) for a, t in first.targets if a is not None and actor_id(a) not in source_ids]
        if entry.type in ADDRESSED and verb.dep_ == "conj" and not subj_own(verb) \
                and all(actor_id(a) in source_ids for a, _ in targets):
            # "summoned Russia's ambassador ... and demanded their withdrawal": the demand is
            # made to whom the first act was addressed
            first = next((c for c in earlier or [] if c.trigger.i == verb.head.i), None)
            if first is not None and {actor_id(a) for a, _ in first.sources} == source_ids:
                targets = [(a, t) for a, t in first.targets if actor_id(a) not in source_ids]
        if not sources and instruments:
            sources = roles.actors_of(instruments, state)
        if not sources and not passive and verb.dep_ in ("pcomp", "advcl") and verb.tag_ == "VBG":
            sources = governing_subject(verb, state)  # "..., in Gaza supporting Hamas"
        if entry.obj_is_source:
            sources, targets = targets, sources
            if verb.dep_ == "relcl" and verb.head.pos_ == "NOUN" and state.actor_at(verb.head) is None:
                # "a pact that drew criticism from lawmakers", "a media law that drew
                # condemnation": whoever made the pact or the law
                targets = summarised_actor(verb.head, state) or targets
        if not targets:
            # "returned 12 skulls that date back to 640 to Peru": the preposition sits deep in
            # a long object
            targets = self._targets([p for o in objs if not is_force(o, state)
                                     for p in roles.prep_objects(o, preps, deep=True, nested=True)], state)
        if not targets and (entry.type in BENEFIT or entry.type == "AGREE") and not (entry.mutual and len(sources) > 1):
            # "donated ventilators to assist Ethiopia", "emergency aid to help Haiti cope",
            # "pledged $120 million to help Papua New Guinea expand its police"
            targets = self._targets([t for c in verb.subtree if c.dep_ in ("advcl", "xcomp", "acl")
                                     and c.lemma_.lower() in HELPING for t in
                                     roles.objects(c) + [s for x in c.children if x.dep_ == "ccomp"
                                                         for s in roles.subjects(x)[0]]], state)
        if not targets and entry.type in ("ASSAULT", "AID"):
            targets = place_country_target(target_toks + objs + [verb], state)  # "bombed targets in Lebanon"
        if not targets and entry.type == "AID" and not passive:
            # "provided EUR 28 million to pay for aid for those affected in Yemen": aid goes to
            # the country where it is spent
            purposes = [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and roles.infinitive(c)]
            purposes += [c for o in objs for c in o.children if c.dep_ in ("acl", "relcl") and roles.infinitive(c)]
            places = [x for c in purposes for x in c.subtree if x.dep_ == "pobj" and x.head.lower_ in PLACE_INTO]
            # (a country named as a place only, as "bombed targets in Lebanon" above: a town is
            # where the aid went, its location)
            targets = [(a, x) for x in places for a in [state.actor_at(x)] if a is not None and a.kind == "state"][:1]
        if not targets and entry.type in PLACE_TARGETED and not passive:
            # "fired rockets at the port city of Haifa", "threatened to seize the Essequibo region"
            places = objs + prep_targets + (complement if entry.type == "THREATEN" else [])
            targets = self._place_targets(places, sources, state)
        if entry.requires_target and not targets:
            return None
        if entry.type == "THREATEN" and verb.lemma_.lower() in WARNINGS and not self._own_complement(verb, sources, state):
            return None  # "people could be forced from their homes, aid agencies warned": a forecast
        if not sources:
            # "the prime minister was shot", "a man was detained": the text names the victim
            # but not who did it; the event is kept with no source
            if not (passive and targets and entry.type in SOURCELESS):
                return None
            sources = [(None, None)]
        consumed.update(t.i for t in used + source_toks + instruments)
        if entry.absorb and entry.type in PROMISES:
            inner = self._complement_types(verb)
            types = {t for t, _ in inner}
            if verb.lemma_.lower() in VOWS and types & {"ASSAULT", "COERCE"}:
                entry = replace(entry, type="THREATEN", mode=entry.mode or "violence")  # "vowed to retaliate"
            elif len(sources) == 1 and any(t in ("RETREAT", "CONCEDE") and m in CONCESSION_MODES for t, m in inner):
                entry = replace(entry, type="CONCEDE")  # "agreed to resign": a promised concession
        if entry.type == "CONSULT" and verb.lemma_.lower() == "host" and passive and verb.dep_ in ("acl", "relcl"):
            # "agreed to a ceasefire at talks hosted by Malaysia's prime minister": the parties
            # came to the host
            guests = governing_subject(verb.head, state)
            hosts = roles.actors_of(roles.agents(verb), state)
            if guests and hosts:
                sources, targets = guests, hosts
        if entry.type == "CONSULT" and verb.lemma_.lower() in MEETING_VERBS and len(sources) == 1 and len(targets) == 1:
            # "X met Y in X's capital": Y came to X; a visit runs visitor -> host
            host = self._place_country(verb, state)
            s_country, t_country = (a.country if a is not None else None for a in (sources[0][0], targets[0][0]))
            if host and s_country == host and t_country and t_country != host:
                sources, targets = targets, sources
        sources, targets = pair_up(sources, targets, entry, reciprocal=not passive)
        if len(sources) == 2 and any(t is not None and roles.each_other(t) for _, t in sources):
            targets = list(sources)  # "each side accused the other": each the other's target
        return Candidate(verb, entry, sources, targets, verb_modality(verb), False, context)

    def _place_country(self, verb: Token, state: DocCoding) -> str | None:
        """The country of the place a verb happens "in" ("met ... in Hargeisa")."""
        for p in roles.prep_objects(verb, ("in",)) + [x for o in roles.objects(verb) for x in roles.prep_objects(o, ("in",))]:
            actor = state.actor_at(p)
            m = state.mention_at(p)
            if actor is not None:
                if actor.kind == "state" and m is not None and m.how in ("name", "capital"):
                    return actor.country
                continue
            ent = state.ent_at(p)
            loc = self.gaz.lookup(ent.text if ent is not None else p.text)
            if loc is not None and loc.country:
                return loc.country
        return None

    def _referent(self, noun: Token, sources: list[tuple[Actor, Token]], state: DocCoding,
                  earlier: list[Candidate]) -> list[tuple[Actor, Token]]:
        """The author of the earlier event a reaction's object noun stands for: "arrested a
        commentator ... The bar association condemned the arrest" -> the arresters. The
        latest earlier event with the noun's own word ("arrested"), else of its type
        ("detained": COERCE), else any for a summary noun ("move", "decision"). Nobody for
        a joint act ("welcomed the agreement" two sides reached) or the reacting actor's own."""
        lemma = noun.lemma_.lower()
        own = self._noun_entry(noun)
        acts = set() if own is not None or lemma in SUMMARY_NOUNS else {
            e.type for e in self.lex.verb_entries(lemma) if not e.none}   # "the launch": launching
        if own is None and lemma not in SUMMARY_NOUNS and not acts:
            return []
        wanted = own.type if own is not None and not own.none else None
        doc = noun.doc
        found: list[tuple[int, str, str, str | None]] = []   # (position, lemma, type, source)
        for e in state.events:
            if e.trigger_start < noun.idx:
                span = doc.char_span(e.trigger_start, e.trigger_end)
                found.append((e.trigger_start, span.root.lemma_.lower() if span is not None else "", e.type, e.source))
        for c in earlier:
            if c.trigger.i < noun.i:
                found.extend((c.trigger.idx, c.trigger.lemma_.lower(), c.entry.type, actor_id(a)) for a, _ in c.sources)
        found.sort(key=lambda f: f[0])
        for keep in (lambda f: f[1] == lemma, lambda f: f[2] == wanted, lambda f: f[2] in acts,
                     lambda f: wanted is None and not acts):
            hits = [f for f in found if keep(f)]
            if hits:
                break
        else:
            return []
        last = hits[-1][0]
        authors = {f[3] for f in hits if f[0] == last}
        ids = {actor_id(a) for a, _ in sources}
        if len(authors) != 1 or authors & ids or None in authors:
            return []
        actor = state.actors.get(authors.pop())
        return [(actor, noun)] if actor is not None else []

    def _last_attacker(self, verb: Token, sources: list[tuple[Actor, Token]], state: DocCoding,
                       earlier: list[Candidate]) -> list[tuple[Actor, Token]]:
        """The source of the latest earlier hostile act (an attack, a sanction, a threat) by
        someone other than the speakers: what a vow of retaliation answers. With none, the
        target of the speakers' own latest hostile act or accusation, which the threat keeps
        up ("lambasted Ethiopia ... He warned that Cairo would take all measures")."""
        ids = {actor_id(a) for a, _ in sources}
        # earlier acts, latest first: (offset, type, source id, target id), coded or still candidates
        acts = [(e.trigger_start, e.type, e.source, e.target) for e in state.events if e.trigger_start < verb.idx]
        acts += [(c.trigger.idx, c.entry.type, actor_id(a), actor_id(t)) for c in earlier if c.trigger.i < verb.i
                 for a, _ in c.sources for t, _ in c.targets or [(None, None)]]
        acts.sort(key=lambda act: act[0], reverse=True)
        for _, type_, who, _ in acts:
            if type_ in HOSTILE and who is not None and who not in ids and who in state.actors:
                return [(state.actors[who], verb)]
        for _, type_, who, whom in acts:
            if (type_ in HOSTILE or type_ == "ACCUSE") and who in ids and whom is not None and whom not in ids \
                    and whom in state.actors:
                return [(state.actors[whom], verb)]
        return []

    def _stances(self, sent: Span, state: DocCoding, embedded: set[int]) -> list[Candidate]:
        """Events stated as a stance rather than a deed:

        - willingness: "Pakistan is willing/ready to withdraw its troops" is an offer (AGREE,
          CONCEDE for concessions), "ready to strike" a threat (THREATEN);
        - obligation put on another: "Russia says Israel must end its attacks" is a REQUEST
          from the speaker to the one who must act.
        The complement is then part of this event, not an event of its own.
        """
        out: list[Candidate] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if lemma in WILLING and tok.pos_ == "ADJ":
                for c in tok.children:
                    if c.dep_ != "xcomp":
                        continue
                    inner = self._verb_entry(c)
                    if inner is None or inner.none:
                        continue
                    subj, _ = roles.subjects(tok.head if tok.dep_ == "acomp" else tok)
                    sources = roles.actors_of(subj, state)
                    if not sources:
                        continue
                    if inner.type in ("ASSAULT", "COERCE", "MOBILIZE"):
                        entry = replace(inner, type="THREATEN", mode="violence", absorb=True)
                    elif inner.mode in CONCESSION_MODES:
                        entry = replace(inner, type="CONCEDE", absorb=True)
                    else:
                        entry = replace(inner, type="AGREE", mode=None, absorb=True)
                    objs = [o for o in roles.objects(c) if not is_force(o, state)]
                    targets = self._targets(objs + roles.prep_objects(c, self.lex.preps_for(inner)), state)
                    embedded.update(t.i for t in _clause_verbs(c))
                    sources, targets = pair_up(sources, targets, entry)
                    # "ready to discuss ..., but only if the US abandoned its policy": a conditional offer
                    # (parsers often hang the "if" clause anywhere in the sentence)
                    conditional = any(m.dep_ == "mark" and m.lower_ in cues().conditional_marks
                                      for m in sent)
                    modality = "hypothetical" if conditional else verb_modality(tok)
                    out.append(Candidate(tok, entry, sources, targets, modality, False, [c]))
            elif lemma in cues().reporting_verbs and tok.pos_ == "VERB":
                for c in tok.children:
                    if c.dep_ != "ccomp" or not any(a.dep_ == "aux" and a.lower_ in OBLIGATION for a in c.children):
                        continue
                    speakers = roles.actors_of(roles.subjects(tok)[0], state)
                    addressees = roles.actors_of(roles.subjects(c)[0], state)
                    if not speakers or not addressees or {a.id for a, _ in speakers} & {a.id for a, _ in addressees}:
                        continue
                    entry = Entry("REQUEST", lemma, absorb=True, conf=0.8)
                    embedded.update(t.i for t in _clause_verbs(c))
                    out.append(Candidate(tok, entry, speakers, addressees, verb_modality(tok), False, [c]))
        return out

    def _own_complement(self, verb: Token, sources: list[tuple[Actor, Token]], state: DocCoding) -> bool:
        """Whether a warning announces the warner's own act ("warned it would strike") rather
        than forecasting someone else's ("warned that people could be displaced")."""
        ids = {actor_id(a) for a, _ in sources}
        countries = {a.country for a, _ in sources if a is not None and a.country}
        complements = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        if not complements:
            return True  # "warned Iran against ...": a warning addressed to someone
        for c in complements:
            if c.dep_ == "xcomp":
                return True
            if c.lemma_.lower() in THREAT_OUTCOMES or any(o.lemma_.lower() in THREAT_OUTCOMES for o in roles.objects(c)):
                return True  # "warned that Washington would face consequences"
            for a, _ in roles.actors_of(roles.subjects(c)[0], state):
                if a.id in ids or (a.country and a.country in countries):
                    return True
        return False

    def _complement_types(self, verb: Token) -> set[tuple[str, str | None]]:
        """(type, mode) of a promise's complement ("vowed to retaliate", "agreed to resign")."""
        types: set[tuple[str, str | None]] = set()
        for c in verb.children:
            if c.dep_ in ("xcomp", "ccomp"):
                for v in _clause_verbs(c):
                    e = self._verb_entry(v)
                    if e is not None:
                        types.add((e.type, e.mode))
        return types

    def _object_targets(self, objs: list[Token], entry: Entry, state: DocCoding) -> list[tuple[Actor, Token]]:
        """Targets in the object of an entry that names its object ("impose" + sanctions): the
        object itself only when acting on it hurts or frees it ("dissolved the parties",
        "expelled diplomats"), never the thing shared or sent ("share intelligence")."""
        if entry.type in PATIENT_OBJECTS:
            return self._targets(objs, state)
        found = roles.actors_of(objs, state)
        own = {o.i for o in objs}
        # a named object is a party ("joined NATO"); a generic one is the thing ("intelligence")
        found = [(a, t) for a, t in found if t.i not in own or named(t, state)]
        if found:
            return found
        return self._targets([], state) or [x for o in objs for x in roles.actors_in_phrase(o, state)][:1]

    def _targets(self, tokens: list[Token], state: DocCoding,
                 skip: set[str | None] | frozenset[str | None] = frozenset()) -> list[tuple[Actor, Token]]:
        """Target actors; a protest noun as the object stands for the protesters
        ("assaulted unarmed demonstrations"). Actors in ``skip`` (the sources) are passed over
        ("would suspend its cooperation with Bolivia": Bolivia, not "its")."""
        found = [(a, t) for a, t in roles.actors_of(tokens, state) if a.id not in skip]  # "army positions" -> the army
        if found:
            return found
        for t in tokens:
            e = self._noun_entry(t) if t.pos_ == "NOUN" else None
            if e is not None and e.type == "PROTEST":
                found = [(a, x) for a, x in roles.actors_of(roles.prep_objects(t, ("of",)), state) if a.id not in skip]
                if found:  # "broke up a rally of pro-European demonstrators"
                    return found
                actor = protesters(t, state)
                return [(actor, t)]
        for t in tokens:                         # "lifted the ban on the Jamaat-e-Islami party"
            if t.pos_ in ("NOUN", "PROPN") and state.actor_at(t) is None:
                e = self._noun_entry(t)
                if e is not None and e.type in CONFLICT_NOUNS and t.lemma_.lower() not in TARGETED_NOUNS:
                    # "condemned attacks on Israeli fans", "banned a march by opposition
                    # supporters": who does it, not what it is aimed at
                    found = [(a, x) for a, x in roles.actors_of([t], state) if a.id not in skip]
                    if found:
                        return found
                    continue
                found = [(a, x) for a, x in roles.actors_in_phrase(t, state) if a.id not in skip]
                if found:
                    return found[:1]
        return []

    @property
    def cues_reporting(self) -> frozenset[str]:
        return cues().reporting_verbs | cues().factive_verbs

    def _claimants(self, tok: Token, state: DocCoding) -> list[tuple[Actor, Token]]:
        """Who claimed responsibility for (or credit for) the event a noun names."""
        base = tok
        while base.dep_ == "conj" and base.head.i != base.i:
            base = base.head
        prep = base.head
        if base.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() not in self.lex.responsibility_nouns:
            return []
        verb = prep.head.head
        subj, passive = roles.subjects(verb)
        return [] if passive else roles.actors_of(subj, state)

    def _noun_entry(self, tok: Token) -> Entry | None:
        nouns = self.lex.nouns
        lemma = tok.lemma_.lower()
        # "joint military exercise": the farther modifier first ("joint exercise", not
        # "military exercise")
        # (and modifiers of modifiers: "joint air and ground operations")
        for c in [t for t in tok.doc[tok.left_edge.i: tok.i] if t.dep_ in ("compound", "amod")]:
            e = nouns.get(f"{c.lemma_.lower()} {lemma}") or nouns.get(f"{c.lower_} {tok.lower_}")
            if e is not None:
                return e
        for c in tok.children:  # "state of emergency", "martial law" style multiword nouns
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    e = nouns.get(f"{lemma} of {p.lemma_.lower()}")
                    if e is not None:
                        return e
        return nouns.get(lemma) or nouns.get(tok.lower_)

    def _noun_candidate(self, tok: Token, state: DocCoding, embedded: set[int], verb_triggers: set[int],
                        silent: set[int] = frozenset()) -> Candidate | None:
        if tok.ent_type_ in ("DATE", "TIME"):
            return None  # "in March": a month, never a march
        entry = self._noun_entry(tok)
        if entry is None or entry.none:
            return None
        if entry.type == "PROTEST" and tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            return None  # "the student protest movement", "a protest leader": a name, not a protest
        head = tok.head
        preps = tuple(self.lex.preps_for(entry))
        base = tok
        while base.dep_ == "conj" and base.head.i != base.i and base.head.pos_ in ("NOUN", "PROPN"):
            base = base.head  # "launched air and artillery strikes"
        if base is not tok:
            head = base.head
        light = (base.dep_ == "dobj" and head.lemma_.lower() in self.lex.light_verbs
                 and not any(c.dep_ in ("oprd", "acomp") for c in head.children))  # "called the talks constructive"
        # "clashes between herders and farmers", "talks between Kyiv and Moscow": both parties,
        # each the other's target (pair_up), even as the subject of a verb event ("... killed 11")
        between = roles.actors_of(roles.prep_objects(tok, ("between",)), state) \
            if entry.type in RECIPROCAL else []
        if len({a.id for a, _ in between}) < 2:
            between = []
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and head.i in verb_triggers and not light and not between \
                and not (tok.dep_ == "nsubj" and head.i in silent):
            return None  # it names a verb event's agent, instrument or object
        if head.i in embedded and light:
            return None
        of_role = entry.of or ("target" if entry.type in OF_IS_TARGET else "source")
        # "in support of Assad", "in retaliation against X": the object is the target
        if tok.dep_ == "pobj" and head.lower_ == "in" and entry.type in ("SUPPORT", "AID", "COOPERATE"):
            of_role = "target"
        poss = [c for c in tok.children if c.dep_ == "poss"]
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
        if entry.poss == "place":  # "Sudan's war": where it is fought; "the RSF's war": who fights
            poss = [p for p in poss if (a := state.actor_at(p)) is None or a.kind != "state"]
        source_toks = mods + (poss if entry.poss in ("source", "place") else []) + roles.agents(tok)
        source_toks += [a for c in tok.children if c.dep_ == "acl" for a in roles.agents(c)]
        target_toks = roles.prep_objects(tok, preps) + (poss if entry.poss == "target" else [])
        if entry.absorb:  # "refusal to recognise Russia's annexation": whom the aim is about
            target_toks += [o for c in _aims(tok) for o in roles.objects(c) + roles.prep_objects(c, preps)]
        if base is not tok:  # "air and artillery strikes on X": the preposition hangs off the first conjunct
            target_toks += roles.prep_objects(base, preps)
        of_objs = roles.prep_objects(tok, ("of",))
        (target_toks if of_role == "target" else source_toks).extend(of_objs)
        # "a suspension of aid to Egypt": the target hangs off a non-actor "of" object
        target_toks += [p for o in of_objs if state.actor_at(o) is None for p in roles.prep_objects(o, preps)]
        sources = roles.actors_of(source_toks, state, through_nouns=False)
        if light:
            subj, passive = roles.subjects(head)
            sources = roles.actors_of(roles.agents(head) if passive else subj, state) or sources
        targets = self._targets(target_toks, state)
        joint = entry.type == "COOPERATE" and entry.lemma.startswith("joint ")
        if joint and not targets and tok.dep_ == "pobj":
            # "killed 12 militants in joint operations with Somali troops" ("with" on the verb)
            verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
            if verb is not None:
                targets = self._targets(roles.prep_objects(verb, ("with", "alongside")), state)
        if between:
            sources, targets = between, []
        if light and not targets:
            targets = self._targets(roles.prep_objects(head, preps), state)
        base = tok
        while base.dep_ == "conj" and base.head.i != base.i:
            base = base.head  # "with heavy artillery and drone strikes"
        if not sources and ((base.dep_ == "pobj" and (
                (base.head.lower_ == "in" and entry.type in ("SUPPORT", "AID", "COOPERATE"))
                or (base.head.lower_ in INSTRUMENTAL and base.head.head.pos_ in ("VERB", "AUX"))
                or (base.head.lower_ == "for" and entry.type == "CONSULT" and base.head.head.pos_ in ("VERB", "AUX"))))
                or (entry.type == "COOPERATE" and targets)):
            # "X led operations ... in support of Assad", "the army responded with drone strikes",
            # "crossed into Malawi for talks with his counterpart", "killed 30 fighters in joint
            # operations with Congolese troops": the clause's subject
            sources = governing_subject(tok, state)
        if not sources:
            sources = self._claimants(tok, state)  # "Islamic State claimed responsibility for the attack"
        if base.dep_ == "dobj" and (base.head.pos_ in ("VERB", "AUX") or base.head.dep_ == "conj") and not light:
            verb_lemma = base.head.lemma_.lower()
            subj, passive = roles.subjects(base.head)
            if verb_lemma in UNDERGO and not passive and not targets:
                # "Iran faces new US sanctions", "the town suffered heavy shelling"
                targets = roles.actors_of(subj, state)
            elif not sources and not passive and (verb_lemma not in NOT_DOING or verb_lemma in INTENDING) \
                    and verb_lemma not in self.cues_reporting and verb_lemma not in roles.PROVOKING \
                    and not any(c.dep_ in ("oprd", "acomp") for c in base.head.children) \
                    and not any(c.dep_ == "acl" and c.tag_ == "JJ" for c in base.children):
                # "the army responded with heavy artillery and drone strikes", "X stepped up
                # its raids": the subject of the verb does what the noun names (but not in "called
                # the arrest politically motivated", a judgement of someone else's act)
                sources = roles.actors_of(subj, state)
        if not sources and entry.type == "PROTEST" and tok.dep_ not in ("dobj", "compound") and not (
                tok.dep_ == "pobj" and tok.head.lower_ == "in" and not list(tok.children)):
            # "weeks of mass demonstrations in Tbilisi": unnamed protesters protested (not the
            # "protest movement" of a name, nor a diplomat recalled "in protest")
            sources = [(protesters(tok, state), tok)]
        if not sources and entry.type == "PROTEST" and tok.dep_ == "dobj" and head.lemma_.lower() in roles.PROVOKING:
            # "detained the mayor, sparking the largest protests in a decade": unnamed protesters,
            # against whoever did what sparked them
            sources = [(protesters(tok, state), tok)]
            targets = targets or roles.actors_of(roles.subjects(head)[0], state)
        if not sources:
            return None
        source_ids = {a.id for a, _ in sources}
        targets = [(a, t) for a, t in targets if a.id not in source_ids]
        if not targets and entry.type == "SANCTION":
            implied = implied_target(tok, state, source_ids)
            if implied is not None:
                targets = [implied]
        governor = head if head.pos_ in ("VERB", "AUX") and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else None
        if governor is None and tok.dep_ == "pobj":
            g = tok.head.head
            governor = g if g.pos_ in ("VERB", "AUX") else None
        modality = noun_modality(tok, governor, light=light)
        if joint and targets:
            # "a joint operation with the US Coast Guard": partners, each the other's target
            sources = sources + [(a, t) for a, t in targets if a is not None and a.id not in source_ids]
            targets = []
        sources, targets = pair_up(sources, targets, entry)
        context = [tok] + mods
        return Candidate(tok, entry, sources, targets, modality, True, context)

    # -- turning candidates into events -------------------------------------------------------------
    @staticmethod
    def _dedupe(cands: list[Candidate]) -> list[Candidate]:
        """One event per trigger and dyad; a noun event that repeats a verb event of the same
        type and dyad in the sentence ("struck ... in a strike") is dropped in its favour."""
        verbs: dict[tuple, Candidate] = {}
        nouns: dict[tuple, Candidate] = {}
        for c in cands:
            key = (c.entry.type, tuple(actor_id(a) for a, _ in c.sources), tuple(actor_id(a) for a, _ in c.targets))
            if c.is_noun:
                nouns.setdefault(key, c)
            else:
                verbs.setdefault(key + (c.trigger.i,), c)
        covered = {k[:3] for k in verbs}
        # "earmarked 1.5 million euros in emergency aid to help Haiti": an aid noun with no
        # target inside the verb event's own phrase is that event, not a second one
        def inside_verb_event(k: tuple, c: Candidate) -> bool:
            return not c.targets and any(vk[:2] == k[:2] and v.trigger.is_ancestor(c.trigger)
                                         for vk, v in verbs.items())

        kept = list(verbs.values()) + [c for k, c in nouns.items() if k not in covered and not inside_verb_event(k, c)]
        # "troops were ambushed by X ..., and 40 soldiers were killed": the victim-only event
        # is the same incident as the one with a named perpetrator
        sourced = {c.entry.type for c in kept if c.sources and c.sources[0][0] is not None}
        kept = [c for c in kept if c.sources[0][0] is not None or c.entry.type not in sourced]
        return sorted(kept, key=lambda c: c.trigger.i)

    def _events(self, cand: Candidate, sent: Span, state: DocCoding, anchor: str | None,
                prefer: frozenset[str]) -> list[Event]:
        if cand.entry.type == "ASSAULT" and all(a is not None and a.sector in CROWD_SECTORS for a, _ in cand.sources):
            # protesters storming a residence riot; PLOVER codes it PROTEST (riot)
            cand.entry = replace(cand.entry, type="PROTEST", mode="riot")
        elif cand.entry.type == "PROTEST" and all(a is not None and (a.kind in ("state", "igo") or a.sector == "GOV")
                                                  for a, _ in cand.sources):
            # a government "protests" with words: "summoned the ambassador to protest"
            cand.entry = replace(cand.entry, type="ACCUSE", mode=None)
        entry, trig = cand.entry, cand.trigger
        mode = entry.mode or self._mode(entry.type, trig, cand.context)
        location = self._location(trig, cand, sent, state, prefer)
        when = event_date(sent, trig, anchor)
        events = []
        targets = cand.targets or [(None, None)]
        pairs = [(s, t) for s in cand.sources for t in targets]
        ids = [actor_id(a) for a, _ in cand.sources]
        if len(ids) > 2 and [actor_id(a) for a, _ in targets] == ids:
            # three or more parties acting together ("Mali, Burkina Faso and Niger signed a
            # treaty"): each is a source once, with the next as its partner, not every pair
            pairs = [(cand.sources[k], cand.sources[(k + 1) % len(ids)]) for k in range(len(ids))]
        for (source, stok), (target, ttok) in pairs:
            if target is not None and source is not None and target.id == source.id:
                continue
            events.append(Event(
                id="", doc_id="", type=entry.type, source=source.id if source is not None else None,
                target=target.id if target is not None else None, mode=mode,
                modality=cand.modality, location=location, date=when, text=sent.text,
                start=sent.start_char, end=sent.end_char, trigger=_trigger_text(trig),
                trigger_start=trig.idx, trigger_end=trig.idx + len(trig.text),
                source_text=mention_text(stok, state), target_text=mention_text(ttok, state),
                confidence=self._confidence(cand, stok, ttok, state),
            ))
        return events

    def _mode(self, type_: str, trig: Token, context: list[Token]) -> str | None:
        table = self.lex.modes.get(type_)
        if not table:
            return None
        words: set[str] = {trig.lemma_.lower(), trig.lower_}
        if trig.pos_ == "NOUN" and trig.i > trig.sent.start:
            # the word before a noun trigger qualifies it even when the parser cuts them
            # apart ("and drone strikes" read as a verb "drone" with the object "strikes")
            prev = trig.doc[trig.i - 1]
            words.update((prev.lemma_.lower(), prev.lower_))
        for t in [trig, *context]:
            words.add(t.lemma_.lower())
            words.add(t.lower_)
            for c in t.children:
                if c.dep_ in ("compound", "amod", "dobj", "nsubj", "nsubjpass", "pobj", "prep", "xcomp", "npadvmod"):
                    words.add(c.lemma_.lower())
                    words.add(c.lower_)
                    for p in c.children:
                        if c.dep_ == "prep" and p.dep_ == "pobj":
                            words.add(p.lemma_.lower())
                            words.update(g.lower_ for g in p.children if g.dep_ in ("compound", "amod"))
        for mode, cue in table:
            if words & cue:
                return mode
        return None

    def _location(self, trig: Token, cand: Candidate, sent: Span, state: DocCoding,
                  prefer: frozenset[str]) -> Location | None:
        targets = [t for _, t in cand.targets if t is not None]
        # ("fired on supporters of X in Maputo": the place may hang off the "of" phrase)
        anchors = [trig] + targets + [p for t in targets for p in roles.prep_objects(t, ("of",))] + cand.context
        if trig.dep_ in ("relcl", "acl", "conj", "xcomp", "advcl") or (
                trig.dep_ in ("nsubj", "nsubjpass") and trig.head.pos_ == "VERB"):
            anchors.append(trig.head)  # and "clashes ... killed 20 people in Khartoum"
        # the verb's object carries the place as often as the verb: "shelled a post near Misrata"
        anchors += [c for a in anchors if a.pos_ in ("VERB", "AUX") for c in a.children if c.dep_ == "dobj"]
        for a in anchors:
            for place in place_tokens(a):
                if place.head.lower_ == "from" and state.actor_at(a) is not None:
                    continue  # "border guards from Kyrgyzstan": where they come from, not where it happened
                loc = self._geocode(place, state, prefer)
                if loc is not None:
                    return loc
        # "attacked the town of Mirebalais", "took to the streets of Nairobi": the place named
        # by its object
        for a in anchors:
            for o in [a, *roles.objects(a), *roles.prep_objects(a, ("to", "into", "onto", "across", "through"))]:
                if o.lemma_.lower() in PLACE_NOUNS:
                    for p in roles.prep_objects(o, ("of",)):
                        loc = self._geocode(p, state, prefer, named_place=True)
                        if loc is not None:
                            return loc
        return None

    def _pact_content(self, objs: list[Token]) -> str | None:
        """The event type of what a signed agreement sets up: its "to" clause ("an agreement to
        share intelligence"; not "a treaty creating a confederation", the treaty itself)."""
        for o in objs:
            for c in _aims(o):
                for v in _clause_verbs(c):
                    e = self._verb_entry(v)
                    if e is not None and not e.none:
                        return e.type
        return None

    def _place_targets(self, tokens: list[Token], sources: list[tuple[Actor, Token]],
                       state: DocCoding) -> list[tuple[Actor, Token]]:
        """The country of a place that is itself the object of an attack, a deployment or a
        threat ("struck Kharkiv", "fired rockets at the port city of Haifa"), as that country's
        state actor, with a mention at the place's name (never the attacker's own country)."""
        # a state's forces striking a town of their own say nothing of a target ("the army
        # shelled Omdurman"); rebels or gunmen attacking one strike at their own country
        own = {a.country for a, _ in sources if a is not None and a.sector not in NON_STATE_ATTACKERS}
        for tok in tokens:
            known = state.actor_at(tok)
            if known is not None and (known.country or known.sector):
                continue  # ("Kharkiv" the parser took for an organisation is still a place)
            names = [tok] if tok.ent_type_ in PLACE_LABELS or tok.pos_ == "PROPN" else []
            if tok.lemma_.lower() in PLACE_NOUNS:  # "the port city of Haifa", "the Essequibo region"
                names += [p for p in roles.prep_objects(tok, ("of",)) if p.ent_type_ in PLACE_LABELS or p.pos_ == "PROPN"]
                names += [c for c in tok.children if c.dep_ == "compound" and c.ent_type_ in PLACE_LABELS]
            for name in names:
                ent = state.ent_at(name)
                span = ent if ent is not None else name.doc[name.i: name.i + 1]
                loc = self.gaz.lookup(span.text)
                if loc is None or not loc.country or loc.country in own:
                    continue
                return [(_state_actor(loc.country, span, state), name)]
        return []

    def _geocode(self, tok: Token, state: DocCoding, prefer: frozenset[str], *,
                 named_place: bool = False) -> Location | None:
        """The place ``tok`` names; with ``named_place`` it is known to be one ("the town of X"),
        whatever NER called it."""
        mention = state.mention_at(tok)
        if mention is not None:
            actor = state.actors[mention.actor_id]
            if actor.kind != "state" or not actor.country or mention.how not in ("name", "capital"):
                return None  # an actor, not a place
            if mention.how == "capital":
                return self.gaz.lookup(mention.text, prefer=prefer)
            return self.gaz.country(actor.country)
        if tok.ent_type_ in PLACE_LABELS or tok.pos_ == "PROPN" or tok.ent_type_ == "NORP":
            ent = coding(tok.doc).ent_at(tok)
            name = ent.text if ent is not None else tok.text
            if tok.ent_type_ in PLACE_LABELS or (tok.pos_ == "PROPN" and (named_place or not tok.ent_type_)):
                # the object of "in"/"near" (place_tokens): a village the gazetteer lacks is
                # still the place the text names
                return self.gaz.place(name, prefer=prefer)
            return self.gaz.lookup(name, prefer=prefer)
        return None

    @staticmethod
    def _confidence(cand: Candidate, stok: Token | None, ttok: Token | None, state: DocCoding) -> float:
        score = 0.45 * cand.entry.conf + 0.15
        if stok is None:  # no source: only the victim is known
            return round(max(0.05, min(0.99, score - 0.1 + (0.1 if ttok is not None else 0))), 3)
        sm = state.mention_at(stok)
        if sm is not None and sm.how in TRUSTED_HOW:
            score += 0.15
        elif sm is not None and sm.how == "nominal":
            score += 0.08
        if ttok is not None:
            score += 0.1
        if not cand.is_noun:
            score += 0.1
        if stok.i == cand.trigger.i or (sm is None):
            score -= 0.05
        return round(max(0.05, min(0.99, score)), 3)


def _object_words(verb: Token) -> tuple[set[str], set[str]]:
    """Words that can satisfy an entry's ``obj`` constraint: (the direct object, its modifiers
    and the verb's object complements ("called it illegal", "found guilty"); the objects of
    the verb's prepositions ("took into custody"))."""
    direct: set[str] = set()
    indirect: set[str] = set()
    for c in verb.children:
        if c.dep_ == "xcomp" or (c.dep_ == "advcl" and not for_to(c) and roles.infinitive(c)):
            # "declined to comment", "called Erdogan to apologise" (also parsed as a purpose
            # clause: "called Lavrov to discuss Syria")
            direct.add(c.lemma_.lower())
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "acomp"):
            direct.add(c.lemma_.lower())
            direct.add(c.lower_)
            if c.lemma_.lower() in QUANTITY_NOUNS:  # "returned dozens of artefacts", "a round of talks"
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        direct.update(w for q in p.children if q.dep_ == "pobj" for w in (q.lemma_.lower(), q.lower_))
            for g in c.children:
                if g.dep_ == "compound" or (g.dep_ == "amod" and g.tag_ != "VBN"):
                    direct.add(g.lemma_.lower())
                elif g.dep_ in ("oprd", "acomp", "amod", "ccomp", "xcomp") or (g.dep_ == "acl" and g.tag_ == "JJ"):
                    # "declared him persona non grata", "called the arrest politically
                    # motivated" (the adjective parsed as a clause on the object)
                    direct.add(g.lemma_.lower())
        elif c.dep_ == "prep":
            for p in c.children:
                if p.dep_ == "pobj":
                    indirect.add(p.lemma_.lower())
                    indirect.add(p.lower_)
    return direct, indirect


AFTER_MARKS = ("after", "once", "as", "when")


def _after_partner(verb: Token) -> list[Token]:
    """The subject on the other side of an "after" clause: of the main clause when ``verb``
    heads the "after" clause, of the "after" clause when ``verb`` heads the main one."""
    def marked(v: Token) -> bool:
        return any(m.dep_ == "mark" and m.lower_ in AFTER_MARKS for m in v.children)

    if verb.dep_ == "advcl" and marked(verb):
        return roles.subjects(verb.head)[0]
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "advcl" and marked(c):
            # "... after the government cut taxes", "... after reaching agreement with the government"
            out += roles.subjects(c)[0] + roles.prep_objects(c, ("with",))
            out += [p for o in roles.objects(c) for p in roles.prep_objects(o, ("with",))]
        elif c.dep_ == "prep" and c.lower_ in ("after", "following"):
            # "called off the strike after the agreement with the Indian government"
            for n in c.children:
                if n.dep_ in ("pobj", "pcomp"):  # "after reaching agreement with the government"
                    out += roles.prep_objects(n, ("with", "by"))
                    out += [p for o in roles.objects(n) for p in roles.prep_objects(o, ("with", "by"))]
    return out


def hits_of(cands: list[Candidate] | None) -> dict[int, Candidate]:
    """Consultations among earlier candidates by trigger position: what a purpose clause hangs on."""
    return {c.trigger.i: c for c in cands or [] if c.entry.type == "CONSULT" and not c.is_noun}


def subj_own(verb: Token) -> bool:
    """Whether a verb has a subject of its own (a conjoined clause, not a shared subject)."""
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _state_actor(country: str, span: Span, state: DocCoding) -> Actor:
    """A country's state actor, mentioned by a place in it ("Haifa" for Israel)."""
    actor = entry_actor(default_dictionary().state(country), state)
    state.mentions.append(Mention("", actor.id, span.text, span.start_char, span.end_char, "place"))
    state.mention_heads.append(span.root.i)
    return actor


def _names_word(obj: Token, words: frozenset[str]) -> bool:
    """Whether an object is (or is modified by, or quantifies) one of an entry's obj words."""
    if obj.lemma_.lower() in words or obj.lower_ in words:
        return True
    return any(w in words for g in obj.subtree if g.i != obj.i for w in (g.lemma_.lower(), g.lower_))


def for_to(clause: Token) -> bool:
    """A "for X to do Y" clause ("called for Congo to disarm the militia"), which the parser
    makes an adverbial clause with "for" as its marker and X as its subject."""
    return clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in clause.children) \
        and roles.infinitive(clause)


def _aims(noun: Token) -> list[Token]:
    """The "to" clauses on a noun: "refusal to recognise", "threat to close"."""
    return [c for c in noun.children if c.dep_ == "acl" and c.pos_ in ("VERB", "AUX") and roles.infinitive(c)]


def _clause_verbs(tok: Token) -> list[Token]:
    """A complement verb, its conjuncts and the complements chained under them ("offered to
    help broker a deal": help, broker)."""
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.pos_ in ("VERB", "AUX") and (c.dep_ == "conj" or c.dep_ == "xcomp"):
                out.append(c)
                stack.append(c)
    return out


def _reported_threat(cand: Candidate, state: DocCoding) -> None:
    """"Iran said it would strike Israel" is a THREATEN by Iran (asserted), not a hypothetical
    strike: a future or hypothetical act of force announced by its own author; sanctions only
    when made conditional ("would respond with tariffs if Washington ...")."""
    if cand.is_noun or cand.entry.type not in ("ASSAULT", "COERCE", "SANCTION") \
            or cand.modality not in ("future", "hypothetical"):
        return
    if any(c.dep_ == "neg" for c in cand.trigger.children):
        return  # "said it would not strike" reassures, it does not threaten
    conditions = [c for c in cand.trigger.children if c.dep_ == "advcl"
                  and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)]
    if cand.entry.type == "SANCTION" and not conditions:
        return  # "said it would break relations with Israel": an announced decision, not a threat
    t = cand.trigger
    for _ in range(4):
        if t.dep_ not in ("ccomp", "xcomp", "conj") or t.head.i == t.i:
            return
        t = t.head
        if t.lemma_.lower() in REPORTING_THREAT:
            speakers = roles.actors_of(roles.subjects(t)[0], state)
            speaker_countries = {a.country for a, _ in speakers if a.country}
            source_countries = {s.country for s, _ in cand.sources if s is not None and s.country}
            if speaker_countries & source_countries or {a.id for a, _ in speakers} & {actor_id(s) for s, _ in cand.sources}:
                mode = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": None}[cand.entry.type]
                cand.entry = replace(cand.entry, type="THREATEN", mode=mode)
                cand.modality = "asserted"  # the threat itself was made
                if not cand.targets:
                    # "would respond with tariffs if Washington went ahead": aimed at Washington
                    cand.targets = [(a, x) for c in conditions for a, x in roles.actors_of(roles.subjects(c)[0], state)
                                    if a.id not in {actor_id(s) for s, _ in cand.sources}]
            return


def _trigger_text(trig: Token) -> str:
    parts = [trig.text]
    parts += [c.text for c in trig.children if c.dep_ == "prt"]
    return " ".join(parts)


@Language.factory("factions_events")
def make_event_coder(nlp: Language, name: str) -> EventCoder:
    """Build the event coder over the shipped lexicon (data/events.yaml)."""
    return EventCoder(load_lexicon())
