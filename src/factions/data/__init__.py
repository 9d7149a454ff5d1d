"""Loaders for the lexicons and dictionaries shipped as data files in this folder.

Every file is read once per process (``functools.cache``) and documented in ``README.md``
next to it. Code never embeds word lists: it asks for them here by name.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

import re

import yaml

from factions.errors import FactionsError


class _WordLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. YAML 1.1 would read the words on, off, yes and no
    (prepositions and negations in our lexicons) as booleans."""


_WordLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def _path(name: str):
    return resources.files(__package__).joinpath(name)


@cache
def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` (YAML) once and return it."""
    p = _path(name)
    try:
        return yaml.load(p.read_text(encoding="utf-8"), Loader=_WordLoader)  # noqa: S506 - safe loader subclass
    except (OSError, yaml.YAMLError) as exc:
        raise FactionsError("E201", path=str(p), detail=str(exc).splitlines()[0]) from exc


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<name>`` (CSV with a header) as dicts, read once."""
    p = _path(name)
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            return tuple(dict(r) for r in csv.DictReader(row for row in fh if not row.startswith("#")))
    except OSError as exc:
        raise FactionsError("E201", path=str(p), detail=str(exc)) from exc


@cache
def load_words(key: str) -> frozenset[str]:
    """A named word list from ``data/wordlists.yaml`` as a lower-cased frozenset."""
    lists = load_yaml("wordlists.yaml")
    if key not in lists:
        raise FactionsError("E201", path="wordlists.yaml", detail=f"no list named {key!r}")
    return frozenset(str(w).lower() for w in lists[key])
