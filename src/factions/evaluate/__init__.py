"""Evaluation: score the coder against annotated gold data (``factions evaluate``).

Modules: :mod:`~factions.evaluate.gold` (gold records and the readers for the factions, PLOVER,
PETRARCH-2 and CAMEO pentaclass formats), :mod:`~factions.evaluate.plover` (PLOVER JSON import
and export), :mod:`~factions.evaluate.score` (matching and metrics), :mod:`~factions.evaluate.report`
(tables) and :mod:`~factions.evaluate.run` (read, code, score). See ``docs/evaluation.md``.
"""
