"""The ``factions_actors`` spaCy component: resolve every actor mention in a document."""

from __future__ import annotations

from spacy.language import Language

from factions.actors.dictionary import ActorDictionary, default_dictionary
from factions.actors.resolve import ActorResolver


@Language.factory("factions_actors", default_config={"extra_actors": []})
def make_actor_resolver(nlp: Language, name: str, extra_actors: list) -> ActorResolver:
    """Build the resolver over the shipped dictionary plus any user-supplied actors."""
    dictionary = ActorDictionary(extra_actors) if extra_actors else default_dictionary()
    return ActorResolver(nlp, dictionary)
