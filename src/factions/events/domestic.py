"""Domestic roles: the country of an unnamed group facing one country's state institutions.

"Nicaragua freed 135 political prisoners and sent them to Guatemala": the prisoners are
Nicaraguan, though the sentence names two countries (so the actor stage, which gives an
unnamed group the one country its sentence is about, left them without one). When one side
of an event is a single country's government, police, courts or legislature and the other an
unnamed group with no country, in an event type of domestic politics (syntax.yaml
``domestic_roles``), the group is taken to be that country's own.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from factions.actors.dictionary import default_dictionary
from factions.actors.resolve import NON_STATE_CODES
from factions.data import load_words, load_yaml
from factions.events.participants import entry_actor
from factions.model import Actor
from factions.nlp.state import DocCoding


FOREIGN = load_words("foreign_qualifiers")


@cache
def _rules() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in load_yaml("syntax.yaml")["domestic_roles"].items()}


def _country(side: list[tuple[Actor | None, Token | None]], sectors: frozenset[str]) -> str | None:
    """The one country of a side made only of that country's state institutions."""
    countries = {a.country for a, _ in side if a is not None}
    if len(countries) != 1 or any(a is None or a.sector not in sectors for a, _ in side):
        return None
    c = next(iter(countries))
    return c if c and len(c) == 3 and c not in NON_STATE_CODES else None


def _unnamed(actor: Actor | None, sectors: frozenset[str]) -> bool:
    """A group named only by a common noun ("prisoners", "protesters"), with no country."""
    return actor is not None and actor.country is None and actor.sector in sectors and ":" in actor.id


def localise(type_: str, sources: list[tuple[Actor | None, Token | None]],
             targets: list[tuple[Actor | None, Token | None]], state: DocCoding) -> None:
    """Give the unnamed groups of one side of an event the country of the other side's state
    institutions, in place (the actor lists and the groups' mentions)."""
    rules = _rules()
    for side, other in ((targets, sources), (sources, targets)):
        state_sectors = rules["state_sectors"]
        if type_ not in rules["event_types"]:
            if type_ != "ASSAULT" or side is sources:
                continue
            state_sectors = rules["police_assault"]  # "police shot dead two protesters"
        country = _country(other, state_sectors) if other else None
        if country is None:
            continue
        for k, (actor, tok) in enumerate(side):
            if tok is None or not _unnamed(actor, rules["group_sectors"]):
                continue
            if any(c.lower_ in FOREIGN for c in tok.children if c.dep_ in ("amod", "advmod")):
                continue  # "Muslim clerics abroad", "foreign journalists"
            side[k] = (entry_actor(default_dictionary().composite(country, actor.sector), state), tok)
            m = state.by_token[tok.i]
            if m >= 0 and state.mentions[m].actor_id == actor.id:
                state.mentions[m].actor_id = side[k][0].id
                actor.mentions -= 1
