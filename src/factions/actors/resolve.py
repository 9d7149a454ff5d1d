"""Find every mention of an actor in a parsed document and resolve it to one canonical actor.

Mentions come from, in order of trust:
  1. the dictionary (country names, capitals, named actors), matched as phrases;
  2. named entities the parser found (PERSON, ORG, NORP) that the dictionary does not know:
     kept as new actors with their NER kind, never dropped;
  3. generic agent nouns with their nationality ("pro-Iranian militias", "the US embassy",
     "Iraq's army") -> a country's sector, or the state itself for its government;
  4. country adjectives on other nouns ("an American drone attack" -> the United States);
  5. pronouns and nominal references ("he", "the Iranian general"), resolved within the
     document by :mod:`factions.actors.coref`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import takewhile

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from factions.actors.coref import resolve_references
from factions.actors.dictionary import ActorDictionary, Agent, Entry, _surname_keys, norm, slug, surname_entry
from factions.data import load_words, load_yaml
from factions.model import Actor, Mention
from factions.nlp.geocode import default_gazetteer
from factions.nlp.state import DocCoding, coding

MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod", "nummod"})
NER_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
STAFF = frozenset({"staff", "personnel", "employee", "employees", "worker", "workers"})
NON_STATE_CODES = frozenset({"IGO", "NGO", "IMG", "MNC"})
#: gazetteer places that are not countries: cities and regions (a misread name may be either)
PLACE_KINDS = frozenset({"city", "region"})
#: words that make an NGO noun the country's own civil society: "local rights groups"
LOCAL_WORDS = frozenset({"local", "domestic", "national", "grassroots", "community"})
LOCATIVE = frozenset({"in", "at", "across", "inside", "throughout", "near", "outside", "around"})
DOMESTIC_SECTORS = frozenset({"GOV", "COP", "JUD", "LEG", "OPP", "PTY", "CVL", "EDU", "MED", "LAB",
                              "AGR", "JRN", "REL", "SOC", "BUS", "ELI"})


@dataclass(slots=True)
class Found:
    """A mention before it is written to the document's coding state."""

    start: int          # token span [start, end)
    end: int
    head: int           # the token that carries the mention's syntactic role
    entry: Entry
    how: str
    surface: str
    titles: set[str] = field(default_factory=set)
    qualified: bool = False   # a generic noun with its own qualifiers ("pro-Iranian militias")
    nested: bool = False      # lies inside another mention and overrides it on its own tokens
    provisional: bool = False  # "the group": kept only if it resolves to an earlier actor


class ActorResolver:
    """Stateless over documents: holds only the dictionary and the phrase matchers."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary) -> None:
        self.d = dictionary
        matching = load_yaml("matching.yaml")
        self.lower_blocklist = frozenset(norm(w) for w in matching["lowercase_blocklist"])
        self.pro_prefixes = frozenset(norm(w) for w in matching["affiliation_prefixes"])
        self.homelands = {norm(k): v for k, v in matching["ethnic_homelands"].items()}
        self.name_stop = frozenset(norm(w) for w in matching["not_names"])
        self.instruments = frozenset(norm(w) for w in matching["instruments"])
        self.weapons = self.instruments | frozenset(norm(w) for w in matching["weapon_heads"])
        syntax = load_yaml("syntax.yaml")
        self.institution = frozenset(norm(w) for w in syntax["institution_words"])
        self.group_heads = frozenset(norm(w) for w in syntax["group_heads"])
        self.followers = frozenset(norm(w) for w in syntax["follower_nouns"])
        # kinds in order of preference: "the group" is first an armed group, then an NGO ...
        self.definite = {norm(k): tuple(v) for k, v in syntax["definite_references"].items()}
        # Names are matched case-sensitively (so "US" never matches "us"); longer names are
        # also matched in any case ("basij", "HEZBOLLAH") unless they are common words.
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.anycase = PhraseMatcher(nlp.vocab, attr="LOWER")
        surfaces = {a for a in dictionary.by_alias} | set(dictionary.capitals)
        originals = _original_forms(dictionary)
        exact_forms = sorted({o for o in originals if o})
        self.exact.add("ACTOR", list(nlp.tokenizer.pipe(exact_forms)))
        lower_forms = sorted(s for s in surfaces if len(s) >= 5 and s not in self.lower_blocklist)
        self.anycase.add("ACTOR", list(nlp.tokenizer.pipe(lower_forms)))

    # -- the component -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        state = coding(doc)
        taken = [False] * len(doc)
        for ent in doc.ents:  # "the Pan-American Highway": a thing, and nobody's nationality
            if _names_infrastructure(ent):
                for t in ent:
                    taken[t.i] = t.pos_ == "ADJ" or (bool(self.d.country_of_word(t.text)) and t.text.istitle()
                                                     and norm(t.text) not in self.d.capitals
                                                     and self.d.lookup(t.text) is None)
        found = [f for f in self._dictionary_mentions(doc) if not any(taken[f.start:f.end])]
        for f in found:
            for i in range(f.start, f.end):
                taken[i] = True
        found += self._surname_mentions(doc, taken, found)
        found += self._entity_mentions(doc, taken)
        agents = self._agent_mentions(doc, taken, found)
        # "the US embassy": the nationality inside an agent phrase is part of that mention
        inside = {i for f in agents for i in range(f.start, f.end)}
        found = [f for f in found if not (f.entry.kind == "state" and f.start in inside)] + agents
        found += self._adjective_mentions(doc, taken)
        found.sort(key=lambda f: f.start)
        found = self._merge_people(found)
        self._definite_references(doc, found)
        found = [f for f in found if not f.provisional]
        self._place_countries(doc, found)
        found += resolve_references(doc, found, self.d)
        found.sort(key=lambda f: f.start)
        self._possessed_nationality(doc, found)
        self._write(doc, state, found)
        return doc

    # -- 1. dictionary --------------------------------------------------------------------------
    def _dictionary_mentions(self, doc: Doc) -> list[Found]:
        spans = [doc[s:e] for _, s, e in self.exact(doc)]
        for _, s, e in self.anycase(doc):
            span = doc[s:e]
            # an all-lower-case hit must not be an ordinary word ("turkey", "chad")
            if span.text.islower() and norm(span.text) in self.lower_blocklist:
                continue
            spans.append(span)
        out: list[Found] = []
        ents_by_token = {t.i: ent for ent in doc.ents for t in ent}
        for span in filter_spans(spans):
            ent = ents_by_token.get(span.start)
            if ent is not None and ent.label_ == "PERSON" and len(ent) > len(span) and ent.start <= span.start:
                continue  # "Jordan" inside "Michael Jordan"
            key = norm(span.text)
            entry = self.d.by_alias.get(key)
            how = "name"
            if entry is not None and span.start > 0 and entry.country and self.d.country_of_word(
                    f"{doc[span.start - 1].text} {span[0].text}") not in (None, entry.country):
                continue  # "Sudanese army" inside "the South Sudanese army"
            if entry is None:
                iso = self.d.capitals.get(key)
                if iso is None:
                    continue
                entry, how = self.d.state(iso), "capital"
                root = span.root
                if root.dep_ == "compound" and root.head.lower_ in load_words("venue_nouns"):
                    continue  # "the Minsk agreements", "the Doha talks": where, not who
            if _is_pro_prefixed(doc, span.start, self.pro_prefixes):
                continue  # "pro-Iran militias" names the militias, not Iran
            out.append(Found(span.start, span.end, span.root.i, entry, how, span.text))
        return out

    def _surname_mentions(self, doc: Doc, taken: list[bool], found: list[Found]) -> list[Found]:
        """Bare surnames of people named in full elsewhere in the document ("Soleimani"),
        or of a dictionary person whose surname is unambiguous, whatever NER called them."""
        known: dict[str, Entry] = {}
        for f in found:
            if f.entry.kind == "person":
                words = f.entry.name.split()
                if len(words) > 1:
                    for key in _surname_keys(words[-1]):
                        known[key] = f.entry
        out: list[Found] = []
        for tok in doc:
            if taken[tok.i] or (tok.pos_ != "PROPN" and not (tok.ent_type_ in ("PERSON", "ORG") and tok.is_title)) \
                    or tok.ent_type_ in ("DATE", "TIME"):
                continue  # (a name the tagger took for a noun but NER for a name: "Trump threatens";
                # never a month: "May 4")
            key = norm(tok.text)
            entry = known.get(key)
            if entry is None and (tok.ent_type_ in ("PERSON", "GPE", "ORG", "NORP") or tok.is_title):
                entry = surname_entry(self.d, key)
            if entry is None or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and not taken[tok.i + 1]
                                 and doc[tok.i + 1].dep_ != "appos"):
                continue  # part of a longer name we do not know
            out.append(Found(tok.i, tok.i + 1, tok.i, entry, "name", tok.text))
            taken[tok.i] = True
        return out

    # -- 2. named entities ------------------------------------------------------------------------
    def _entity_mentions(self, doc: Doc, taken: list[bool]) -> list[Found]:
        out: list[Found] = []
        for ent in doc.ents:
            if ent.label_ not in NER_ACTOR_LABELS or any(taken[i] for i in range(ent.start, ent.end)):
                continue
            ent = _trim(ent)
            if ent is None or norm(ent.text) in self.name_stop or _titles_a_name(ent, taken):
                continue
            if self._weapon_model(ent):
                continue  # "IRIS-T air-defence systems", "Shahed drones": a weapon's model
            if ent[0].lower_ in self.pro_prefixes or ent.text.lower().startswith(tuple(f"{p}-" for p in self.pro_prefixes)):
                continue  # "pro-EU protests": a stance, not an actor
            entry: Entry | None
            if ent.label_ == "GPE" or _is_place(ent):
                continue  # a city or region that is not a known actor: a place, not an actor
            if ent.label_ == "NORP":
                if self.d.country_of_word(ent.text) or ent.root.dep_ in ("amod", "compound"):
                    continue  # an adjective: handled with the noun it modifies
                entry = self.d.lookup(ent.text)
                if entry is None and self._generic(ent):
                    continue  # "Jihadists", "Islamists": a common noun the agent pass resolves
                entry = entry or Entry(f"x-{slug(ent.text)}", ent.text, "group", None, None)
                out.append(Found(ent.start, ent.end, ent.root.i, entry, "name", ent.text))
                continue
            entry = self.d.lookup(ent.text) or (self.d.fuzzy(ent.text) if len(ent) > 1 else None)
            if entry is None and self._generic(ent):
                continue  # "the navy", "Iraqi Army": a generic noun the agent pass will resolve
            if entry is None:
                entry = self._new_named(doc, ent)
            found = Found(ent.start, ent.end, ent.root.i, entry, "name", ent.text)
            found.titles = self._titles(doc, ent)
            out.append(found)
            for i in range(ent.start, ent.end):
                taken[i] = True
        return out

    def _weapon_model(self, ent: Span) -> bool:
        """A name that modifies (through a chain of compounds) a weapon noun."""
        h = ent.root
        while h.dep_ in ("compound", "nmod", "amod") and h.head.i != h.i:
            h = h.head
            if norm(h.lemma_) in self.weapons:
                return True
        return False

    def _generic(self, ent: Span) -> bool:
        """An entity made only of country words and generic actor nouns."""
        words = [t for t in ent if not t.is_punct and t.lower_ not in ("the", "'s")]
        return bool(words) and self._agent_head(ent.doc, words[-1])[0] is not None and all(
            self._agent_word(t) or self.token_country(t) for t in words)

    def token_country(self, t: Token) -> str | None:
        """The country a word names, trying it with the word before ("South Sudanese")."""
        doc = t.doc
        if t.i > 0:
            iso = self.d.adjectives.get(norm(f"{doc[t.i - 1].text} {t.text}"))
            if iso:
                return iso
        if t.i + 1 < len(doc) and self.d.adjectives.get(norm(f"{t.text} {doc[t.i + 1].text}")):
            return None  # "South" of "South Sudanese" names nothing on its own
        return self.d.country_of_word(t.text)

    def _new_named(self, doc: Doc, ent: Span) -> Entry:
        """An actor the dictionary does not know: kind from NER, country/sector from context."""
        country, sector = self._context_country_sector(doc, ent)
        if ent.label_ == "PERSON":
            return Entry(f"x-{slug(ent.text)}", ent.text, "person", country, sector)
        # an organisation's own words: "Iraqi Security Forces", "Sudanese Communist Party"
        words = [t for t in ent if not t.is_punct]
        title = self._agent_word(words[0])
        if title is not None and title.role and title.kind == "person" and len(words) > 1 and words[-1].pos_ == "PROPN":
            # "King Mswati III", "General Tiani" taken for an organisation: a titled person
            return Entry(f"x-{slug(ent.text)}", ent.text, "person", country, title.sector)
        head_agent = self.d.agent(words[-1].lemma_) or self.d.agent(words[-1].text)
        inner_country = next((self.d.country_of_word(t.text) for t in words if self.d.country_of_word(t.text)), None)
        country = inner_country or country
        if head_agent is not None:
            sector = head_agent.sector
            rest = [t for t in words[:-1] if not self.d.country_of_word(t.text)]
            if country and head_agent.kind != "person" and all(norm(t.text) in self.institution for t in rest):
                # "Iraqi Army", "Russia's Foreign Ministry", "the Supreme Court" of a country
                return self.d.composite(country, sector)
        kind = head_agent.kind if head_agent is not None and head_agent.kind != "person" else "organization"
        return Entry(f"x-{slug(ent.text)}", ent.text, kind, country, sector)

    def _titles(self, doc: Doc, ent: Span) -> set[str]:
        """Role nouns attached to a name: "President X", "X, the Iranian general"."""
        titles: set[str] = set()
        for t in doc[ent.root.left_edge.i: ent.start]:
            a = self.d.agent(t.lemma_)
            if a is not None and a.role:
                titles.add(norm(t.lemma_))
        for other in _appositions(ent.root):
            a = self.d.agent(other.lemma_)
            if a is not None and a.role:
                titles.add(norm(other.lemma_))
        return titles

    def _context_country_sector(self, doc: Doc, ent: Span) -> tuple[str | None, str | None]:
        country = sector = None
        candidates = list(doc[ent.root.left_edge.i: ent.start])
        for other in _appositions(ent.root):
            candidates.extend(other.subtree)
        for t in candidates:
            if t.i >= ent.start and t.i < ent.end:
                continue
            iso = self.d.country_of_word(t.text)
            if iso and country is None:
                country = iso
            a = self.d.agent(t.lemma_)
            if a is not None and sector is None:
                sector = a.sector
        return country, sector

    # -- 3. agent nouns ---------------------------------------------------------------------------
    def _agent_mentions(self, doc: Doc, taken: list[bool], named: list[Found]) -> list[Found]:
        out: list[Found] = []
        named_at = {i: f for f in named for i in range(f.start, f.end)}
        for tok in doc:
            if taken[tok.i] or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            head = tok.head
            if tok.dep_ in ("compound", "amod") and head.i > tok.i and head.pos_ in ("NOUN", "PROPN") and (
                    norm(head.lemma_) in self.group_heads or self._agent_head(doc, head)[0] is not None):
                continue  # "the ELN guerrilla group", "rebel fighters": the head noun names them
            agent, span_start = self._agent_head(doc, tok)
            lemma = norm(tok.lemma_)
            leader = _followed(tok, named_at, self.followers)
            if leader is not None:
                # "supporters of Imran Khan": a crowd of his, not the man himself
                # (an opposition figure's are the opposition; a president's are civilians)
                e = leader.entry
                sector = e.sector if e.sector in ("OPP", "PTY", "REB", "REL") else "CVL"
                entry = Entry(f"{e.country or 'x'}-{sector}:{lemma}-of-{slug(e.name)}",
                              f"{tok.text} of {e.name}", "group", e.country, sector, e.id)
                out.append(Found(tok.i, tok.i + 1, tok.i, entry, "agent", tok.text))
                taken[tok.i] = True
                continue
            if agent is None and (lemma in self.group_heads or norm(tok.text) in self.group_heads):
                # "members of the Sinaloa cartel", "the ELN guerrilla group": a head that only
                # stands for its group, or takes its kind from an agent modifier
                group = _group_of(tok, named_at) or _named_group(doc, tok, named_at)
                if group is not None:
                    out.append(Found(tok.i, tok.i + 1, tok.i, group.entry, "agent", tok.text))
                    taken[tok.i] = True
                    continue
                modifier = next((c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i
                                 and self._agent_head(doc, c)[0] is not None), None)
                if modifier is not None:
                    agent = self._agent_head(doc, modifier)[0]
                    span_start = modifier.i
                elif lemma in self.definite and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                    for c in tok.children):
                    # "the group": a reference to resolve against earlier names, or nothing
                    out.append(Found(tok.i, tok.i + 1, tok.i, Entry(f"?:{lemma}", tok.text, "group", None, None),
                                     "nominal", tok.text, provisional=True))
                    taken[tok.i] = True
                    continue
            if agent is None:
                continue
            if norm(tok.lemma_) in self.instruments and not (
                    tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.dep_ == "agent")):
                continue  # "a drone attack", "responded with artillery": weapons, not actors
            # a title glued to a name ("President Biden", "General Soleimani") is part of it
            if tok.dep_ == "compound" and tok.head.i in named_at:
                named_at[tok.head.i].titles.add(norm(tok.lemma_))
                continue
            country, affiliation, qualifiers = self._nationality(doc, tok, named_at)
            person = _apposed_person(tok, named_at)
            group = _named_group(doc, tok, named_at)
            international = country is None and agent.international and not person and not group and not any(
                c.lower_ in LOCAL_WORDS for c in doc[tok.left_edge.i: tok.i])  # "rights groups said"
            start = min([span_start] + [c.left_edge.i for c in tok.lefts if c.dep_ in MODIFIER_DEPS]
                        + [c.i for c in _shared_modifiers(tok) if self.token_country(c)])
            while start < tok.i and (doc[start].dep_ in ("det", "predet", "punct", "case", "nummod", "quantmod", "advmod")
                                     or doc[start].pos_ == "ADP"
                                     or doc[start].like_num or doc[start].head.dep_ in ("nummod", "quantmod")):
                start += 1  # "at least 12 soldiers" names the soldiers
            # never swallow a named person or group that modifies the noun
            while start < tok.i and start in named_at and named_at[start].entry.kind != "state":
                start += 1
            surface = doc[start: tok.i + 1].text
            label = " ".join(qualifiers + [norm(doc[span_start:tok.i].lemma_ if span_start < tok.i else ""), norm(tok.lemma_)]).strip()
            label = " ".join(label.split())
            group_head = norm(tok.lemma_) in self.group_heads or norm(tok.text) in self.group_heads
            if group is None and (group_head or (not country and not person)):
                # "leaders of the G7" -> the G7; "diplomats of the member states of ASEAN" -> ASEAN
                # (but "the chief executive of UnitedHealthcare", a name the dictionary does
                # not know, is still a business person)
                of = _group_of(tok, named_at)
                if of is not None and (of.entry.sector or group_head):
                    group = of
            named_mod = None if (person or group or country) else _unknown_named_modifier(tok, named_at, self.d)
            if named_mod is not None and not agent.role:
                # "M23 rebels", "Wagner mercenaries": a group the dictionary does not know
                group = Found(named_mod.i, named_mod.i + 1, named_mod.i,
                              Entry(f"x-{slug(named_mod.text)}", named_mod.text,
                                    agent.kind if agent.kind != "person" else "group", None, agent.sector),
                              "name", named_mod.text)
                out.append(group)
                taken[named_mod.i] = True
            if person is not None:
                # "Qassem Soleimani, the Iranian general" / "the general ..., Qassem Soleimani"
                person.titles.add(norm(tok.lemma_))
                entry = person.entry
            elif group is not None:
                # "Hamas fighters", "Houthi factions": members of a named group are the group
                entry = group.entry
                start = max(start, group.end) if group.start < tok.i else tok.i
            elif international:
                # international NGOs, each kind its own actor ("rights groups", "aid agencies")
                entry = Entry(f"NGO-{agent.sector}:{slug(label)}", " ".join(surface.split()), agent.kind, "NGO",
                              agent.sector)
            elif country and not qualifiers:
                entry = self.d.composite(country, agent.sector)
            elif country:  # "Kurdish fighters" in Syria: a country's group that keeps its name
                entry = Entry(f"{country}-{agent.sector}:{slug(label)}", " ".join(surface.split()),
                              agent.kind if agent.kind != "person" else "group", country, agent.sector,
                              affiliation)
            else:
                entry = Entry(f"{agent.sector}:{slug(label)}", " ".join(surface.split()),
                              agent.kind if agent.kind != "person" else "group", None, agent.sector,
                              affiliation)
            how = "nominal" if agent.role else "agent"
            found = Found(start, tok.i + 1, tok.i, entry, how, surface, qualified=bool(qualifiers))
            if country and entry.kind != "person" and not person:
                # "US and British forces": each further nationality is its own actor
                for m in tok.children:
                    if m.dep_ in MODIFIER_DEPS and m.i < tok.i:
                        for c in m.conjuncts:
                            iso = self.d.country_of_word(c.text)
                            if iso and iso != country and start <= c.i < tok.i:
                                out.append(Found(c.i, c.i + 1, c.i, self.d.composite(iso, agent.sector),
                                                 "agent", c.text, nested=True))
            if agent.role:
                found.titles.add(norm(tok.lemma_))
            out.append(found)
            for i in range(start, tok.i + 1):
                taken[i] = True
        # "the head of the Syrian opposition", "members of the Iranian judiciary": a head noun
        # that stands for an unnamed group found after it in this pass
        by_head = {f.head: f for f in out if f.entry.kind != "person"}
        for tok in doc:
            if taken[tok.i] or tok.pos_ != "NOUN" or norm(tok.lemma_) not in self.group_heads \
                    or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ not in ("of", "from"):
                continue
            member = next((by_head[p.i] for p in doc[tok.i + 1].children if p.dep_ == "pobj" and p.i in by_head), None)
            if member is not None:
                out.append(Found(tok.i, tok.i + 1, tok.i, member.entry, "agent", tok.text))
                taken[tok.i] = True
        return out

    def _agent_head(self, doc: Doc, tok: Token):
        """The agent a noun names, trying two-word compounds first ("security forces")."""
        if tok.i > 0 and doc[tok.i - 1].dep_ in ("compound", "amod"):
            prev = doc[tok.i - 1]
            for first, second in ((prev.lemma_, tok.lemma_), (prev.text, tok.lemma_), (prev.text, tok.text)):
                two = self.d.agent(f"{first} {second}")
                if two is not None:
                    return two, tok.i - 1
        # "human rights organizations": three-word agents
        if tok.i > 1 and doc[tok.i - 1].dep_ == "compound" and doc[tok.i - 2].dep_ in ("compound", "amod"):
            three = self.d.agent(f"{doc[tok.i - 2].lemma_} {doc[tok.i - 1].text} {tok.lemma_}")
            if three is not None:
                return three, tok.i - 2
        return self._agent_word(tok), tok.i

    def _agent_word(self, tok: Token) -> Agent | None:
        """The agent one word names, by lemma or surface form."""
        one = self.d.agent(tok.lemma_) or self.d.agent(tok.text)
        if one is None and tok.pos_ == "PROPN" and tok.lower_.endswith("s") and tok.lemma_ == tok.text:
            # a capitalised plural the tagger took for a name, unlemmatised: "Farmers staged sit-ins"
            one = self.d.agent(tok.text[:-1])
        return one

    def _nationality(self, doc: Doc, tok: Token, named_at: dict[int, Found]):
        """Country, affiliation and other qualifiers of an agent noun from its modifiers."""
        country = affiliation = homeland_of = None
        qualifiers: list[str] = []
        mods = [c for c in tok.children if c.dep_ in MODIFIER_DEPS and c.i < tok.i] + _shared_modifiers(tok)
        # "Serbian riot police": the parser hangs the adjective on the compound ("riot")
        mods += [g for c in tok.children if c.dep_ == "compound" and c.i < tok.i
                 for g in c.children if g.dep_ in MODIFIER_DEPS and g.i < c.i]
        # "US-led coalition troops": the leader named on "-led" (any modifier of the phrase)
        mods += [g for m in tok.subtree if m.i < tok.i and m.lower_ == "led" and m.dep_ == "amod"
                 for g in m.children if g.dep_ in ("npadvmod", "compound", "nmod")]
        mods += [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from")
                 for c in c.children if c.dep_ == "pobj"]
        agent = self.d.agent(tok.lemma_) or self.d.agent(tok.text)
        if agent is not None and agent.sector in DOMESTIC_SECTORS:
            # "police in Uganda" are Ugandan police; "troops in Syria" need not be Syrian
            mods += [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"
                     for c in c.children if c.dep_ == "pobj"]
        for m in mods:
            iso = None
            f = named_at.get(m.i)
            if f is not None and f.entry.kind == "state":
                iso = f.entry.country
            else:
                iso = self.token_country(m)
                if iso is None and f is None:
                    # "California's governor": the state's governor, not the United States
                    # government (so a distinct actor, qualified by the region's name)
                    iso = _region_country(m)
                    if iso is not None:
                        qualifiers.append(norm(m.text))
            if iso is None:
                word = norm(m.text)
                if (m.ent_type_ == "NORP" or word in self.homelands) and word.rstrip("-") not in self.pro_prefixes \
                        and m.text != "-":
                    qualifiers.append(word)
                    homeland = self.homelands.get(word)
                    if homeland and country is None:
                        homeland_of = homeland  # "Rohingya refugees": Myanmar's, unless told otherwise
                continue
            if _is_pro_prefixed(doc, m.i, self.pro_prefixes):
                affiliation = iso
                qualifiers.append(f"pro-{norm(m.text)}")
            elif country is None:
                country = iso
        return country or homeland_of, affiliation, qualifiers

    # -- 4. country adjectives -----------------------------------------------------------------
    def _adjective_mentions(self, doc: Doc, taken: list[bool]) -> list[Found]:
        out: list[Found] = []
        for tok in doc:
            if taken[tok.i]:
                continue
            iso = self.token_country(tok) if norm(tok.text) in self.d.adjectives else None
            if iso is None or _is_pro_prefixed(doc, tok.i, self.pro_prefixes):
                continue
            coordinated = self._coordinated_agent(doc, tok)
            if coordinated is not None:
                # "Vietnamese and Malaysian navies": each nationality with the shared noun
                out.append(Found(tok.i, tok.i + 1, tok.i, self.d.composite(iso, coordinated.sector), "agent", tok.text))
            elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("amod", "compound"):
                # a demonym used as a noun: "the Iraqis" -> Iraqi civilians
                out.append(Found(tok.i, tok.i + 1, tok.i, self.d.composite(iso, "CVL"), "agent", tok.text))
            else:
                out.append(Found(tok.i, tok.i + 1, tok.i, self.d.state(iso), "adjective", tok.text))
            taken[tok.i] = True
        return out

    # -- "the group", "the government": definite references to a named actor -----------------
    def _definite_references(self, doc: Doc, found: list[Found]) -> None:
        """A definite generic noun with no nationality refers back to the last actor of its
        kind named within a few sentences: "Hamas ... the group said", "Iran ... the
        government denied". Only when exactly one actor of the most likely of those kinds
        (their order in syntax.yaml) is that recent."""
        sent_of = {t.i: k for k, s in enumerate(doc.sents) for t in s}
        named: list[Found] = []
        places: dict[int, set[str]] | None = None   # the sentences' places, read on first need
        for f in sorted(found, key=lambda f: f.start):
            head = doc[f.head]
            kinds = self.definite.get(norm(head.lemma_))
            if kinds and f.how in ("agent", "nominal") and f.entry.country is None and not f.qualified \
                    and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
                here = sent_of[f.head]
                if set(kinds) <= {"military", "police", "state"} and f.entry.sector:
                    # "Jordanian aircraft airdropped food ..., the army said", "Guinea's junta
                    # dissolved the government": the forces or government of the one country
                    # named before it in its sentence (a country of the sentence before may not
                    # be the one its places are in)
                    countries = {g.entry.country for g in found if g.start < f.start and g.how != "pronoun"
                                 and g.entry.country and g.entry.country not in NON_STATE_CODES
                                 and sent_of[g.head] == here}
                    if len(countries) != 1:
                        # "China and India flew in relief supplies to Mandalay, and the junta
                        # announced a ceasefire": the one country its places are in, this
                        # sentence's or else the text's so far
                        if places is None:
                            places = self._places_by_sentence(doc, found, sent_of)
                        countries = places.get(here) or set().union(*(v for k, v in places.items() if k < here))
                    if len(countries) == 1:
                        f.entry = self.d.composite(next(iter(countries)), f.entry.sector)
                        f.provisional = False
                        continue
                recent = {g.entry.id: g for g in named
                          if g.entry.kind in kinds and here - sent_of[g.head] <= 2
                          and not _subject_of_clause_of(doc[g.head], head)}
                if len(recent) > 1:
                    # "the FARC dissidents ... the defence ministry said ... the group denied":
                    # the one recent actor of the most likely kind
                    for kind in kinds:
                        of_kind = {i: g for i, g in recent.items() if g.entry.kind == kind}
                        if of_kind:
                            recent = of_kind
                            break
                    if len(recent) > 1:  # then the one named last, if in this sentence or the one before
                        last = max(recent.values(), key=lambda g: g.start)
                        if here - sent_of[last.head] <= 1:
                            recent = {last.entry.id: last}
                if len(recent) == 1:
                    f.entry = next(iter(recent.values())).entry
                    f.provisional = False
                    continue
            if f.how in ("name", "capital") and f.entry.kind != "person":
                named.append(f)

    def _places_by_sentence(self, doc: Doc, found: list[Found], sent_of: dict[int, int]) -> dict[int, set[str]]:
        """Sentence index -> countries of the cities and regions it names that are not actors."""
        taken = {i for f in found for i in range(f.start, f.end)}
        gaz = default_gazetteer()
        out: dict[int, set[str]] = {}
        for ent in doc.ents:
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            # a place by its label, or by where it stands ("flew supplies into Mandalay", FAC)
            if ent.label_ not in ("GPE", "LOC") and not (
                    ent.root.dep_ == "pobj" and ent.root.head.lower_ in ("in", "into", "near", "to", "from", "across")):
                continue
            loc = gaz.lookup(ent.text)
            if loc is not None and loc.country and loc.kind in PLACE_KINDS:
                out.setdefault(sent_of[ent.start], set()).add(loc.country)
        return out

    # -- country from context ------------------------------------------------------------------
    def _place_countries(self, doc: Doc, found: list[Found]) -> None:
        """Unnamed domestic groups take the country their sentence is about: "protesters
        marched on parliament in Nairobi" are Kenyan protesters. Only when the sentence
        points at exactly one country, through its places and country names."""
        foreign = load_words("foreign_qualifiers")
        pending = [f for f in found if f.entry.country is None and f.entry.sector
                   and f.how in ("agent", "nominal") and f.entry.kind != "person"
                   and not any(c.lower_ in foreign for c in doc[f.head].children if c.dep_ in ("amod", "advmod"))]
        if not pending:
            return
        gaz = default_gazetteer()
        by_sent: dict[int, set[str]] = {}
        for f in found:
            head = doc[f.head]
            if f.entry.kind == "state" and f.entry.country and f.how in ("name", "capital") \
                    and ((head.dep_ == "pobj" and head.head.lower_ in LOCATIVE) or _dateline(head)):
                # "marched in Kenya", and a capital's dateline ("ABUJA, Dec 9 (Reuters) -")
                by_sent.setdefault(head.sent.start, set()).add(f.entry.country)
        taken = {i for f in found for i in range(f.start, f.end)}
        place_at: dict[int, str] = {}   # root token of a place name -> its country
        named = frozenset(c for f in found if (c := f.entry.country) and len(c) == 3 and c not in NON_STATE_CODES)
        for ent in doc.ents:
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            # a city the small model took for a person or an organisation, after "in"/"near":
            # "In Goma, police arrested ..." (Goma tagged PERSON)
            misread = ent.label_ in ("PERSON", "ORG", "NORP") and ent.root.dep_ == "pobj" \
                and ent.root.head.lower_ in LOCATIVE
            # "the city of Kharkiv", "the town of Mirebalais", whatever NER called the name
            if ent.label_ in ("GPE", "LOC", "FAC") or misread or _of_place_noun(ent.root):
                loc = gaz.lookup(ent.text, prefer=named)
                if loc is not None and loc.country and (not misread or loc.kind in PLACE_KINDS):
                    by_sent.setdefault(ent.sent.start, set()).add(loc.country)
                    place_at[ent.root.i] = loc.country
        # "the city of Kharkiv", "the town of Sake" (tagged a common noun), and a dateline
        # ("GOMA, 14 March -"), with no entity for the name at all
        for tok in doc:
            if tok.i in taken or tok.ent_type_ or not (tok.pos_ == "PROPN" or tok.is_title or tok.is_upper):
                continue
            of_place = _of_place_noun(tok)
            if of_place or _dateline(tok):
                name = doc[tok.left_edge.i: tok.i + 1].text if of_place else tok.text
                loc = gaz.lookup(name, prefer=named)
                if loc is not None and loc.country and (of_place or loc.kind in PLACE_KINDS):
                    by_sent.setdefault(tok.sent.start, set()).add(loc.country)
        everywhere = set().union(*by_sent.values()) if by_sent else set()
        # last resort: the one country every national actor of the sentence belongs to
        # ("Syrian rebels freed prisoners", "the president of Senegal pardoned activists")
        actors_by_sent: dict[int, set[str]] = {}
        for f in found:
            c = f.entry.country
            if c and len(c) == 3 and c not in NON_STATE_CODES and f.entry.kind != "media":
                # (not the agency of a dateline: "ABUJA (Reuters) -" is no British story)
                actors_by_sent.setdefault(doc[f.head].sent.start, set()).add(c)
        for f in pending:
            here = doc[f.head].sent.start
            # the place of the mention's own clause first: "people marched in Tel Aviv to demand
            # the release of hostages held in Gaza" are Israelis
            local = _clause_places(doc[f.head], place_at)
            countries = local or by_sent.get(here) or everywhere or actors_by_sent.get(here, set())
            if len(countries) == 1:
                iso = next(iter(countries))
                e = f.entry
                if e.affiliation or f.qualified:
                    new = Entry(f"{iso}-{e.id}", e.name, e.kind, iso, e.sector, e.affiliation)
                else:
                    new = self.d.composite(iso, e.sector)
                if any(g.entry.id == new.id and _subject_of_clause_of(doc[g.head], doc[f.head]) for g in found):
                    continue  # "the United States condemned the junta": not the United States
                f.entry = new

    def _possessed_nationality(self, doc: Doc, found: list[Found]) -> None:
        """"its president", "their army": a possessive pronoun that refers to a state gives
        the generic noun it owns that state's nationality."""
        by_head = {f.head: f for f in found}
        for f in found:
            if f.entry.country is not None or f.how not in ("agent", "nominal") or not f.entry.sector:
                continue
            for c in doc[f.head].children:
                owner = by_head.get(c.i)
                if c.dep_ != "poss" or owner is None or owner.how != "pronoun":
                    continue
                if owner.entry.country and (owner.entry.kind == "state" or f.how == "nominal"):
                    # "its president" of a state; "its new commander" of the Ukrainian army
                    f.entry = self.d.composite(owner.entry.country, f.entry.sector)
                elif owner.entry.kind != "person" and norm(doc[f.head].lemma_) in self.group_heads | STAFF:
                    f.entry = owner.entry  # "its staff" of an organisation are the organisation

    def _coordinated_agent(self, doc: Doc, tok: Token):
        """The agent noun a coordinated nationality shares: "Vietnamese" in "Vietnamese and
        Malaysian navies" (parsed as a conjunct of "Malaysian", or of the noun itself)."""
        for c in tok.children:  # parsed the other way round: "Vietnamese" <- conj "navies"
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and any(
                    g.dep_ in ("amod", "compound") and self.token_country(g) for g in c.children):
                agent = self._agent_head(doc, c)[0]
                if agent is not None and agent.sector != "GOV":
                    return agent
        t = tok
        for _ in range(3):
            if t.dep_ != "conj" or t.head.i == t.i:
                break
            t = t.head
        if t is tok:
            return None
        noun = t.head if t.dep_ in ("amod", "compound", "nmod") else t
        if noun.pos_ not in ("NOUN", "PROPN"):
            return None
        agent = self._agent_head(doc, noun)[0]
        return agent if agent is not None and agent.sector != "GOV" else None

    # -- merging and writing ----------------------------------------------------------------------
    def _merge_people(self, found: list[Found]) -> list[Found]:
        """One person named several ways in a document: "Qassem Soleimani" ... "Soleimani"."""
        people = [f for f in found if f.entry.kind == "person" and f.how == "name"]
        words = {f.surface: norm(f.surface).split() for f in people}
        # one candidate per surface form (its first mention), longest first: a long document
        # names the same few people many times
        firsts: dict[str, Found] = {}
        for f in people:
            firsts.setdefault(f.surface, f)
        full = sorted(firsts.values(), key=lambda g: -len(words[g.surface]))
        for f in people:
            w = words[f.surface]
            longer = takewhile(lambda g: len(words[g.surface]) > len(w), full)
            g = next((g for g in longer if words[g.surface][-len(w):] == w or words[g.surface][:len(w)] == w),
                     None)
            if g is not None:
                if f.entry.id.startswith("x-") or f.entry.id == g.entry.id:
                    f.entry = g.entry
            elif f.entry.id.startswith("x-") and len(w) == 1:
                known = surname_entry(self.d, w[0])
                if known is not None:
                    f.entry = known
        return found

    def _write(self, doc: Doc, state: DocCoding, found: list[Found]) -> None:
        for f in sorted(found, key=lambda f: (f.nested, f.start)):
            if not f.nested and any(state.by_token[i] >= 0 for i in range(f.start, f.end)):
                continue
            e = f.entry
            actor = state.actors.get(e.id)
            if actor is None:
                actor = Actor(e.id, e.name, e.kind, e.country, e.sector, [], 0, e.affiliation)
                state.actors[e.id] = actor
            actor.mentions += 1
            if f.how not in ("pronoun",) and f.surface not in actor.aliases:
                actor.aliases.append(f.surface)
            if f.titles:
                state.titles.setdefault(e.id, set()).update(f.titles)
            span = doc[f.start:f.end]
            k = len(state.mentions)
            state.mentions.append(Mention("", e.id, span.text, span.start_char, span.end_char, f.how))
            state.mention_heads.append(f.head)
            for i in range(f.start, f.end):
                state.by_token[i] = k


def _original_forms(d: ActorDictionary) -> set[str]:
    """Surface forms in their written case, for the case-sensitive matcher."""
    return {e.name for e in d.entries.values()} | d.original_aliases


def _is_pro_prefixed(doc: Doc, i: int, prefixes: frozenset[str]) -> bool:
    """True for the "Iranian" of "pro-Iranian" / "pro Iranian"."""
    if i >= 2 and doc[i - 1].text == "-" and norm(doc[i - 2].text) in prefixes:
        return True
    if i >= 1 and norm(doc[i - 1].text).rstrip("-") in prefixes and doc[i - 1].whitespace_ == "":
        return True
    if i >= 1 and norm(doc[i - 1].text) in {p + "-" for p in prefixes}:
        return True
    return False


def _trim(span: Span) -> Span | None:
    """Drop leading determiners / possessive markers from an entity span."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and (doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].text in ("'s", "'")):
        e -= 1
    if s >= e:
        return None
    out = doc[s:e]
    out.label_ = span.label_
    return out


CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj"})


def _clause_places(tok: Token, place_at: dict[int, str]) -> set[str]:
    """Countries of the places named by the prepositions of ``tok``'s own verb ("marched in
    Tel Aviv") or of ``tok`` itself ("people in Tel Aviv")."""
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    out: set[str] = set()
    for head in {tok.i: tok, verb.i: verb}.values():
        for prep in head.children:
            if prep.dep_ == "prep":
                out.update(place_at[p.i] for p in prep.children if p.dep_ == "pobj" and p.i in place_at)
    return out if len(out) == 1 else set()


def _subject_of_clause_of(subj: Token, tok: Token) -> bool:
    """``subj`` is the subject of the clause ``tok`` sits in: the two cannot be one actor
    ("the United States condemned the junta": the junta is not the United States)."""
    if subj.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = subj.head.i
    while tok.i != verb:
        if tok.dep_ in CLAUSE_DEPS or tok.head.i == tok.i:
            return False  # a clause of its own: "Iran said the government would ..."
        tok = tok.head
    return True


def _names_infrastructure(ent: Span) -> bool:
    """A name ending in a road, bridge, airport ... noun (wordlists.yaml: infrastructure_nouns)."""
    return len(ent) > 1 and ent[-1].lemma_.lower() in load_words("infrastructure_nouns")


def _is_place(ent: Span) -> bool:
    """A one-word "name" that is really a place: a dateline ("GOMA, 14 March -") or the object
    of a locative preposition ("in Goma")."""
    root = ent.root
    if _names_infrastructure(ent):
        return True  # "the Kerch Bridge", "the Pan-American Highway" (tagged ORG)
    if _of_place_noun(root):
        return True  # "the town of Walikale", "the northern county of Mandera"
    if root.dep_ == "compound" and root.head.i == ent.end and (
            root.head.lemma_.lower() in load_words("place_nouns") or root.head.text == "state"):
        return True  # "Zamzam camp", "the Netzarim corridor", "Rakhine state" (not "Islamic State")
    if root.dep_ in ("dobj", "nsubjpass") and root.head.pos_ == "VERB" and ent.label_ in ("ORG", "PERSON"):
        # "Russian missiles struck Kharkiv", "El Fasher was shelled": a city the parser
        # took for a name
        loc = default_gazetteer().lookup(ent.text)
        return loc is not None and loc.kind in PLACE_KINDS
    if len(ent) != 1:
        # "in Wad Madani", "outside El Fasher"; "an offensive on El Fasher" (a city the gazetteer knows)
        if root.dep_ != "pobj":
            return False
        if root.head.lower_ in ("in", "at", "near", "outside", "around", "into"):
            return True
        loc = default_gazetteer().lookup(ent.text)
        return loc is not None and loc.kind in PLACE_KINDS
    tok = ent[0]
    if ent.label_ in ("ORG", "PERSON") and tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        loc = default_gazetteer().lookup(tok.text)
        if loc is not None and loc.kind in PLACE_KINDS:
            return True  # "the Ghazni attack": a place naming where, not who
    if _dateline(tok):
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "near", "outside", "around", "into", "on", "to", "from", "toward",
                                                 "towards", "of"):
        loc = default_gazetteer().lookup(tok.text)
        return tok.head.lower_ in ("in", "at", "near", "outside", "around", "into") or (loc is not None and loc.kind in PLACE_KINDS)
    return False


def _shared_modifiers(tok: Token) -> list[Token]:
    """Modifiers of the noun an agent noun is a compound of, before the agent: in "a Nigerian
    army base" or "Ecuadorian navy patrols" the nationality hangs off the head noun, but it is
    the army's and the navy's."""
    if tok.dep_ != "compound" or tok.head.i <= tok.i:
        return []
    return [c for c in tok.head.children if c.dep_ in ("amod", "compound") and c.i < tok.i]


def _of_place_noun(tok: Token) -> bool:
    """``tok`` names the place in "the town of X", "the northern county of Y"."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in load_words("place_nouns")


def _dateline(tok: Token) -> bool:
    """An all-capital word opening a line and followed by a comma: "GOMA, 14 March -"."""
    doc = tok.doc
    return tok.is_upper and len(tok) > 2 and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "," and (
        tok.i == 0 or "\n" in doc[tok.i - 1].text_with_ws or doc[tok.i - 1].is_space)


def _titles_a_name(ent: Span, taken: list[bool]) -> bool:
    """A capitalised title the parser took for an organisation: "the Supreme Leader Khamenei"."""
    t = ent.root
    for _ in range(3):
        if t.dep_ != "compound" or t.head.i == t.i:
            return False
        t = t.head
        if taken[t.i]:
            return True
    return False


def _unknown_named_modifier(tok: Token, named_at: dict[int, Found], d: ActorDictionary) -> Token | None:
    """A proper-noun modifier naming an unknown group: the "M23" of "M23 rebels"."""
    for c in tok.children:
        if c.dep_ == "compound" and c.i == tok.i - 1 and c.pos_ == "PROPN" and c.i not in named_at \
                and c.ent_type_ in ("ORG", "GPE", "PERSON", "") and not d.country_of_word(c.text) \
                and not c.is_stop and len(c.text) > 1:
            return c
    return None


def _group_of(tok: Token, named_at: dict[int, Found]) -> Found | None:
    """The named organisation in "<members> of X": "leaders of the Group of Seven", "the
    leaders from the opposition CNRP". The "of" must follow the noun (parsers often attach it
    to an earlier conjunct)."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is None or nxt.lower_ not in ("of", "from"):
        return None
    for p in nxt.children:
        if p.dep_ != "pobj":
            continue
        f = named_at.get(p.i)
        if f is None and p.lemma_.lower() in MEMBER_NOUNS:
            # "diplomats of the member states of ASEAN": the organisation they belong to
            f = next((named_at.get(q.i) for c in p.children if c.dep_ == "prep" and c.lower_ == "of"
                      for q in c.children if q.dep_ == "pobj"), None)
        if f is None and p.lemma_.lower() in SUBUNIT_NOUNS:
            # "a leader of the Sinaloa cartel's Chapitos faction", "the commander of Hamas's
            # armed wing": the named group the unit belongs to (the nearest name first)
            f = next((named_at[c.i] for c in sorted(p.children, key=lambda c: -c.i)
                      if c.dep_ in ("compound", "poss") and c.i in named_at), None)
        if f is not None and f.entry.kind not in ("state", "person"):
            return f
    return None


#: nouns for the members of an organisation: "the member states of X", "the countries of X"
MEMBER_NOUNS = frozenset({"state", "member", "country", "nation", "government"})
#: nouns for a part of a named group: "X's armed wing", "the Chapitos faction"
SUBUNIT_NOUNS = frozenset({"faction", "wing", "branch", "cell", "unit", "brigade", "battalion", "affiliate"})


def _region_country(mod: Token) -> str | None:
    """The country of a region or city that owns an agent noun: "California's governor",
    "Ontario's premier", "Kharkiv's mayor", "the Gaza health ministry"."""
    if mod.pos_ != "PROPN" or mod.dep_ not in ("poss", "compound", "pobj"):
        return None
    if mod.ent_type_ and mod.ent_type_ not in ("GPE", "LOC", "FAC"):
        return None  # a person's or an organisation's name, not a place
    doc, start, end = mod.doc, mod.i, mod.i + 1
    if mod.ent_type_:  # the whole name ("New South Wales"), from the token's entity tags
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    name = doc[start:end].text
    loc = default_gazetteer().lookup(name[:-2] if name.endswith("'s") else name)
    return loc.country if loc is not None and loc.kind in PLACE_KINDS else None


def _followed(tok: Token, named_at: dict[int, Found], followers: frozenset[str]) -> Found | None:
    """The named person in "<supporters> of X" ("supporters of Imran Khan")."""
    if norm(tok.lemma_) not in followers:
        return None
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is None or nxt.lower_ != "of":
        return None
    return next((named_at[p.i] for p in nxt.children if p.dep_ == "pobj" and p.i in named_at
                 and named_at[p.i].entry.kind == "person"), None)


def _named_group(doc: Doc, tok: Token, named_at: dict[int, Found]) -> Found | None:
    """A named non-state actor modifying an agent noun ("Hamas fighters")."""
    for c in tok.children:
        if c.dep_ in ("compound", "nmod", "amod", "poss") and c.i < tok.i:
            f = named_at.get(c.i)
            if f is not None and f.entry.kind not in ("state", "person"):
                return f
    return None


def _apposed_person(tok: Token, named_at: dict[int, Found]) -> Found | None:
    """A named person in apposition with the noun phrase headed by ``tok``, if any."""
    for other in _appositions(tok):
        f = named_at.get(other.i)
        if f is not None and f.entry.kind == "person":
            return f
    # parsers often hang the name off the last noun of a long nominal:
    # "the general in command of the Quds Forces, Qassem Soleimani"
    for t in tok.subtree:
        for other in t.children:
            if other.dep_ == "appos":
                f = named_at.get(other.i)
                if f is not None and f.entry.kind == "person":
                    return f
    return None


def _appositions(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "appos":
        out.append(tok.head)
    return out


